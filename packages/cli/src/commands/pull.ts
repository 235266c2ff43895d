import { resolve } from "node:path";
import {
  type Attempt,
  attemptLogLine,
  DEFAULT_PULL_RETRIES,
  DEFAULT_PULL_TIMEOUT_MS,
  DEFAULT_TAG,
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
import { durationFlag, retriesFlag, retriesFlagSpec, timeoutFlagSpec } from "../duration";
import { envFromFlags, grantsFromFlags, REPO_FLAGS, registryDirOf, repoFromFlags } from "./repo-flags";

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
    { name: "tag", type: "string", description: `the tag to read [default ${DEFAULT_TAG}]` },
    { name: "version", type: "string", description: "read the state whose last file is this version" },
    timeoutFlagSpec("per-replica time before moving on", DEFAULT_PULL_TIMEOUT_MS),
    retriesFlagSpec("extra attempts per replica before moving on", DEFAULT_PULL_RETRIES),
  ],
  async run({ flags, positionals }, io) {
    if (positionals.length) throw inputError(`unexpected arguments: ${positionals.join(" ")}`);
    const to = str(flags, "to");
    if (!to) throw inputError("--to is required: the folder to write the migration directory into");
    const template = formatOf(flags);
    const json = template !== undefined;
    const env = await envFromFlags(flags, io);
    const repo = repoFromFlags(flags, io, env, registryDirOf(flags, env));
    const tag = str(flags, "tag");
    const version = str(flags, "version");
    if (tag && version) throw inputError("give --tag or --version, not both");
    const ref: StateRef | undefined = tag ? { tag } : version ? { version } : repo.ref;
    const retries = retriesFlag(flags, DEFAULT_PULL_RETRIES);
    try {
      const result = await pull(repo.replicas, {
        ...(ref ? { ref } : {}),
        timeoutMs: durationFlag(flags, "timeout") ?? DEFAULT_PULL_TIMEOUT_MS,
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
