// The apply action end to end: the built dist/apply/{main,post}.js run as the GitHub runner runs them
// (packages/testkit/src/runner.ts), reading from the registry emulator or the backups (s3rver, a
// folder), applying to PostgreSQL, with the license grant carried between jobs by the GitHub cache
// server. `npm run build` first: these tests run what ships, not the sources.
import { join } from "node:path";
import { tokenSha256 } from "@migrate-relay/core";
import {
  publicTables,
  query,
  readActionMetadata,
  revisionRows,
  startRegistry,
  testCluster,
  testDatabase,
  uniqueName,
} from "@migrate-relay/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  annotations,
  cacheEntryFiles,
  describeRun,
  expectNoSecrets,
  FILES,
  job,
  LAST_VERSION,
  type Rig,
  startRig,
  summaryRows,
  summaryText,
  uniqueSlug,
  workspace,
} from "./actions-helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig(); // runs a snapshot of dist/: `npm run build` first
});
afterAll(() => rig?.stop());

/** Publishes a directory to the registry, S3 and the folder through the push action; returns the slug. */
async function published(label: string, files?: Record<string, string>): Promise<string> {
  const slug = uniqueSlug(label);
  const { main } = await job(
    rig,
    "push",
    {
      "dir-name": slug,
      "cloud-url": rig.registry.url,
      "cloud-token": rig.registry.token,
      backups: `${rig.s3Url}\n${rig.fileUrl}`,
    },
    { cwd: await workspace(files) },
  );
  expect(main.code, describeRun(main)).toBe(0);
  return slug;
}

/** A database owned by a role that must send its password (so the URL carries a secret). */
async function passwordDatabase(): Promise<{ url: string; password: string }> {
  const cluster = testCluster();
  const db = await cluster.createDatabase();
  const password = `pw-${uniqueName("secret").replace(/_/g, "-")}`;
  const url = await cluster.createRole(uniqueName("app"), password, { database: db });
  return { url: `${url}?sslmode=disable`, password };
}

const applyInputs = (slug: string, url: string, extra: Record<string, string> = {}) => ({
  dir: `atlas://${slug}`,
  url,
  "cloud-url": rig.registry.url,
  "cloud-token": rig.registry.token,
  backups: `${rig.s3Url}\n${rig.fileUrl}`,
  timeout: "5s",
  ...extra,
});

/** One entry of the runs output: atlas-action's fields, plus ours. */
interface AtlasRun {
  current: string;
  target: string;
  applied_count: number;
  pending_count: number;
  pending_files?: string[];
  env?: string;
  url: string;
  error?: string;
  source?: string;
  trail?: { url: string; outcome: string }[];
  outcome?: string;
  not_started?: string;
}

describe("apply action (dist/apply)", () => {
  it("with the registry up, reads from it, applies, sets the outputs and saves the refreshed grant", async () => {
    const slug = await published("up");
    const url = `${await testDatabase()}?sslmode=disable`;
    const before = rig.cache.entries().length;
    const { main, post } = await job(rig, "apply", applyInputs(slug, url), {
      cwd: await workspace({}),
      github: { runId: "8101" },
    });
    expect(main.code, describeRun(main)).toBe(0);
    expect(post.code, describeRun(post)).toBe(0);
    expect(main.outputs).toMatchObject({
      current: "",
      target: LAST_VERSION,
      pending_count: "2",
      applied_count: "2",
    });
    const declared = Object.keys((await readActionMetadata(join(rig.root, "action-apply.yml"))).outputs);
    expect(Object.keys(main.outputs).sort()).toEqual(declared.sort());
    const runs = JSON.parse(main.outputs.runs!) as AtlasRun[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ applied_count: 2, pending_count: 2, target: LAST_VERSION });
    expect(runs[0]!.pending_files).toEqual(["20240101000000_users.sql", "20240102000000_orders.sql"]);
    expect(runs[0]!.trail?.map((a) => a.outcome)).toEqual(["ok"]);
    expect(await publicTables(url)).toEqual(["orders", "users"]);
    expect((await revisionRows(url)).map((r) => r.version)).toEqual(["20240101000000", LAST_VERSION]);
    // The deployment is reported to the registry, and the summary links the report.
    const report = rig.registry.reports.find((r) => (r.input as { dirName?: string }).dirName === slug);
    expect(report).toMatchObject({
      operation: "reportMigration",
      input: { toVersion: LAST_VERSION, context: { triggerType: "GITHUB_ACTION" } },
    });
    expect(main.summary).toContain(`Deployment reported: [${report!.url}](${report!.url})`);

    const key = `migrate-relay-grant-linux-${tokenSha256(rig.registry.token)}-8101-1`;
    expect(
      rig.cache
        .entries()
        .slice(before)
        .map((e) => [e.key, e.finalized]),
    ).toEqual([[key, true]]);
  });

  it("with the registry refusing: restores the grant from the cache, reads the backup, applies; no secret shows", async () => {
    const slug = await published("down");
    const { url, password } = await passwordDatabase();
    await rig.registry.setFault("refuse");
    try {
      const entriesBefore = rig.cache.entries().length;
      const { main, post } = await job(rig, "apply", applyInputs(slug, url), { cwd: await workspace({}) });
      expect(main.code, describeRun(main)).toBe(0);
      expect(post.code, describeRun(post)).toBe(0);
      // The grant was used, not refreshed: post does not save it again.
      expect(rig.cache.entries()).toHaveLength(entriesBefore);
      expect(post.stdout).toMatch(/unchanged/i);
      expect(main.stdout).toMatch(/License grant cache restored \(migrate-relay-grant-linux-[0-9a-f]{16}-/);

      // Outputs: atlas-action's names; the source is the first backup.
      expect(main.outputs).toMatchObject({
        current: "",
        target: LAST_VERSION,
        pending_count: "2",
        applied_count: "2",
      });
      expect(main.outputs.source).toContain(`s3://${rig.bucket}/`);
      const [run] = JSON.parse(main.outputs.runs!) as AtlasRun[];
      expect(run!.applied_count).toBe(2);
      expect(run!.trail?.map((a) => a.outcome)).toEqual(["failed", "ok"]);
      expect(run!.url).toContain("***");

      // The summary shows the fallback trail and one row per applied file.
      const text = summaryText(main.summary);
      expect(text).toMatch(/Source: registry: [^\n]*connection refused[^\n]* -> s3:\/\/[^\n]*: ok/);
      expect(text).toMatch(/license grant valid until \d{4}-/);
      // No deployment report with the registry down: a line in the summary, the apply still green.
      expect(text).toMatch(/Deployment report not sent to [^\n]*connection refused/);
      expect(text).toMatch(/-> s3:\/\/[^\n]*: ok[^\n]*digest verified/);
      const rows = summaryRows(main.summary);
      const fileRows = rows.filter((r) => /^\d{14}$/.test(r[0] ?? ""));
      expect(fileRows.map((r) => [r[0], r[1], r[2]])).toEqual([
        ["20240101000000", "ok", "1"],
        [LAST_VERSION, "ok", "2"],
      ]);
      expect(annotations(main, "warning").join("\n")).toMatch(/FAIL atlas:\/\/.*connection refused/);
      // Every annotation has a title: which step and what went wrong.
      const warnings = main.commands.filter((c) => c.command === "warning");
      expect(warnings.map((w) => w.properties.title)).toEqual(
        expect.arrayContaining([
          "migrate-relay: registry not read, trying the next",
          "migrate-relay apply: deployment report not sent",
        ]),
      );
      expect(warnings.every((w) => w.properties.title)).toBe(true);
      expect(await publicTables(url)).toEqual(["orders", "users"]);

      // Secrets: masked (::add-mask::), and nowhere else: logs, outputs, summary, state and env files.
      expect(main.masks).toEqual(expect.arrayContaining([rig.registry.token, password]));
      await expectNoSecrets([main, post], [rig.registry.token, password, process.env.AWS_SECRET_ACCESS_KEY!]);
    } finally {
      await rig.registry.setFault("none");
    }
  });

  it("with no cached grant and the registry down, fails with a clear message and touches nothing", async () => {
    const slug = await published("nogrant");
    const url = `${await testDatabase()}?sslmode=disable`;
    await rig.registry.setFault("refuse");
    try {
      // Another token: nothing cached under its prefix.
      const { main, post } = await job(
        rig,
        "apply",
        applyInputs(slug, url, { "cloud-token": "atlas_token_never_seen_by_registry" }),
        { cwd: await workspace({}) },
      );
      expect(main.code, describeRun(main)).toBe(1);
      expect(post.code).toBe(0);
      expect(main.stdout).toContain("License grant cache: none yet for this token");
      const errors = annotations(main, "error");
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/no license grant/i);
      expect(errors[0]).toMatch(/run once while the registry is reachable|restore the cached grant/);
      // The hint in the action's words: its own cache, no CLI flag.
      expect(errors[0]).toContain("the action caches ~/.migrate-relay/grants between runs");
      expect(`${errors[0]}\n${main.summary}`).not.toMatch(/--grant-dir|actions\/cache of/);
      expect(summaryText(main.summary)).toMatch(/no license grant/i);
      const tables = await query(url, "SELECT 1 FROM pg_namespace WHERE nspname = 'atlas_schema_revisions'");
      expect(tables).toEqual([]);
      expect(await publicTables(url)).toEqual([]);
    } finally {
      await rig.registry.setFault("none");
    }
  });

  it("a registry answering 401 fails closed: no fallback to the backups, and the grant is dropped", async () => {
    // A token of its own: its grant is recorded by job 1, revoked in job 2, missing in job 3.
    const token = `atlas_revoked_${process.pid}_token`;
    const registry = await startRegistry({ token });
    try {
      const slug = uniqueSlug("revoked");
      const pushed = await job(
        rig,
        "push",
        {
          "dir-name": slug,
          "cloud-url": registry.url,
          "cloud-token": token,
          backups: `${rig.s3Url}\n${rig.fileUrl}`,
        },
        { cwd: await workspace() },
      );
      expect(pushed.main.code, describeRun(pushed.main)).toBe(0);
      const inputs = { ...applyInputs(slug, ""), "cloud-url": registry.url, "cloud-token": token };
      const prefix = `migrate-relay-grant-linux-${tokenSha256(token)}-`;
      const withGrant = rig.cache.entries().filter((e) => e.key.startsWith(prefix));
      expect(withGrant).toHaveLength(1);

      await registry.setFault(401);
      const url = `${await testDatabase()}?sslmode=disable`;
      const revoked = await job(rig, "apply", { ...inputs, url }, { cwd: await workspace({}) });
      expect(revoked.main.code, describeRun(revoked.main)).toBe(1);
      expect(revoked.main.stdout).toContain("License grant cache restored");
      expect(annotations(revoked.main, "error").join("\n")).toMatch(/unauthori[sz]ed|401/i);
      expect(annotations(revoked.main, "error").join("\n")).toContain(
        'check the cloud token (input "cloud-token" or ATLAS_TOKEN)',
      );
      const [run] = JSON.parse(revoked.main.outputs.runs!) as AtlasRun[];
      expect(run!.trail?.map((a) => a.outcome)).toEqual(["failed"]); // no backup was tried
      expect(await publicTables(url)).toEqual([]);
      // post saved the grant directory without the grant, so the next job cannot use it.
      const after = rig.cache.entries().filter((e) => e.key.startsWith(prefix));
      expect(after).toHaveLength(2);
      const files = await cacheEntryFiles(after[1]!);
      expect(Object.keys(files).filter((f) => f.endsWith(".json"))).toEqual([]);

      await registry.setFault("refuse");
      const next = await job(rig, "apply", { ...inputs, url }, { cwd: await workspace({}) });
      expect(next.main.code, describeRun(next.main)).toBe(1);
      expect(annotations(next.main, "error").join("\n")).toMatch(/no license grant/i);
      expect(await publicTables(url)).toEqual([]);
    } finally {
      await registry.stop();
    }
  });

  it("a cache service that refuses connections is a warning only: the job still succeeds", async () => {
    const slug = await published("nocache");
    const url = `${await testDatabase()}?sslmode=disable`;
    const started = new Date();
    await rig.cache.setFault("refuse");
    try {
      const { main, post } = await job(rig, "apply", applyInputs(slug, url), { cwd: await workspace({}) });
      expect(main.code, describeRun(main)).toBe(0);
      expect(post.code, describeRun(post)).toBe(0);
      expect(main.outputs.applied_count).toBe("2");
      expect(annotations(main, "warning").join("\n")).toMatch(/Failed to restore: .*ECONNREFUSED/);
      // The client logs the failed save at info level ("Failed to save: ..."); the action says so too.
      expect(post.stdout).toMatch(/license grant cache (was not saved|could not be saved)/i);
      expect(rig.cache.entries().some((e) => e.createdAt >= started)).toBe(false);
      expect(annotations(main, "error")).toEqual([]);
      expect(annotations(post, "error")).toEqual([]);
    } finally {
      await rig.cache.setFault("none");
    }
  });

  it("a 403 from the cache service is a warning only, too", async () => {
    const slug = await published("cache403");
    const url = `${await testDatabase()}?sslmode=disable`;
    const started = new Date();
    await rig.cache.setFault(403);
    try {
      const { main, post } = await job(rig, "apply", applyInputs(slug, url), { cwd: await workspace({}) });
      expect(main.code, describeRun(main)).toBe(0);
      expect(post.code, describeRun(post)).toBe(0);
      expect(annotations(main, "warning").join("\n")).toMatch(/Failed to restore: .*\(403\)/);
      // The client logs the failed save at info level ("Failed to save: ..."); the action says so too.
      expect(post.stdout).toMatch(/license grant cache (was not saved|could not be saved)/i);
      expect(rig.cache.entries().some((e) => e.createdAt >= started)).toBe(false);
      expect(main.outputs.applied_count).toBe("2");
      expect(rig.cache.requests.some((r) => r.status === 403)).toBe(true);
    } finally {
      await rig.cache.setFault("none");
    }
  });

  it("a multi-tenant atlas.hcl (for_each) gives one runs entry per tenant", async () => {
    const alpha = `${await testDatabase()}?sslmode=disable`;
    const beta = await passwordDatabase();
    const hcl = `locals {
  tenants = {
    alpha = getenv("TENANT_ALPHA_URL")
    beta  = getenv("TENANT_BETA_URL")
  }
}

env "tenants" {
  for_each = local.tenants
  url      = each.value
  migration {
    dir = "file://migrations"
  }
}
`;
    const cwd = await workspace(undefined, { "atlas.hcl": hcl });
    const { main } = await job(
      rig,
      "apply",
      { env: "tenants" },
      { cwd, env: { TENANT_ALPHA_URL: alpha, TENANT_BETA_URL: beta.url } },
    );
    expect(main.code, describeRun(main)).toBe(0);
    const runs = JSON.parse(main.outputs.runs!) as AtlasRun[];
    expect(runs).toHaveLength(2);
    expect(runs.map((r) => r.env)).toEqual([
      expect.stringContaining("alpha"),
      expect.stringContaining("beta"),
    ]);
    expect(runs.map((r) => r.applied_count)).toEqual([2, 2]);
    expect(new Set(runs.map((r) => r.url)).size).toBe(2);
    expect(main.outputs).toMatchObject({
      current: "",
      target: LAST_VERSION,
      pending_count: "4",
      applied_count: "4",
    });
    for (const url of [alpha, beta.url]) {
      expect((await revisionRows(url)).map((r) => r.version)).toEqual(["20240101000000", LAST_VERSION]);
    }
    const text = summaryText(main.summary);
    expect(text).toMatch(/alpha/);
    expect(text).toMatch(/beta/);
    await expectNoSecrets([main], [beta.password]);
  });

  it("a fleet over a matrix: shard 1/2 and 2/2 with parallelism cover every tenant once; max-failures stops new starts", async () => {
    const cluster = testCluster();
    const tenants = Array.from({ length: 8 }, (_, i) => `${uniqueName("shard")}_${i}`);
    for (const t of tenants) await cluster.createDatabase(t);
    const base = new URL(cluster.adminUrl);
    base.searchParams.set("sslmode", "disable");
    const hcl = `env "tenants" {
  for_each = toset([${tenants.map((t) => `"${t}"`).join(", ")}])
  url      = urlsetpath("${base.toString()}", each.value)
  migration {
    dir = "file://migrations"
  }
}
`;
    const cwd = await workspace(undefined, { "atlas.hcl": hcl });
    const shards = [];
    for (const shard of ["1/2", "2/2"]) {
      const { main } = await job(rig, "apply", { env: "tenants", shard, parallelism: "3" }, { cwd });
      expect(main.code, describeRun(main)).toBe(0);
      expect(main.stdout).toMatch(new RegExp(`Shard ${shard}: \\d+ of 8 targets`));
      shards.push(JSON.parse(main.outputs.runs!) as AtlasRun[]);
    }
    const seen = shards.flat().map((r) => /\[(.*)\]$/.exec(r.env!)![1]);
    expect([...seen].sort()).toEqual([...tenants].sort());
    expect(new Set(shards.flat().map((r) => r.outcome))).toEqual(new Set(["applied"]));

    // Every tenant one version behind the directory's next file, one of them broken: with
    // max-failures 1 and one target at a time, the tenants after the broken one are not started.
    const next = await workspace(
      { ...FILES, "20240103000000_c.sql": "CREATE TABLE c (id int);" },
      { "atlas.hcl": hcl },
    );
    const order = [...tenants].sort();
    const broken = order[2]!;
    const brokenUrl = new URL(base);
    brokenUrl.pathname = `/${broken}`;
    await query(brokenUrl.toString(), "CREATE TABLE c (id int)");
    const { main } = await job(
      rig,
      "apply",
      { env: "tenants", parallelism: "1", "max-failures": "1" },
      { cwd: next },
    );
    expect(main.code).not.toBe(0);
    const runs = JSON.parse(main.outputs.runs!) as AtlasRun[];
    expect(runs.map((r) => r.outcome)).toEqual([
      "applied",
      "applied",
      "failed",
      ...Array(5).fill("not-started"),
    ]);
    expect(runs[3]!.not_started).toMatch(/max-failures reached/);
    expect(
      main.commands.find((c) => c.command === "warning" && /Stopped starting/.test(c.message))?.properties
        .title,
    ).toBe("migrate-relay apply: rollout stopped");
    expect(annotations(main, "error").join("\n")).toMatch(/1 of 8 targets failed \(5 not started\)/);
    expect(summaryText(main.summary)).toMatch(/not started: max-failures reached/);
  }, 180_000); // three jobs over 8 databases

  it("post runs after a failed main and still saves the grant main refreshed (post-if: always())", async () => {
    const slug = await published("failgrant", {
      "1_ok.sql": "CREATE TABLE fine (id int);",
      "2_bad.sql": "SELECT 1/0;",
    });
    const url = `${await testDatabase()}?sslmode=disable`;
    const { main, post } = await job(rig, "apply", applyInputs(slug, url), {
      cwd: await workspace({}),
      github: { runId: "8201" },
    });
    expect(main.code, describeRun(main)).toBe(1);
    expect(main.outputs.applied_count).toBe("1");
    expect(post.code, describeRun(post)).toBe(0);
    const key = `migrate-relay-grant-linux-${tokenSha256(rig.registry.token)}-8201-1`;
    expect(rig.cache.entries().find((e) => e.key === key)?.finalized).toBe(true);
  });

  it("a failing statement fails the step: exit 1, the error in the outputs and a <details> block", async () => {
    const cwd = await workspace({
      "1_ok.sql": "CREATE TABLE fine (id int);",
      "2_bad.sql": "CREATE TABLE t2 (id int);\nSELECT 1/0;",
    });
    const url = `${await testDatabase()}?sslmode=disable`;
    const { main } = await job(rig, "apply", { url, dir: "file://migrations" }, { cwd });
    expect(main.code, describeRun(main)).toBe(1);
    expect(annotations(main, "error").join("\n")).toMatch(/division by zero/);
    expect(main.commands.find((c) => c.command === "error")?.properties.title).toBe(
      "migrate-relay apply failed",
    );
    expect(main.outputs.applied_count).toBe("1");
    const [run] = JSON.parse(main.outputs.runs!) as AtlasRun[];
    expect(run!.error).toMatch(/division by zero/);
    expect(main.outputs.error).toMatch(/division by zero/);
    // The failing statement in <details>; the error itself once, in the file's row.
    expect(main.summary).toMatch(/<details>[\s\S]*SELECT 1\/0[\s\S]*<\/details>/);
    expect(main.summary.split("division by zero")).toHaveLength(2);
    // tx-mode file: the failing file rolled back whole, the first one stays.
    expect(await publicTables(url)).toEqual(["fine"]);
    expect((await revisionRows(url)).map((r) => r.version)).toEqual(["1"]);
  });
});
