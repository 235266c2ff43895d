// The registry as Atlas speaks to it (issue 10), against the registry emulator (the test double of
// Atlas Cloud), s3rver and a folder: what a push sends, one `latest` on every target, version reads
// that cannot be lied to, the answer classes of fallback, and deployment reports after apply.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "@migrate-relay/cli";
import {
  type ApplyResult,
  dirLoader,
  openReplica,
  openRepo,
  type PullError,
  pull,
  push,
  reportDeployments,
  runContextFromEnv,
  writeDir,
} from "@migrate-relay/core";
import { type RegistryFault, testDatabase } from "@migrate-relay/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDir, type Rig, startRig, tempDir, uniqueSlug } from "./relay-helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.stop());

/** The registry requests for one slug since `from`, as `[operation, input]`. */
const sent = (slug: string, from: number) =>
  rig.registry.requests
    .slice(from)
    .filter((r) => r.slug === slug)
    .map((r) => [r.operation, r.input]);

describe("what a push sends", () => {
  it("with latest: the read of latest, a tagless diffSyncDir with the run context, then pushDir for the tag", async () => {
    const slug = uniqueSlug();
    const before = rig.registry.requests.length;
    const context = runContextFromEnv(
      {
        GITHUB_ACTIONS: "true",
        GITHUB_REPOSITORY: "acme/app",
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_REF_NAME: "main",
        GITHUB_SHA: "abc123",
        GITHUB_ACTOR: "octo",
        GITHUB_ACTOR_ID: "42",
      },
      "file://migrations",
    );
    const result = await push(makeDir(2), rig.replicas(slug).slice(0, 1), {
      repo: slug,
      tag: "v2",
      grants: rig.grants(),
      ...(context ? { context } : {}),
    });
    expect(result.ok).toBe(true);
    expect(sent(slug, before)).toEqual([
      ["dirState", { slug }],
      [
        "diffSyncDir",
        {
          slug,
          driver: "POSTGRESQL",
          dir: result.digest,
          add: expect.stringMatching(/^sha256:/),
          delete: [],
          context: {
            scmType: "GITHUB",
            repo: "acme/app",
            url: "https://github.com/acme/app",
            branch: "main",
            commit: "abc123",
            username: "octo",
            userID: "42",
            path: "file://migrations",
          },
        },
      ],
      ["pushDir", { slug, tag: "v2", driver: "POSTGRESQL", dir: result.digest }],
    ]);
    expect(rig.registry.find(slug)?.digest).toBe(result.digest);
    expect(rig.registry.find(slug, { tag: "v2" })?.digest).toBe(result.digest);
    expect(result.link).toMatch(/\/dirs\/\d+\/tags\/v2$/);
  });

  it("without latest: only pushDir, and the registry's latest stays where it was", async () => {
    const slug = uniqueSlug();
    const first = await push(makeDir(2), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    const before = rig.registry.requests.length;
    const tagged = await push(makeDir(3), rig.replicas(slug), {
      repo: slug,
      tag: "v3",
      latest: false,
      grants: rig.grants(),
    });
    expect(tagged.ok).toBe(true);
    expect(sent(slug, before)).toEqual([
      ["pushDir", { slug, tag: "v3", driver: "POSTGRESQL", dir: tagged.digest }],
    ]);
    expect(tagged.targets.every((t) => t.latestMoved === undefined)).toBe(true);
    for (const replicas of [rig.replicas(slug).slice(0, 1), rig.replicas(slug).slice(1)]) {
      expect((await pull(replicas, { grants: rig.grants() })).digest).toBe(first.digest);
    }
  });

  it("the tag latest alone is one diffSyncDir, and nothing at all when latest is already there", async () => {
    const slug = uniqueSlug();
    const before = rig.registry.requests.length;
    await push(makeDir(2), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    expect(sent(slug, before).map(([op]) => op)).toEqual(["dirState", "diffSyncDir"]);
    const again = rig.registry.requests.length;
    const same = await push(makeDir(2), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    expect(sent(slug, again).map(([op]) => op)).toEqual(["dirState"]);
    expect(same.targets[0]).toMatchObject({ ok: true, latestMoved: true, bytes: 0, latestFrom: "000002" });
  });
});

describe("one latest on every target", () => {
  it("a registry that was down, then up, serves the same latest as the backups", async () => {
    const slug = uniqueSlug();
    await push(makeDir(2), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    await rig.registry.setFault("refuse");
    try {
      const offline = await push(makeDir(3), rig.replicas(slug), { repo: slug, grants: rig.grants() });
      expect(offline.ok).toBe(true);
      expect(offline.targets.map((t) => t.ok)).toEqual([false, true, true, true]);
    } finally {
      await rig.registry.setFault("none");
    }
    const back = await push(makeDir(4), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    expect(back.ok).toBe(true);
    expect(back.targets.map((t) => [t.latestMoved, t.latestFrom])).toEqual([
      [true, "000002"],
      [true, "000003"],
      [true, "000003"],
      [true, "000003"],
    ]);
    const replicas = rig.replicas(slug);
    const digests = await Promise.all(
      replicas.map(async (r) => (await pull([r], { grants: rig.grants() })).digest),
    );
    expect(new Set(digests)).toEqual(new Set([back.digest]));
  });

  it("a rewriting push publishes nowhere, the registry included, without force; everywhere with it", async () => {
    const slug = uniqueSlug();
    const original = await push(makeDir(3), rig.replicas(slug), {
      repo: slug,
      tag: "t1",
      grants: rig.grants(),
    });
    const before = rig.registry.requests.length;
    const rewrite = await push(makeDir(3, { salt: "edited" }), rig.replicas(slug), {
      repo: slug,
      tag: "t2",
      grants: rig.grants(),
    });
    expect(rewrite.ok).toBe(false);
    expect(rewrite.error).toMatch(
      new RegExp(
        `^000001_step\\.sql: 000001_step\\.sql was edited, so the new state does not extend latest of atlas://${slug} \\(version 000003\\); nothing was published \\(use force`,
      ),
    );
    expect(rewrite.targets.map((t) => [t.ok, t.errorKind])).toEqual([
      [false, "conflict"],
      [false, "conflict"],
      [false, "conflict"],
      [false, "conflict"],
    ]);
    // Only the reads reached the registry; no tag anywhere, latest unchanged everywhere.
    expect(sent(slug, before).map(([op]) => op)).toEqual(["dirState"]);
    for (const replica of rig.replicas(slug)) {
      expect((await pull([replica], { grants: rig.grants() })).digest).toBe(original.digest);
      await expect(pull([replica], { ref: { tag: "t2" }, grants: rig.grants() })).rejects.toThrow(
        /not found/,
      );
    }

    const forced = await push(makeDir(3, { salt: "edited" }), rig.replicas(slug), {
      repo: slug,
      tag: "t2",
      force: true,
      grants: rig.grants(),
    });
    expect(forced.ok).toBe(true);
    expect(forced.targets.map((t) => [t.ok, t.latestMoved, t.latestFrom])).toEqual([
      [true, true, "000003"],
      [true, true, "000003"],
      [true, true, "000003"],
      [true, true, "000003"],
    ]);
    for (const replica of rig.replicas(slug)) {
      expect((await pull([replica], { grants: rig.grants() })).digest).toBe(forced.digest);
    }
  });
});

describe("?version=", () => {
  it("sends only Atlas's DirStateInput fields and gets the state that ended at that version", async () => {
    const slug = uniqueSlug();
    await push(makeDir(4), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    const before = rig.registry.requests.length;
    const replica = openReplica(`atlas://${slug}?version=000002`, {
      cloudUrl: rig.registry.url,
      cloudToken: rig.registry.token,
    });
    const read = await pull([replica], { grants: rig.grants() });
    expect(read.dir.files.map((f) => f.version)).toEqual(["000001", "000002"]);
    expect(sent(slug, before)).toEqual([["dirState", { slug }]]);
    const missing = pull([replica], { ref: { version: "000009" }, grants: rig.grants() });
    await expect(missing).rejects.toThrow(
      /version "000009" not found \(the registry's latest ends at 000004\)/,
    );
  });

  it("a replica answering with another state than the version asked is skipped as an integrity failure", async () => {
    const slug = uniqueSlug();
    const backups = rig.replicas(slug).slice(1);
    await push(makeDir(2), backups, { repo: slug });
    await push(makeDir(3), backups, { repo: slug });
    // The folder's versions/000002.json now points at the state ending at 000003: it lies.
    const lying = await readFile(join(rig.fileRoot, slug, "versions", "000003.json"));
    await writeFile(join(rig.fileRoot, slug, "versions", "000002.json"), lying);
    const file = backups[2]!;
    const read = await pull([file, backups[0]!], { ref: { version: "000002" } });
    expect(read.source).toBe(rig.s3Url);
    expect(read.version).toBe("000002");
    expect(read.trail[0]).toMatchObject({
      outcome: "failed",
      errorKind: "integrity",
      eligible: true,
      error: "asked for version 000002, got a state whose last version is 000003",
    });
  });
});

describe("answer classes (docs/relay.md)", () => {
  const html = "<html><body><h1>403 Forbidden</h1>cloudfront</body></html>";
  const cases: [string, RegistryFault, "falls back" | "fails closed"][] = [
    ["HTTP 401", 401, "fails closed"],
    ["HTTP 403 with a GraphQL FORBIDDEN error", 403, "fails closed"],
    [
      "HTTP 200 with a GraphQL error saying unauthorized",
      { status: 200, body: '{"errors":[{"message":"unauthorized: token revoked"}]}' },
      "fails closed",
    ],
    ["HTTP 403 that is a proxy's HTML page", { status: 403, body: html }, "falls back"],
    ["HTTP 500", 500, "falls back"],
    ["HTTP 502", 502, "falls back"],
    ["HTTP 503", 503, "falls back"],
    ["HTTP 429", 429, "falls back"],
    [
      "HTTP 200 with another GraphQL error",
      {
        status: 200,
        body: '{"errors":[{"message":"internal system error","extensions":{"code":"INTERNAL"}}]}',
      },
      "falls back",
    ],
    [
      "HTTP 422 with a GraphQL validation error",
      { status: 422, body: '{"errors":[{"message":"unknown field"}]}' },
      "falls back",
    ],
    ["a timeout", "blackhole", "falls back"],
    ["a refused connection", "refuse", "falls back"],
  ];

  it.each(cases.map(([what, fault, expected]) => [what, expected, fault] as const))(
    "%s %s",
    async (_, expected, fault) => {
      const slug = uniqueSlug();
      const pushed = await push(makeDir(2), rig.replicas(slug), { repo: slug, grants: rig.grants() });
      await rig.registry.setFault(fault);
      try {
        const outcome = await pull(rig.replicas(slug), { grants: rig.grants(), timeoutMs: 1_000 }).catch(
          (e) => e as PullError,
        );
        if (expected === "falls back") {
          expect("digest" in outcome && outcome.digest).toBe(pushed.digest);
          expect("trail" in outcome && outcome.trail[0]).toMatchObject({
            eligible: true,
            errorKind: "unreachable",
          });
        } else {
          expect(outcome).toMatchObject({ name: "PullError", kind: "unauthorized" });
          expect((outcome as PullError).trail).toHaveLength(1);
          expect((await rig.grants().check(rig.registry.url, rig.registry.token)).ok).toBe(false);
        }
      } finally {
        await rig.registry.setFault("none");
        // Restore the grant the fail-closed cases deleted, for the next cases.
        const other = uniqueSlug();
        await push(makeDir(1), rig.replicas(other).slice(0, 1), { repo: other, grants: rig.grants() });
      }
    },
  );
});

describe("deployment reports", () => {
  async function cli(argv: string[], cwd: string) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { ATLAS_TOKEN: rig.registry.token },
      cwd,
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("reports each apply of an atlas:// directory; with the registry down, none and the apply stays green", async () => {
    const slug = uniqueSlug("deploy");
    const cwd = await tempDir("deploy");
    await writeDir(join(cwd, "migrations"), makeDir(2));
    const repo = [
      "--dir-name",
      slug,
      "--cloud-url",
      rig.registry.url,
      "--backup",
      rig.fileUrl,
      "--grant-dir",
      rig.grantDir,
    ];
    expect((await cli(["push", "--dir", "file://migrations", ...repo], cwd)).code).toBe(0);
    const db = `${await testDatabase()}?sslmode=disable`;
    const reportsBefore = rig.registry.reports.length;

    const applied = await cli(["apply", "--url", db, "--dir", `atlas://${slug}`, ...repo], cwd);
    expect(applied.code, applied.err).toBe(0);
    expect(applied.err).toMatch(
      /Deployment reported to .*: https:\/\/testkit\.atlasgo\.cloud\/deployments\/\d+/,
    );
    const [report] = rig.registry.reports.slice(reportsBefore);
    expect(report?.operation).toBe("reportMigration");
    const input = report!.input as {
      target: { url: string };
      files: { name: string; applied: number; content: string }[];
    };
    expect(input).toMatchObject({
      projectName: "default",
      dirName: slug,
      fromVersion: "",
      toVersion: "000002",
      currentVersion: "000002",
      context: { triggerType: "CLI", triggerVersion: expect.any(String) },
    });
    expect(input.target.url).toMatch(/^postgres:\/\/[^@]*$/); // no user info
    expect(input.files.map((f) => [f.name, f.applied])).toEqual([
      ["000001_step.sql", 1],
      ["000002_step.sql", 1],
    ]);
    expect(input.files[0]!.content).toBe("CREATE TABLE t1 (id int);\n");

    // Registry down: the directory comes from the backup under the grant; the report fails quietly.
    await writeDir(join(cwd, "migrations"), makeDir(3));
    expect((await cli(["push", "--dir", "file://migrations", ...repo], cwd)).code).toBe(0);
    const count = rig.registry.reports.length;
    await rig.registry.setFault("refuse");
    try {
      const offline = await cli(["apply", "--url", db, "--dir", `atlas://${slug}`, ...repo], cwd);
      expect(offline.code, offline.err).toBe(0);
      expect(offline.err).toMatch(/Deployment report not sent to .*connection refused/);
      expect(rig.registry.reports.length).toBe(count);
    } finally {
      await rig.registry.setFault("none");
    }
  });

  it("several targets, or one that failed before running, are one reportMigrationSet", async () => {
    const slug = uniqueSlug("set");
    await push(makeDir(2), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    const load = dirLoader({
      cwd: ".",
      repoOf: () =>
        openRepo({
          dir: `atlas://${slug}`,
          cloudUrl: rig.registry.url,
          cloudToken: rig.registry.token,
          backups: [],
        }),
      pull: { grants: rig.grants() },
    });
    const ran = (url: string): ApplyResult => ({
      url,
      current: "",
      target: "000002",
      pending: ["000001_step.sql", "000002_step.sql"],
      applied: [],
      dryRun: false,
      ms: 5,
    });
    const dir = `atlas://${slug}`;
    const two = await reportDeployments(
      [
        { target: { dir, url: "postgres://a:secret@db1/app" }, result: ran("postgres://a:***@db1/app") },
        { target: { dir, url: "postgres://a:secret@db2/app" }, result: ran("postgres://a:***@db2/app") },
      ],
      load,
      "CLI",
    );
    expect(two).toMatchObject({ operation: "reportMigrationSet", url: expect.stringMatching(/deployments/) });
    const set = rig.registry.reports.at(-1)!;
    expect(set.input).toMatchObject({ planned: 2, completed: [{ dirName: slug }, { dirName: slug }] });
    expect(JSON.stringify(set.input)).not.toContain("secret");

    const failed: ApplyResult = {
      ...ran("postgres://db3/app"),
      target: "",
      pending: [],
      error: { kind: "unreachable", message: "cannot connect to db3: connection refused" },
    };
    const before = await reportDeployments(
      [{ target: { dir, url: "postgres://db3/app" }, result: failed }],
      load,
      "CLI",
    );
    expect(before?.operation).toBe("reportMigrationSet");
    expect(rig.registry.reports.at(-1)!.input).toMatchObject({
      planned: 1,
      completed: [],
      error: "Error: cannot connect to db3: connection refused",
    });
  });
});
