import { existsSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import {
  findPostgres,
  findPostgresBin,
  NPM_PG_DEFAULT,
  TEST_PG_ENV,
  testCluster,
  testDatabase,
  wantedPostgres,
} from "./postgres";

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe("postgres launcher", () => {
  it("finds a bin dir with initdb and pg_ctl", () => {
    expect(findPostgresBin()).toMatch(/bin$/);
    expect(existsSync(join(findPostgresBin(), "initdb"))).toBe(true);
  });

  it(`reads ${TEST_PG_ENV}: a major, npm:<major>, npm, or nothing`, () => {
    expect(wantedPostgres("")).toEqual({ npmOnly: false });
    expect(wantedPostgres("16")).toEqual({ major: "16", npmOnly: false });
    expect(wantedPostgres("npm:17")).toEqual({ major: "17", npmOnly: true });
    expect(wantedPostgres("npm")).toEqual({ major: NPM_PG_DEFAULT, npmOnly: true });
    expect(() => wantedPostgres("sixteen")).toThrow(`${TEST_PG_ENV}=sixteen: expected a major version`);
  });

  it("has the npm registry's server binaries for the default major, with no system PostgreSQL needed", () => {
    const bin = findPostgres({ major: NPM_PG_DEFAULT, npmOnly: true });
    expect(bin).toMatchObject({ major: NPM_PG_DEFAULT, source: "npm" });
    for (const tool of ["initdb", "pg_ctl", "postgres"])
      expect(existsSync(join(bin.dir, tool)), tool).toBe(true);
  });

  it("says how to get a major that is not there", () => {
    expect(() => findPostgres({ major: "9", npmOnly: true })).toThrow(
      "PostgreSQL 9 server binaries not found: not installed from npm; run `npm run postgres -- 9`",
    );
  });

  it(`runs the major ${TEST_PG_ENV} asks for`, async () => {
    const rows = await query<{ v: string }>(
      testCluster().adminUrl,
      "SELECT current_setting('server_version_num') AS v",
    );
    const major = String(Math.floor(Number(rows[0]?.v) / 10000));
    expect(major).toBe(findPostgres().major);
    const wanted = wantedPostgres().major;
    if (wanted) expect(major).toBe(wanted);
  });

  it("gives each call a fresh database on the run's cluster", async () => {
    const [a, b] = await Promise.all([testDatabase(), testDatabase()]);
    expect(a).not.toBe(b);
    const rows = await query<{ db: string; answer: number }>(
      a,
      "select current_database() as db, 6 * 7 as answer",
    );
    expect(rows[0]).toEqual({ db: new URL(a).pathname.slice(1), answer: 42 });
    await query(a, "create table t (x int)");
    await expect(query(b, "select * from t")).rejects.toThrow(/does not exist/);
  });

  it("creates a password role that owns its database, and refuses a wrong password", async () => {
    const cluster = testCluster();
    const database = await cluster.createDatabase();
    const name = `alice_${process.pid}_${Date.now()}`;
    const url = await cluster.createRole(name, "p@ss:w/rd", { database });
    expect(new URL(url).password).not.toBe("");
    await query(url, "create table owned (x int)");
    const rows = await query<{ u: string }>(url, "select current_user as u");
    expect(rows[0]?.u).toBe(name);

    const wrong = new URL(url);
    wrong.password = "wrong";
    await expect(query(wrong.toString(), "select 1")).rejects.toThrow(/password authentication failed/);
  });
});
