// The s3 replica's store: AWS SDK v3 with the default credential chain. Archives use If-None-Match
// (multipart above MULTIPART_BYTES), `latest` uses If-Match compare-and-swap: S3 and compatible
// stores that honour conditional writes never lose an update.
//
// Stores without conditional writes (docs/relay.md: "say so in the result and degrade to
// last-writer-wins") come in two kinds:
// - Those that REJECT the headers. AWS answers 501 NotImplemented ("A header you provided implies
//   functionality that is not implemented") to a condition it does not implement, and so do other
//   S3 implementations (e.g. Versity); older servers may answer 400 InvalidArgument/InvalidRequest
//   naming the header. Such a write is sent again without the condition, and the store is
//   remembered (per endpoint and bucket, per process) as "rejected".
// - Those that silently IGNORE them (s3rver, some gateways). Only a probe tells: once per endpoint
//   and bucket per process, when a push is about to move `latest`, PUT If-None-Match: * on a small
//   scratch key under the repo prefix (`<repo>/.probe/conditional-writes`, outside archives/,
//   versions/ and tags/, so no reader ever follows it). Once the key exists that PUT must fail with
//   412; if it succeeds the store ignores conditions. Cost: one small PUT per process (two the
//   first time ever), run concurrently with the push's first reads, so no added round trip.
// Either way the push result carries CAS_NOTES[...] on that target.
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { DEFAULT_MAX_ARCHIVE_BYTES } from "../dir/archive";
import { RelayError } from "../errors";
import { type Blob, type BlobStore, MULTIPART_BYTES } from "./blob";

/** Archives above MULTIPART_BYTES go up in parts (lib-storage), 8 MiB each, 4 at a time. */
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
    // S3-compatible servers mishandle the SDK's default streamed checksums (docs/architecture.md, "Tests against real parts").
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

/**
 * The store refused a conditional write because it does not implement the condition: 501 (or the
 * NotImplemented code), or a 400 whose code is InvalidArgument/InvalidRequest/NotImplemented and
 * whose message names the header. Only asked of requests that carried a condition.
 */
export function isUnsupportedCondition(err: unknown): boolean {
  const status = statusOf(err);
  const e = err as { name?: string; Code?: string; message?: string; Header?: string };
  const code = e.Code ?? e.name ?? "";
  if (status === 501 || code === "NotImplemented") return true;
  if (status !== 400 || !/^(InvalidArgument|InvalidRequest|NotImplemented)$/.test(code)) return false;
  return /if-(none-)?match|conditional/i.test(`${e.message ?? ""} ${e.Header ?? ""}`);
}

/** What a store does with If-Match/If-None-Match. */
export type ConditionalSupport = "honoured" | "rejected" | "ignored";

const NO_CAS = "latest written without compare-and-swap: the store";
/** The per-target note when `latest` was written on a store without conditional writes. */
export const CAS_NOTES: Record<Exclude<ConditionalSupport, "honoured">, string> = {
  rejected: `${NO_CAS} does not support conditional writes (last writer wins)`,
  ignored: `${NO_CAS} ignores conditional writes (last writer wins)`,
};

// Per process, per endpoint and bucket: stores known to reject conditions, and probe answers.
const rejecting = new Set<string>();
const probes = new Map<string, Promise<ConditionalSupport>>();

export class S3Store implements BlobStore {
  constructor(
    private readonly client: S3Client,
    private readonly loc: S3Location,
    private readonly display: string,
    /** No object the layout holds is larger than an archive may be: refuse more, unread. */
    private readonly maxBytes = DEFAULT_MAX_ARCHIVE_BYTES,
  ) {}

  private key = (key: string) => `${this.loc.prefix}${key}`;
  /** Identifies the store for the per-process memory of its conditional-write support. */
  private get storeId(): string {
    return `${this.loc.endpoint ?? `aws:${this.loc.region ?? ""}`}|${this.loc.bucket}`;
  }

  /**
   * Undefined when `latest` writes are compare-and-swap here; else the note for the result. The
   * first call per store and process probes (see the top of this file); later calls are free.
   */
  async casCaveat(probeKey: string, signal: AbortSignal): Promise<string | undefined> {
    if (rejecting.has(this.storeId)) return CAS_NOTES.rejected;
    let probe = probes.get(this.storeId);
    if (!probe) {
      const started = this.probe(probeKey, signal);
      probe = started;
      probes.set(this.storeId, started);
      // A failed probe (timeout, network) decides nothing: the next push asks again.
      started.catch(() => {
        if (probes.get(this.storeId) === started) probes.delete(this.storeId);
      });
    }
    const support = await probe;
    // A write may have met a rejection since the probe answered.
    if (rejecting.has(this.storeId)) return CAS_NOTES.rejected;
    return support === "honoured" ? undefined : CAS_NOTES[support];
  }

  private async probe(key: string, signal: AbortSignal): Promise<ConditionalSupport> {
    const body = new TextEncoder().encode('{"probe":"conditional writes"}\n');
    // The first attempt creates the key unless it exists; a store honouring If-None-Match must
    // then refuse the second (or already the first). A rejecting store is noted by send().
    for (let attempt = 0; attempt < 2; attempt++) {
      const created = await this.putIfAbsent(key, body, signal);
      if (rejecting.has(this.storeId)) return "rejected";
      if (!created) return "honoured";
    }
    return "ignored";
  }

  async get(key: string, signal: AbortSignal): Promise<Blob | null> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.loc.bucket, Key: this.key(key) }),
        {
          abortSignal: signal,
        },
      );
      const tooLarge = () =>
        new RelayError(
          "integrity",
          `${this.display}: ${key} is larger than ${this.maxBytes} bytes; not read`,
        );
      if ((out.ContentLength ?? 0) > this.maxBytes) {
        (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
        throw tooLarge();
      }
      // Content-Length can lie or be absent: count as the stream comes and cut it at the cap.
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of (out.Body ?? []) as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size > this.maxBytes) {
          (out.Body as { destroy?: () => void }).destroy?.();
          throw tooLarge();
        }
        chunks.push(chunk);
      }
      return { body: new Uint8Array(Buffer.concat(chunks)), etag: out.ETag ?? "" };
    } catch (err) {
      if (err instanceof RelayError) throw err;
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

  async list(folder: string, signal: AbortSignal): Promise<string[]> {
    const prefix = this.key(folder);
    const names: string[] = [];
    let token: string | undefined;
    try {
      do {
        const out = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.loc.bucket,
            Prefix: prefix,
            Delimiter: "/",
            ...(token ? { ContinuationToken: token } : {}),
          }),
          { abortSignal: signal },
        );
        for (const o of out.Contents ?? []) if (o.Key) names.push(o.Key.slice(prefix.length));
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    } catch (err) {
      if (!signal.aborted && isMissing(err)) return names;
      throw s3Error(this.display, "list", folder, err, signal);
    }
    return names;
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
    const conditional = condition.IfMatch !== undefined || condition.IfNoneMatch !== undefined;
    // A store known to reject conditions: write unconditionally (the caller reports the caveat).
    if (conditional && rejecting.has(this.storeId)) return this.send(key, body, {}, signal);
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
      if (!signal.aborted && conditional && isUnsupportedCondition(err)) {
        rejecting.add(this.storeId);
        return this.send(key, body, {}, signal);
      }
      if (!signal.aborted && isLostRace(err)) {
        throw new RelayError("conflict", `${this.display}: ${key} changed concurrently`);
      }
      throw s3Error(this.display, "put", key, err, signal);
    }
  }
}
