// Atlas's own output shapes, so scripts written for Atlas read ours unchanged: the JSON and text of
// `migrate apply` and `migrate status` (ariga/atlas cmd/atlas/internal/cmdlog/cmdlog.go: MigrateApply,
// AppliedFile, MigrateStatus and their templates), the line `migrate push` prints (what atlasexec's
// MigratePush reads), and atlas-action's `runs` output (atlasaction/action.go, MigrateApply).
// Fields Atlas marks `omitempty` are present as `undefined`: `{{ .Error }}` reads "" and JSON omits them.

import type { StatusResult } from "../apply/status";
import type { AppliedFile, AppliedState, ApplyResult, Revision } from "../apply/types";
import type { PushResult } from "../relay/push";
import { redactUrl } from "../secrets";
import { type ApplyRun, runOutcome } from "./apply";

type Json = Record<string, unknown>;

/** Go's `(time.Duration).String()`: `0s`, `850µs`, `12.5ms`, `1.2s`, `2m3.5s`. */
export function goDuration(ms: number): string {
  const ns = Math.round(ms * 1e6);
  if (ns === 0) return "0s";
  const trim = (n: number, digits: number) => n.toFixed(digits).replace(/\.?0+$/, "");
  if (ns < 1_000) return `${ns}ns`;
  if (ns < 1_000_000) return `${trim(ns / 1e3, 3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6, 6)}ms`;
  const h = Math.floor(ns / 3.6e12);
  const m = Math.floor((ns % 3.6e12) / 6e10);
  const s = trim((ns % 6e10) / 1e9, 9);
  return `${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${s}s`;
}

/** A migration file as Atlas's `File` marshals it: Name, Version, Description (empty ones left out). */
export function atlasFile(name: string): Json {
  const stem = name.replace(/\.sql$/, "");
  const i = stem.indexOf("_");
  return {
    Name: name,
    Version: i < 0 ? stem : stem.slice(0, i),
    Description: i < 0 || i === stem.length - 1 ? undefined : stem.slice(i + 1),
  };
}

/**
 * The database URL as Atlas's `*sqlclient.URL` marshals it: Go's `url.URL` fields (User is an opaque
 * `{}` there, so no password travels) plus Schema. atlasexec decodes this object, not a string.
 */
export function atlasUrl(url: string): Json {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { Scheme: "", Opaque: redactUrl(url), Host: "", Path: "", RawQuery: "", Schema: "" };
  }
  return {
    Scheme: u.protocol.replace(/:$/, ""),
    Opaque: "",
    User: u.username ? {} : null,
    Host: u.host,
    Path: decodeURIComponent(u.pathname),
    RawPath: "",
    OmitHost: false,
    ForceQuery: false,
    RawQuery: u.search.replace(/^\?/, "").replace(/(^|&)(password|secret[^=]*)=[^&]*/gi, "$1$2=xxxxx"),
    Fragment: "",
    RawFragment: "",
    Schema: u.searchParams.get("search_path") ?? "",
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

function atlasAppliedFile(f: AppliedFile, fallbackStart: number): Json {
  const start = f.startedAt ?? fallbackStart;
  return {
    ...atlasFile(f.name),
    Start: iso(start),
    End: iso(start + f.ms),
    Skipped: f.skipped || undefined,
    Applied: f.stmts?.length ? f.stmts : undefined,
    Error: f.error ? { Stmt: f.error.stmt, Text: f.error.text } : undefined,
    // Ours: the tx mode the file ran in, and whether a later failure rolled it back (tx-mode all).
    TxMode: f.txMode,
    RolledBack: f.rolledBack || undefined,
  };
}

const startOf = (run: ApplyRun) => run.startedAt?.getTime() ?? Date.now() - run.result.ms;

/** The run's one-line message, as Atlas's MigrateApply JSON `Message`. */
function applyMessage(r: ApplyResult): string | undefined {
  if (r.error) return undefined;
  if (r.applied.length === 0) return "No migration files to execute";
  return `Migrated to version ${r.target} from ${r.current} (${r.pending.length} migrations in total)`;
}

/**
 * One apply run in the shape of Atlas's `migrate apply --format '{{ json . }}'`: Driver, URL, Dir,
 * Pending, Applied (per file: statements run and the error), Current, Target, Start, End, Error,
 * Message. Added: Env (the for_each instance), DryRun, Source and Trail (where the directory was read).
 */
export function atlasApplyJson(run: ApplyRun): Json {
  const r = run.result;
  const start = startOf(run);
  let at = start;
  const applied = r.applied.map((f) => {
    const json = atlasAppliedFile(f, at);
    at = (f.startedAt ?? at) + f.ms;
    return json;
  });
  return {
    Driver: "postgres",
    URL: atlasUrl(r.url),
    Dir: redactUrl(run.dir) || undefined,
    Pending: r.pending.length ? r.pending.map(atlasFile) : undefined,
    Applied: applied.length ? applied : undefined,
    Current: r.current || undefined,
    Target: r.target || undefined,
    Start: iso(start),
    End: iso(start + r.ms),
    Error: r.error?.message,
    Message: applyMessage(r),
    Env: run.label,
    DryRun: r.dryRun || undefined,
    Source: r.source,
    Trail: r.trail,
    State: r.state ? stateJson(r.state) : undefined,
    Outcome: runOutcome(run),
    NotStarted: run.notStarted,
  };
}

/** The applied state (tag, version, digest, commit, push time, lagging backups) in Go-style names. */
function stateJson(s: AppliedState): Record<string, unknown> {
  return {
    Tag: s.tag || undefined,
    Version: s.version,
    Digest: s.digest,
    Commit: s.commit || undefined,
    PushedAt: s.pushedAt || undefined,
    Lagging: s.lagging?.length ? s.lagging : undefined,
  };
}

const indentLn = (text: string, n: number) => text.replace(/\n/g, `\n${" ".repeat(n)}`);
const s = (n: number) => (n > 1 ? "s" : "");

/** Atlas's closing lines: time, files ok/with errors, statements ok/with errors. */
function applySummaryLines(r: ApplyResult): string[] {
  let passedF = 0;
  let failedF = 0;
  let passedS = 0;
  let failedS = 0;
  for (const f of r.applied) {
    passedS += f.stmts?.length ?? f.statements;
    if (f.error) {
      failedF++;
      failedS++;
    } else passedF++;
  }
  const lines = [goDuration(r.ms)];
  if (passedF && failedF) lines.push(`${passedF} migration${s(passedF)} ok, ${failedF} with errors`);
  else if (passedF) lines.push(`${passedF} migration${s(passedF)}`);
  else if (failedF) lines.push(`${failedF} migration${s(failedF)} with errors`);
  if (passedS && failedS) lines.push(`${passedS} sql statement${s(passedS)} ok, ${failedS} with errors`);
  else if (passedS) lines.push(`${passedS} sql statement${s(passedS)}`);
  else if (failedS) lines.push(`${failedS} sql statement${s(failedS)} with errors`);
  return lines.map((l) => `  -- ${l}`);
}

/**
 * Atlas's `migrate apply` text (its MigrateApplyTemplate without colors): the header "Migrating to
 * version X from Y (N migrations in total):", one block per file with its statements and `ok (time)`
 * or the error, then the summary. A dry run lists the pending files instead of statements run.
 */
export function atlasApplyText(run: ApplyRun): string {
  const r = run.result;
  // A run that failed before it knew what was pending has no report: the error goes to stderr, as in Atlas.
  if (r.pending.length === 0) return r.error ? "" : "No migration files to execute\n";
  const out = [
    `Migrating to version ${r.target}${r.current ? ` from ${r.current}` : ""} (${r.pending.length} migrations in total):`,
  ];
  if (r.dryRun) {
    out.push("", ...r.pending.map((p) => `  -- would migrate ${p}`));
  }
  for (const f of r.applied) {
    out.push("", `  -- migrating version ${f.version}`);
    for (const stmt of f.stmts ?? []) out.push(`    -> ${indentLn(stmt, 7)}`);
    if (f.error) out.push(`    ${f.error.text}`);
    else out.push(`  -- ok (${goDuration(f.ms)})`);
  }
  if (r.applied.length === 0 && !r.dryRun) {
    out.push("");
    if (r.error) out.push(`    ${r.error.message}`);
  }
  out.push("", "  -------------------------", ...applySummaryLines(r));
  return `${out.join("\n")}\n`;
}

/**
 * One status in the shape of Atlas's `migrate status --format '{{ json . }}'`: Env {Driver, URL, Dir},
 * Available, Pending, Applied (the revisions), Current, Next, Count, Total, Status, Error, SQL.
 * Added: Source and Trail.
 */
export function atlasStatusJson(status: StatusResult, dir: string): Json {
  const revisions = status.revisions ?? [];
  const partial = status.partial;
  return {
    Env: { Driver: "postgres", URL: atlasUrl(status.url), Dir: redactUrl(dir) || undefined },
    Available: status.available?.length ? status.available.map(atlasFile) : undefined,
    Pending: status.pending.length ? status.pending.map(atlasFile) : undefined,
    Applied: revisions.length ? revisions.map(atlasRevision) : undefined,
    // Atlas's words for "none", as its status report sets them.
    Current: status.error ? undefined : status.current || "No migration applied yet",
    Next: status.error ? undefined : status.next || "Already at latest version",
    Count: partial?.applied || undefined,
    Total: partial?.total || undefined,
    Status: status.error ? undefined : status.status,
    Error: status.error?.message ?? partial?.error?.replace(/\n/g, " "),
    SQL: partial?.errorStmt?.replace(/\n/g, " ") || undefined,
    Source: status.source,
    Trail: status.trail,
  };
}

/** A revision row as Atlas's `migrate.Revision` marshals it (ExecutionTime in nanoseconds). */
function atlasRevision(r: Revision): Json {
  return {
    Version: r.version,
    Description: r.description,
    Type: r.type,
    Applied: r.applied,
    Total: r.total,
    ExecutedAt: r.executedAt.toISOString(),
    ExecutionTime: Number(r.executionTime),
    Error: r.error || undefined,
    ErrorStmt: r.errorStmt || undefined,
    OperatorVersion: r.operatorVersion,
  };
}

/** Atlas's default `migrate status` text (its template without colors). */
export function atlasStatusText(status: StatusResult): string {
  if (status.error) return ""; // the error goes to stderr, as in Atlas
  const p = status.partial;
  const lines = [
    `Migration Status: ${status.status}`,
    `  -- Current Version: ${status.current || "No migration applied yet"}${p ? ` (${p.applied} statements applied)` : ""}`,
    `  -- Next Version:    ${status.next || "Already at latest version"}${p ? ` (${p.total - p.applied} statements left)` : ""}`,
    `  -- Executed Files:  ${status.revisions?.length ?? status.executed}${p ? " (last one partially)" : ""}`,
    `  -- Pending Files:   ${status.pending.length}`,
  ];
  if (p?.error) {
    lines.push(
      "",
      "Last migration attempt had errors:",
      `  -- SQL:   ${(p.errorStmt ?? "").replace(/\n/g, " ")}`,
      `  -- ERROR: ${p.error.replace(/\n/g, " ")}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * What `migrate push` prints on stdout, the one line atlasexec's MigratePush returns: the registry's
 * link to the pushed state when the registry took it, else the state's URL (`atlas://app?tag=v1`, or
 * the primary's redacted URL with bring-your-own storage). Empty when the push failed.
 */
export function pushedUrl(result: PushResult): string {
  if (!result.ok) return "";
  return result.link || result.url;
}

/**
 * `migrate push --format '{{ json . }}'`: Slug, URL, Link, Tag, Digest, Version, Note, and Backups
 * (URL, Error when that backup failed, Note). Empty fields are left out.
 */
export interface AtlasPushJson {
  Slug: string;
  URL?: string;
  Link?: string;
  Tag: string;
  Digest?: string;
  Version?: string;
  Error?: string;
  /** The first target's note (registry or primary), e.g. a consistency caveat. */
  Note?: string;
  Backups: { URL: string; Error?: string; Note?: string }[];
}

export function atlasPushJson(result: PushResult): AtlasPushJson {
  return {
    Slug: result.slug,
    URL: pushedUrl(result) ? result.url : undefined,
    Link: result.ok ? result.link || undefined : undefined,
    Tag: result.tag,
    Digest: result.digest || undefined,
    Version: result.version || undefined,
    Error: result.ok ? undefined : (result.error ?? "no target took the push"),
    Note: result.targets[0]?.note,
    Backups: result.targets
      .filter((t) => t.role === "backup")
      .map((t) => ({
        URL: t.url,
        Error: t.ok ? undefined : (t.error ?? "failed"),
        Note: t.note,
      })),
  };
}

/**
 * atlas-action's `runs` output, one entry per run: current, target, applied_count, pending_count,
 * pending_files; plus ours: env, url (redacted), dry_run, source, trail (the replicas tried), error.
 */
export function atlasActionRuns(runs: readonly ApplyRun[]): Json[] {
  return runs.map((run) => {
    const { label, result: r } = run;
    return {
      current: r.current,
      target: r.target,
      applied_count: r.applied.length,
      pending_count: r.pending.length,
      pending_files: r.pending.length ? r.pending : undefined,
      env: label,
      url: redactUrl(r.url),
      dry_run: r.dryRun || undefined,
      source: r.source,
      trail: r.trail,
      error: r.error?.message,
      outcome: runOutcome(run),
      not_started: run.notStarted,
      state: r.state ? stateJson(r.state) : undefined,
    };
  });
}
