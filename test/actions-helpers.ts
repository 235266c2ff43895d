// Shared set-up for the actions' end-to-end tests: they run the BUILT bundle (dist/, `npm run build`
// first) through the runner-contract harness, against real loopback services: the registry emulator
// (a test double), s3rver (global setup), a temp-folder backup, PostgreSQL and the GitHub cache server.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { writeDir } from "@migrate-relay/core";
import {
  type ActionName,
  type ActionRun,
  type GitHubCacheServer,
  type JobRun,
  memDir,
  REPO_ROOT,
  type RegistryEmulator,
  type RunActionOptions,
  runActionJob,
  startGitHubCache,
  startRegistry,
  testBucket,
  withoutMaskCommands,
} from "@migrate-relay/testkit";
import { expect } from "vitest";

/**
 * A copy of the built actions (dist/ and action-*.yml) to run from: `npm run build` deletes and
 * rewrites dist/, and another engineer's rebuild in the middle of a test would otherwise fail it (or
 * run main from one build and post from another). Fails early when the bundle is missing.
 */
export async function snapshotDist(): Promise<string> {
  const root = await tempDir("dist");
  for (const action of ["push", "apply"]) {
    for (const phase of ["main", "post"]) {
      const file = join(REPO_ROOT, "dist", action, `${phase}.js`);
      if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
    }
    await cp(join(REPO_ROOT, `action-${action}.yml`), join(root, `action-${action}.yml`));
  }
  await cp(join(REPO_ROOT, "dist"), join(root, "dist"), { recursive: true });
  return root;
}

export const tempDir = (label: string) => mkdtemp(join(tmpdir(), `actions-e2e-${label}-`));

let slugCounter = 0;
export const uniqueSlug = (label = "app") => `${label}-${process.pid}-${++slugCounter}`;

export const FILES = {
  "20240101000000_users.sql": "CREATE TABLE users (id int PRIMARY KEY, name text);",
  "20240102000000_orders.sql":
    "CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users(id));\nCREATE INDEX orders_user ON orders (user_id);",
};
export const LAST_VERSION = "20240102000000";

/** A workspace with `migrations/` (the files plus their atlas.sum) and optional extra files. */
export async function workspace(
  files: Record<string, string> = FILES,
  extra: Record<string, string> = {},
): Promise<string> {
  const cwd = await tempDir("ws");
  await writeDir(join(cwd, "migrations"), memDir(files));
  for (const [name, content] of Object.entries(extra)) await writeFile(join(cwd, name), content);
  return cwd;
}

/** What a workflow's `env:` gives the step for S3: the credentials global setup put in process.env. */
export function awsEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED",
  ]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  if (!env.AWS_SECRET_ACCESS_KEY)
    throw new Error("AWS credentials are not set: is test/global-setup.ts running?");
  return env;
}

export interface Rig {
  /** Where the actions run from: a snapshot of dist/ (snapshotDist). */
  root: string;
  registry: RegistryEmulator;
  cache: GitHubCacheServer;
  s3Url: string;
  bucket: string;
  fileRoot: string;
  fileUrl: string;
  stop(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const [root, registry, cache, bucket, fileRoot] = await Promise.all([
    snapshotDist(),
    startRegistry(),
    startGitHubCache(),
    testBucket(),
    tempDir("backup"),
  ]);
  return {
    root,
    registry,
    cache,
    s3Url: bucket.url,
    bucket: bucket.bucket,
    fileRoot,
    fileUrl: `file://${fileRoot}`,
    async stop() {
      await Promise.all([registry.stop(), cache.stop()]);
    },
  };
}

let runCounter = 0;

/**
 * One job with one step of the action (main, then post), on a fresh runner machine unless
 * runnerTemp/home are given. Env: the S3 credentials and the cache server's variables (as on a
 * GitHub-hosted runner), then `env`. Each job gets its own GITHUB_RUN_ID.
 */
export async function job(
  rig: Rig,
  action: ActionName,
  inputs: Record<string, string>,
  options: Omit<RunActionOptions, "action" | "phase" | "inputs" | "state"> = {},
): Promise<JobRun> {
  runCounter += 1;
  return runActionJob({
    action,
    inputs,
    timeoutMs: 90_000,
    root: rig.root,
    ...options,
    github: { runId: `${process.pid}${runCounter}`, ...options.github },
    env: { ...awsEnv(), ...rig.cache.env, ...options.env },
  });
}

/** Everything a step leaves for people and later steps to read, except the `::add-mask::` lines. */
export function visibleText(run: ActionRun): string {
  return [
    withoutMaskCommands(run.stdout),
    run.stderr,
    JSON.stringify(run.outputs),
    run.summary,
    ...Object.values(run.fileText),
  ].join("\n");
}

/** Asserts that none of `secrets` appears in anything the steps left (outside ::add-mask::). */
export async function expectNoSecrets(runs: ActionRun[], secrets: string[]): Promise<void> {
  for (const run of runs) {
    const text = visibleText(run);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(4);
      const at = text.indexOf(secret);
      expect(at, `secret leaked near: ${text.slice(Math.max(0, at - 80), at + 80)}`).toBe(-1);
    }
  }
}

/**
 * The rows of the summary's tables as arrays of cell texts (HTML `<tr>` from core.summary.addTable,
 * or Markdown `| a | b |` rows; header and separator rows included for HTML, separators dropped).
 */
export function summaryRows(summary: string): string[][] {
  const rows: string[][] = [];
  for (const tr of summary.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
    rows.push([...tr[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => stripTags(m[1]!)));
  }
  for (const line of summary.split("\n")) {
    const t = line.trim();
    if (!t.startsWith("|") || /^\|[\s:|-]+\|$/.test(t)) continue;
    const inner = t.slice(1, t.endsWith("|") && !t.endsWith("\\|") ? -1 : undefined);
    rows.push(inner.split(/(?<!\\)\|/).map(markdownCell));
  }
  return rows;
}

/** A Markdown cell as it renders: code-span backticks dropped, backslash escapes undone, tags stripped. */
const markdownCell = (cell: string) =>
  stripTags(
    cell
      .trim()
      .replace(/(?<!\\)`/g, "")
      .replace(/\\(.)/g, "$1"),
  );

export const stripTags = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .trim();

/** The summary as plain text (tags stripped), for matching lines like the fallback trail. */
export const summaryText = (summary: string) =>
  stripTags(summary.replace(/<\/(tr|p|h\d|li|div)>/g, "\n"))
    .replace(/(?<!\\)`/g, "")
    .replace(/\\([\\`*[\]|])/g, "$1");

/** Warnings and errors the step annotated. */
export const annotations = (run: ActionRun, kind: "warning" | "error") =>
  run.commands.filter((c) => c.command === kind).map((c) => c.message);

/** A short description of a run for assertion messages. */
export const describeRun = (run: ActionRun) =>
  `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}\n--- summary\n${run.summary}`;

/** The files in a cache entry's archive (what @actions/cache uploaded: tar, zstd or gzip), by base name. */
export async function cacheEntryFiles(entry: { content: Buffer }): Promise<Record<string, string>> {
  const archive = join(await tempDir("cache-entry"), "archive");
  await writeFile(archive, entry.content);
  // GNU tar detects the compression when reading. Members are relative to the workspace (`../..`),
  // which tar will not extract: read each one to stdout instead (-P: keep the name as stored).
  const tar = (...args: string[]) =>
    promisify(execFile)("tar", args, { maxBuffer: 64 * 1024 * 1024 }).then((r) => r.stdout);
  const files: Record<string, string> = {};
  for (const member of (await tar("-tf", archive)).split("\n")) {
    if (member === "" || member.endsWith("/")) continue;
    files[basename(member)] = await tar("-P", "-xOf", archive, member);
  }
  return files;
}
