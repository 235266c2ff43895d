import { describe, expect, it } from "vitest";
import { isRelayError } from "../errors";
import { resolveEnvFromSource } from "./resolve";

interface ErrorCase {
  name: string;
  source: string;
  options?: { env?: string; vars?: Record<string, unknown> };
  message: string;
}

// Every config error: file:line:column, what was found, what was expected. Sources select env "ci".
const CASES: ErrorCase[] = [
  {
    name: "unexpected token",
    source: `env "ci" {
  url = = "x"
}
`,
    message: `atlas.hcl:2:9: unexpected "="; expected an expression`,
  },
  {
    name: "unexpected close",
    source: `}
`,
    message: `atlas.hcl:1:1: unexpected "}"; expected an attribute name or a block type`,
  },
  {
    name: "missing close",
    source: `env "ci" {
  url = "x"
`,
    message: `atlas.hcl:3:1: unexpected end of file; expected a "}" to close the block opened at line 1, column 10`,
  },
  {
    name: "unterminated string",
    source: `env "ci" {
  url = "postgres://h
}
`,
    message: `atlas.hcl:2:9: unterminated string; expected a closing quote (") before the end of the line`,
  },
  {
    name: "unterminated heredoc",
    source: `locals {
  sql = <<EOT
  SELECT 1;
}
`,
    message: `atlas.hcl:2:9: unterminated heredoc; expected a line with only "EOT" before the end of the file`,
  },
  {
    name: "unterminated comment",
    source: `env "ci" {}
/* never closed
`,
    message: `atlas.hcl:2:1: unterminated comment; expected "*/" before the end of the file`,
  },
  {
    name: "invalid escape",
    source: `locals {
  a = "x\\qy"
}
`,
    message: `atlas.hcl:2:9: invalid escape "\\q" in a string; expected one of \\n \\r \\t \\" \\\\ \\uNNNN \\UNNNNNNNN`,
  },
  {
    name: "two attrs on a line",
    source: `locals {
  a = 1 b = 2
}
`,
    message: `atlas.hcl:2:9: unexpected "b"; expected a newline after the attribute or block`,
  },
  {
    name: "directive",
    source: `locals {
  a = "%{if true}x%{endif}"
}
`,
    message: `atlas.hcl:2:8: template directives ("%{...}") are not supported; use a conditional or a for expression inside "\${...}", or write "%%{" for a literal "%{"`,
  },
  {
    name: "bad char",
    source: `locals {
  a = 1 ~ 2
}
`,
    message: `atlas.hcl:2:9: unexpected character "~"; expected an expression`,
  },
  {
    name: "unknown env",
    source: `env "ci" {}
env "prod" {}
`,
    options: { env: "prd" },
    message: `atlas.hcl:1:1: unknown env "prd"; expected one of "ci" (line 1), "prod" (line 2); did you mean "prod"?`,
  },
  {
    name: "unknown env none close",
    source: `env "ci" {}
env "prod" {}
`,
    options: { env: "staging" },
    message: `atlas.hcl:1:1: unknown env "staging"; expected one of "ci" (line 1), "prod" (line 2)`,
  },
  {
    name: "unknown local",
    source: `locals {
  backup_urls = []
}
env "ci" {
  migration {
    repo {
      backup = local.backup_url
    }
  }
}
`,
    message: `atlas.hcl:7:16: unknown variable "local.backup_url"; did you mean "local.backup_urls"?`,
  },
  {
    name: "unknown var",
    source: `variable "tenants" {}
env "ci" {
  url = var.tenant
}
`,
    message: `atlas.hcl:3:9: unknown variable "var.tenant"; did you mean "var.tenants"?`,
  },
  {
    name: "undeclared var",
    source: `env "ci" {
  url = var.url
}
`,
    message: `atlas.hcl:2:9: unknown variable "var.url"; declare it with variable "url" { type = string }`,
  },
  {
    name: "unknown root",
    source: `env "ci" {
  url = lcoal.x
}
`,
    message: `atlas.hcl:2:9: unknown variable "lcoal"; did you mean "local"?`,
  },
  {
    name: "unknown each",
    source: `env "ci" {
  for_each = toset(["a"])
  url = each.vlaue
}
`,
    message: `atlas.hcl:3:14: unknown variable "each.vlaue"; did you mean "each.value"?`,
  },
  {
    name: "each outside",
    source: `env "ci" {
  url = each.value
}
`,
    message: `atlas.hcl:2:9: each.value is only available inside an env block that has for_each`,
  },
  {
    name: "unknown attr",
    source: `locals {
  cfg = { region = "x" }
  r = local.cfg.regoin
}
env "ci" {
  url = local.r
}
`,
    message: `atlas.hcl:3:17: local.cfg has no attribute "regoin"; did you mean "region"?`,
  },
  {
    name: "missing required var",
    source: `variable "url" {
  type = string
}
env "ci" {
  url = var.url
}
`,
    message: `atlas.hcl:5:9: variable "url" is required and has no value (declared at atlas.hcl:1:1 without a default); pass it in the vars input ({"url": ...}) or with --var url=...`,
  },
  {
    name: "var wrong type",
    source: `variable "tenants" {
  type = list(string)
}
env "ci" {
  for_each = toset(var.tenants)
}
`,
    options: { vars: { tenants: 3 } },
    message: `atlas.hcl:1:10: variable "tenants": expected list(string), found a number (3) (the value given by the vars input or --var)`,
  },
  {
    // A variable's value may be a password: the type error says what it is, never what it holds.
    name: "var of a secret, wrong type",
    source: `variable "port" {
  type = number
}
env "ci" {
  url = "postgres://db:\${var.port}/app"
}
`,
    options: { vars: { port: "hunter2-pw" } },
    message: `atlas.hcl:1:10: variable "port": expected number, found a string of 10 characters (the value given by the vars input or --var)`,
  },
  {
    name: "var bad type",
    source: `variable "x" {
  type = strin
}
env "ci" {
  url = var.x
}
`,
    options: { vars: { x: "a" } },
    message: `atlas.hcl:2:10: variable "x": unknown type "strin"; expected string, number, bool, list(...), set(...), map(...) or any`,
  },
  {
    name: "backup string",
    source: `env "ci" {
  migration {
    repo {
      backup = "s3://b/p"
    }
  }
}
`,
    message: `atlas.hcl:4:16: migration.repo.backup: expected a list of URLs, found a string ("s3://b/p"); write backup = ["s3://b/p"]`,
  },
  {
    name: "backup not url",
    source: `env "ci" {
  migration {
    repo {
      backup = ["s3://b/p", "backups/dir"]
    }
  }
}
`,
    message: `atlas.hcl:4:29: migration.repo.backup[1]: expected a URL (s3://, file://, atlas:// or another scheme://), found a string ("backups/dir")`,
  },
  {
    name: "backup number elem",
    source: `locals {
  b = ["s3://x", 3]
}
env "ci" {
  migration {
    repo {
      backup = local.b
    }
  }
}
`,
    message: `atlas.hcl:7:16: migration.repo.backup[1]: expected a URL (s3://, file://, atlas:// or another scheme://), found a number (3)`,
  },
  {
    name: "url list",
    source: `env "ci" {
  url = ["postgres://u:secret@h/db"]
}
`,
    message: `atlas.hcl:2:9: url: expected a string, found a list of 1`,
  },
  {
    name: "duplicate attr",
    source: `env "ci" {
  url = "a"
  dev = "b"
  url = "c"
}
`,
    message: `atlas.hcl:4:3: duplicate attribute "url"; it is already set at atlas.hcl:2:3`,
  },
  {
    name: "duplicate local",
    source: `locals {
  a = 1
}
locals {
  a = 2
}
env "ci" {}
`,
    message: `atlas.hcl:5:3: duplicate local "a"; it is already defined at atlas.hcl:2:3`,
  },
  {
    name: "cycle",
    source: `locals {
  a = local.b
  b = "\${local.c}"
  c = [local.a]
}
env "ci" {}
`,
    message: `atlas.hcl:2:3: cycle in locals: local.a -> local.b -> local.c -> local.a`,
  },
  {
    name: "self cycle",
    source: `locals {
  a = local.a
}
env "ci" {}
`,
    message: `atlas.hcl:2:3: cycle in locals: local.a -> local.a`,
  },
  {
    name: "unknown function",
    source: `env "ci" {
  url = urlsetpth("postgres://h", "x")
}
`,
    message: `atlas.hcl:2:9: unknown function "urlsetpth"; did you mean "urlsetpath"?`,
  },
  {
    name: "case function",
    source: `env "ci" {
  url = Lower("X")
}
`,
    message: `atlas.hcl:2:9: unknown function "Lower"; did you mean "lower"?`,
  },
  {
    name: "for_each string",
    source: `env "ci" {
  for_each = "acme"
}
`,
    message: `atlas.hcl:2:14: for_each: found a string of 4 characters; expected a set or list of strings, or a map`,
  },
  {
    name: "for_each numbers",
    source: `env "ci" {
  for_each = ["a", 2]
}
`,
    message: `atlas.hcl:2:14: for_each: element 1 is a number (2); expected a set or list of strings, or a map`,
  },
  {
    name: "for_each empty",
    source: `variable "t" {
  type = list(string)
  default = []
}
env "ci" {
  for_each = toset(var.t)
}
`,
    message: `atlas.hcl:6:14: for_each: found an empty list; expected a set or list of strings, or a map with at least one element`,
  },
  {
    name: "for_each dup",
    source: `env "ci" {
  for_each = ["a", "a"]
}
`,
    message: `atlas.hcl:2:14: for_each: duplicate element "a"; expected each key once (toset(...) drops duplicates)`,
  },
  {
    name: "data ref",
    source: `data "sql" "t" {}
env "ci" {
  url = data.sql.t.value
}
`,
    message: `atlas.hcl:3:9: data source "sql" is not supported (declared at atlas.hcl:1:1); supported: runtimevar, template_dir`,
  },
  {
    name: "docker block ref",
    source: `docker "postgres" "dev" {
  image = "postgres:15"
}
env "ci" {
  dev = docker.postgres.dev.url
}
`,
    message: `atlas.hcl:5:9: docker blocks are not supported (docker.postgres is declared at atlas.hcl:1:1); use a variable or a local instead`,
  },
  {
    name: "exec order",
    source: `env "ci" {
  migration {
    exec_order = "liner"
  }
}
`,
    message: `atlas.hcl:3:18: migration.exec_order: unknown value "liner"; expected one of linear, linear-skip, non-linear; did you mean "linear"?`,
  },
  {
    name: "fn arity",
    source: `env "ci" {
  url = urlsetpath("postgres://h")
}
`,
    message: `atlas.hcl:2:9: urlsetpath(url, path) takes 2 arguments, found 1`,
  },
  {
    name: "fn arg type",
    source: `env "ci" {
  url = lower(["a"])
}
`,
    message: `atlas.hcl:2:15: lower: argument 1 (string) must be a string; found a list of 1`,
  },
  {
    name: "template list",
    source: `env "ci" {
  url = "x\${[1]}"
}
`,
    message: `atlas.hcl:2:13: cannot put a list of 1 into a string template; expected a string, number or bool`,
  },
  {
    name: "no env flag",
    source: `env "ci" {}
`,
    options: { env: "" },
    message: `atlas.hcl:1:1: no env selected (pass --env or the env input); expected one of "ci" (line 1)`,
  },
  {
    name: "format args",
    source: `env "ci" {
  url = format("%s/%s", "a")
}
`,
    message: `atlas.hcl:2:16: format: not enough arguments for the verb "%s" (number 2)`,
  },
  {
    name: "secret in found value",
    source: `env "ci" {
  migration {
    repo {
      backup = "s3://u:pw@b/p?token=abc"
    }
  }
}
`,
    message: `atlas.hcl:4:16: migration.repo.backup: expected a list of URLs, found a string ("s3://u:***@b/p?token=***"); write backup = ["s3://u:***@b/p?token=***"]`,
  },
  {
    name: "duplicate block",
    source: `env "ci" {
  migration {
  }
  migration {
  }
}
`,
    message: `atlas.hcl:4:3: duplicate migration block; the first one is at atlas.hcl:2:3`,
  },
  {
    name: "env without name",
    source: `env {
  url = "postgres://h"
}
`,
    message: `atlas.hcl:1:1: found an env block without a name; expected env "name" { ... } or a name attribute`,
  },
  {
    name: "repo url",
    source: `env "ci" {
  migration {
    repo {
      url = "bucket/x"
    }
  }
}
`,
    message: `atlas.hcl:4:13: migration.repo.url: expected a URL (s3://, file://, atlas:// or another scheme://), found "bucket/x"`,
  },
];

describe("config errors", () => {
  it.each(CASES)("$name", ({ source, options, message }) => {
    let thrown: unknown;
    try {
      resolveEnvFromSource(source, "atlas.hcl", { env: "ci", getenv: () => undefined, ...options });
    } catch (err) {
      thrown = err;
    }
    expect(isRelayError(thrown, "config")).toBe(true);
    expect((thrown as Error).message).toBe(message);
  });

  it("never shows a password or token from the file in a message", () => {
    const messages = CASES.map(({ source, options }) => {
      try {
        resolveEnvFromSource(source, "atlas.hcl", { env: "ci", getenv: () => undefined, ...options });
        return "";
      } catch (err) {
        return (err as Error).message;
      }
    });
    expect(messages.join("\n")).not.toMatch(/secret|pw@|token=abc/);
  });
});

describe("hostile configs: limits with a position, never a stack overflow", () => {
  const attempt = (source: string) => {
    try {
      resolveEnvFromSource(source, "atlas.hcl", { env: "ci", getenv: () => undefined });
      return undefined;
    } catch (err) {
      return err as Error;
    }
  };
  it.each([
    ["1,000 nested brackets", `env "ci" {\n  url = ${"[".repeat(1000)}${"]".repeat(1000)}\n}\n`],
    ["1,000 nested objects", `env "ci" {\n  url = ${"{a = ".repeat(1000)}1${"}".repeat(1000)}\n}\n`],
    ["1,000 nested blocks", `env "ci" {\n${"b {\n".repeat(1000)}${"}\n".repeat(1000)}}\n`],
    ["2,000 chained +", `env "ci" {\n  url = 1${" + 1".repeat(2000)}\n}\n`],
    ["2,000 chained indexes", `locals { x = [1] }\nenv "ci" {\n  url = local.x${"[0]".repeat(2000)}\n}\n`],
    ["1,000 nested parentheses", `env "ci" {\n  url = ${"(".repeat(1000)}1${")".repeat(1000)}\n}\n`],
    ["1,000 unary minus", `env "ci" {\n  url = ${"-".repeat(1000)}1\n}\n`],
    ["1,000 nested templates", `env "ci" {\n  url = ${'"${'.repeat(1000)}1${'}"'.repeat(1000)}\n}\n`],
  ])("%s: a config error with a line and column", (_name, source) => {
    const err = attempt(source);
    expect(isRelayError(err, "config")).toBe(true);
    expect(err!.message).toMatch(/^atlas\.hcl:\d+:\d+: .*(nested|deep|levels)/);
  });

  it("a 50 MB string literal is refused by size before it is read", () => {
    const started = performance.now();
    const err = attempt(`env "ci" {\n  url = "${"x".repeat(50 * 1024 * 1024)}"\n}\n`);
    expect(isRelayError(err, "config")).toBe(true);
    expect(err!.message).toMatch(/^atlas\.hcl:1:1: the file is 50\.0 MB; the limit is/);
    // (no timing assertion: the bench measures speed; this only proves it is refused, not parsed)
    expect(performance.now() - started).toBeGreaterThan(0);
  });
});
