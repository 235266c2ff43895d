// The loopback GitHub cache server against the real `@actions/cache` 6 client (v2 twirp protocol,
// uploads and downloads through its own HTTP stack and the Azure Blob SDK). The client reads
// process.env at call time (service version, results URL, runtime token, RUNNER_TEMP,
// GITHUB_WORKSPACE), so each call runs with the server's env set and restored afterwards.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as cache from "@actions/cache";
import { BlockBlobClient } from "@azure/storage-blob";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type GitHubCacheServer, startGitHubCache } from "./github-cache";

let server: GitHubCacheServer;
let root: string;
let dir: string;

beforeEach(async () => {
  server = await startGitHubCache();
  root = await mkdtemp(join(tmpdir(), "testkit-gh-cache-"));
  dir = join(root, "grants");
  await mkdir(join(root, "temp"));
  await mkdir(dir);
});
afterEach(async () => {
  await server.stop();
  await rm(root, { recursive: true, force: true });
});

/** Runs `fn` with the server's env (and a runner's temp/workspace) set; captures what it logs. */
async function withCacheEnv<T>(
  fn: () => Promise<T>,
  overrides: Record<string, string> = {},
): Promise<{ value: T; log: string }> {
  const env: Record<string, string> = {
    ...server.env,
    RUNNER_TEMP: join(root, "temp"),
    GITHUB_WORKSPACE: root,
    ...overrides,
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    return { value: await fn(), log: lines.join("") };
  } finally {
    spy.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function writeFiles(files: Record<string, string>) {
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
}

async function readFiles(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(join(dir, name), "utf8");
  return out;
}

async function emptyDir() {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
}

const files = { "a.json": '{"grant":1}\n', "b.json": '{"grant":2}\n', "c.txt": "x".repeat(5000) };

describe("startGitHubCache with the real @actions/cache client", () => {
  it("saves a directory and restores it by exact key into an emptied directory", async () => {
    await writeFiles(files);
    const saved = await withCacheEnv(() => cache.saveCache([dir], "grant-linux-abc-1-1"));
    expect(saved.value).toBeGreaterThan(0);
    const [entry] = server.entries();
    expect(entry).toMatchObject({ id: saved.value, key: "grant-linux-abc-1-1", finalized: true });
    expect(entry!.size).toBe(entry!.content.length);
    expect(entry!.version).toMatch(/^[0-9a-f]{64}$/);
    expect(server.requests.map((r) => `${r.call} ${r.status}`)).toEqual([
      "CreateCacheEntry 200",
      "PutBlob 201",
      "FinalizeCacheEntryUpload 200",
    ]);

    await emptyDir();
    expect(await readFiles()).toEqual({});
    const restored = await withCacheEnv(() => cache.restoreCache([dir], "grant-linux-abc-1-1"));
    expect(restored.value).toBe("grant-linux-abc-1-1");
    expect(restored.log).toContain("Cache hit for: grant-linux-abc-1-1");
    expect(await readFiles()).toEqual(files);
    expect(server.requests.slice(3).map((r) => `${r.call} ${r.status}`)).toEqual([
      "GetCacheEntryDownloadURL 200",
      "GetBlob 200",
    ]);
  });

  it("restores by prefix the newest entry whose key starts with a restore key", async () => {
    await writeFiles({ "g.json": "first" });
    await withCacheEnv(() => cache.saveCache([dir], "grant-linux-abc-100-1"));
    await new Promise((r) => setTimeout(r, 5));
    await writeFiles({ "g.json": "second" });
    await withCacheEnv(() => cache.saveCache([dir], "grant-linux-abc-101-1"));
    // Another token's entry is newer but does not match the prefix.
    await writeFiles({ "g.json": "other token" });
    await withCacheEnv(() => cache.saveCache([dir], "grant-linux-zzz-102-1"));
    expect(server.entries().map((e) => e.key)).toEqual([
      "grant-linux-abc-100-1",
      "grant-linux-abc-101-1",
      "grant-linux-zzz-102-1",
    ]);

    await emptyDir();
    const restored = await withCacheEnv(() =>
      cache.restoreCache([dir], "grant-linux-abc-200-1", ["grant-linux-abc-"]),
    );
    expect(restored.value).toBe("grant-linux-abc-101-1");
    expect(restored.log).toContain("Cache hit for restore-key: grant-linux-abc-101-1");
    expect(await readFiles()).toEqual({ "g.json": "second" });
  });

  it("answers a miss with ok:false (unknown key, or the same key for other paths)", async () => {
    await writeFiles(files);
    await withCacheEnv(() => cache.saveCache([dir], "k-1"));
    await emptyDir();
    const miss = await withCacheEnv(() => cache.restoreCache([dir], "nothing-here", ["nope-"]));
    expect(miss.value).toBeUndefined();
    expect(miss.log).not.toContain("::warning::");
    // The version covers the paths: the same key saved for another directory is not a hit.
    const otherPaths = await withCacheEnv(() => cache.restoreCache([join(root, "elsewhere")], "k-1"));
    expect(otherPaths.value).toBeUndefined();
    expect(await readFiles()).toEqual({});
    const downloads = server.requests.filter((r) => r.call === "GetBlob");
    expect(downloads).toEqual([]);
  });

  it("refuses connections: restore warns and returns undefined, save logs and returns -1", async () => {
    await writeFiles(files);
    await withCacheEnv(() => cache.saveCache([dir], "k-1"));
    await server.setFault("refuse");
    const started = Date.now();
    const restored = await withCacheEnv(() => cache.restoreCache([dir], "k-1"));
    expect(restored.value).toBeUndefined();
    expect(restored.log).toMatch(/::warning::Failed to restore: .*ECONNREFUSED/);
    const saved = await withCacheEnv(() => cache.saveCache([dir], "k-2"));
    expect(saved.value).toBe(-1);
    expect(saved.log).toContain("Failed to save: Unable to reserve cache with key k-2");
    expect(Date.now() - started).toBeLessThan(5_000); // ECONNREFUSED is not retried

    await server.setFault("none");
    await emptyDir();
    expect((await withCacheEnv(() => cache.restoreCache([dir], "k-1"))).value).toBe("k-1");
    expect(await readFiles()).toEqual(files);
  });

  it("answers 4xx twirp errors that the client does not retry", async () => {
    await writeFiles(files);
    await withCacheEnv(() => cache.saveCache([dir], "k-1"));
    await server.setFault(403, { times: 1 });
    const denied = await withCacheEnv(() => cache.restoreCache([dir], "k-1"));
    expect(denied.value).toBeUndefined();
    expect(denied.log).toMatch(/::warning::Failed to restore: .*\(403\)/);
    expect(server.requests.filter((r) => r.fault)).toHaveLength(1);
    expect(server.fault).toBe("none");

    // A second save under the same key: the service answers 409 already_exists.
    const again = await withCacheEnv(() => cache.saveCache([dir], "k-1"));
    expect(again.value).toBe(-1);
    expect(server.requests.at(-1)).toMatchObject({ call: "CreateCacheEntry", status: 409 });

    // A wrong runtime token is a 401: a warning and a miss, like any 4xx.
    const badToken = await withCacheEnv(() => cache.restoreCache([dir], "k-1"), {
      ACTIONS_RUNTIME_TOKEN: "wrong",
    });
    expect(badToken.value).toBeUndefined();
    expect(badToken.log).toMatch(/::warning::Failed to restore: .*\(401\)/);
    expect(server.requests.at(-1)).toMatchObject({ call: "GetCacheEntryDownloadURL", status: 401 });
  });

  it("takes staged blocks (Put Block + Put Block List) and serves ranged GETs to the Azure SDK", async () => {
    const twirp = async (method: string, body: unknown) => {
      const res = await fetch(`${server.url}/twirp/github.actions.results.api.v1.CacheService/${method}`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, string | boolean> };
    };
    const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    const created = await twirp("CreateCacheEntry", { key: "big", version: "v1" });
    expect(created.body.ok).toBe(true);
    const uploadUrl = String(created.body.signed_upload_url);
    expect(new URL(uploadUrl).pathname.split("/").filter(Boolean)).toHaveLength(3);

    const uploader = new BlockBlobClient(uploadUrl);
    await uploader.uploadData(data, { blockSize: 64 * 1024, maxSingleShotSize: 100_000, concurrency: 3 });
    const calls = server.requests.map((r) => r.call);
    expect(calls.filter((c) => c === "PutBlock")).toHaveLength(5);
    expect(calls.filter((c) => c === "PutBlockList")).toHaveLength(1);
    expect(calls).not.toContain("PutBlob");

    // Not downloadable before it is finalized; finalize checks the size.
    expect((await twirp("GetCacheEntryDownloadURL", { key: "big", version: "v1" })).body.ok).toBe(false);
    expect(
      (await twirp("FinalizeCacheEntryUpload", { key: "big", version: "v1", size_bytes: "1" })).body.ok,
    ).toBe(false);
    const done = await twirp("FinalizeCacheEntryUpload", {
      key: "big",
      version: "v1",
      size_bytes: `${data.length}`,
    });
    expect(done.body).toEqual({ ok: true, entry_id: String(server.entries()[0]!.id) });

    const found = await twirp("GetCacheEntryDownloadURL", { key: "big", version: "v1" });
    expect(found.body).toMatchObject({ ok: true, matched_key: "big" });
    const downloadUrl = String(found.body.signed_download_url);
    const downloader = new BlockBlobClient(downloadUrl);
    const buffer = await downloader.downloadToBuffer(0, undefined, { blockSize: 70_000, concurrency: 2 });
    expect(Buffer.compare(buffer, data)).toBe(0);
    expect(
      server.requests.filter((r) => r.call === "GetBlob" && r.status === 206).length,
    ).toBeGreaterThanOrEqual(5);
    const ranged = await fetch(downloadUrl, { headers: { range: "bytes=10-19" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 10-19/${data.length}`);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(data.subarray(10, 20));

    // A URL without the signature, or a tampered one, is refused as Azure does.
    const unsigned = new URL(downloadUrl);
    unsigned.searchParams.set("sig", "forged");
    expect((await fetch(unsigned)).status).toBe(403);
  });
});
