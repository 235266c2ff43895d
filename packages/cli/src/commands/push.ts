import {
  atlasPushJson,
  DEFAULT_DIR,
  DEFAULT_PUSH_RETRIES,
  DEFAULT_PUSH_TIMEOUT_MS,
  DEFAULT_TAG,
  inputError,
  isRegistryUrl,
  push,
  pushedUrl,
  pushStatusText,
  pushTargetLine,
  readDir,
  replayDir,
  replayLine,
  runContextFromEnv,
  setting,
  type TargetResult,
} from "@migrate-relay/core";
import { bool, type ParsedFlags, str } from "../args";
import { ATLAS_COMPAT_FLAGS, formatOf, noteAtlasFlags, printFormatted } from "../atlas-flags";
import type { Command } from "../command";
import { durationFlag, retriesFlag, retriesFlagSpec, timeoutFlagSpec } from "../duration";
import { whileStoppable } from "../signals";
import { envFromFlags, grantsFromFlags, REPO_FLAGS, repoFromFlags } from "./repo-flags";

const contextOf = <T>(context: T | undefined) => (context ? { context } : {});

/**
 * Atlas's spelling `push NAME[:TAG]` (`atlas migrate push app:v1`, as atlasexec passes it) sets the
 * repository and the tag; it may repeat --dir-name/--tag but not contradict them.
 */
function nameAndTag(flags: ParsedFlags, positionals: string[]): { name?: string; tag?: string } {
  if (positionals.length > 1) throw inputError(`unexpected arguments: ${positionals.slice(1).join(" ")}`);
  const flagName = str(flags, "dir-name");
  const flagTag = str(flags, "tag");
  if (positionals[0] === undefined) return { name: flagName, tag: flagTag };
  const arg = positionals[0];
  const colon = arg.lastIndexOf(":");
  const name = colon < 0 ? arg : arg.slice(0, colon);
  const tag = colon < 0 ? undefined : arg.slice(colon + 1);
  if (!name || tag === "") throw inputError(`"${arg}": expected NAME or NAME:TAG, e.g. app or app:v1`);
  if (flagName !== undefined && flagName !== name)
    throw inputError(`the argument names repository "${name}" but --dir-name is "${flagName}": pass one`);
  if (tag !== undefined && flagTag !== undefined && flagTag !== tag)
    throw inputError(`the argument names tag "${tag}" but --tag is "${flagTag}": pass one`);
  return { name, tag: tag ?? flagTag };
}

export const pushCommand: Command = {
  name: "push",
  summary: "Publish a migration directory to the registry and every backup at once.",
  usage:
    "migrate-relay push [NAME[:TAG]] (--config file://atlas.hcl --env <name> | --dir file://migrations --backup <url>...) [flags]",
  example:
    "ATLAS_TOKEN=... migrate-relay push --dir file://migrations --dir-name app --backup 's3://my-backups/atlas?region=us-east-1' --backup file:///mnt/backups --tag $GIT_SHA",
  flags: [
    {
      name: "dir",
      type: "string",
      description: `the migration directory to publish [default ${DEFAULT_DIR}]`,
    },
    ...REPO_FLAGS,
    {
      name: "dev-url",
      type: "string",
      description:
        "a dev database: every file runs on a scratch database beside it before anything is published [default: the env's dev]",
    },
    { name: "tag", type: "string", description: `the tag to publish [default ${DEFAULT_TAG}]` },
    { name: "latest", type: "bool", description: "also move the latest tag (only forward)", default: "true" },
    { name: "force", type: "bool", description: "move latest even when the new state does not extend it" },
    timeoutFlagSpec("per-target time, retries included", DEFAULT_PUSH_TIMEOUT_MS),
    retriesFlagSpec("extra attempts per target after a transient error", DEFAULT_PUSH_RETRIES),
    ...ATLAS_COMPAT_FLAGS,
    {
      name: "lock-timeout",
      type: "string",
      description: "accepted for Atlas compatibility; push takes no lock",
    },
    {
      name: "revisions-schema",
      type: "string",
      description: "accepted for Atlas compatibility; push writes no revisions table",
    },
  ],
  async run({ flags, positionals }, io) {
    // stdout carries the result only (the pushed URL, or what --format asks); progress goes to stderr.
    const { name, tag } = nameAndTag(flags, positionals);
    const template = formatOf(flags);
    noteAtlasFlags(flags, io, {
      "lock-timeout": "push takes no lock",
      "revisions-schema": "push writes no revisions table",
    });
    const env = await envFromFlags(flags, io);
    const source = setting(str(flags, "dir"), env?.migration.dir, DEFAULT_DIR);
    if (isRegistryUrl(source)) {
      throw inputError(`push reads a local directory: --dir ${source} is a registry URL (use file://...)`);
    }
    const repo = repoFromFlags({ ...flags, "dir-name": name }, io, env);
    const retries = retriesFlag(flags, DEFAULT_PUSH_RETRIES);
    const dir = await readDir(source, io.cwd);
    // Publish only a directory that applies: a failed replay stops here, before any target is written.
    const devUrl = setting(str(flags, "dev-url"), env?.dev);
    if (devUrl) {
      const replay = await whileStoppable(io, "dropping the scratch database and stopping", (signal) =>
        replayDir(devUrl, dir, { signal }),
      );
      io.err(replayLine(replay));
    }
    const result = await push(dir, repo.replicas, {
      repo: repo.slug,
      tag: tag ?? DEFAULT_TAG,
      latest: bool(flags, "latest"),
      force: bool(flags, "force"),
      timeoutMs: durationFlag(flags, "timeout") ?? DEFAULT_PUSH_TIMEOUT_MS,
      retries,
      grants: grantsFromFlags(flags, io),
      source: {
        ...(io.env.GITHUB_SHA ? { commit: io.env.GITHUB_SHA } : {}),
        ...(io.env.GITHUB_REF ? { ref: io.env.GITHUB_REF } : {}),
        ...(io.env.GITHUB_RUN_ID ? { run: io.env.GITHUB_RUN_ID } : {}),
      },
      ...contextOf(runContextFromEnv(io.env, source)),
      onTarget: (t: TargetResult) => io.err(pushTargetLine(t)),
    });
    if (template) printFormatted(io, template, atlasPushJson(result));
    if (!result.ok) {
      io.err(`Error: ${result.error}`);
      return 1;
    }
    io.err(pushStatusText(result));
    if (!template) io.out(pushedUrl(result));
    return 0;
  },
};
