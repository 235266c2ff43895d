import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isRelayError } from "../errors";
import { compareNames, dirPath, parseName, readDir, writeDir } from "./files";

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "relay-dir-"));
  temps.push(d);
  return d;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe("parseName", () => {
  it.each([
    ["1_init.sql", "1", "init"],
    ["20240101000000_add_users.sql", "20240101000000", "add_users"],
    ["20230710111950-cas-backend.sql", "20230710111950-cas-backend", ""],
    ["20241120213143.sql", "20241120213143", ""],
    ["1_initial.up.sql", "1", "initial.up"],
    ["2.10.x-20_description.sql", "2.10.x-20", "description"],
    ["20241204191714_v0.52.5.sql", "20241204191714", "v0.52.5"],
  ])("%s -> version %s, description %s", (name, version, description) => {
    expect(parseName(name)).toEqual({ version, description });
  });
});

describe("compareNames", () => {
  it("orders by bytes, not by locale", () => {
    const names = ["b.sql", "B.sql", "a_x.sql", "a.sql", "é.sql", "z.sql", "😀.sql", "\uffff.sql"];
    const sorted = [...names].sort(compareNames);
    const byBytes = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(sorted).toEqual(byBytes);
    // '.' (0x2e) sorts before '_' (0x5f): the order Atlas and Go use.
    expect(compareNames("1.sql", "1_a.sql")).toBeLessThan(0);
    expect(compareNames("B", "a")).toBeLessThan(0);
    expect(compareNames("a", "a")).toBe(0);
  });
});

describe("dirPath", () => {
  it("accepts file://rel, file:///abs and plain paths", () => {
    expect(dirPath("file://migrations", "/repo")).toBe("/repo/migrations");
    expect(dirPath("file:///abs/m", "/repo")).toBe("/abs/m");
    expect(dirPath("db/migrations", "/repo")).toBe("/repo/db/migrations");
    expect(dirPath("file://migrations?format=atlas", "/repo")).toBe("/repo/migrations");
  });

  it("refuses other schemes and formats as config errors", () => {
    expect(() => dirPath("s3://bucket/x")).toThrow(/not a local directory/);
    expect(() => dirPath("file://m?format=golang-migrate")).toThrow(/format "golang-migrate"/);
    try {
      dirPath("atlas://app");
    } catch (err) {
      expect(isRelayError(err, "config")).toBe(true);
    }
  });
});

describe("readDir / writeDir", () => {
  it("reads top-level .sql files in byte order and atlas.sum; skips subfolders and other files", async () => {
    const d = await tempDir();
    await writeFile(join(d, "2_b.sql"), "B;");
    await writeFile(join(d, "10_a.sql"), "A;");
    await writeFile(join(d, "README.md"), "no");
    await writeFile(join(d, "atlas.sum"), "h1:x\n");
    await mkdir(join(d, "sub"));
    await writeFile(join(d, "sub", "0_sub.sql"), "S;");
    await mkdir(join(d, "dir.sql"));
    const dir = await readDir(`file://${relative(process.cwd(), d)}`);
    expect(dir.files.map((f) => f.name)).toEqual(["10_a.sql", "2_b.sql"]);
    expect(dir.files[0]).toMatchObject({ version: "10", description: "a" });
    expect(new TextDecoder().decode(dir.files[1]!.content)).toBe("B;");
    expect(new TextDecoder().decode(dir.sum!)).toBe("h1:x\n");
  });

  it("follows symlinked files like Go's ReadFile", async () => {
    const d = await tempDir();
    await writeFile(join(d, "target.txt"), "T;");
    await symlink(join(d, "target.txt"), join(d, "1_link.sql"));
    const dir = await readDir(d);
    expect(dir.files.map((f) => f.name)).toEqual(["1_link.sql"]);
  });

  it("reports a missing folder clearly", async () => {
    const d = await tempDir();
    await expect(readDir(`file://${d}/nope`)).rejects.toThrow(/migration directory .*nope does not exist/);
    await writeFile(join(d, "f"), "");
    await expect(readDir(join(d, "f"))).rejects.toThrow(/is not a directory/);
  });

  // One rule for names at hash, push and pull: what pull would refuse, or what atlas.sum cannot hold.
  it.each([
    ["a\\b.sql", "\\"],
    [" 2_lead.sql", "space"],
    ["4_x h1:y.sql", "h1:"],
    ["5_new\nline.sql", "control"],
  ])("refuses the file name %j with a clear error", async (name, why) => {
    const d = await tempDir();
    await writeFile(join(d, "1_ok.sql"), "SELECT 1;");
    await writeFile(join(d, name), "SELECT 2;");
    const err = await readDir(d).catch((e: unknown) => e);
    expect(isRelayError(err, "input")).toBe(true);
    expect((err as Error).message).toContain(JSON.stringify(name));
    expect((err as Error).message).toContain(why);
  });

  it("returns sum null when atlas.sum is absent", async () => {
    const d = await tempDir();
    await writeFile(join(d, "1.sql"), "x");
    expect((await readDir(d)).sum).toBeNull();
  });

  it("writeDir writes files and atlas.sum, and refuses names that leave the folder", async () => {
    const d = await tempDir();
    const out = join(d, "a", "b");
    const content = new TextEncoder().encode("SELECT 1;");
    await writeDir(out, {
      files: [{ name: "1_x.sql", version: "1", description: "x", content }],
      sum: new TextEncoder().encode("h1:s\n"),
    });
    expect(await readFile(join(out, "1_x.sql"), "utf8")).toBe("SELECT 1;");
    expect(await readFile(join(out, "atlas.sum"), "utf8")).toBe("h1:s\n");
    await expect(
      writeDir(out, { files: [{ name: "../evil.sql", version: "", description: "", content }], sum: null }),
    ).rejects.toThrow(/not a plain file name/);
  });

  const state = (...names: string[]) => ({
    files: names.map((name) => ({
      name,
      version: "",
      description: "",
      content: new TextEncoder().encode(name),
    })),
    sum: new TextEncoder().encode("h1:s\n"),
  });

  it("writeDir replaces a folder a previous pull wrote, whole: files of the old state are gone", async () => {
    const out = join(await tempDir(), "out");
    await writeDir(out, state("1.sql", "2.sql"));
    await writeDir(out, state("1.sql", "3.sql"));
    expect((await readdir(out)).sort()).toEqual(["1.sql", "3.sql", "atlas.sum"]);
  });

  it("writeDir never writes through a link inside the folder, nor into a linked folder", async () => {
    const d = await tempDir();
    const outside = join(d, "precious.txt");
    await writeFile(outside, "keep me");
    const out = join(d, "out");
    await mkdir(out);
    await symlink(outside, join(out, "atlas.sum"));
    await expect(writeDir(out, state("1.sql"))).rejects.toThrow(/atlas\.sum.*link/);
    expect(await readFile(outside, "utf8")).toBe("keep me");

    const real = join(d, "real");
    await mkdir(real);
    await symlink(real, join(d, "linked"));
    await expect(writeDir(join(d, "linked"), state("1.sql"))).rejects.toThrow(/link/);
    expect(await readdir(real)).toEqual([]);
  });

  it("writeDir refuses a --to that is a file or holds other files, and leaves it as it was", async () => {
    const d = await tempDir();
    await writeFile(join(d, "file"), "x");
    await expect(writeDir(join(d, "file"), state("1.sql"))).rejects.toThrow(/file.*not a folder/);
    const out = join(d, "project");
    await mkdir(out);
    await writeFile(join(out, "README.md"), "mine");
    await expect(writeDir(out, state("1.sql"))).rejects.toThrow(/README\.md/);
    expect(await readdir(out)).toEqual(["README.md"]);
    expect((await readdir(d)).sort()).toEqual(["file", "project"]);
  });
});
