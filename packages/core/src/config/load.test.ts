import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isRelayError } from "../errors";
import { configPath, loadEnv, parseVarFlags } from "./load";

const root = mkdtempSync(join(tmpdir(), "config-load-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

mkdirSync(join(root, "deploy", "sql"), { recursive: true });
writeFileSync(join(root, "deploy", "sql", "backups.txt"), "s3://b/one\nfile:///mnt/two\n");
writeFileSync(
  join(root, "deploy", "atlas.hcl"),
  `variable "tenants" {
  type = list(string)
}
locals {
  backups = split("\\n", trimspace(file("sql/backups.txt")))
}
env "t" {
  for_each = toset(var.tenants)
  url      = "postgres://h/\${each.value}?password=\${getenv("PGPASS")}"
  migration {
    repo {
      backup = local.backups
    }
  }
}
`,
);

describe("loadEnv", () => {
  it("reads the file from cwd, file() from the config's folder, vars and getenv from options", async () => {
    const envs = await loadEnv({
      config: "file://deploy/atlas.hcl",
      env: "t",
      cwd: root,
      vars: parseVarFlags(["tenants=acme", "tenants=beta"]),
      getenv: (name) => (name === "PGPASS" ? "pw" : undefined),
    });
    expect(envs.map((e) => e.url)).toEqual([
      "postgres://h/acme?password=pw",
      "postgres://h/beta?password=pw",
    ]);
    expect(envs[0]!.migration.repo.backup).toEqual(["s3://b/one", "file:///mnt/two"]);
  });

  it("names the file as given relative to cwd in errors", async () => {
    const err = await loadEnv({ config: "deploy/atlas.hcl", env: "nope", cwd: root }).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe(
      `${join("deploy", "atlas.hcl")}:1:1: unknown env "nope"; expected one of "t" (line 7)`,
    );
  });

  it("reports a missing config file as a config error with the path it looked at", async () => {
    const err = await loadEnv({ config: "file://missing.hcl", env: "t", cwd: root }).catch((e: unknown) => e);
    expect(isRelayError(err, "config")).toBe(true);
    expect((err as Error).message).toBe(
      `config file file://missing.hcl was not found (looked at ${join(root, "missing.hcl")})`,
    );
  });
});

describe("configPath", () => {
  it.each([
    ["file://atlas.hcl", "atlas.hcl"],
    ["file:///etc/app/atlas.hcl", "/etc/app/atlas.hcl"],
    ["file://dir/my%20atlas.hcl", "dir/my atlas.hcl"],
    ["atlas.hcl", "atlas.hcl"],
  ])("%s -> %s", (url, path) => {
    expect(configPath(url)).toBe(path);
  });

  it("rejects other schemes", () => {
    expect(() => configPath("s3://b/atlas.hcl")).toThrow(
      'unsupported config URL "s3://b/atlas.hcl"; expected file://<path>, e.g. file://atlas.hcl',
    );
  });
});

describe("parseVarFlags", () => {
  it("splits at the first =, and a repeated key makes a list", () => {
    expect(parseVarFlags(["url=postgres://h/db?a=b", "t=a", "t=b", "t=c", "empty="])).toEqual({
      url: "postgres://h/db?a=b",
      t: ["a", "b", "c"],
      empty: "",
    });
  });

  it("rejects a flag without a key", () => {
    expect(() => parseVarFlags(["novalue"])).toThrow('--var "novalue": expected key=value');
    expect(() => parseVarFlags(["=x"])).toThrow('--var "=x": expected key=value');
  });
});
