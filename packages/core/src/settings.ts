// Settings: the one rule for which value wins (explicit > env > default), every default, and the
// kinds of URL. The CLI (flags), the actions (inputs) and core itself take their defaults from here,
// so a default is typed once. A leaf module: it imports nothing.

/** Not given: undefined or "" (an action input that was not set reads ""). */
export const given = <T>(value: T | "" | undefined): T | undefined =>
  value === undefined || value === "" ? undefined : value;

/**
 * Explicit value (a CLI flag, an action input) > the atlas.hcl env's attribute > the default.
 * "" counts as not given at every level.
 */
export function setting<T>(explicit: T | "" | undefined, env: T | "" | undefined, fallback: T): T;
export function setting<T>(explicit: T | "" | undefined, env: T | "" | undefined): T | undefined;
export function setting<T>(explicit: T | "" | undefined, env: T | "" | undefined, fallback?: T) {
  return given(explicit) ?? given(env) ?? fallback;
}

/** How a setting is called in messages: `--amount` (CLI), `input "amount"` (actions). */
export type SettingName = (setting: string) => string;
export const flagName: SettingName = (setting) => `--${setting}`;

/** Where a setting comes from when nothing names it. */
export const DEFAULT_CONFIG = "file://atlas.hcl";
export const DEFAULT_DIR = "file://migrations";
export const DEFAULT_TAG = "latest";
/** Apply: the transaction mode of a file without `atlas:txmode`, and what to do with files added out of order. */
export const DEFAULT_TX_MODE = "file";
export const DEFAULT_EXEC_ORDER = "linear";

/** Push: per target for its whole turn (retries included), and extra attempts after a transient error. */
export const DEFAULT_PUSH_TIMEOUT_MS = 60_000;
export const DEFAULT_PUSH_RETRIES = 2;
/** Pull (apply's fallback read): per replica before moving on; no retry, the next replica is the retry. */
export const DEFAULT_PULL_TIMEOUT_MS = 10_000;
export const DEFAULT_PULL_RETRIES = 0;
/** verify: per replica for its reads; sync: extra attempts per copy. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 10_000;
export const DEFAULT_HEALTH_RETRIES = 0;
export const DEFAULT_SYNC_RETRIES = 2;
/** Opening a replica's connection; one registry call (the per-target deadline bounds the rest). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
/** Apply: waiting for another apply's advisory lock; PostgreSQL's connect timeout (libpq's `connect_timeout` overrides). */
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
export const DEFAULT_PG_CONNECT_TIMEOUT_MS = 10_000;
/** Apply to several targets: how many at once. */
export const DEFAULT_PARALLELISM = 4;
/** Reporting a deployment to the registry (best effort). */
export const DEFAULT_REPORT_TIMEOUT_MS = 10_000;
/** atlas.hcl's runtimevar data source, as Atlas (gocloud) waits. */
export const DEFAULT_RUNTIMEVAR_TIMEOUT_MS = 10_000;
/** How long a license grant lets work go on without the registry. */
export const DEFAULT_GRANT_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** `atlas://repo[?tag=..]`: a state in the registry (and its backups), not a local directory. */
export const isRegistryUrl = (url: string): boolean => /^atlas:\/\//i.test(url);
