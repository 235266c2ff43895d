import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMPAT, copyWritable, SUM_FOLDERS } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";
import { isRelayError } from "../errors";
import { migrationFile, readDir } from "./files";
import { hashDir, parseSum, sumTotal, validateDir } from "./sum";
import type { MigrationDir } from "./types";

// A mismatch names atlas.sum and the way out, after the line and file.
const FIX = "atlas.sum does not match the directory; if the change is intended, run migrate-relay hash";

const enc = new TextEncoder();
const dec = new TextDecoder();

function validationError(dir: MigrationDir): string {
  try {
    validateDir(dir);
  } catch (err) {
    expect(isRelayError(err, "integrity")).toBe(true);
    return (err as Error).message;
  }
  throw new Error("expected validateDir to fail");
}

describe("hashDir reproduces Atlas's atlas.sum byte for byte", () => {
  it.each(SUM_FOLDERS)("%s", async (folder) => {
    const dir = await readDir(join(COMPAT, folder));
    expect(dir.files.length).toBeGreaterThan(0);
    const want = await readFile(join(COMPAT, folder, "atlas.sum"));
    expect(Buffer.from(hashDir(dir.files)).equals(want)).toBe(true);
    expect(() => validateDir(dir)).not.toThrow();
    expect(sumTotal(want)).toBe(dec.decode(want).split("\n")[0]);
  });

  it("a subfolder (migrate/sub) is not part of the directory", async () => {
    const tmp = await mkdtemp(join(tmpdir(), "relay-sum-"));
    try {
      await copyWritable(join(COMPAT, "atlas/sum/migrate"), tmp);
      await copyWritable(join(COMPAT, "atlas/sum/migrate-sub"), join(tmp, "sub"));
      const dir = await readDir(tmp);
      expect(dir.files.map((f) => f.name)).toEqual(["1_initial.down.sql", "1_initial.up.sql"]);
      expect(Buffer.from(hashDir(dir.files)).equals(await readFile(join(tmp, "atlas.sum")))).toBe(true);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

describe("validateDir names the line, file and reason", () => {
  let base: MigrationDir;

  it("loads baseline2", async () => {
    base = await readDir(join(COMPAT, "atlas/sum/baseline2"));
    expect(base.files.map((f) => f.name)).toEqual([
      "1_baseline.sql",
      "20220318104614_initial.sql",
      "20220318104615_second.sql",
    ]);
  });

  it("an edited file", () => {
    const files = base.files.map((f) =>
      f.name === "20220318104614_initial.sql"
        ? migrationFile(f.name, enc.encode(`${dec.decode(f.content)}\n-- x`))
        : f,
    );
    expect(validationError({ files, sum: base.sum })).toBe(
      `L3: 20220318104614_initial.sql was edited (${FIX})`,
    );
  });

  it("an added file, at the end and in the middle", () => {
    const extra = migrationFile("20220318104616_third.sql", enc.encode("SELECT 3;"));
    expect(validationError({ files: [...base.files, extra], sum: base.sum })).toBe(
      `L5: 20220318104616_third.sql was added (${FIX})`,
    );
    const middle = migrationFile("1_middle.sql", enc.encode("SELECT 2;"));
    expect(validationError({ files: [...base.files, middle], sum: base.sum })).toBe(
      `L3: 1_middle.sql was added (${FIX})`,
    );
  });

  it("a removed file, at the end and at the start", () => {
    expect(validationError({ files: base.files.slice(0, 2), sum: base.sum })).toBe(
      `L4: 20220318104615_second.sql was removed (${FIX})`,
    );
    expect(validationError({ files: base.files.slice(1), sum: base.sum })).toBe(
      `L2: 1_baseline.sql was removed (${FIX})`,
    );
  });

  it("a hand-edited atlas.sum line (total no longer matches)", () => {
    const text = dec.decode(base.sum!).replace("h1:", "h1:A");
    expect(validationError({ files: base.files, sum: enc.encode(text) })).toBe(
      `L1: atlas.sum was edited (${FIX})`,
    );
  });

  it("a directory with .sql files and no atlas.sum", () => {
    expect(validationError({ files: base.files, sum: null })).toMatch(/^atlas.sum not found/);
    expect(() => validateDir({ files: [], sum: null })).not.toThrow();
  });

  it("a malformed atlas.sum", () => {
    expect(validationError({ files: base.files, sum: enc.encode("nope\n") })).toMatch(/atlas.sum L1/);
    expect(validationError({ files: base.files, sum: enc.encode("h1:x\nfoo bar\n") })).toMatch(
      /atlas.sum L2/,
    );
  });
});

describe("atlas:sum ignore", () => {
  it("hashes the name but not the content, and gives no line", () => {
    const a = migrationFile("1_a.sql", enc.encode("A;"));
    const ignored = migrationFile("2_b.sql", enc.encode("-- atlas:sum ignore\nB;"));
    const ignoredOther = migrationFile("2_b.sql", enc.encode("-- atlas:sum ignore\nOTHER;"));
    const c = migrationFile("3_c.sql", enc.encode("C;"));
    const sum = hashDir([a, ignored, c]);
    const lines = parseSum(sum).lines.map((l) => l.name);
    expect(lines).toEqual(["1_a.sql", "3_c.sql"]);
    // Content of the ignored file does not matter; its name does.
    expect(hashDir([a, ignoredOther, c])).toEqual(sum);
    expect(hashDir([a, c])).not.toEqual(sum);
  });

  it("sorts files by name bytes before hashing", () => {
    const a = migrationFile("1_a.sql", enc.encode("A;"));
    const b = migrationFile("2_b.sql", enc.encode("B;"));
    expect(hashDir([b, a])).toEqual(hashDir([a, b]));
  });
});

describe("parseSum", () => {
  it("accepts CRLF line ends like Go's bufio.Scanner", async () => {
    const sum = await readFile(join(COMPAT, "atlas/sum/baseline2/atlas.sum"), "utf8");
    const crlf = parseSum(enc.encode(sum.replace(/\n/g, "\r\n")));
    expect(crlf).toEqual(parseSum(enc.encode(sum)));
    expect(crlf.lines).toHaveLength(3);
  });

  it("an empty directory has only the total line", () => {
    expect(dec.decode(hashDir([]))).toBe("h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
  });
});
