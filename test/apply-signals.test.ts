// The CLI as a process (dist/cli.js, as users run it): SIGINT/SIGTERM during apply, and a closed stdout.
import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeDir } from "@migrate-relay/core";
import { memDir, publicTables, query, revisionRows, testCluster, testDatabase } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";

const cli = join(dirname(fileURLToPath(import.meta.url)), "..", "dist/cli.js");
const withSsl = (url: string) => `${url}?sslmode=disable`;
const dbName = (url: string) => new URL(url).pathname.slice(1);

async function dirOf(files: Record<string, string>) {
  const path = join(await mkdtemp(join(tmpdir(), "apply-signals-")), "migrations");
  await writeDir(path, memDir(files));
  return `file://${path}`;
}

function start(args: string[]) {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    err += d;
  });
  const exit = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, out, err })),
  );
  return { child, exit };
}

async function waitForQuery(db: string, text: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const rows = await query(
      testCluster().adminUrl,
      "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND strpos(query, $2) > 0 AND pid <> pg_backend_pid()",
      [db, text],
    );
    if (rows.length) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no backend ran ${text}`);
}

const advisoryLocks = (url: string) => query(url, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory'");

describe("migrate-relay apply as a process", () => {
  for (const [signal, txMode] of [
    ["SIGINT", "file"],
    ["SIGTERM", "all"],
    ["SIGINT", "none"],
  ] as const) {
    it(`${signal} in tx-mode ${txMode}: the current file stops, the lock is released, exit 1 saying what was applied`, async () => {
      const url = withSsl(await testDatabase());
      const dir = await dirOf({
        "1_a.sql": "CREATE TABLE a (id int);",
        "2_b.sql": "CREATE TABLE b (id int);\nSELECT pg_sleep(60);\nCREATE TABLE b2 (id int);\n",
        "3_c.sql": "CREATE TABLE c (id int);",
      });
      const { child, exit } = start(["apply", "--url", url, "--dir", dir, "--tx-mode", txMode]);
      await waitForQuery(dbName(url), "pg_sleep(60)");
      child.kill(signal);
      const r = await exit;
      expect(r.code).toBe(1);
      expect(r.err).toContain(`interrupted by ${signal}`);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
      const versions = (await revisionRows(url)).map((x) => [x.version, x.applied]);
      if (txMode === "file") {
        expect(r.err).toMatch(/ok {3}1_a\.sql/); // progress goes to stderr
        expect(versions).toEqual([["1", "1"]]);
        expect(await publicTables(url)).toEqual(["a"]);
      } else if (txMode === "all") {
        expect(versions).toEqual([]);
        expect(await publicTables(url)).toEqual([]);
      } else {
        // none: the cancelled statement is recorded as failed; the next run resumes there.
        expect(versions).toEqual([
          ["1", "1"],
          ["2", "1"],
        ]);
        expect(await publicTables(url)).toEqual(["a", "b"]);
      }
      expect(await advisoryLocks(url)).toEqual([]);
    });
  }

  it("a closed stdout (| head) neither stops the apply nor prints a stack trace", async () => {
    const url = withSsl(await testDatabase());
    const files: Record<string, string> = {};
    for (let i = 1; i <= 300; i++)
      files[`${String(i).padStart(3, "0")}_t.sql`] = `CREATE TABLE t${i} (id int);`;
    const dir = await dirOf(files);
    const { child, exit } = start(["apply", "--url", url, "--dir", dir]);
    child.stdout.destroy(); // the reader goes away before the first line
    const r = await exit;
    // Progress goes on to stderr; no EPIPE and no stack trace from the closed stdout.
    expect(r.err).not.toMatch(/EPIPE|\n\s+at |Error/);
    expect(r.code).toBe(0);
    expect(await revisionRows(url)).toHaveLength(300);
  });
});
