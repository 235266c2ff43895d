import type { ExecOrder } from "../config/types";
import type { TxMode } from "../dir/directives";
import type { ErrorKind } from "../errors";
import type { Attempt } from "../replica/types";

/** Options of one apply run against one database. */
export interface ApplyOptions {
  /** Target database URL (`postgres://` or `postgresql://`). */
  url: string;
  /** Transaction mode for files without a `-- atlas:txmode` directive. Default "file". */
  txMode?: TxMode;
  /** Default "linear". */
  execOrder?: ExecOrder;
  /** First run on a non-clean database: mark this version as the baseline and apply what follows. */
  baseline?: string;
  /** First run on a non-clean database: apply everything anyway. */
  allowDirty?: boolean;
  /** Apply at most this many pending files (>= 1). */
  amount?: number;
  /** Apply pending files up to and including this version. */
  toVersion?: string;
  /** Report what would run; write nothing (no table, no lock, no baseline row). */
  dryRun?: boolean;
  /** Schema of atlas_schema_revisions; default: the URL's search_path, else "atlas_schema_revisions". */
  revisionsSchema?: string;
  /** How long to wait for another apply's advisory lock, in ms. Default 10 000. */
  lockTimeoutMs?: number;
  /**
   * Aborted (e.g. on SIGINT): no further file is sent, the running statement is cancelled so its file
   * rolls back (tx-mode none: stays resumable), the lock is released and the run ends with an error.
   */
  signal?: AbortSignal;
  /** Called after each file finished (ok or failed), for one log line per file. */
  onFile?: (file: AppliedFile) => void;
  /** Where the directory came from, when it was read through the relay (copied into the result). */
  source?: string;
  trail?: Attempt[];
  /** Which state was read (copied into the result): what the summary and JSON name as applied. */
  state?: AppliedState;
  /** The caller already checked the directory against its atlas.sum (a fleet verifies it once). */
  verified?: boolean;
}

/** The state a run applied, named so a user can find it again. */
export interface AppliedState {
  /** The tag it was read by (`latest`), when read by tag. */
  tag?: string;
  version: string;
  digest: string;
  commit?: string;
  /** ISO 8601. */
  pushedAt?: string;
  /** Backups found behind it while reading (registry down), e.g. `s3://b/p (at 000002)`. */
  lagging?: string[];
}

export interface StatementError {
  /** The failing statement's text ("" when the tool's own step around the file failed: see `step`). */
  stmt: string;
  /** Set when no statement of the file failed but a step around it did (BEGIN, recording, COMMIT). */
  step?: string;
  /** The server's message. */
  text: string;
  /** 1-based index of the statement in its file (0 for a step). */
  index: number;
  /** 1-based line of the statement in its file. */
  line: number;
  /** Line of the file the server's error position points at (syntax errors), when not `line`. */
  at?: number;
  /** SQLSTATE, when the server sent one. */
  code?: string;
  /** The server's DETAIL and HINT, when sent. */
  detail?: string;
  hint?: string;
}

export interface AppliedFile {
  name: string;
  version: string;
  description: string;
  /** Transaction mode the file ran in. */
  txMode: TxMode;
  /** Wall time for this file in this run, ms. */
  ms: number;
  /** Statements executed in this run (skipped, already applied statements of a resumed file excluded). */
  statements: number;
  /** Statements in the file. */
  total: number;
  /** Statements skipped because an earlier run had applied them (resume of a `none` file). */
  skipped: number;
  /** The statements this run executed successfully, in order (Atlas's per-file `Applied`). */
  stmts?: string[];
  /** When the file started, epoch ms (Atlas's per-file `Start`; `End` is start + ms). */
  startedAt?: number;
  /** Set when a statement failed. */
  error?: StatementError;
  /** tx-mode all: the file ran, but the run's transaction was rolled back by a later failure. */
  rolledBack?: boolean;
}

export interface ApplyResult {
  /** Redacted database URL. */
  url: string;
  /** Version the database was at before this run ("" when nothing was applied yet). */
  current: string;
  /** Version the run aims for: the last pending file (or current when nothing is pending). */
  target: string;
  /** Names of the files pending before this run, in the order they would run. */
  pending: string[];
  /** Files this run executed (the last one may have failed). */
  applied: AppliedFile[];
  dryRun: boolean;
  /** Wall time of the whole run, ms. */
  ms: number;
  /** Set when the run failed; everything before the failure is in `applied`. */
  error?: { kind: ErrorKind; message: string };
  /** Where the directory came from (relay), when known. */
  source?: string;
  trail?: Attempt[];
  state?: AppliedState;
}

/** A row of atlas_schema_revisions, as Atlas writes it. */
export interface Revision {
  version: string;
  description: string;
  /** Bits: 1 baseline, 2 applied (executed), 4 manually set (resolved). */
  type: number;
  applied: number;
  total: number;
  executedAt: Date;
  /** Nanoseconds. */
  executionTime: bigint;
  error: string;
  errorStmt: string;
  /** The file's hash from atlas.sum, without `h1:`. */
  hash: string;
  /** Cumulative statement hashes, each `h1:<base64>`; one per applied statement. */
  partialHashes: string[];
  operatorVersion: string;
}

export const REVISION_TYPE = { baseline: 1, execute: 2, resolved: 4 } as const;
