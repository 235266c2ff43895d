// apply results -> job summary Markdown, action outputs (atlas-action's names) and log lines.
import { FLEET_OUTCOMES, type FleetOutcome, outcomeOf, type Shard } from "../apply/fleet";
import type { AppliedFile, AppliedState, ApplyResult } from "../apply/types";
import { CLI_VOCABULARY, speak, type Vocabulary } from "../hints";
import type { Attempt } from "../replica/types";
import { redact, redactUrl } from "../secrets";
import { isRegistryUrl } from "../settings";
import { atlasActionRuns } from "./atlas";
import { stateText } from "./health";
import {
  codeSpan,
  detailCell,
  escapeCell,
  escapeHtml,
  escapeInline,
  formatMs,
  messageBlock,
  plural,
} from "./markdown";

/** One apply target's run, as the summary and the outputs see it. */
export interface ApplyRun {
  /** The env instance (`prod`, `prod[tenant_a]`); absent without an env. */
  label?: string;
  /** The migration directory as configured (`atlas://app`, `file://migrations`). */
  dir: string;
  result: ApplyResult;
  /** When the run started (for runs[].Start/End). */
  startedAt?: Date;
  /** A rollout did not start this target, and why (max-failures reached, a canary failed). */
  notStarted?: string;
  /** A canary of the rollout (applied first). */
  canary?: boolean;
}

export interface ApplyReportOptions {
  secrets?: string[];
  /** The front end's words for settings in hints (default: the CLI's flags). */
  vocabulary?: Vocabulary;
  /** A fleet rollout's frame: all targets in every shard, this job's shard, why it stopped early. */
  rollout?: { total: number; shard?: Shard; stopped?: string };
}

/** What happened to a run: failed, not-started, applied, dry-run or up-to-date. */
export const runOutcome = (run: ApplyRun): FleetOutcome =>
  run.notStarted !== undefined ? "not-started" : outcomeOf(run.result);

/** `registry` for the atlas:// registry, else the replica's (redacted) URL. */
const attemptName = (a: Attempt) => (a.kind === "cloud" ? "registry" : a.url);

/**
 * The fallback trail on one line:
 * `registry: connection refused after 6 ms -> s3://bucket/prefix: ok in 12 ms, digest verified, atlas.sum valid`.
 */
export function trailText(trail: readonly Attempt[]): string {
  return trail
    .map((a) => {
      if (a.outcome === "ok")
        return `${attemptName(a)}: ok in ${formatMs(a.ms)}${a.note ? `, ${a.note}` : ""}`;
      // The registry client's messages start "registry <endpoint>: "; the label says it already.
      const error = (a.error ?? "failed").replace(a.kind === "cloud" ? /^registry \S+:? / : /^$/, "");
      return `${attemptName(a)}: ${error} after ${formatMs(a.ms)}${a.note ? ` (${a.note})` : ""}`;
    })
    .join(" -> ");
}

/** The trail for a summary: each replica's URL a code span (GitHub autolinks half of a bare S3 URL). */
function trailMarkdown(trail: readonly Attempt[], clean: (t: string) => string): string {
  return trail
    .map((a) => {
      const name = a.kind === "cloud" ? "registry" : codeSpan(clean(a.url));
      if (a.outcome === "ok")
        return `${name}: ok in ${formatMs(a.ms)}${a.note ? `, ${escapeInline(clean(a.note))}` : ""}`;
      const error = (a.error ?? "failed").replace(a.kind === "cloud" ? /^registry \S+:? / : /^$/, "");
      return `${name}: ${escapeInline(clean(error))} after ${formatMs(a.ms)}${a.note ? ` (${escapeInline(clean(a.note))})` : ""}`;
    })
    .join(" -> ");
}

/** One log line per replica tried: outcome, URL, time, and why it was left (or what was verified). */
export function attemptLogLine(a: Attempt, vocabulary: Vocabulary = CLI_VOCABULARY): string {
  const why =
    a.outcome === "ok"
      ? (a.note ?? "")
      : `${a.error ?? "failed"}${a.eligible ? " -> next" : ""}${a.note ? `; ${a.note}` : ""}`;
  return `${a.outcome === "ok" ? "ok  " : "FAIL"} ${a.url} ${formatMs(a.ms)}${why ? `: ${speak(why, vocabulary)}` : ""}`;
}

/** The title of a failed read's annotation. */
export const attemptTitle = (a: Attempt) =>
  `migrate-relay: ${a.kind === "cloud" ? "registry" : "backup"} not read${a.eligible ? ", trying the next" : ""}`;

/** The title of a failed target's annotation. */
export const applyRunTitle = (run: { label?: string }) =>
  `migrate-relay apply${run.label ? `: ${run.label}` : ""} failed`;

/** A rollout that stopped starting targets (max-failures, a failed canary), and its title. */
export const rolloutStoppedLine = (why: string) => `Stopped starting targets: ${why}`;
export const ROLLOUT_STOPPED_TITLE = "migrate-relay apply: rollout stopped";
export const DEPLOYMENT_TITLE = "migrate-relay apply: deployment report not sent";

/** Before a read through the relay: the directory and how many replicas stand behind it. */
export const readingLine = (dir: string, replicas: number) =>
  `Reading ${redactUrl(dir)}: the primary, then ${plural(replicas - 1, "backup")}`;

/** Before a target's apply: the directory, the database and the env instance. */
export const applyStartLine = (target: { dir: string; url: string; label?: string }) =>
  `Applying ${redactUrl(target.dir)} to ${redactUrl(target.url)}${target.label ? ` (env ${target.label})` : ""}`;

/** Which state was read, and from where (a log line). */
export const readStateLine = (state: AppliedState, source: string) =>
  `Read ${stateText(state)} from ${source}`;

/** Backups behind the state that was read (a warning). */
export const laggingLine = (lagging: readonly string[]) =>
  `lagging backups (run migrate-relay sync): ${lagging.join(", ")}`;

/** `2000 targets: 3 failed, 10 not started, 1987 applied`. */
export function fleetCountsLine(outcomes: readonly FleetOutcome[]): string {
  const parts = FLEET_OUTCOMES.map((o) => [o, outcomes.filter((x) => x === o).length] as const)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${n} ${OUTCOME_NAMES[o]}`);
  return `${plural(outcomes.length, "target")}: ${parts.join(", ")}`;
}

const statementsOf = (r: ApplyResult) => r.applied.reduce((n, f) => n + f.statements, 0);

/** What happened to one target, in one sentence (a label stays as written: env names are not capitalized). */
export function applyStatusText(
  run: Pick<ApplyRun, "label" | "result" | "notStarted">,
  vocabulary: Vocabulary = CLI_VOCABULARY,
): string {
  const text = run.notStarted !== undefined ? `not started: ${run.notStarted}` : statusSentence(run.result);
  return speak(run.label ? `${run.label}: ${text}` : capital(text), vocabulary);
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The status of a target whose section follows: a failure names where it stopped, not the error,
 * which the section shows once (the file's row, or the Error line).
 */
function shortStatus(run: ApplyRun): string {
  if (!run.result.error || run.notStarted !== undefined) return applyStatusText(run);
  const file = run.result.applied.find((f) => f.error);
  const text = `failed${file ? ` at ${file.name}` : ""}`;
  return run.label ? `${run.label}: ${text}` : capital(text);
}

function statusSentence(r: ApplyResult): string {
  const from = r.current || "(empty)";
  if (r.error) return `failed: ${r.error.message}`;
  if (r.pending.length === 0) return `no migration files to execute (database at ${from})`;
  if (r.dryRun)
    return `dry run: would migrate from ${from} to ${r.target} (${plural(r.pending.length, "file")}); nothing was written`;
  return `migrated to version ${r.target} from ${from} (${plural(r.applied.length, "file")}, ${plural(statementsOf(r), "statement")}, ${formatMs(r.ms)})`;
}

/** One log line per applied file. */
export function appliedFileLine(f: AppliedFile): string {
  if (f.error?.step) return `FAIL ${f.name} ${f.error.step} ${formatMs(f.ms)}: ${f.error.text}`;
  if (f.error)
    return `FAIL ${f.name} statement ${f.error.index}/${f.total} (line ${f.error.line}) ${formatMs(f.ms)}: ${f.error.text}`;
  const resumed = f.skipped ? `, resumed after ${f.skipped}` : "";
  return `${f.rolledBack ? "back" : "ok  "} ${f.name} ${plural(f.statements, "statement")}${resumed} ${formatMs(f.ms)}`;
}

function fileStatus(f: AppliedFile): string {
  if (f.error) return "failed";
  if (f.rolledBack) return "rolled back";
  return f.skipped ? `ok (resumed after ${f.skipped})` : "ok";
}

function fileStatements(f: AppliedFile): string {
  return f.error || f.skipped || f.statements !== f.total ? `${f.statements} of ${f.total}` : String(f.total);
}

function fileError(f: AppliedFile): string {
  if (!f.error) return "";
  const e = f.error;
  if (e.step) return `${e.step}: ${e.text}${e.code ? ` [${e.code}]` : ""}`;
  return `statement ${e.index} (line ${e.at ?? e.line}): ${e.text}${e.code ? ` [${e.code}]` : ""}`;
}

function runSection(run: ApplyRun, clean: (t: string) => string, heading: boolean): string[] {
  const r = run.result;
  const out: string[] = [];
  const icon = r.error ? "❌" : r.dryRun ? "🧪" : "✅";
  if (heading) out.push(`#### ${icon} ${escapeInline(clean(run.label ?? r.url))}`, "");
  const trail = r.trail ?? [];
  if (trail.length) out.push(`Source: ${trailMarkdown(trail, clean)}`, "");
  else if (!isRegistryUrl(run.dir))
    out.push(`Source: ${codeSpan(clean(redactUrl(run.dir)))} (local directory)`, "");
  const ok = r.applied.filter((f) => !f.error && !f.rolledBack).length;
  const notOk = r.applied.length - ok;
  const files = r.dryRun
    ? `Would apply ${plural(r.pending.length, "pending file")}`
    : `Applied ${ok} of ${plural(r.pending.length, "pending file")}${notOk ? ` (${notOk} failed or rolled back)` : ""}, ${plural(statementsOf(r), "statement")}`;
  // A run that stopped before it knew what was pending (no directory, no connection) has no plan to show.
  const planned = !r.error || r.pending.length > 0 || r.applied.length > 0 || r.current !== "";
  const params = [
    `- Directory: ${codeSpan(clean(redactUrl(run.dir)))}`,
    ...(r.state ? [`- State: ${escapeInline(clean(stateText(r.state)))}`] : []),
    ...(r.state?.lagging?.length
      ? [
          `- ⚠️ Lagging backups (run \`migrate-relay sync\`): ${escapeInline(clean(r.state.lagging.join(", ")))}`,
        ]
      : []),
    `- Database: ${codeSpan(clean(redactUrl(r.url)))}`,
    ...(planned
      ? [
          `- From ${escapeInline(r.current || "(empty)")} -> ${escapeInline(r.target || r.current || "(empty)")}`,
          `- ${files}`,
        ]
      : []),
    `- Total time: ${formatMs(r.ms)}`,
  ];
  out.push(...params, "");
  // A file's error is in its row below; any other error (no connection, a lock) is shown here, once.
  if (r.error && !r.applied.some((f) => f.error))
    out.push(`**Error:** ${messageBlock(clean(r.error.message))}`, "");
  if (r.applied.length) {
    out.push("| Version | Status | Statements | Time | Error |", "| --- | --- | --- | --- | --- |");
    for (const f of r.applied) {
      const cells = [f.version, fileStatus(f), fileStatements(f), formatMs(f.ms)].map((c) =>
        escapeCell(clean(c)),
      );
      out.push(`| ${[...cells, detailCell(clean(fileError(f)))].join(" | ")} |`);
    }
    out.push("");
    for (const f of r.applied.filter((x) => x.error && !x.error.step)) {
      const e = f.error!;
      // The error's text is in the row above; here the statement and what PostgreSQL added to it.
      const extra = [e.detail && `DETAIL: ${e.detail}`, e.hint && `HINT: ${e.hint}`]
        .filter(Boolean)
        .join("\n");
      out.push(
        "<details>",
        `<summary>Failing statement of ${escapeHtml(clean(f.name))} (statement ${e.index}, line ${e.line})</summary>`,
        "",
        `<pre><code>${escapeHtml(clean(e.stmt))}</code></pre>`,
        "",
        ...(extra ? [`<pre>${escapeHtml(clean(extra))}</pre>`, ""] : []),
        "</details>",
        "",
      );
    }
  } else if (r.dryRun && r.pending.length) {
    out.push(`Pending: ${escapeInline(clean(r.pending.join(", ")))}`, "");
  }
  return out;
}

/** Up to this many targets, every one gets its section; above, only failures do (a fleet). */
const FULL_SECTIONS = 10;
/** Failure sections shown in full in a fleet; further failures get one line each. */
const FAILURE_SECTIONS = 20;

const OUTCOME_NAMES: Record<FleetOutcome, string> = {
  failed: "failed",
  "not-started": "not started",
  applied: "applied",
  "dry-run": "dry run",
  "up-to-date": "up to date",
};

/**
 * The job summary: a status line, then per target the source trail, parameters and applied files.
 * Several targets: failures first. A fleet (more than FULL_SECTIONS targets) stays readable at
 * thousands of rows: counts by outcome, the failures with their errors, every other target one line
 * folded in <details>.
 */
export function applySummary(runs: readonly ApplyRun[], options: ApplyReportOptions = {}): string {
  const secrets = options.secrets ?? [];
  const clean = (text: string) => speak(redact(text, secrets), options.vocabulary);
  const failed = runs.filter((r) => r.result.error).length;
  const notStarted = runs.filter((r) => r.notStarted !== undefined).length;
  const icon = failed || notStarted ? "❌" : "✅";
  const status =
    runs.length === 1
      ? shortStatus(runs[0]!)
      : failed
        ? `${failed} of ${plural(runs.length, "target")} failed`
        : notStarted
          ? `${notStarted} of ${plural(runs.length, "target")} not started`
          : `${runs.length} of ${plural(runs.length, "target")} ok`;
  const lines = [`### ${icon} migrate-relay apply`, "", `**${escapeInline(clean(status))}**`, ""];
  const rollout = options.rollout;
  if (rollout?.shard)
    lines.push(
      `Shard ${rollout.shard.index}/${rollout.shard.count}: ${runs.length} of ${plural(rollout.total, "target")}`,
      "",
    );
  if (rollout?.stopped) lines.push(`Stopped starting targets: ${escapeInline(clean(rollout.stopped))}`, "");
  // Failures first, then the rest in their configured order.
  const ordered = [...runs.filter((r) => r.result.error), ...runs.filter((r) => !r.result.error)];
  if (runs.length <= FULL_SECTIONS) {
    if (runs.length > 1) {
      for (const run of ordered) lines.push(`- ${escapeInline(clean(shortStatus(run)))}`);
      lines.push("");
    }
    for (const run of ordered.filter((r) => r.notStarted === undefined))
      lines.push(...runSection(run, clean, runs.length > 1));
    return redact(`${lines.join("\n").trimEnd()}\n`, secrets);
  }

  const counts = new Map<FleetOutcome, number>();
  for (const run of runs) counts.set(runOutcome(run), (counts.get(runOutcome(run)) ?? 0) + 1);
  lines.push("| Outcome | Targets |", "| --- | --- |");
  for (const outcome of FLEET_OUTCOMES)
    if (counts.get(outcome)) lines.push(`| ${OUTCOME_NAMES[outcome]} | ${counts.get(outcome)} |`);
  lines.push("");
  const failures = ordered.slice(0, failed);
  for (const run of failures.slice(0, FAILURE_SECTIONS)) lines.push(...runSection(run, clean, true));
  if (failed > FAILURE_SECTIONS) {
    lines.push(`#### ${failed - FAILURE_SECTIONS} more failed`, "");
    for (const run of failures.slice(FAILURE_SECTIONS))
      lines.push(`- ${escapeInline(clean(applyStatusText(run)))}`);
    lines.push("");
  }
  const rest = ordered.slice(failed);
  if (rest.length) {
    lines.push(
      "<details>",
      `<summary>${plural(rest.length, failed ? "other target" : "target")}</summary>`,
      "",
      ...rest.map((run) => `- ${escapeInline(clean(applyStatusText(run)))}`),
      "",
      "</details>",
    );
  }
  return redact(`${lines.join("\n").trimEnd()}\n`, secrets);
}

/**
 * The apply action's outputs, atlas-action's names. One run: its values. Several (for_each):
 * pending_count and applied_count are sums; current and target are set only when every run agrees
 * (else ""); `runs` holds each in atlas-action's shape (plus env, dry_run, source, error). `source` is
 * where the directory came from (the first run's); `error` is set only when a run failed.
 */
export function applyOutputs(
  runs: readonly ApplyRun[],
  options: ApplyReportOptions = {},
): Record<string, string> {
  const clean = (text: string) => redact(text, options.secrets ?? []);
  const same = (values: string[]) => (new Set(values).size === 1 ? values[0]! : "");
  const first = runs[0];
  const failed = runs.find((r) => r.result.error);
  return {
    current: same(runs.map((r) => r.result.current)),
    target: same(runs.map((r) => r.result.target)),
    pending_count: String(runs.reduce((n, r) => n + r.result.pending.length, 0)),
    applied_count: String(runs.reduce((n, r) => n + r.result.applied.filter((f) => !f.error).length, 0)),
    runs: clean(JSON.stringify(atlasActionRuns(runs))),
    source: clean(
      first ? (first.result.source ?? (isRegistryUrl(first.dir) ? "" : redactUrl(first.dir))) : "",
    ),
    // As atlas-action: the error of the first failed run ("" on success, so every output is set).
    error: failed
      ? clean(
          failed.label ? `${failed.label}: ${failed.result.error!.message}` : failed.result.error!.message,
        )
      : "",
  };
}
