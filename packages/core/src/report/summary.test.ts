// The job summaries as a user reads them: one test per fix of issue 13, each on the rendered Markdown.
import { describe, expect, it } from "vitest";
import type { ApplyResult } from "../apply/types";
import { validateDir } from "../dir/sum";
import { GrantStore } from "../grant/grant";
import { CLI_VOCABULARY, speak, type Vocabulary } from "../hints";
import type { PushResult, TargetResult } from "../relay/push";
import type { Attempt } from "../replica/types";
import { flagName } from "../settings";
import {
  type ApplyRun,
  applyStartLine,
  applyStatusText,
  applySummary,
  attemptLogLine,
  fleetCountsLine,
  laggingLine,
  readingLine,
} from "./apply";
import { errorSummary } from "./markdown";
import { pushOutputs, pushSummary, pushTargetLine } from "./push";

const count = (text: string, part: string) => text.split(part).length - 1;

const base: ApplyResult = {
  url: "postgres://app@db/app",
  current: "20240101",
  target: "20240102",
  pending: ["20240102_b.sql"],
  applied: [],
  dryRun: false,
  ms: 40,
};

describe("apply summary", () => {
  it("names the state it applied: tag, version, digest, commit, when pushed", () => {
    const state = {
      tag: "v7",
      version: "20240102",
      digest: `sha256:${"cd".repeat(32)}`,
      commit: "0badc0de",
      pushedAt: "2026-11-30T08:00:00.000Z",
    };
    const md = applySummary([{ dir: "atlas://app?tag=v7", result: { ...base, state } }]);
    expect(md).toContain(
      `- State: tag v7, version 20240102, sha256:${"cd".repeat(32)}, commit 0badc0de, pushed 2026-11-30T08:00:00.000Z`,
    );
  });

  it("the source: every URL of the trail and a local directory as code spans, secrets redacted", () => {
    const trail: Attempt[] = [
      { url: "atlas://app", kind: "cloud", outcome: "failed", error: "timeout", eligible: true, ms: 9 },
      {
        url: "s3://my-backups.example.com/atlas?region=us-east-1",
        kind: "s3",
        outcome: "ok",
        note: "digest verified",
        ms: 20,
      },
    ];
    const md = applySummary([{ dir: "atlas://app", result: { ...base, trail } }]);
    expect(md).toContain(
      "Source: registry: timeout after 9 ms -> `s3://my-backups.example.com/atlas?region=us-east-1`: ok in 20 ms, digest verified",
    );
    const local = applySummary([{ dir: "file://user:pw@host/migrations", result: base }], {
      secrets: ["pw"],
    });
    expect(local).toContain("Source: `file://user:***@host/migrations` (local directory)");
    expect(local).not.toContain(":pw@");
  });

  it("env names stay as written: prod, not Prod", () => {
    const failed = { ...base, error: { kind: "unreachable" as const, message: "connection refused" } };
    for (const result of [base, failed]) {
      const md = applySummary([{ label: "prod", dir: "file://migrations", result }]);
      expect(md).toMatch(/^\*\*prod: /m);
      expect(md).not.toContain("Prod");
    }
    // Without a label, the sentence starts with a capital.
    expect(applyStatusText({ result: base })).toMatch(/^Migrated to version 20240102/);
  });

  it("an error appears once: in the file's row, or on the Error line", () => {
    const text = 'relation "orders" does not exist';
    const fileFailed: ApplyResult = {
      ...base,
      applied: [
        {
          name: "20240102_b.sql",
          version: "20240102",
          description: "b",
          txMode: "file",
          ms: 2,
          statements: 0,
          total: 1,
          skipped: 0,
          error: { stmt: "SELECT * FROM orders;", text, index: 1, line: 1 },
        },
      ],
      error: { kind: "migration", message: `20240102_b.sql: statement 1 (line 1) failed: ${text}` },
    };
    for (const runs of [
      [{ dir: "file://migrations", result: fileFailed }],
      [
        { label: "prod[a]", dir: "file://migrations", result: fileFailed },
        { label: "prod[b]", dir: "file://migrations", result: base },
      ],
    ] satisfies ApplyRun[][]) {
      const md = applySummary(runs);
      expect(count(md, "does not exist")).toBe(1);
      expect(md).toMatch(
        /\*\*(prod\[a\]: )?failed at 20240102_b\.sql\*\*|- prod\\\[a\\\]: failed at 20240102_b\.sql/i,
      );
    }
    const noConnection = {
      ...base,
      error: { kind: "unreachable" as const, message: "connect ECONNREFUSED" },
    };
    const md = applySummary([{ dir: "file://migrations", result: noConnection }]);
    expect(count(md, "ECONNREFUSED")).toBe(1);
    expect(md).toContain("**Error:** connect ECONNREFUSED");
  });

  it("an atlas.sum mismatch names atlas.sum, the line and the fix", () => {
    const enc = new TextEncoder();
    const files = [{ name: "1_a.sql", version: "1", description: "a", content: enc.encode("SELECT 1;") }];
    let message = "";
    try {
      validateDir({ files, sum: enc.encode("h1:AAAA\n1_a.sql h1:BBBB\n") });
    } catch (err) {
      message = (err as Error).message;
    }
    const md = applySummary([
      { dir: "file://migrations", result: { ...base, error: { kind: "integrity", message } } },
    ]);
    expect(md).toMatch(/\*\*Error:\*\* L\d: .*atlas\.sum.*run migrate-relay hash/);
  });

  it("a multi-line server error keeps its lines: <pre> after the first, details in a table cell", () => {
    const message = "ERROR: deadlock detected\nDETAIL: Process 1 waits for ShareLock\nHINT: See server log";
    const md = applySummary([
      { dir: "file://migrations", result: { ...base, error: { kind: "unreachable", message } } },
    ]);
    expect(md).toContain(
      "**Error:** ERROR: deadlock detected\n\n<pre>DETAIL: Process 1 waits for ShareLock\nHINT: See server log</pre>",
    );
    const summary = errorSummary("migrate-relay apply", message);
    expect(summary).toContain("**ERROR: deadlock detected**\n\n<pre>DETAIL:");
    const push = pushSummary({ ...pushed, targets: [{ ...target, ok: false, error: message }] });
    expect(push).toContain(
      "| ERROR: deadlock detected<details><summary>2 more lines</summary>DETAIL: Process 1 waits for ShareLock<br>HINT: See server log</details> |",
    );
  });
});

const target: TargetResult = {
  url: "s3://bucket/prefix?region=us-east-1",
  kind: "s3",
  role: "primary",
  ok: true,
  ms: 20,
  bytes: 4096,
  attempts: 1,
};
const pushed: PushResult = {
  ok: true,
  slug: "app",
  tag: "v1",
  digest: "sha256:00ff",
  version: "2",
  files: 2,
  url: "s3://bucket/prefix?region=us-east-1",
  link: "",
  grantChanged: false,
  targets: [target],
};

describe("push summary", () => {
  it("a failed primary does not set url; one that took it does", () => {
    expect(pushOutputs(pushed).url).toBe("s3://bucket/prefix?region=us-east-1");
    const backupOnly: PushResult = {
      ...pushed,
      targets: [
        { ...target, ok: false, error: "AccessDenied" },
        { ...target, url: "file:///b", kind: "file", role: "backup" },
      ],
    };
    expect(pushOutputs(backupOnly).url).toBe("");
  });

  it("URLs in the Target cell are code spans, redacted; a long key is shortened, whole in the title", () => {
    const secretUrl = "s3://user:hunter22@bucket/prefix";
    const md = pushSummary(
      { ...pushed, targets: [{ ...target, url: secretUrl }] },
      { secrets: ["hunter22"] },
    );
    expect(md).toContain("| `s3://user:***@bucket/prefix` |");
    expect(md).not.toContain("hunter22");

    const key = `s3://bucket/${"k".repeat(200)}/archive.tar.gz`;
    const long = pushSummary({
      ...pushed,
      targets: [{ ...target, ok: false, error: `PUT ${key}: AccessDenied`, url: key }],
    });
    const row = long.split("\n").find((l) => l.startsWith("| <code"))!;
    const cell = row.split(" | ")[0]!;
    expect(cell).toContain(`title="${key}"`);
    const shown = cell.replace(/^\| <code title="[^"]*">|<\/code>$/g, "");
    expect(shown.length).toBeLessThanOrEqual(80);
    // In Detail, the long key gets break points: it wraps in its cell instead of widening it.
    const detail = row.split(" | ").at(-1)!;
    expect(detail).toContain("s3://<wbr>bucket/<wbr>");
    expect(detail.replace(/<wbr>/g, "")).toContain(key);
  });
});

describe("one voice, each front end's words", () => {
  const actions: Vocabulary = {
    setting: (name) => `input "${name}"`,
    cloudToken: 'input "cloud-token" or ATLAS_TOKEN',
    dirName: 'input "dir-name"',
    keepGrants: "the action caches the grant directory between runs",
  };
  const cloudHint =
    "atlas://app needs a cloud token: set atlas { cloud { token } }, --cloud-token or ATLAS_TOKEN";

  it("hints name the CLI's flags in the CLI and the inputs in the actions", () => {
    expect(speak(cloudHint, CLI_VOCABULARY)).toBe(cloudHint);
    expect(speak(cloudHint, actions)).toBe(
      'atlas://app needs a cloud token: set atlas { cloud { token } }, input "cloud-token" or ATLAS_TOKEN',
    );
    const grant = new GrantStore({ dir: "/tmp/grants" }).explain(
      { ok: false, reason: "missing" },
      "https://api.atlasgo.cloud",
      "connection refused",
    );
    expect(grant).not.toMatch(/actions\/cache/); // core has no GitHub words
    // The grant's hint is made in the front end's words where the message is made.
    const inAction = new GrantStore({ dir: "/tmp/grants", hints: actions }).explain(
      { ok: false, reason: "missing" },
      "https://api.atlasgo.cloud",
      "connection refused",
    );
    expect(inAction).toContain("the action caches the grant directory between runs)");
    expect(inAction).not.toContain("--grant-dir");
    // SQL comments and server text are not hints.
    expect(speak("SELECT 1; -- url is fine", actions)).toBe("SELECT 1; -- url is fine");
  });

  it("the summaries and the log lines speak through it", () => {
    const failed = { ...base, error: { kind: "config" as const, message: cloudHint } };
    const md = applySummary([{ dir: "atlas://app", result: failed }], { vocabulary: actions });
    expect(md).toContain('input "cloud-token"');
    expect(md).not.toContain("--cloud-token");
    expect(errorSummary("migrate-relay push", cloudHint, [], actions)).not.toContain("--cloud-token");
    const row = { ...target, ok: false, error: cloudHint };
    expect(pushSummary({ ...pushed, ok: false, targets: [row] }, { vocabulary: actions })).toContain(
      'input "cloud-token" or ATLAS_TOKEN |',
    );
    expect(pushTargetLine(row, actions)).toContain('input "cloud-token"');
    const attempt: Attempt = {
      url: "atlas://app",
      kind: "cloud",
      outcome: "failed",
      error: cloudHint,
      ms: 1,
    };
    expect(attemptLogLine(attempt, actions)).toContain('input "cloud-token"');
    expect(attemptLogLine(attempt)).toContain("--cloud-token");
    expect(flagName("cloud-token")).toBe("--cloud-token");
  });

  it("the progress lines both front ends print: URLs redacted, counts in words", () => {
    expect(readingLine("atlas://app", 3)).toBe("Reading atlas://app: the primary, then 2 backups");
    expect(readingLine("s3://k:secret@b/p", 2)).toBe("Reading s3://k:***@b/p: the primary, then 1 backup");
    expect(applyStartLine({ dir: "file://m", url: "postgres://u:pw@db/app", label: "prod" })).toBe(
      "Applying file://m to postgres://u:***@db/app (env prod)",
    );
    expect(`Warning: ${laggingLine(["s3://b/p (at 2)"])}`).toBe(
      "Warning: lagging backups (run migrate-relay sync): s3://b/p (at 2)",
    );
    expect(fleetCountsLine(["failed", "applied", "applied", "not-started"])).toBe(
      "4 targets: 1 failed, 1 not started, 2 applied",
    );
  });
});
