// From configuration values (atlas.hcl's migration.repo, action inputs, CLI flags) to the ordered
// replica list the relay works on: the primary (registry, or repo.url) first, then the backups.
// Every URL is parsed and checked here, before anything is contacted or written.
import type { ResolvedEnv } from "../config/types";
import { configError } from "../errors";
import { checkSlug } from "../replica/names";
import { type OpenReplicaOptions, openReplica, openSpec } from "../replica/open";
import type { Replica, StateRef } from "../replica/types";
import { parseReplicaUrl } from "../replica/url";

export interface RepoConfig {
  /** `migration.dir`: `atlas://app[?tag=]` names the registry repo; a file:// source dir is ignored here. */
  dir?: string;
  /** `repo.name`. */
  name?: string;
  /** `repo.backup`, in order. */
  backups: string[];
  /** `repo.url`: an s3/file primary instead of the registry ("bring your own storage"). */
  url?: string;
  cloudUrl?: string;
  cloudToken?: string;
  cwd?: string;
  connectTimeoutMs?: number;
  s3?: OpenReplicaOptions["s3"];
}

export interface Repo {
  slug: string;
  /** Primary first, then the backups in the configured order. */
  replicas: Replica[];
  /** The tag or version named in `migration.dir` (`atlas://app?tag=x`), if any. */
  ref?: StateRef;
}

export function openRepo(config: RepoConfig): Repo {
  const fromDir = config.dir && /^atlas:\/\//i.test(config.dir) ? parseReplicaUrl(config.dir) : undefined;
  const dirSlug = fromDir?.kind === "cloud" ? fromDir.slug : undefined;
  if (config.name && dirSlug && config.name !== dirSlug) {
    throw configError(
      `migration dir ${config.dir} and repo name "${config.name}" disagree: use one repository name`,
    );
  }
  const name = config.name || dirSlug;
  if (!name) throw configError("no repository name: set repo { name } in atlas.hcl, or pass --dir-name");
  const slug = checkSlug(name);
  const options: OpenReplicaOptions = {
    repo: slug,
    ...(config.cwd ? { cwd: config.cwd } : {}),
    ...(config.cloudUrl ? { cloudUrl: config.cloudUrl } : {}),
    ...(config.cloudToken ? { cloudToken: config.cloudToken } : {}),
    ...(config.connectTimeoutMs ? { connectTimeoutMs: config.connectTimeoutMs } : {}),
    ...(config.s3 ? { s3: config.s3 } : {}),
  };
  const ref = fromDir?.kind === "cloud" ? fromDir.ref : undefined;
  let primary: Replica;
  if (config.url) {
    const spec = parseReplicaUrl(config.url, config.cwd);
    if (spec.kind === "cloud")
      throw configError(`repo url ${config.url} must be s3:// or file:// (the registry is atlas://)`);
    primary = openSpec(spec, options);
  } else {
    primary = openSpec(ref ? { kind: "cloud", slug, ref } : { kind: "cloud", slug }, options);
  }
  const backups = config.backups.map((url) => {
    if (/^atlas:\/\//i.test(url.trim())) throw configError(`backup ${url} must be s3:// or file://`);
    return openReplica(url, options);
  });
  return { slug, replicas: [primary, ...backups], ...(ref ? { ref } : {}) };
}

/** The repository settings of an atlas.hcl env; callers lay explicit inputs over it. */
export function repoConfigOf(env: ResolvedEnv): RepoConfig {
  const { dir, repo } = env.migration;
  return {
    ...(dir ? { dir } : {}),
    ...(repo.name ? { name: repo.name } : {}),
    backups: repo.backup,
    ...(repo.url ? { url: repo.url } : {}),
    ...(env.cloud.url ? { cloudUrl: env.cloud.url } : {}),
    ...(env.cloud.token ? { cloudToken: env.cloud.token } : {}),
  };
}
