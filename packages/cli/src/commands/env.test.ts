import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Io } from "../command";
import { runCli } from "../index";

const cwd = mkdtempSync(join(tmpdir(), "cli-env-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

writeFileSync(
  join(cwd, "atlas.hcl"),
  `atlas {
  cloud {
    token = getenv("ATLAS_TOKEN")
  }
}
variable "tenants" {
  type    = list(string)
  default = ["acme"]
}
locals { backup_urls = ["s3://my-atlas-backups/example/migrations?region=us-east-1"] }
env "prod" {
  url = getenv("DATABASE_URL")
  migration {
    dir = "atlas://app"
    repo {
      name   = "app"
      backup = local.backup_urls
    }
  }
}
env "tenant" {
  for_each = toset(var.tenants)
  url      = urlsetpath("postgres://root:hunter2@db:5432/", each.value)
}
`,
);

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd };
  return { io: value, out, err };
}

const SECRETS = { DATABASE_URL: "postgres://app:s3cr3t@db:5432/app", ATLAS_TOKEN: "tok_abcdef" };

describe("migrate-relay env", () => {
  it("prints the resolved env as text, passwords and the token redacted", async () => {
    const t = io(SECRETS);
    expect(await runCli(["env", "--env", "prod"], t.io)).toBe(0);
    const text = t.out.join("\n");
    expect(t.out[0]).toBe('env "prod"');
    expect(text).toContain("url:                        postgres://app:***@db:5432/app");
    expect(text).toContain("migration.dir:              atlas://app");
    expect(text).toContain("migration.repo.name:        app");
    expect(text).toContain("cloud.token:                ***");
    expect(text).toContain("dev:                        (not set)");
    expect(text).toContain(
      "migration.repo.backup:\n    - s3://my-atlas-backups/example/migrations?region=us-east-1",
    );
    expect(text).not.toMatch(/s3cr3t|tok_abcdef/);
  });

  it("prints every for_each instance as JSON with --format json and --var", async () => {
    const t = io();
    const code = await runCli(
      [
        "env",
        "--config",
        "file://atlas.hcl",
        "--env",
        "tenant",
        "--var",
        "tenants=b",
        "--var=tenants=a",
        "--format",
        "json",
      ],
      t.io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(t.out.join("\n"))).toEqual([
      {
        name: "tenant",
        instance: "a",
        url: "postgres://root:***@db:5432/a",
        migration: { repo: { backup: [] } },
        cloud: {},
      },
      {
        name: "tenant",
        instance: "b",
        url: "postgres://root:***@db:5432/b",
        migration: { repo: { backup: [] } },
        cloud: {},
      },
    ]);
  });

  it("exits 2 with the config error for an unknown env", async () => {
    const t = io();
    expect(await runCli(["env", "--env", "staging"], t.io)).toBe(2);
    expect(t.err).toEqual([
      'migrate-relay env: atlas.hcl:1:1: unknown env "staging"; expected one of "prod" (line 11), "tenant" (line 21)',
    ]);
  });

  it("exits 2 without --env, with a bad --format, or a bad --var", async () => {
    for (const argv of [
      ["env"],
      ["env", "--env", "prod", "--format", "yaml"],
      ["env", "--env", "prod", "--var", "x"],
    ]) {
      const t = io();
      expect(await runCli(argv, t.io)).toBe(2);
      expect(t.err[0]).toMatch(/^migrate-relay env: (--env is required|--format "yaml"|--var "x")/);
    }
  });

  it("--help shows the shared config flags and an example", async () => {
    const t = io();
    expect(await runCli(["env", "--help"], t.io)).toBe(0);
    const help = t.out.join("\n");
    expect(help).toContain("--config <value>");
    expect(help).toContain("(default file://atlas.hcl)");
    expect(help).toContain("--var <value>");
    expect(help).toContain("Example:\n  migrate-relay env --config file://atlas.hcl --env prod");
  });
});
