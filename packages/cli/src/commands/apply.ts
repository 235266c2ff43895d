import {
  type AppliedFile,
  type ApplyOptions,
  type ApplyResult,
  applyDir,
  applyOptionsOf,
  deploymentLine,
  inputError,
  isRelayError,
  messageOf,
  PullError,
  redactUrl,
  reportDeployments,
  stateText,
} from "@migrate-relay/core";
import { bool, type ParsedFlags, str } from "../args";
import { formatOf, noteAtlasFlags, printApplyRun } from "../atlas-flags";
import type { Command, Io } from "../command";
import { whileStoppable } from "../signals";
import { dirLoader, RELAY_FLAGS } from "./apply-relay";
import { selectTargets, TARGET_FLAGS, type Target } from "./apply-targets";

function fileLine(f: AppliedFile): string {
  const time = `${f.ms.toFixed(1)} ms`;
  const resumed = f.skipped ? `, resumed after ${f.skipped}` : "";
  if (f.error?.step) return `  FAIL ${f.name}  ${f.error.step}: ${f.error.text}  ${time}`;
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
    // stdout carries the result only (Atlas's text, or what --format asks); progress goes to stderr.
    const template = formatOf(flags);
    noteAtlasFlags(flags, io);
    const targets = await selectTargets(flags, io);
    const prepared = targets.map((t) => ({ target: t, options: optionsOf(flags, t) }));
    const results: ApplyResult[] = [];
    const loadDir = dirLoader(flags, io, { log: true });
    // SIGINT/SIGTERM: the current file rolls back, the lock is released, the report says what was
    // applied and the exit is 1.
    return whileStoppable(io, "rolling back the current file and stopping", applyTargets);

    async function applyTargets(stop: AbortSignal): Promise<number> {
      for (const { target, options } of prepared) {
        if (stop.aborted) break;
        io.err(
          `Applying ${redactUrl(target.dir)} to ${redactUrl(target.url)}${target.label ? ` (env ${target.label})` : ""}`,
        );
        const startedAt = new Date();
        let result: ApplyResult;
        try {
          const loaded = await loadDir(target);
          if (loaded.state) {
            io.err(`Read ${stateText(loaded.state)} from ${loaded.source}`);
            if (loaded.state.lagging?.length)
              io.err(`Warning: lagging backups (run migrate-relay sync): ${loaded.state.lagging.join(", ")}`);
          }
          result = await applyDir(loaded.dir, {
            ...options,
            source: loaded.source,
            trail: loaded.trail,
            state: loaded.state,
            onFile: (f) => io.err(fileLine(f)),
            signal: stop,
          });
        } catch (err) {
          // Bad usage stops the command (exit 2); anything else is this target's failure.
          if (!isRelayError(err) || err.kind === "config" || err.kind === "input") throw err;
          const trail = err instanceof PullError ? { trail: err.trail } : {};
          result = {
            url: redactUrl(target.url),
            current: "",
            target: "",
            pending: [],
            applied: [],
            dryRun: options.dryRun === true,
            ms: 0,
            error: { kind: err.kind, message: messageOf(err) },
            ...trail,
          };
        }
        results.push(result);
        io.err(summaryLine(result));
        printApplyRun(io, template, {
          ...(target.label ? { label: target.label } : {}),
          dir: target.dir,
          result,
          startedAt,
        });
      }
      // Best effort, as Atlas: a report that fails is a line on stderr, never a failed apply.
      const runs = prepared
        .slice(0, results.length)
        .map(({ target }, i) => ({ target, result: results[i]! }));
      const report = await reportDeployments(runs, loadDir, "CLI");
      if (report) io.err(deploymentLine(report));
      return results.some((r) => r.error) || stop.aborted ? 1 : 0;
    }
  },
};
