// The push action end to end: the built dist/push/{main,post}.js run as the GitHub runner runs them
// (packages/testkit/src/runner.ts), against the registry emulator, s3rver, a folder backup and the
// GitHub cache server. `npm run build` first: these tests run what ships, not the sources.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tokenSha256 } from "@migrate-relay/core";
import { readActionMetadata, startRegistry } from "@migrate-relay/testkit";
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
  tempDir,
  uniqueSlug,
  workspace,
} from "./actions-helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig(); // runs a snapshot of dist/: `npm run build` first
});
afterAll(() => rig?.stop());

const pushInputs = (slug: string, extra: Record<string, string> = {}) => ({
  "dir-name": slug,
  "cloud-url": rig.registry.url,
  "cloud-token": rig.registry.token,
  backups: `${rig.s3Url}\n${rig.fileUrl}`,
  ...extra,
});

describe("push action (dist/push)", () => {
  it("publishes to the registry, S3 and a folder: outputs, a summary row per target, exit 0", async () => {
    const cwd = await workspace();
    const slug = uniqueSlug("push");
    const { main, post } = await job(rig, "push", pushInputs(slug), { cwd, github: { sha: "c0ffee00" } });
    expect(main.code, describeRun(main)).toBe(0);
    expect(post.code, describeRun(post)).toBe(0);

    // Outputs: the digest is the archive's identity on every target.
    expect(main.outputs.slug).toBe(slug);
    expect(main.outputs.tag).toBe("c0ffee00"); // tag defaults to the commit SHA
    expect(main.outputs.version).toBe(LAST_VERSION);
    expect(main.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // url, as atlas-action's: the registry's link to the pushed state.
    expect(main.outputs.url).toMatch(/^https:\/\/testkit\.atlasgo\.cloud\/dirs\/.+\/tags\/c0ffee00$/);
    expect(main.outputs.link).toBe(main.outputs.url);
    // Every output action-push.yml declares is set.
    const declared = Object.keys((await readActionMetadata(join(rig.root, "action-push.yml"))).outputs);
    expect(Object.keys(main.outputs).sort()).toEqual(declared.sort());
    const targets = JSON.parse(main.outputs.targets!) as { url: string; kind: string; ok: boolean }[];
    expect(targets.map((t) => [t.kind, t.ok])).toEqual([
      ["cloud", true],
      ["s3", true],
      ["file", true],
    ]);
    const manifest = JSON.parse(await readFile(join(rig.fileRoot, slug, "tags", "latest.json"), "utf8"));
    expect(manifest.digest).toBe(main.outputs.digest);
    expect(manifest.version).toBe(LAST_VERSION);
    expect(manifest.source).toMatchObject({ commit: "c0ffee00", ref: "refs/heads/main" });
    expect(rig.registry.find(slug, { tag: "c0ffee00" })).toBeDefined();

    // Summary: a Target | Kind | Result | Time | Detail table, one row per target.
    const rows = summaryRows(main.summary);
    expect(rows[0]).toEqual(["Target", "Kind", "Result", "Time", "Detail"]);
    const body = rows.slice(1);
    expect(body).toHaveLength(3);
    expect(body.map((r) => [r[1], r[2]])).toEqual([
      ["registry", "ok"],
      ["backup (s3)", "ok"],
      ["backup (file)", "ok"],
    ]);
    expect(body[2]![0]).toBe(rig.fileUrl);
    expect(annotations(main, "warning")).toEqual([]);
    expect(annotations(main, "error")).toEqual([]);
  });

  it("a failed backup is a warning: push still succeeds and the summary says which failed", async () => {
    const cwd = await workspace();
    const slug = uniqueSlug("warn");
    const blocked = join(await tempDir("blocked"), "a-file");
    await writeFile(blocked, "a file where a folder should be");
    const { main } = await job(
      rig,
      "push",
      pushInputs(slug, { backups: `${rig.s3Url}\nfile://${blocked}`, timeout: "10s" }),
      { cwd },
    );
    expect(main.code, describeRun(main)).toBe(0);
    const targets = JSON.parse(main.outputs.targets!) as { url: string; ok: boolean; error?: string }[];
    expect(targets.map((t) => t.ok)).toEqual([true, true, false]);
    expect(targets[2]!.error).toBeTruthy();
    const warnings = annotations(main, "warning");
    expect(warnings.some((w) => w.includes(blocked))).toBe(true);
    expect(annotations(main, "error")).toEqual([]);
    const rows = summaryRows(main.summary).slice(1);
    expect(rows.map((r) => r[2])).toEqual(["ok", "ok", "failed"]);
    // The failed target's annotation has a title; the target lines sit in one log group.
    const titled = main.commands.find((c) => c.command === "warning" && c.message.includes(blocked));
    expect(titled?.properties.title).toBe("migrate-relay push: backup (file) failed");
    const groups = main.commands.filter((c) => c.command === "group").map((c) => c.message);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatch(new RegExp(`^Pushing ${slug}:\\S+ to 3 targets \\(timeout 10\\.0 s each\\)$`));
    expect(main.commands.filter((c) => c.command === "endgroup")).toHaveLength(1);
    expect(main.summary).toContain("⚠️");
  });

  it("exits 1 when no target took the push (bring-your-own primary and backup both broken)", async () => {
    const cwd = await workspace();
    const slug = uniqueSlug("allfail");
    const root = await tempDir("blocked");
    await writeFile(join(root, "primary"), "not a dir");
    await writeFile(join(root, "backup"), "not a dir");
    const { main, post } = await job(
      rig,
      "push",
      {
        "dir-name": slug,
        "repo-url": `file://${root}/primary`,
        backups: `file://${root}/backup`,
        timeout: "5s",
      },
      { cwd },
    );
    expect(main.code, describeRun(main)).toBe(1);
    expect(post.code).toBe(0);
    const errors = annotations(main, "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/no target took the push|failed/);
    expect(main.commands.find((c) => c.command === "error")?.properties.title).toBe(
      "migrate-relay push failed",
    );
    const rows = summaryRows(main.summary).slice(1);
    expect(rows.map((r) => r[2])).toEqual(["failed", "failed"]);
    expect(main.summary).toContain("❌");
    // No registry in play: no grant, no cache traffic.
    expect(rig.cache.requests.filter((r) => r.key?.includes(slug))).toEqual([]);
  });

  it("records a grant and saves it to the cache in post; a later job restores it with the registry down", async () => {
    const { registry, cache } = rig;
    const tokenKey = `migrate-relay-grant-linux-${tokenSha256(registry.token)}-`;
    const before = cache.entries().length;
    const first = await job(rig, "push", pushInputs(uniqueSlug("grant")), {
      cwd: await workspace(),
      github: { runId: "7001", runAttempt: "2" },
    });
    expect(first.main.code, describeRun(first.main)).toBe(0);
    expect(first.post.code, describeRun(first.post)).toBe(0);
    const saved = cache.entries().slice(before);
    expect(saved.map((e) => [e.key, e.finalized])).toEqual([[`${tokenKey}7001-2`, true]]);
    expect(first.post.stdout).toContain(`License grant cache saved (${tokenKey}7001-2)`);
    // What was cached: one grant file for this token and registry, never the token itself.
    const cached = await cacheEntryFiles(saved[0]!);
    const grants = Object.entries(cached).filter(([name]) => name.endsWith(".json"));
    expect(grants).toHaveLength(1);
    const grant = JSON.parse(grants[0]![1]);
    expect(grant.tokenSha256).toBe(tokenSha256(registry.token));
    const ttl = Date.parse(grant.expiresAt) - Date.parse(grant.verifiedAt);
    expect(ttl).toBe(168 * 3600 * 1000); // grant-ttl's default, 168h
    expect(Object.values(cached).join("\n")).not.toContain(registry.token);

    // Second job: a fresh runner (new RUNNER_TEMP and HOME), the registry refusing connections.
    await registry.setFault("refuse");
    try {
      const slug = uniqueSlug("grant2");
      const second = await job(rig, "push", pushInputs(slug), {
        cwd: await workspace(),
        github: { runId: "7002" },
      });
      expect(second.main.code, describeRun(second.main)).toBe(0);
      expect(second.main.stdout).toContain(`License grant cache restored (${tokenKey}7001-2)`);
      const targets = JSON.parse(second.main.outputs.targets!) as { kind: string; ok: boolean }[];
      expect(targets.map((t) => [t.kind, t.ok])).toEqual([
        ["cloud", false],
        ["s3", true],
        ["file", true],
      ]);
      const manifest = JSON.parse(await readFile(join(rig.fileRoot, slug, "tags", "latest.json"), "utf8"));
      expect(manifest.digest).toBe(second.main.outputs.digest);
    } finally {
      await registry.setFault("none");
    }
  });

  it("an expired grant (grant-ttl 1s) does not let the next job through the backups", async () => {
    const { registry } = rig;
    // A token of its own, so that no other test's grant is restored.
    const token = `atlas_ttl_${process.pid}_token`;
    const ttlRegistry = await startRegistry({ token });
    try {
      const inputs = (slug: string) => ({
        ...pushInputs(slug),
        "cloud-url": ttlRegistry.url,
        "cloud-token": token,
        "grant-ttl": "1s",
      });
      const first = await job(rig, "push", inputs(uniqueSlug("ttl")), { cwd: await workspace() });
      expect(first.main.code, describeRun(first.main)).toBe(0);
      const entry = rig.cache.entries().find((e) => e.key.includes(tokenSha256(token)));
      expect(entry?.finalized).toBe(true);
      await new Promise((r) => setTimeout(r, 1_200));
      await ttlRegistry.setFault("refuse");
      const slug = uniqueSlug("ttl2");
      const second = await job(rig, "push", inputs(slug), { cwd: await workspace() });
      expect(second.main.stdout).toContain("License grant cache restored");
      expect(second.main.code, describeRun(second.main)).toBe(1);
      expect(annotations(second.main, "error").join("\n")).toMatch(/expired/i);
      await expect(readFile(join(rig.fileRoot, slug, "tags", "latest.json"))).rejects.toThrow(/ENOENT/);
    } finally {
      await ttlRegistry.stop();
      expect(registry.fault).toBe("none");
    }
  });

  it("with no cached grant and the registry down, fails with a message that says why", async () => {
    const { registry } = rig;
    await registry.setFault("refuse");
    try {
      const slug = uniqueSlug("nogrant");
      const { main } = await job(
        rig,
        "push",
        pushInputs(slug, { "cloud-token": "atlas_never_verified_token" }),
        {
          cwd: await workspace(),
        },
      );
      expect(main.code, describeRun(main)).toBe(1);
      const errors = annotations(main, "error").join("\n");
      expect(errors).toMatch(/grant/i);
      // The hint names the action's inputs and cache, not the CLI's flags.
      expect(errors).toContain('input "grant-ttl"');
      expect(errors).not.toMatch(/--[a-z]|actions\/cache of/);
      expect(main.stdout).toContain("License grant cache: none yet for this token");
      // Nothing reached the backups without a grant.
      await expect(readFile(join(rig.fileRoot, slug, "tags", "latest.json"))).rejects.toThrow(/ENOENT/);
    } finally {
      await registry.setFault("none");
    }
  });

  it("a cache service that refuses connections is a warning only: the job still succeeds", async () => {
    const { cache } = rig;
    const started = new Date();
    await cache.setFault("refuse");
    try {
      const { main, post } = await job(rig, "push", pushInputs(uniqueSlug("nocache")), {
        cwd: await workspace(),
      });
      expect(main.code, describeRun(main)).toBe(0);
      expect(post.code, describeRun(post)).toBe(0);
      expect(annotations(main, "warning").join("\n")).toMatch(/Failed to restore: .*ECONNREFUSED/);
      // The client logs the failed save at info level ("Failed to save: ..."); the action says so too.
      expect(post.stdout).toMatch(/license grant cache (was not saved|could not be saved)/i);
      expect(rig.cache.entries().some((e) => e.createdAt >= started)).toBe(false);
      expect(main.outputs.digest).toMatch(/^sha256:/);
      expect(annotations(main, "error")).toEqual([]);
      expect(annotations(post, "error")).toEqual([]);
    } finally {
      await cache.setFault("none");
    }
  });

  it("never shows the cloud token or the AWS secret (masked with ::add-mask:: only)", async () => {
    const cwd = await workspace(FILES);
    const { main, post } = await job(rig, "push", pushInputs(uniqueSlug("secret")), { cwd });
    expect(main.code, describeRun(main)).toBe(0);
    expect(main.masks).toContain(rig.registry.token);
    const awsSecret = process.env.AWS_SECRET_ACCESS_KEY!;
    expect(main.masks).toContain(awsSecret);
    await expectNoSecrets([main, post], [rig.registry.token, awsSecret]);
  });
});
