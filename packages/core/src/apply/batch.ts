// One simple-query message holding many statements, with the commands that completed counted, so a
// failure can be pinned to the statement that caused it (the server stops at the first error).
import pg from "pg";

export interface BatchOutcome {
  /** Command tags of the statements that completed, in order. */
  completed: string[];
  /** The error that stopped the batch (server error, or the connection failing). */
  error?: Error & { code?: string; severity?: string };
}

/**
 * pg's own Query (so it may share a pipelined connection) that also records the tag of every command
 * that completed.
 */
class CountingQuery extends pg.Query {
  readonly completed: string[] = [];
  handleCommandComplete(msg: { text?: string }, connection: unknown): void {
    this.completed.push(msg.text ?? "");
    (pg.Query.prototype as unknown as QueryInternals).handleCommandComplete.call(this, msg, connection);
  }
}
interface QueryInternals {
  handleCommandComplete(msg: unknown, connection: unknown): void;
}

/** Sends `text` as one Query message; resolves (never rejects) once the server is done with it. */
export function runBatch(client: pg.Client, text: string): Promise<BatchOutcome> {
  return new Promise((resolve) => {
    const query: CountingQuery = new CountingQuery(text, (error) => {
      resolve({ completed: query.completed, ...(error ? { error } : {}) });
    });
    client.query(query);
  });
}

/**
 * Parses `sql` as one statement without running it (extended protocol Parse + Sync); resolves to the
 * server's error, if any. Raw parsing only for DDL; for queries the server also resolves names.
 */
export function parsesAlone(client: pg.Client, sql: string): Promise<BatchOutcome["error"]> {
  return new Promise((resolve) => {
    const query = new pg.Query(sql, undefined, (error) => resolve(error ?? undefined));
    // Only the submit differs from pg's Query: Parse of the unnamed statement, then Sync.
    (query as unknown as { submit: (c: pg.Connection) => null }).submit = (connection) => {
      connection.parse({ text: sql, name: "", types: [] }, false);
      connection.sync();
      return null;
    };
    client.query(query);
  });
}

/**
 * True when `sql` holds no statement, only comments, whitespace and semicolons: the server sends no
 * CommandComplete for such a piece of a multi-statement message.
 */
export function isBlankSql(sql: string): boolean {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === ";") i++;
    else if (sql.startsWith("--", i)) {
      const nl = sql.indexOf("\n", i);
      i = nl === -1 ? sql.length : nl + 1;
    } else if (sql.startsWith("/*", i)) {
      let depth = 1; // PostgreSQL block comments nest
      i += 2;
      while (i < sql.length && depth > 0) {
        const step = sql.startsWith("/*", i) ? 1 : sql.startsWith("*/", i) ? -1 : 0;
        depth += step;
        i += step === 0 ? 1 : 2;
      }
    } else return false;
  }
  return true;
}

/**
 * Ends a statement for concatenation. The separator goes on its own line, so a trailing `--` comment
 * cannot swallow it; an extra `;` is an empty statement, which the server skips silently.
 */
export const terminated = (sql: string): string => `${sql}\n;`;
