// The `--config --env --var` flags every command that reads atlas.hcl shares, and loading them.
import { DEFAULT_CONFIG, inputError, loadEnv, parseVarFlags, type ResolvedEnv } from "@migrate-relay/core";
import type { FlagSpec } from "./args";
import { list, type ParsedFlags, str } from "./args";
import type { Io } from "./command";

export const CONFIG_FLAGS: FlagSpec[] = [
  {
    name: "config",
    type: "string",
    description: "the project file (Atlas's atlas.hcl)",
    default: DEFAULT_CONFIG,
  },
  { name: "env", type: "string", description: "the env block of the project file to use" },
  {
    name: "var",
    type: "list",
    description: "a value for an input variable, key=value (repeat a key to pass a list)",
  },
];

/** Whether the command line selects an env (commands that also work without a config check this first). */
export const hasEnvFlag = (flags: ParsedFlags): boolean => (str(flags, "env") ?? "") !== "";

/**
 * Loads the env selected by --env from --config with --var values; getenv() reads io.env and relative
 * paths resolve against io.cwd. One result per for_each instance. Throws a usage error without --env.
 */
export async function loadEnvsFromFlags(flags: ParsedFlags, io: Io): Promise<ResolvedEnv[]> {
  const env = str(flags, "env");
  if (!env)
    throw inputError("--env is required: name the env block of the project file to use, e.g. --env prod");
  const envs = await loadEnv({
    config: str(flags, "config") ?? DEFAULT_CONFIG,
    env,
    vars: parseVarFlags(list(flags, "var")),
    cwd: io.cwd,
    getenv: (name) => io.env[name],
  });
  for (const resolved of envs) io.secrets?.addEnv(resolved);
  return envs;
}
