// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${" here is HCL syntax, not a JS template
// runtimevar reads a secret from a file, an HTTP server, and AWS Secrets Manager / SSM Parameter Store
// through the real AWS SDK against testkit's local test double of their JSON protocol; template_dir
// renders a directory. Everything through loadEnv, as the CLI and the actions load atlas.hcl.
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnv, readDir, validateDir } from "@migrate-relay/core";
import { type AwsSecretsStandIn, startAwsSecretsStandIn } from "@migrate-relay/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let cwd = "";
let http = "";
let aws: AwsSecretsStandIn;
const closeHttp: (() => void)[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), "runtimevar-"));
  await writeFile(join(cwd, "db-pass"), "from-a-file");
  const server = createServer((req, res) => {
    if (req.url === "/secret") res.end("from-http");
    else res.writeHead(404).end("no");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  http = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeHttp.push(() => server.close());
  aws = await startAwsSecretsStandIn({
    secrets: { "prod/db-pass": "from-secrets-manager" },
    parameters: { "/prod/db-pass": "from-parameter-store" },
  });
  // The SDK's default credential chain reads these (no real account is involved).
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDTEST", AWS_SECRET_ACCESS_KEY: "test-secret" });
});

afterAll(async () => {
  for (const close of closeHttp) close();
  await aws.close();
  process.env = saved;
});

async function urlWith(runtimevarUrl: string): Promise<string | undefined> {
  await writeFile(
    join(cwd, "atlas.hcl"),
    `data "runtimevar" "pass" {\n  url = "${runtimevarUrl}"\n}\nenv "prod" {\n  url = "postgres://app:\${urlescape(data.runtimevar.pass)}@db:5432/app"\n}\n`,
  );
  const [env] = await loadEnv({ config: "file://atlas.hcl", env: "prod", cwd });
  return env!.url;
}

describe("data runtimevar", () => {
  it.each([
    ["file (absolute)", () => `file://${join(cwd, "db-pass")}`, "from-a-file"],
    ["file (relative to the config)", () => "file://db-pass?decoder=string", "from-a-file"],
    ["http", () => `${http}/secret`, "from-http"],
    [
      "awssecretsmanager",
      () => `awssecretsmanager://prod/db-pass?region=us-east-1&endpoint=${aws.url}`,
      "from-secrets-manager",
    ],
    [
      "awsparamstore",
      () => `awsparamstore:///prod/db-pass?region=us-east-1&decoder=string&endpoint=${aws.url}`,
      "from-parameter-store",
    ],
  ])("reads a secret from %s", async (_name, url, secret) => {
    expect(await urlWith(url())).toBe(`postgres://app:${secret}@db:5432/app`);
  });

  it("went through the SDK to the stand-in with the names asked for", () => {
    expect(aws.calls).toEqual([
      { target: "secretsmanager.GetSecretValue", name: "prod/db-pass" },
      { target: "AmazonSSM.GetParameter", name: "/prod/db-pass" },
    ]);
  });

  it.each([
    ["a missing file", () => "file:///nowhere/at/all", /data\.runtimevar\.pass: .*ENOENT/],
    ["an HTTP error", () => `${http}/missing`, /HTTP 404/],
    [
      "a missing secret",
      () => `awssecretsmanager://nope?region=us-east-1&endpoint=${aws.url}`,
      /can't find the specified secret/,
    ],
    ["another decoder", () => "file://db-pass?decoder=json", /unsupported decoder: "json"/],
    [
      "an unknown scheme",
      () => "gcpsecretmanager://x",
      /unsupported runtimevar scheme "gcpsecretmanager:\/\/"/,
    ],
  ])("says where and what on %s", async (_name, url, message) => {
    await expect(urlWith(url())).rejects.toThrow(/^atlas\.hcl:1:1: data\.runtimevar\.pass: /);
    await expect(urlWith(url())).rejects.toThrow(message);
  });

  it("is not fetched when the selected env does not reach it", async () => {
    await writeFile(
      join(cwd, "atlas.hcl"),
      'data "runtimevar" "x" {\n  url = "file:///nowhere"\n}\nenv "a" {\n  url = "postgres://db/a"\n}\n',
    );
    const [env] = await loadEnv({ config: "file://atlas.hcl", env: "a", cwd });
    expect(env!.url).toBe("postgres://db/a");
  });
});

describe("data template_dir", () => {
  it("renders the directory with vars and a fresh atlas.sum, for migration.dir", async () => {
    await mkdir(join(cwd, "tpl"), { recursive: true });
    await writeFile(join(cwd, "tpl", "1_init.sql"), "CREATE SCHEMA {{ .Schema }};\n");
    await writeFile(
      join(cwd, "tpl", "2_seed.sql"),
      "{{ range .Tenants }}INSERT INTO t VALUES ('{{ . }}');\n{{ end }}",
    );
    await writeFile(
      join(cwd, "atlas.hcl"),
      `data "template_dir" "migrations" {
  path = "tpl"
  vars = {
    Schema  = atlas.env
    Tenants = ["a", "b"]
  }
}
env "prod" {
  migration {
    dir = data.template_dir.migrations.url
  }
}
`,
    );
    const [env] = await loadEnv({ config: "file://atlas.hcl", env: "prod", cwd });
    expect(env!.migration.dir).toMatch(/^file:\/\/.*migrate-relay-template-dir-migrations-/);
    const dir = await readDir(env!.migration.dir!);
    expect(dir.files.map((f) => Buffer.from(f.content).toString())).toEqual([
      "CREATE SCHEMA prod;\n",
      "INSERT INTO t VALUES ('a');\nINSERT INTO t VALUES ('b');\n",
    ]);
    expect(() => validateDir(dir)).not.toThrow();
    expect(await readFile(join(env!.migration.dir!.slice(7), "atlas.sum"), "utf8")).toMatch(/^h1:/);
  });

  it("names the file and the missing field when a template fails", async () => {
    await writeFile(join(cwd, "tpl", "3_bad.sql"), "SELECT {{ .Nope }};\n");
    await expect(loadEnv({ config: "file://atlas.hcl", env: "prod", cwd })).rejects.toThrow(
      /data\.template_dir\.migrations: executing template 3_bad\.sql: .*no field "Nope"/,
    );
  });
});
