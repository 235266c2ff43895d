// The apply invariant as a property (issue 9): seeded rounds, each a random directory with one injected
// fault, in each tx mode. After the faulty run and again after the fix and a re-run, the schema, the
// data and the revisions equal a reference that psql builds by running what the server should have run:
// every file before the failed one, the failed one as its tx mode leaves it.
//
// Seeds: APPLY_PROPERTY_SEEDS=<n> runs n seeds (default 5: 15 rounds, 3 per fault kind, the CI set), APPLY_PROPERTY_SEED=<s> starts
// at seed s (default 1). Each seed runs once per tx mode; the fault kind rotates with the seed.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ApplyResult,
  applyDir,
  hashDir,
  migrationFile,
  type TxMode,
  writeDir,
} from "@migrate-relay/core";
import { findPostgresBin, query, testCluster, testDatabase } from "@migrate-relay/testkit";
import { afterAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SEEDS = Number(process.env.APPLY_PROPERTY_SEEDS ?? 5);
const FIRST = Number(process.env.APPLY_PROPERTY_SEED ?? 1);
const MODES: TxMode[] = ["file", "all", "none"];
const KINDS = ["parse", "runtime", "bytes", "terminate", "kill"] as const;
type Kind = (typeof KINDS)[number];

/** psql is the reference: without it the property cannot be checked, which is a failure, not a skip. */
function psqlPath(): string {
  const candidates = [join(findPostgresBin(), "psql"), "/usr/bin/psql"];
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new Error(`psql not found (looked at ${candidates.join(", ")}): install postgresql-client`);
  return found;
}

/** mulberry32: small, seedable, good enough to pick shapes. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface GenFile {
  name: string;
  version: string;
  none: boolean;
  stmts: string[];
}
interface Fault {
  kind: Kind;
  file: number;
  stmt: number;
}
const FAULT_SQL: Record<Kind, string> = {
  parse: "SELEC 1;",
  runtime: "SELECT 1/0;",
  bytes: "SELECT 'caf\u0000';", // the NUL stands for the Latin-1 byte 0xE9, swapped in when encoding
  terminate: "SELECT pg_sleep(30);",
  kill: "SELECT pg_sleep(2);",
};
const FIXED_SQL = "SELECT 'café';";
/** The fix: the fault statement becomes a harmless one. A kill's marker ran (the server finishes what
 * it received), so it stays: changing an applied statement of a none file is "history changed". */
const fix = (s: string) => (s !== FAULT_SQL.kill && Object.values(FAULT_SQL).includes(s) ? FIXED_SQL : s);
const isCommit = (s: string) => s === "COMMIT;";

/**
 * 1-200 files (most small), 1-20 idempotent statements each, so a file that ran in part before its own
 * COMMIT converges when run again. Some files are txmode none (not under tx-mode all, which refuses
 * them), some COMMIT inside. One fault statement is inserted somewhere.
 */
function generate(seed: number, mode: TxMode, kind: Kind): { files: GenFile[]; fault: Fault } {
  const r = rng(seed * 7919 + MODES.indexOf(mode));
  const n = 1 + Math.floor(r() ** 4 * 200);
  const files: GenFile[] = [];
  for (let i = 1; i <= n; i++) {
    const v = String(i).padStart(3, "0");
    const stmts: string[] = [];
    if (i === 1) stmts.push("CREATE TABLE IF NOT EXISTS log (f int, s int, PRIMARY KEY (f, s));");
    stmts.push(`CREATE TABLE IF NOT EXISTS t_${v} (id int PRIMARY KEY, v text);`);
    const count = Math.floor(r() ** 2 * 19);
    for (let s = 0; s < count; s++) {
      const pick = r();
      if (pick < 0.4) stmts.push(`INSERT INTO log VALUES (${i}, ${s}) ON CONFLICT DO NOTHING;`);
      else if (pick < 0.7) stmts.push(`INSERT INTO t_${v} VALUES (${s}, 'r${s}') ON CONFLICT DO NOTHING;`);
      else if (pick < 0.85) stmts.push(`ALTER TABLE t_${v} ADD COLUMN IF NOT EXISTS c${s} int;`);
      else stmts.push(`CREATE INDEX IF NOT EXISTS t_${v}_i${s} ON t_${v} (v);`);
    }
    const none = mode === "file" && r() < 0.15;
    if (!none && r() < 0.12) stmts.splice(1 + Math.floor(r() * stmts.length), 0, "COMMIT;");
    files.push({ name: `${v}_f.sql`, version: v, none, stmts });
  }
  const file = Math.floor(r() * n);
  const stmt = Math.floor(r() * (files[file]!.stmts.length + 1));
  files[file]!.stmts.splice(stmt, 0, FAULT_SQL[kind]);
  return { files, fault: { kind, file, stmt } };
}

const enc = new TextEncoder();
function bytesOf(f: GenFile, fixed: boolean): Uint8Array {
  const head = f.none ? "-- atlas:txmode none\n\n" : "";
  const text = head + f.stmts.map((s) => (fixed ? fix(s) : s)).join("\n");
  const bytes = enc.encode(`${text}\n`);
  return fixed ? bytes : bytes.map((b) => (b === 0 ? 0xe9 : b));
}
function migrationDir(files: GenFile[], fixed: boolean) {
  const list = files.map((f) => migrationFile(f.name, bytesOf(f, fixed)));
  return { files: list, sum: hashDir(list) };
}

/** Where the run stops: a failing statement, or (stmt undefined) after `file` files in full. */
interface Stop {
  file: number;
  stmt?: number;
  /** A message the server rejects whole: nothing of a transactional file runs. */
  wholeMessage?: boolean;
}

/**
 * What the server should have run, as one psql script: revisions go to ref.rev. A transactional file is
 * one message: BEGIN (tx-mode file, or an implicit block once an inner COMMIT ended the run's
 * transaction under tx-mode all) ... COMMIT; the rest of a message after an inner COMMIT is a block of
 * its own. A none file runs statement by statement, recording each.
 */
function referenceScript(files: GenFile[], mode: TxMode, stop: Stop | undefined): string {
  const out = [
    "CREATE SCHEMA ref;",
    "CREATE TABLE ref.rev (version text PRIMARY KEY, applied int, total int);",
  ];
  const rev = (f: GenFile, applied: number) =>
    `INSERT INTO ref.rev VALUES ('${f.version}', ${applied}, ${f.stmts.length}) ON CONFLICT (version) DO UPDATE SET applied = EXCLUDED.applied;`;
  let inRunTx = mode === "all";
  if (inRunTx) out.push("BEGIN;");
  const last = stop ? (stop.stmt === undefined ? stop.file - 1 : stop.file) : files.length - 1;
  for (let i = 0; i <= last; i++) {
    const f = files[i]!;
    const failing = stop?.stmt !== undefined && i === stop.file;
    const upto = failing ? (stop?.stmt as number) : f.stmts.length;
    if (f.none || mode === "none") {
      out.push(rev(f, 0));
      for (let s = 0; s < upto; s++) {
        if (!isCommit(f.stmts[s]!)) out.push(f.stmts[s]!);
        out.push(rev(f, s + 1));
      }
      continue;
    }
    if (failing && stop?.wholeMessage) break;
    const own = !inRunTx;
    if (own) out.push("BEGIN;");
    for (let s = 0; s < upto; s++) {
      out.push(f.stmts[s]!);
      if (isCommit(f.stmts[s]!)) {
        out.push("BEGIN;");
        inRunTx = false;
      }
    }
    if (failing) break;
    out.push(rev(f, f.stmts.length));
    if (own || !inRunTx) out.push("COMMIT;");
  }
  out.push(stop?.stmt !== undefined ? "ROLLBACK;" : inRunTx ? "COMMIT;" : "");
  return out.join("\n");
}

async function reference(script: string): Promise<Snapshot> {
  const url = await testDatabase();
  await new Promise<void>((resolve, reject) => {
    const p = spawn(psqlPath(), ["-X", "-q", "-v", "ON_ERROR_STOP=1", url], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    let err = "";
    p.stderr.on("data", (d) => {
      err += d;
    });
    p.on("error", reject);
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`psql failed (${code}): ${err}`))));
    p.stdin.end(`SET client_min_messages = error;\n${script}\n`);
  });
  return snapshot(url, "SELECT version, applied, total FROM ref.rev ORDER BY version");
}

interface Snapshot {
  columns: unknown;
  indexes: unknown;
  data: Record<string, string[]>;
  revisions: { version: string; applied: number; total: number }[];
}

async function snapshot(url: string, revisionsSql: string): Promise<Snapshot> {
  const columns = await query(
    url,
    "SELECT table_name, column_name, data_type, ordinal_position FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 4",
  );
  const indexes = (
    await query<{ d: string }>(
      url,
      "SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
    )
  ).map((r) => r.d);
  const tables = await query<{ t: string; x: string }>(
    url,
    "SELECT c.relname AS t, table_to_xml(c.oid::regclass, true, false, '')::text AS x FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1",
  );
  const data = Object.fromEntries(tables.map((r) => [r.t, r.x.split("<row>").slice(1).sort()]));
  const revisions = (
    await query<{ version: string; applied: string | number; total: string | number }>(
      url,
      revisionsSql,
    ).catch(() => [])
  ).map((r) => ({ version: r.version, applied: Number(r.applied), total: Number(r.total) }));
  return { columns, indexes, data, revisions };
}
const ours = (url: string) =>
  snapshot(
    url,
    "SELECT version, applied, total FROM atlas_schema_revisions.atlas_schema_revisions ORDER BY version",
  );

const dbName = (url: string) => new URL(url).pathname.slice(1);

/** Polls until a backend of `db` runs a query containing `text`; false if `done` settles first. */
async function waitForQuery(
  db: string,
  text: string,
  done: { settled: boolean },
): Promise<number | undefined> {
  const admin = testCluster().adminUrl;
  while (!done.settled) {
    const rows = await query<{ pid: number }>(
      admin,
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND strpos(query, $2) > 0 AND pid <> pg_backend_pid()",
      [db, text],
    );
    if (rows[0]) return rows[0].pid;
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

/** Waits until no backend is connected to `db` (a killed client's server side finishes on its own). */
async function waitIdle(db: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    const rows = await query(testCluster().adminUrl, "SELECT 1 FROM pg_stat_activity WHERE datname = $1", [
      db,
    ]);
    if (rows.length === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`backends of ${db} did not finish`);
}

/** The faulty run: in-process, except `kill`, which runs the CLI as a process and SIGKILLs it. */
async function faultyRun(
  url: string,
  files: GenFile[],
  mode: TxMode,
  fault: Fault,
): Promise<ApplyResult | undefined> {
  const dir = migrationDir(files, false);
  const db = dbName(url);
  if (fault.kind === "kill") {
    const path = join(await mkdtemp(join(tmpdir(), "apply-property-")), "migrations");
    await writeDir(path, dir);
    const child = spawn(
      process.execPath,
      [join(root, "dist/cli.js"), "apply", "--url", url, "--dir", `file://${path}`, "--tx-mode", mode],
      {
        stdio: "ignore",
      },
    );
    const done = { settled: false };
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => {
        done.settled = true;
        resolve(code);
      }),
    );
    const pid = await waitForQuery(db, FAULT_SQL.kill, done);
    child.kill("SIGKILL");
    await exited;
    expect(pid, "the CLI reached the marker statement before it exited").toBeDefined();
    await waitIdle(db);
    return undefined;
  }
  const done = { settled: false };
  const running = applyDir(dir, { url, txMode: mode }).finally(() => {
    done.settled = true;
  });
  if (fault.kind === "terminate") {
    const pid = await waitForQuery(db, FAULT_SQL.terminate, done);
    expect(pid, "the apply reached the statement to terminate").toBeDefined();
    await query(testCluster().adminUrl, "SELECT pg_terminate_backend($1)", [pid]);
  }
  const result = await running;
  await waitIdle(db);
  return result;
}

/** Where a killed run stopped, read from its revisions: whole files, then maybe a none file in part. */
function stopOfKilled(files: GenFile[], revs: Snapshot["revisions"]): Stop {
  let m = 0;
  while (m < revs.length && revs[m]!.applied === revs[m]!.total && revs[m]!.version === files[m]!.version)
    m++;
  const partial = revs[m];
  expect(revs.length - m, "rows after the prefix: at most one partial none file").toBeLessThanOrEqual(1);
  if (partial) {
    expect(partial.version).toBe(files[m]!.version);
    return { file: m, stmt: partial.applied };
  }
  return { file: m };
}

const counts: Record<string, number> = {};
let rounds = 0;

describe("apply: the invariant as a property (seeded random directories, one fault each)", () => {
  afterAll(() => {
    const kinds = KINDS.map((k) => `${k} ${counts[k] ?? 0}`).join(", ");
    console.log(
      `apply property: ${rounds} rounds (seeds ${FIRST}-${FIRST + SEEDS - 1} x ${MODES.join("/")}); faults: ${kinds}`,
    );
  });

  for (let seed = FIRST; seed < FIRST + SEEDS; seed++) {
    const kind = KINDS[(seed - 1) % KINDS.length]!;
    for (const mode of MODES) {
      it(`seed ${seed}, tx-mode ${mode}, fault ${kind}`, async () => {
        const { files, fault } = generate(seed, mode, kind);
        if (process.env.APPLY_PROPERTY_DEBUG)
          console.log(
            JSON.stringify({ fault, around: files.slice(Math.max(0, fault.file - 1), fault.file + 2) }),
          );
        const url = `${await testDatabase()}?sslmode=disable`;
        const result = await faultyRun(url, files, mode, fault);
        const after = await ours(url);
        let stop: Stop;
        if (kind === "kill") stop = stopOfKilled(files, after.revisions);
        else if (kind === "bytes")
          stop = { file: 0 }; // refused before anything runs
        else stop = { file: fault.file, stmt: fault.stmt, wholeMessage: kind === "parse" };
        if (kind !== "kill") {
          expect(result?.error, "the run failed").toBeDefined();
          expect(result?.error?.message).toContain(files[fault.file]!.name);
        }
        let expected = await reference(referenceScript(files, mode, stop));
        // A killed client: the server may have run a file's message up to the file's own COMMIT only.
        const innerCommits = files[stop.file]?.stmts.flatMap((s, i) => (isCommit(s) ? [i + 1] : [])) ?? [];
        if (kind === "kill" && stop.stmt === undefined && !equal(after, expected)) {
          for (const at of innerCommits) {
            const candidate = await reference(referenceScript(files, mode, { file: stop.file, stmt: at }));
            if (equal(after, candidate)) expected = candidate;
          }
        }
        expect(
          after,
          `after the faulty run (fault at file ${fault.file + 1}, statement ${fault.stmt + 1})`,
        ).toEqual(expected);

        const fixed = await applyDir(migrationDir(files, true), { url, txMode: mode });
        expect(fixed.error?.message).toBeUndefined();
        const fixedFiles = files.map((f) => ({
          ...f,
          stmts: f.stmts.map(fix),
        }));
        expect(await ours(url), "after the fix and a re-run").toEqual(
          await reference(referenceScript(fixedFiles, mode, undefined)),
        );
        counts[kind] = (counts[kind] ?? 0) + 1;
        rounds++;
      });
    }
  }
});

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
