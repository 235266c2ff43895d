import { describe, expect, it } from "vitest";
import { resolveEnvFromSource } from "./resolve";
import type { ResolvedEnv } from "./types";

// The seed's atlas.hcl, exactly as users write it for Atlas.
const SEED = `locals { backup_urls = ["s3://my-atlas-backups/example/migrations?region=us-east-1"] }
env "ci" {
  dev = "postgres://postgres:pass@localhost:5432/dev?search_path=public&sslmode=disable"
  migration {
    dir = "file://migrations"
    repo {
      name   = "app"
      backup = local.backup_urls
    }
  }
}
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
`;

const BACKUPS = ["s3://my-atlas-backups/example/migrations?region=us-east-1"];
const noEnv = () => undefined;

describe("the seed atlas.hcl", () => {
  it('resolves env "ci"', () => {
    expect(resolveEnvFromSource(SEED, "atlas.hcl", { env: "ci", getenv: noEnv })).toEqual<ResolvedEnv[]>([
      {
        name: "ci",
        dev: "postgres://postgres:pass@localhost:5432/dev?search_path=public&sslmode=disable",
        migration: { dir: "file://migrations", repo: { name: "app", backup: BACKUPS } },
        cloud: {},
      },
    ]);
  });

  it('resolves env "prod" with DATABASE_URL set', () => {
    const getenv = (name: string) =>
      name === "DATABASE_URL" ? "postgres://app:s3cret@db:5432/app" : undefined;
    expect(resolveEnvFromSource(SEED, "atlas.hcl", { env: "prod", getenv })).toEqual<ResolvedEnv[]>([
      {
        name: "prod",
        url: "postgres://app:s3cret@db:5432/app",
        migration: { dir: "atlas://app", repo: { name: "app", backup: BACKUPS } },
        cloud: {},
      },
    ]);
  });

  it('resolves env "prod" with DATABASE_URL unset: getenv gives "", and an empty url is unset', () => {
    const [prod] = resolveEnvFromSource(SEED, "atlas.hcl", { env: "prod", getenv: noEnv });
    expect(prod).toEqual({
      name: "prod",
      migration: { dir: "atlas://app", repo: { name: "app", backup: BACKUPS } },
      cloud: {},
      emptyUrl: expect.stringMatching(
        /^url = getenv\("DATABASE_URL"\) at atlas\.hcl:\d+:\d+ is empty: the environment variable DATABASE_URL is unset or empty$/,
      ),
    });
    expect(prod!.url).toBeUndefined();
  });
});

const TENANTS = `
variable "tenants" {
  type        = list(string)
  description = "one database per tenant"
}
variable "url" {
  type    = string
  default = "postgres://root:pass@db:5432/?sslmode=disable"
}
env "tenant" {
  for_each = toset(var.tenants)
  url      = urlsetpath(var.url, each.value)
  migration {
    dir = "file://migrations"
    repo {
      name   = "app"
      backup = ["file:///mnt/backups/\${atlas.env}"]
    }
  }
}
`;

describe("multi-tenant envs", () => {
  it("for_each = toset(var.tenants) gives one instance per tenant, in set order", () => {
    const envs = resolveEnvFromSource(TENANTS, "atlas.hcl", {
      env: "tenant",
      vars: { tenants: ["beta", "acme", "beta"] },
    });
    expect(envs.map((e) => [e.name, e.instance, e.url])).toEqual([
      ["tenant", "acme", "postgres://root:pass@db:5432/acme?sslmode=disable"],
      ["tenant", "beta", "postgres://root:pass@db:5432/beta?sslmode=disable"],
    ]);
    expect(envs[0]!.migration.repo.backup).toEqual(["file:///mnt/backups/tenant"]);
  });

  it("takes the tenant list from repeated --var flags, and one --var as a one-element list", () => {
    const two = resolveEnvFromSource(TENANTS, "atlas.hcl", {
      env: "tenant",
      vars: { tenants: ["a", "b"], url: "postgres://h" },
    });
    expect(two.map((e) => e.url)).toEqual(["postgres://h/a", "postgres://h/b"]);
    const one = resolveEnvFromSource(TENANTS, "atlas.hcl", { env: "tenant", vars: { tenants: "solo" } });
    expect(one.map((e) => e.instance)).toEqual(["solo"]);
  });

  it("for_each over a map gives each.key and each.value", () => {
    const source = `
locals {
  dbs = { acme = "postgres://h/acme", beta = "postgres://h/beta" }
}
env "t" {
  for_each = local.dbs
  url = each.value
  dev = "docker://postgres/15/\${each.key}"
}
`;
    const envs = resolveEnvFromSource(source, "atlas.hcl", { env: "t" });
    expect(envs.map((e) => [e.instance, e.url, e.dev])).toEqual([
      ["acme", "postgres://h/acme", "docker://postgres/15/acme"],
      ["beta", "postgres://h/beta", "docker://postgres/15/beta"],
    ]);
  });
});

describe("the rest of an env", () => {
  const FULL = `
atlas {
  cloud {
    token   = getenv("ATLAS_TOKEN")
    url     = "https://api.example.test/query"
    project = "shop"
  }
}
locals {
  # locals may refer to each other in any order, across blocks
  region = local.settings.region
}
locals {
  settings = { region = "eu-west-1", bucket = "b" }
  base     = "s3://\${local.settings.bucket}/\${lower(atlas.env)}?region=\${local.region}"
}
env "Prod" {
  url = "postgres://u:p@h/db"
  schemas = ["public"]   // unknown attributes are ignored
  lint { latest = 1 }    // and unknown blocks
  migration {
    dir              = "atlas://shop?tag=v1"
    format           = atlas
    baseline         = 20240101000000
    exec_order       = NON_LINEAR
    lock_timeout     = "15s"
    revisions_schema = "ops"
    repo {
      name   = "shop"
      url    = "s3://primary/shop"
      backup = concat([local.base], ["file:///srv/backup"])
    }
  }
}
`;

  it("reads atlas.cloud, migration options (with Atlas's enum identifiers) and repo settings", () => {
    const [env] = resolveEnvFromSource(FULL, "atlas.hcl", { env: "Prod", getenv: () => "tok-123" });
    expect(env).toEqual<ResolvedEnv>({
      name: "Prod",
      url: "postgres://u:p@h/db",
      migration: {
        dir: "atlas://shop?tag=v1",
        format: "atlas",
        baseline: "20240101000000",
        execOrder: "non-linear",
        lockTimeout: "15s",
        revisionsSchema: "ops",
        repo: {
          name: "shop",
          url: "s3://primary/shop",
          backup: ["s3://b/prod?region=eu-west-1", "file:///srv/backup"],
        },
      },
      cloud: { token: "tok-123", url: "https://api.example.test/query", project: "shop" },
    });
  });

  it('accepts exec_order as a string in either spelling ("linear-skip", "LINEAR_SKIP")', () => {
    for (const spelling of ['"linear-skip"', '"LINEAR_SKIP"', "LINEAR_SKIP"]) {
      const source = `env "e" {\n  migration {\n    exec_order = ${spelling}\n  }\n}\n`;
      expect(resolveEnvFromSource(source, "atlas.hcl", { env: "e" })[0]!.migration.execOrder).toBe(
        "linear-skip",
      );
    }
  });

  it("supports the unlabeled form env { name = atlas.env }", () => {
    const source = `env {\n  name = atlas.env\n  url  = "postgres://h/\${atlas.env}"\n}\n`;
    expect(resolveEnvFromSource(source, "atlas.hcl", { env: "staging" })).toEqual([
      { name: "staging", url: "postgres://h/staging", migration: { repo: { backup: [] } }, cloud: {} },
    ]);
  });

  it("returns every env block with the selected name, as Atlas does", () => {
    const source = `env "x" {\n  url = "postgres://a"\n}\nenv "x" {\n  url = "postgres://b"\n}\n`;
    expect(resolveEnvFromSource(source, "atlas.hcl", { env: "x" }).map((e) => e.url)).toEqual([
      "postgres://a",
      "postgres://b",
    ]);
  });

  it("does not evaluate other envs or unused data sources", () => {
    const source = `
data "sql" "tenants" {
  url   = "postgres://h"
  query = "SELECT 1"
}
env "broken" {
  url = data.sql.tenants.values
}
env "fine" {
  url = "postgres://h/fine"
}
`;
    expect(resolveEnvFromSource(source, "atlas.hcl", { env: "fine" })[0]!.url).toBe("postgres://h/fine");
  });

  it("converts variable values to the declared type", () => {
    const source = `
variable "port" {
  type = number
}
variable "ssl" {
  type    = bool
  default = false
}
variable "labels" {
  type    = map(string)
  default = {}
}
env "e" {
  url = "postgres://h:\${var.port + 1}/db?ssl=\${var.ssl}&team=\${var.labels.team}"
}
`;
    const [env] = resolveEnvFromSource(source, "atlas.hcl", {
      env: "e",
      vars: { port: "5431", ssl: "true", labels: { team: 7 } },
    });
    expect(env!.url).toBe("postgres://h:5432/db?ssl=true&team=7");
  });

  it("uses the default when the vars JSON gives null, and ignores values for undeclared variables", () => {
    const source = `variable "schema" {\n  default = "public"\n}\nenv "e" {\n  dev = "postgres://h/db?search_path=\${var.schema}"\n}\n`;
    const [env] = resolveEnvFromSource(source, "atlas.hcl", { env: "e", vars: { schema: null, other: "x" } });
    expect(env!.dev).toBe("postgres://h/db?search_path=public");
  });
});

describe("file encodings", () => {
  it("reads CRLF line endings and a byte-order mark", () => {
    const source = `\uFEFF${SEED}`.replace(/\n/g, "\r\n");
    const [ci] = resolveEnvFromSource(source, "atlas.hcl", { env: "ci" });
    expect(ci!.migration.repo.backup).toEqual(BACKUPS);
    const heredoc = `locals {\r\n  d = <<-EOT\r\n    file://m\r\n    EOT\r\n}\r\nenv "e" {\r\n  migration {\r\n    dir = trimspace(local.d)\r\n  }\r\n}\r\n`;
    expect(resolveEnvFromSource(heredoc, "atlas.hcl", { env: "e" })[0]!.migration.dir).toBe("file://m");
  });

  it("counts columns from the first character after a byte-order mark", () => {
    expect(() => resolveEnvFromSource("\uFEFF}\n", "atlas.hcl", { env: "e" })).toThrow(
      /^atlas\.hcl:1:1: unexpected "}"/,
    );
  });
});
