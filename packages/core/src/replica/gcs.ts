// The gs replica's store: @google-cloud/storage with Application Default Credentials (what
// google-github-actions/auth leaves behind, workload identity federation included; or
// GOOGLE_APPLICATION_CREDENTIALS, or the metadata server). STORAGE_EMULATOR_HOST, which the client
// reads itself, points it at another endpoint (the tests' GCS double). `latest` is compare-and-swap
// with generation preconditions: ifGenerationMatch=<generation read>, 0 for "must not exist"; GCS
// answers 412 conditionNotMet when it does not hold.
import type { Readable } from "node:stream";
import { type Bucket, Storage, type StorageOptions } from "@google-cloud/storage";
import { configError, RelayError } from "../errors";
import type { Blob, BlobStore } from "./blob";
import { storeError, untilAborted } from "./fail";

export interface GcsLocation {
  bucket: string;
  /** Key prefix from the URL path, "" or ending in "/". */
  prefix: string;
}

export function gcsBucket(loc: GcsLocation, callTimeoutMs: number, extra: StorageOptions = {}): Bucket {
  const storage = new Storage({
    // The relay retries whole targets within their deadline; SDK retries would multiply timeouts.
    retryOptions: { autoRetry: false, maxRetries: 0 },
    // The SDK takes no AbortSignal: this bounds a request the relay has given up on.
    timeout: callTimeoutMs,
    ...extra,
  });
  return storage.bucket(loc.bucket);
}

interface GcsFailure {
  code?: number | string;
  errors?: { reason?: string }[];
  message?: string;
}

function failure(err: unknown) {
  const e = err as GcsFailure;
  const status = typeof e.code === "number" ? e.code : undefined;
  return {
    ...(status ? { status } : {}),
    ...(e.errors?.[0]?.reason ? { code: e.errors[0].reason } : {}),
    err,
  };
}

const isNoCredentials = (err: unknown) =>
  /could not load the default credentials|Unable to detect a Project Id/i.test((err as Error).message ?? "");

export class GcsStore implements BlobStore {
  constructor(
    private readonly bucket: Bucket,
    private readonly loc: GcsLocation,
    private readonly display: string,
  ) {}

  private file = (key: string) => this.bucket.file(`${this.loc.prefix}${key}`);

  private error(op: string, key: string, err: unknown, signal: AbortSignal) {
    if (!signal.aborted && isNoCredentials(err)) {
      return configError(
        `${this.display}: no Google Cloud credentials (run google-github-actions/auth, set GOOGLE_APPLICATION_CREDENTIALS, or gcloud auth application-default login)`,
      );
    }
    // The client checks the bytes it read against the CRC32C/MD5 GCS states for the object.
    if (!signal.aborted && (err as GcsFailure).code === "CONTENT_DOWNLOAD_MISMATCH") {
      return new RelayError(
        "integrity",
        `${this.display}: ${op} ${key}: content does not match its stored checksum`,
      );
    }
    const f = failure(err);
    if (f.status === 404 && /bucket/i.test((err as Error).message ?? "")) {
      return storeError(`${this.display}: bucket does not exist`, f, signal);
    }
    return storeError(`${this.display}: ${op} ${key}`, f, signal);
  }

  async list(folder: string, signal: AbortSignal): Promise<string[]> {
    const prefix = `${this.loc.prefix}${folder}`;
    try {
      const [files] = await untilAborted(
        signal,
        this.bucket.getFiles({ prefix, delimiter: "/", autoPaginate: true }),
      );
      return files.map((f) => f.name.slice(prefix.length));
    } catch (err) {
      throw this.error("list", folder, err, signal);
    }
  }

  async get(key: string, signal: AbortSignal): Promise<Blob | null> {
    try {
      const read = new Promise<Blob>((resolve, reject) => {
        let generation = "";
        const chunks: Buffer[] = [];
        const stream: Readable = this.file(key).createReadStream();
        stream.on("response", (res: { headers: Record<string, string | undefined> }) => {
          generation = res.headers["x-goog-generation"] ?? "";
        });
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("error", reject);
        stream.on("end", () => resolve({ body: Buffer.concat(chunks), etag: generation }));
      });
      // Not destroyed on abort: the SDK would then report the request's own timeout as an uncaught
      // error. It ends by itself within the client's timeout, its error handled here.
      return await untilAborted(signal, read);
    } catch (err) {
      if (
        !signal.aborted &&
        (err as GcsFailure).code === 404 &&
        !/bucket/i.test((err as Error).message ?? "")
      ) {
        return null;
      }
      throw this.error("get", key, err, signal);
    }
  }

  async exists(key: string, signal: AbortSignal): Promise<boolean> {
    try {
      const [found] = await untilAborted(signal, this.file(key).exists());
      return found;
    } catch (err) {
      throw this.error("head", key, err, signal);
    }
  }

  async put(key: string, body: Uint8Array, signal: AbortSignal): Promise<void> {
    await this.upload(key, body, undefined, signal);
  }

  putIfAbsent(key: string, body: Uint8Array, signal: AbortSignal): Promise<boolean> {
    return this.upload(key, body, 0, signal);
  }

  putIfMatch(key: string, body: Uint8Array, expected: string | null, signal: AbortSignal): Promise<boolean> {
    return this.upload(key, body, expected === null ? 0 : expected, signal);
  }

  /** False when the generation precondition did not hold (412). */
  private async upload(
    key: string,
    body: Uint8Array,
    ifGenerationMatch: number | string | undefined,
    signal: AbortSignal,
  ): Promise<boolean> {
    try {
      await untilAborted(
        signal,
        this.file(key).save(Buffer.from(body.buffer, body.byteOffset, body.length), {
          // One multipart request (GCS takes up to 5 TiB so): no resumable session to leave behind.
          resumable: false,
          contentType: key.endsWith(".json") ? "application/json" : "application/x-tar",
          ...(ifGenerationMatch !== undefined ? { preconditionOpts: { ifGenerationMatch } } : {}),
        }),
      );
      return true;
    } catch (err) {
      if (!signal.aborted && ifGenerationMatch !== undefined && (err as GcsFailure).code === 412)
        return false;
      throw this.error("put", key, err, signal);
    }
  }
}
