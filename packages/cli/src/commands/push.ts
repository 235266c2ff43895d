import {
  formatBytes,
  formatMs,
  inputError,
  latestDetail,
  push,
  readDir,
  replayDir,
  runContextFromEnv,
  type TargetResult,
  toAtlasJson,
} from "@migrate-relay/core";
import { bool, str } from "../args";
import type { Command } from "../command";
import { whileStoppable } from "../signals";
import {
  durationFlag,
  envFromFlags,
  formatFlag,
  grantsFromFlags,
  REPO_FLAGS,
  repoFromFlags,
} from "./push-common";

/** One line per target: result, URL, role, time, bytes, and the error or note. */
export function targetLine(t: TargetResult): string {
  const status = t.ok ? "ok  " : "FAIL";
  const size = t.ok ? (t.skipped ? "archive already there" : `${formatBytes(t.bytes)} sent`) : "";
  const detail = [size, latestDetail(t), t.error, t.note].filter(Boolean).join("; ");
  return `  ${status}  ${t.url}  (${t.role})  ${formatMs(t.ms)}${detail ? `  ${detail}` : ""}`;
}

const contextOf = <T>(context: T | undefined) => (context ? { context } : {});

export const pushCommand: Command = {
  name: "push",
  summary: "Publish a migration directory to the registry and every backup at once.",
  usage:
    "migrate-relay push (--config file://atlas.hcl --env <name> | --dir file://migrations --dir-name <repo> --backup <url>...) [flags]",
  example:
    "ATLAS_TOKEN=... migrate-relay push --dir file://migrations --dir-name app --backup 's3://my-backups/atlas?region=us-east-1' --backup file:///mnt/backups --tag $GIT_SHA",
  flags: [
    {
      name: "dir",
      type: "string",
      description: "the migration directory to publish [default file://migrations]",
    },
    ...REPO_FLAGS,
    {
      name: "dev-url",
      type: "string",
      description:
        "a dev database: every file runs on a scratch database beside it before anything is published [default: the env's dev]",
    },
    { name: "tag", type: "string", description: "the tag to publish", default: "latest" },
    { name: "latest", type: "bool", description: "also move the latest tag (only forward)", default: "true" },
    { name: "force", type: "bool", description: "move latest even when the new state does not extend it" },
    { name: "timeout", type: "string", description: "per-target time, retries included", default: "60s" },
    {
      name: "retries",
      type: "string",
      description: "extra attempts per target after a transient error",
      default: "2",
    },
  ],
  async run({ flags, positionals }, io) {
    if (positionals.length) throw inputError(`unexpected arguments: ${positionals.join(" ")}`);
    const json = formatFlag(flags) === "json";
    const env = await envFromFlags(flags, io);
    const source = str(flags, "dir") ?? env?.migration.dir ?? "file://migrations";
    if (/^atlas:\/\//i.test(source)) {
      throw inputError(`push reads a local directory: --dir ${source} is a registry URL (use file://...)`);
    }
    const repo = repoFromFlags(flags, io, env);
    const retries = Number(str(flags, "retries") ?? "2");
    if (!Number.isInteger(retries) || retries < 0) throw inputError("--retries must be a whole number >= 0");
    const dir = await readDir(source, io.cwd);
    // Publish only a directory that applies: a failed replay stops here, before any target is written.
    const devUrl = str(flags, "dev-url") ?? env?.dev;
    if (devUrl) {
      const replay = await whileStoppable(io, "dropping the scratch database and stopping", (signal) =>
        replayDir(devUrl, dir, { signal }),
      );
      if (!json) {
        io.out(
          `Replayed ${replay.files} files (${replay.statements} statements) on a scratch database at ${replay.url} in ${formatMs(replay.ms)}`,
        );
      }
    }
    const result = await push(dir, repo.replicas, {
      repo: repo.slug,
      tag: str(flags, "tag") ?? "latest",
      latest: bool(flags, "latest"),
      force: bool(flags, "force"),
      timeoutMs: durationFlag(flags, "timeout") ?? 60_000,
      retries,
      grants: grantsFromFlags(flags, io),
      source: {
        ...(io.env.GITHUB_SHA ? { commit: io.env.GITHUB_SHA } : {}),
        ...(io.env.GITHUB_REF ? { ref: io.env.GITHUB_REF } : {}),
        ...(io.env.GITHUB_RUN_ID ? { run: io.env.GITHUB_RUN_ID } : {}),
      },
      ...contextOf(runContextFromEnv(io.env, source)),
      ...(json ? {} : { onTarget: (t: TargetResult) => (t.ok ? io.out : io.err)(targetLine(t)) }),
    });
    if (json) io.out(JSON.stringify(toAtlasJson(result), null, 2));
    const took = result.targets.filter((t) => t.ok).length;
    if (!result.ok) {
      io.err(`Error: ${result.error}`);
      return 1;
    }
    if (!json) {
      io.out(
        `Pushed ${result.slug}:${result.tag} (version ${result.version}, ${result.files} files, ${result.digest}) to ${took} of ${result.targets.length} targets`,
      );
    }
    return 0;
  },
};
