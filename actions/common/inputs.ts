// The action inputs, read as the runner passes them (INPUT_<NAME>), in the actions' words: every
// message names `input "x"`, never a CLI flag. Explicit input > atlas.hcl > default is laid out in core
// (layerRepoConfig); here an empty input means "not given".
import { resolve } from "node:path";
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  inputError,
  isRegistryUrl,
  parseDuration,
  type RepoConfig,
  type RepoOverrides,
} from "@migrate-relay/core";
import * as core from "./runner";
import { ACTIONS_VOCABULARY, inputName } from "./vocabulary";

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

/** The repository must be named somewhere; say where, in the action's words. */
export function checkRepoNamed(config: RepoConfig): void {
  if (config.name || (config.dir && isRegistryUrl(config.dir))) return;
  throw inputError(
    `no repository name: set ${inputName("dir-name")}, or ${inputName("env")} naming an env block of the config with migration.repo { name }`,
  );
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
    hints: ACTIONS_VOCABULARY,
  };
}
