// Applying 1,000 small migration files to an empty database, against the physical limit and a peer.
// Run: npx vite-node bench/apply.bench.ts [files] [runs]
//
// - migrate-relay: readDir + validate + applyDir (tx-mode file, and all / none for reference), with the
//   revisions table written as Atlas does.
// - psql -1 -f: the same statements concatenated in one file, one transaction, no bookkeeping: the
//   physical limit of sending these statements to this server.
// - dbmate up: the same files in dbmate's format (one transaction per file, schema_migrations table).
// Every run gets a fresh database on one testkit cluster (data in /dev/shm, fsync off); the figure is
// the median wall time, process start and connection included for all three.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { applyDir, hashDir, migrationFile, readDir } from "@migrate-relay/core";
import { findPostgresBin, startPostgres } from "@migrate-relay/testkit";

const run = promisify(execFile);
const FILES = Number(process.argv[2] ?? 1000);
const RUNS = Number(process.argv[3] ?? 5);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * dbmate's npm package ships its binary, but its lock entries name every platform's package and the
 * registry mirror here lacks some, which breaks `npm ci`; so the bench installs it on first use.
 */
async function ensureDbmate(): Promise<string> {
  const prefix = join(root, "node_modules/.cache/bench-dbmate");
  const bin = join(prefix, "node_modules/.bin/dbmate");
  try {
    await run(bin, ["--version"]);
  } catch {
    console.log("installing dbmate@2.36.0 for the bench (once) ...");
    await run("npm", ["install", "--prefix", prefix, "--no-save", "--no-package-lock", "dbmate@2.36.0"]);
  }
  return bin;
}

/** File i: a table, an index and a row: three small statements, as a typical migration. */
function statements(i: number): string[] {
  return [
    `CREATE TABLE t_${i} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());`,
    `CREATE INDEX t_${i}_name ON t_${i} (name);`,
    `INSERT INTO t_${i} (id, name) VALUES (1, 'row ${i}');`,
  ];
}

const version = (i: number) => String(20240101000000 + i);

async function writeInputs(base: string) {
  const atlas = join(base, "atlas");
  const dbmate = join(base, "dbmate");
  await Promise.all([mkdir(atlas), mkdir(dbmate)]);
  const files = [];
  const all: string[] = [];
  for (let i = 1; i <= FILES; i++) {
    const sql = `${statements(i).join("\n")}\n`;
    all.push(sql);
    files.push(migrationFile(`${version(i)}_t${i}.sql`, new TextEncoder().encode(sql)));
    await writeFile(join(atlas, `${version(i)}_t${i}.sql`), sql);
    await writeFile(join(dbmate, `${version(i)}_t${i}.sql`), `-- migrate:up\n${sql}\n-- migrate:down\n`);
  }
  await writeFile(join(atlas, "atlas.sum"), hashDir(files));
  await writeFile(join(base, "all.sql"), all.join(""));
  return { atlas, dbmate, concatenated: join(base, "all.sql") };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const cluster = await startPostgres();
  const base = await mkdtemp(join(tmpdir(), "apply-bench-"));
  try {
    const inputs = await writeInputs(base);
    const psql = join(findPostgresBin(), "psql");
    const url = (db: string) => `postgres://postgres@${cluster.host}:${cluster.port}/${db}?sslmode=disable`;
    const fresh = async () => new URL(await cluster.createDatabase()).pathname.slice(1);

    const dbmateBin = await ensureDbmate();
    const cli = join(root, "dist/cli.js");
    const readTimes: number[] = [];
    const contenders: Record<string, (db: string) => Promise<void>> = {
      "migrate-relay (tx-mode file)": async (db) => {
        const t0 = performance.now();
        const dir = await readDir(`file://${inputs.atlas}`);
        readTimes.push(performance.now() - t0);
        const r = await applyDir(dir, { url: url(db) });
        if (r.error || r.applied.length !== FILES) throw new Error(`apply failed: ${r.error?.message}`);
      },
      // As users run it, like psql and dbmate: process start and loading the bundle included.
      "migrate-relay CLI (dist, file)": async (db) => {
        await run(process.execPath, [cli, "apply", "--url", url(db), "--dir", `file://${inputs.atlas}`], {
          maxBuffer: 64 << 20,
        });
      },
      "migrate-relay (tx-mode all)": async (db) => {
        const r = await applyDir(await readDir(`file://${inputs.atlas}`), { url: url(db), txMode: "all" });
        if (r.error) throw new Error(r.error.message);
      },
      "migrate-relay (tx-mode none)": async (db) => {
        const r = await applyDir(await readDir(`file://${inputs.atlas}`), { url: url(db), txMode: "none" });
        if (r.error) throw new Error(r.error.message);
      },
      "psql -1 -f (limit)": async (db) => {
        await run(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", inputs.concatenated, url(db)], {
          maxBuffer: 64 << 20,
        });
      },
      "dbmate up": async (db) => {
        await run(
          dbmateBin,
          ["--url", url(db), "--migrations-dir", inputs.dbmate, "--no-dump-schema", "up"],
          {
            maxBuffer: 64 << 20,
          },
        );
      },
    };

    const times: Record<string, number[]> = {};
    // Interleave contenders so drift (page cache, autovacuum) hits all of them alike.
    for (let r = 0; r < RUNS; r++) {
      for (const [name, fn] of Object.entries(contenders)) {
        const db = await fresh();
        const t0 = performance.now();
        await fn(db);
        const list = times[name] ?? [];
        list.push(performance.now() - t0);
        times[name] = list;
      }
    }

    const ms = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const limit = ms["psql -1 -f (limit)"]!;
    const dbmate = ms["dbmate up"]!;
    const ours = ms["migrate-relay (tx-mode file)"]!;
    const oursCli = ms["migrate-relay CLI (dist, file)"]!;
    console.log(`apply ${FILES} files x 3 statements to an empty database; median of ${RUNS} runs`);
    console.log("");
    console.log(
      `${"contender".padEnd(30)} ${"ms".padStart(9)} ${"vs psql".padStart(9)} ${"vs dbmate".padStart(10)}`,
    );
    for (const [name, t] of Object.entries(ms)) {
      console.log(
        `${name.padEnd(30)} ${t.toFixed(0).padStart(9)} ${(t / limit).toFixed(2).padStart(8)}x ${(t / dbmate).toFixed(2).padStart(9)}x`,
      );
    }
    const read = median(readTimes);
    console.log(
      `  of which readDir (${FILES} files from disk): ${read.toFixed(0)} ms; applyDir alone: ${(ours - read).toFixed(0)} ms`,
    );
    console.log(
      `  applyDir alone: ${((ours - read) / limit).toFixed(2)}x psql, dbmate ${(dbmate / (ours - read)).toFixed(2)}x slower`,
    );
    console.log(
      "  (the tx-mode rows run in this process; the CLI row, like psql and dbmate, includes process start)",
    );
    console.log("");
    const goalLimit = ours / limit <= 1.5;
    const goalPeer = dbmate / ours >= 1.5;
    console.log(
      `tx-mode file / psql -1 -f = ${(ours / limit).toFixed(2)} (goal <= 1.5): ${goalLimit ? "met" : "MISSED"}`,
    );
    console.log(
      `dbmate / tx-mode file     = ${(dbmate / ours).toFixed(2)}x faster (goal >= 1.5): ${goalPeer ? "met" : "MISSED"}`,
    );
    console.log(
      `as processes: CLI / psql = ${(oursCli / limit).toFixed(2)}, dbmate / CLI = ${(dbmate / oursCli).toFixed(2)}x faster`,
    );
  } finally {
    await rm(base, { recursive: true, force: true });
    await cluster.stop();
  }
}

await main();
