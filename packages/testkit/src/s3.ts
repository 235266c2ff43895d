const todo = (): never => {
  throw new Error("not implemented yet");
};

/** s3rver on 127.0.0.1 with the fixes of DESIGN §9 (checksums, legacy provider, conditional writes). */
export interface S3Server {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  createBucket(name?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startS3(): Promise<S3Server> {
  return todo();
}

/** In a test: a fresh bucket on the run's S3 server; `url` is an s3:// replica URL for it. */
export async function testBucket(): Promise<{ bucket: string; endpoint: string; url: string }> {
  return todo();
}
