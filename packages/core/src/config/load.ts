// Reading atlas.hcl from disk (read-only) and turning `--var k=v` flags into input variables.
import { readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { configError, inputError, isRelayError } from "../errors";
import { DataNeeded, dataKey, fetchData } from "./data";
import { MAX_CONFIG_BYTES } from "./hcl/source";
import type { Value } from "./hcl/values";
import { resolveEnvFromSource } from "./resolve";
import type { LoadEnvOptions, ResolvedEnv } from "./types";

/** Loads env `options.env` from the config file: one ResolvedEnv per for_each instance (one otherwise). */
export async function loadEnv(options: LoadEnvOptions): Promise<ResolvedEnv[]> {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, configPath(options.config));
  let source: string;
  try {
    // Sized before it is read: a config linked to /dev/zero or a huge file is refused, not loaded.
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_CONFIG_BYTES) {
      const what = info.isFile() ? `is ${(info.size / 1024 / 1024).toFixed(1)} MB` : "is not a regular file";
      throw configError(
        `config file ${options.config} ${what} (at ${path}); the limit is ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`,
      );
    }
    source = await readFile(path, "utf8");
  } catch (err) {
    if (isRelayError(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "was not found" : `cannot be read (${code ?? (err as Error).message})`;
    throw configError(`config file ${options.config} ${why} (looked at ${path})`);
  }
  // Messages name the file as the user would: relative to where they run, when it is below it.
  const rel = relative(cwd, path);
  const shown = rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
  // The YAML functions' parser is loaded only for a config that calls one of them.
  const yaml = /\byaml(?:decode|encode|merge)\s*\(/.test(source) ? await import("yaml") : undefined;
  const base = dirname(path);
  const data = new Map<string, Value>();
  // Each round fetches the data sources the last evaluation reached; a chain (a runtimevar whose url
  // reads another) takes one round per link.
  for (let round = 0; ; round++) {
    try {
      return resolveEnvFromSource(source, shown, {
        env: options.env,
        ...(yaml
          ? { yaml: { parse: (t: string) => yaml.parse(t), stringify: (v: unknown) => yaml.stringify(v) } }
          : {}),
        ...(options.vars ? { vars: options.vars } : {}),
        ...(options.getenv ? { getenv: options.getenv } : {}),
        baseDir: base,
        data,
      });
    } catch (err) {
      if (!(err instanceof DataNeeded) || round > 16) throw err;
      for (const request of err.requests)
        data.set(dataKey(request.type, request.name), await fetchData(request, base));
    }
  }
}

/** `file://atlas.hcl`, `file:///abs/atlas.hcl` or a plain path -> a path (as Atlas joins host and path). */
export function configPath(config: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(config);
  if (!m) return config;
  if (m[1]!.toLowerCase() !== "file") {
    throw configError(
      `unsupported config URL ${JSON.stringify(config)}; expected file://<path>, e.g. file://atlas.hcl`,
    );
  }
  return decodeURIComponent(m[2]!.replace(/[?#].*$/s, "")) || ".";
}

/** `--var k=v` (repeatable): a key given more than once becomes a list, as in Atlas. */
export function parseVarFlags(flags: string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    if (eq <= 0)
      throw inputError(`--var ${JSON.stringify(flag)}: expected key=value, e.g. --var url=postgres://...`);
    const key = flag.slice(0, eq);
    const value = flag.slice(eq + 1);
    const prev = out[key];
    out[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return out;
}
