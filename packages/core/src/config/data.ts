// Data sources of atlas.hcl that need I/O: `runtimevar` and `template_dir` (ariga/atlas
// cmd/atlas/internal/cmdext/cmdext.go: RuntimeVar, TemplateDir). The evaluator is synchronous, so a
// reference to a data source not fetched yet throws DataNeeded with what to fetch; the loader fetches
// it and evaluates again. Only data sources the selected env reaches are fetched.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { migrationFile, readDir, writeDir } from "../dir/files";
import { hashDir } from "../dir/sum";
import { configError, messageOf } from "../errors";
import { FormatTemplate } from "../gotemplate";
import { redactUrl } from "../secrets";
import { DEFAULT_RUNTIMEVAR_TIMEOUT_MS } from "../settings";
import { toJson, type Value } from "./hcl/values";

export const DATA_SOURCES = ["runtimevar", "template_dir"] as const;

export interface DataRequest {
  type: (typeof DATA_SOURCES)[number];
  name: string;
  /** The block's attributes, evaluated. */
  attrs: Map<string, Value>;
  /** `atlas.hcl:3:1`, for messages. */
  where: string;
}

/** Thrown by the evaluator: these data sources must be fetched before the env can be resolved. */
export class DataNeeded extends Error {
  constructor(readonly requests: DataRequest[]) {
    super(`data sources to fetch: ${requests.map((r) => `data.${r.type}.${r.name}`).join(", ")}`);
  }
}

export const dataKey = (type: string, name: string) => `${type}.${name}`;

/** Fetches one data source: its value as the config sees it. `base` is the config's folder. */
export async function fetchData(request: DataRequest, base: string): Promise<Value> {
  const fail = (message: string): never => {
    throw configError(`${request.where}: data.${request.type}.${request.name}: ${message}`);
  };
  const str = (name: string, required = true): string | undefined => {
    const v = request.attrs.get(name);
    if (v === undefined || v === null)
      return required ? fail(`the attribute "${name}" is required`) : undefined;
    if (typeof v !== "string") return fail(`"${name}" must be a string`);
    return v;
  };
  try {
    if (request.type === "runtimevar") return await runtimeVar(str("url")!, base, fail);
    return await templateDir(str("path")!, request, base, fail);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith(request.where)) throw err;
    return fail(messageOf(err));
  }
}

/**
 * gocloud.dev/runtimevar URLs with the string decoder, as Atlas opens them: `file:///path` (relative
 * paths resolve against the config's folder), `http(s)://...`, `awssecretsmanager://<secret-id>?region=R`
 * and `awsparamstore://<name>?region=R` (the AWS SDK loaded only for these; `endpoint=` overrides the
 * service endpoint as gocloud's AWS URLs allow). `timeout` (default 10s) bounds the read.
 */
async function runtimeVar(text: string, base: string, fail: (m: string) => never): Promise<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(
      `cannot parse url ${JSON.stringify(redactUrl(text))}; expected e.g. file:///run/secrets/db-pass`,
    );
  }
  const decoder = url.searchParams.get("decoder");
  if (decoder && decoder !== "string")
    fail(`unsupported decoder: "${decoder}" (Atlas reads runtimevars as strings)`);
  const timeout = url.searchParams.get("timeout");
  const ms = timeout ? parseGoDuration(timeout) : DEFAULT_RUNTIMEVAR_TIMEOUT_MS;
  if (ms === undefined) fail(`cannot parse timeout "${timeout}" (e.g. 5s)`);
  for (const p of ["decoder", "timeout", "wait"]) url.searchParams.delete(p);
  const signal = AbortSignal.timeout(ms!);
  const scheme = url.protocol.slice(0, -1);
  switch (scheme) {
    case "file": {
      const path = decodeURIComponent(`${url.host}${url.pathname}`);
      return readFile(isAbsolute(path) ? path : resolve(base, path), { encoding: "utf8", signal });
    }
    case "http":
    case "https": {
      const res = await fetch(url, { signal });
      if (!res.ok) fail(`GET ${redactUrl(url.toString())}: HTTP ${res.status} ${res.statusText}`);
      return res.text();
    }
    case "awssecretsmanager":
    case "awsparamstore":
      return awsVariable(scheme, url, signal, fail);
    default:
      return fail(
        `unsupported runtimevar scheme "${scheme}://"; supported: file, http, https, awssecretsmanager, awsparamstore`,
      );
  }
}

async function awsVariable(
  scheme: "awssecretsmanager" | "awsparamstore",
  url: URL,
  abortSignal: AbortSignal,
  fail: (m: string) => never,
): Promise<string> {
  const region = url.searchParams.get("region") ?? undefined;
  const endpoint = url.searchParams.get("endpoint") ?? undefined;
  const config = { ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) };
  const name = decodeURIComponent(`${url.host}${url.pathname}`);
  if (!name) fail(`${scheme}:// needs a name, e.g. ${scheme}://my-secret?region=us-east-1`);
  if (scheme === "awssecretsmanager") {
    const sm = await import("@aws-sdk/client-secrets-manager");
    const client = new sm.SecretsManagerClient(config);
    try {
      const out = await client.send(new sm.GetSecretValueCommand({ SecretId: name }), { abortSignal });
      return out.SecretString ?? Buffer.from(out.SecretBinary ?? new Uint8Array()).toString("utf8");
    } finally {
      client.destroy();
    }
  }
  const ssm = await import("@aws-sdk/client-ssm");
  const client = new ssm.SSMClient(config);
  try {
    const out = await client.send(new ssm.GetParameterCommand({ Name: name, WithDecryption: true }), {
      abortSignal,
    });
    return out.Parameter?.Value ?? fail(`parameter ${name} has no value`);
  } finally {
    client.destroy();
  }
}

function parseGoDuration(text: string): number | undefined {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  return m ? Number(m[1]) * unit[m[2]!]! : undefined;
}

/**
 * Atlas's template_dir: every top-level `*.sql` file of `path` rendered as a Go template with `vars`,
 * into a fresh folder with its atlas.sum; the value is `{ url = "file://<folder>" }` for migration.dir.
 */
async function templateDir(
  path: string,
  request: DataRequest,
  base: string,
  fail: (m: string) => never,
): Promise<Value> {
  const vars = request.attrs.get("vars");
  const data = vars === undefined || vars === null ? {} : toJson(vars);
  if (typeof data !== "object" || Array.isArray(data)) fail(`attribute "vars" must be a map`);
  for (const key of request.attrs.keys()) {
    if (key !== "path" && key !== "vars") fail(`unexpected attribute "${key}"; expected path and vars`);
  }
  const source = resolve(base, path);
  let dir: Awaited<ReturnType<typeof readDir>>;
  try {
    dir = await readDir(source, base);
  } catch (err) {
    return fail(`path ${path} is not a readable migration directory (${messageOf(err)})`);
  }
  const out = await mkdtemp(join(tmpdir(), `migrate-relay-template-dir-${request.name}-`));
  const rendered = dir.files.map((file) => {
    let text: string;
    try {
      text = FormatTemplate.parse(Buffer.from(file.content).toString("utf8")).execute(data);
    } catch (err) {
      return fail(`executing template ${file.name}: ${messageOf(err).replace(/^--format /, "")}`);
    }
    return migrationFile(file.name, new TextEncoder().encode(text));
  });
  await writeDir(out, { files: rendered, sum: hashDir(rendered) });
  return new Map<string, Value>([["url", `file://${out}`]]);
}
