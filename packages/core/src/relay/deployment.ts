// Deployment reports after apply: what Atlas sends after `migrate apply` of an atlas://
// directory (ariga/atlas cmd/atlas/internal/cmdapi/migrate.go, MigrateReportSet.Flush): one completed
// run is a `reportMigration`; several targets, or a single one that failed before running, a
// `reportMigrationSet`. Best effort: a report that fails is a line in the log, never a failed apply.
import { randomUUID } from "node:crypto";
import { OPERATOR_VERSION } from "../apply/revisions";
import type { ApplyResult } from "../apply/types";
import type { ResolvedEnv } from "../config/types";
import { messageOf } from "../errors";
import type { CloudReplica } from "../replica/cloud";
import type {
  DeployContextInput,
  DeployedFileInput,
  DeploymentReport,
  ReportMigrationInput,
} from "../replica/deployment";
import { deadlineSignal } from "../replica/http";
import { redactUrl } from "../secrets";
import { DEFAULT_REPORT_TIMEOUT_MS } from "../settings";
import type { DirLoader } from "./loader";

export interface DeployedRun {
  target: { dir: string; url: string; env?: ResolvedEnv };
  result: ApplyResult;
  /** When the run started; estimated from its duration when absent. */
  startedAt?: Date;
}

export interface DeploymentOutcome {
  /** The registry reported to (endpoint, no credentials). */
  registry: string;
  operation: "reportMigration" | "reportMigrationSet";
  /** The report's page, when the registry gave one. */
  url?: string;
  /** Why the report could not be sent (the apply's own result is unaffected). */
  error?: string;
}

/** Atlas's trigger types (ariga/atlas atlasexec/atlas.go TriggerType) that migrate-relay runs as. */
export type TriggerType = "CLI" | "GITHUB_ACTION" | "GITLAB" | "BITBUCKET" | "AZURE_DEVOPS";

/** The version sent as `triggerVersion` (and, as Atlas's operator version, `atlasVersion`). */
export const RELAY_VERSION = OPERATOR_VERSION.slice(OPERATOR_VERSION.lastIndexOf(" ") + 1);

/**
 * Reports the runs whose directory came from the registry (atlas://) to that registry; undefined when
 * there is none. Never throws.
 */
export async function reportDeployments(
  runs: DeployedRun[],
  load: DirLoader,
  trigger: TriggerType,
  options: { timeoutMs?: number; now?: Date } = {},
): Promise<DeploymentOutcome | undefined> {
  const context: DeployContextInput = { triggerType: trigger, triggerVersion: RELAY_VERSION };
  const reported = runs.filter((r) => load.registryOf(r.target));
  const first = reported[0];
  if (!first) return undefined;
  let registry: CloudReplica;
  try {
    registry = load.registryOf(first.target)!;
  } catch {
    return undefined;
  }
  const now = options.now ?? new Date();
  const completed: ReportMigrationInput[] = [];
  for (const run of reported) {
    if (!ran(run.result)) continue;
    const loaded = await load(run.target).catch(() => undefined);
    completed.push(migrationInput(run, registry.slug, loaded?.dir.files ?? [], now));
  }
  const report: DeploymentReport =
    reported.length === 1 && completed.length === 1
      ? { one: { ...completed[0]!, context } }
      : { set: setInput(reported, completed, context, now) };
  const operation = "one" in report ? "reportMigration" : "reportMigrationSet";
  const deadline = deadlineSignal(options.timeoutMs ?? DEFAULT_REPORT_TIMEOUT_MS);
  try {
    const url = await registry.report(report, deadline.signal);
    return { registry: registry.registry, operation, ...(url ? { url } : {}) };
  } catch (err) {
    return { registry: registry.registry, operation, error: messageOf(err) };
  } finally {
    deadline.clear();
  }
}

/** One line for logs and summaries. */
export function deploymentLine(outcome: DeploymentOutcome): string {
  if (outcome.error) return `Deployment report not sent to ${outcome.registry}: ${outcome.error}`;
  return `Deployment reported to ${outcome.registry}${outcome.url ? `: ${outcome.url}` : ""}`;
}

/** The run reached the database (it has a plan), as opposed to failing before (reading, connecting). */
const ran = (r: ApplyResult) => !r.error || r.pending.length > 0 || r.applied.length > 0 || r.current !== "";

function migrationInput(
  run: DeployedRun,
  dirName: string,
  files: { name: string; content: Uint8Array }[],
  now: Date,
): ReportMigrationInput {
  const r = run.result;
  const start = run.startedAt ?? new Date(now.getTime() - r.ms);
  const end = new Date(start.getTime() + r.ms);
  const contents = new Map(files.map((f) => [f.name, f.content]));
  // Per-file times are not kept by apply: laid end to end back from the run's end.
  let cursor = end.getTime() - r.applied.reduce((n, f) => n + f.ms, 0);
  const deployed = r.applied.map((f): DeployedFileInput => {
    const fileStart = new Date(cursor);
    cursor += f.ms;
    return {
      name: f.name,
      content: Buffer.from(contents.get(f.name) ?? new Uint8Array()).toString("utf8"),
      startTime: fileStart.toISOString(),
      endTime: new Date(cursor).toISOString(),
      skipped: f.skipped,
      applied: f.statements,
      checks: [],
      ...(f.error ? { error: { stmt: f.error.stmt, text: f.error.text } } : {}),
    };
  });
  const lastOk = [...r.applied].reverse().find((f) => !f.error && !f.rolledBack);
  return {
    projectName: "default",
    envName: run.target.env?.name ?? "",
    dirName,
    atlasVersion: OPERATOR_VERSION,
    target: { id: "", schema: schemaOf(run.target.url), url: withoutUserInfo(run.target.url) },
    startTime: start.toISOString(),
    endTime: end.toISOString(),
    fromVersion: r.current,
    toVersion: r.target,
    currentVersion: r.dryRun ? r.current : (lastOk?.version ?? r.current),
    ...(r.error ? { error: r.error.message } : {}),
    files: deployed,
    log: r.error ? r.error.message : "",
    ...(r.dryRun ? { dryRun: true } : {}),
  };
}

function setInput(
  runs: DeployedRun[],
  completed: ReportMigrationInput[],
  context: DeployContextInput,
  now: Date,
): Extract<DeploymentReport, { set: unknown }>["set"] {
  const starts = runs.map((r) => (r.startedAt ?? new Date(now.getTime() - r.result.ms)).getTime());
  const failed = runs.find((r) => r.result.error);
  return {
    id: randomUUID(),
    planned: runs.length,
    startTime: new Date(Math.min(...starts)).toISOString(),
    endTime: now.toISOString(),
    ...(failed ? { error: `Error: ${failed.result.error!.message}` } : {}),
    log: runs.map((r) => ({
      text: `Target URL: ${withoutUserInfo(r.target.url)}`,
      startTime: new Date(r.startedAt?.getTime() ?? now.getTime() - r.result.ms).toISOString(),
      endTime: now.toISOString(),
      ...(r.result.error ? { error: true, log: [{ text: `Error: ${r.result.error.message}` }] } : {}),
    })),
    completed,
    context,
  };
}

/** The URL as Atlas reports it: user info removed (and any secret query value masked). */
export function withoutUserInfo(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return redactUrl(u.toString());
  } catch {
    return redactUrl(url.replace(/\/\/[^@/]*@/, "//"));
  }
}

function schemaOf(url: string): string {
  try {
    const path = new URL(url).searchParams.get("search_path") ?? "";
    return path.split(",")[0]?.trim() ?? "";
  } catch {
    return "";
  }
}
