import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PgliteServer, startPglite } from "./pglite";

// One PGlite for the file: it takes seconds to start.
let server: PgliteServer;
beforeAll(async () => {
  server = await startPglite();
});
afterAll(() => server?.stop());

describe("pglite launcher", () => {
  it("serves the pg driver over TCP", async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await client.query("create table t (id int primary key, name text)");
      await client.query("insert into t values ($1, $2)", [1, "one"]);
      const { rows } = await client.query("select name, current_database() as db from t where id = $1", [1]);
      expect(rows).toEqual([{ name: "one", db: "postgres" }]);
    } finally {
      await client.end();
    }
  });

  it("serves one client after another", async () => {
    for (const value of [1, 2]) {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query("select $1::int + 1 as n", [value]);
      expect(rows[0]?.n).toBe(value + 1);
      await client.end();
    }
  });
});
