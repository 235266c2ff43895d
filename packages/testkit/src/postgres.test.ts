import pg from "pg";
import { describe, expect, it } from "vitest";
import { findPostgresBin, testCluster, testDatabase } from "./postgres";

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
