import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { archiveName, COMPAT, SUM_FOLDERS } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";
import { isRelayError } from "../errors";
import { archiveDir, digestOf, unarchiveDir } from "./archive";
import { migrationFile, readDir } from "./files";
import type { MigrationDir } from "./types";

const enc = new TextEncoder();

describe("archiveDir is byte-identical to Go's archive/tar (Atlas's layout)", () => {
  it.each(SUM_FOLDERS)("%s", async (folder) => {
    const dir = await readDir(join(COMPAT, folder));
    const want = await readFile(join(COMPAT, "archive", `${archiveName(folder)}.tar`));
    const got = archiveDir(dir);
    expect(got.length).toBe(want.length);
    expect(Buffer.from(got).equals(want)).toBe(true);
    expect(digestOf(got)).toBe(digestOf(want));
    // And reading Go's bytes gives the folder back.
    expect(unarchiveDir(want)).toEqual(dir);
  });
});

describe("names USTAR cannot hold (longer than 100 bytes, not ASCII) get Go's PAX headers", () => {
  it("byte-identical to Go 1.19's output (testdata/go-pax-names.tar)", async () => {
    const want = await readFile(new URL("./testdata/go-pax-names.tar", import.meta.url));
    const files = [
      migrationFile(`1_${"x".repeat(120)}.sql`, enc.encode("A;")),
      migrationFile("2_café.sql", enc.encode("B;")),
      migrationFile(`3_${"é".repeat(60)}.sql`, enc.encode("C".repeat(700))),
      migrationFile(`4_${"y".repeat(97)}.sql`, new Uint8Array()),
      migrationFile(`5_${"z".repeat(300)}.sql`, enc.encode("D;")),
    ];
    const dir: MigrationDir = { files, sum: enc.encode("h1:x\n") };
    expect(Buffer.from(archiveDir(dir)).equals(want)).toBe(true);
    expect(unarchiveDir(want)).toEqual(dir);
  });
});

describe("archives Atlas itself writes", () => {
  it("reads them without the last padding and end marker (testdata/go-atlas-unclosed.tar)", async () => {
    // Atlas's ArchiveDir returns before its deferred tw.Close(), so that is what it uploads.
    const bytes = await readFile(new URL("./testdata/go-atlas-unclosed.tar", import.meta.url));
    expect(bytes.length).toBe(1538);
    expect(unarchiveDir(bytes)).toEqual({
      files: [migrationFile("1_a.sql", enc.encode("A;"))],
      sum: enc.encode("h1:x\n"),
    });
    // Cut at a block boundary too: what survives is read; validating atlas.sum catches what did not.
    const ours = archiveDir({
      files: [migrationFile("1_a.sql", enc.encode("A;"))],
      sum: enc.encode("h1:x\n"),
    });
    expect(unarchiveDir(ours.subarray(0, 1024)).files).toEqual([]);
    expect(unarchiveDir(new Uint8Array())).toEqual({ files: [], sum: null });
  });
});

describe("unarchiveDir(archiveDir(d)) == d", () => {
  it("for a directory with and without atlas.sum, and an empty file", () => {
    const files = [
      migrationFile("2_b.sql", enc.encode("B;\n")),
      migrationFile("1_a.sql", enc.encode("x".repeat(1024))),
      migrationFile("3_empty.sql", new Uint8Array()),
    ];
    const sorted = [files[1]!, files[0]!, files[2]!];
    const withSum: MigrationDir = { files, sum: enc.encode("h1:x\n") };
    expect(unarchiveDir(archiveDir(withSum))).toEqual({ files: sorted, sum: withSum.sum });
    expect(unarchiveDir(archiveDir({ files, sum: null }))).toEqual({ files: sorted, sum: null });
    expect(unarchiveDir(archiveDir({ files: [], sum: null }))).toEqual({ files: [], sum: null });
  });

  it("for names longer than 100 bytes and non-ASCII names (PAX headers, as Go writes them)", async () => {
    const long = `${"1".repeat(14)}_${"x".repeat(120)}.sql`;
    const utf8 = "2_café.sql";
    const dir: MigrationDir = {
      files: [migrationFile(long, enc.encode("A;")), migrationFile(utf8, enc.encode("B;"))],
      sum: null,
    };
    const bytes = archiveDir(dir);
    expect(unarchiveDir(bytes)).toEqual(dir);
    const text = Buffer.from(bytes).toString("latin1");
    expect(text.startsWith(`PaxHeaders.0/${long}`.slice(0, 100))).toBe(true);
    expect(text).toContain(`${long.length + 10} path=${long}\n`);
    // An independent reader (GNU or BSD tar) sees the same names.
    const tmp = await mkdtemp(join(tmpdir(), "relay-tar-"));
    try {
      await writeFile(join(tmp, "a.tar"), bytes);
      const listed = execFileSync("tar", ["-tf", join(tmp, "a.tar")], { encoding: "utf8" });
      expect(listed.trim().split("\n")).toEqual([long, utf8]);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

// A hand-built tar entry for hostile cases: fields as a writer that does not play by the rules would set.
function header(name: string, size: number, opts: { type?: string; link?: string; badSum?: boolean } = {}) {
  const b = new Uint8Array(512);
  const put = (off: number, s: string) => b.set(enc.encode(s), off);
  put(0, name);
  put(100, "0000600\0");
  put(108, "0000000\0");
  put(116, "0000000\0");
  put(124, `${size.toString(8).padStart(11, "0")}\0`);
  put(136, "00000000000\0");
  put(156, opts.type ?? "0");
  if (opts.link) put(157, opts.link);
  put(257, "ustar\u000000");
  b.fill(0x20, 148, 156);
  let sum = b.reduce((n, c) => n + c, 0);
  if (opts.badSum) sum += 1;
  put(148, `${sum.toString(8).padStart(6, "0")}\0 `);
  return b;
}
function tar(...parts: Uint8Array[]): Uint8Array {
  const all = [...parts, new Uint8Array(1024)];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
function file(name: string, body: string, opts: { type?: string; link?: string; badSum?: boolean } = {}) {
  const data = enc.encode(body);
  const padded = new Uint8Array(Math.ceil(data.length / 512) * 512);
  padded.set(data);
  return tar(header(name, data.length, opts), padded).subarray(0, 512 + padded.length);
}
function refused(bytes: Uint8Array, options?: { maxBytes?: number }): string {
  try {
    unarchiveDir(bytes, options);
  } catch (err) {
    expect(isRelayError(err, "integrity")).toBe(true);
    return (err as Error).message;
  }
  throw new Error("expected unarchiveDir to refuse the archive");
}

describe("unarchiveDir refuses hostile archives", () => {
  it("the hand-built helper makes archives it accepts", () => {
    const dir = unarchiveDir(tar(file("1_a.sql", "A;")));
    expect(dir.files.map((f) => f.name)).toEqual(["1_a.sql"]);
  });

  it("path traversal", () => {
    expect(refused(tar(file("../1_evil.sql", "x")))).toMatch(/leaves the directory/);
    expect(refused(tar(file("sub/../../1.sql", "x")))).toMatch(/leaves the directory/);
    expect(refused(tar(file("..", "x")))).toMatch(/leaves the directory/);
  });

  it("names with a slash, absolute names and Windows drive names", () => {
    expect(refused(tar(file("/etc/1.sql", "x")))).toMatch(/absolute name/);
    expect(refused(tar(file("C:1.sql", "x")))).toMatch(/absolute name/);
    expect(refused(tar(file("sub/1.sql", "x")))).toMatch(/not a flat file name/);
    expect(refused(tar(file("sub\\1.sql", "x")))).toMatch(/not a flat file name/);
  });

  it("a NUL inside a name", () => {
    expect(refused(tar(file("1.sql\0../../x", "x")))).toMatch(/hidden after a NUL/);
  });

  it("symlinks, hard links, directories and other non-regular entries", () => {
    expect(refused(tar(file("1_link.sql", "", { type: "2", link: "/etc/passwd" })))).toMatch(/symbolic link/);
    expect(refused(tar(file("1_hard.sql", "", { type: "1", link: "atlas.sum" })))).toMatch(/hard link/);
    expect(refused(tar(file("d", "", { type: "5" })))).toMatch(/directory/);
    expect(refused(tar(file("f", "", { type: "6" })))).toMatch(/FIFO/);
  });

  it("duplicate names", () => {
    expect(refused(tar(file("1_a.sql", "A;"), file("1_a.sql", "B;")))).toMatch(/"1_a.sql" appears twice/);
  });

  it("truncated data and a truncated header", () => {
    const good = tar(file("1_a.sql", "x".repeat(600)), file("2_b.sql", "y"));
    expect(refused(good.subarray(0, 512 + 100))).toMatch(
      /truncated: entry 1 needs 600 bytes of data, 100 remain/,
    );
    expect(refused(good.subarray(0, 512 + 599))).toMatch(/truncated: entry 1 needs 600 bytes/);
    expect(refused(good.subarray(0, 1536 + 300))).toMatch(/truncated header at byte 1536/);
    // A PAX header with nothing after it.
    expect(refused(file("PaxHeaders.0/x", "12 path=x.a\n", { type: "x" }))).toMatch(
      /PAX header is not followed/,
    );
  });

  it("entries over the size limit, before reading their data", () => {
    expect(refused(tar(file("1_a.sql", "x".repeat(2000))), { maxBytes: 1000 })).toMatch(
      /limit of 1000 bytes/,
    );
    // The size field alone is enough to refuse: a header claiming 1 GiB with no data behind it.
    expect(refused(tar(header("1_a.sql", 1024 ** 3)))).toMatch(/limit of 67108864 bytes/);
    // The limit is on all entries together.
    const two = tar(file("1_a.sql", "x".repeat(600)), file("2_b.sql", "y".repeat(600)));
    expect(refused(two, { maxBytes: 1000 })).toMatch(/exceed the limit/);
    expect(unarchiveDir(two, { maxBytes: 1200 }).files).toHaveLength(2);
  });

  it("a corrupted header checksum", () => {
    expect(refused(tar(file("1_a.sql", "A;", { badSum: true })))).toMatch(/checksum mismatch/);
  });

  it("a traversal hidden in a PAX path record", () => {
    const record = "30 path=../../../../etc/x.sql\n";
    expect(record.length).toBe(30);
    const pax = file("PaxHeaders.0/x", record, { type: "x" });
    expect(refused(tar(pax, file("x.sql", "A;")))).toMatch(/leaves the directory/);
  });
});

describe("digestOf", () => {
  it("is sha256:<hex> of the bytes", () => {
    expect(digestOf(new Uint8Array())).toBe(
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });
});
