// Runs migration files on one connection in tx-mode file / all / none, writing revisions as Atlas does.
//
// Round trips: in file and all mode a file goes to the server as one simple-query message
// (BEGIN; chain check; statements; the revision upsert; chain mark; COMMIT), so a file costs one round
// trip, and up to PIPELINE_DEPTH files are in flight at once. The server stops at
// the first error; counting the commands that completed before it names the failing statement (blank
// statements, which complete nothing, are skipped in that count). Files with a custom delimiter may hold
// several SQL statements in one "statement", so they run one statement per message instead. In none
// mode each statement runs on its own, followed by the revision write that makes resume possible.
import type pg from "pg";
import type { TxMode } from "../dir/directives";
import { fileDirectives } from "../dir/directives";
import { fileStatements } from "../dir/split";
import type { MigrationFile } from "../dir/types";
import { messageOf, RelayError } from "../errors";
import { redact } from "../secrets";
import { isBlankSql, parsesAlone, runBatch, terminated } from "./batch";
import { type ChainLink, CommitChain } from "./chain";
import { statementHashes } from "./hashes";
import type { HeldLock } from "./lock";
import { FILE_CLOCK_SQL, inlineQuery, upsertRevision } from "./revisions";
import type { AppliedFile, Revision, StatementError } from "./types";
import { REVISION_TYPE } from "./types";

export interface PreparedFile {
  file: MigrationFile;
  mode: TxMode;
  statements: { text: string; line: number }[];
  /** Cumulative statement hashes (base64, no prefix). */
  hashes: string[];
  /** The file's atlas.sum hash (no prefix). */
  sumHash: string;
  /** One SQL statement per split statement (default delimiter): the file may go as one message. */
  batchable: boolean;
  /** The file ends or starts transactions itself (COMMIT, BEGIN, ...): nothing may be queued behind it. */
  endsTx: boolean;
}

const TX_CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT|PREPARE\s+TRANSACTION)\b/i;

/** Directives, tx mode (with Atlas's conflict rule) and statements of each file, before anything runs. */
export function prepareFiles(
  files: readonly MigrationFile[],
  globalMode: TxMode,
  sums: ReadonlyMap<string, string>,
): PreparedFile[] {
  return files.map((file) => {
    const directives = fileDirectives(file.content, file.name);
    let mode = globalMode;
    const own = directives.txmode;
    if (own && own !== globalMode) {
      if (globalMode === "all") {
        throw new RelayError(
          "migration",
          `cannot set txmode directive to "${own}" in "${file.name}" when txmode "all" is set globally`,
        );
      }
      mode = own;
    }
    checkUtf8(file);
    let statements: PreparedFile["statements"];
    try {
      statements = fileStatements(file).map((s) => ({ text: s.text, line: s.line }));
    } catch (err) {
      throw new RelayError("migration", `${file.name}: cannot split statements: ${messageOf(err)}`, {
        cause: err,
      });
    }
    return {
      file,
      mode,
      statements,
      hashes: statementHashes(statements.map((s) => s.text)),
      sumHash: sums.get(file.name) ?? "",
      batchable: directives.delimiter === undefined,
      endsTx: statements.some((st) => TX_CONTROL.test(st.text)),
    };
  });
}

/**
 * The connection's client_encoding is UTF8 (pg's), so the server takes a file's bytes only when they are
 * valid UTF-8: anything else would be replaced on the way and applied as other text than the file and
 * its atlas.sum line hold. Refused before anything runs, naming where.
 */
function checkUtf8(file: MigrationFile): void {
  const at = invalidUtf8At(file.content);
  if (at === -1) return;
  const bytes = file.content.subarray(at, at + 4);
  let line = 1;
  for (let i = 0; i < at; i++) if (file.content[i] === 0x0a) line++;
  const shown = Array.from(bytes.subarray(0, 2), (b) => `0x${b.toString(16).padStart(2, "0")}`).join(" ");
  throw new RelayError(
    "migration",
    `${file.name}: line ${line}, byte offset ${at}: the bytes ${shown} are not valid UTF-8, the encoding the server is sent; save the file as UTF-8 (nothing was run)`,
  );
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Offset of the first byte that does not start a valid UTF-8 sequence, or -1. */
export function invalidUtf8At(bytes: Uint8Array): number {
  try {
    strictUtf8.decode(bytes);
    return -1;
  } catch {}
  for (let i = 0; i < bytes.length; ) {
    const n = utf8SequenceLength(bytes, i);
    if (n === 0) return i;
    i += n;
  }
  return -1;
}

/** Length of the valid UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or > U+10FFFF), or 0. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const x = b[i + k];
    return x !== undefined && x >= lo && x <= hi;
  };
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

export interface RunContext {
  client: pg.Client;
  /** Revisions schema; undefined for a replay, which records nothing. */
  schema?: string;
  /** Revisions by version (for resuming a partially applied file). */
  revisions: ReadonlyMap<string, Revision>;
  lock?: HeldLock;
  secrets: readonly string[];
  onFile?: (file: AppliedFile) => void;
  signal?: AbortSignal;
  /** Cancels the statement running on `client` (from another connection). */
  cancel?: () => Promise<unknown>;
}

export interface RunOutcome {
  applied: AppliedFile[];
  error?: RelayError;
}

const H1 = "h1:";
const stripH1 = (h: string) => (h.startsWith(H1) ? h.slice(H1.length) : h);

/** Server-side session failures: the connection is gone, whatever statement was running. */
const CONNECTION_LOST = new Set(["57P01", "57P02", "57P03", "08000", "08003", "08006"]);
function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === undefined ? true : CONNECTION_LOST.has(code);
}

/** Files in flight at once on the connection (tx-mode file/all); see runFiles. */
const PIPELINE_DEPTH = 32;

/**
 * Runs the files in order; stops at the first failure. tx-mode all wraps every file in one transaction.
 *
 * Transactional files are pipelined: up to PIPELINE_DEPTH files are on the wire before the first
 * answer is read. What keeps a file from running after a failed one is the commit chain (chain.ts):
 * each file's message first checks the mark its predecessor sets just before its COMMIT, and a mark
 * set in a transaction that did not commit does not exist. So whatever happened to the predecessor
 * (a message rejected at parse time, a run-time error, a failed COMMIT), every file queued behind it
 * fails at its check and changes nothing. Files that end the transaction themselves, files with a
 * custom delimiter and none-mode files wait for everything before them.
 */
export async function runFiles(files: readonly PreparedFile[], ctx: RunContext): Promise<RunOutcome> {
  const applied: AppliedFile[] = [];
  const all = files.length > 0 && files.every((f) => f.mode === "all");
  const inFlight: Promise<FileOutcome>[] = [];
  let failed: RelayError | undefined;
  let lastEnd = performance.now();
  // Takes the oldest file's outcome; after a failure, files behind it report only if they really ran.
  const settleOldest = async () => {
    const done = await (inFlight.shift() as Promise<FileOutcome>);
    const ms = done.end - Math.max(done.start, lastEnd);
    lastEnd = done.end;
    done.file.ms = Math.round(ms * 10) / 10;
    if (failed && done.error) return;
    applied.push(done.file);
    ctx.onFile?.(done.file);
    if (done.error) failed = done.error;
  };
  const drain = async () => {
    while (inFlight.length) await settleOldest();
  };
  // The statement running when the signal comes is cancelled: its file fails and rolls back, and the
  // commit chain keeps everything queued behind it from running.
  const onAbort = () => void ctx.cancel?.().catch(() => undefined);
  ctx.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    // Resume checks first: a changed history must stop the run before anything is sent.
    const skips = new Map(files.map((pf) => [pf, resumePoint(pf, ctx.revisions.get(pf.file.version))]));
    if (all) await ctx.client.query("BEGIN");
    const chain = new CommitChain();
    await ctx.client.query(chain.start());
    for (const pf of files) {
      if (ctx.signal?.aborted) {
        await drain();
        failed ??= interrupted(ctx.signal, `stopped before ${pf.file.name}`);
      }
      const lost = ctx.lock?.lost();
      if (lost) {
        await drain();
        failed ??= new RelayError(
          "unreachable",
          `lost the apply lock (its connection failed: ${redact(lost.message, ctx.secrets)}); stopped before ${pf.file.name}`,
        );
      }
      if (failed) break;
      const pipelined = pf.mode !== "none" && pf.batchable && !pf.endsTx;
      if (!pipelined) await drain();
      if (failed) break;
      const link = pf.mode === "none" ? undefined : chain.next();
      inFlight.push(runFile(pf, ctx, skips.get(pf) ?? 0, link));
      if (!pipelined || inFlight.length >= PIPELINE_DEPTH) await settleOldest();
    }
    await drain();
    if (all && !failed) {
      const { command } = await ctx.client.query("COMMIT");
      if (command !== "COMMIT")
        throw new RelayError("migration", "the transaction of tx-mode all did not commit");
    }
  } catch (err) {
    await drain().catch(() => undefined);
    failed ??= runError(err, ctx);
  } finally {
    ctx.signal?.removeEventListener("abort", onAbort);
  }
  if (failed && ctx.signal?.aborted && !failed.message.startsWith("interrupted"))
    failed = interrupted(ctx.signal, failed.message);
  if (failed) {
    // Ends the failed file's aborted transaction block (tx-mode all: the run's), after everything queued.
    await ctx.client.query("ROLLBACK").catch(() => undefined);
    if (all) for (const f of applied) if (!f.error) f.rolledBack = true;
  }
  return failed ? { applied, error: failed } : { applied };
}

function interrupted(signal: AbortSignal, what: string): RelayError {
  const by = typeof signal.reason === "string" ? signal.reason : "a signal";
  return new RelayError("migration", `interrupted by ${by}: ${what}`);
}

/** An error met while running files (a query, a lost connection) as a RelayError, its text redacted. */
function runError(err: unknown, ctx: RunContext): RelayError {
  if (err instanceof RelayError) return err;
  const message = redact(messageOf(err), ctx.secrets);
  if (isConnectionError(err))
    return new RelayError("unreachable", `connection lost: ${message}`, { cause: err });
  return new RelayError("migration", message, { cause: err });
}

interface FileOutcome {
  file: AppliedFile;
  error?: RelayError;
  /** performance.now() when the file was sent and when its answer was in. */
  start: number;
  end: number;
}

/** Verifies the statements an earlier run applied are unchanged; returns how many to skip. */
function resumePoint(pf: PreparedFile, existing: Revision | undefined): number {
  if (!existing || existing.applied === 0) return 0;
  for (let i = 0; i < existing.applied; i++) {
    const stored = existing.partialHashes[i];
    if (i >= pf.hashes.length || stored === undefined || pf.hashes[i] !== stripH1(stored)) {
      throw new RelayError(
        "conflict",
        `history changed: statement ${i + 1} from file "${pf.file.name}" changed`,
      );
    }
  }
  return existing.applied;
}

async function runFile(
  pf: PreparedFile,
  ctx: RunContext,
  skip: number,
  link: ChainLink | undefined,
): Promise<FileOutcome> {
  const start = performance.now();
  const existing = ctx.revisions.get(pf.file.version);
  const result: AppliedFile = {
    name: pf.file.name,
    version: pf.file.version,
    description: pf.file.description,
    txMode: pf.mode,
    ms: 0,
    statements: 0,
    total: pf.statements.length,
    skipped: skip,
    startedAt: Date.now(),
  };
  const outcome =
    pf.mode === "none" || !link
      ? await runNone(pf, ctx, existing, skip)
      : await runInTx(pf, ctx, existing, skip, link);
  result.statements = outcome.executed;
  result.stmts = pf.statements.slice(skip, skip + outcome.executed).map((s) => s.text);
  if (outcome.failed) result.error = outcome.failed;
  return { file: result, error: outcome.error, start, end: performance.now() };
}

interface StepOutcome {
  executed: number;
  failed?: StatementError;
  error?: RelayError;
}

function revisionFor(pf: PreparedFile, existing: Revision | undefined, applied: number) {
  return {
    version: pf.file.version,
    description: existing?.description ?? pf.file.description,
    type: existing?.type ?? REVISION_TYPE.execute,
    applied,
    total: pf.statements.length,
    error: "",
    errorStmt: "",
    hash: pf.sumHash,
    partialHashes: pf.hashes.slice(0, applied).map((h) => H1 + h),
  };
}

/**
 * What went wrong in statement `index`. `offset` is where the statement starts in the message the
 * server saw, so a syntax error's position becomes a line of the file.
 */
function statementError(
  pf: PreparedFile,
  index: number,
  err: unknown,
  secrets: readonly string[],
  offset = 0,
): StatementError {
  const e = err as { message?: string; code?: string; detail?: string; hint?: string; position?: string };
  const stmt = pf.statements[index]!;
  const local = e?.position ? Number(e.position) - 1 - offset : -1;
  const chars = Array.from(stmt.text);
  const at =
    local >= 0 && local <= chars.length ? stmt.line + countLines(chars.slice(0, local).join("")) : undefined;
  return {
    stmt: stmt.text,
    text: redact(e?.message ?? String(err), secrets),
    index: index + 1,
    line: stmt.line,
    ...(at !== undefined && at !== stmt.line ? { at } : {}),
    ...(e?.code ? { code: e.code } : {}),
    ...(e?.detail ? { detail: redact(e.detail, secrets) } : {}),
    ...(e?.hint ? { hint: redact(e.hint, secrets) } : {}),
  };
}

const countLines = (text: string) => text.split("\n").length - 1;
/** The server counts positions in characters; JS strings count UTF-16 units. */
function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const excerpt = (sql: string) => {
  const one = sql.trim().replace(/\s+/g, " ");
  return one.length > 200 ? `${one.slice(0, 200)}...` : one;
};

function failure(pf: PreparedFile, failed: StatementError, after: string, lost: boolean): RelayError {
  const head = lost
    ? `connection lost while applying ${pf.file.name} at statement ${failed.index} (line ${failed.line}): ${failed.text}`
    : `${pf.file.name}: statement ${failed.index} (line ${failed.line}) failed${failed.at ? ` at line ${failed.at}` : ""}: ${failed.text}${failed.code ? ` [${failed.code}]` : ""}`;
  const more = [failed.detail && `\n  detail: ${failed.detail}`, failed.hint && `\n  hint: ${failed.hint}`];
  return new RelayError(
    lost ? "unreachable" : "migration",
    `${head}; ${after}${more.filter(Boolean).join("")}\n  statement: ${excerpt(failed.stmt)}`,
  );
}

/** tx-mode file (own BEGIN/COMMIT) or all (inside the run's transaction). */
async function runInTx(
  pf: PreparedFile,
  ctx: RunContext,
  existing: Revision | undefined,
  skip: number,
  link: ChainLink,
): Promise<StepOutcome> {
  const own = pf.mode === "file";
  const head: [string, string][] = [];
  if (own) head.push(["BEGIN", "BEGIN"]);
  head.push(["checking the previous file committed", link.check]);
  if (ctx.schema && !own) head.push(["starting the file clock", FILE_CLOCK_SQL]);
  const upsert = ctx.schema
    ? inlineQuery(
        upsertRevision(ctx.schema, {
          ...revisionFor(pf, existing, pf.statements.length),
          clock: own ? "tx" : "marked",
        }),
      )
    : undefined;
  // Deferred constraints fail here, inside the transaction, rather than at COMMIT: the error then
  // belongs to the file with a clear step name (the chain would stop the run either way).
  const tail: [string, string][] = [
    ...(own
      ? ([["checking deferred constraints", "SET CONSTRAINTS ALL IMMEDIATE"]] as [string, string][])
      : []),
    ...(upsert ? ([["recording the revision", upsert]] as [string, string][]) : []),
    ["marking the file committed", link.mark],
    ...(own ? ([["COMMIT", "COMMIT"]] as [string, string][]) : []),
  ];
  // Every piece of the file's message, and whom an error in it belongs to: a statement index or a step.
  const pieces: Piece[] = [
    ...head.map(([step, sql]): Piece => ({ sql, owner: step, blank: false })),
    ...pf.statements
      .slice(skip)
      .map((st, i): Piece => ({ sql: st.text, owner: skip + i, blank: pf.batchable && isBlankSql(st.text) })),
    ...tail.map(([step, sql]): Piece => ({ sql, owner: step, blank: false })),
  ];
  const outcome = pf.batchable
    ? await runAsOneMessage(ctx.client, pieces)
    : await runOneByOne(ctx.client, pieces);
  const { completed, error, failedAt } = outcome;
  const executed = completed.filter((p) => typeof p.owner === "number").length;
  const lost = error !== undefined && isConnectionError(error);
  const after = afterFailure(pf, completed, lost && typeof failedAt?.owner !== "number");
  if (!error) {
    const last = completed[completed.length - 1];
    if (own && last?.tag !== "COMMIT") {
      const why = `the server answered ${last?.tag ?? "nothing"}`;
      const failed = stepError("COMMIT", { message: `COMMIT failed (${why})` }, ctx.secrets);
      return {
        executed: 0,
        failed,
        error: new RelayError("migration", `${pf.file.name}: ${failed.text}; ${after}`),
      };
    }
    return { executed };
  }
  // No ROLLBACK here: runFiles ends the aborted block once everything queued has answered.
  const owner = failedAt?.owner;
  if (typeof owner === "number") {
    const failed = statementError(pf, owner, error, ctx.secrets, failedAt?.offset ?? 0);
    return { executed, failed, error: failure(pf, failed, after, lost) };
  }
  const failed = stepError(owner ?? "the file", error, ctx.secrets);
  const message = `${pf.file.name}: ${failed.step} failed: ${failed.text}; ${after}`;
  return {
    executed: 0,
    failed,
    error: new RelayError(lost ? "unreachable" : "migration", message, { cause: error }),
  };
}

const OWN_COMMIT = /^\s*(COMMIT|END)\b/i;

/**
 * What a failure leaves of the file, said only when true: a COMMIT of the file's own keeps what came
 * before it, and a connection lost at COMMIT leaves the outcome to the server.
 */
function afterFailure(pf: PreparedFile, completed: readonly Piece[], lostAtTail: boolean): string {
  if (pf.mode === "all") return "the run's transaction was rolled back";
  if (lostAtTail)
    return "the file's transaction is rolled back unless its COMMIT reached the server first (migrate-relay status tells)";
  const kept = completed.filter((p) => typeof p.owner === "number" && OWN_COMMIT.test(p.sql));
  const last = kept[kept.length - 1];
  if (typeof last?.owner === "number")
    return `statements 1-${last.owner + 1} were committed by the file's own ${last.sql.trim().split(/\s/)[0]} and stay applied (not recorded); the rest was rolled back`;
  return "the file's transaction was rolled back; nothing of it is applied";
}

/** A failure of the tool's own SQL around the file: the file failed, without a statement of its own. */
function stepError(
  step: string,
  err: { message?: string; code?: string },
  secrets: readonly string[],
): StatementError {
  return {
    stmt: "",
    step,
    text: redact(err.message ?? String(err), secrets),
    index: 0,
    line: 0,
    ...(err.code ? { code: err.code } : {}),
  };
}

interface Piece {
  sql: string;
  owner: number | string;
  /** Only comments or `;`: completes no command on the server. */
  blank: boolean;
  /** Where the piece starts in the message the server saw, in characters. */
  offset?: number;
}

interface PiecesOutcome {
  /** The pieces that completed, with the server's command tag. */
  completed: (Piece & { tag: string })[];
  error?: Error & { code?: string; position?: string };
  failedAt?: Piece;
}

/**
 * All pieces in one Query message. The server parses the whole message first, so a syntax error
 * stops it before anything runs: its position says which piece. A run-time error comes after the
 * pieces that completed, counted by their CommandComplete.
 */
async function runAsOneMessage(client: pg.Client, pieces: Piece[]): Promise<PiecesOutcome> {
  let at = 0;
  const spans: [number, number][] = [];
  const texts = pieces.map((p) => {
    p.offset = at;
    const text = terminated(p.sql);
    const length = codePoints(text);
    spans.push([at, at + length]);
    at += length + 1;
    return text;
  });
  const { completed: tags, error } = await runBatch(client, texts.join("\n"));
  const counted = pieces.filter((p) => !p.blank);
  const completed = tags.map((tag, i) => ({ ...(counted[i] as Piece), tag }));
  if (!error) return { completed };
  const position = Number((error as { position?: string }).position ?? 0) - 1;
  const hit = position >= 0 ? spans.findIndex(([from, to]) => position >= from && position < to) : -1;
  const byPosition = hit === -1 ? undefined : pieces[hit];
  const failedAt = byPosition ?? (tags.length === 0 ? await rejectedPiece(client, pieces, error) : undefined);
  return { completed, error, failedAt: failedAt ?? counted[tags.length] };
}

/**
 * The server rejected the message before running any of it, without a position (an invalid escape in
 * a literal, say): the user's statement that fails the same way when parsed alone is the culprit.
 * The run stops at this file whatever the answer, so the aborted block (tx-mode all, or files queued
 * behind, which all failed their chain check) is ended first: a parse in it would only say "aborted".
 */
async function rejectedPiece(client: pg.Client, pieces: Piece[], error: Error & { code?: string }) {
  if (isConnectionError(error)) return undefined;
  if ((await runBatch(client, "ROLLBACK")).error) return undefined;
  for (const piece of pieces) {
    if (typeof piece.owner !== "number" || piece.blank) continue;
    const e = await parsesAlone(client, piece.sql);
    if (e && e.code === error.code && e.message === error.message) return { ...piece, offset: undefined };
  }
  return undefined;
}

/** One Query message per piece (files with a custom delimiter: a piece may hold several statements). */
async function runOneByOne(client: pg.Client, pieces: Piece[]): Promise<PiecesOutcome> {
  const completed: PiecesOutcome["completed"] = [];
  for (const piece of pieces) {
    const r = await runBatch(client, piece.sql);
    if (r.error) return { completed, error: r.error, failedAt: { ...piece, offset: 0 } };
    completed.push({ ...piece, tag: r.completed[r.completed.length - 1] ?? "" });
  }
  return { completed };
}

/** tx-mode none: statement by statement, each followed by the revision write that records it. */
async function runNone(
  pf: PreparedFile,
  ctx: RunContext,
  existing: Revision | undefined,
  skip: number,
): Promise<StepOutcome> {
  const { client, schema } = ctx;
  const executedAt = new Date();
  const t0 = performance.now();
  const write = async (applied: number, error?: StatementError) => {
    if (!schema) return;
    const w = {
      ...revisionFor(pf, existing, applied),
      ...(error ? { error: error.text, errorStmt: error.stmt } : {}),
      clock: { executedAt, executionTimeNs: BigInt(Math.round((performance.now() - t0) * 1e6)) },
    };
    await client.query(upsertRevision(schema, w));
  };
  let applied = skip;
  let unrecorded = 0;
  try {
    await write(applied); // marks the file as started, as Atlas does
    for (; applied < pf.statements.length; applied++) {
      if (ctx.signal?.aborted) {
        const after = `statements 1-${applied} stay applied and recorded; the next apply resumes at statement ${applied + 1}`;
        const error = interrupted(ctx.signal, `${pf.file.name}: ${after}`);
        return { executed: applied - skip, failed: stepError("interrupted", error, []), error };
      }
      try {
        await client.query(pf.statements[applied]!.text);
      } catch (err) {
        const failed = statementError(pf, applied, err, ctx.secrets);
        const lost = isConnectionError(err);
        if (!lost) await write(applied, failed).catch(() => undefined);
        const kept = applied > 0 ? `statements 1-${applied} stay applied and recorded; ` : "";
        const after = `${kept}the next apply resumes at statement ${applied + 1} (fix it first if it is wrong)`;
        return { executed: applied - skip, failed, error: failure(pf, failed, after, lost) };
      }
      unrecorded = applied + 1;
      await write(applied + 1);
      unrecorded = 0;
    }
  } catch (err) {
    const e = runError(err, ctx);
    const what = unrecorded
      ? `recording statement ${unrecorded} failed: ${e.message}; it ran but is not recorded, so the next apply runs it again`
      : `recording the file's start failed: ${e.message}`;
    const message = `${pf.file.name}: ${what}`;
    const failed = stepError("recording the revision", e, []);
    return { executed: applied - skip, failed, error: new RelayError(e.kind, message, { cause: err }) };
  }
  return { executed: applied - skip };
}
