// Concurrency, interruption and secrets: the promises the write protocol makes to readers.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { openReplica, type PullError, pull, push } from "@migrate-relay/core";
import { s3ClientFor } from "@migrate-relay/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDir, type Rig, startRig, uniqueSlug } from "./relay-helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.stop());

describe("racing pushes", () => {
  it.each(["s3", "file"] as const)(
    "%s: every archive lands and latest ends on the newest state",
    async (kind) => {
      for (let round = 0; round < 3; round++) {
        const slug = uniqueSlug("race");
        const replica = openReplica(kind === "s3" ? rig.s3Url : rig.fileUrl, { repo: slug });
        // States 1..6 files, each extending the one before; started together, in a shuffled order.
        const states = [1, 2, 3, 4, 5, 6].map((n) => makeDir(n));
        const order = [...states].sort(() => Math.random() - 0.5);
        const results = await Promise.all(
          // The product's retry policy: s3rver (unlike S3) answers an occasional 500 when a GET
          // meets a concurrent write of the same key; a retry re-runs the idempotent publish.
          order.map((dir) => push(dir, [replica], { repo: slug, retries: 3 })),
        );
        // A push that read a newer latest than its own state is refused whole (it would remove files
        // from latest); one whose read was older, but saw a newer latest at commit, moved it nowhere.
        for (const r of results.filter((r) => !r.ok)) {
          expect(r.error).toMatch(
            /the new state lacks 0000\d\d_step\.sql.*nothing was published|^latest moved nowhere \(.*the new state lacks/,
          );
        }
        expect(results.find((r) => r.version === "000006")?.ok).toBe(true);
        const read = await pull([replica]);
        expect(read.version).toBe("000006");
        expect(read.dir.files).toHaveLength(6);
        const digests = new Set(results.filter((r) => r.ok).map((r) => r.digest));
        for (const digest of digests) {
          const v = results.find((r) => r.digest === digest)!.version;
          expect((await pull([replica], { ref: { version: v } })).digest).toBe(digest);
        }
        if (kind === "file") {
          expect(await readdir(join(rig.fileRoot, slug, "archives"))).toHaveLength(6);
          // No temp or lock files left behind.
          expect((await readdir(join(rig.fileRoot, slug, "tags"))).sort()).toEqual(["latest.json"]);
        } else {
          const listed = await s3ClientFor({ endpoint: process.env.MIGRATE_RELAY_TEST_S3_ENDPOINT! }).send(
            new ListObjectsV2Command({ Bucket: rig.bucket, Prefix: `backups/${slug}/archives/` }),
          );
          expect(listed.KeyCount).toBe(6);
        }
      }
    },
  );
});

describe("an interrupted push", () => {
  it("leaves nothing a reader can follow: the archive without pointers is invisible", async () => {
    const slug = uniqueSlug("cut");
    const replicas = rig.replicas(slug).slice(1);
    const before = await push(makeDir(2), replicas, { repo: slug });
    for (const replica of replicas) {
      const crash = new Error("process killed");
      const state = (await import("@migrate-relay/core")).buildState(makeDir(3), { repo: slug });
      await expect(
        replica.publish(state, {
          signal: new AbortController().signal,
          beforeCommit: async () => {
            throw crash;
          },
        }),
      ).rejects.toBe(crash);
    }
    const read = await pull(replicas);
    expect(read.digest).toBe(before.digest);
    const missing = (await pull(replicas, { ref: { version: "000003" } }).catch((e) => e)) as PullError;
    expect(missing.trail.map((a) => a.errorKind)).toEqual(["not-found", "not-found", "not-found"]);
    // The archive itself did land (and a later push will skip it).
    expect(await readdir(join(rig.fileRoot, slug, "archives"))).toHaveLength(2);
  });
});

describe("secrets", () => {
  it("no token, AWS secret key or URL password appears in any result, error or log line", async () => {
    const slug = uniqueSlug("secret");
    const token = "atlas_token_THAT_MUST_NOT_LEAK_123";
    const awsSecret = "aws-secret-key-THAT-MUST-NOT-LEAK";
    const password = "url-password-THAT-MUST-NOT-LEAK";
    const logs: string[] = [];
    const badS3 = openReplica(rig.s3Url, {
      repo: slug,
      s3: { credentials: { accessKeyId: "AKIAWRONGKEY", secretAccessKey: awsSecret } },
    });
    const registry = openReplica(`atlas://${slug}`, { cloudUrl: rig.registry.url, cloudToken: token });
    const file = openReplica(rig.fileUrl, { repo: slug });
    const outputs: string[] = [];
    const onTarget = (t: object) => logs.push(JSON.stringify(t));
    const refused = await push(makeDir(2), [registry, file], { repo: slug, grants: rig.grants(), onTarget });
    expect(refused.targets.map((t) => t.errorKind)).toEqual(["unauthorized", "unauthorized"]);
    const wrongKey = await push(makeDir(2), [badS3, file], { repo: slug, retries: 0, onTarget });
    expect(wrongKey.targets.map((t) => [t.ok, t.errorKind])).toEqual([
      [false, "unauthorized"],
      [true, undefined],
    ]);
    outputs.push(JSON.stringify(refused), JSON.stringify(wrongKey));
    for (const replicas of [
      [registry, file],
      [badS3, file],
    ]) {
      const error = (await pull(replicas, { grants: rig.grants(), onAttempt: onTarget }).catch(
        (e) => e,
      )) as PullError;
      expect(error.kind).toBe("unauthorized");
      outputs.push(JSON.stringify(error.trail), error.message);
    }
    const badUrls = [
      `file://user:${password}@host/x`,
      `s3://key:${password}@bucket/x`,
      `atlas://u:${password}@app`,
    ];
    for (const url of badUrls) {
      try {
        openReplica(url, { repo: slug, cloudToken: token });
      } catch (err) {
        outputs.push((err as Error).message);
      }
    }
    const all = [...outputs, ...logs].join("\n");
    expect(all).toMatch(/refused the token/);
    expect(all).toMatch(/access denied/);
    for (const secret of [token, awsSecret, password]) expect(all).not.toContain(secret);
    expect(outputs.slice(-3)).toHaveLength(3);
  });
});
