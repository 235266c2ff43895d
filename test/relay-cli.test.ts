// `migrate-relay push` and `pull`, run in-process against the real loopback services.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "@migrate-relay/cli";
import { writeDir } from "@migrate-relay/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDir, type Rig, startRig, tempDir, uniqueSlug } from "./relay-helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.stop());

async function cli(argv: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { ATLAS_TOKEN: rig.registry.token, ...env },
    cwd,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function project(files: number) {
  const cwd = await tempDir("cli");
  await writeDir(join(cwd, "migrations"), makeDir(files));
  return cwd;
}

describe("migrate-relay push", () => {
  it("pushes with flags only, one line per target, and prints Atlas's JSON with --format json", async () => {
    const cwd = await project(3);
    const slug = uniqueSlug("cli");
    const base = ["push", "--dir", "file://migrations", "--dir-name", slug, "--cloud-url", rig.registry.url];
    const backups = ["--backup", rig.s3Url, "--backup", rig.fileUrl, "--grant-dir", rig.grantDir];
    const text = await cli([...base, ...backups, "--tag", "v3"], cwd);
    expect(text.code).toBe(0);
    // stdout: the registry's link only, as Atlas prints it; progress on stderr.
    expect(text.out).toMatch(/^https:\/\/testkit\.atlasgo\.cloud\/dirs\/\d+\/tags\/v3$/);
    const lines = text.err.split("\n");
    expect(lines.filter((l) => l.startsWith("ok   "))).toHaveLength(3);
    expect(text.err).toContain(`atlas://${slug}`);
    expect(lines.at(-1)).toMatch(
      new RegExp(`^Pushed ${slug}:v3 \\(version 000003, 3 files, sha256:[0-9a-f]{64}\\) to 3 of 3 targets$`),
    );

    const json = await cli([...base, ...backups, "--tag", "v3", "--format", "json"], cwd);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out);
    expect(parsed).toMatchObject({ Slug: slug, Tag: "v3", Version: "000003", URL: `atlas://${slug}?tag=v3` });
    expect(parsed.Backups).toEqual([{ URL: rig.s3Url }, { URL: rig.fileUrl }]);
    for (const output of [text, json]) expect(output.out + output.err).not.toContain(rig.registry.token);
  });

  it("reads the repository from atlas.hcl with --config and --env", async () => {
    const cwd = await project(2);
    const slug = uniqueSlug("hcl");
    await writeFile(
      join(cwd, "atlas.hcl"),
      `env "ci" {
  migration {
    dir = "file://migrations"
    repo {
      name   = "${slug}"
      backup = ["${rig.fileUrl}", "${rig.s3Url}"]
    }
  }
}
`,
    );
    const result = await cli(
      [
        "push",
        "--config",
        "file://atlas.hcl",
        "--env",
        "ci",
        "--cloud-url",
        rig.registry.url,
        "--grant-dir",
        rig.grantDir,
      ],
      cwd,
    );
    expect(result.err).not.toMatch(/FAIL|Error/);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^https:\/\//);
    expect(await readdir(join(rig.fileRoot, slug, "tags"))).toEqual(["latest.json"]);
  });

  it("exits 1 when no target took the push, 2 for a bad URL (and writes nothing)", async () => {
    const cwd = await project(2);
    const slug = uniqueSlug("bad");
    const dead = `file://${cwd}/not-a-dir`;
    await writeFile(join(cwd, "not-a-dir"), "a file where a folder should be");
    const failed = await cli(["push", "--dir-name", slug, "--repo-url", dead, "--retries", "0"], cwd);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/FAIL +file:\/\/.*not-a-dir \(primary \(file\)\)/);
    expect(failed.err).toMatch(/Error: no target took the push/);

    for (const bad of ["s3://bucket/x?region=moon-1", "ftp://bucket/x", "s3:///x", "oci://ghcr.io"]) {
      const usage = await cli(
        [
          "push",
          "--dir-name",
          slug,
          "--cloud-url",
          rig.registry.url,
          "--backup",
          rig.fileUrl,
          "--backup",
          bad,
        ],
        cwd,
      );
      expect(usage.code).toBe(2);
      expect(usage.err).toMatch(/region|scheme|bucket|repository name/);
    }
    await expect(readdir(join(rig.fileRoot, slug))).rejects.toThrow(/ENOENT/);
    const badTag = await cli(["push", "--dir-name", slug, "--repo-url", rig.fileUrl, "--tag", "a b"], cwd);
    expect(badTag.code).toBe(2);
    await expect(readdir(join(rig.fileRoot, slug))).rejects.toThrow(/ENOENT/);
  });
});

describe("help", () => {
  it.each(["push", "pull"])("%s --help shows the flags and an example", async (name) => {
    const help = await cli([name, "--help"], process.cwd());
    expect(help.code).toBe(0);
    expect(help.out).toMatch(new RegExp(`Example:\\n {2}.*migrate-relay ${name} `));
    expect(help.out).toContain("--backup <value>");
    expect(help.out).toContain("--grant-dir <value>");
  });
});

describe("migrate-relay pull", () => {
  it("reads from the registry into a folder, and from the first backup while the registry is down", async () => {
    const cwd = await project(4);
    const slug = uniqueSlug("pull");
    await writeFile(
      join(cwd, "atlas.hcl"),
      `locals { backups = ["${rig.s3Url}", "${rig.fileUrl}"] }
env "ci" {
  migration {
    dir = "file://migrations"
    repo {
      name   = "${slug}"
      backup = local.backups
    }
  }
}
env "prod" {
  migration {
    dir = "atlas://${slug}"
    repo {
      name   = "${slug}"
      backup = local.backups
    }
  }
}
`,
    );
    const common = [
      "--config",
      "file://atlas.hcl",
      "--cloud-url",
      rig.registry.url,
      "--grant-dir",
      rig.grantDir,
    ];
    expect((await cli(["push", ...common, "--env", "ci"], cwd)).code).toBe(0);

    const fromRegistry = await cli(["pull", ...common, "--env", "prod", "--to", "out1"], cwd);
    expect(fromRegistry.code).toBe(0);
    expect(fromRegistry.out).toMatch(new RegExp(`ok +atlas://${slug} .*atlas\\.sum valid`));
    expect(await readdir(join(cwd, "out1"))).toEqual(await readdir(join(cwd, "migrations")));

    await rig.registry.setFault("blackhole");
    try {
      const fallback = await cli(
        ["pull", ...common, "--env", "prod", "--to", "out2", "--timeout", "2s"],
        cwd,
      );
      expect(fallback.code).toBe(0);
      expect(fallback.err).toMatch(
        /FAIL +atlas:\/\/.* timeout after 2\.0 s -> next; license grant valid until/,
      );
      expect(fallback.out).toMatch(/ok +s3:\/\/.*digest verified, atlas\.sum valid/);
      expect(await readFile(join(cwd, "out2", "atlas.sum"), "utf8")).toBe(
        await readFile(join(cwd, "migrations", "atlas.sum"), "utf8"),
      );
    } finally {
      await rig.registry.setFault("none");
    }
  });

  it("exits 1 with the trail when the registry refuses the token", async () => {
    const cwd = await project(1);
    const slug = uniqueSlug("deny");
    const result = await cli(
      [
        "pull",
        "--dir",
        `atlas://${slug}`,
        "--backup",
        rig.fileUrl,
        "--cloud-url",
        rig.registry.url,
        "--to",
        "out",
      ],
      cwd,
      { ATLAS_TOKEN: "atlas_revoked_token_1234", MIGRATE_RELAY_HOME: cwd },
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/refused the token \(HTTP 401\).*not falling back/);
    expect(result.err).not.toContain("atlas_revoked_token_1234");
  });
});
