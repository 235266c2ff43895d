import {
  type AppliedFile,
  type ApplyOptions,
  type ApplyResult,
  applyFleet,
  applyOptionsOf,
  FLEET_OUTCOMES,
  type FleetRun,
  fleetSettingsOf,
  inputError,
  redactUrl,
} from "@migrate-relay/core";
import { bool, type ParsedFlags, str } from "../args";
import type { Command, Io } from "../command";
import { dirLoader, RELAY_FLAGS } from "./apply-relay";
import { selectTargets, TARGET_FLAGS, type Target } from "./apply-targets";

function fileLine(f: AppliedFile): string {
  const time = `${f.ms.toFixed(1)} ms`;
  const resumed = f.skipped ? `, resumed after ${f.skipped}` : "";
  if (f.error) {
    return `  FAIL ${f.name}  statement ${f.error.index}/${f.total} (line ${f.error.line}): ${f.error.text}  ${time}`;
  }
  const state = f.rolledBack ? "rolled back" : "ok";
  return `  ${state === "ok" ? "ok  " : "back"} ${f.name}  ${f.statements} statement${f.statements === 1 ? "" : "s"}${resumed}  ${time}`;
}

function summaryLine(r: ApplyResult): string {
  if (r.error) return `Error: ${r.error.message}`;
  const from = r.current || "(empty)";
  if (r.pending.length === 0) return `No migration files to execute (database at ${from})`;
  const statements = r.applied.reduce((n, f) => n + f.statements, 0);
  if (r.dryRun) return `Dry run: would migrate from ${from} to ${r.target}: ${r.pending.join(", ")}`;
  return `Migrated to version ${r.target} from ${from} (${r.applied.length} migrations, ${statements} statements, ${r.ms} ms)`;
}

/** `2000 targets: 3 failed, 10 not started, 1987 applied`. */
function countsLine(runs: readonly FleetRun[]): string {
  const counts = FLEET_OUTCOMES.map((o) => [o, runs.filter((r) => r.outcome === o).length] as const);
  const parts = counts.filter(([, n]) => n > 0).map(([o, n]) => `${n} ${o.replace("-", " ")}`);
  return `${runs.length} targets: ${parts.join(", ")}`;
}

function optionsOf(flags: ParsedFlags, target: Target): ApplyOptions {
  return applyOptionsOf(
    target.url,
    {
      txMode: str(flags, "tx-mode"),
      execOrder: str(flags, "exec-order"),
      baseline: str(flags, "baseline"),
      allowDirty: bool(flags, "allow-dirty"),
      amount: str(flags, "amount"),
      toVersion: str(flags, "to-version"),
      dryRun: bool(flags, "dry-run"),
      revisionsSchema: str(flags, "revisions-schema"),
      lockTimeout: str(flags, "lock-timeout"),
    },
    target.env,
  );
}

export const applyCommand: Command = {
  name: "apply",
  summary: "Apply pending migration files to PostgreSQL, as `atlas migrate apply` does.",
  usage:
    "migrate-relay apply (--url <db> [--dir file://migrations] | --config file://atlas.hcl --env <name>) [flags]",
  example:
    "migrate-relay apply --url 'postgres://app:pass@localhost:5432/app?sslmode=disable' --dir file://migrations --tx-mode file",
  flags: [
    ...TARGET_FLAGS,
    ...RELAY_FLAGS,
    { name: "tx-mode", type: "string", description: "transaction mode: file, all or none", default: "file" },
    {
      name: "exec-order",
      type: "string",
      description:
        "files added out of order: linear (error), linear-skip (skip), non-linear (run) [default linear]",
    },
    {
      name: "baseline",
      type: "string",
      description: "first run on a non-clean database: start after this version",
    },
    {
      name: "allow-dirty",
      type: "bool",
      description: "first run on a non-clean database: apply everything anyway",
    },
    { name: "amount", type: "string", description: "apply at most this many pending files" },
    {
      name: "to-version",
      type: "string",
      description: "apply pending files up to and including this version",
    },
    {
      name: "parallelism",
      type: "string",
      description: "several targets (for_each): apply to this many at once [default 4]",
    },
    {
      name: "shard",
      type: "string",
      description: "apply only shard i of n of the targets (by a stable hash of the instance key), e.g. 2/4",
    },
    {
      name: "canary",
      type: "string",
      description: "instance keys to apply first, comma-separated; if one fails, no other target starts",
    },
    {
      name: "max-failures",
      type: "string",
      description: "stop starting new targets after this many failed (the rest are reported as not started)",
    },
    { name: "dry-run", type: "bool", description: "print what would run; write nothing (no table, no lock)" },
    {
      name: "lock-timeout",
      type: "string",
      description: "how long to wait for another apply's lock [default 10s]",
    },
  ],
  async run({ flags, positionals }, io: Io) {
    if (positionals.length > 1) throw inputError(`unexpected arguments: ${positionals.join(" ")}`);
    // Atlas takes the amount as a positional argument too: `atlas migrate apply 1`.
    if (positionals[0] !== undefined) {
      if (str(flags, "amount") !== undefined)
        throw inputError("pass the amount once: either --amount or the argument");
      flags.amount = positionals[0];
    }
    const json = str(flags, "format") === "json";
    if (str(flags, "format") !== undefined && !json)
      throw inputError(`--format "${str(flags, "format")}": only json is supported`);
    const targets = await selectTargets(flags, io);
    // Every target's options and the rollout settings are checked before any database is touched.
    const prepared = targets.map((t) => ({ target: t, options: optionsOf(flags, t) }));
    const settings = fleetSettingsOf({
      parallelism: str(flags, "parallelism"),
      shard: str(flags, "shard"),
      canary: str(flags, "canary"),
      maxFailures: str(flags, "max-failures"),
    });
    const loadDir = dirLoader(flags, io, { log: !json });
    // Several targets run side by side: each line names its target.
    const prefix = (label: string | undefined) => (targets.length > 1 && label ? `${label}: ` : "");
    const fleet = await applyFleet(prepared, {
      ...settings,
      load: loadDir,
      onStart: (target) => {
        if (!json)
          io.out(
            `Applying ${redactUrl(target.dir)} to ${redactUrl(target.url)}${target.label ? ` (env ${target.label})` : ""}`,
          );
      },
      ...(json
        ? {}
        : { onFile: (target: Target, f: AppliedFile) => io.out(`${prefix(target.label)}${fileLine(f)}`) }),
      onDone: (run) => {
        if (!json) (run.result.error ? io.err : io.out)(`${prefix(run.label)}${summaryLine(run.result)}`);
      },
    });
    if (!json) {
      const notStarted = fleet.runs.filter((r) => r.outcome === "not-started");
      if (fleet.shard)
        io.out(
          `Shard ${fleet.shard.index}/${fleet.shard.count}: ${fleet.runs.length} of ${fleet.total} targets`,
        );
      if (notStarted.length)
        io.err(
          `${notStarted.length} target(s) not started (${fleet.stopped}): ${notStarted
            .slice(0, 20)
            .map((r) => r.label ?? r.key)
            .join(", ")}${notStarted.length > 20 ? ", ..." : ""}`,
        );
      if (fleet.runs.length > 1) io.out(countsLine(fleet.runs));
    }
    if (json)
      io.out(
        JSON.stringify(
          fleet.runs.map((r) => ({
            ...(r.label ? { label: r.label } : {}),
            outcome: r.outcome,
            ...(r.notStarted ? { notStarted: r.notStarted } : {}),
            ...r.result,
          })),
          null,
          2,
        ),
      );
    return fleet.runs.some((r) => r.outcome === "failed" || r.outcome === "not-started") ? 1 : 0;
  },
};
