// The result of a run that never reached its database, or failed before it could: the directory
// could not be read or did not verify, or the target was not started. One constructor, so core, the
// CLI and the actions agree on its shape (apply's and status's).
import type { ErrorKind, RelayError } from "../errors";
import { messageOf } from "../errors";
import type { Attempt } from "../replica/types";
import type { StatusResult } from "./status";
import type { AppliedState, ApplyResult } from "./types";

/** Where a run's directory came from, when it was read through the relay. */
export interface DirOrigin {
  /** The replica that served it (redacted URL). */
  source?: string;
  /** Every replica tried, in order. */
  trail?: Attempt[];
  /** The state read: tag, version, digest, commit, push time, lagging backups. */
  state?: AppliedState;
}

/** The origin's fields that are set (results and their JSON carry no `undefined` keys). */
export const originOf = (from: DirOrigin): DirOrigin => ({
  ...(from.source !== undefined ? { source: from.source } : {}),
  ...(from.trail !== undefined ? { trail: from.trail } : {}),
  ...(from.state !== undefined ? { state: from.state } : {}),
});

export interface Failure {
  kind: ErrorKind;
  message: string;
}

/** A RelayError met before the run, as a result's error; a failed read (PullError) keeps its trail. */
export function failureOf(err: RelayError): { error: Failure; trail?: Attempt[] } {
  const trail = (err as { trail?: Attempt[] }).trail;
  return { error: { kind: err.kind, message: messageOf(err) }, ...(trail ? { trail } : {}) };
}

/** A run with nothing done yet: `url` is the database's redacted URL. */
export const emptyResult = (url: string, dryRun: boolean, from: DirOrigin = {}): ApplyResult => ({
  url,
  current: "",
  target: "",
  pending: [],
  applied: [],
  dryRun,
  ms: 0,
  ...originOf(from),
});

/** A run that failed before its first file: nothing planned, nothing applied. */
export const failedResult = (
  url: string,
  dryRun: boolean,
  error: Failure,
  from: DirOrigin = {},
): ApplyResult => ({
  ...emptyResult(url, dryRun, from),
  error,
});

/** A status with nothing read yet: `url` is the database's redacted URL. */
export const emptyStatus = (url: string, revisionsSchema: string, from: DirOrigin = {}): StatusResult => ({
  url,
  status: "OK",
  current: "",
  next: "",
  executed: 0,
  pending: [],
  revisionsSchema,
  ...originOf(from),
});

/** A status that could not be read (the directory or the database). */
export const failedStatus = (url: string, error: Failure, from: DirOrigin = {}): StatusResult => ({
  ...emptyStatus(url, "", from),
  error,
});
