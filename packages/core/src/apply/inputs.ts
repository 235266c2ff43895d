// From explicit settings (CLI flags, action inputs) and an atlas.hcl env to apply's targets and
// options: explicit value > env attribute > default. Shared by the CLI and the apply action.
import type { ExecOrder, ResolvedEnv } from "../config/types";
import type { TxMode } from "../dir/directives";
import { parseDuration } from "../duration";
import { inputError } from "../errors";
import { redactUrl } from "../secrets";
import {
  DEFAULT_DIR,
  DEFAULT_EXEC_ORDER,
  DEFAULT_TX_MODE,
  flagName,
  given,
  type SettingName,
  setting,
} from "../settings";
import type { ApplyOptions } from "./types";

/** Apply's settings as given (strings as typed; "" or undefined means not given). */
export interface ApplyInputs {
  txMode?: string;
  execOrder?: string;
  baseline?: string;
  allowDirty?: boolean;
  amount?: string;
  toVersion?: string;
  dryRun?: boolean;
  revisionsSchema?: string;
  lockTimeout?: string;
}

export function applyOptionsOf(
  url: string,
  inputs: ApplyInputs,
  env: ResolvedEnv | undefined,
  nameOf: SettingName = flagName,
): ApplyOptions {
  const m = env?.migration;
  const amountText = given(inputs.amount);
  const amount = amountText === undefined ? undefined : Number(amountText);
  if (amountText !== undefined && !(Number.isInteger(amount) && (amount as number) >= 1)) {
    throw inputError(`${nameOf("amount")} "${amountText}" must be a whole number >= 1`);
  }
  if (amountText !== undefined && given(inputs.toVersion) !== undefined) {
    // As Atlas (atlas-action: "Mutually exclusive with `amount`"): the two would disagree on where to stop.
    throw inputError(
      `${nameOf("amount")} and ${nameOf("to-version")} are mutually exclusive: pass one of them`,
    );
  }
  const lockTimeout = setting(inputs.lockTimeout, m?.lockTimeout);
  return {
    url,
    txMode: setting<string>(inputs.txMode, undefined, DEFAULT_TX_MODE) as TxMode,
    execOrder: setting<string>(inputs.execOrder, m?.execOrder, DEFAULT_EXEC_ORDER) as ExecOrder,
    baseline: setting(inputs.baseline, m?.baseline),
    allowDirty: inputs.allowDirty === true,
    amount,
    toVersion: given(inputs.toVersion),
    dryRun: inputs.dryRun === true,
    revisionsSchema: setting(inputs.revisionsSchema, m?.revisionsSchema),
    lockTimeoutMs: lockTimeout === undefined ? undefined : parseDuration(lockTimeout, nameOf("lock-timeout")),
  };
}

export interface ApplyTarget {
  url: string;
  dir: string;
  /** The env instance this target came from (`prod`, `prod[tenant_a]`), for log lines and summaries. */
  label?: string;
  env?: ResolvedEnv;
}

/**
 * One target per env instance (for_each); without an env, one per line of `url` (usually one).
 */
export function applyTargetsOf(
  envs: ResolvedEnv[] | undefined,
  explicit: { url?: string; dir?: string },
  nameOf: SettingName = flagName,
): ApplyTarget[] {
  const url = given(explicit.url);
  const dir = given(explicit.dir);
  if (!envs) {
    if (!url)
      throw inputError(
        nameOf === flagName
          ? "no database: pass --url postgres://... (or --config file://atlas.hcl --env <name>)"
          : `no database: set ${nameOf("url")} (or ${nameOf("env")} naming an env block with a url)`,
      );
    // Several URLs, one per line (a fleet without an env): each is its own target, named by its
    // redacted URL.
    const urls = url
      .split(/\r?\n/)
      .map((u) => u.trim())
      .filter(Boolean);
    if (urls.length > 1) return urls.map((u) => ({ url: u, dir: dir ?? DEFAULT_DIR, label: redactUrl(u) }));
    return [{ url: urls[0] ?? url, dir: dir ?? DEFAULT_DIR }];
  }
  if (url && /\n/.test(url.trim()))
    throw inputError(
      `${nameOf("url")} names several databases: with an env, use for_each for several targets`,
    );
  return envs.map((env) => {
    const target = url ?? env.url;
    const label = env.instance === undefined ? env.name : `${env.name}[${env.instance}]`;
    if (!target && env.emptyUrl)
      throw inputError(`env "${label}": ${env.emptyUrl}; set it, or pass ${nameOf("url")}`);
    if (!target) throw inputError(`env "${label}" has no url: set url in atlas.hcl or pass ${nameOf("url")}`);
    return { url: target, dir: dir ?? env.migration.dir ?? DEFAULT_DIR, label, env };
  });
}
