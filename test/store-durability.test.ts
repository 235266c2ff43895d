// Issue 11's durability reproductions on real stores: a crash leftover in the file store, a malformed
// latest, and concurrent pushes on an S3 store that ignores conditional writes.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { openReplica, pull, push } from "@migrate-relay/core";
import { type S3Server, s3ClientFor, s3ReplicaUrl, startS3 } from "@migrate-relay/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDir, tempDir, uniqueSlug } from "./relay-helpers";

describe("file store durability", () => {
  it("rewrites an archive that does not match its digest (a zero-byte crash leftover) instead of skipping it", async () => {
    const root = await tempDir("durable");
    const slug = uniqueSlug("zero");
    const replica = openReplica(`file://${root}`, { repo: slug });
    const first = await push(makeDir(2), [replica], { repo: slug });
    expect(first.ok).toBe(true);
    const archives = join(root, slug, "archives");
    const [name] = await readdir(archives);
    await writeFile(join(archives, name!), ""); // what a crash between create and write leaves

    const again = await push(makeDir(2), [replica], { repo: slug });
    expect(again.targets[0]!.ok).toBe(true);
    expect(again.targets[0]!.skipped).toBeUndefined();
    expect(again.targets[0]!.bytes).toBeGreaterThan(0);
    expect((await pull([replica])).digest).toBe(first.digest);
  });

  it("a malformed tags/latest.json is replaced by --force and explained without it", async () => {
    const root = await tempDir("durable");
    const slug = uniqueSlug("badlatest");
    const replica = openReplica(`file://${root}`, { repo: slug });
    await mkdir(join(root, slug, "tags"), { recursive: true });
    await writeFile(join(root, slug, "tags", "latest.json"), "{not json");

    const plain = await push(makeDir(1), [replica], { repo: slug, retries: 0 });
    expect(plain.targets[0]!.ok).toBe(false);
    expect(plain.targets[0]!.error).toMatch(/latest\.json.*force/);

    const forced = await push(makeDir(1), [replica], { repo: slug, force: true });
    expect(forced.targets[0]).toMatchObject({ ok: true, latestMoved: true });
    expect((await pull([replica])).digest).toBe(forced.digest);
    const latest = JSON.parse(await readFile(join(root, slug, "tags", "latest.json"), "utf8"));
    expect(latest.digest).toBe(forced.digest);
  });
});

describe("concurrent pushes on a store that ignores conditional writes", () => {
  let ignoring: S3Server;
  beforeAll(async () => {
    ignoring = await startS3({ conditional: "ignore-conditional" });
  });
  afterAll(async () => {
    await ignoring?.stop();
  });

  it("latest converges on the newest state after 10 racing pushes, round after round", async () => {
    const bucket = await ignoring.createBucket();
    const url = s3ReplicaUrl(bucket, ignoring.endpoint);
    for (let round = 0; round < 3; round++) {
      const slug = uniqueSlug(`race${round}`);
      const replica = () => openReplica(url, { repo: slug });
      // Versions 1..10, each extending the one before; all start at once.
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => push(makeDir(i + 1), [replica()], { repo: slug, retries: 0 })),
      );
      expect(results.flatMap((r) => r.targets.filter((t) => !t.ok).map((t) => t.error))).toEqual([]);
      const out = await s3ClientFor(ignoring).send(
        new GetObjectCommand({ Bucket: bucket, Key: `backups/${slug}/tags/latest.json` }),
      );
      const latest = JSON.parse(await out.Body!.transformToString()) as { version: string };
      expect(latest.version).toBe("000010");
    }
  });
});
