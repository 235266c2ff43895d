// apply never runs past a failure (issue 9): whatever the error, no file after a failed one runs or is
// recorded, in every tx mode; and a file's bytes are hashed and sent as they are.
import { applyDir, type TxMode } from "@migrate-relay/core";
import { memDir, publicTables, revisionRows, testDatabase } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";
import { migrationFile } from "../packages/core/src/dir/files";
import { hashDir } from "../packages/core/src/dir/sum";

const withSsl = (url: string) => `${url}?sslmode=disable`;
const MODES: TxMode[] = ["file", "all", "none"];

/** The example, with the bad first file given as `first`. */
const example = (first: string) =>
  memDir({
    "1_bad.sql": first,
    "2_good.sql": "create table b(x int);\n",
    "3_good.sql": "create table c(x int);\n",
  });

describe("apply: nothing after a failed file runs", () => {
  for (const txMode of MODES) {
    for (const [kind, bad] of [
      ["a parse-time error", "create table a(x int);\nselec 1;\n"],
      ["a bad literal", "create table a(x int);\nselect E'\\xff'::text;\n"],
      ["a run-time error", "create table a(x int);\nselect 1/0;\n"],
    ]) {
      it(`tx-mode ${txMode}, ${kind}: stops at file 1; fixed, applies 1, 2, 3`, async () => {
        const url = withSsl(await testDatabase());
        const r = await applyDir(example(bad as string), { url, txMode });
        expect(r.error?.kind).toBe("migration");
        expect(r.error?.message).toMatch(/^1_bad\.sql: statement 2 \(line 2\)/);
        expect(r.applied.map((f) => [f.name, f.error ? "failed" : "ok"])).toEqual([["1_bad.sql", "failed"]]);
        const rows = await revisionRows(url);
        if (txMode === "none") {
          expect(rows.map((x) => [x.version, x.applied])).toEqual([["1", "1"]]);
          expect(await publicTables(url)).toEqual(["a"]);
        } else {
          expect(rows).toEqual([]);
          expect(await publicTables(url)).toEqual([]);
        }
        const fixed = await applyDir(example("create table a(x int);\nselect 1;\n"), { url, txMode });
        expect(fixed.error).toBeUndefined();
        expect(fixed.applied.map((f) => f.name)).toEqual(["1_bad.sql", "2_good.sql", "3_good.sql"]);
        expect((await revisionRows(url)).map((x) => x.version)).toEqual(["1", "2", "3"]);
        expect(await publicTables(url)).toEqual(["a", "b", "c"]);
      });
    }
  }

  it("a parse error deep in the pipeline stops the run at its file", async () => {
    const url = withSsl(await testDatabase());
    const files: Record<string, string> = {};
    for (let i = 1; i <= 70; i++) {
      const v = String(i).padStart(2, "0");
      files[`${v}_t.sql`] =
        i === 40 ? `CREATE TABLE t${v} (id int);\nselec 1;` : `CREATE TABLE t${v} (id int);`;
    }
    const r = await applyDir(memDir(files), { url });
    expect(r.error?.message).toMatch(/^40_t\.sql: statement 2/);
    expect(r.applied.map((f) => f.version)).toHaveLength(40);
    expect(r.applied.filter((f) => f.error).map((f) => f.version)).toEqual(["40"]);
    expect(await revisionRows(url)).toHaveLength(39);
    expect(await publicTables(url)).toHaveLength(39);
  });
});

describe("apply: a file's bytes", () => {
  /** `insert ... values ('caf<0xE9>')`: Latin-1, not UTF-8. */
  const latin1 = () => {
    const enc = new TextEncoder();
    const head = enc.encode("create table t(x text);\ninsert into t values ('caf");
    const bytes = new Uint8Array([...head, 0xe9, ...enc.encode("');\n")]);
    const list = [
      migrationFile("1_ok.sql", enc.encode("create table ok(x int);\n")),
      migrationFile("2_latin1.sql", bytes),
      migrationFile("3_later.sql", enc.encode("create table later(x int);\n")),
    ];
    return { files: list, sum: hashDir(list) };
  };

  for (const txMode of MODES) {
    it(`tx-mode ${txMode}: bytes invalid in UTF-8 are refused with file, line and byte offset, before the file runs`, async () => {
      const url = withSsl(await testDatabase());
      const r = await applyDir(latin1(), { url, txMode });
      expect(r.error?.kind).toBe("migration");
      expect(r.error?.message).toMatch(
        /2_latin1\.sql: line 2, byte offset 50: the bytes 0xe9 0x27 are not valid UTF-8/,
      );
      expect(await publicTables(url)).toEqual([]);
      expect(await revisionRows(url).catch(() => [])).toEqual([]);
    });
  }
});
