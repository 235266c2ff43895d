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

/** Runs every file of `dir` on a fresh database next to `devUrl`'s; throws RelayError when one fails. */
export async function replayDir(devUrl: string, dir: MigrationDir): Promise<ReplayResult> {
  const started = performance.now();
  const dev = parsePostgresUrl(devUrl);
  validateDir(dir);
  const prepared = prepareFiles(dir.files, "file", sumHashes(dir.sum));
  const database = `migrate_relay_replay_${randomBytes(6).toString("hex")}`;
  const admin = await connect(dev);
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
    const outcome = await runFiles(prepared, { client: scratch, revisions: new Map(), secrets: dev.secrets });
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
