// What the push and apply actions share: reading inputs (explicit input > atlas.hcl > default),
// masking secrets, the license-grant cache (docs/architecture.md, "The grant") and failing with a message, not a stack.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as cache from "@actions/cache";
import * as core from "@actions/core";
import {
  DEFAULT_CONFIG,
  DEFAULT_CONNECT_TIMEOUT_MS,
  defaultGrantDir,
  envSecrets,
  formatMs,
  GrantStore,
  inputError,
  isRegistryUrl,
  loadEnv,
  messageOf,
  parseDuration,
  type RepoConfig,
  type RepoOverrides,
  type ResolvedEnv,
  Secrets,
  type SettingName,
  tokenSha256,
} from "@migrate-relay/core";

export const inputName: SettingName = (name) => `input "${name}"`;

/** An input as given, trimmed; "" when not given. */
export const input = (name: string): string => core.getInput(name).trim();

/** A boolean input; `fallback` when empty (the runner fills defaults, a bare `node main.js` does not). */
export function boolInput(name: string, fallback: boolean): boolean {
  if (input(name) === "") return fallback;
  try {
    return core.getBooleanInput(name);
  } catch {
    throw inputError(`${inputName(name)} must be true or false, got "${input(name)}"`);
  }
}

/** A Go duration input ("10s", "1m30s"); undefined when empty. */
export function durationInput(name: string): number | undefined {
  const text = input(name);
  if (text === "") return undefined;
  const ms = parseDuration(text, inputName(name));
  if (!(ms > 0)) throw inputError(`${inputName(name)} must be more than 0`);
  return ms;
}

/** One URL a line (blank lines and `#` comments skipped). */
export const listInput = (name: string): string[] =>
  core
    .getMultilineInput(name)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));

/** The base of relative config and file:// paths. */
export const workingDirectory = (): string => resolve(process.cwd(), input("working-directory") || ".");

function varsInput(): Record<string, unknown> | undefined {
  const text = input("vars");
  if (text === "") return undefined;
  let vars: unknown;
  try {
    vars = JSON.parse(text);
  } catch (err) {
    throw inputError(
      `${inputName("vars")} is not JSON: ${messageOf(err)}; expected an object, e.g. {"tenant":"a"}`,
    );
  }
  if (vars === null || typeof vars !== "object" || Array.isArray(vars)) {
    throw inputError(`${inputName("vars")} must be a JSON object, e.g. {"tenant":"a"}`);
  }
  return vars as Record<string, unknown>;
}

/** The env instances `env` selects in `config` (one per for_each instance); undefined without `env`. */
export async function envsFromInputs(cwd: string): Promise<ResolvedEnv[] | undefined> {
  const env = input("env");
  if (env === "") return undefined;
  const vars = varsInput();
  return loadEnv({
    config: input("config") || DEFAULT_CONFIG,
    env,
    ...(vars ? { vars } : {}),
    cwd,
    getenv: (name) => process.env[name],
  });
}

/** The repository must be named somewhere; say where, in the action's words. */
export function checkRepoNamed(config: RepoConfig): void {
  if (config.name || (config.dir && isRegistryUrl(config.dir))) return;
  throw inputError(
    `no repository name: set ${inputName("dir-name")}, or ${inputName("env")} naming an env block of the config with migration.repo { name }`,
  );
}

/** The run's secrets, each masked in the runner's log (core.setSecret) the moment it is known. */
export function runnerSecrets(): Secrets {
  return new Secrets((secret) => core.setSecret(secret)).add(...envSecrets());
}

// --- the license-grant cache ----------------------------------------------------------------------

const STATE = { on: "grant-cache", dir: "grant-dir", key: "grant-key", changed: "grant-changed" } as const;

/**
 * The grant directory: $MIGRATE_RELAY_HOME/grants when set (a self-hosted runner that keeps it), else
 * $RUNNER_TEMP/migrate-relay/grants (per job; the cache carries it between runs), else the default.
 */
export function grantDir(): string {
  if (process.env.MIGRATE_RELAY_HOME) return defaultGrantDir(process.env);
  if (process.env.RUNNER_TEMP) return join(process.env.RUNNER_TEMP, "migrate-relay", "grants");
  return defaultGrantDir(process.env);
}

export function grantStore(dir: string): GrantStore {
  const ttlMs = durationInput("grant-ttl");
  return new GrantStore({ dir, ...(ttlMs ? { ttlMs } : {}) });
}

/** Set by restoreGrantCache: this step uses the grant cache (a registry token is in play). */
let cacheInUse = false;

const cacheKeyPrefix = (token: string) => `migrate-relay-grant-${process.platform}-${tokenSha256(token)}-`;

/**
 * main: restores the grant directory for this token (the newest entry of any earlier run) and
 * records in the state what post needs. A cache service error is a warning, never a failure.
 */
export async function restoreGrantCache(token: string, dir: string): Promise<void> {
  const prefix = cacheKeyPrefix(token);
  const key = `${prefix}${process.env.GITHUB_RUN_ID ?? "0"}-${process.env.GITHUB_RUN_ATTEMPT ?? "1"}`;
  cacheInUse = true;
  core.saveState(STATE.on, "true");
  core.saveState(STATE.dir, dir);
  core.saveState(STATE.key, key);
  const started = performance.now();
  if (!cache.isFeatureAvailable()) {
    core.warning(
      "license grant cache: the GitHub cache service is not available here; the grant will not be kept for later runs",
    );
    return;
  }
  try {
    const hit = await cache.restoreCache([dir], key, [prefix]);
    core.info(
      hit
        ? `License grant cache restored (${hit}) in ${formatMs(performance.now() - started)}`
        : `License grant cache: none yet for this token (${formatMs(performance.now() - started)})`,
    );
  } catch (err) {
    core.warning(`license grant cache could not be restored: ${messageOf(err)}`);
  }
}

/** main, at the end: whether post must save the grant directory (only when the cache is in use). */
export function recordGrantChange(changed: boolean): void {
  if (!cacheInUse) return;
  core.saveState(STATE.changed, changed ? "true" : "false");
}

/** post: saves the grant directory when main changed it. A cache service error is a warning. */
export async function saveGrantCache(): Promise<void> {
  if (core.getState(STATE.on) !== "true") return;
  const dir = core.getState(STATE.dir);
  const key = core.getState(STATE.key);
  if (core.getState(STATE.changed) !== "true" || !dir || !key) {
    core.info("License grant unchanged: the cache is not saved again");
    return;
  }
  const started = performance.now();
  try {
    // A revoked grant leaves the directory empty; the cache still needs something to archive, so
    // that the empty state (not the revoked grant) is what the next run restores.
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if ((await readdir(dir)).length === 0) await writeFile(join(dir, ".keep"), "");
    if (!cache.isFeatureAvailable()) {
      core.warning(
        "license grant cache: the GitHub cache service is not available here; the grant is not kept",
      );
      return;
    }
    const id = await cache.saveCache([dir], key);
    // The key is unique per run and attempt, so -1 means the cache service failed: say so.
    if (id === -1)
      core.warning(`license grant cache was not saved (key ${key}); the next run may lack the grant`);
    else core.info(`License grant cache saved (${key}) in ${formatMs(performance.now() - started)}`);
  } catch (err) {
    core.warning(`license grant cache could not be saved: ${messageOf(err)}`);
  }
}

/** Fails the step with the error's message; the stack only with ACTIONS_STEP_DEBUG. */
export function fail(err: unknown, secrets: Secrets): string {
  const message = secrets.redact(messageOf(err));
  core.setFailed(message);
  if (core.isDebug() && err instanceof Error && err.stack) {
    core.debug(secrets.redact(err.stack));
  }
  return message;
}

/** A job summary that cannot be written (no GITHUB_STEP_SUMMARY) is a warning, not a failure. */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info("No job summary: GITHUB_STEP_SUMMARY is not set (not running on a GitHub runner?)");
    return;
  }
  try {
    await core.summary.addRaw(markdown).write();
  } catch (err) {
    core.warning(`job summary not written: ${messageOf(err)}`);
  }
}

/** The repository inputs both actions take, over the env's migration.repo (explicit input wins). */
export function repoOverridesFromInputs(cwd: string, backups: string[]): RepoOverrides {
  return {
    name: input("dir-name"),
    extraBackups: backups,
    url: input("repo-url"),
    cloudUrl: input("cloud-url"),
    cloudToken: input("cloud-token"),
    fallbackToken: process.env.ATLAS_TOKEN,
    cwd,
    connectTimeoutMs: durationInput("connect-timeout") ?? DEFAULT_CONNECT_TIMEOUT_MS,
  };
}
