// Seeded fuzzers for the parsers that read what others wrote: atlas.hcl (parser + evaluator), the
// archive reader, atlas.sum and the statement splitter. A case holds when the parser answers or
// throws a RelayError (a clear, kind-tagged message); anything else (a TypeError, a stack overflow,
// a hang past the test timeout) is lost.
import { readFileSync } from "node:fs";
import {
  archiveDir,
  hashDir,
  isRelayError,
  migrationFile,
  parseSum,
  resolveEnvFromSource,
  splitStatements,
  unarchiveDir,
  validateDir,
} from "@migrate-relay/core";
import { describe, expect, it } from "vitest";
import { record, rng, SCALE, SEED } from "./table";

const CASES = 2000 * SCALE;

function fuzz(name: string, seed: number, make: (r: ReturnType<typeof rng>) => () => unknown) {
  it(`${name}: ${CASES} cases, only answers or clear errors`, () => {
    const r = rng(seed);
    let held = 0;
    const lost: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const run = make(r);
      try {
        run();
        held++;
      } catch (err) {
        if (isRelayError(err) && err.message.length > 0) held++;
        else
          lost.push(
            `case ${i}: ${(err as Error)?.constructor?.name}: ${String((err as Error)?.message).slice(0, 120)}`,
          );
      }
    }
    record(`fuzz ${name}`, CASES, held, `seed ${seed}`);
    expect(lost.slice(0, 5)).toEqual([]);
  });
}

/** Random edits of a valid input: flips, deletions, duplications, insertions of hostile snippets. */
function mutate<T extends string | Uint8Array>(r: ReturnType<typeof rng>, input: T, snippets: string[]): T {
  let bytes = typeof input === "string" ? Buffer.from(input) : Buffer.from(input);
  const edits = 1 + r.int(6);
  for (let e = 0; e < edits; e++) {
    const at = r.int(bytes.length + 1);
    switch (r.int(5)) {
      case 0:
        if (bytes.length) bytes[Math.min(at, bytes.length - 1)] = r.int(256);
        break;
      case 1:
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          bytes.subarray(Math.min(bytes.length, at + 1 + r.int(64))),
        ]);
        break;
      case 2: {
        const len = r.int(128);
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + len), bytes.subarray(at)]);
        break;
      }
      case 3:
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(r.pick(snippets)), bytes.subarray(at)]);
        break;
      default:
        bytes = bytes.subarray(0, at);
    }
  }
  return (typeof input === "string" ? bytes.toString("utf8") : new Uint8Array(bytes)) as T;
}

const HCL = readFileSync(new URL("../../examples/demo/atlas.hcl", import.meta.url), "utf8");
const HCL_SNIPPETS = [
  "${",
  "}",
  "[".repeat(300),
  "(".repeat(300),
  "{a = ".repeat(200),
  " + 1".repeat(500),
  "[0]".repeat(500),
  '"${"${"${',
  "<<EOT\n",
  "%{",
  "/*",
  "\u0000",
  "\uFEFF",
  'env "x" {\n',
  "for_each = toset(var.x)\n",
  'getenv("HOME")',
  'file("/etc/passwd")',
  "-".repeat(300),
  "!".repeat(300),
  '"',
  "\\",
  "1e999999",
  "a.b.c.d.e",
];

const SQL_FILES = [
  migrationFile("1_init.sql", Buffer.from("CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n")),
  migrationFile(
    "2_fn.sql",
    Buffer.from("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n"),
  ),
  migrationFile("3_more.sql", Buffer.from("-- atlas:txmode none\nCREATE INDEX CONCURRENTLY i ON a (id);\n")),
];
const ARCHIVE = archiveDir({ files: SQL_FILES, sum: hashDir(SQL_FILES) });
const SUM = hashDir(SQL_FILES);
const SQL = SQL_FILES.map((f) => Buffer.from(f.content).toString("utf8")).join("\n");
const SQL_SNIPPETS = [
  "$$",
  "$tag$",
  "'",
  '"',
  "/*",
  "*/",
  "--",
  ";",
  "\\",
  "E'",
  "BEGIN",
  "delimiter //\n",
  "\u0000",
];

describe("seeded fuzzers", () => {
  fuzz("atlas.hcl parser+evaluator", SEED, (r) => {
    const source = mutate(r, HCL, HCL_SNIPPETS);
    const env = r.pick(["prod", "ci", "dev", "x"]);
    return () =>
      resolveEnvFromSource(source, "atlas.hcl", {
        env,
        getenv: () => "postgres://u:pw@h/db",
        readFile: () => "x",
      });
  });

  fuzz("archive reader", SEED + 1, (r) => {
    const bytes = mutate(r, ARCHIVE, ["ustar\u0000", "././@LongLink", "../x.sql", "/etc/x.sql", "a\\b.sql"]);
    return () => unarchiveDir(bytes, { maxBytes: 1024 * 1024 });
  });

  fuzz("atlas.sum parser", SEED + 2, (r) => {
    const sum = mutate(r, SUM, ["h1:", " h1:", "\n", "\r\n", "\u0000", "=", "4_x.sql h1:abc=\n"]);
    return () => {
      parseSum(sum);
      validateDir({ files: SQL_FILES, sum });
    };
  });

  fuzz("statement splitter", SEED + 3, (r) => {
    const sql = mutate(r, SQL, SQL_SNIPPETS);
    return () => splitStatements(sql);
  });
});
