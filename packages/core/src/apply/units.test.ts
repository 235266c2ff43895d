// Pure parts of apply: URL parsing, lock key, hashes, operator version.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { redact } from "../secrets";
import { isBlankSql } from "./batch";
import { parsePostgresUrl } from "./connection";
import { statementHashes, sumHashes } from "./hashes";
import { APPLY_LOCK_KEY, fnv1_32 } from "./lock";
import { inlineQuery, OPERATOR_VERSION, revisionsSchemaFor, upsertRevision } from "./revisions";

describe("parsePostgresUrl", () => {
  it("reads Atlas-style URLs: search_path is the connected schema, sslmode defaults to prefer", () => {
    const t = parsePostgresUrl(
      "postgres://app:s3cret@db.example:6543/shop?search_path=tenant1&sslmode=disable",
    );
    expect(t.config).toMatchObject({
      host: "db.example",
      port: 6543,
      user: "app",
      password: "s3cret",
      database: "shop",
    });
    expect(t.config.options).toBe("-c search_path=tenant1");
    expect(t.schema).toBe("tenant1");
    expect(t.sslMode).toBe("disable");
    expect(t.display).toBe("postgres://app:***@db.example:6543/shop?search_path=tenant1&sslmode=disable");
    expect(t.secrets).toContain("s3cret");
    expect(parsePostgresUrl("postgresql://u@h/d").sslMode).toBe("prefer");
  });

  it("passes unknown parameters to the server as settings, as lib/pq does", () => {
    const t = parsePostgresUrl("postgres://u@h/d?statement_timeout=5s&application_name=x");
    expect(t.config.options).toBe("-c statement_timeout=5s");
    expect(t.config.application_name).toBe("x");
  });

  it("refuses unknown sslmodes and schemes without echoing the password", () => {
    expect(() => parsePostgresUrl("postgres://u:hunter22@h/d?sslmode=maybe")).toThrow(
      /sslmode "maybe" is not one of/,
    );
    expect(() => parsePostgresUrl("mysql://u:hunter22@h/d")).toThrow(/unsupported scheme "mysql:"/);
    try {
      parsePostgresUrl("mysql://u:hunter22@h/d");
    } catch (err) {
      expect((err as Error).message).not.toContain("hunter22");
    }
  });

  it("scrubs secrets out of any message", () => {
    expect(redact("bad password hunter22 for x", ["hunter22"])).toBe("bad password *** for x");
  });
});

describe("revisions", () => {
  it("picks the schema as Atlas does: option, URL schema, default", () => {
    expect(revisionsSchemaFor("x", "y")).toBe("x");
    expect(revisionsSchemaFor(undefined, "y")).toBe("y");
    expect(revisionsSchemaFor(undefined, undefined)).toBe("atlas_schema_revisions");
  });

  it("never overwrites version, description or executed_at on conflict", () => {
    const { text } = upsertRevision("s", {
      version: "1",
      description: "d",
      type: 2,
      applied: 0,
      total: 1,
      error: "",
      errorStmt: "",
      hash: "",
      partialHashes: [],
      clock: "tx",
    });
    const updates = text.slice(text.indexOf("DO UPDATE SET"));
    expect(updates).not.toMatch(/"(version|description|executed_at)" =/);
    expect(updates).toMatch(/"applied" = EXCLUDED."applied"/);
  });

  it("inlines values as safe literals for the one-message file", () => {
    const sql = inlineQuery({
      text: "SELECT $1, $2, $10, $3",
      values: ["it's", 7, "a\\b", ..."xxxxxx", "ten"],
    });
    expect(sql).toBe("SELECT 'it''s', 7, 'ten',  E'a\\\\b'");
  });

  it("writes operator_version with the package's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(OPERATOR_VERSION).toBe(`migrate-relay ${pkg.version}`);
  });
});

describe("hashes", () => {
  it("uses Atlas's lock key: FNV-1 32 of atlas_migrate_execute", () => {
    expect(APPLY_LOCK_KEY).toBe(2686470616);
    expect(fnv1_32("")).toBe(0x811c9dc5);
  });

  it("makes each statement hash cover every earlier statement", () => {
    const [h1, h2] = statementHashes(["CREATE TABLE a();", "CREATE TABLE b();"]);
    const sha = (s: string) => createHash("sha256").update(s).digest("base64");
    expect(h1).toBe(sha("CREATE TABLE a();"));
    expect(h2).toBe(sha("CREATE TABLE a();CREATE TABLE b();"));
  });

  it("reads file hashes out of atlas.sum", () => {
    const sum = new TextEncoder().encode("h1:TOTAL=\n1_a.sql h1:AAA=\n2 b.sql h1:BBB=\n");
    const map = sumHashes(sum);
    expect(map.get("1_a.sql")).toBe("AAA=");
    expect(map.get("2 b.sql")).toBe("BBB=");
    expect(map.size).toBe(2);
  });
});

describe("isBlankSql", () => {
  it("sees statements that complete no command: comments, whitespace, semicolons", () => {
    expect(isBlankSql(";")).toBe(true);
    expect(isBlankSql("  -- note\n /* a /* nested */ b */ ;\n")).toBe(true);
    expect(isBlankSql("-- only a comment")).toBe(true);
    expect(isBlankSql("/* c */ SELECT 1;")).toBe(false);
    expect(isBlankSql("-- x\nCREATE TABLE t ();")).toBe(false);
  });
});
