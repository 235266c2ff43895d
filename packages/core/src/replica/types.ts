// One interface for every place a repository's states live: the cloud registry, S3, a directory.

import type { ErrorKind } from "../errors";

/** Which state to read: a tag (`latest` by default) or the state whose last file is a version. */
export type StateRef = { tag: string } | { version: string };

/** Where a state came from, recorded in manifests (all optional: a laptop push has none). */
export interface StateSource {
  commit?: string;
  ref?: string;
  run?: string;
}

/** What a push publishes: one archive, its identity, and the pointers to write. */
export interface State {
  /** Repository name (slug): the registry slug and the folder in blob layouts. */
  repo: string;
  /** The directory archive (docs/architecture.md): these bytes travel everywhere unchanged. */
  archive: Uint8Array;
  /** `sha256:<hex>` of `archive`. */
  digest: string;
  /** Version of the last migration file. */
  version: string;
  /** The whole atlas.sum text: `latest` moves only when the new one extends the old one. */
  sum: string;
  /** Number of migration files. */
  files: number;
  /** Tag to write (also the registry tag). */
  tag: string;
  /** Move `latest` (the default). */
  latest: boolean;
  /** Move `latest` even when the new state does not extend the one it points to. */
  force: boolean;
  source?: StateSource;
  /** Where the push runs, for the registry's `diffSyncDir` (Atlas's RunContext); absent when unknown. */
  context?: RunContext;
  /** When the state was first pushed (ISO 8601); sync keeps the original's. Default: now. */
  pushedAt?: string;
}

/**
 * Atlas's RunContext (ariga/atlas atlasexec/atlas.go): where a push was triggered. Sent with the
 * registry's `diffSyncDir`, the way atlas-action fills it (atlasaction/action.go GetRunContext).
 */
export interface RunContext {
  repo?: string;
  path?: string;
  branch?: string;
  commit?: string;
  url?: string;
  username?: string;
  userID?: string;
  scmType?: "GITHUB" | "GITLAB" | "BITBUCKET" | "AZURE_DEVOPS";
}

/** What a replica's `latest` points at, read once before a push decides whether to move it. */
export interface LatestState {
  digest: string;
  /** Version of its last file ("" when unknown). */
  version: string;
  /** Its whole atlas.sum; omitted when the digest equals the one the reader was told it knows. */
  sum?: string;
}

/** The small JSON written to versions/<v>.json and tags/<tag>.json on blob replicas. */
export interface Manifest {
  digest: string;
  version: string;
  sum: string;
  files: number;
  pushedAt: string;
  source: StateSource;
}

export interface Published {
  /** Archive bytes sent over the wire (0 when the replica already had them). */
  bytes: number;
  /** The archive was already present and not uploaded again. */
  skipped: boolean;
  /** Whether `latest` now points at this state; undefined where the replica decides itself (cloud). */
  latestMoved?: boolean;
  /** Anything a user should know: why latest did not move, a consistency caveat. */
  note?: string;
  /** A link to the state (registry only). */
  link?: string;
}

export interface Fetched {
  archive: Uint8Array;
  /** The digest the replica's manifest promises; undefined where there is no manifest (cloud). */
  digest?: string;
  manifest?: Manifest;
}

/** Called between the archive upload and the first manifest write; throwing aborts the commit. */
export type CommitGate = () => Promise<void>;

export interface PublishOptions {
  signal: AbortSignal;
  /** What this replica's `latest` pointed at before the push (read by relay/push); null: nothing. */
  current?: LatestState | null;
  /** Blob replicas wait for this before writing any pointer (see relay/push: the license gate). */
  beforeCommit?: CommitGate;
}

export interface Replica {
  readonly kind: "cloud" | "s3" | "gs" | "azblob" | "oci" | "file";
  /** The URL with secrets redacted: safe for logs, results and summaries. */
  readonly display: string;
  /** The ref named in the URL itself (`atlas://app?tag=x`), if any. */
  readonly ref?: StateRef;
  publish(state: State, options: PublishOptions): Promise<Published>;
  fetch(ref: StateRef, signal: AbortSignal): Promise<Fetched>;
  /**
   * What `latest` points at (null when nothing), with its atlas.sum unless its digest is `known`
   * (the state about to be pushed: nothing to compare).
   */
  readLatest(known: string, signal: AbortSignal): Promise<LatestState | null>;
  /**
   * Blob replicas: the manifest a ref points to, without the archive (null when absent). The
   * registry has no manifests: callers fetch the archive instead.
   */
  manifest?(ref: StateRef, signal: AbortSignal): Promise<Manifest | null>;
  /** Blob replicas: the archive a manifest names (the state behind a manifest read earlier). */
  fetchManifest?(manifest: Manifest, signal: AbortSignal): Promise<Fetched>;
  /** Blob replicas: the tags held (`latest` included). The registry lists none. */
  tags?(signal: AbortSignal): Promise<string[]>;
}

/** One replica tried by a read (a turn on the fallback trail): its outcome and time. */
export interface Attempt {
  url: string;
  kind: Replica["kind"];
  outcome: "ok" | "failed";
  error?: string;
  errorKind?: ErrorKind;
  /** Whether the failure allowed moving on to the next replica. */
  eligible?: boolean;
  /** What was verified, or why the replica was used despite the registry being down. */
  note?: string;
  ms: number;
}
