// apply against a real PostgreSQL 15: Atlas's revisions table, tx modes, resume, pending rules, dry-run.
import { join } from "node:path";
import { applyDir, dirStatus, readDir } from "@migrate-relay/core";
import {
  COMPAT,
  memDir,
  publicTables,
  query,
  revisionRows,
  testCluster,
  testDatabase,
} from "@migrate-relay/testkit";
import pg from "pg";
import { describe, expect, it } from "vitest";

const REAL = join(COMPAT, "real");
const realDir = (name: string) => readDir(`file://${join(REAL, name)}`);
const withSsl = (url: string) => `${url}?sslmode=disable`;

describe("apply: the real Atlas directories", () => {
  for (const [name, files, statements, tables] of [
    ["hatchet-dev-hatchet", 82, 594, 72],
    ["chainloop-dev-chainloop", 140, 290, 23],
    ["diggerhq-digger", 74, 156, 24],
  ] as const) {
    it(`${name}: applies from empty, then has nothing pending`, async () => {
      const url = withSsl(await testDatabase());
      const dir = await realDir(name);
      const first = await applyDir(dir, { url });
      expect(first.error).toBeUndefined();
      expect(first.applied).toHaveLength(files);
      expect(first.applied.reduce((n, f) => n + f.statements, 0)).toBe(statements);
      expect(await publicTables(url)).toHaveLength(tables);
      const rows = await revisionRows(url);
      expect(rows).toHaveLength(files);
      expect(rows.every((r) => r.applied === r.total && r.type === "2" && r.error === "")).toBe(true);

      const second = await applyDir(dir, { url });
      expect(second.error).toBeUndefined();
      expect(second.pending).toEqual([]);
      expect(second.applied).toEqual([]);
      expect(second.current).toBe(dir.files[dir.files.length - 1]?.version);
    });
  }

  it("runs the txmode-none file whose DO block COMMITs outside a transaction", async () => {
    const url = withSsl(await testDatabase());
    const dir = await realDir("chainloop-dev-chainloop");
    const result = await applyDir(dir, { url, toVersion: "20260516210119" });
    expect(result.error).toBeUndefined();
    const file = result.applied.find((f) => f.version === "20260516210119");
    expect(file).toMatchObject({ txMode: "none", statements: 8, total: 8 });
    const [row] = await query<{ applied: string; partial_hashes: string[] }>(
      url,
      "SELECT applied, partial_hashes FROM atlas_schema_revisions.atlas_schema_revisions WHERE version = '20260516210119'",
    );
    expect(row?.applied).toBe("8");
    expect(row?.partial_hashes).toHaveLength(8);
    const triggers = await query(url, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal");
    expect(triggers).toHaveLength(1);
  });
});

describe("apply: the revisions table", () => {
  it("has Atlas's columns and types, and rows as Atlas writes them", async () => {
    const url = withSsl(await testDatabase());
    const dir = memDir({ "1_init.sql": "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n" });
    expect((await applyDir(dir, { url })).error).toBeUndefined();
    const columns = await query<{ column_name: string; data_type: string; is_nullable: string }>(
      url,
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = 'atlas_schema_revisions' AND table_name = 'atlas_schema_revisions' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => `${c.column_name} ${c.data_type} ${c.is_nullable}`)).toEqual([
      "version character varying NO",
      "description character varying NO",
      "type bigint NO",
      "applied bigint NO",
      "total bigint NO",
      "executed_at timestamp with time zone NO",
      "execution_time bigint NO",
      "error text YES",
      "error_stmt text YES",
      "hash character varying NO",
      "partial_hashes jsonb YES",
      "operator_version character varying NO",
    ]);
    const [row] = await revisionRows(url);
    const sumLine = new TextDecoder().decode(dir.sum ?? new Uint8Array()).split("\n")[1];
    expect(row).toMatchObject({
      version: "1",
      description: "init",
      type: "2",
      applied: "2",
      total: "2",
      error: "",
      error_stmt: "",
      operator_version: "migrate-relay 0.1.0",
    });
    expect(`1_init.sql h1:${row?.hash}`).toBe(sumLine);
    expect(row?.partial_hashes).toHaveLength(2);
    expect(row?.partial_hashes?.every((h) => h.startsWith("h1:"))).toBe(true);
    expect(Number(row?.execution_time)).toBeGreaterThan(0);
  });

  it("puts the table in the URL's search_path schema, or in --revisions-schema", async () => {
    const url = await testDatabase();
    const dir = memDir({ "1_a.sql": "CREATE TABLE a (id int);" });
    expect((await applyDir(dir, { url: `${url}?sslmode=disable&search_path=public` })).error).toBeUndefined();
    expect(await revisionRows(url, "public")).toHaveLength(1);
    const other = await testDatabase();
    expect((await applyDir(dir, { url: withSsl(other), revisionsSchema: "ops" })).error).toBeUndefined();
    expect(await revisionRows(other, "ops")).toHaveLength(1);
  });
});

const failing = (mode: "file" | "all" | "none", second: string) =>
  memDir({
    "1_a.sql": "CREATE TABLE t1 (id int);",
    "2_b.sql": `${mode === "none" ? "-- atlas:txmode none\n\n" : ""}CREATE TABLE t2 (id int);\n${second}\nCREATE TABLE t3 (id int);\n`,
    "3_c.sql": "CREATE TABLE t4 (id int);",
  });

describe("apply: a statement failing mid-file", () => {
  it("tx-mode file: the file rolls back, earlier files stay; fixed, the next run completes", async () => {
    const url = withSsl(await testDatabase());
    const result = await applyDir(failing("file", "SELECT 1/0;"), { url });
    expect(result.error?.kind).toBe("migration");
    expect(result.error?.message).toMatch(/2_b\.sql: statement 2 \(line 2\) failed: division by zero/);
    expect(result.error?.message).toContain("SELECT 1/0;");
    expect(result.applied.map((f) => f.name)).toEqual(["1_a.sql", "2_b.sql"]);
    expect(result.applied[1]?.error).toMatchObject({
      stmt: "SELECT 1/0;",
      text: "division by zero",
      index: 2,
      code: "22012",
    });
    expect(await publicTables(url)).toEqual(["t1"]);
    expect((await revisionRows(url)).map((r) => r.version)).toEqual(["1"]);

    const fixed = await applyDir(failing("file", "SELECT 1;"), { url });
    expect(fixed.error).toBeUndefined();
    expect(fixed.applied.map((f) => f.name)).toEqual(["2_b.sql", "3_c.sql"]);
    expect(await publicTables(url)).toEqual(["t1", "t2", "t3", "t4"]);
  });

  it("tx-mode all: nothing of the run stays", async () => {
    const url = withSsl(await testDatabase());
    const result = await applyDir(failing("all", "SELECT 1/0;"), { url, txMode: "all" });
    expect(result.error?.message).toMatch(/2_b\.sql: statement 2 .*division by zero/);
    expect(result.applied[0]?.rolledBack).toBe(true);
    expect(await publicTables(url)).toEqual([]);
    expect(await revisionRows(url)).toEqual([]);
    const fixed = await applyDir(failing("all", "SELECT 1;"), { url, txMode: "all" });
    expect(fixed.error).toBeUndefined();
    expect(fixed.applied).toHaveLength(3);
    expect(await revisionRows(url)).toHaveLength(3);
  });

  it("tx-mode none: progress and the error are stored; the fixed statement resumes where it stopped", async () => {
    const url = withSsl(await testDatabase());
    const result = await applyDir(failing("none", "SELECT 1/0;"), { url });
    expect(result.error?.message).toMatch(
      /2_b\.sql: statement 2 .*division by zero.*resumes at statement 2/s,
    );
    expect(await publicTables(url)).toEqual(["t1", "t2"]);
    const rows = await revisionRows(url);
    expect(rows[1]).toMatchObject({
      version: "2",
      applied: "1",
      total: "3",
      error: "division by zero",
      error_stmt: "SELECT 1/0;",
    });
    expect(rows[1]?.partial_hashes).toHaveLength(1);
    const status = await dirStatus(failing("none", "SELECT 1/0;"), { url });
    expect(status).toMatchObject({
      status: "PENDING",
      current: "2",
      partial: { version: "2", applied: 1, total: 3 },
    });

    // t2 already exists: re-running statement 1 would fail, so success proves the resume.
    const fixed = await applyDir(failing("none", "SELECT 1;"), { url });
    expect(fixed.error).toBeUndefined();
    expect(fixed.applied[0]).toMatchObject({ name: "2_b.sql", skipped: 1, statements: 2 });
    const after = await revisionRows(url);
    expect(after[1]).toMatchObject({ applied: "3", total: "3", error: "", error_stmt: "" });
    expect(after[1]?.executed_at).toEqual(rows[1]?.executed_at); // executed_at is never overwritten
    expect(after).toHaveLength(3);
  });

  it("tx-mode none: refuses to resume when an applied statement changed", async () => {
    const url = withSsl(await testDatabase());
    await applyDir(failing("none", "SELECT 1/0;"), { url });
    const edited = memDir({
      "1_a.sql": "CREATE TABLE t1 (id int);",
      "2_b.sql":
        "-- atlas:txmode none\n\nCREATE TABLE t2 (id bigint);\nSELECT 1;\nCREATE TABLE t3 (id int);\n",
    });
    const result = await applyDir(edited, { url });
    expect(result.error?.kind).toBe("conflict");
    expect(result.error?.message).toBe('history changed: statement 1 from file "2_b.sql" changed');
  });
});

describe("apply: a changed history stops the run before anything is sent", () => {
  it("non-linear: the out-of-order file queued before the changed partial file does not run", async () => {
    const url = withSsl(await testDatabase());
    const partial = (first: string) =>
      `-- atlas:txmode none\n\n${first}\nSELECT 1/0;\nCREATE TABLE c2 (id int);\n`;
    await applyDir(
      memDir({ "1_a.sql": "CREATE TABLE a (id int);", "3_c.sql": partial("CREATE TABLE c (id int);") }),
      {
        url,
      },
    );
    const edited = memDir({
      "1_a.sql": "CREATE TABLE a (id int);",
      "2_b.sql": "CREATE TABLE b (id int);",
      "3_c.sql": partial("CREATE TABLE c (id bigint);"),
    });
    const result = await applyDir(edited, { url, execOrder: "non-linear" });
    expect(result.pending).toEqual(["2_b.sql", "3_c.sql"]);
    expect(result.error?.message).toBe('history changed: statement 1 from file "3_c.sql" changed');
    expect(result.applied).toEqual([]);
    expect(await publicTables(url)).toEqual(["a", "c"]);
  });
});

describe("apply: pending files", () => {
  const four = memDir({
    "1_a.sql": "CREATE TABLE a (id int);",
    "2_b.sql": "CREATE TABLE b (id int);",
    "3_c.sql": "CREATE TABLE c (id int);",
    "4_d.sql": "CREATE TABLE d (id int);",
  });
  const oneAndThree = memDir({
    "1_a.sql": "CREATE TABLE a (id int);",
    "3_c.sql": "CREATE TABLE c (id int);",
  });

  it("needs baseline or allow-dirty on a non-clean database", async () => {
    const url = withSsl(await testDatabase());
    await query(url, "CREATE TABLE legacy (id int)");
    const refused = await applyDir(four, { url });
    expect(refused.error?.message).toMatch(
      /not clean: found schema "public". baseline version or allow-dirty is required/,
    );
    expect(
      (await query(url, "SELECT 1 FROM pg_namespace WHERE nspname = 'atlas_schema_revisions'")).length,
    ).toBe(1);

    const baseline = await applyDir(four, { url, baseline: "2" });
    expect(baseline.error).toBeUndefined();
    expect(baseline.applied.map((f) => f.version)).toEqual(["3", "4"]);
    const rows = await revisionRows(url);
    expect(rows.map((r) => [r.version, r.type, r.applied, r.total])).toEqual([
      ["2", "1", "0", "0"],
      ["3", "2", "1", "1"],
      ["4", "2", "1", "1"],
    ]);

    const dirty = withSsl(await testDatabase());
    await query(dirty, "CREATE TABLE legacy (id int)");
    expect((await applyDir(four, { url: dirty, allowDirty: true })).applied).toHaveLength(4);
    await expect(applyDir(four, { url: dirty, allowDirty: true, baseline: "1" })).rejects.toThrow(
      /mutually exclusive/,
    );
  });

  it("counts the tables Atlas inspects: not an extension's, nor ones the user cannot see", async () => {
    const url = withSsl(await testDatabase());
    // PostGIS-style: a table in public that belongs to an extension (Atlas's inspection skips it).
    await query(
      url,
      "CREATE TABLE spatial_ref_sys (srid int); ALTER EXTENSION plpgsql ADD TABLE spatial_ref_sys",
    );
    const ext = await applyDir(four, { url });
    expect(ext.error).toBeUndefined();
    expect(ext.applied).toHaveLength(4);

    // Atlas reads information_schema.tables: only tables the user owns or holds a privilege on.
    const cluster = testCluster();
    const database = await cluster.createDatabase();
    await query(withSsl(database), "CREATE TABLE hidden (id int)"); // owned by postgres, no grants
    const asOwner = new URL(
      await cluster.createRole(`apply_clean_${process.pid}`, "Clean-5512", { database }),
    );
    asOwner.searchParams.set("sslmode", "disable");
    const hidden = await applyDir(four, { url: asOwner.toString() });
    expect(hidden.error).toBeUndefined();
    expect(hidden.applied).toHaveLength(4);
  });

  it("starts a clean database at the last checkpoint file and never runs a checkpoint on one with history", async () => {
    const url = withSsl(await testDatabase());
    const v1 = {
      "1_a.sql": "CREATE TABLE a (id int);",
      "2_b.sql": "CREATE TABLE b (id int);",
      "3_ck.sql": "-- atlas:checkpoint\n\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\n",
      "4_c.sql": "CREATE TABLE c (id int);",
    };
    const first = await applyDir(memDir(v1), { url });
    expect(first.error).toBeUndefined();
    expect(first.applied.map((f) => f.name)).toEqual(["3_ck.sql", "4_c.sql"]);
    // A later checkpoint (already covered by the history) is skipped; only the new file runs.
    const v2 = {
      ...v1,
      "5_ck.sql":
        "-- atlas:checkpoint\n\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);\n",
      "6_d.sql": "CREATE TABLE d (id int);",
    };
    const second = await applyDir(memDir(v2), { url });
    expect(second.error).toBeUndefined();
    expect(second.applied.map((f) => f.name)).toEqual(["6_d.sql"]);
    expect((await revisionRows(url)).map((r) => r.version)).toEqual(["3", "4", "6"]);
  });

  it("applies exec-order linear / linear-skip / non-linear to a file added out of order", async () => {
    const results: Record<string, string[] | string> = {};
    for (const order of ["linear", "linear-skip", "non-linear"] as const) {
      const url = withSsl(await testDatabase());
      await applyDir(oneAndThree, { url });
      const r = await applyDir(four, { url, execOrder: order });
      results[order] = r.error ? r.error.message : r.applied.map((f) => f.version);
    }
    expect(results.linear).toMatch(/migration file 2_b\.sql was added out of order/);
    expect(results["linear-skip"]).toEqual(["4"]);
    expect(results["non-linear"]).toEqual(["2", "4"]);
  });

  it("honours amount and to-version, and reports current/target/pending", async () => {
    const url = withSsl(await testDatabase());
    const one = await applyDir(four, { url, amount: 1 });
    expect(one).toMatchObject({ current: "", target: "1", pending: ["1_a.sql"] });
    const two = await applyDir(four, { url, toVersion: "3" });
    expect(two).toMatchObject({ current: "1", target: "3", pending: ["2_b.sql", "3_c.sql"] });
    expect((await revisionRows(url)).map((r) => r.version)).toEqual(["1", "2", "3"]);
  });

  it("refuses a txmode directive that conflicts with tx-mode all before running anything", async () => {
    const url = withSsl(await testDatabase());
    const dir = memDir({
      "1_a.sql": "CREATE TABLE a (id int);",
      "2_b.sql": "-- atlas:txmode none\n\nCREATE TABLE b (id int);",
    });
    const result = await applyDir(dir, { url, txMode: "all" });
    expect(result.error?.message).toBe(
      'cannot set txmode directive to "none" in "2_b.sql" when txmode "all" is set globally',
    );
    expect(await publicTables(url)).toEqual([]);
  });

  it("dry-run writes nothing: no table, no lock, no baseline row", async () => {
    const url = withSsl(await testDatabase());
    await query(url, "CREATE TABLE legacy (id int)");
    // Another session holds the apply lock; a dry run must not wait for it.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock(2686470616)");
    try {
      const result = await applyDir(four, { url, dryRun: true, baseline: "2", lockTimeoutMs: 0 });
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({
        dryRun: true,
        current: "2",
        target: "4",
        pending: ["3_c.sql", "4_d.sql"],
        applied: [],
      });
    } finally {
      await holder.end();
    }
    expect(await query(url, "SELECT 1 FROM pg_namespace WHERE nspname = 'atlas_schema_revisions'")).toEqual(
      [],
    );
    expect(await publicTables(url)).toEqual(["legacy"]);
  });
});

describe("apply: naming the failing statement when a file travels as one message", () => {
  it("counts past blank statements, and uses one message per statement with a custom delimiter", async () => {
    const url = withSsl(await testDatabase());
    const blank = memDir({
      "1_a.sql": "CREATE TABLE a (id int);\n/* nothing */ ;\nSELECT 1/0;\nCREATE TABLE b (id int);\n",
    });
    const r1 = await applyDir(blank, { url });
    expect(r1.applied[0]?.error).toMatchObject({
      index: 3,
      line: 3,
      stmt: "SELECT 1/0;",
      text: "division by zero",
    });

    const delimited = memDir({
      "1_a.sql":
        "-- atlas:delimiter //\n\nCREATE TABLE a (id int); CREATE TABLE b (id int)//\nSELECT 1/0//\nCREATE TABLE c (id int)//\n",
    });
    const r2 = await applyDir(delimited, { url });
    expect(r2.applied[0]?.error).toMatchObject({ index: 2, text: "division by zero" });
    expect(await publicTables(url)).toEqual([]);
  });

  it("turns a syntax error's position into the file's line, and passes on the server's detail", async () => {
    const url = withSsl(await testDatabase());
    const dir = memDir({
      "1_a.sql": "CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (\n  id int,\n  oops oops oops\n);\n",
    });
    const r = await applyDir(dir, { url });
    expect(r.applied[0]?.error).toMatchObject({ index: 2, line: 2, at: 4, code: "42601" });
    expect(r.error?.message).toMatch(
      /1_a\.sql: statement 2 \(line 2\) failed at line 4: syntax error at or near "oops"/,
    );

    const fk = memDir({
      "1_a.sql":
        "CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (p int REFERENCES p);\nINSERT INTO c VALUES (7);",
    });
    const r2 = await applyDir(fk, { url });
    expect(r2.applied[0]?.error?.detail).toBe('Key (p)=(7) is not present in table "p".');
    expect(r2.error?.message).toContain('detail: Key (p)=(7) is not present in table "p".');
  });

  it("drops the files queued behind a failing one: nothing after it runs or is recorded", async () => {
    const url = withSsl(await testDatabase());
    const files: Record<string, string> = {};
    for (let i = 1; i <= 40; i++) {
      const v = String(i).padStart(2, "0");
      files[`${v}_t.sql`] =
        i === 10 ? `CREATE TABLE t${v} (id int);\nSELECT 1/0;` : `CREATE TABLE t${v} (id int);`;
    }
    const result = await applyDir(memDir(files), { url });
    expect(result.error?.message).toMatch(/^10_t\.sql: statement 2/);
    expect(result.applied.map((f) => f.version)).toEqual([
      "01",
      "02",
      "03",
      "04",
      "05",
      "06",
      "07",
      "08",
      "09",
      "10",
    ]);
    expect((await revisionRows(url)).map((r) => r.version)).toEqual([
      "01",
      "02",
      "03",
      "04",
      "05",
      "06",
      "07",
      "08",
      "09",
    ]);
    expect(await publicTables(url)).toHaveLength(9);
  });

  it("checks deferred constraints before COMMIT, so a violation stops the run at its file", async () => {
    const url = withSsl(await testDatabase());
    const dir = memDir({
      "1_a.sql": "CREATE TABLE p (id int PRIMARY KEY);",
      "2_b.sql":
        "CREATE TABLE c (p int REFERENCES p DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO c VALUES (42);\n",
      "3_c.sql": "CREATE TABLE later (id int);",
    });
    const result = await applyDir(dir, { url });
    expect(result.error?.message).toMatch(/2_b\.sql: checking deferred constraints failed: .*foreign key/);
    expect(await publicTables(url)).toEqual(["p"]);
    expect((await revisionRows(url)).map((r) => r.version)).toEqual(["1"]);
  });
});
