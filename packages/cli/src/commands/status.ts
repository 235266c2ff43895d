import {
  dirStatus,
  failedStatus,
  failureOf,
  inputError,
  isRelayError,
  redactUrl,
  type StatusResult,
  setting,
} from "@migrate-relay/core";
import { str } from "../args";
import { formatOf, noteAtlasFlags, printStatus } from "../atlas-flags";
import type { Command, Io } from "../command";
import { dirLoader, RELAY_FLAGS } from "./read-dir";
import { selectTargets, TARGET_FLAGS } from "./targets";

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
    // stdout carries the result only (Atlas's text, or what --format asks); progress goes to stderr.
    const template = formatOf(flags);
    noteAtlasFlags(flags, io);
    const results: StatusResult[] = [];
    const loadDir = dirLoader(flags, io, { log: true });
    for (const target of await selectTargets(flags, io)) {
      let result: StatusResult;
      try {
        const loaded = await loadDir(target);
        result = await dirStatus(loaded.dir, {
          url: target.url,
          revisionsSchema: setting(str(flags, "revisions-schema"), target.env?.migration.revisionsSchema),
          baseline: setting(str(flags, "baseline"), target.env?.migration.baseline),
          source: loaded.source,
          trail: loaded.trail,
        });
      } catch (err) {
        if (!isRelayError(err) || err.kind === "config" || err.kind === "input") throw err;
        const { error, trail } = failureOf(err);
        result = failedStatus(redactUrl(target.url), error, trail ? { trail } : {});
      }
      results.push(result);
      if (target.label) io.err(`env ${target.label} (${result.url}):`);
      printStatus(io, template, result, target.dir);
    }
    return results.some((r) => r.error) ? 1 : 0;
  },
};
