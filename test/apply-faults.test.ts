// apply under faults on a real server: concurrent applies, a killed connection, a broken atlas.sum,
// bad credentials and sslmode variants. The database password must never show up.
import { applyDir, dirStatus } from "@migrate-relay/core";
import { memDir, publicTables, query, revisionRows, testCluster, testDatabase } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";

const withSsl = (url: string) => `${url}?sslmode=disable`;

/** Twenty files; each logs its own name, so a file that runs twice shows up as a duplicate. */
function loggingDir(slowFirst = 0) {
  const files: Record<string, string> = {
    "01_log.sql": `CREATE TABLE runs (file text NOT NULL);\nINSERT INTO runs VALUES ('01');\n${slowFirst ? `SELECT pg_sleep(${slowFirst});` : ""}`,
  };
  for (let i = 2; i <= 20; i++) {
    const v = String(i).padStart(2, "0");
    files[`${v}_step.sql`] = `CREATE TABLE t${v} (id int);\nINSERT INTO runs VALUES ('${v}');\n`;
  }
  return memDir(files);
}

/** Waits until a backend in `database` runs a query matching `like`; returns its pid. */
async function backendRunning(adminUrl: string, database: string, like: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const rows = await query<{ pid: number }>(
      adminUrl,
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE $2 AND pid <> pg_backend_pid()",
      [database, like],
    );
    if (rows[0]) return rows[0].pid;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no backend in ${database} ran ${like}`);
}

const dbName = (url: string) => new URL(url).pathname.slice(1);

describe("apply: concurrency", () => {
  it("five applies at once: every file runs exactly once, the others wait for the lock", async () => {
    const url = withSsl(await testDatabase());
    const dir = loggingDir(0.3);
    const results = await Promise.all(Array.from({ length: 5 }, () => applyDir(dir, { url })));
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(results.reduce((n, r) => n + r.applied.length, 0)).toBe(20);
    expect(results.filter((r) => r.applied.length === 20)).toHaveLength(1);
    const runs = await query<{ file: string; n: string }>(
      url,
      "SELECT file, count(*) AS n FROM runs GROUP BY file",
    );
    expect(runs).toHaveLength(20);
    expect(runs.every((r) => r.n === "1")).toBe(true);
    expect(await revisionRows(url)).toHaveLength(20);
  });

  it("fails the others with the lock error after lock-timeout; the lock is released even when apply fails", async () => {
    const url = withSsl(await testDatabase());
    const dir = loggingDir(1.5);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => applyDir(dir, { url, lockTimeoutMs: 300 })),
    );
    const winners = results.filter((r) => !r.error);
    const losers = results.filter((r) => r.error);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(4);
    for (const r of losers) {
      expect(r.error?.kind).toBe("conflict");
      expect(r.error?.message).toMatch(/^lock is held by another apply/);
      expect(r.applied).toEqual([]);
    }
    // A failing apply releases the lock too: the next one gets it at once.
    const broken = memDir({ "99_bad.sql": "SELECT 1/0;" });
    const other = withSsl(await testDatabase());
    expect((await applyDir(broken, { url: other })).error?.kind).toBe("migration");
    const locks = await query(other, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory'");
    expect(locks).toEqual([]);
    expect((await applyDir(broken, { url: other, lockTimeoutMs: 0 })).error?.message).toMatch(
      /division by zero/,
    );
  });
});

describe("apply: the connection drops mid-apply", () => {
  it("tx-mode file: a clear error, and the interrupted file is not marked applied", async () => {
    const raw = await testDatabase();
    const url = withSsl(raw);
    const dir = memDir({
      "1_a.sql": "CREATE TABLE a (id int);",
      "2_b.sql": "CREATE TABLE b (id int);\nSELECT pg_sleep(30);\n",
      "3_c.sql": "CREATE TABLE c (id int);",
    });
    const running = applyDir(dir, { url });
    const pid = await backendRunning(testCluster().adminUrl, dbName(raw), "%SELECT pg_sleep(30)%");
    await query(testCluster().adminUrl, "SELECT pg_terminate_backend($1)", [pid]);
    const result = await running;
    expect(result.error?.kind).toBe("unreachable");
    expect(result.error?.message).toMatch(/connection lost while applying 2_b\.sql at statement 2/);
    expect(result.error?.message).toMatch(/rolled back; nothing of it is applied/);
    expect((await revisionRows(url)).map((r) => r.version)).toEqual(["1"]);
    expect(await publicTables(url)).toEqual(["a"]);
    // Nothing is left holding the lock; the next run completes.
    const again = await applyDir(
      memDir({ ...files(dir), "2_b.sql": "CREATE TABLE b (id int);\nSELECT 1;\n" }),
      {
        url,
        lockTimeoutMs: 0,
      },
    );
    expect(again.error).toBeUndefined();
    expect(await publicTables(url)).toEqual(["a", "b", "c"]);
  });

  it("tx-mode none: statements before the drop stay recorded, the next run resumes", async () => {
    const raw = await testDatabase();
    const url = withSsl(raw);
    const body = (sleep: string) =>
      `-- atlas:txmode none\n\nCREATE TABLE b (id int);\n${sleep}\nCREATE TABLE c (id int);\n`;
    const dir = memDir({ "1_a.sql": "CREATE TABLE a (id int);", "2_b.sql": body("SELECT pg_sleep(30);") });
    const running = applyDir(dir, { url });
    const pid = await backendRunning(testCluster().adminUrl, dbName(raw), "%SELECT pg_sleep(30)%");
    await query(testCluster().adminUrl, "SELECT pg_terminate_backend($1)", [pid]);
    const result = await running;
    expect(result.error?.kind).toBe("unreachable");
    const rows = await revisionRows(url);
    expect(rows[1]).toMatchObject({ version: "2", applied: "1", total: "3" });
    const status = await dirStatus(dir, { url });
    expect(status.partial).toMatchObject({ version: "2", applied: 1, total: 3 });
    const fixed = await applyDir(
      memDir({ "1_a.sql": "CREATE TABLE a (id int);", "2_b.sql": body("SELECT pg_sleep(30);") }),
      {
        url,
        toVersion: "1",
      },
    );
    expect(fixed.pending).toEqual([]); // to-version 1 is behind the partial file: nothing to run
    const resumed = await applyDir(
      memDir({ "1_a.sql": "CREATE TABLE a (id int);", "2_b.sql": body("SELECT 1;") }),
      { url },
    );
    // Statement 2 changed but only statement 1 was applied: the resume check passes.
    expect(resumed.error).toBeUndefined();
    expect(resumed.applied[0]).toMatchObject({ skipped: 1, statements: 2 });
    expect(await publicTables(url)).toEqual(["a", "b", "c"]);
  });
});

describe("apply: the lock connection drops mid-apply", () => {
  it("stops before the next file: without the lock another apply could start", async () => {
    const raw = await testDatabase();
    const url = withSsl(raw);
    const dir = memDir({
      "1_a.sql": "-- atlas:txmode none\n\nCREATE TABLE a (id int);\nSELECT pg_sleep(1);\n",
      "2_b.sql": "CREATE TABLE b (id int);",
    });
    const running = applyDir(dir, { url });
    await backendRunning(testCluster().adminUrl, dbName(raw), "%SELECT pg_sleep(1)%");
    const lockPid = await backendRunning(testCluster().adminUrl, dbName(raw), "%pg_try_advisory_lock%");
    await query(testCluster().adminUrl, "SELECT pg_terminate_backend($1)", [lockPid]);
    const result = await running;
    expect(result.error?.kind).toBe("unreachable");
    expect(result.error?.message).toMatch(/lost the apply lock .*stopped before 2_b\.sql/);
    expect(result.applied.map((f) => f.name)).toEqual(["1_a.sql"]);
    expect(await publicTables(url)).toEqual(["a"]);
  });
});

const files = (dir: ReturnType<typeof memDir>) =>
  Object.fromEntries(dir.files.map((f) => [f.name, new TextDecoder().decode(f.content)]));

describe("apply: bad input", () => {
  it("refuses a directory whose atlas.sum does not validate, before connecting", async () => {
    const good = memDir({ "1_a.sql": "CREATE TABLE a (id int);" });
    const tampered = { files: memDir({ "1_a.sql": "DROP TABLE everything;" }).files, sum: good.sum };
    // Port 1 refuses connections: an attempt to connect would end in "unreachable".
    const result = await applyDir(tampered, { url: "postgres://u:p4ssw0rd@127.0.0.1:1/db?sslmode=disable" });
    expect(result.error?.kind).toBe("integrity");
    expect(result.error?.message).toMatch(/1_a\.sql was edited/);
    expect(result.applied).toEqual([]);
  });

  it("says so when the user may not create the revisions schema", async () => {
    const cluster = testCluster();
    const database = await cluster.createDatabase();
    const url = new URL(await cluster.createRole(`apply_ro_${process.pid}`, "Ro-Secret-5521"));
    url.pathname = new URL(database).pathname;
    url.searchParams.set("sslmode", "disable");
    const result = await applyDir(memDir({ "1_a.sql": "CREATE TABLE a (id int);" }), { url: url.toString() });
    expect(result.error?.kind).toBe("unauthorized");
    expect(result.error?.message).toMatch(/permission denied for database/);
    expect(JSON.stringify(result)).not.toContain("Ro-Secret-5521");
  });

  it("names connection problems clearly and never shows the password", async () => {
    const cluster = testCluster();
    const database = await cluster.createDatabase();
    const role = `apply_role_${process.pid}`;
    const password = "Very-Secret-9731";
    const withPassword = await cluster.createRole(role, password, { database });
    const dir = memDir({ "1_a.sql": "CREATE TABLE a (id int);" });
    const base = new URL(withPassword);
    base.searchParams.set("sslmode", "disable");

    const ok = await applyDir(dir, { url: base.toString() });
    expect(ok.error).toBeUndefined();
    expect(ok.url).not.toContain(password);

    const cases: [string, (u: URL) => void, RegExp, string][] = [
      [
        "no password",
        (u) => (u.password = ""),
        /asks for a password .* but the URL has none/,
        "unauthorized",
      ],
      [
        "wrong password",
        (u) => (u.password = "Wrong-Secret-1234"),
        /password authentication failed for user/,
        "unauthorized",
      ],
      [
        "missing database",
        (u) => (u.pathname = "/no_such_db"),
        /database "no_such_db" does not exist/,
        "not-found",
      ],
      [
        "sslmode=require",
        (u) => u.searchParams.set("sslmode", "require"),
        /does not accept TLS but sslmode=require/,
        "unreachable",
      ],
      [
        "sslmode=verify-full",
        (u) => u.searchParams.set("sslmode", "verify-full"),
        /does not accept TLS/,
        "unreachable",
      ],
      ["closed port", (u) => (u.port = "1"), /connection refused/, "unreachable"],
    ];
    for (const [label, edit, message, kind] of cases) {
      const u = new URL(base.toString());
      edit(u);
      const result = await applyDir(dir, { url: u.toString() });
      expect(result.error?.message, label).toMatch(message);
      expect(result.error?.kind, label).toBe(kind);
      const shown = JSON.stringify(result);
      expect(shown, label).not.toContain(password);
      expect(shown, label).not.toContain("Wrong-Secret-1234");
    }
    // sslmode=prefer (the default) and allow fall back to plain text on a server without TLS.
    for (const mode of ["prefer", "allow"]) {
      const u = new URL(base.toString());
      u.searchParams.set("sslmode", mode);
      const r = await applyDir(dir, { url: u.toString() });
      expect(r.error, mode).toBeUndefined();
    }
    await expect(applyDir(dir, { url: `${base.toString().split("?")[0]}?sslmode=bogus` })).rejects.toThrow(
      /sslmode "bogus" is not one of/,
    );
  });
});
