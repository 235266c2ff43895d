// A fleet rollout: one directory applied to many targets (for_each instances) in one job. The
// directory is read and verified once; targets run with bounded parallelism (one apply = its own two
// connections and the advisory lock, as for one target); `shard i/n` keeps this job's part of the
// fleet; canaries go first and gate the rest; max-failures stops new starts. Every target's outcome is
// returned, a failed one never hides the others'. Shared by the CLI and the apply action.
import { createHash } from "node:crypto";
import { validateDir } from "../dir/sum";
import type { MigrationDir } from "../dir/types";
import { type ErrorKind, inputError, isRelayError, messageOf } from "../errors";
import { redactUrl } from "../secrets";
import { DEFAULT_PARALLELISM, flagName, given as givenSetting, type SettingName } from "../settings";
import { applyDir } from "./apply";
import type { ApplyTarget } from "./inputs";
import { type DirOrigin, emptyResult, failedResult, failureOf, originOf } from "./result";
import type { AppliedFile, ApplyOptions, ApplyResult } from "./types";

/** What happened to one target of a rollout. */
export type FleetOutcome = "applied" | "up-to-date" | "dry-run" | "failed" | "not-started";
/** The order the summary lists outcomes in: what needs attention first. */
export const FLEET_OUTCOMES: readonly FleetOutcome[] = [
  "failed",
  "not-started",
  "applied",
  "dry-run",
  "up-to-date",
];

/** This job's part of the fleet: shard `index` of `count` (1-based, as written: `2/4`). */
export interface Shard {
  index: number;
  count: number;
}

export interface FleetSettings {
  parallelism: number;
  shard?: Shard;
  /** Instance keys (or labels) to apply first; any failure among them stops the rollout. */
  canary: string[];
  /** Stop starting new targets after this many failures. */
  maxFailures?: number;
}

/** The rollout settings as given (strings as typed; "" or undefined means not given). */
export interface FleetInputs {
  parallelism?: string;
  shard?: string;
  canary?: string;
  maxFailures?: string;
}

/** Rollout settings are read trimmed (a matrix value may carry spaces). */
const given = (v: string | undefined) => givenSetting(v?.trim());

function wholeNumber(text: string | undefined, name: string): number | undefined {
  const t = given(text);
  if (t === undefined) return undefined;
  const n = Number(t);
  if (!/^\d+$/.test(t) || !(n >= 1)) throw inputError(`${name} "${text}" must be a whole number >= 1`);
  return n;
}

/** `i/n` with 1 <= i <= n. */
export function parseShard(text: string | undefined, nameOf: SettingName = flagName): Shard | undefined {
  const t = given(text);
  if (t === undefined) return undefined;
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(t);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || !(count >= 1) || !(index >= 1) || index > count)
    throw inputError(
      `${nameOf("shard")} "${text}" must be i/n with 1 <= i <= n, e.g. 1/4 (shard 1 of 4, as in a matrix of 4 jobs)`,
    );
  return { index, count };
}

export function fleetSettingsOf(inputs: FleetInputs, nameOf: SettingName = flagName): FleetSettings {
  const maxFailures = wholeNumber(inputs.maxFailures, nameOf("max-failures"));
  return {
    parallelism: wholeNumber(inputs.parallelism, nameOf("parallelism")) ?? DEFAULT_PARALLELISM,
    ...(inputs.shard !== undefined && given(inputs.shard) ? { shard: parseShard(inputs.shard, nameOf) } : {}),
    canary: (given(inputs.canary) ?? "").split(/[\s,]+/).filter(Boolean),
    ...(maxFailures !== undefined ? { maxFailures } : {}),
  };
}

/**
 * The key a target is sharded and named by: the for_each instance key (`acme`), else the env label,
 * else the redacted URL (so rotating a password does not move a target to another shard).
 */
export function targetKey(target: ApplyTarget): string {
  return target.env?.instance ?? target.label ?? redactUrl(target.url);
}

/**
 * The shard (1..count) a key belongs to, by rendezvous (highest random weight) hashing: each shard
 * scores the key with SHA-256 and the highest score wins. A key's scores do not depend on the other
 * keys or on `count`, so adding a tenant moves no other tenant, and going from n to n+1 shards moves
 * only the ~1/(n+1) of keys the new shard wins.
 */
export function shardOf(key: string, count: number): number {
  let best = 1;
  let bestScore = -1n;
  for (let j = 1; j <= count; j++) {
    const score = createHash("sha256").update(`${j}\n${key}`).digest().readBigUInt64BE(0);
    if (score > bestScore) {
      best = j;
      bestScore = score;
    }
  }
  return best;
}

/** A target with its checked options (checked before any database is touched). */
export interface PreparedTarget {
  target: ApplyTarget;
  options: ApplyOptions;
}

/** What a target's directory read gave (the relay's LoadedDir, or a local read). */
export interface FleetDir extends DirOrigin {
  dir: MigrationDir;
}

export interface FleetOptions extends FleetSettings {
  /**
   * Reads a target's directory; called for every target, so it should return the same read for
   * targets that share a directory (core's dirLoader does). Config/input errors stop the rollout
   * (thrown once the running targets finished); any other RelayError fails this target only.
   */
  load: (target: ApplyTarget) => Promise<FleetDir>;
  onStart?: (target: ApplyTarget) => void;
  onFile?: (target: ApplyTarget, file: AppliedFile) => void;
  onDone?: (run: FleetRun) => void;
  /** Aborted (SIGINT/SIGTERM): running files roll back, nothing new starts. */
  signal?: AbortSignal;
}

/** One target's run in a rollout, in the shape the report takes (core/report ApplyRun). */
export interface FleetRun {
  key: string;
  label?: string;
  dir: string;
  outcome: FleetOutcome;
  canary?: boolean;
  /** Why a target was not started. */
  notStarted?: string;
  /** The apply result; for a target not started, an empty one (url, no plan). */
  result: ApplyResult;
  startedAt?: Date;
}

export interface FleetResult {
  /** This shard's targets in their configured order. */
  runs: FleetRun[];
  /** How many targets the env has in all shards. */
  total: number;
  shard?: Shard;
  /** Why the rollout stopped starting targets, when it did. */
  stopped?: string;
}

export function outcomeOf(result: ApplyResult): FleetOutcome {
  if (result.error) return "failed";
  if (result.dryRun) return "dry-run";
  return result.pending.length === 0 ? "up-to-date" : "applied";
}

/** Applies to this shard's targets; resolves with every target's run (in target order). */
export async function applyFleet(prepared: PreparedTarget[], options: FleetOptions): Promise<FleetResult> {
  const keyed = prepared.map((p) => ({ ...p, key: targetKey(p.target) }));
  const canary = new Set(options.canary);
  for (const name of canary) {
    if (!keyed.some((p) => p.key === name || p.target.label === name)) {
      const known = keyed.slice(0, 10).map((p) => p.key);
      throw inputError(
        `canary "${name}" names no target; the targets are ${known.join(", ")}${keyed.length > 10 ? ", ..." : ""}`,
      );
    }
  }
  const shard = options.shard;
  const mine = shard ? keyed.filter((p) => shardOf(p.key, shard.count) === shard.index) : keyed;
  const runs: (FleetRun | undefined)[] = new Array(mine.length);
  const isCanary = (p: (typeof mine)[number]) =>
    canary.has(p.key) || (p.target.label !== undefined && canary.has(p.target.label));

  // Each distinct directory is verified once (atlas.sum against the files), not once per target.
  const verified = new WeakMap<MigrationDir, { kind: ErrorKind; message: string } | null>();
  const verify = (dir: MigrationDir) => {
    let outcome = verified.get(dir);
    if (outcome === undefined) {
      try {
        validateDir(dir);
        outcome = null;
      } catch (err) {
        outcome = { kind: isRelayError(err) ? err.kind : "integrity", message: messageOf(err) };
      }
      verified.set(dir, outcome);
    }
    return outcome;
  };

  let failures = 0;
  let stopped: string | undefined;
  let fatal: unknown;

  const runOne = async (i: number): Promise<void> => {
    const { target, options: applyOptions, key } = mine[i]!;
    const startedAt = new Date();
    options.onStart?.(target);
    let result: ApplyResult;
    try {
      const loaded = await options.load(target);
      const invalid = verify(loaded.dir);
      const from = originOf(loaded);
      result = invalid
        ? failedResult(redactUrl(target.url), applyOptions.dryRun === true, invalid, from)
        : await applyDir(loaded.dir, {
            ...applyOptions,
            ...from,
            verified: true,
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.onFile ? { onFile: (f: AppliedFile) => options.onFile?.(target, f) } : {}),
          });
    } catch (err) {
      if (!isRelayError(err) || err.kind === "config" || err.kind === "input") {
        fatal ??= err;
        return;
      }
      const { error, trail } = failureOf(err);
      result = failedResult(
        redactUrl(target.url),
        applyOptions.dryRun === true,
        error,
        trail ? { trail } : {},
      );
    }
    const run: FleetRun = {
      key,
      ...(target.label !== undefined ? { label: target.label } : {}),
      dir: target.dir,
      outcome: outcomeOf(result),
      ...(isCanary(mine[i]!) ? { canary: true } : {}),
      result,
      startedAt,
    };
    runs[i] = run;
    if (run.outcome === "failed") {
      failures++;
      if (options.maxFailures !== undefined && failures >= options.maxFailures && !stopped)
        stopped = `max-failures reached (${failures} failed)`;
    }
    options.onDone?.(run);
  };

  // A pool of `parallelism` workers taking the next index; nothing new starts once stopped.
  const pool = async (indexes: number[]) => {
    let next = 0;
    const worker = async () => {
      while (next < indexes.length && !stopped && fatal === undefined) {
        if (options.signal?.aborted) stopped ??= "interrupted";
        else await runOne(indexes[next++]!);
      }
    };
    const width = Math.max(1, Math.min(options.parallelism, indexes.length));
    await Promise.all(Array.from({ length: width }, worker));
  };

  const all = mine.map((_, i) => i);
  const canaries = all.filter((i) => isCanary(mine[i]!));
  const inCanary = new Set(canaries);
  await pool(canaries);
  const failedCanary = canaries.map((i) => runs[i]).find((r) => r?.outcome === "failed");
  if (failedCanary && !stopped) stopped = `canary ${failedCanary.label ?? failedCanary.key} failed`;
  await pool(all.filter((i) => !inCanary.has(i)));
  if (fatal !== undefined) throw fatal;

  const done = all.map((i): FleetRun => {
    const run = runs[i];
    if (run) return run;
    const { target, options: applyOptions, key } = mine[i]!;
    return {
      key,
      ...(target.label !== undefined ? { label: target.label } : {}),
      dir: target.dir,
      outcome: "not-started",
      ...(isCanary(mine[i]!) ? { canary: true } : {}),
      notStarted: stopped ?? "not started",
      result: emptyResult(redactUrl(target.url), applyOptions.dryRun === true),
    };
  });
  return { runs: done, total: prepared.length, ...(shard ? { shard } : {}), ...(stopped ? { stopped } : {}) };
}
