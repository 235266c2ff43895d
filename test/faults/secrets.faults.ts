// The secrets sweep: every scenario runs with a known registry token, a DB password (URL and key/value
// form) and an AWS secret; every line printed and every file written is searched for them.
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "@migrate-relay/cli";
import { startRegistry } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";
import { makeDir, tempDir } from "../relay-helpers";
import { record } from "./table";

const DB_PASSWORD = "db-Pa55-sweep";
const KV_PASSWORD = "kv-Pa55-sweep";
const AWS_SECRET = "aws-Secret-sweep-KEY";
const ENDPOINT_SECRET = "endpoint-pw-sweep";

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    if (entry.isFile() && (await stat(path)).size < 1024 * 1024) out.push(path);
  }
  return out;
}

describe("secrets sweep", () => {
  it("no token, DB password (URL or key/value) or AWS secret in any output, error or file written", async () => {
    const registry = await startRegistry();
    const TOKEN = registry.token;
    const SECRETS = [TOKEN, DB_PASSWORD, KV_PASSWORD, AWS_SECRET, ENDPOINT_SECRET];
    const cwd = await tempDir("sweep");
    const { writeDir } = await import("@migrate-relay/core");
    await writeDir(join(cwd, "migrations"), makeDir(2));
    await writeFile(
      join(cwd, "atlas.hcl"),
      `env "url" {
  url = "postgres://app:${DB_PASSWORD}@127.0.0.1:1/db?sslmode=disable"
  migration { dir = "file://migrations" }
}
env "kv" {
  url = "host=127.0.0.1 port=1 user=app password='${KV_PASSWORD}' dbname=db"
  migration { dir = "file://migrations" }
}
env "registry" {
  url = "postgres://app:${DB_PASSWORD}@127.0.0.1:1/db?sslmode=disable"
  migration {
    dir = "atlas://app"
    repo {
      name = "app"
      backup = ["file://backup", "s3://b/p?endpoint=http://AKIA:${ENDPOINT_SECRET}@127.0.0.1:1&aws_secret_access_key=${AWS_SECRET}"]
    }
  }
}
`,
    );
    const env = {
      ATLAS_TOKEN: TOKEN,
      AWS_SECRET_ACCESS_KEY: AWS_SECRET,
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      MIGRATE_RELAY_HOME: join(cwd, "home"),
    };
    const common = ["--cloud-url", registry.url];
    const scenarios: string[][] = [
      ["env", "--env", "url"],
      ["env", "--env", "kv"],
      ["env", "--env", "registry"],
      ["apply", "--env", "url"],
      ["apply", "--env", "kv"],
      ["status", "--env", "url"],
      ["status", "--env", "kv"],
      ["apply", "--env", "url", "--format", "json"],
      ["push", "--env", "registry", ...common],
      ["push", "--env", "registry", ...common, "--format", "json"],
      ["pull", "--env", "registry", ...common, "--to", "out"],
      ["pull", "--env", "registry", ...common, "--to", "out", "--format", "json"],
      ["push", "--env", "registry", "--cloud-url", "http://127.0.0.1:1/query", "--cloud-token", TOKEN],
      ["apply", "--env", "registry", ...common],
      [
        "push",
        "--dir",
        "file://migrations",
        "--dir-name",
        "x",
        "--repo-url",
        `s3://b/p?endpoint=http://AKIA:${ENDPOINT_SECRET}@h`,
      ],
      ["apply", "--dir", "file://migrations", "--url", `host=h password=${KV_PASSWORD}`],
    ];
    const leaks: string[] = [];
    let held = 0;
    try {
      for (const argv of scenarios) {
        const lines: string[] = [];
        await runCli(argv, { out: (l) => lines.push(l), err: (l) => lines.push(l), env, cwd });
        const found = SECRETS.filter((s) => lines.join("\n").includes(s));
        if (found.length === 0) held++;
        else leaks.push(`${argv.join(" ")}: printed ${found.length} secret(s)`);
      }
      // Files written along the way (pull's folder, grants, backups): none may hold a secret.
      for (const file of await filesUnder(cwd)) {
        if (file.endsWith("atlas.hcl")) continue;
        const text = await readFile(file, "utf8");
        const found = SECRETS.filter((s) => text.includes(s));
        if (found.length) leaks.push(`${file}: holds ${found.length} secret(s)`);
      }
    } finally {
      await registry.stop();
    }
    record("secrets sweep (CLI outputs, JSON, errors, files written)", scenarios.length, held);
    expect(leaks).toEqual([]);
  });
});
