// push results -> job summary Markdown, action outputs and log lines.
import type { ReplayResult } from "../apply/replay";
import { CLI_VOCABULARY, speak, type Vocabulary } from "../hints";
import type { PushResult, TargetResult } from "../relay/push";
import { redact, redactUrl } from "../secrets";
import { pushedUrl } from "./atlas";
import {
  codeSpan,
  detailCell,
  escapeCell,
  escapeInline,
  formatBytes,
  formatMs,
  messageBlock,
  plural,
  urlCell,
} from "./markdown";

export interface PushReportOptions {
  /** The dev-database replay that ran before publishing, when one did. */
  replay?: ReplayResult;
  /** Strings that must never appear (tokens, passwords): replaced by *** wherever they occur. */
  secrets?: string[];
  /** The front end's words for settings in hints (default: the CLI's flags). */
  vocabulary?: Vocabulary;
}

/** `registry`, `primary (s3)`, `backup (file)`. */
export function targetKind(t: TargetResult): string {
  return t.role === "registry" ? "registry" : `${t.role} (${t.kind})`;
}

function targetResultText(t: TargetResult): string {
  if (t.ok) return t.skipped ? "ok (archive already there)" : "ok";
  return t.attempts === 0 ? "not attempted" : "failed";
}

/** Whether this target's `latest` moved, and from which version; "" when it was not asked to. */
export function latestDetail(t: TargetResult): string {
  // The note already says why when latest did not move.
  if (t.latestMoved === undefined || (!t.latestMoved && t.note?.startsWith("latest not moved"))) return "";
  const from = t.latestFrom === undefined ? "" : ` (was ${t.latestFrom || "none"})`;
  return t.latestMoved ? `latest moved${from}` : `latest not moved${from}`;
}

function targetDetail(t: TargetResult): string {
  const parts: string[] = [];
  if (t.ok && !t.skipped) parts.push(`${formatBytes(t.bytes)} sent`);
  if (latestDetail(t)) parts.push(latestDetail(t));
  if (t.error) parts.push(t.error);
  if (t.attempts > 1) parts.push(`${t.attempts} attempts`);
  if (t.note) parts.push(t.note);
  return parts.join("; ");
}

/** One log line per target: result, URL, role, time, and the detail. */
export function pushTargetLine(t: TargetResult, vocabulary: Vocabulary = CLI_VOCABULARY): string {
  const detail = speak(targetDetail(t), vocabulary);
  return `${t.ok ? "ok  " : "FAIL"} ${t.url} (${targetKind(t)}) ${formatMs(t.ms)}${detail ? `: ${detail}` : ""}`;
}

/** The title of a target's annotation: `migrate-relay push: backup (s3) failed`. */
export const pushTargetTitle = (t: TargetResult) =>
  `migrate-relay push: ${targetKind(t)} ${t.ok ? "ok" : t.attempts === 0 ? "not attempted" : "failed"}`;

/** The log group the target lines go in. */
export const pushGroupTitle = (slug: string, tag: string, targets: number, timeoutMs: number) =>
  `Pushing ${slug}:${tag} to ${plural(targets, "target")} (timeout ${formatMs(timeoutMs)} each)`;

/** The line after a dev-database replay; `where` is the database as the medium shows it. */
export const replayLine = (r: ReplayResult, where = r.url) =>
  `Replayed ${plural(r.files, "file")} (${plural(r.statements, "statement")}) on a scratch database at ${where} in ${formatMs(r.ms)}`;

export function pushStatusText(result: PushResult): string {
  const took = result.targets.filter((t) => t.ok).length;
  const name = `${result.slug}:${result.tag}`;
  if (!result.ok) return `Push of ${name} failed: ${result.error ?? "no target took the push"}`;
  return `Pushed ${name} (version ${result.version}, ${plural(result.files, "file")}, ${result.digest}) to ${took} of ${plural(result.targets.length, "target")}`;
}

/** The job summary: a status line, the replay, then `Target | Kind | Result | Time | Detail`. */
export function pushSummary(result: PushResult, options: PushReportOptions = {}): string {
  const secrets = options.secrets ?? [];
  const clean = (text: string) => speak(redact(text, secrets), options.vocabulary);
  const took = result.targets.filter((t) => t.ok).length;
  const icon = !result.ok ? "❌" : took < result.targets.length ? "⚠️" : "✅";
  const lines = [`### ${icon} migrate-relay push`, "", messageBlock(clean(pushStatusText(result)), true), ""];
  if (result.link) lines.push(`Registry: ${escapeInline(clean(result.link))}`, "");
  if (options.replay) {
    const r = options.replay;
    lines.push(`${replayLine(r, codeSpan(clean(redactUrl(r.url))))} before publishing.`, "");
  }
  lines.push("| Target | Kind | Result | Time | Detail |", "| --- | --- | --- | --- | --- |");
  for (const t of result.targets) {
    const cells = [targetKind(t), targetResultText(t), formatMs(t.ms)].map((c) => escapeCell(clean(c)));
    lines.push(
      `| ${[urlCell(clean(redactUrl(t.url))), ...cells, detailCell(clean(targetDetail(t)))].join(" | ")} |`,
    );
  }
  return redact(`${lines.join("\n")}\n`, secrets);
}

/** The push action's outputs, every value a string (targets as JSON). */
export function pushOutputs(
  result: PushResult,
  options: { secrets?: string[] } = {},
): Record<string, string> {
  const clean = (text: string) => redact(text, options.secrets ?? []);
  return {
    // As atlas-action's `url`: the registry's link to the pushed state (see pushedUrl); "" on failure,
    // and "" when the primary failed (only backups took it): the URL would name what it does not hold.
    url: result.targets[0]?.ok === false ? "" : clean(pushedUrl(result)),
    link: clean(result.link),
    slug: result.slug,
    tag: result.tag,
    digest: result.digest,
    version: result.version,
    targets: clean(JSON.stringify(result.targets)),
  };
}
