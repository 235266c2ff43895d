// The repository flags push, pull, verify, sync, apply and status share: where the repository lives
// (flags over atlas.hcl), its connect timeout and the license grant.
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_GRANT_TTL_MS,
  defaultGrantDir,
  GrantStore,
  isRegistryUrl,
  layerRepoConfig,
  openRepo,
  type Repo,
  type ResolvedEnv,
  setting,
} from "@migrate-relay/core";
import { type FlagSpec, list, type ParsedFlags, str } from "../args";
import { FORMAT_FLAG } from "../atlas-flags";
import type { Io } from "../command";
import { CONFIG_FLAGS, hasEnvFlag, loadEnvsFromFlags } from "../config-flags";
import { durationFlag, durationText } from "../duration";

export const REPO_FLAGS: FlagSpec[] = [
  ...CONFIG_FLAGS,
  { name: "dir-name", type: "string", description: "the repository name (slug) in the registry and backups" },
  { name: "backup", type: "list", description: "a backup URL, s3://bucket/prefix?region=R or file://path" },
  {
    name: "repo-url",
    type: "string",
    description: "an s3://, gs://, azureblob://, oci:// or file:// primary instead of the registry",
  },
  {
    name: "cloud-url",
    type: "string",
    description: "the registry's GraphQL endpoint [default https://api.atlasgo.cloud/query]",
  },
  { name: "cloud-token", type: "string", description: "the registry token [default $ATLAS_TOKEN]" },
  {
    name: "grant-dir",
    type: "string",
    description: "where license grants live [default $MIGRATE_RELAY_HOME/grants or ~/.migrate-relay/grants]",
  },
  {
    name: "grant-ttl",
    type: "string",
    description: "how long a grant lets work go on without the registry",
    default: durationText(DEFAULT_GRANT_TTL_MS),
  },
  {
    name: "connect-timeout",
    type: "string",
    description: "per-replica connect timeout",
    default: durationText(DEFAULT_CONNECT_TIMEOUT_MS),
  },
  FORMAT_FLAG,
];

/** The env selected by --env (first for_each instance), or none when no --env is given. */
export async function envFromFlags(flags: ParsedFlags, io: Io): Promise<ResolvedEnv | undefined> {
  if (!hasEnvFlag(flags)) return undefined;
  const [env] = await loadEnvsFromFlags(flags, io);
  return env;
}

/** The registry repository --dir (or the env's migration.dir) names, when it is an atlas:// URL. */
export const registryDirOf = (flags: ParsedFlags, env: ResolvedEnv | undefined): string | undefined => {
  const dir = setting(str(flags, "dir"), env?.migration.dir);
  return dir && isRegistryUrl(dir) ? dir : undefined;
};

/** Where the repository lives: explicit flags first, then atlas.hcl, then $ATLAS_TOKEN. */
export function repoFromFlags(flags: ParsedFlags, io: Io, env: ResolvedEnv | undefined, dir?: string): Repo {
  return openRepo(
    layerRepoConfig(env, {
      ...(dir ? { dir } : {}),
      name: str(flags, "dir-name"),
      backups: list(flags, "backup"),
      url: str(flags, "repo-url"),
      cloudUrl: str(flags, "cloud-url"),
      cloudToken: str(flags, "cloud-token"),
      fallbackToken: io.env.ATLAS_TOKEN,
      cwd: io.cwd,
      connectTimeoutMs: durationFlag(flags, "connect-timeout") ?? DEFAULT_CONNECT_TIMEOUT_MS,
    }),
  );
}

export function grantsFromFlags(flags: ParsedFlags, io: Io): GrantStore {
  const ttlMs = durationFlag(flags, "grant-ttl");
  return new GrantStore({
    dir: str(flags, "grant-dir") ?? defaultGrantDir(io.env),
    ...(ttlMs ? { ttlMs } : {}),
  });
}
