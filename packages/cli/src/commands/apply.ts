import {
  type AppliedFile,
  type ApplyOptions,
  type ApplyResult,
  applyDir,
  applyOptionsOf,
  inputError,
  isRelayError,
  messageOf,
  PullError,
  redactUrl,
  stateText,
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
    const json = str(flags, "format") === "json";
    if (str(flags, "format") !== undefined && !json)
      throw inputError(`--format "${str(flags, "format")}": only json is supported`);
    const targets = await selectTargets(flags, io);
    const prepared = targets.map((t) => ({ target: t, options: optionsOf(flags, t) }));
    const results: ApplyResult[] = [];
    const loadDir = dirLoader(flags, io, { log: !json });
    for (const { target, options } of prepared) {
      if (!json)
        io.out(
          `Applying ${redactUrl(target.dir)} to ${redactUrl(target.url)}${target.label ? ` (env ${target.label})` : ""}`,
        );
      let result: ApplyResult;
      try {
        const loaded = await loadDir(target);
        if (loaded.state && !json) {
          io.out(`Read ${stateText(loaded.state)} from ${loaded.source}`);
          if (loaded.state.lagging?.length)
            io.err(`Warning: lagging backups (run migrate-relay sync): ${loaded.state.lagging.join(", ")}`);
        }
        result = await applyDir(loaded.dir, {
          ...options,
          source: loaded.source,
          trail: loaded.trail,
          state: loaded.state,
          onFile: json ? undefined : (f) => io.out(fileLine(f)),
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
      if (!json) (result.error ? io.err : io.out)(summaryLine(result));
    }
    if (json) io.out(JSON.stringify(results, null, 2));
    return results.some((r) => r.error) ? 1 : 0;
  },
};
