import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RegistryEmulator, startRegistry } from "./registry";

const DIR_STATE = "query dirState($input: DirStateInput!) { dirState(input: $input) { content } }";
const PUSH_DIR = "mutation pushDir($input: PushDirInput!) { pushDir(input: $input) { url } }";
const DIFF_SYNC_DIR =
  "mutation diffSyncDir($input: DiffSyncDirInput!) { diffSyncDir(input: $input) { url } }";
const REPORT_MIGRATION =
  "mutation ReportMigration($input: ReportMigrationInput!) { reportMigration(input: $input) { url } }";

/** A minimal tar: 512-byte headers with name and octal size, data padded to 512 (enough for the emulator). */
function tar(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const header = Buffer.alloc(512);
    header.write(name, 0, "utf8");
    header.write(`${Buffer.byteLength(content).toString(8).padStart(11, "0")}\0`, 124, "ascii");
    header.write("ustar\u000000", 257, "ascii");
    const data = Buffer.alloc(Math.ceil(Buffer.byteLength(content) / 512) * 512);
    data.write(content);
    blocks.push(header, data);
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const archiveV1 = tar({ "atlas.sum": "h1:one\n", "1_init.sql": "create table a (x int);\n" });
const archiveV2 = tar({
  "atlas.sum": "h1:two\n",
  "1_init.sql": "create table a (x int);\n",
  "2_more.sql": "create table b (x int);\n",
});

let registry: RegistryEmulator | undefined;
afterEach(async () => {
  await registry?.stop();
  registry = undefined;
});

async function call(
  r: RegistryEmulator,
  query: string,
  input: unknown,
  token = r.token,
  signal?: AbortSignal,
) {
  const res = await fetch(r.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables: { input } }),
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  let json:
    | { data?: Record<string, { content?: string; url?: string }> | null; errors?: unknown[] }
    | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

const push = (r: RegistryEmulator, slug: string, tag: string | undefined, archive: Buffer) =>
  call(r, PUSH_DIR, { slug, ...(tag ? { tag } : {}), driver: "POSTGRESQL", dir: archive.toString("base64") });

const sync = (r: RegistryEmulator, slug: string, archive: Buffer) =>
  call(r, DIFF_SYNC_DIR, {
    slug,
    driver: "POSTGRESQL",
    dir: archive.toString("base64"),
    add: archive.toString("base64"),
    delete: [],
    context: { scmType: "GITHUB", repo: "o/r" },
  });

const read = (r: RegistryEmulator, input: { slug?: string; tag?: string; version?: string }) =>
  call(r, DIR_STATE, input);

const contentOf = (answer: Awaited<ReturnType<typeof call>>) =>
  Buffer.from(answer.json?.data?.dirState?.content ?? "", "base64");

describe("registry emulator", () => {
  it("stores tags with pushDir and moves latest only with diffSyncDir, as Atlas Cloud", async () => {
    registry = await startRegistry({ org: "acme" });
    const first = await push(registry, "app", "v1", archiveV1);
    expect(first.status).toBe(200);
    expect(first.json?.data?.pushDir?.url).toMatch(/^https:\/\/acme\.atlasgo\.cloud\/dirs\/\d+\/tags\/v1$/);
    // A tagged push does not move latest: there is none yet.
    expect((await read(registry, { slug: "app" })).json?.errors).toMatchObject([
      { extensions: { code: "NOT_FOUND" } },
    ]);
    const synced = await sync(registry, "app", archiveV1);
    expect(synced.json?.data?.diffSyncDir?.url).toMatch(/^https:\/\/acme\.atlasgo\.cloud\/dirs\/\d+$/);
    await push(registry, "app", "v2", archiveV2);

    expect(contentOf(await read(registry, { slug: "app", tag: "v1" })).equals(archiveV1)).toBe(true);
    expect(contentOf(await read(registry, { slug: "app" })).equals(archiveV1)).toBe(true);
    expect(contentOf(await read(registry, { slug: "app", tag: "v2" })).equals(archiveV2)).toBe(true);
    await sync(registry, "app", archiveV2);
    expect(contentOf(await read(registry, { slug: "app" })).equals(archiveV2)).toBe(true);
    expect(registry.states("app").map((s) => [s.tag, s.version])).toEqual([
      ["v1", "1"],
      [undefined, "1"],
      ["v2", "2"],
      [undefined, "2"],
    ]);
    // Every operation is recorded with its input, archives as digests.
    expect(registry.requests.map((r) => r.operation)).toEqual([
      "pushDir",
      "dirState",
      "diffSyncDir",
      "pushDir",
      "dirState",
      "dirState",
      "dirState",
      "diffSyncDir",
      "dirState",
    ]);
    expect(registry.requests[2]?.input).toEqual({
      slug: "app",
      driver: "POSTGRESQL",
      dir: registry.find("app", { tag: "v1" })?.digest,
      add: registry.find("app", { tag: "v1" })?.digest,
      delete: [],
      context: { scmType: "GITHUB", repo: "o/r" },
    });
  });

  it("refuses input fields Atlas's input types lack, as a GraphQL server does (422)", async () => {
    registry = await startRegistry();
    await registry.seed({ slug: "app", content: archiveV1 });
    const answer = await read(registry, { slug: "app", version: "1" });
    expect(answer.status).toBe(422);
    expect(answer.json?.errors).toMatchObject([
      { message: 'unknown field "version" in input', extensions: { code: "GRAPHQL_VALIDATION_FAILED" } },
    ]);
  });

  it("stores deployment reports and answers their URL", async () => {
    registry = await startRegistry({ org: "acme" });
    const input = { projectName: "default", envName: "prod", dirName: "app", files: [] };
    const answer = await call(registry, REPORT_MIGRATION, input);
    expect(answer.json?.data?.reportMigration?.url).toBe("https://acme.atlasgo.cloud/deployments/1");
    expect(registry.reports).toEqual([
      { operation: "reportMigration", input, url: "https://acme.atlasgo.cloud/deployments/1" },
    ]);
  });

  it("answers a missing slug or tag with a NOT_FOUND GraphQL error", async () => {
    registry = await startRegistry();
    await push(registry, "app", "v1", archiveV1);
    for (const input of [{ slug: "nope" }, { slug: "app", tag: "v9" }]) {
      const answer = await read(registry, input);
      expect(answer.status).toBe(200);
      expect(answer.json?.errors).toEqual([
        { message: "not found", path: ["dirState"], extensions: { code: "NOT_FOUND" } },
      ]);
    }
  });

  it("refuses a missing or wrong bearer token with 401 and a JSON errors body", async () => {
    registry = await startRegistry({ token: "right" });
    const answer = await call(registry, DIR_STATE, { slug: "app" }, "wrong");
    expect(answer.status).toBe(401);
    expect(answer.json?.errors).toEqual([
      { message: "unauthorized", extensions: { code: "UNAUTHENTICATED" } },
    ]);
  });

  it("answers status faults, for a limited number of requests when asked", async () => {
    registry = await startRegistry();
    await registry.setFault(500, { times: 2 });
    expect((await read(registry, { slug: "app" })).status).toBe(500);
    expect((await read(registry, { slug: "app" })).status).toBe(500);
    expect((await read(registry, { slug: "app" })).status).toBe(200);
    await registry.setFault(429);
    const limited = await read(registry, { slug: "app" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    await registry.setFault(401);
    expect((await read(registry, { slug: "app" })).status).toBe(401);
    expect(registry.requests.map((r) => r.status)).toEqual([500, 500, 200, 429, 401]);
  });

  it("refuses connections, then listens again on the same port", async () => {
    registry = await startRegistry();
    await registry.setFault("refuse");
    const error = await read(registry, { slug: "app" }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error & { cause?: { code?: string } }).cause?.code)).toBe("ECONNREFUSED");
    await registry.setFault("none");
    expect((await read(registry, { slug: "app" })).status).toBe(200);
  });

  it("black-holes requests: accepted, never answered", async () => {
    registry = await startRegistry();
    await registry.setFault("blackhole");
    const error = await call(
      registry,
      DIR_STATE,
      { slug: "app" },
      registry.token,
      AbortSignal.timeout(300),
    ).catch((e: Error) => e);
    expect((error as Error).name).toBe("TimeoutError");
    expect(registry.requests.at(-1)?.status).toBe("blackhole");
  });

  it("answers slowly but correctly with a slow fault", async () => {
    registry = await startRegistry();
    await registry.seed({ slug: "app", tag: "v1", content: archiveV1 });
    await registry.setFault({ slowMs: 50 });
    const answer = await read(registry, { slug: "app", tag: "v1" });
    expect(contentOf(answer).equals(archiveV1)).toBe(true);
    expect(registry.requests.at(-1)?.fault).toBe("slow 50ms");
  });

  it("serves corrupted and truncated content", async () => {
    registry = await startRegistry();
    await registry.seed({ slug: "app", tag: "v1", content: archiveV1 });
    await registry.setFault("corrupt");
    const corrupt = contentOf(await read(registry, { slug: "app", tag: "v1" }));
    expect(corrupt.length).toBe(archiveV1.length);
    expect(corrupt.equals(archiveV1)).toBe(false);
    expect(corrupt[512]).toBe(archiveV1[512]! ^ 0xff);
    await registry.setFault("truncate");
    expect(contentOf(await read(registry, { slug: "app", tag: "v1" })).length).toBe(archiveV1.length / 2);
    expect(registry.find("app", { tag: "v1" })?.content.equals(archiveV1)).toBe(true);
  });

  it("rejects unknown operations and a missing slug", async () => {
    registry = await startRegistry();
    const unknown = await call(registry, "query other($input: X!) { other(input: $input) { id } }", {
      slug: "a",
    });
    expect(unknown.status).toBe(422);
    const noSlug = await read(registry, {});
    expect(noSlug.status).toBe(200);
    expect(JSON.stringify(noSlug.json?.errors)).toContain("BAD_REQUEST");
  });

  it("keeps states on disk for the next emulator", async () => {
    const directory = await mkdtemp(join(tmpdir(), "registry-test-"));
    try {
      const first = await startRegistry({ directory, token: "t" });
      await push(first, "app", "v1", archiveV1);
      await push(first, "app", "v2", archiveV2);
      await sync(first, "app", archiveV2);
      await first.stop();
      registry = await startRegistry({ directory, token: "t" });
      expect(contentOf(await read(registry, { slug: "app", tag: "v1" })).equals(archiveV1)).toBe(true);
      expect(contentOf(await read(registry, { slug: "app" })).equals(archiveV2)).toBe(true);
      const again = await push(registry, "app", "v3", archiveV1);
      expect(again.json?.data?.pushDir?.url).toMatch(/\/dirs\/1\/tags\/v3$/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
