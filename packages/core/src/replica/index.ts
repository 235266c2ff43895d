export { type Blob, BlobReplica, type BlobStore } from "./blob";
export { CloudReplica, DEFAULT_CLOUD_URL, interpret } from "./cloud";
export type * from "./deployment";
export { deadlineSignal } from "./http";
export { extendsSum, type NotExtending, parseManifest } from "./manifest";
export { checkSlug, checkTag, checkVersion } from "./names";
export { type OpenReplicaOptions, openReplica, openSpec } from "./open";
export * from "./types";
export { parseReplicaUrl, type ReplicaSpec } from "./url";
