import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { uniqueName } from "./names";
import { type ConditionalMode, type ConditionalProxy, startConditionalProxy } from "./s3-conditional-proxy";

/** The env var global setup publishes the run's S3 endpoint in (see test/global-setup.ts). */
export const TEST_S3_ENDPOINT_ENV = "MIGRATE_RELAY_TEST_S3_ENDPOINT";

/** s3rver's built-in account. */
export const S3RVER_ACCESS_KEY_ID = "S3RVER";
export const S3RVER_SECRET_ACCESS_KEY = "S3RVER";
export const S3_TEST_REGION = "us-east-1";

/** s3rver on 127.0.0.1 with the fixes in the testkit README (checksums, legacy provider, conditional writes). */
export interface S3Server {
  /** The endpoint clients use: the conditional-write proxy in front of s3rver. */
  endpoint: string;
  /** s3rver itself, bypassing the proxy (no conditional writes); for diagnosis only. */
  upstreamEndpoint: string;
  /** Where s3rver keeps its buckets. */
  directory: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  createBucket(name?: string): Promise<string>;
  stop(): Promise<void>;
}

/** What s3ClientFor needs: an S3Server, or just an endpoint (s3rver's default account is assumed). */
export interface S3Coordinates {
  endpoint: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/**
 * An SDK client configured for a local S3 server. `requestChecksumCalculation: "WHEN_REQUIRED"`
 * matters (testkit README, trap 1): with the SDK's default, streamed bodies are sent with aws-chunked
 * framing that s3rver stores verbatim, silently corrupting the object. Any S3 client the product
 * builds for a custom endpoint needs the same setting.
 */
export function s3ClientFor(server: S3Coordinates): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region: server.region ?? S3_TEST_REGION,
    forcePathStyle: true,
    credentials: {
      accessKeyId: server.accessKeyId ?? S3RVER_ACCESS_KEY_ID,
      secretAccessKey: server.secretAccessKey ?? S3RVER_SECRET_ACCESS_KEY,
    },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

const runnerPath = fileURLToPath(new URL("../bin/s3rver-runner.mjs", import.meta.url));

/** Starts s3rver in a child process (it needs --openssl-legacy-provider, trap 2); resolves its port. */
function spawnS3rver(directory: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--openssl-legacy-provider", runnerPath, directory], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => fail(new Error("s3rver did not start within 30 s")), 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${error.message}\n${stderr.slice(-2000)}`));
    };
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", fail);
    child.on("exit", (code) => fail(new Error(`s3rver exited with code ${code} before listening`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n")[0];
      if (!stdout.includes("\n") || !line) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.stdout?.removeAllListeners("data");
      resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
  });
}

export interface StartS3Options {
  /**
   * How the proxy treats If-Match/If-None-Match: "honour" (the default: as S3 does),
   * "reject-conditional" (501 NotImplemented) or "ignore-conditional" (last writer wins), to emulate
   * S3-compatible stores without conditional writes.
   */
  conditional?: ConditionalMode;
}

export async function startS3(options: StartS3Options = {}): Promise<S3Server> {
  const root = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  const directory = await mkdtemp(join(root, "migrate-relay-s3-"));
  let child: ChildProcess | undefined;
  let proxy: ConditionalProxy | undefined;
  // The child exits by itself when our stdin pipe closes; its tmpfs dir needs removing.
  const removeOnExit = () => rmSync(directory, { recursive: true, force: true });
  process.once("exit", removeOnExit);
  const stop = async () => {
    process.off("exit", removeOnExit);
    await proxy?.close();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const started = await spawnS3rver(directory);
    child = started.child;
    // Let a script that forgets stop() exit: the child then sees stdin close and exits too.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) {
      (stream as unknown as { unref?: () => void } | null)?.unref?.();
    }
    proxy = await startConditionalProxy(started.port, { mode: options.conditional ?? "honour" });
    const coordinates = {
      endpoint: proxy.endpoint,
      region: S3_TEST_REGION,
      accessKeyId: S3RVER_ACCESS_KEY_ID,
      secretAccessKey: S3RVER_SECRET_ACCESS_KEY,
    };
    return {
      ...coordinates,
      upstreamEndpoint: `http://127.0.0.1:${started.port}`,
      directory,
      createBucket: (name) => createBucket(coordinates, name),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function createBucket(coordinates: S3Coordinates, name = bucketName()): Promise<string> {
  const client = s3ClientFor(coordinates);
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  } finally {
    client.destroy();
  }
  return name;
}

/** Bucket names: lowercase letters, digits and hyphens, at most 63 characters. */
function bucketName(): string {
  return uniqueName("test").toLowerCase().replace(/_/g, "-").slice(0, 63);
}

export interface TestBucket {
  bucket: string;
  endpoint: string;
  /** An s3:// replica URL for the bucket, e.g. `s3://<bucket>/backups?region=us-east-1&endpoint=...`. */
  url: string;
}

/** The s3:// replica URL of a bucket on a local S3 server. */
export function s3ReplicaUrl(bucket: string, endpoint: string, prefix = "backups"): string {
  const path = prefix ? `/${prefix}` : "";
  return `s3://${bucket}${path}?region=${S3_TEST_REGION}&endpoint=${endpoint}&use_path_style=true`;
}

/**
 * In a test: a fresh bucket on the run's S3 server; `url` is an s3:// replica URL for it. The
 * credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, which global setup sets.
 */
export async function testBucket(options: { prefix?: string } = {}): Promise<TestBucket> {
  const endpoint = process.env[TEST_S3_ENDPOINT_ENV];
  if (!endpoint) {
    throw new Error(`${TEST_S3_ENDPOINT_ENV} is not set: run tests through vitest (test/global-setup.ts)`);
  }
  const bucket = await createBucket({ endpoint });
  return { bucket, endpoint, url: s3ReplicaUrl(bucket, endpoint, options.prefix) };
}
