// gs://, azureblob:// and oci:// replicas on real servers (Azurite, the distribution registry) and
// the GCS double, through the real SDKs: the blob layout and write protocol, compare-and-swap, and
// the faults the S3 tests cover (refused, hanging, corrupt, truncated, 401/403, racing pushes).
import { pull, push } from "@migrate-relay/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDir, uniqueSlug } from "./relay-helpers";
import { STORE_KINDS, type Stores, startStores } from "./stores-helpers";

let stores: Stores;
beforeAll(async () => {
  stores = await startStores();
}, 60_000);
afterAll(() => stores?.stop());

describe.each(STORE_KINDS)("%s replica", (kind) => {
  it("publishes, reads back verified, moves latest only forward, skips a known archive", async () => {
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
    const back = await push(makeDir(4, { salt: "x" }), [replica], { repo: slug, tag: "other" });
    expect(back.targets[0]).toMatchObject({ ok: true, latestMoved: false });
    expect(back.targets[0]!.note).toMatch(/latest not moved/);
    expect((await pull([replica])).version).toBe("000005");
    expect((await pull([replica], { ref: { tag: "v3" } })).digest).toBe(first.digest);
    expect((await pull([replica], { ref: { version: "000004" } })).digest).toBe(back.digest);
  });
});
