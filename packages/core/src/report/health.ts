// replica health and sync results -> a text table (CLI), a Markdown table (job summary), log lines.
import type { HealthReport, ReplicaHealth, StateInfo, SyncResult, SyncStep } from "../relay/health";
import { redact } from "../secrets";
import { codeSpan, escapeCell, escapeInline, formatMs, plural } from "./markdown";

const STATUS_WORD: Record<ReplicaHealth["status"], string> = {
  current: "ok",
  lagging: "LAGS",
  empty: "EMPTY",
  diverged: "DIVERGED",
  corrupt: "CORRUPT",
  unreachable: "UNREACHABLE",
  refused: "REFUSED",
};

const replicaName = (r: ReplicaHealth) => (r.role === "registry" ? `registry ${r.url}` : r.url);
const shortDigest = (digest: string) => digest.slice(0, 19);

/** The columns of one replica: replica, status, latest version, digest, pushed at, commit, tags, problems. */
function row(r: ReplicaHealth): string[] {
  const l = r.latest;
  return [
    replicaName(r),
    STATUS_WORD[r.status],
    l?.version || "-",
    l ? shortDigest(l.digest) : "-",
    l?.pushedAt ?? "-",
    l?.commit ? l.commit.slice(0, 12) : "-",
    r.tags ? String(Object.keys(r.tags).length) : "n/a",
    r.problems.join("; ") || "-",
  ];
}

const HEADER = ["replica", "status", "latest", "digest", "pushed at", "commit", "tags", "problems"];

/** One sentence: agree, or how many lag / are unreachable / corrupt. */
export function healthStatusText(report: HealthReport): string {
  const count = (s: ReplicaHealth["status"]) => report.replicas.filter((r) => r.status === s).length;
  const n = report.replicas.length;
  if (report.ok) return `all ${plural(n, "replica")} hold ${newestText(report)}`;
  const parts = [
    ["lagging", count("lagging") + count("empty")],
    ["diverged", count("diverged")],
    ["corrupt", count("corrupt")],
    ["unreachable", count("unreachable")],
    ["refused", count("refused")],
    ["missing tags", report.replicas.filter((r) => r.missingTags.length > 0).length],
  ] as const;
  const wrong = parts.filter(([, k]) => k > 0).map(([what, k]) => `${k} ${what}`);
  const head = report.newest
    ? `newest is ${newestText(report)}`
    : (report.conflict ?? "no replica holds a state");
  return `${n} replicas disagree (${wrong.join(", ") || "see problems"}); ${head}`;
}

function newestText(report: HealthReport): string {
  const s = report.newest;
  return s ? `version ${s.version} (${shortDigest(s.digest)}${s.tag ? `, tag ${s.tag}` : ""})` : "nothing";
}

/** A plain-text table, columns padded: the CLI's output. */
export function healthTable(report: HealthReport, secrets: readonly string[] = []): string[] {
  const rows = [HEADER, ...report.replicas.map(row)].map((cells) => cells.map((c) => redact(c, secrets)));
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => (i === 7 ? 0 : r[i]!.length))));
  return rows.map((cells) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

/** The job summary: a status line and one table row per replica. */
export function healthSummary(report: HealthReport, secrets: readonly string[] = []): string {
  const clean = (t: string) => redact(t, secrets);
  const icon = report.ok ? "✅" : "❌";
  const lines = [
    `### ${icon} migrate-relay verify${report.deep ? " --deep" : ""}`,
    "",
    `**${escapeInline(clean(capital(healthStatusText(report))))}**`,
    "",
    `| ${HEADER.map(capital).join(" | ")} |`,
    `| ${HEADER.map(() => "---").join(" | ")} |`,
  ];
  for (const r of report.replicas) {
    const cells = row(r).map((c, i) => (i === 0 ? codeSpan(clean(c), true) : escapeCell(clean(c))));
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return redact(`${lines.join("\n")}\n`, secrets);
}

/** One sync step as a line: planned, done or failed. */
export function syncStepLine(step: SyncStep): string {
  const what = `${step.latest ? "latest -> " : ""}tag ${step.tag} (version ${step.version || "?"}, ${shortDigest(step.digest)})`;
  const status = step.ok === undefined ? "plan" : step.ok ? "ok  " : "FAIL";
  const time = step.ms !== undefined ? ` ${formatMs(step.ms)}` : "";
  const detail = step.error ?? step.note;
  return `${status} ${step.url}: ${what}${time}${detail ? `: ${detail}` : ""}`;
}

/** The sync result in one sentence. */
export function syncStatusText(result: SyncResult): string {
  const n = result.steps.length;
  if (result.dryRun)
    return `dry run: ${plural(n, "copy", "copies")} planned; nothing was written${result.error ? `; ${result.error}` : ""}`;
  if (!result.ok) return `sync failed: ${result.error}`;
  if (n === 0) return "nothing to copy: every reachable replica holds every state";
  const replicas = new Set(result.steps.map((s) => s.url)).size;
  return `copied ${plural(n, "state")} to ${plural(replicas, "replica")}`;
}

/** The sync job summary: a status line and one row per copy. */
export function syncSummary(result: SyncResult, secrets: readonly string[] = []): string {
  const clean = (t: string) => redact(t, secrets);
  const lines = [
    `### ${result.ok ? "✅" : "❌"} migrate-relay sync`,
    "",
    `**${escapeInline(clean(capital(syncStatusText(result))))}**`,
    "",
  ];
  if (result.steps.length) {
    lines.push(
      "| Replica | Tag | Version | Digest | Moves latest | Result |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const s of result.steps) {
      const outcome = s.ok === undefined ? "planned" : s.ok ? "ok" : `failed: ${s.error ?? ""}`;
      const cells = [s.tag, s.version, shortDigest(s.digest), s.latest ? "yes" : "no", outcome];
      lines.push(
        `| ${[codeSpan(clean(s.url), true), ...cells.map((c) => escapeCell(clean(c)))].join(" | ")} |`,
      );
    }
  }
  return redact(`${lines.join("\n").trimEnd()}\n`, secrets);
}

/** A state named so a user can find it again: `tag latest, version 3, sha256:…, commit abc, pushed …`. */
export function stateText(s: Partial<StateInfo> & { tag?: string; digest: string; version: string }): string {
  return [
    s.tag ? `tag ${s.tag}` : "",
    `version ${s.version || "?"}`,
    s.digest,
    s.commit ? `commit ${s.commit}` : "",
    s.pushedAt ? `pushed ${s.pushedAt}` : "",
  ]
    .filter(Boolean)
    .join(", ");
}

const capital = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);
