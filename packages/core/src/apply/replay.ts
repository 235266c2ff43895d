// replay: prove a directory applies from empty by running it on a scratch database on the dev server,
// then dropping that database. A scratch database (not a rolled-back transaction) lets `txmode none`
// files (CREATE INDEX CONCURRENTLY, DO blocks that COMMIT) run exactly as they will in production.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { validateDir } from "../dir/sum";
import type { MigrationDir } from "../dir/types";
import { messageOf, RelayError } from "../errors";
import { redact } from "../secrets";
import { closeQuietly, connect, parsePostgresUrl } from "./connection";
import { prepareFiles, runFiles } from "./execute";
import { sumHashes } from "./hashes";

export interface ReplayResult {
  /** Redacted dev URL. */
  url: string;
  /** The scratch database that was created and dropped. */
  database: string;
  files: number;
  statements: number;
  ms: number;
}

const SCRATCH_PREFIX = "migrate_relay_replay_";

/**
 * Runs every file of `dir` on a fresh database next to `devUrl`'s; throws RelayError when one fails.
 * `signal` (SIGINT) cancels the running statement; the scratch database is dropped either way. A run
 * killed outright leaves its database behind: the next run drops those older than a minute that
 * nobody is connected to (the name carries its creation time).
 */
export async function replayDir(
  devUrl: string,
  dir: MigrationDir,
  options: { signal?: AbortSignal } = {},
): Promise<ReplayResult> {
  const started = performance.now();
  const dev = parsePostgresUrl(devUrl);
  validateDir(dir);
  const prepared = prepareFiles(dir.files, "file", sumHashes(dir.sum));
  const database = `${SCRATCH_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(6).toString("hex")}`;
  const admin = await connect(dev);
  await dropLeftovers(admin);
  let scratch: pg.Client | undefined;
  let created = false;
  try {
    try {
      await admin.query(`CREATE DATABASE "${database}" TEMPLATE template0`);
      created = true;
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why = redact(messageOf(err), dev.secrets);
      throw new RelayError(
        code === "42501" ? "config" : "migration",
        `cannot create a scratch database on the dev server ${dev.display}: ${why}` +
          (code === "42501"
            ? "; the dev URL's user needs CREATEDB (a disposable server, e.g. a CI service container)"
            : ""),
      );
    }
    const target = { ...dev, config: { ...dev.config, database }, database };
    scratch = await connect(target, { pipeline: true });
    // A schema-bound dev URL expects its schema to exist, as it does on the dev database itself.
    if (dev.schema && dev.schema !== "public")
      await scratch.query(`CREATE SCHEMA IF NOT EXISTS "${dev.schema.replace(/"/g, '""')}"`);
    const work = scratch;
    const outcome = await runFiles(prepared, {
      client: work,
      revisions: new Map(),
      secrets: dev.secrets,
      signal: options.signal,
      cancel: () =>
        admin.query("SELECT pg_cancel_backend($1)", [(work as unknown as { processID?: number }).processID]),
    });
    if (outcome.error) {
      throw new RelayError(
        outcome.error.kind,
        `replaying the directory on the dev database failed: ${outcome.error.message}`,
        {
          cause: outcome.error,
        },
      );
    }
    return {
      url: dev.display,
      database,
      files: outcome.applied.length,
      statements: outcome.applied.reduce((n, f) => n + f.statements, 0),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await closeQuietly(scratch);
    if (created)
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
    await closeQuietly(admin);
  }
}

/** Scratch databases of killed runs: older than a minute, nobody connected. Best effort. */
async function dropLeftovers(admin: pg.Client): Promise<void> {
  const { rows } = await admin
    .query<{ datname: string }>(
      `SELECT datname FROM pg_database d WHERE datname ~ '^${SCRATCH_PREFIX}[0-9]+_[0-9a-f]+$'
         AND split_part(substr(datname, ${SCRATCH_PREFIX.length + 1}), '_', 1)::bigint < extract(epoch FROM now()) - 60
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    )
    .catch(() => ({ rows: [] as { datname: string }[] }));
  for (const { datname } of rows)
    await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
}
