// `migrate-relay verify` and `sync`: which replica holds what, and copying the missing states over.
import { appendFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_SYNC_RETRIES,
  type HealthReport,
  healthStatusText,
  healthSummary,
  healthTable,
  inputError,
  inspect,
  type Repo,
  type SyncStep,
  sync,
  syncStatusText,
  syncStepLine,
  syncSummary,
} from "@migrate-relay/core";
import { bool, type FlagSpec, type ParsedFlags, str } from "../args";
import { formatOf, printFormatted } from "../atlas-flags";
import type { Command, Io } from "../command";
import { durationFlag, retriesFlag, retriesFlagSpec, timeoutFlagSpec } from "../duration";
import { envFromFlags, REPO_FLAGS, registryDirOf, repoFromFlags } from "./repo-flags";

/** The repository flags, minus the grant's (neither command needs a license grant). */
const FLAGS: FlagSpec[] = [
  { name: "dir", type: "string", description: "atlas://<repo> whose replicas to check" },
  ...REPO_FLAGS.filter((f) => f.name !== "grant-dir" && f.name !== "grant-ttl"),
  timeoutFlagSpec("per-replica time for its reads", DEFAULT_HEALTH_TIMEOUT_MS),
  {
    name: "summary",
    type: "string",
    description: "also append the table as Markdown to this file (e.g. $GITHUB_STEP_SUMMARY)",
  },
];

async function repoOf(flags: ParsedFlags, io: Io): Promise<Repo> {
  const env = await envFromFlags(flags, io);
  return repoFromFlags(flags, io, env, registryDirOf(flags, env));
}

const secretsOf = (flags: ParsedFlags, io: Io) =>
  [str(flags, "cloud-token"), io.env.ATLAS_TOKEN].filter((s): s is string => !!s);

async function appendSummary(flags: ParsedFlags, io: Io, markdown: string): Promise<void> {
  const file = str(flags, "summary");
  if (file) await appendFile(resolve(io.cwd, file), `${markdown}\n`);
}

function printTable(report: HealthReport, io: Io, secrets: string[]): void {
  for (const line of healthTable(report, secrets)) io.out(line);
}

export const verifyCommand: Command = {
  name: "verify",
  summary: "Show what every replica holds (latest, tags), which lag, which are corrupt or unreachable.",
  usage:
    "migrate-relay verify (--config file://atlas.hcl --env <name> | --dir-name <repo> --backup <url>...) [--deep] [flags]",
  example:
    'migrate-relay verify --config file://atlas.hcl --env prod --deep --summary "$GITHUB_STEP_SUMMARY"',
  flags: [
    ...FLAGS,
    {
      name: "deep",
      type: "bool",
      description: "also download and verify every archive the latest and tags point to",
    },
  ],
  async run({ flags, positionals }, io) {
    if (positionals.length) throw inputError(`unexpected arguments: ${positionals.join(" ")}`);
    const template = formatOf(flags);
    const json = template !== undefined;
    const repo = await repoOf(flags, io);
    const secrets = secretsOf(flags, io);
    const report = await inspect(repo.replicas, {
      deep: bool(flags, "deep"),
      timeoutMs: durationFlag(flags, "timeout") ?? DEFAULT_HEALTH_TIMEOUT_MS,
      secrets,
    });
    if (json) printFormatted(io, template!, { repo: repo.slug, ...report });
    else {
      printTable(report, io, secrets);
      (report.ok ? io.out : io.err)(`${report.ok ? "" : "Error: "}${repo.slug}: ${healthStatusText(report)}`);
    }
    await appendSummary(flags, io, healthSummary(report, secrets));
    return report.ok ? 0 : 1;
  },
};

export const syncCommand: Command = {
  name: "sync",
  summary: "Copy to each lagging replica (registry included) the states it lacks, verified first.",
  usage:
    "migrate-relay sync (--config file://atlas.hcl --env <name> | --dir-name <repo> --backup <url>...) [--dry-run] [flags]",
  example: "migrate-relay sync --config file://atlas.hcl --env prod --dry-run",
  flags: [
    ...FLAGS,
    { name: "dry-run", type: "bool", description: "print the copies it would make; write nothing" },
    retriesFlagSpec("extra attempts per copy after a transient error", DEFAULT_SYNC_RETRIES),
  ],
  async run({ flags, positionals }, io) {
    if (positionals.length) throw inputError(`unexpected arguments: ${positionals.join(" ")}`);
    const template = formatOf(flags);
    const json = template !== undefined;
    const retries = retriesFlag(flags, DEFAULT_SYNC_RETRIES);
    const repo = await repoOf(flags, io);
    const secrets = secretsOf(flags, io);
    const dryRun = bool(flags, "dry-run");
    const result = await sync(repo.replicas, {
      repo: repo.slug,
      dryRun,
      retries,
      timeoutMs: durationFlag(flags, "timeout") ?? DEFAULT_HEALTH_TIMEOUT_MS,
      secrets,
      ...(json ? {} : { onStep: (s: SyncStep) => (s.ok ? io.out : io.err)(syncStepLine(s)) }),
    });
    if (json) printFormatted(io, template!, { repo: repo.slug, ...result });
    else {
      if (dryRun) for (const s of result.steps) io.out(syncStepLine(s));
      (result.ok ? io.out : io.err)(`${result.ok ? "" : "Error: "}${repo.slug}: ${syncStatusText(result)}`);
    }
    await appendSummary(flags, io, syncSummary(result, secrets));
    return result.ok ? 0 : 1;
  },
};
