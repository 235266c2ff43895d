// Shared by apply and status: which database(s) and directory a command line selects.
// Explicit flags (--url --dir ...) win over the env block of atlas.hcl (--config --env).
import { inputError, type MigrationDir, type ResolvedEnv } from "@migrate-relay/core";
import { type FlagSpec, type ParsedFlags, str } from "../args";
import type { Io } from "../command";
import { CONFIG_FLAGS, hasEnvFlag, loadEnvsFromFlags } from "../config-flags";

export const TARGET_FLAGS: FlagSpec[] = [
  ...CONFIG_FLAGS,
  {
    name: "url",
    type: "string",
    description: "the target database URL, e.g. postgres://user:pass@host:5432/db",
  },
  {
    name: "dir",
    type: "string",
    description: "the migration directory: file://path, or atlas://repo read through the relay",
  },
  {
    name: "revisions-schema",
    type: "string",
    description:
      "schema of atlas_schema_revisions (default: the URL's search_path, else atlas_schema_revisions)",
  },
  { name: "format", type: "string", description: "output format: json prints the result objects" },
];

export interface Target {
  url: string;
  dir: string;
  /** The env instance this target came from (for_each key or env name), for log lines. */
  label?: string;
  env?: ResolvedEnv;
}

/** One target per env instance (for_each), or the single one --url/--dir name. */
export async function selectTargets(flags: ParsedFlags, io: Io): Promise<Target[]> {
  const url = str(flags, "url");
  const dir = str(flags, "dir");
  if (!hasEnvFlag(flags)) {
    if (!url)
      throw inputError("no database: pass --url postgres://... (or --config file://atlas.hcl --env <name>)");
    return [{ url, dir: dir ?? "file://migrations" }];
  }
  const envs = await loadEnvsFromFlags(flags, io);
  return envs.map((env) => {
    const target = url ?? env.url;
    const label = env.instance === undefined ? env.name : `${env.name}[${env.instance}]`;
    if (!target) throw inputError(`env "${label}" has no url: set url in atlas.hcl or pass --url`);
    return { url: target, dir: dir ?? env.migration.dir ?? "file://migrations", label, env };
  });
}

export interface LoadedDir {
  dir: MigrationDir;
  /** Where it came from when read through the relay. */
  source?: string;
  trail?: unknown[];
}
