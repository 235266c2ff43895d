import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { COMPAT } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";
import { isRelayError } from "../errors";
import { migrationFile, readDir } from "./files";
import { fileStatements, POSTGRES_SPLIT, type SplitOptions, splitStatements } from "./split";

const enc = new TextEncoder();

/** The options Atlas used for the goldens in lex/lex (compat README). */
const LEX_GOLDEN: SplitOptions = {
  beginEnd: true,
  beginAtomic: true,
  dollarQuotes: true,
  backslashEscapes: true,
  escapedStrings: true,
  hashComments: true,
};

async function goldens(folder: string): Promise<string[]> {
  const names = await readdir(join(COMPAT, "atlas/lex", folder));
  return names.filter((n) => n.endsWith(".sql")).sort();
}

const texts = (src: string, options: SplitOptions = POSTGRES_SPLIT) =>
  splitStatements(src, options).map((s) => s.text);

describe("every Atlas lex golden matches with the options it was made with", async () => {
  const lex = await goldens("lex");
  it.each(lex)("lex/%s", async (name) => {
    const src = await readFile(join(COMPAT, "atlas/lex/lex", name), "utf8");
    const want = await readFile(join(COMPAT, "atlas/lex/lex", `${name}.golden`), "utf8");
    const options = name.includes("_pg") ? { ...LEX_GOLDEN, hashComments: false } : LEX_GOLDEN;
    expect(texts(src, options).join("\n-- end --\n")).toBe(want);
  });

  it("lexescaped/2.pg.sql with the PostgreSQL options", async () => {
    const src = await readFile(join(COMPAT, "atlas/lex/lexescaped/2.pg.sql"), "utf8");
    const want = await readFile(join(COMPAT, "atlas/lex/lexescaped/2.pg.sql.golden"), "utf8");
    expect(texts(src, POSTGRES_SPLIT).join("\n-- end --\n")).toBe(want);
  });

  it("covers all 13 lex goldens", () => {
    expect(lex).toHaveLength(13);
  });
});

describe("the real directories split into the statements psql ran", () => {
  it.each([
    ["hatchet-dev-hatchet", 82, 594],
    ["chainloop-dev-chainloop", 140, 290],
    ["diggerhq-digger", 74, 156],
  ])("%s: %i files, %i statements", async (folder, files, statements) => {
    const dir = await readDir(join(COMPAT, "real", folder));
    expect(dir.files).toHaveLength(files);
    const count = dir.files.reduce((n, f) => n + fileStatements(f).length, 0);
    expect(count).toBe(statements);
  });
});

describe("splitStatements (PostgreSQL options)", () => {
  it("keeps the default delimiter and drops leading comments", () => {
    expect(texts("-- c1\nSELECT 1;\n/* c2 */ SELECT 2 -- trailing\n;\n")).toEqual([
      "SELECT 1;",
      "SELECT 2 -- trailing\n;",
    ]);
  });

  it("reports where each statement starts", () => {
    const got = splitStatements("SELECT 1;\n\n  -- x\n  SELECT\n2;  SELECT 3;");
    expect(got.map(({ line, col }) => [line, col])).toEqual([
      [1, 1],
      [4, 3],
      [5, 5],
    ]);
  });

  it("E'' strings honour backslash escapes; standard strings do not", () => {
    expect(texts("SELECT E'it\\'s;'; SELECT 'a\\'; SELECT 2;")).toEqual([
      "SELECT E'it\\'s;';",
      "SELECT 'a\\';",
      "SELECT 2;",
    ]);
    // An identifier ending in e is not an escape-string prefix.
    expect(texts("SELECT somee'\\'; SELECT 1;")).toEqual(["SELECT somee'\\';", "SELECT 1;"]);
  });

  it("dollar quotes, with and without tags", () => {
    expect(texts("DO $$ BEGIN PERFORM 1; END $$;\nSELECT $a$;$a$; SELECT $1;")).toEqual([
      "DO $$ BEGIN PERFORM 1; END $$;",
      "SELECT $a$;$a$;",
      "SELECT $1;",
    ]);
  });

  it("keeps BEGIN ... END and BEGIN ATOMIC ... END whole", () => {
    const src =
      "CREATE FUNCTION f() RETURNS int LANGUAGE SQL BEGIN ATOMIC SELECT 1; SELECT 2; END;\n" +
      "CREATE PROCEDURE p() BEGIN\n  SELECT 1;\n  IF x THEN SELECT 2; END IF;\nEND;\nSELECT 3;";
    expect(texts(src)).toEqual([
      "CREATE FUNCTION f() RETURNS int LANGUAGE SQL BEGIN ATOMIC SELECT 1; SELECT 2; END;",
      "CREATE PROCEDURE p() BEGIN\n  SELECT 1;\n  IF x THEN SELECT 2; END IF;\nEND;",
      "SELECT 3;",
    ]);
  });

  it("a BEGIN without END is an ordinary statement", () => {
    expect(texts("BEGIN;\nSELECT 1;\nBEGIN TRANSACTION;\nCOMMIT;")).toEqual([
      "BEGIN;",
      "SELECT 1;",
      "BEGIN TRANSACTION;",
      "COMMIT;",
    ]);
  });

  it("parentheses hold the delimiter", () => {
    expect(texts("SELECT (1;2); SELECT 3;")).toEqual(["SELECT (1;2);", "SELECT 3;"]);
  });

  it("`#` is an operator, not a comment, unless hashComments is on", () => {
    expect(texts("SELECT a #>> '{b}' FROM t;\n# not a comment;")).toEqual([
      "SELECT a #>> '{b}' FROM t;",
      "# not a comment;",
    ]);
    expect(texts("# a comment\nSELECT 1;", { ...POSTGRES_SPLIT, hashComments: true })).toEqual(["SELECT 1;"]);
  });

  it("a custom delimiter from the directive or the options is stripped", () => {
    expect(texts("-- atlas:delimiter \\n\\n\n\nSELECT 1;\nSELECT 2\n\nSELECT 3")).toEqual([
      "SELECT 1;\nSELECT 2",
      "SELECT 3",
    ]);
    expect(texts("SELECT 1 GO SELECT 2 GO", { ...POSTGRES_SPLIT, delimiter: "GO" })).toEqual([
      "SELECT 1",
      "SELECT 2",
    ]);
  });

  it("errors carry line:col", () => {
    const cases: [string, string][] = [
      ["'this quote is unclosed at 1:1", "1:1: unclosed quote '\\''"],
      ["12345'this quote is unclosed", "1:6: unclosed quote '\\''"],
      ['unclosed double at 2:2\n "', "2:2: unclosed quote '\"'"],
      ['unclosed double at 5:5\n\n\n\n1234"', "5:5: unclosed quote '\"'"],
      ["(unclosed parentheses", "1:1: unclosed '('"],
      ["()(unclosed parentheses", "1:3: unclosed '('"],
      ["1234)6789", "1:5: unexpected ')'"],
      ["-- atlas:delimiter \nSELECT 1", "1:1: empty delimiter"],
      ["-- atlas:delimiter ;;", '1:1: no input found after delimiter ";;"'],
    ];
    for (const [src, message] of cases) {
      try {
        splitStatements(src);
        throw new Error(`expected an error for ${src}`);
      } catch (err) {
        expect(isRelayError(err, "migration")).toBe(true);
        expect((err as Error).message).toBe(message);
      }
    }
  });

  it("stays linear on hostile input: long whitespace runs, unclosed comments, many BEGINs", () => {
    // Each would be quadratic in a naive scanner; with 200k characters that would take minutes.
    const ws = `SELECT${" ".repeat(200_000)}1;`;
    expect(texts(ws)).toHaveLength(1);
    const comments = `SELECT 1 ${"/* ".repeat(70_000)};`;
    expect(texts(comments)).toHaveLength(1);
    // Unterminated BEGINs open one block inside the other (Atlas's scanner goes exponential here).
    const begins = "BEGIN x; ".repeat(450);
    expect(texts(begins)).toHaveLength(450);
  });

  it("refuses BEGIN blocks nested deeper than it can follow, with the place", () => {
    expect(() => splitStatements("SELECT 1;\n" + "BEGIN x; ".repeat(20_000))).toThrow(
      /^2:4501: BEGIN blocks nest more than 500 deep/,
    );
  });
});

describe("fileStatements", () => {
  it("uses the PostgreSQL options and names the file in errors", () => {
    const f = migrationFile(
      "1_a.sql",
      enc.encode("-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY i ON t (c);\nSELECT '"),
    );
    expect(() => fileStatements(f)).toThrow("1_a.sql:4:8: unclosed quote '\\''");
    const ok = migrationFile(
      "2_b.sql",
      enc.encode("-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY i ON t (c);\n"),
    );
    expect(fileStatements(ok)).toEqual([{ text: "CREATE INDEX CONCURRENTLY i ON t (c);", line: 3, col: 1 }]);
  });
});
