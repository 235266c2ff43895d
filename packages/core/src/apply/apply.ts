// apply: the pending files of a directory onto one PostgreSQL database, in Atlas's order of checks:
// validate the directory -> connect -> lock -> revisions table -> pending -> baseline -> execute.
import type pg from "pg";
import type { TxMode } from "../dir/directives";
import { validateDir } from "../dir/sum";
import type { MigrationDir } from "../dir/types";
import { configError, type ErrorKind, messageOf, RelayError } from "../errors";
import { redact, redactUrl } from "../secrets";
import { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_TX_MODE } from "../settings";
import { notCleanReason } from "./clean";
import type { PostgresTarget } from "./connection";
import { closeQuietly, connect, parsePostgresUrl } from "./connection";
import { prepareFiles, runFiles } from "./execute";
import { sumHashes } from "./hashes";
import { acquireApplyLock, type HeldLock } from "./lock";
import { checkPlanOptions, planPending } from "./plan";
import { emptyResult } from "./result";
import {
  DEFAULT_REVISIONS_SCHEMA,
  ensureRevisionsTable,
  readRevisions,
  revisionsSchemaFor,
  tableState,
  upsertRevision,
} from "./revisions";
import type { ApplyOptions, ApplyResult } from "./types";
import { REVISION_TYPE } from "./types";

const TX_MODES: readonly TxMode[] = ["file", "all", "none"];
const EXEC_ORDERS = ["linear", "linear-skip", "non-linear"];

/** Throws config/input errors for options that make no sense, before anything is read or opened. */
export function checkApplyOptions(options: ApplyOptions): PostgresTarget {
  if (!options.url) throw configError("no database URL: pass --url or set `url` in the env block");
  if (options.txMode && !TX_MODES.includes(options.txMode)) {
    throw new RelayError("input", `unknown tx-mode "${options.txMode}"; use file, all or none`);
  }
  if (options.execOrder && !EXEC_ORDERS.includes(options.execOrder)) {
    throw new RelayError(
      "input",
      `unknown exec-order "${options.execOrder}"; use linear, linear-skip or non-linear`,
    );
  }
  if (options.lockTimeoutMs !== undefined && !(options.lockTimeoutMs >= 0)) {
    throw new RelayError("input", `lock-timeout must be a duration >= 0, got ${options.lockTimeoutMs} ms`);
  }
  checkPlanOptions(options);
  return parsePostgresUrl(options.url);
}

/**
 * Applies `dir` to the database at `options.url`. Bad options throw (config/input); everything that
 * happens on the way (bad atlas.sum, unreachable, lock timeout, a failing statement) is returned in
 * `result.error`, with the files that ran before it in `result.applied`.
 */
export async function applyDir(dir: MigrationDir, options: ApplyOptions): Promise<ApplyResult> {
  const target = checkApplyOptions(options);
  const started = performance.now();
  const result = emptyResult(target.display, options.dryRun === true, options);
  let work: pg.Client | undefined;
  let lockClient: pg.Client | undefined;
  let lock: HeldLock | undefined;
  try {
    if (!options.verified) validateDir(dir); // a broken directory is refused before any connection
    const dryRun = options.dryRun === true;
    // Two connections at once: statements on one, the advisory lock on its own.
    const [w, l] = await Promise.allSettled([
      connect(target, { pipeline: true }),
      dryRun ? Promise.resolve(undefined) : connect(target),
    ]);
    if (w.status === "fulfilled") work = w.value;
    if (l.status === "fulfilled") lockClient = l.value;
    if (w.status === "rejected") throw w.reason;
    if (l.status === "rejected") throw l.reason;
    if (lockClient)
      lock = await acquireApplyLock(
        lockClient,
        options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
        target.display,
      );
    const client = work as pg.Client;

    const schema = revisionsSchemaFor(options.revisionsSchema, target.schema);
    const state = await tableState(client, schema);
    if (!state.tableExists && target.schema && !options.revisionsSchema)
      await checkSchemaClarity(client, target);
    if (!dryRun) await ensureRevisionsTable(client, schema, state);
    const revisions = await readRevisions(client, schema, dryRun ? state.tableExists : true);
    const notClean = revisions.length === 0 ? await notCleanReason(client, target.schema, schema) : null;
    const plan = planPending({ files: dir.files, revisions, notClean, ...options });
    result.current = revisions[revisions.length - 1]?.version ?? plan.baseline?.version ?? "";
    result.pending = plan.run.map((f) => f.name);
    result.target = plan.run[plan.run.length - 1]?.version ?? result.current;
    const prepared = prepareFiles(plan.run, options.txMode ?? DEFAULT_TX_MODE, sumHashes(dir.sum));
    if (dryRun) return result;

    if (plan.baseline) {
      await client.query(
        upsertRevision(schema, {
          version: plan.baseline.version,
          description: plan.baseline.description,
          type: REVISION_TYPE.baseline,
          applied: 0,
          total: 0,
          error: "",
          errorStmt: "",
          hash: "",
          partialHashes: [],
          clock: { executedAt: new Date(), executionTimeNs: 0n },
        }),
      );
    }
    const outcome = await runFiles(prepared, {
      client,
      schema,
      revisions: new Map(revisions.map((r) => [r.version, r])),
      lock,
      secrets: target.secrets,
      onFile: options.onFile,
      signal: options.signal,
      cancel: async () => {
        const pid = (client as unknown as { processID?: number }).processID;
        if (lockClient && pid) await lockClient.query("SELECT pg_cancel_backend($1)", [pid]);
      },
    });
    result.applied = outcome.applied;
    if (outcome.error) result.error = { kind: outcome.error.kind, message: outcome.error.message };
  } catch (err) {
    result.error = { kind: kindOf(err), message: redact(messageOf(err), target.secrets) };
  } finally {
    await lock?.release();
    await Promise.all([closeQuietly(lockClient), closeQuietly(work)]);
    result.ms = Math.round(performance.now() - started);
  }
  return result;
}

/** The kind of an error met outside the files (bookkeeping queries, connections). */
function kindOf(err: unknown): ErrorKind {
  if (err instanceof RelayError) return err.kind;
  const code = (err as { code?: string }).code;
  if (code === "42501") return "unauthorized"; // e.g. no CREATE privilege for the revisions schema
  if (!code || code.startsWith("08") || code.startsWith("57P")) return "unreachable";
  return "migration";
}

/**
 * Atlas's guard for schema-bound URLs: no revisions table in the connected schema but one in the old
 * default schema means we cannot tell which history is meant.
 */
async function checkSchemaClarity(client: pg.Client, target: PostgresTarget): Promise<void> {
  const old = await tableState(client, DEFAULT_REVISIONS_SCHEMA);
  if (!old.tableExists) return;
  throw new RelayError(
    "conflict",
    `ambiguous revision table: none in the connected schema "${target.schema}" but one in "${DEFAULT_REVISIONS_SCHEMA}"; ` +
      `pass revisions-schema ${DEFAULT_REVISIONS_SCHEMA} to keep using it, or revisions-schema ${target.schema} to start a new one (${redactUrl(target.display)})`,
  );
}
