// The commit chain: a file's message runs only if the file before it committed.
//
// Pipelined files are all on the wire before any answer is read, so "stop after a failure" cannot be
// decided by the client. The server decides: just before its COMMIT each file sets a session setting
// to its own mark (set_config(..., false)); a setting changed in a transaction that does not commit
// is rolled back with it (PostgreSQL docs, set_config). The next file's message starts, after BEGIN,
// with a check that fails unless the setting holds its predecessor's mark. A failed file (rejected at
// parse time, failed at run time, or failed at COMMIT) leaves the old mark, so every file behind it
// fails at its check, and so on down the queue: none of their statements run.
import { randomBytes } from "node:crypto";

const SETTING = "migrate_relay.committed";

export interface ChainLink {
  /** First statement after BEGIN: fails unless the previous file's mark is set. */
  check: string;
  /** Last statement before COMMIT: this file's mark. */
  mark: string;
}

export class CommitChain {
  /** Per run, so a mark left in the session by anything earlier never matches. */
  private readonly run = randomBytes(8).toString("hex");
  private count = 0;

  /** Sets the first mark (run before the first file). */
  start(): string {
    return setMark(this.markOf(0));
  }

  /** The check and mark of the next file in run order. */
  next(): ChainLink {
    const previous = this.markOf(this.count);
    this.count++;
    return { check: checkMark(previous), mark: setMark(this.markOf(this.count)) };
  }

  private markOf(n: number): string {
    return `${this.run}:${n}`;
  }
}

const setMark = (mark: string) => `SELECT pg_catalog.set_config('${SETTING}', '${mark}', false)`;

/**
 * Casting the message text to int is the error (no plpgsql needed). The condition reads a setting, so
 * the planner cannot fold the CASE away and the cast only runs on a mismatch.
 */
const checkMark = (mark: string) =>
  `SELECT (CASE WHEN pg_catalog.current_setting('${SETTING}', true) = '${mark}' THEN '1' ELSE 'the previous migration file did not commit' END)::int`;
