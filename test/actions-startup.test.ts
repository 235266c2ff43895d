// What each step loads at start-up (docs/architecture.md, "Start-up"), checked without timing anything:
// the steps run from a copy of dist/ with the chunks they must not need deleted, so loading one fails
// the step (ERR_MODULE_NOT_FOUND). Timings are bench/startup.bench.ts's business.
import { existsSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { runAction } from "@migrate-relay/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAST_VERSION, snapshotDist, tempDir, uniqueSlug, workspace } from "./actions-helpers";

const roots: string[] = [];

/** A fresh copy of dist/ (snapshotDist). */
async function copy(): Promise<string> {
  const root = await snapshotDist();
  roots.push(root);
  return root;
}

/** Deletes every chunk of the copy but `keep` (names in dist/chunks/, without .js). */
async function keepOnly(root: string, keep: string[]): Promise<string[]> {
  const dir = join(root, "dist", "chunks");
  const removed: string[] = [];
  for (const file of await readdir(dir)) {
    if (keep.includes(file.replace(/\.js$/, ""))) continue;
    await rm(join(dir, file));
    removed.push(file);
  }
  return removed;
}

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

describe("start-up: each step loads only what it needs", () => {
  it("the chunks have stable names, not webpack's numbers", async () => {
    const root = await copy();
    const files = await readdir(join(root, "dist", "chunks"));
    for (const name of ["push-post", "apply-post", "actions-main", "actions-cache", "cli"]) {
      expect(files).toContain(`${name}.js`);
    }
    expect(files.filter((f) => /^\d+\./.test(f))).toEqual([]);
    expect((await readdir(join(root, "dist"))).filter((f) => f.endsWith(".index.js"))).toEqual([]);
  });

  describe("main without a registry token or a cloud URL", () => {
    let root: string;
    beforeAll(async () => {
      root = await copy();
      // The cache client (and its Azure SDK), the cloud SDKs, the CLI and the post steps are gone.
      const removed = await keepOnly(root, ["actions-main", "shared-core", "shared-pg"]);
      expect(removed).toContain("actions-cache.js");
      expect(removed).toContain("shared-azure-storage-blob.js");
    });

    it("push to a file:// primary loads neither the cache client nor a cloud SDK", async () => {
      const cwd = await workspace();
      const store = await tempDir("startup-store");
      const run = await runAction({
        action: "push",
        phase: "main",
        root,
        cwd,
        inputs: { "dir-name": uniqueSlug(), "repo-url": `file://${store}`, tag: "t1" },
      });
      expect(run.stderr).not.toContain("ERR_MODULE_NOT_FOUND");
      expect(run.code).toBe(0);
      expect(run.outputs.version).toBe(LAST_VERSION);
      expect(run.state).toEqual({});
    });

    it("a bad input fails with its message, nothing else loaded", async () => {
      const run = await runAction({
        action: "push",
        phase: "main",
        root,
        cwd: await workspace(),
        inputs: { dir: "atlas://app" },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).not.toContain("ERR_MODULE_NOT_FOUND");
      expect(run.commands.find((c) => c.command === "error")?.message).toContain("registry URL");
    });
  });

  describe("post with nothing to save", () => {
    let root: string;
    beforeAll(async () => {
      root = await copy();
      await keepOnly(root, ["push-post", "apply-post"]);
      expect(existsSync(join(root, "dist", "chunks", "shared-core.js"))).toBe(false);
    });

    for (const action of ["push", "apply"] as const) {
      it(`${action}: main did not use the cache: silent, nothing loaded`, async () => {
        const run = await runAction({ action, phase: "post", root, cwd: await tempDir("post") });
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        expect(run.stdout).toBe("");
      });

      it(`${action}: the grant did not change: one line, nothing loaded`, async () => {
        const run = await runAction({
          action,
          phase: "post",
          root,
          cwd: await tempDir("post"),
          state: {
            "grant-cache": "true",
            "grant-dir": "/nonexistent",
            "grant-key": "k",
            "grant-changed": "false",
          },
        });
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        expect(run.stdout.trim()).toBe("License grant unchanged: the cache is not saved again");
      });
    }

    it("a grant that changed needs the cache client: without its chunk the step fails", async () => {
      const run = await runAction({
        action: "push",
        phase: "post",
        root,
        cwd: await tempDir("post"),
        state: {
          "grant-cache": "true",
          "grant-dir": await tempDir("grants"),
          "grant-key": "k",
          "grant-changed": "true",
        },
      });
      // The probe works: this is how loading a deleted chunk shows.
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/ERR_MODULE_NOT_FOUND|Cannot find module/);
    });
  });
});
