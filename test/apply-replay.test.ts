// replayDir on the dev server: a scratch database proves the directory applies, then is dropped.
import { join } from "node:path";
import { readDir, replayDir } from "@migrate-relay/core";
import { COMPAT, memDir, query, testCluster } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";

const scratchDatabases = async (admin: string) =>
  (
    await query<{ d: string }>(
      admin,
      "SELECT datname AS d FROM pg_database WHERE datname LIKE 'migrate_relay_replay_%'",
    )
  ).map((r) => r.d);

describe("replayDir", () => {
  it("replays a real directory, txmode-none files and the COMMITting DO block included, and drops the scratch database", async () => {
    const dev = testCluster().adminUrl;
    const dir = await readDir(`file://${join(COMPAT, "real", "chainloop-dev-chainloop")}`);
    const before = await scratchDatabases(dev);
    const result = await replayDir(`${dev}?sslmode=disable&search_path=public`, dir);
    expect(result).toMatchObject({ files: 140, statements: 290 });
    expect(result.database).toMatch(/^migrate_relay_replay_[0-9]+_[0-9a-f]{12}$/);
    expect(await scratchDatabases(dev)).toEqual(before);
    // The dev database itself is untouched: no revisions table, no tables from the directory.
    expect(await query(dev, "SELECT 1 FROM pg_namespace WHERE nspname = 'atlas_schema_revisions'")).toEqual(
      [],
    );
  });

  it("names the failing file and statement, and still drops the scratch database", async () => {
    const dev = testCluster().adminUrl;
    const dir = memDir({ "1_a.sql": "CREATE TABLE a (id int);", "2_b.sql": "CREATE TABLE a (id int);" });
    const before = await scratchDatabases(dev);
    await expect(replayDir(dev, dir)).rejects.toThrow(
      /2_b\.sql: statement 1 \(line 1\) failed: relation "a" already exists/,
    );
    expect(await scratchDatabases(dev)).toEqual(before);
  });

  it("on abort (SIGINT) cancels the running file and drops the scratch database; drops leftovers of killed runs", async () => {
    const dev = testCluster().adminUrl;
    // A killed run's database (created 1970 by its name) that nobody uses: dropped by the next run.
    await query(dev, "CREATE DATABASE migrate_relay_replay_1000_0123456789ab");
    const dir = memDir({ "1_a.sql": "CREATE TABLE a (id int);\nSELECT pg_sleep(60);" });
    const stop = new AbortController();
    const running = replayDir(dev, dir, { signal: stop.signal });
    for (let i = 0; i < 500; i++) {
      const rows = await query(
        dev,
        "SELECT 1 FROM pg_stat_activity WHERE strpos(query, 'pg_sleep(60)') > 0 AND pid <> pg_backend_pid()",
      );
      if (rows.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    stop.abort("SIGINT");
    await expect(running).rejects.toThrow(/interrupted by SIGINT/);
    expect(await scratchDatabases(dev)).not.toContain("migrate_relay_replay_1000_0123456789ab");
  });
});
