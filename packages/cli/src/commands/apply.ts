import {
  type AppliedFile,
  type ApplyOptions,
  type ApplyTarget,
  appliedFileLine,
  applyFleet,
  applyOptionsOf,
  applyStartLine,
  applyStatusText,
  DEFAULT_EXEC_ORDER,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_PARALLELISM,
  DEFAULT_TX_MODE,
  deploymentLine,
  fleetCountsLine,
  fleetSettingsOf,
  inputError,
  laggingLine,
  readStateLine,
  reportDeployments,
  targetKey,
} from "@migrate-relay/core";
import { bool, type ParsedFlags, str } from "../args";
import { formatOf, noteAtlasFlags, printApplyRun } from "../atlas-flags";
import type { Command, Io } from "../command";
import { durationText } from "../duration";
import { whileStoppable } from "../signals";
import { dirLoader, RELAY_FLAGS } from "./read-dir";
import { selectTargets, TARGET_FLAGS } from "./targets";

function optionsOf(flags: ParsedFlags, target: ApplyTarget): ApplyOptions {
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
    {
      name: "tx-mode",
      type: "string",
      description: "transaction mode: file, all or none",
      default: DEFAULT_TX_MODE,
    },
    {
      name: "exec-order",
      type: "string",
      description: `files added out of order: linear (error), linear-skip (skip), non-linear (run) [default ${DEFAULT_EXEC_ORDER}]`,
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
      description: `several targets (for_each): apply to this many at once [default ${DEFAULT_PARALLELISM}]`,
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
      description: `how long to wait for another apply's lock [default ${durationText(DEFAULT_LOCK_TIMEOUT_MS)}]`,
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
    // stdout carries the result only (Atlas's text, or what --format asks); progress goes to stderr.
    const template = formatOf(flags);
    noteAtlasFlags(flags, io);
    const targets = await selectTargets(flags, io);
    // Every target's options and the rollout settings are checked before any database is touched.
    const prepared = targets.map((t) => ({ target: t, options: optionsOf(flags, t) }));
    const settings = fleetSettingsOf({
      parallelism: str(flags, "parallelism"),
      shard: str(flags, "shard"),
      canary: str(flags, "canary"),
      maxFailures: str(flags, "max-failures"),
    });
    const loadDir = dirLoader(flags, io, { log: true });
    // Several targets run side by side: each line names its target.
    const prefix = (label: string | undefined) => (targets.length > 1 && label ? `${label}: ` : "");
    // SIGINT/SIGTERM: running files roll back, the locks are released, nothing new starts, the report
    // says what was applied and the exit is 1.
    return whileStoppable(io, "rolling back the current file and stopping", async (stop) => {
      const announced = new Set<string>();
      const fleet = await applyFleet(prepared, {
        ...settings,
        signal: stop,
        load: async (target) => {
          const loaded = await loadDir(target);
          if (loaded.state && loaded.source && !announced.has(loaded.source)) {
            announced.add(loaded.source);
            io.err(readStateLine(loaded.state, loaded.source));
            if (loaded.state.lagging?.length) io.err(`Warning: ${laggingLine(loaded.state.lagging)}`);
          }
          return loaded;
        },
        onStart: (target) => io.err(applyStartLine(target)),
        onFile: (target: ApplyTarget, f: AppliedFile) =>
          io.err(`${prefix(target.label)}${appliedFileLine(f)}`),
        // A failure is Atlas's `Error: ...`; otherwise the same sentence as the actions' log.
        onDone: (run) =>
          io.err(
            `${prefix(run.label)}${run.result.error ? `Error: ${run.result.error.message}` : applyStatusText({ result: run.result })}`,
          ),
      });
      const notStarted = fleet.runs.filter((r) => r.outcome === "not-started");
      if (fleet.shard)
        io.err(
          `Shard ${fleet.shard.index}/${fleet.shard.count}: ${fleet.runs.length} of ${fleet.total} targets`,
        );
      if (notStarted.length)
        io.err(
          `${notStarted.length} target(s) not started (${fleet.stopped}): ${notStarted
            .slice(0, 20)
            .map((r) => r.label ?? r.key)
            .join(", ")}${notStarted.length > 20 ? ", ..." : ""}`,
        );
      if (fleet.runs.length > 1) io.err(fleetCountsLine(fleet.runs.map((r) => r.outcome)));
      for (const run of fleet.runs) printApplyRun(io, template, run);
      // Best effort, as Atlas: a report that fails is a line on stderr, never a failed apply.
      const started = fleet.runs.filter((r) => r.outcome !== "not-started");
      const byKey = new Map(prepared.map((p) => [targetKey(p.target), p.target]));
      const report = await reportDeployments(
        started.map((r) => ({ target: byKey.get(r.key)!, result: r.result })),
        loadDir,
        "CLI",
      );
      if (report) io.err(deploymentLine(report));
      return fleet.runs.some((r) => r.outcome === "failed" || r.outcome === "not-started") || stop.aborted
        ? 1
        : 0;
    });
  },
};
