import { describe, expect, it } from "vitest";
import type { ApplyResult } from "../apply/types";
import { FormatTemplate, parseFormat } from "../gotemplate";
import {
  atlasActionRuns,
  atlasApplyJson,
  atlasApplyText,
  atlasFile,
  atlasStatusText,
  atlasUrl,
  goDuration,
} from "./atlas";

const applied: ApplyResult = {
  url: "postgres://app:***@db:5432/app?search_path=public",
  current: "1",
  target: "3",
  pending: ["2_b.sql", "3_c.sql"],
  applied: [
    {
      name: "2_b.sql",
      version: "2",
      description: "b",
      txMode: "file",
      ms: 4,
      statements: 2,
      total: 2,
      skipped: 0,
      stmts: ["CREATE TABLE b (id int);", "INSERT INTO b\nVALUES (1);"],
      startedAt: Date.parse("2026-01-01T00:00:00Z"),
    },
    {
      name: "3_c.sql",
      version: "3",
      description: "c",
      txMode: "file",
      ms: 1.5,
      statements: 0,
      total: 1,
      skipped: 0,
      stmts: [],
      startedAt: Date.parse("2026-01-01T00:00:00.004Z"),
      error: { stmt: "SELECT 1/0;", text: "division by zero", index: 1, line: 1 },
    },
  ],
  dryRun: false,
  ms: 1234.5,
  error: { kind: "migration", message: "3_c.sql: statement 1 (line 1) failed: division by zero" },
};
const run = { dir: "file://migrations", result: applied, startedAt: new Date("2026-01-01T00:00:00Z") };

describe("Atlas's shapes", () => {
  it("formats durations as Go does", () => {
    expect([0, 0.0005, 0.85, 12.5, 1234.5, 123_500, 3_723_000].map(goDuration)).toEqual([
      "0s",
      "500ns",
      "850µs",
      "12.5ms",
      "1.2345s",
      "2m3.5s",
      "1h2m3s",
    ]);
  });

  it("marshals files and the database URL as Atlas does (no password)", () => {
    expect(atlasFile("20240101_add_users.sql")).toEqual({
      Name: "20240101_add_users.sql",
      Version: "20240101",
      Description: "add_users",
    });
    expect(JSON.parse(JSON.stringify(atlasFile("7.sql")))).toEqual({ Name: "7.sql", Version: "7" });
    const url = atlasUrl("postgres://app:secret@db:5432/app?sslmode=disable&search_path=public");
    expect(url).toMatchObject({
      Scheme: "postgres",
      Host: "db:5432",
      Path: "/app",
      User: {},
      Schema: "public",
    });
    expect(JSON.stringify(url)).not.toContain("secret");
  });

  it("apply JSON: Atlas's fields, per-file statements and errors, empty fields left out", () => {
    const json = JSON.parse(JSON.stringify(atlasApplyJson(run)));
    expect(Object.keys(json)).toEqual([
      "Driver",
      "URL",
      "Dir",
      "Pending",
      "Applied",
      "Current",
      "Target",
      "Start",
      "End",
      "Error",
      "Outcome",
    ]);
    expect(json.Applied[0]).toEqual({
      Name: "2_b.sql",
      Version: "2",
      Description: "b",
      Start: "2026-01-01T00:00:00.000Z",
      End: "2026-01-01T00:00:00.004Z",
      Applied: ["CREATE TABLE b (id int);", "INSERT INTO b\nVALUES (1);"],
      TxMode: "file",
    });
    expect(json.Applied[1].Error).toEqual({ Stmt: "SELECT 1/0;", Text: "division by zero" });
    expect(json.End).toBe("2026-01-01T00:00:01.234Z");
    const ok = atlasApplyJson({
      ...run,
      result: { ...applied, error: undefined, applied: [applied.applied[0]!] },
    });
    expect(ok.Message).toBe("Migrated to version 3 from 1 (2 migrations in total)");
  });

  it("apply text: Atlas's header, one block per file, the summary", () => {
    expect(atlasApplyText(run)).toBe(
      [
        "Migrating to version 3 from 1 (2 migrations in total):",
        "",
        "  -- migrating version 2",
        "    -> CREATE TABLE b (id int);",
        "    -> INSERT INTO b",
        "       VALUES (1);",
        "  -- ok (4ms)",
        "",
        "  -- migrating version 3",
        "    division by zero",
        "",
        "  -------------------------",
        "  -- 1.2345s",
        "  -- 1 migration ok, 1 with errors",
        "  -- 2 sql statements ok, 1 with errors",
        "",
      ].join("\n"),
    );
    const none = { ...applied, pending: [], applied: [], error: undefined };
    expect(atlasApplyText({ ...run, result: none })).toBe("No migration files to execute\n");
  });

  it("status text: Atlas's layout, a partial file included", () => {
    const text = atlasStatusText({
      url: "postgres://db/app",
      status: "PENDING",
      current: "2",
      next: "2",
      executed: 2,
      pending: ["2_b.sql"],
      revisionsSchema: "public",
      partial: { version: "2", applied: 1, total: 3, error: "boom", errorStmt: "SELECT\nboom" },
    });
    expect(text).toBe(
      [
        "Migration Status: PENDING",
        "  -- Current Version: 2 (1 statements applied)",
        "  -- Next Version:    2 (2 statements left)",
        "  -- Executed Files:  2 (last one partially)",
        "  -- Pending Files:   1",
        "",
        "Last migration attempt had errors:",
        "  -- SQL:   SELECT boom",
        "  -- ERROR: boom",
        "",
      ].join("\n"),
    );
  });

  it("atlas-action's runs output, plus env and error", () => {
    expect(JSON.parse(JSON.stringify(atlasActionRuns([{ ...run, label: "prod[a]" }])))).toEqual([
      {
        current: "1",
        target: "3",
        applied_count: 2,
        pending_count: 2,
        pending_files: ["2_b.sql", "3_c.sql"],
        env: "prod[a]",
        url: applied.url,
        error: applied.error!.message,
        outcome: "failed",
      },
    ]);
  });
});

describe("--format templates", () => {
  const data = atlasApplyJson(run);
  it.each([
    ["{{ json . }}", JSON.stringify(JSON.parse(JSON.stringify(data)))],
    ["{{ . | json }}", JSON.stringify(JSON.parse(JSON.stringify(data)))],
    ["{{ .Target }}", "3"],
    ["{{ .URL.Host }}/{{ .Current }}", "db:5432/1"],
    ["{{ .Message }}", ""],
    ["{{ len .Pending }} pending", "2 pending"],
    ["{{ range .Applied }}{{ .Name }} {{ end }}", "2_b.sql 3_c.sql "],
    ["{{- range .Pending -}}\n{{ .Version -}}\n{{ end }}", "23"],
    ["{{ if .Error }}failed: {{ .Error }}{{ else }}ok{{ end }}", `failed: ${applied.error!.message}`],
    ["{{ json .Pending }}", JSON.stringify(applied.pending.map(atlasFile))],
    ['{{ json .Applied "  " }}', JSON.stringify(JSON.parse(JSON.stringify(data.Applied)), null, "  ")],
    ['{{ json "a<b&c" }}', '"a\\u003cb\\u0026c"'],
  ])("%s", (template, expected) => {
    expect(FormatTemplate.parse(template).execute(data)).toBe(expected);
  });

  it.each([
    ["{{ sql . }}", /"sql" is not a supported function; supported: \{\{ json \. \}\}/],
    ["{{ .Foo }}", /\. has no field "Foo" \(fields: Driver, URL/],
    ["{{ range .Applied }}", /without \{\{ end \}\}/],
    ["{{ json . ", /not closed/],
    ["{{ .Applied }}", /prints only through json/],
  ])("refuses %s with what is supported", (template, message) => {
    expect(() => FormatTemplate.parse(template).execute(data)).toThrow(message);
  });

  it("takes json alone as indented JSON", () => {
    expect(parseFormat("json")!.execute({ A: 1 })).toBe('{\n  "A": 1\n}');
    expect(parseFormat(undefined)).toBeUndefined();
  });
});
