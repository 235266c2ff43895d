// gs://, azureblob:// and oci:// replicas on real servers (Azurite, the distribution registry) and
// the GCS double, through the real SDKs: the blob layout and write protocol, compare-and-swap, and
// the faults the S3 tests cover (refused, hanging, corrupt, truncated, 401/403, racing pushes).
import { type ErrorKind, openReplica, openRepo, type PullError, pull, push } from "@migrate-relay/core";
import type { ProxyFault } from "@migrate-relay/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OCI_CAS_NOTE } from "../packages/core/src/replica/oci";
import { makeDir, tempDir, uniqueSlug } from "./relay-helpers";
import { azureConnection, STORE_KINDS, type Stores, startStores } from "./stores-helpers";

let stores: Stores;
beforeAll(async () => {
  stores = await startStores();
}, 60_000);
afterAll(() => stores?.stop());

describe.each(STORE_KINDS)("%s replica", (kind) => {
  it("publishes, reads back verified, moves latest only forward (a state that does not extend it goes nowhere), skips a known archive", async () => {
    const slug = uniqueSlug(kind);
    const replica = stores.open(kind, slug);
    const first = await push(makeDir(3), [replica], { repo: slug, tag: "v3" });
    expect(first.targets[0]).toMatchObject({ ok: true, kind, latestMoved: true });
    expect(first.targets[0]!.bytes).toBeGreaterThan(0);
    const read = await pull([replica]);
    expect(read).toMatchObject({ version: "000003", digest: first.digest });
    const again = await push(makeDir(3), [replica], { repo: slug, tag: "v3" });
    expect(again.targets[0]).toMatchObject({ ok: true, bytes: 0, skipped: true });
    const next = await push(makeDir(5), [replica], { repo: slug, tag: "v5" });
    expect(next.targets[0]).toMatchObject({ ok: true, latestMoved: true });
    // A state that does not extend latest is published nowhere (force would move it).
    const back = await push(makeDir(4, { salt: "x" }), [replica], { repo: slug, tag: "other" });
    expect(back.ok).toBe(false);
    expect(back.targets[0]).toMatchObject({ ok: false, errorKind: "conflict", bytes: 0 });
    expect(back.error).toMatch(/does not extend latest .*nothing was published/);
    expect((await pull([replica])).version).toBe("000005");
    expect((await pull([replica], { ref: { tag: "v3" } })).digest).toBe(first.digest);
  });
});

const FAST = { timeoutMs: 2_000, retries: 0 };

describe.each(STORE_KINDS)("%s faults", (kind) => {
  const cases: [ProxyFault, ErrorKind][] = [
    ["refuse", "unreachable"],
    ["blackhole", "unreachable"],
    [500, "unreachable"],
    ["corrupt", "integrity"],
    ["truncate", "integrity"],
  ];
  it.each(cases)("pull: %s is %s and the next replica serves", async (fault, errorKind) => {
    const slug = uniqueSlug(kind);
    const replicas = [stores.open(kind, slug), openReplica(`file://${await tempDir()}`, { repo: slug })];
    const pushed = await push(makeDir(8, { bytesPerFile: 200 }), replicas, { repo: slug });
    expect(pushed.targets.map((t) => t.ok)).toEqual([true, true]);
    await stores.proxies[kind].setFault(fault);
    try {
      const read = await pull(replicas, FAST);
      expect(read.digest).toBe(pushed.digest);
      expect(read.trail.map((a) => [a.outcome, a.errorKind])).toEqual([
        ["failed", errorKind],
        ["ok", undefined],
      ]);
    } finally {
      await stores.proxies[kind].setFault("none");
    }
  });

  it.each([401, 403])("pull: HTTP %s is unauthorized and stops the read (fail closed)", async (status) => {
    const slug = uniqueSlug(kind);
    const replicas = [stores.open(kind, slug), openReplica(`file://${await tempDir()}`, { repo: slug })];
    await push(makeDir(2), replicas, { repo: slug });
    await stores.proxies[kind].setFault(status);
    try {
      const error = (await pull(replicas, FAST).catch((e) => e)) as PullError;
      expect(error.kind).toBe("unauthorized");
      expect(error.trail).toHaveLength(1);
      expect(error.message).toMatch(new RegExp(`access denied \\(.*HTTP ${status}\\)`));
    } finally {
      await stores.proxies[kind].setFault("none");
    }
  });

  it.each([
    ["refuse", "unreachable"],
    ["blackhole", "unreachable"],
    [503, "unreachable"],
    [403, "unauthorized"],
  ] as [ProxyFault, ErrorKind][])("push: %s fails this target only (%s)", async (fault, errorKind) => {
    const slug = uniqueSlug(kind);
    const replicas = [stores.open(kind, slug), openReplica(`file://${await tempDir()}`, { repo: slug })];
    await stores.proxies[kind].setFault(fault);
    try {
      const result = await push(makeDir(2), replicas, { repo: slug, ...FAST });
      expect(result.ok).toBe(true);
      expect(result.targets.map((t) => [t.ok, t.errorKind])).toEqual([
        [false, errorKind],
        [true, undefined],
      ]);
    } finally {
      await stores.proxies[kind].setFault("none");
    }
    // Nothing a reader can follow was left half written: the next push completes the store.
    const again = await push(makeDir(2), replicas, { repo: slug });
    expect(again.targets[0]).toMatchObject({ ok: true, latestMoved: true });
    expect((await pull([replicas[0]!])).version).toBe("000002");
  });

  it("racing pushes: every state lands and latest ends on the newest", async () => {
    for (let round = 0; round < 2; round++) {
      const slug = uniqueSlug(`${kind}race`);
      const replica = stores.open(kind, slug);
      const states = [1, 2, 3, 4, 5, 6].map((n) => makeDir(n));
      const order = [...states].sort(() => Math.random() - 0.5);
      const results = await Promise.all(order.map((dir) => push(dir, [replica], { repo: slug, retries: 3 })));
      // As on S3 (relay-race.test.ts): a push whose state is older than the latest it read is refused
      // whole; one that saw a newer latest only at commit moved it nowhere. The newest always lands.
      for (const r of results.filter((r) => !r.ok)) {
        expect(r.error).toMatch(
          /the new state lacks 0000\d\d_step\.sql.*nothing was published|^latest moved nowhere \(.*the new state lacks/,
        );
      }
      expect(results.find((r) => r.version === "000006")?.ok).toBe(true);
      expect((await pull([replica])).version).toBe("000006");
      for (const r of results.filter((r) => r.ok)) {
        expect((await pull([replica], { ref: { version: r.version } })).digest).toBe(r.digest);
      }
    }
  });
});

describe("credentials the store refuses", () => {
  it("azblob: a wrong account key is unauthorized (Azurite answers 403)", async () => {
    const slug = uniqueSlug("azkey");
    const saved = process.env.AZURE_STORAGE_CONNECTION_STRING;
    process.env.AZURE_STORAGE_CONNECTION_STRING = azureConnection(
      stores.azurite.blobEndpoint,
      Buffer.from("not the key").toString("base64"),
    );
    try {
      const result = await push(makeDir(1), [stores.open("azblob", slug)], { repo: slug, ...FAST });
      expect(result.targets[0]).toMatchObject({ ok: false, errorKind: "unauthorized" });
      expect(result.targets[0]!.error).toMatch(/HTTP 403/);
    } finally {
      process.env.AZURE_STORAGE_CONNECTION_STRING = saved;
    }
  });

  it("oci: a wrong password is unauthorized; none at all is a config error saying what to set", async () => {
    const slug = uniqueSlug("ocikey");
    const wrong = openReplica(`oci://relay:wrong-password@${stores.registry.host}/relay-backups`, {
      repo: slug,
    });
    const result = await push(makeDir(1), [wrong], { repo: slug, ...FAST });
    expect(result.targets[0]).toMatchObject({ ok: false, errorKind: "unauthorized" });
    expect(JSON.stringify(result)).not.toContain("wrong-password");
    const anonymous = openReplica(`oci://${stores.registry.host}/relay-backups`, { repo: slug });
    const none = await push(makeDir(1), [anonymous], { repo: slug, ...FAST });
    expect(none.targets[0]).toMatchObject({ ok: false, errorKind: "config" });
    expect(none.targets[0]!.error).toMatch(/MIGRATE_RELAY_OCI_TOKEN/);
  });

  it("oci: the token may come from MIGRATE_RELAY_OCI_TOKEN", async () => {
    const slug = uniqueSlug("ocienv");
    process.env.MIGRATE_RELAY_OCI_USER = stores.registry.username;
    process.env.MIGRATE_RELAY_OCI_TOKEN = stores.registry.password;
    try {
      const replica = openReplica(`oci://${stores.registry.host}/relay-backups`, { repo: slug });
      const result = await push(makeDir(1), [replica], { repo: slug, ...FAST });
      expect(result.targets[0]).toMatchObject({ ok: true });
    } finally {
      delete process.env.MIGRATE_RELAY_OCI_USER;
      delete process.env.MIGRATE_RELAY_OCI_TOKEN;
    }
  });
});

describe("compare-and-swap, as each store offers it", () => {
  const body = new TextEncoder().encode('{"n":1}');
  const signal = new AbortController().signal;

  it("azblob: If-None-Match: * on an existing blob and a stale If-Match both lose (409 / 412)", async () => {
    const { AzureStore, azureContainer } = await import("../packages/core/src/replica/azure");
    const loc = { container: "relay-backups", prefix: `cas-${uniqueSlug()}/` };
    const store = new AzureStore(await azureContainer(loc, "az"), loc, "az");
    expect(await store.putIfMatch("k.json", body, null, signal)).toBe(true);
    expect(await store.putIfMatch("k.json", body, null, signal)).toBe(false);
    const current = (await store.get("k.json", signal))!;
    expect(await store.putIfMatch("k.json", body, current.etag, signal)).toBe(true);
    expect(await store.putIfMatch("k.json", body, current.etag, signal)).toBe(false);
  });

  it("gs: generation preconditions (0 for absent; a stale generation answers 412)", async () => {
    const { GcsStore, gcsBucket } = await import("../packages/core/src/replica/gcs");
    const loc = { bucket: "relay-backups", prefix: `cas-${uniqueSlug()}/` };
    const store = new GcsStore(gcsBucket(loc, 5_000), loc, "gs");
    expect(await store.putIfMatch("k.json", body, null, signal)).toBe(true);
    expect(await store.putIfMatch("k.json", body, null, signal)).toBe(false);
    const current = (await store.get("k.json", signal))!;
    expect(current.etag).toMatch(/^\d+$/);
    expect(await store.putIfMatch("k.json", body, current.etag, signal)).toBe(true);
    expect(await store.putIfMatch("k.json", body, current.etag, signal)).toBe(false);
    expect(stores.gcs.requests.some((r) => /ifGenerationMatch=0/.test(r))).toBe(true);
  });

  it("oci: no conditional tag writes; the result says latest was written by read-back, not compare-and-swap", async () => {
    const slug = uniqueSlug("ocinote");
    const result = await push(makeDir(2), [stores.open("oci", slug)], { repo: slug });
    expect(result.targets[0]!.note).toBe(OCI_CAS_NOTE);
  });
});

describe("as repo.url (bring your own storage)", () => {
  it.each(STORE_KINDS)("%s is the primary: push and read with no registry", async (kind) => {
    const slug = uniqueSlug(`${kind}primary`);
    const repo = openRepo({ name: slug, url: stores.url(kind), backups: [] });
    expect(repo.replicas.map((r) => r.kind)).toEqual([kind]);
    const pushed = await push(makeDir(2), repo.replicas, { repo: slug });
    expect(pushed.targets[0]).toMatchObject({ ok: true, role: "primary" });
    expect((await pull(repo.replicas)).digest).toBe(pushed.digest);
  });
});
