// The azblob replica's store: @azure/storage-blob. Credentials, first found wins:
// AZURE_STORAGE_CONNECTION_STRING (e.g. Azurite, or a key from the portal), then
// ?storage_account= (or AZURE_STORAGE_ACCOUNT) with AZURE_STORAGE_KEY, then @azure/identity's
// DefaultAzureCredential (env service principal, workload identity, `az login`: what azure/login
// with OIDC leaves behind), loaded only then. `latest` is compare-and-swap with ETag
// If-Match / If-None-Match: * (Azure answers 412 ConditionNotMet / 409 BlobAlreadyExists).
import {
  BlobServiceClient,
  type ContainerClient,
  RestError,
  type StoragePipelineOptions,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { configError } from "../errors";
import { type Blob, type BlobStore, MULTIPART_BYTES } from "./blob";
import { storeError } from "./fail";

export interface AzureLocation {
  container: string;
  /** Key prefix from the URL path, "" or ending in "/". */
  prefix: string;
  /** `?storage_account=`; AZURE_STORAGE_ACCOUNT otherwise. */
  account?: string;
}

export async function azureContainer(
  loc: AzureLocation,
  display: string,
  env: Record<string, string | undefined> = process.env,
): Promise<ContainerClient> {
  // The relay retries whole targets within their deadline; SDK retries would multiply timeouts.
  const options: StoragePipelineOptions = { retryOptions: { maxTries: 1 } };
  const connection = env.AZURE_STORAGE_CONNECTION_STRING;
  if (connection) {
    try {
      return BlobServiceClient.fromConnectionString(connection, options).getContainerClient(loc.container);
    } catch {
      throw configError(`${display}: AZURE_STORAGE_CONNECTION_STRING is not a valid connection string`);
    }
  }
  const account = loc.account ?? env.AZURE_STORAGE_ACCOUNT;
  if (!account) {
    throw configError(
      `${display}: no storage account: add ?storage_account=<name> to the URL or set AZURE_STORAGE_ACCOUNT (or AZURE_STORAGE_CONNECTION_STRING)`,
    );
  }
  const url = `https://${account}.blob.core.windows.net`;
  const key = env.AZURE_STORAGE_KEY;
  if (key) {
    return new BlobServiceClient(
      url,
      new StorageSharedKeyCredential(account, key),
      options,
    ).getContainerClient(loc.container);
  }
  const { DefaultAzureCredential } = await import("@azure/identity");
  return new BlobServiceClient(url, new DefaultAzureCredential(), options).getContainerClient(loc.container);
}

const failure = (err: unknown) =>
  err instanceof RestError ? { status: err.statusCode, code: err.code, err } : { err };

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Uint8Array> {
  if (!stream) return new Uint8Array();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

export class AzureStore implements BlobStore {
  constructor(
    private readonly container: ContainerClient,
    private readonly loc: AzureLocation,
    private readonly display: string,
  ) {}

  private blob = (key: string) => this.container.getBlockBlobClient(`${this.loc.prefix}${key}`);

  private error(op: string, key: string, err: unknown, signal: AbortSignal) {
    const f = failure(err);
    if (f.code === "ContainerNotFound")
      return storeError(`${this.display}: container does not exist`, f, signal);
    return storeError(`${this.display}: ${op} ${key}`, f, signal);
  }

  async list(folder: string, signal: AbortSignal): Promise<string[]> {
    const prefix = `${this.loc.prefix}${folder}`;
    const names: string[] = [];
    try {
      for await (const item of this.container.listBlobsByHierarchy("/", { prefix, abortSignal: signal })) {
        if (item.kind === "blob") names.push(item.name.slice(prefix.length));
      }
    } catch (err) {
      if (!signal.aborted && err instanceof RestError && err.statusCode === 404) return names;
      throw this.error("list", folder, err, signal);
    }
    return names;
  }

  async get(key: string, signal: AbortSignal): Promise<Blob | null> {
    try {
      const res = await this.blob(key).download(0, undefined, { abortSignal: signal });
      return { body: await readAll(res.readableStreamBody), etag: res.etag ?? "" };
    } catch (err) {
      if (!signal.aborted && err instanceof RestError && err.code === "BlobNotFound") return null;
      throw this.error("get", key, err, signal);
    }
  }

  async exists(key: string, signal: AbortSignal): Promise<boolean> {
    try {
      await this.blob(key).getProperties({ abortSignal: signal });
      return true;
    } catch (err) {
      // A HEAD has no body, so no error code: 404 on the blob or its container look alike.
      if (!signal.aborted && err instanceof RestError && err.statusCode === 404) return false;
      throw this.error("head", key, err, signal);
    }
  }

  put(key: string, body: Uint8Array, signal: AbortSignal): Promise<void> {
    return this.upload(key, body, undefined, signal).then(() => undefined);
  }

  putIfAbsent(key: string, body: Uint8Array, signal: AbortSignal): Promise<boolean> {
    return this.upload(key, body, { ifNoneMatch: "*" }, signal);
  }

  putIfMatch(key: string, body: Uint8Array, expected: string | null, signal: AbortSignal): Promise<boolean> {
    return this.upload(key, body, expected === null ? { ifNoneMatch: "*" } : { ifMatch: expected }, signal);
  }

  /** False when the condition did not hold (412 ConditionNotMet, 409 BlobAlreadyExists). */
  private async upload(
    key: string,
    body: Uint8Array,
    conditions: { ifMatch?: string; ifNoneMatch?: string } | undefined,
    signal: AbortSignal,
  ): Promise<boolean> {
    const blob = this.blob(key);
    const blobHTTPHeaders = {
      blobContentType: key.endsWith(".json") ? "application/json" : "application/x-tar",
    };
    try {
      if (body.length > MULTIPART_BYTES) {
        // Blocks of 8 MiB, 4 at a time; the condition applies to the final commit.
        await blob.uploadData(body, {
          blockSize: 8 * 1024 * 1024,
          concurrency: 4,
          maxSingleShotSize: MULTIPART_BYTES,
          blobHTTPHeaders,
          ...(conditions ? { conditions } : {}),
          abortSignal: signal,
        });
      } else {
        await blob.upload(body, body.length, {
          blobHTTPHeaders,
          ...(conditions ? { conditions } : {}),
          abortSignal: signal,
        });
      }
      return true;
    } catch (err) {
      const status = err instanceof RestError ? err.statusCode : undefined;
      if (!signal.aborted && conditions && (status === 412 || status === 409)) return false;
      throw this.error("put", key, err, signal);
    }
  }
}
