// push replays the directory on the dev database before publishing: a directory that does not apply
// is published nowhere.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "@migrate-relay/cli";
import { hashDir, type MigrationDir, migrationFile, writeDir } from "@migrate-relay/core";
import { testDatabase } from "@migrate-relay/testkit";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Rig, startRig, tempDir, uniqueSlug } from "./relay-helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.stop());

function dirOf(files: Record<string, string>): MigrationDir {
  const list = Object.entries(files).map(([name, sql]) => migrationFile(name, Buffer.from(sql)));
  return { files: list, sum: hashDir(list) };
}

async function pushWithDev(dir: MigrationDir, devUrl: string) {
  const cwd = await tempDir("replay");
  await writeDir(join(cwd, "migrations"), dir);
  const slug = uniqueSlug("replay");
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    [
      ...["push", "--dir", "file://migrations", "--dir-name", slug, "--cloud-url", rig.registry.url],
      ...["--backup", rig.fileUrl, "--grant-dir", rig.grantDir, "--dev-url", devUrl],
    ],
    { out: (l) => out.push(l), err: (l) => err.push(l), env: { ATLAS_TOKEN: rig.registry.token }, cwd },
  );
  return { code, slug, out: out.join("\n"), err: err.join("\n") };
}

async function databasesLike(devUrl: string, pattern: string): Promise<number> {
  const client = new pg.Client({ connectionString: devUrl });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE $1", [
      pattern,
    ]);
    return rows[0].n;
  } finally {
    await client.end();
  }
}

it("replays on a scratch database beside the dev URL, then publishes", async () => {
  const dev = await testDatabase();
  const dir = dirOf({
    "1_users.sql": "CREATE TABLE users (id int PRIMARY KEY);\n",
    "2_index.sql": "-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY users_id ON users (id);\n",
  });
  const run = await pushWithDev(dir, dev);
  expect(run.err).not.toMatch(/error/i); // stderr carries progress only
  expect(run.code).toBe(0);
  expect(run.err).toMatch(/Replayed 2 files \(2 statements\) on a scratch database/);
  expect(rig.registry.find(run.slug)).toBeDefined();
  expect(existsSync(join(rig.fileRoot, run.slug, "tags/latest.json"))).toBe(true);
  // The scratch database is gone and the dev database itself was not touched.
  expect(await databasesLike(dev, "migrate_relay_replay_%")).toBe(0);
  const client = new pg.Client({ connectionString: dev });
  await client.connect();
  const { rows } = await client.query("SELECT to_regclass('users') AS t");
  await client.end();
  expect(rows[0].t).toBeNull();
});

it("a directory that fails on the dev database is published nowhere", async () => {
  const dev = await testDatabase();
  const dir = dirOf({
    "1_users.sql": "CREATE TABLE users (id int PRIMARY KEY);\n",
    "2_broken.sql": "ALTER TABLE users ADD COLUMN name text;\nALTER TABLE missing ADD COLUMN x int;\n",
  });
  const run = await pushWithDev(dir, dev);
  expect(run.code).toBe(1);
  expect(run.err).toMatch(/2_broken\.sql/);
  expect(run.err).toMatch(/relation "missing" does not exist/);
  expect(rig.registry.states(run.slug)).toEqual([]);
  expect(existsSync(join(rig.fileRoot, run.slug))).toBe(false);
});
