import type { S3ClientConfig } from "@aws-sdk/client-s3";
import { configError, inputError } from "../errors";
import { CLI_HINTS, type Hints } from "../hints";
import { redactUrl } from "../secrets";
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS } from "../settings";
import { BlobReplica, type BlobStore } from "./blob";
import { CloudReplica, DEFAULT_CLOUD_URL } from "./cloud";
import { checkFileRoot, FileStore } from "./file";
import { checkSlug } from "./names";
import type { S3Location } from "./s3";
import { lazyStore, openStore, type StoreOptions } from "./stores";
import type { Replica } from "./types";
import { parseReplicaUrl, type ReplicaSpec } from "./url";

export interface OpenReplicaOptions {
  /** Repository name: the folder under an s3/file URL's prefix. Required for s3:// and file://. */
  repo?: string;
  /** Base for relative file:// URLs. */
  cwd?: string;
  /** Registry endpoint (replaces the whole default URL) and bearer token, for atlas:// URLs. */
  cloudUrl?: string;
  cloudToken?: string;
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
  /** Extra S3 client settings (e.g. explicit credentials); the default credential chain otherwise. */
  s3?: Partial<S3ClientConfig>;
  /** gs:// client settings (e.g. `apiEndpoint`); Application Default Credentials otherwise. */
  gcs?: StoreOptions["gcs"];
  /** The front end's words in hints (default the CLI's). */
  hints?: Hints;
}

/** Parses, validates and opens one replica. Nothing is contacted or written here. */
export function openReplica(url: string, options: OpenReplicaOptions = {}): Replica {
  return openSpec(parseReplicaUrl(url, options.cwd), options);
}

export function openSpec(spec: ReplicaSpec, options: OpenReplicaOptions = {}): Replica {
  const connectMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const hints = options.hints ?? CLI_HINTS;
  if (spec.kind === "cloud") {
    const token = options.cloudToken;
    if (!token) {
      throw configError(
        `atlas://${spec.slug} needs a cloud token: set atlas { cloud { token } }, ${hints.cloudToken}`,
      );
    }
    const endpoint = options.cloudUrl || DEFAULT_CLOUD_URL;
    let parsed: URL;
    try {
      parsed = new URL(endpoint);
    } catch {
      throw inputError(`cloud URL "${redactUrl(endpoint)}" is not a URL`);
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
      throw inputError("cloud URL must be http(s)");
    return new CloudReplica({
      slug: spec.slug,
      endpoint,
      token,
      timeouts: { connectMs, totalMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS },
      ...(spec.ref ? { ref: spec.ref } : {}),
      hints,
    });
  }
  if (!options.repo)
    throw configError(`${spec.display}: a repository name is needed (repo { name }, ${hints.dirName})`);
  const repo = checkSlug(options.repo);
  if (spec.kind === "file") {
    return new BlobReplica(
      "file",
      spec.display,
      new FileStore(checkFileRoot(spec.root), spec.display),
      `${repo}/`,
    );
  }
  if (spec.kind !== "s3") {
    const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    const store = openStore(spec, { callTimeoutMs, ...(options.gcs ? { gcs: options.gcs } : {}) });
    return new BlobReplica(spec.kind, spec.display, store, `${repo}/`);
  }
  const store = lazyS3Store(spec.location, spec.display, { connectMs, extra: options.s3 });
  return new BlobReplica("s3", spec.display, store, `${repo}/`);
}

/**
 * The AWS SDK is loaded on first use, not at start-up: an apply served by the registry or a folder
 * never pays the ~60 ms it takes to load.
 */
function lazyS3Store(
  location: S3Location,
  display: string,
  client: { connectMs: number; extra: Partial<S3ClientConfig> | undefined },
): BlobStore {
  return lazyStore(() =>
    Promise.all([import("@aws-sdk/client-s3"), import("./s3")]).then(
      ([{ S3Client }, { S3Store, s3ClientConfig }]) =>
        new S3Store(
          new S3Client({ ...s3ClientConfig(location, client.connectMs), ...client.extra }),
          location,
          display,
        ),
    ),
  );
}
