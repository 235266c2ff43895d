import { resolve } from "node:path";
import {
  type Attempt,
  attemptLogLine,
  inputError,
  laggingLine,
  laggingText,
  PullError,
  pull,
  type StateRef,
  stateText,
  writeDir,
} from "@migrate-relay/core";
import { str } from "../args";
import { formatOf, printFormatted } from "../atlas-flags";
import type { Command } from "../command";
import { durationFlag, envFromFlags, grantsFromFlags, REPO_FLAGS, repoFromFlags } from "./push-common";

export const pullCommand: Command = {
  name: "pull",
  summary: "Read a migration directory from the registry, or the first backup that has it, into a folder.",
  usage:
    "migrate-relay pull (--config file://atlas.hcl --env <name> | --dir atlas://<repo> --backup <url>...) --to <folder> [flags]",
  example: "migrate-relay pull --config file://atlas.hcl --env prod --to ./migrations-from-registry",
  flags: [
    { name: "dir", type: "string", description: "atlas://<repo>[?tag=T|?version=V] to read" },
    ...REPO_FLAGS,
    {
      name: "to",
      type: "string",
      description: "the folder to write the directory into (created if missing)",
    },
    { name: "tag", type: "string", description: "the tag to read [default latest]" },
    { name: "version", type: "string", description: "read the state whose last file is this version" },
    { name: "timeout", type: "string", description: "per-replica time before moving on", default: "10s" },
    {
      name: "retries",
      type: "string",
      description: "extra attempts per replica before moving on",
      default: "0",
    },
  ],
  async run({ flags, positionals }, io) {
    if (positionals.length) throw inputError(`unexpected arguments: ${positionals.join(" ")}`);
    const to = str(flags, "to");
    if (!to) throw inputError("--to is required: the folder to write the migration directory into");
    const template = formatOf(flags);
    const json = template !== undefined;
    const env = await envFromFlags(flags, io);
    const dirUrl = str(flags, "dir") ?? env?.migration.dir;
    const repo = repoFromFlags(flags, io, env, dirUrl && /^atlas:\/\//i.test(dirUrl) ? dirUrl : undefined);
    const tag = str(flags, "tag");
    const version = str(flags, "version");
    if (tag && version) throw inputError("give --tag or --version, not both");
    const ref: StateRef | undefined = tag ? { tag } : version ? { version } : repo.ref;
    const retries = Number(str(flags, "retries") ?? "0");
    if (!Number.isInteger(retries) || retries < 0) throw inputError("--retries must be a whole number >= 0");
    try {
      const result = await pull(repo.replicas, {
        ...(ref ? { ref } : {}),
        timeoutMs: durationFlag(flags, "timeout") ?? 10_000,
        retries,
        grants: grantsFromFlags(flags, io),
        ...(json
          ? {}
          : { onAttempt: (a: Attempt) => (a.outcome === "ok" ? io.out : io.err)(attemptLogLine(a)) }),
      });
      const path = resolve(io.cwd, to);
      await writeDir(path, result.dir);
      const { dir: _files, ...summary } = result;
      if (template) printFormatted(io, template, { ...summary, files: result.dir.files.length, to: path });
      else {
        io.out(
          `Read ${repo.slug} ${stateText(result.state)} (${result.dir.files.length} files) from ${result.source} into ${to}`,
        );
        if (result.lagging?.length) io.err(`Warning: ${laggingLine(result.lagging.map(laggingText))}`);
      }
      return 0;
    } catch (err) {
      if (!(err instanceof PullError)) throw err;
      if (template) printFormatted(io, template, { error: err.message, kind: err.kind, trail: err.trail });
      io.err(`Error: ${err.message}`);
      return 1;
    }
  },
};
