// The license-grant cache (docs/architecture.md, "The grant"): main restores the grant directory for
// its token from the GitHub cache, post saves it when main changed it. The cache client (and the Azure
// SDK it brings) is loaded only here, on first use: a run without a registry token never loads it.

import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { defaultGrantDir, formatMs, GrantStore, messageOf, tokenSha256 } from "@migrate-relay/core";
import { GRANT_STATE, type GrantState } from "./grant-state";
import { durationInput } from "./inputs";
import * as core from "./runner";
import { ACTIONS_VOCABULARY } from "./vocabulary";

const cacheClient = () => import(/* webpackChunkName: "actions-cache" */ "@actions/cache");

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
  return new GrantStore({ dir, ...(ttlMs ? { ttlMs } : {}), hints: ACTIONS_VOCABULARY });
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
  core.saveState(GRANT_STATE.on, "true");
  core.saveState(GRANT_STATE.dir, dir);
  core.saveState(GRANT_STATE.key, key);
  const started = performance.now();
  const cache = await cacheClient();
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
  core.saveState(GRANT_STATE.changed, changed ? "true" : "false");
}

/** post, when main changed the grant directory: saves it. A cache service error is a warning. */
export async function saveGrantCache({ dir, key }: GrantState): Promise<void> {
  const started = performance.now();
  try {
    // A revoked grant leaves the directory empty; the cache still needs something to archive, so
    // that the empty state (not the revoked grant) is what the next run restores.
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if ((await readdir(dir)).length === 0) await writeFile(join(dir, ".keep"), "");
    const cache = await cacheClient();
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
