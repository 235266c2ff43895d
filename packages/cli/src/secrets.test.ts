// Issue 11's reproductions: whatever a user passes, no secret reaches stdout or stderr.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Io } from "./command";
import { runCli } from "./index";

const cwd = mkdtempSync(join(tmpdir(), "cli-secrets-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const SECRETS = [
  "kv-Pa55word",
  "url-Pa55word",
  "AKIAEXAMPLEKEY",
  "endpoint-pw",
  "wJalrXUtnFEMI",
  "atlas-tok-9",
];

writeFileSync(
  join(cwd, "atlas.hcl"),
  `env "kv" {
  url = "host=127.0.0.1 port=1 user=app password=kv-Pa55word dbname=prod sslmode=disable"
  migration {
    dir = "file://migrations"
  }
}
env "quoted" {
  url = "host=127.0.0.1 password='kv-Pa55word' dbname=prod"
  migration {
    dir = "file://migrations"
  }
}
env "endpoint" {
  migration {
    dir = "file://migrations"
    repo {
      name   = "app"
      backup = ["s3://bucket/p?endpoint=http://AKIAEXAMPLEKEY:endpoint-pw@127.0.0.1:1"]
    }
  }
}
env "param" {
  migration {
    dir = "file://migrations"
    repo {
      name   = "app"
      backup = ["s3://bucket/p?region=us-east-1&aws_secret_access_key=wJalrXUtnFEMI"]
    }
  }
}
`,
);
writeFileSync(join(cwd, "placeholder"), "");

async function run(argv: string[]) {
  const lines: string[] = [];
  const io: Io = {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    env: { ATLAS_TOKEN: "atlas-tok-9", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI" },
    cwd,
  };
  const code = await runCli(argv, io);
  return { code, text: lines.join("\n") };
}

const leaked = (text: string) => SECRETS.filter((s) => text.includes(s));

describe("no secret is printed", () => {
  it.each([
    ["env, key/value url", ["env", "--env", "kv"]],
    ["env, quoted key/value url", ["env", "--env", "quoted"]],
    ["apply, key/value url", ["apply", "--env", "kv"]],
    ["status, key/value url", ["status", "--env", "kv"]],
    [
      "apply, key/value --url",
      ["apply", "--dir", "file://migrations", "--url", "host=h password=kv-Pa55word"],
    ],
    [
      "apply, URL --url",
      ["apply", "--dir", "file://migrations", "--url", "postgres://u:url-Pa55word@127.0.0.1:1/db"],
    ],
    ["push, endpoint with user info", ["push", "--env", "endpoint"]],
    ["push, unknown secret parameter", ["push", "--env", "param"]],
    ["pull, endpoint with user info", ["pull", "--env", "endpoint", "--to", "out"]],
    [
      "env, token flag echoed in usage error",
      ["env", "--cloud-token", "atlas-tok-9", "--bogus", "atlas-tok-9"],
    ],
  ])("%s", async (_name, argv) => {
    const { text } = await run(argv);
    expect(text).not.toBe("");
    expect(leaked(text)).toEqual([]);
  });
});
