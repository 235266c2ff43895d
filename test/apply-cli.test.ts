// `migrate-relay apply` and `status`, run in-process against a real server.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@migrate-relay/cli";
import { writeDir } from "@migrate-relay/core";
import { memDir, revisionRows, testDatabase } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";

async function project(files: Record<string, string>) {
  const cwd = await mkdtemp(join(tmpdir(), "apply-cli-"));
  await writeDir(join(cwd, "migrations"), memDir(files));
  return cwd;
}

async function cli(argv: string[], cwd: string, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const FILES = {
  "1_a.sql": "CREATE TABLE a (id int);",
  "2_b.sql": "CREATE TABLE b (id int);\nCREATE TABLE c (id int);",
};

describe("migrate-relay apply / status", () => {
  it("applies with --url --dir, one line per file; status then says OK", async () => {
    const cwd = await project(FILES);
    const url = `${await testDatabase()}?sslmode=disable`;
    const before = await cli(["status", "--url", url, "--dir", "file://migrations"], cwd);
    expect(before.code).toBe(0);
    expect(before.out).toMatch(/Migration Status: PENDING[\s\S]*Pending Files:\s+2/);

    const applied = await cli(["apply", "--url", url, "--dir", "file://migrations"], cwd);
    expect(applied.code).toBe(0);
    // Progress on stderr, Atlas's report on stdout.
    expect(applied.err).toMatch(/ok {3}1_a\.sql 1 statement /);
    expect(applied.err).toMatch(/ok {3}2_b\.sql 2 statements /);
    expect(applied.err).toMatch(/Migrated to version 2 from \(empty\) \(2 files, 3 statements/);
    expect(applied.out).toMatch(
      /^Migrating to version 2 \(2 migrations in total\):\n\n {2}-- migrating version 1\n {4}-> CREATE TABLE a \(id int\);\n {2}-- ok \(/,
    );
    expect(applied.out).toMatch(/ {2}-- 2 migrations\n {2}-- 3 sql statements$/);

    const after = await cli(["status", "--url", url, "--dir", "file://migrations", "--format", "json"], cwd);
    expect(JSON.parse(after.out)).toMatchObject({
      Status: "OK",
      Current: "2",
      Next: "Already at latest version",
    });
    expect(JSON.parse(after.out).Pending).toBeUndefined();
  });

  it("reads url and dir from atlas.hcl with --config --env, and prints result objects with --format json", async () => {
    const cwd = await project(FILES);
    await writeFile(
      join(cwd, "atlas.hcl"),
      'env "test" {\n  url = getenv("DB_URL")\n  migration {\n    dir = "file://migrations"\n  }\n}\n',
    );
    const url = `${await testDatabase()}?sslmode=disable`;
    const r = await cli(
      ["apply", "--config", "file://atlas.hcl", "--env", "test", "--format", "json", "--amount", "1"],
      cwd,
      {
        DB_URL: url,
      },
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({
      Target: "1",
      Pending: [{ Name: "1_a.sql", Version: "1", Description: "a" }],
      Applied: [{ Name: "1_a.sql", Applied: ["CREATE TABLE a (id int);"] }],
    });
    expect(result.Current).toBeUndefined();
    expect(await revisionRows(url)).toHaveLength(1);
  });

  it("exits 1 when a statement fails and 2 on bad usage", async () => {
    const cwd = await project({ "1_a.sql": "SELECT 1/0;" });
    const url = `${await testDatabase()}?sslmode=disable`;
    const failed = await cli(["apply", "--url", url, "--dir", "file://migrations"], cwd);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/FAIL 1_a\.sql statement 1\/1 \(line 1\) \d+ ms: division by zero/);
    expect(failed.out).toMatch(/-- migrating version 1\n {4}division by zero\n/);
    expect(failed.err).toMatch(/Error: 1_a\.sql: statement 1 \(line 1\) failed: division by zero/);

    const usage = await cli(["apply", "--url", url, "--baseline", "1", "--allow-dirty"], cwd);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/mutually exclusive/);
    expect((await cli(["apply", "--url", url, "--lock-timeout", "soon"], cwd)).code).toBe(2);
    expect((await cli(["apply", "--help"], cwd)).out).toMatch(/Example:\n {2}migrate-relay apply --url/);
  });

  it("reads --dir atlas://repo through the relay and reports the source in the JSON result", async () => {
    const cwd = await project(FILES);
    const store = `file://${join(cwd, "store")}`;
    const pushed = await cli(
      ["push", "--dir", "file://migrations", "--dir-name", "app", "--repo-url", store],
      cwd,
    );
    expect(pushed.code, pushed.err).toBe(0);
    const url = `${await testDatabase()}?sslmode=disable`;
    const r = await cli(
      ["apply", "--url", url, "--dir", "atlas://app", "--repo-url", store, "--format", "json"],
      cwd,
    );
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.Applied).toHaveLength(2);
    expect(result.Source).toContain("store");
    expect(result.Trail[0]).toMatchObject({ outcome: "ok" });

    const missing = await cli(["status", "--url", url, "--dir", "atlas://nope", "--repo-url", store], cwd);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/Error: could not read tag "latest"/);
  });
});
