import { chmod, cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMPAT } from "@migrate-relay/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Io } from "../command";
import { runCli } from "../index";

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "relay-hash-"));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env: {}, cwd };
}

async function copyFolder(folder: string, to = "migrations"): Promise<string> {
  const dest = join(cwd, to);
  await cp(join(COMPAT, folder), dest, { recursive: true });
  // The vectors are read-only; the copy must not be.
  await chmod(dest, 0o755);
  for (const name of await readdir(dest)) await chmod(join(dest, name), 0o644);
  return dest;
}

describe("migrate-relay hash", () => {
  it.each([
    "atlas/sum/baseline1",
    "atlas/sum/baseline2",
    "atlas/sum/migrate",
    "atlas/sum/migrate-sub",
    "atlas/sum/sqlitetx3",
    "real/chainloop-dev-chainloop",
    "real/diggerhq-digger",
    "real/hatchet-dev-hatchet",
  ])("rewrites %s's atlas.sum byte for byte", async (folder) => {
    const dir = await copyFolder(folder);
    const want = await readFile(join(dir, "atlas.sum"));
    await rm(join(dir, "atlas.sum"));
    const io = capture();
    expect(await runCli(["hash"], io)).toBe(0);
    expect((await readFile(join(dir, "atlas.sum"))).equals(want)).toBe(true);
    expect(io.stdout.join("\n")).toMatch(/atlas.sum: written/);
    // Hashing again leaves it alone.
    const again = capture();
    expect(await runCli(["hash", "--dir", "file://migrations"], again)).toBe(0);
    expect(again.stdout.join("\n")).toMatch(/unchanged/);
  });

  it("--check passes on an untouched folder", async () => {
    await copyFolder("real/diggerhq-digger", "db");
    const io = capture();
    expect(await runCli(["hash", "--dir", "file://db", "--check"], io)).toBe(0);
    expect(io.stdout.join("\n")).toMatch(/atlas.sum matches 74 file\(s\)/);
  });

  it("--check exits 1 with the L<n> message for an edited, an added and a removed file", async () => {
    const dir = await copyFolder("atlas/sum/baseline2");
    const edited = join(dir, "20220318104614_initial.sql");
    const original = await readFile(edited);
    await writeFile(edited, `${original}\n-- edited`);
    let io = capture();
    expect(await runCli(["hash", "--check"], io)).toBe(1);
    expect(io.stderr[0]).toBe(
      "migrate-relay hash: L3: 20220318104614_initial.sql was edited (atlas.sum does not match the directory; if the change is intended, run migrate-relay hash)",
    );
    expect(io.stderr[1]).toMatch(/migrations: atlas.sum does not match .* run `migrate-relay hash`/);

    await writeFile(edited, original);
    await writeFile(join(dir, "20220318104616_third.sql"), "SELECT 3;\n");
    io = capture();
    expect(await runCli(["hash", "--check"], io)).toBe(1);
    expect(io.stderr[0]).toMatch(
      /L5: 20220318104616_third.sql was added \(atlas\.sum does not match the directory; .*run migrate-relay hash\)$/,
    );

    await rm(join(dir, "20220318104616_third.sql"));
    await rm(join(dir, "1_baseline.sql"));
    io = capture();
    expect(await runCli(["hash", "--check"], io)).toBe(1);
    expect(io.stderr[0]).toMatch(
      /L2: 1_baseline.sql was removed \(atlas\.sum does not match the directory; .*run migrate-relay hash\)$/,
    );
  });

  it("--check fails when .sql files have no atlas.sum", async () => {
    const dir = await copyFolder("atlas/sum/baseline1");
    await rm(join(dir, "atlas.sum"));
    const io = capture();
    expect(await runCli(["hash", "--check"], io)).toBe(1);
    expect(io.stderr[0]).toMatch(/atlas.sum not found/);
  });

  it("a missing directory or a bad flag is a usage error (exit 2)", async () => {
    let io = capture();
    expect(await runCli(["hash", "--dir", "file://nope"], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/migration directory .*nope does not exist/);
    io = capture();
    expect(await runCli(["hash", "--dir", "s3://bucket/x"], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/not a local directory/);
    io = capture();
    expect(await runCli(["hash", "--nope"], io)).toBe(2);
  });

  it("--help shows an example", async () => {
    const io = capture();
    expect(await runCli(["hash", "--help"], io)).toBe(0);
    expect(io.stdout.join("\n")).toMatch(/Example:\n {2}migrate-relay hash --dir file:\/\/migrations/);
  });

  it("reads the directory from --env", async () => {
    await copyFolder("atlas/sum/sqlitetx3", "mig");
    await writeFile(join(cwd, "atlas.hcl"), 'env "ci" {\n  migration {\n    dir = "file://mig"\n  }\n}\n');
    const io = capture();
    expect(await runCli(["hash", "--env", "ci", "--check"], io)).toBe(0);
    expect(io.stdout.join("\n")).toMatch(/mig: atlas.sum matches 2 file\(s\)/);
  });
});
