// apply results -> job summary Markdown, action outputs (atlas-action's names) and log lines.
import type { AppliedFile, ApplyResult } from "../apply/types";
import type { Attempt } from "../relay/pull";
import { redact, redactUrl } from "../secrets";
import { atlasActionRuns } from "./atlas";
import { stateText } from "./health";
import { codeSpan, escapeCell, escapeHtml, escapeInline, formatMs, plural } from "./markdown";

/** One apply target's run, as the summary and the outputs see it. */
export interface ApplyRun {
  /** The env instance (`prod`, `prod[tenant_a]`); absent without an env. */
  label?: string;
  /** The migration directory as configured (`atlas://app`, `file://migrations`). */
  dir: string;
  result: ApplyResult;
  /** When the run started (for runs[].Start/End). */
  startedAt?: Date;
}

export interface ApplyReportOptions {
  secrets?: string[];
}

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

/** One log line per replica tried. */
export function attemptLogLine(a: Attempt): string {
  const why = a.outcome === "ok" ? (a.note ?? "") : `${a.error ?? "failed"}${a.eligible ? " -> next" : ""}`;
  return `${a.outcome === "ok" ? "ok  " : "FAIL"} ${a.url} ${formatMs(a.ms)}${why ? `: ${why}` : ""}`;
}

const statementsOf = (r: ApplyResult) => r.applied.reduce((n, f) => n + f.statements, 0);

/** What happened to one target, in one sentence. */
export function applyStatusText(run: ApplyRun): string {
  const text = statusSentence(run.result);
  return run.label ? `${run.label}: ${text}` : text.charAt(0).toUpperCase() + text.slice(1);
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
  const trail = (r.trail ?? []) as Attempt[];
  if (trail.length) out.push(`Source: ${escapeInline(clean(trailText(trail)))}`, "");
  else if (!isRemote(run.dir))
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
  if (r.error) out.push(`**Error:** ${escapeInline(clean(r.error.message))}`, "");
  if (r.applied.length) {
    out.push("| Version | Status | Statements | Time | Error |", "| --- | --- | --- | --- | --- |");
    for (const f of r.applied) {
      const cells = [f.version, fileStatus(f), fileStatements(f), formatMs(f.ms), fileError(f)];
      out.push(`| ${cells.map((c) => escapeCell(clean(c))).join(" | ")} |`);
    }
    out.push("");
    for (const f of r.applied.filter((x) => x.error && !x.error.step)) {
      const e = f.error!;
      const extra = [e.detail && `DETAIL: ${e.detail}`, e.hint && `HINT: ${e.hint}`]
        .filter(Boolean)
        .join("\n");
      out.push(
        "<details>",
        `<summary>Failing statement of ${escapeHtml(clean(f.name))} (statement ${e.index}, line ${e.line})</summary>`,
        "",
        `<pre><code>${escapeHtml(clean(e.stmt))}</code></pre>`,
        "",
        `<pre>${escapeHtml(clean(e.text + (extra ? `\n${extra}` : "")))}</pre>`,
        "",
        "</details>",
        "",
      );
    }
  } else if (r.dryRun && r.pending.length) {
    out.push(`Pending: ${escapeInline(clean(r.pending.join(", ")))}`, "");
  }
  return out;
}

/** The job summary: a status line, then per target the source trail, parameters and applied files. */
export function applySummary(runs: readonly ApplyRun[], options: ApplyReportOptions = {}): string {
  const secrets = options.secrets ?? [];
  const clean = (text: string) => redact(text, secrets);
  const failed = runs.filter((r) => r.result.error).length;
  const icon = failed ? "❌" : "✅";
  const status =
    runs.length === 1
      ? applyStatusText(runs[0]!)
      : failed
        ? `${failed} of ${plural(runs.length, "target")} failed`
        : `${runs.length} of ${plural(runs.length, "target")} ok`;
  const lines = [
    `### ${icon} migrate-relay apply`,
    "",
    `**${escapeInline(clean(status.charAt(0).toUpperCase() + status.slice(1)))}**`,
    "",
  ];
  if (runs.length > 1) {
    for (const run of runs) lines.push(`- ${escapeInline(clean(applyStatusText(run)))}`);
    lines.push("");
  }
  for (const run of runs) lines.push(...runSection(run, clean, runs.length > 1));
  return redact(`${lines.join("\n").trimEnd()}\n`, secrets);
}

const isRemote = (dir: string) => /^atlas:\/\//i.test(dir);

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
    source: clean(first ? (first.result.source ?? (isRemote(first.dir) ? "" : redactUrl(first.dir))) : ""),
    // As atlas-action: the error of the first failed run ("" on success, so every output is set).
    error: failed
      ? clean(
          failed.label ? `${failed.label}: ${failed.result.error!.message}` : failed.result.error!.message,
        )
      : "",
  };
}
