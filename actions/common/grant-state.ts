// What main tells post about the license-grant cache, through the step state (GITHUB_STATE in main,
// STATE_<name> in post). Read straight from the environment, as @actions/core's getState does, so the
// post step decides whether there is anything to save before it loads any other module.
import { EOL } from "node:os";

export const GRANT_STATE = {
  on: "grant-cache",
  dir: "grant-dir",
  key: "grant-key",
  changed: "grant-changed",
} as const;

/** The grant cache as main left it: undefined when main did not use it (no registry token). */
export interface GrantState {
  dir: string;
  key: string;
  /** Main wrote or deleted a grant file, so the directory must be saved again. */
  changed: boolean;
}

const state = (name: string): string => process.env[`STATE_${name}`] ?? "";

export function grantState(): GrantState | undefined {
  if (state(GRANT_STATE.on) !== "true") return undefined;
  const dir = state(GRANT_STATE.dir);
  const key = state(GRANT_STATE.key);
  return { dir, key, changed: state(GRANT_STATE.changed) === "true" && dir !== "" && key !== "" };
}

/**
 * The post step of both actions: saves the grant directory when main changed it. With nothing to save
 * it loads neither @actions/core, the cache client nor core: one log line (as core.info writes it).
 */
export async function postGrantCache(): Promise<void> {
  const grant = grantState();
  if (!grant) return;
  if (!grant.changed) {
    process.stdout.write(`License grant unchanged: the cache is not saved again${EOL}`);
    return;
  }
  const { saveGrantCache } = await import(/* webpackChunkName: "grant-cache" */ "./grant-cache");
  await saveGrantCache(grant);
}
