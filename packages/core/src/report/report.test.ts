import { describe, expect, it } from "vitest";
import type { ApplyResult } from "../apply/types";
import type { HealthReport } from "../relay/health";
import type { PushResult } from "../relay/push";
import { type ApplyRun, applyOutputs, applySummary, trailText } from "./apply";
import { healthStatusText, healthSummary, healthTable } from "./health";
import { codeSpan, errorSummary, escapeCell, formatMs } from "./markdown";
import { pushOutputs, pushSummary, pushTargetLine } from "./push";

const partialPush: PushResult = {
  ok: true,
  slug: "app",
  tag: "abc123",
  digest: "sha256:00ff",
  version: "20240102",
  files: 2,
  url: "atlas://app?tag=abc123",
  link: "",
  grantChanged: false,
  targets: [
    {
      url: "atlas://app",
      kind: "cloud",
      role: "registry",
      ok: false,
      error: "connect ECONNREFUSED 127.0.0.1:9",
      errorKind: "unreachable",
      ms: 6,
      bytes: 0,
      attempts: 3,
      note: "continuing under the license grant valid until 2026-12-01T00:00:00.000Z",
    },
    {
      url: "s3://bucket/prefix?region=us-east-1",
      kind: "s3",
      role: "backup",
      ok: true,
      ms: 1234,
      bytes: 2048,
      attempts: 1,
      latestMoved: false,
      note: "latest not moved: tags/latest.json is at 20240103 | not a prefix\nof this state",
    },
    {
      url: "file:///mnt/b",
      kind: "file",
      role: "backup",
      ok: true,
      skipped: true,
      ms: 3,
      bytes: 0,
      attempts: 1,
    },
  ],
};

describe("push report", () => {
  it("a status line and one row per target, notes in Detail, | and newlines escaped", () => {
    expect(pushSummary(partialPush)).toBe(
      [
        "### ⚠️ migrate-relay push",
        "",
        "**Pushed app:abc123 (version 20240102, 2 files, sha256:00ff) to 2 of 3 targets**",
        "",
        "| Target | Kind | Result | Time | Detail |",
        "| --- | --- | --- | --- | --- |",
        "| `atlas://app` | registry | failed | 6 ms | connect ECONNREFUSED 127.0.0.1:9; 3 attempts; continuing under the license grant valid until 2026-12-01T00:00:00.000Z |",
        "| `s3://bucket/prefix?region=us-east-1` | backup (s3) | ok | 1.2 s | 2.0 kB sent; latest not moved: tags/latest.json is at 20240103 \\| not a prefix<details><summary>1 more line</summary>of this state</details> |",
        "| `file:///mnt/b` | backup (file) | ok (archive already there) | 3 ms |  |",
        "",
      ].join("\n"),
    );
  });

  it("a failed push: the error in the status line, no secret anywhere", () => {
    const token = "tok_Sup3rSecret";
    const failed: PushResult = {
      ...partialPush,
      ok: false,
      error: `registry refused the token ${token}; nothing was pushed to the backups`,
      link: "",
      targets: [
        {
          url: "atlas://app",
          kind: "cloud",
          role: "registry",
          ok: false,
          error: `401 Unauthorized (Bearer ${token})`,
          errorKind: "unauthorized",
          ms: 15,
          bytes: 0,
          attempts: 1,
        },
        {
          url: `file:///mnt/<b>`,
          kind: "file",
          role: "backup",
          ok: false,
          error: "not attempted: registry refused the token",
          errorKind: "unauthorized",
          ms: 0,
          bytes: 0,
          attempts: 0,
        },
      ],
    };
    const md = pushSummary(failed, {
      secrets: [token],
      replay: { url: "postgres://u:***@dev/db", database: "scratch", files: 2, statements: 5, ms: 850 },
    });
    expect(md).toBe(
      [
        "### ❌ migrate-relay push",
        "",
        "**Push of app:abc123 failed: registry refused the token \\*\\*\\*; nothing was pushed to the backups**",
        "",
        "Replayed 2 files (5 statements) on a scratch database at `postgres://u:***@dev/db` in 850 ms before publishing.",
        "",
        "| Target | Kind | Result | Time | Detail |",
        "| --- | --- | --- | --- | --- |",
        "| `atlas://app` | registry | failed | 15 ms | 401 Unauthorized (Bearer \\*\\*\\*) |",
        "| `file:///mnt/<b>` | backup (file) | not attempted | 0 ms | not attempted: registry refused the token |",
        "",
      ].join("\n"),
    );
    expect(md).not.toContain(token);
    expect(JSON.stringify(pushOutputs(failed, { secrets: [token] }))).not.toContain(token);
    expect(pushOutputs(failed).url).toBe(""); // as atlas-action: no URL when the push failed
  });

  it("outputs: every value a string, targets as JSON", () => {
    const out = pushOutputs(partialPush);
    expect(Object.keys(out)).toEqual(["url", "link", "slug", "tag", "digest", "version", "targets"]);
    // The registry (the primary) failed: `url` would name a state it does not hold.
    expect(out.url).toBe("");
    const primaryOk = { ...partialPush, targets: [partialPush.targets[1]!, partialPush.targets[0]!] };
    expect(pushOutputs(primaryOk).url).toBe("atlas://app?tag=abc123");
    expect(JSON.parse(out.targets!)).toEqual(partialPush.targets);
  });

  it("log lines name result, URL, role, time and detail", () => {
    expect(pushTargetLine(partialPush.targets[2]!)).toBe("ok   file:///mnt/b (backup (file)) 3 ms");
    expect(pushTargetLine(partialPush.targets[0]!)).toBe(
      "FAIL atlas://app (registry) 6 ms: connect ECONNREFUSED 127.0.0.1:9; 3 attempts; continuing under the license grant valid until 2026-12-01T00:00:00.000Z",
    );
  });
});

const password = "s3cr3t-pass";
const failedApply: ApplyResult = {
  url: "postgres://app:***@db.internal:5432/app",
  current: "20240101",
  target: "20240103",
  pending: ["20240102_add_orders.sql", "20240103_bad.sql"],
  applied: [
    {
      name: "20240102_add_orders.sql",
      version: "20240102",
      description: "add_orders",
      txMode: "file",
      ms: 12.4,
      statements: 2,
      total: 2,
      skipped: 0,
    },
    {
      name: "20240103_bad.sql",
      version: "20240103",
      description: "bad",
      txMode: "file",
      ms: 3.2,
      statements: 0,
      total: 3,
      skipped: 0,
      error: {
        stmt: `SELECT '<script>x</script>' | 1;\n-- password ${password}`,
        text: "operator does not exist: unknown | integer",
        index: 1,
        line: 4,
        code: "42883",
        hint: "No operator matches the given name & argument types.",
      },
    },
  ],
  dryRun: false,
  ms: 250,
  error: {
    kind: "migration",
    message: "20240103_bad.sql: statement 1: operator does not exist: unknown | integer",
  },
  source: "s3://bucket/prefix",
  trail: [
    {
      url: "atlas://app",
      kind: "cloud",
      outcome: "failed",
      error: "connection refused",
      errorKind: "unreachable",
      eligible: true,
      note: "license grant valid until 2026-12-01T00:00:00.000Z",
      ms: 6,
    },
    {
      url: "s3://bucket/prefix",
      kind: "s3",
      outcome: "ok",
      note: "digest verified, atlas.sum valid",
      ms: 41,
    },
  ],
};

describe("apply report", () => {
  it("status, source trail, parameters, one row per file, the failing statement in <details>", () => {
    const runs: ApplyRun[] = [{ dir: "atlas://app", result: failedApply }];
    const md = applySummary(runs, { secrets: [password] });
    expect(md).toBe(
      [
        "### ❌ migrate-relay apply",
        "",
        "**Failed at 20240103_bad.sql**",
        "",
        "Source: registry: connection refused after 6 ms (license grant valid until 2026-12-01T00:00:00.000Z) -> `s3://bucket/prefix`: ok in 41 ms, digest verified, atlas.sum valid",
        "",
        "- Directory: `atlas://app`",
        "- Database: `postgres://app:***@db.internal:5432/app`",
        "- From 20240101 -> 20240103",
        "- Applied 1 of 2 pending files (1 failed or rolled back), 2 statements",
        "- Total time: 250 ms",
        "",
        "| Version | Status | Statements | Time | Error |",
        "| --- | --- | --- | --- | --- |",
        "| 20240102 | ok | 2 | 12 ms |  |",
        "| 20240103 | failed | 0 of 3 | 3 ms | statement 1 (line 4): operator does not exist: unknown \\| integer \\[42883\\] |",
        "",
        "<details>",
        "<summary>Failing statement of 20240103_bad.sql (statement 1, line 4)</summary>",
        "",
        "<pre><code>SELECT '&lt;script&gt;x&lt;/script&gt;' | 1;",
        "-- password ***</code></pre>",
        "",
        "<pre>HINT: No operator matches the given name &amp; argument types.</pre>",
        "",
        "</details>",
        "",
      ].join("\n"),
    );
    expect(md).not.toContain(password);
    expect(md).not.toContain("<script>");
  });

  it("a raw database URL is redacted, a secret passed in never appears", () => {
    const raw = `postgres://app:${password}@db:5432/app`;
    const runs: ApplyRun[] = [
      { dir: "file://migrations", result: { ...failedApply, url: raw, trail: undefined, source: undefined } },
    ];
    const md = applySummary(runs, { secrets: [password] });
    expect(md).toContain("- Database: `postgres://app:***@db:5432/app`");
    expect(md).toContain("Source: `file://migrations` (local directory)");
    expect(md).not.toContain(password);
    const out = applyOutputs(runs, { secrets: [password] });
    expect(JSON.stringify(out)).not.toContain(password);
    expect(out.source).toBe("file://migrations");
    expect(out.error).toBe(failedApply.error!.message);
  });

  it("for_each: one section per target, sums in the outputs, runs in Atlas's shape", () => {
    const upToDate: ApplyResult = {
      url: "postgres://t_b@db/b",
      current: "20240102",
      target: "20240102",
      pending: [],
      applied: [],
      dryRun: false,
      ms: 31,
    };
    const dry: ApplyResult = {
      url: "postgres://t_a@db/a",
      current: "",
      target: "20240102",
      pending: ["20240101_init.sql", "20240102_add_orders.sql"],
      applied: [],
      dryRun: true,
      ms: 12,
    };
    const runs: ApplyRun[] = [
      {
        label: "prod[a]",
        dir: "file://migrations",
        result: dry,
        startedAt: new Date("2026-01-01T00:00:00Z"),
      },
      { label: "prod[b]", dir: "file://migrations", result: upToDate },
    ];
    expect(applySummary(runs)).toBe(
      [
        "### ✅ migrate-relay apply",
        "",
        "**2 of 2 targets ok**",
        "",
        "- prod\\[a\\]: dry run: would migrate from (empty) to 20240102 (2 files); nothing was written",
        "- prod\\[b\\]: no migration files to execute (database at 20240102)",
        "",
        "#### 🧪 prod\\[a\\]",
        "",
        "Source: `file://migrations` (local directory)",
        "",
        "- Directory: `file://migrations`",
        "- Database: `postgres://t_a@db/a`",
        "- From (empty) -> 20240102",
        "- Would apply 2 pending files",
        "- Total time: 12 ms",
        "",
        "Pending: 20240101_init.sql, 20240102_add_orders.sql",
        "",
        "#### ✅ prod\\[b\\]",
        "",
        "Source: `file://migrations` (local directory)",
        "",
        "- Directory: `file://migrations`",
        "- Database: `postgres://t_b@db/b`",
        "- From 20240102 -> 20240102",
        "- Applied 0 of 0 pending files, 0 statements",
        "- Total time: 31 ms",
        "",
      ].join("\n"),
    );
    const out = applyOutputs(runs);
    expect(out.current).toBe("");
    expect(out.target).toBe("20240102");
    expect(out.pending_count).toBe("2");
    expect(out.applied_count).toBe("0");
    expect(out.error).toBe("");
    expect(JSON.parse(out.runs!)).toEqual([
      {
        current: "",
        target: "20240102",
        applied_count: 0,
        pending_count: 2,
        pending_files: ["20240101_init.sql", "20240102_add_orders.sql"],
        env: "prod[a]",
        url: "postgres://t_a@db/a",
        dry_run: true,
        outcome: "dry-run",
      },
      {
        current: "20240102",
        target: "20240102",
        applied_count: 0,
        pending_count: 0,
        env: "prod[b]",
        url: "postgres://t_b@db/b",
        outcome: "up-to-date",
      },
    ]);
  });

  it("the trail names the registry and times every replica", () => {
    expect(trailText(failedApply.trail as never)).toBe(
      "registry: connection refused after 6 ms (license grant valid until 2026-12-01T00:00:00.000Z) -> s3://bucket/prefix: ok in 41 ms, digest verified, atlas.sum valid",
    );
  });
});

describe("markdown helpers", () => {
  it("escape cells, code spans and errors", () => {
    expect(escapeCell(" a | b\nc <i>&amp; `x` [l](u) ")).toBe(
      "a \\| b<br>c &lt;i>&amp;amp; \\`x\\` \\[l\\](u)",
    );
    expect(codeSpan("s3://b/p?x=`y`", true)).toBe("`` s3://b/p?x=`y` ``");
    expect(codeSpan("a|b", true)).toBe("`a\\|b`");
    expect(errorSummary("migrate-relay push", "token abcd-1234 <bad>", ["abcd-1234"])).toBe(
      "### ❌ migrate-relay push\n\n**token \\*\\*\\* &lt;bad>**\n",
    );
    expect([formatMs(6), formatMs(5000), formatMs(150_000)]).toEqual(["6 ms", "5.0 s", "2.5 min"]);
  });
});

describe("the applied state and replica health", () => {
  const state = {
    tag: "latest",
    version: "20240102",
    digest: `sha256:${"ab".repeat(32)}`,
    commit: "c0ffee",
    pushedAt: "2026-12-01T10:00:00.000Z",
    lagging: ["s3://b/p?region=us-east-1 (at 20240101)"],
  };
  const applied: ApplyResult = {
    url: "postgres://app@db/app",
    current: "20240101",
    target: "20240102",
    pending: [],
    applied: [],
    dryRun: false,
    ms: 5,
    state,
  };

  it("the summary, the runs output and the JSON name the state and the lagging backups", () => {
    const md = applySummary([{ dir: "atlas://app", result: applied }]);
    expect(md).toContain(
      `- State: tag latest, version 20240102, sha256:${"ab".repeat(32)}, commit c0ffee, pushed 2026-12-01T10:00:00.000Z`,
    );
    expect(md).toContain(
      "- ⚠️ Lagging backups (run `migrate-relay sync`): s3://b/p?region=us-east-1 (at 20240101)",
    );
    const runs = JSON.parse(applyOutputs([{ dir: "atlas://app", result: applied }]).runs!);
    expect(runs[0].state).toEqual({
      Tag: "latest",
      Version: "20240102",
      Digest: state.digest,
      Commit: "c0ffee",
      PushedAt: state.pushedAt,
      Lagging: state.lagging,
    });
  });

  it("the verify table marks the lagging replica; a secret never appears", () => {
    const report: HealthReport = {
      ok: false,
      deep: false,
      newest: { digest: state.digest, version: "20240102", files: 2, sum: "h1:x", tag: "v2" },
      replicas: [
        {
          url: "file:///backups",
          kind: "file",
          role: "backup",
          status: "current",
          latest: { digest: state.digest, version: "20240102", files: 2, sum: "h1:x", commit: "c0ffee" },
          tags: { v2: state.digest },
          missingTags: [],
          problems: [],
          ms: 3,
        },
        {
          url: "s3://b/p?token=SECRET1",
          kind: "s3",
          role: "backup",
          status: "lagging",
          latest: { digest: "sha256:0011", version: "20240101", files: 1, sum: "h1:y" },
          tags: {},
          missingTags: ["v2"],
          problems: ["latest is version 20240101, behind the newest 20240102", "missing 1 tag(s): v2"],
          ms: 4,
        },
      ],
    };
    const table = healthTable(report, ["SECRET1"]);
    expect(table[0]).toMatch(/^replica\s+status\s+latest\s+digest\s+pushed at\s+commit\s+tags\s+problems$/);
    expect(table[2]).toMatch(/^s3:\/\/b\/p\?token=\*\*\*\s+LAGS\s+20240101 .* missing 1 tag\(s\): v2$/);
    expect(healthStatusText(report)).toBe(
      "2 replicas disagree (1 lagging, 1 missing tags); newest is version 20240102 (sha256:abababababab, tag v2)",
    );
    const md = healthSummary(report, ["SECRET1"]);
    expect(md).toContain("| `s3://b/p?token=***` | LAGS | 20240101 |");
    expect(md).not.toContain("SECRET1");
  });
});
