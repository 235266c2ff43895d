// The s3 replica's store: AWS SDK v3 with the default credential chain. Archives use If-None-Match
// (multipart above MULTIPART_BYTES), `latest` uses If-Match compare-and-swap: S3 and compatible
// stores that honour conditional writes never lose an update.
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { RelayError } from "../errors";
import type { Blob, BlobStore } from "./blob";

/** Archives above this size go up in parts (lib-storage), 8 MiB each, 4 at a time. */
export const MULTIPART_BYTES = 16 * 1024 * 1024;
const PART_BYTES = 8 * 1024 * 1024;

export interface S3Location {
  bucket: string;
  /** Key prefix from the URL path, "" or ending in "/". */
  prefix: string;
  region?: string;
  endpoint?: string;
  forcePathStyle: boolean;
  profile?: string;
}

export function s3ClientConfig(loc: S3Location, connectMs: number): S3ClientConfig {
  const config: S3ClientConfig = {
    forcePathStyle: loc.forcePathStyle,
    // The relay retries whole targets within their deadline; SDK retries would multiply timeouts.
    maxAttempts: 1,
    requestHandler: { connectionTimeout: connectMs },
  };
  if (loc.region) config.region = loc.region;
  else if (loc.endpoint) config.region = "us-east-1";
  if (loc.endpoint) {
    config.endpoint = loc.endpoint;
    // S3-compatible servers mishandle the SDK's default streamed checksums (DESIGN §9).
    config.requestChecksumCalculation = "WHEN_REQUIRED";
    config.responseChecksumValidation = "WHEN_REQUIRED";
  }
  if (loc.profile) config.profile = loc.profile;
  return config;
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection reset",
  ENOTFOUND: "DNS lookup failed",
  EAI_AGAIN: "DNS lookup failed",
  ETIMEDOUT: "connect timeout",
  EHOSTUNREACH: "host unreachable",
};

/** Maps an SDK failure to a RelayError; the SDK's own messages never carry the secret key. */
export function s3Error(
  display: string,
  op: string,
  key: string,
  err: unknown,
  signal: AbortSignal,
): RelayError {
  if (err instanceof RelayError) return err;
  if (signal.aborted) {
    const reason = signal.reason as Error | undefined;
    return new RelayError("unreachable", `${display}: ${op} ${key}: ${reason?.message ?? "aborted"}`);
  }
  const e = err as { name?: string; code?: string; message?: string };
  const where = `${display}: ${op} ${key}`;
  const network = NETWORK_CODES[e.code ?? ""] ?? (e.name === "TimeoutError" ? "connect timeout" : undefined);
  if (network) return new RelayError("unreachable", `${where}: ${network}`);
  if (e.name === "CredentialsProviderError" || (/credential/i.test(e.message ?? "") && !statusOf(err))) {
    return new RelayError(
      "config",
      `${display}: no AWS credentials (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or a role)`,
    );
  }
  if (/region is missing/i.test(e.message ?? "")) {
    return new RelayError(
      "config",
      `${display}: no AWS region: add ?region=<region> to the URL or set AWS_REGION`,
    );
  }
  const status = statusOf(err);
  const code = err instanceof S3ServiceException ? err.name : (e.name ?? "error");
  if (status === 401 || status === 403) {
    return new RelayError("unauthorized", `${where}: access denied (${code}, HTTP ${status})`);
  }
  if (code === "NoSuchBucket") return new RelayError("not-found", `${display}: bucket does not exist`);
  if (status === 404) return new RelayError("not-found", `${where}: not found`);
  if (status !== undefined && (status >= 500 || status === 429)) {
    return new RelayError("unreachable", `${where}: ${code} (HTTP ${status})`);
  }
  if (status !== undefined) return new RelayError("input", `${where}: ${code} (HTTP ${status})`);
  return new RelayError("unreachable", `${where}: ${e.message ?? code}`);
}

const isMissing = (err: unknown) => {
  const name = (err as { name?: string }).name;
  return name === "NoSuchKey" || name === "NotFound" || (statusOf(err) === 404 && name !== "NoSuchBucket");
};

/** A lost conditional write: 412 Precondition Failed, or 409 when another write of the key is in flight. */
const isLostRace = (err: unknown) => statusOf(err) === 412 || statusOf(err) === 409;

export class S3Store implements BlobStore {
  constructor(
    private readonly client: S3Client,
    private readonly loc: S3Location,
    private readonly display: string,
  ) {}

  private key = (key: string) => `${this.loc.prefix}${key}`;

  async get(key: string, signal: AbortSignal): Promise<Blob | null> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.loc.bucket, Key: this.key(key) }),
        {
          abortSignal: signal,
        },
      );
      const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return { body, etag: out.ETag ?? "" };
    } catch (err) {
      if (!signal.aborted && isMissing(err)) return null;
      throw s3Error(this.display, "get", key, err, signal);
    }
  }

  async exists(key: string, signal: AbortSignal): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.loc.bucket, Key: this.key(key) }), {
        abortSignal: signal,
      });
      return true;
    } catch (err) {
      if (!signal.aborted && isMissing(err)) return false;
      throw s3Error(this.display, "head", key, err, signal);
    }
  }

  async put(key: string, body: Uint8Array, signal: AbortSignal): Promise<void> {
    await this.send(key, body, {}, signal);
  }

  async putIfAbsent(key: string, body: Uint8Array, signal: AbortSignal): Promise<boolean> {
    if (body.length > MULTIPART_BYTES) {
      // Multipart: content-addressed, so a concurrent writer would store the very same bytes.
      try {
        const upload = new Upload({
          client: this.client,
          params: {
            Bucket: this.loc.bucket,
            Key: this.key(key),
            Body: body,
            ContentType: "application/x-tar",
          },
          partSize: PART_BYTES,
          queueSize: 4,
        });
        const onAbort = () => void upload.abort();
        signal.addEventListener("abort", onAbort, { once: true });
        try {
          await upload.done();
        } finally {
          signal.removeEventListener("abort", onAbort);
        }
        return true;
      } catch (err) {
        throw s3Error(this.display, "upload", key, err, signal);
      }
    }
    try {
      await this.send(key, body, { IfNoneMatch: "*" }, signal);
      return true;
    } catch (err) {
      if (err instanceof RelayError && err.kind === "conflict") return false;
      throw err;
    }
  }

  async putIfMatch(
    key: string,
    body: Uint8Array,
    expected: string | null,
    signal: AbortSignal,
  ): Promise<boolean> {
    try {
      await this.send(key, body, expected === null ? { IfNoneMatch: "*" } : { IfMatch: expected }, signal);
      return true;
    } catch (err) {
      if (err instanceof RelayError && err.kind === "conflict") return false;
      throw err;
    }
  }

  private async send(
    key: string,
    body: Uint8Array,
    condition: { IfMatch?: string; IfNoneMatch?: string },
    signal: AbortSignal,
  ): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.loc.bucket,
          Key: this.key(key),
          Body: body,
          ContentLength: body.length,
          ContentType: key.endsWith(".json") ? "application/json" : "application/x-tar",
          ...condition,
        }),
        { abortSignal: signal },
      );
    } catch (err) {
      if (!signal.aborted && isLostRace(err)) {
        throw new RelayError("conflict", `${this.display}: ${key} changed concurrently`);
      }
      throw s3Error(this.display, "put", key, err, signal);
    }
  }
}
