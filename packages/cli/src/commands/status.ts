import {
  dirStatus,
  inputError,
  isRelayError,
  messageOf,
  PullError,
  redactUrl,
  type StatusResult,
} from "@migrate-relay/core";
import { str } from "../args";
import type { Command, Io } from "../command";
import { dirLoader, RELAY_FLAGS } from "./apply-relay";
import { selectTargets, TARGET_FLAGS } from "./apply-targets";

/** Atlas's `migrate status` layout. */
export function statusLines(r: StatusResult): string[] {
  if (r.error) return [`Error: ${r.error.message}`];
  const lines = [
    `Migration Status: ${r.status}`,
    `  -- Current Version: ${r.current || "No migration applied yet"}`,
    `  -- Next Version:    ${r.next || "Already at latest version"}`,
    `  -- Executed Files:  ${r.executed}`,
    `  -- Pending Files:   ${r.pending.length}`,
  ];
  if (r.partial) {
    lines.push(
      `  -- Partially applied: ${r.partial.version} (${r.partial.applied} of ${r.partial.total} statements)`,
    );
    if (r.partial.error) {
      lines.push(
        "",
        "Last migration attempt had errors:",
        `  -- SQL:   ${r.partial.errorStmt}`,
        `  -- ERROR: ${r.partial.error}`,
      );
    }
  }
  return lines;
}

export const statusCommand: Command = {
  name: "status",
  summary: "Show the migration status of a database: current version, pending files, a partial file.",
  usage:
    "migrate-relay status (--url <db> [--dir file://migrations] | --config file://atlas.hcl --env <name>) [--format json]",
  example:
    "migrate-relay status --url 'postgres://app:pass@localhost:5432/app?sslmode=disable' --dir file://migrations",
  flags: [
    ...TARGET_FLAGS,
    ...RELAY_FLAGS,
    { name: "baseline", type: "string", description: "the baseline apply would use on a first run" },
  ],
  async run({ flags, positionals }, io: Io) {
    if (positionals.length > 0) throw inputError(`unexpected arguments: ${positionals.join(" ")}`);
    const json = str(flags, "format") === "json";
    if (str(flags, "format") !== undefined && !json)
      throw inputError(`--format "${str(flags, "format")}": only json is supported`);
    const results: StatusResult[] = [];
    const loadDir = dirLoader(flags, io, { log: !json });
    for (const target of await selectTargets(flags, io)) {
      let result: StatusResult;
      try {
        const loaded = await loadDir(target);
        result = await dirStatus(loaded.dir, {
          url: target.url,
          revisionsSchema: str(flags, "revisions-schema") ?? target.env?.migration.revisionsSchema,
          baseline: str(flags, "baseline") ?? target.env?.migration.baseline,
          source: loaded.source,
          trail: loaded.trail,
        });
      } catch (err) {
        if (!isRelayError(err) || err.kind === "config" || err.kind === "input") throw err;
        const trail = err instanceof PullError ? { trail: err.trail } : {};
        result = {
          url: redactUrl(target.url),
          status: "OK",
          current: "",
          next: "",
          executed: 0,
          pending: [],
          revisionsSchema: "",
          error: { kind: err.kind, message: messageOf(err) },
          ...trail,
        };
      }
      results.push(result);
      if (!json) {
        if (target.label) io.out(`env ${target.label} (${result.url}):`);
        for (const line of statusLines(result)) (result.error ? io.err : io.out)(line);
      }
    }
    if (json) io.out(JSON.stringify(results, null, 2));
    return results.some((r) => r.error) ? 1 : 0;
  },
};
