// From configuration values (atlas.hcl's migration.repo, action inputs, CLI flags) to the ordered
// replica list the relay works on: the primary (registry, or repo.url) first, then the backups.
// Every URL is parsed and checked here, before anything is contacted or written.
import type { ResolvedEnv } from "../config/types";
import { configError } from "../errors";
import { CLI_HINTS, type Hints } from "../hints";
import { checkSlug } from "../replica/names";
import { type OpenReplicaOptions, openReplica, openSpec } from "../replica/open";
import type { Replica, StateRef } from "../replica/types";
import { parseReplicaUrl } from "../replica/url";
import { given, isRegistryUrl, setting } from "../settings";

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
  /** The front end's words in hints (default the CLI's). */
  hints?: Hints;
}

export interface Repo {
  slug: string;
  /** Primary first, then the backups in the configured order. */
  replicas: Replica[];
  /** The tag or version named in `migration.dir` (`atlas://app?tag=x`), if any. */
  ref?: StateRef;
}

export function openRepo(config: RepoConfig): Repo {
  const fromDir = config.dir && isRegistryUrl(config.dir) ? parseReplicaUrl(config.dir) : undefined;
  const dirSlug = fromDir?.kind === "cloud" ? fromDir.slug : undefined;
  if (config.name && dirSlug && config.name !== dirSlug) {
    throw configError(
      `migration dir ${config.dir} and repo name "${config.name}" disagree: use one repository name`,
    );
  }
  const name = config.name || dirSlug;
  if (!name)
    throw configError(
      `no repository name: set repo { name } in atlas.hcl, or pass ${(config.hints ?? CLI_HINTS).dirName}`,
    );
  const slug = checkSlug(name);
  const options: OpenReplicaOptions = {
    repo: slug,
    ...(config.cwd ? { cwd: config.cwd } : {}),
    ...(config.cloudUrl ? { cloudUrl: config.cloudUrl } : {}),
    ...(config.cloudToken ? { cloudToken: config.cloudToken } : {}),
    ...(config.connectTimeoutMs ? { connectTimeoutMs: config.connectTimeoutMs } : {}),
    ...(config.s3 ? { s3: config.s3 } : {}),
    ...(config.hints ? { hints: config.hints } : {}),
  };
  const ref = fromDir?.kind === "cloud" ? fromDir.ref : undefined;
  let primary: Replica;
  if (config.url) {
    const spec = parseReplicaUrl(config.url, config.cwd);
    if (spec.kind === "cloud")
      throw configError(
        `repo url ${config.url} must be s3://, gs://, azureblob://, oci:// or file:// (the registry is atlas://)`,
      );
    primary = openSpec(spec, options);
  } else {
    primary = openSpec(ref ? { kind: "cloud", slug, ref } : { kind: "cloud", slug }, options);
  }
  const backups = config.backups.map((url) => {
    if (isRegistryUrl(url.trim()))
      throw configError(`backup ${url} must be s3://, gs://, azureblob://, oci:// or file://`);
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

/** Explicit settings (CLI flags, action inputs) to lay over an env's repository settings. */
export interface RepoOverrides {
  /** `migration.dir` to name the registry repo by (`atlas://app?tag=x`); replaces the env's. */
  dir?: string;
  name?: string;
  /** Replace the env's backups (when non-empty). */
  backups?: string[];
  /** Added after the backups (the env's, or `backups` when given). */
  extraBackups?: string[];
  url?: string;
  cloudUrl?: string;
  cloudToken?: string;
  /** Used when neither the overrides nor the env name a token (e.g. $ATLAS_TOKEN). */
  fallbackToken?: string;
  cwd?: string;
  connectTimeoutMs?: number;
  /** The front end's words in hints (default the CLI's). */
  hints?: Hints;
}

/**
 * Explicit value > the env's attribute > default, for every repository setting. Empty strings count as
 * "not given", as an unset action input reads "".
 */
export function layerRepoConfig(env: ResolvedEnv | undefined, over: RepoOverrides): RepoConfig {
  const base: RepoConfig = env ? repoConfigOf(env) : { backups: [] };
  const { dir: _source, ...rest } = base;
  const name = setting(over.name, base.name);
  const url = setting(over.url, base.url);
  const cloudUrl = setting(over.cloudUrl, base.cloudUrl);
  const cloudToken = setting(over.cloudToken, base.cloudToken, given(over.fallbackToken));
  const backups = over.backups?.length ? over.backups : base.backups;
  return {
    ...rest,
    ...(over.dir ? { dir: over.dir } : {}),
    ...(name ? { name } : {}),
    backups: [...backups, ...(over.extraBackups ?? []).filter((b) => !backups.includes(b))],
    ...(url ? { url } : {}),
    ...(cloudUrl ? { cloudUrl } : {}),
    ...(cloudToken ? { cloudToken } : {}),
    ...(over.cwd ? { cwd: over.cwd } : {}),
    ...(over.connectTimeoutMs ? { connectTimeoutMs: over.connectTimeoutMs } : {}),
    ...(over.hints ? { hints: over.hints } : {}),
  };
}
