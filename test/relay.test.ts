// Push fan-out and fallback read against real loopback services: s3rver (testkit), temp folders and
// the registry emulator (the one test double, of an external service).
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import {
  atlasPushJson,
  GrantStore,
  openReplica,
  type PullError,
  pull,
  push,
  type Replica,
} from "@migrate-relay/core";
import { type RegistryFault, s3ClientFor } from "@migrate-relay/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDir, type Rig, startRig, tempDir, uniqueSlug } from "./relay-helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.stop());

const s3 = () => s3ClientFor({ endpoint: process.env.MIGRATE_RELAY_TEST_S3_ENDPOINT! });

describe("push", () => {
  it("publishes one archive to the registry and every backup, in Atlas's JSON shape", async () => {
    const slug = uniqueSlug();
    const dir = makeDir(5);
    const result = await push(dir, rig.replicas(slug), { repo: slug, tag: "v1", grants: rig.grants() });
    expect(result.ok).toBe(true);
    expect(result.targets.map((t) => [t.kind, t.role, t.ok])).toEqual([
      ["cloud", "registry", true],
      ["s3", "backup", true],
      ["s3", "backup", true],
      ["file", "backup", true],
    ]);
    expect(result.grantChanged).toBe(true);
    const json = atlasPushJson(result);
    expect(json).toMatchObject({ Slug: slug, URL: `atlas://${slug}?tag=v1`, Tag: "v1", Version: "000005" });
    expect(json.Link).toMatch(/^https:\/\/testkit\.atlasgo\.cloud\/dirs\/\d+\/tags\/v1$/);
    expect(json.Digest).toBe(rig.registry.find(slug, { tag: "v1" })?.digest);
    expect(json.Backups).toEqual([{ URL: rig.s3Url }, { URL: rig.s3Url2 }, { URL: rig.fileUrl }]);

    // Blob layout (docs/architecture.md) on the file replica.
    const hex = result.digest.slice("sha256:".length);
    expect(await readdir(join(rig.fileRoot, slug, "archives"))).toEqual([`${hex}.tar`]);
    expect((await readdir(join(rig.fileRoot, slug, "tags"))).sort()).toEqual(["latest.json", "v1.json"]);
    const manifest = JSON.parse(await readFile(join(rig.fileRoot, slug, "versions", "000005.json"), "utf8"));
    expect(manifest).toMatchObject({ digest: result.digest, version: "000005", files: 5 });
    expect(manifest.sum).toMatch(/^h1:/);
    const onS3 = await s3().send(
      new GetObjectCommand({ Bucket: rig.bucket, Key: `backups/${slug}/archives/${hex}.tar` }),
    );
    expect(Buffer.from(await onS3.Body!.transformToByteArray()).length).toBe(result.targets[1]!.bytes);
  });

  it("uploads no archive bytes to the backups when the directory has not changed", async () => {
    const slug = uniqueSlug();
    const dir = makeDir(20);
    const first = await push(dir, rig.replicas(slug), { repo: slug, grants: rig.grants() });
    expect(first.targets.slice(1).every((t) => t.bytes > 0 && !t.skipped)).toBe(true);
    const again = await push(dir, rig.replicas(slug), { repo: slug, grants: rig.grants() });
    expect(again.ok).toBe(true);
    expect(again.targets.slice(1).map((t) => [t.bytes, t.skipped, t.latestMoved])).toEqual([
      [0, true, true],
      [0, true, true],
      [0, true, true],
    ]);
  });

  it("publishes nowhere a state that does not extend latest, naming the file and the target; force publishes everywhere", async () => {
    const slug = uniqueSlug();
    const newer = makeDir(4);
    const older = makeDir(3);
    const edited = makeDir(4, { salt: "x" });
    const replicas = rig.replicas(slug).slice(1);
    await push(newer, replicas, { repo: slug, tag: "b" });
    const back = await push(older, replicas, { repo: slug, tag: "a" });
    expect(back.ok).toBe(false);
    expect(back.error).toMatch(
      new RegExp(
        `^000004_step\\.sql: the new state lacks 000004_step\\.sql, so the new state does not extend latest of ${rig.s3Url.replace(/[.?]/g, "\\$&")} \\(version 000004\\); nothing was published`,
      ),
    );
    expect(back.targets.every((t) => !t.ok && t.errorKind === "conflict" && t.bytes === 0)).toBe(true);
    const rewrite = await push(edited, replicas, { repo: slug, tag: "c" });
    expect(rewrite.ok).toBe(false);
    expect(rewrite.error).toMatch(/^000001_step\.sql: 000001_step\.sql was edited, .*use force/);
    // Nothing was written: no tag, and latest still at the first state.
    await expect(pull(replicas, { ref: { tag: "a" } })).rejects.toThrow(/not found/);
    await expect(pull(replicas, { ref: { tag: "c" } })).rejects.toThrow(/not found/);
    const forced = await push(edited, replicas, { repo: slug, tag: "c", force: true });
    expect(forced.ok).toBe(true);
    expect(forced.targets.map((t) => [t.latestMoved, t.latestFrom])).toEqual([
      [true, "000004"],
      [true, "000004"],
      [true, "000004"],
    ]);
    const read = await pull(replicas);
    expect(read.digest).toBe(forced.digest);
  });

  it("says per target whether latest moved and from which version; a push that moved it nowhere fails", async () => {
    const slug = uniqueSlug();
    const [registry, ...backups] = rig.replicas(slug);
    const first = await push(makeDir(2), [registry!, ...backups], { repo: slug, grants: rig.grants() });
    expect(first.targets.map((t) => [t.latestMoved, t.latestFrom])).toEqual([
      [true, ""],
      [true, ""],
      [true, ""],
      [true, ""],
    ]);
    const second = await push(makeDir(3), [registry!, ...backups], { repo: slug, grants: rig.grants() });
    expect(second.targets.map((t) => t.latestFrom)).toEqual(["000002", "000002", "000002", "000002"]);
    // Another push rewrites latest between our read and our commit: ours took the files but moved
    // latest nowhere, so it fails.
    const file = openReplica(rig.fileUrl, { repo: slug });
    const racing: Replica = {
      kind: file.kind,
      display: file.display,
      publish: (state, options) => file.publish(state, options),
      fetch: (ref, signal) => file.fetch(ref, signal),
      async readLatest(known, signal) {
        const read = await file.readLatest(known, signal);
        const other = openReplica(rig.fileUrl, { repo: slug });
        await push(makeDir(3, { salt: "y" }), [other], { repo: slug, force: true });
        return read;
      },
    };
    const nowhere = await push(makeDir(4), [racing], { repo: slug });
    expect(nowhere.ok).toBe(false);
    expect(nowhere.error).toMatch(
      /^latest moved nowhere \(.*latest not moved: .*000001_step\.sql was edited/,
    );
    expect(nowhere.targets[0]).toMatchObject({ ok: true, latestMoved: false, latestFrom: "000003" });
  });

  it("refuses bad tags and empty directories before anything is written", async () => {
    const slug = uniqueSlug();
    const replicas = rig.replicas(slug).slice(3);
    await expect(push(makeDir(1), replicas, { repo: slug, tag: "no/slash" })).rejects.toThrow(
      /tag "no\/slash"/,
    );
    await expect(push(makeDir(1), replicas, { repo: slug, tag: "t".repeat(129) })).rejects.toThrow(/128/);
    await expect(push(makeDir(0), replicas, { repo: slug })).rejects.toThrow(/no \.sql files/);
    await expect(readdir(join(rig.fileRoot, slug))).rejects.toThrow(/ENOENT/);
  });
});

describe("registry faults", () => {
  const faults: [string, RegistryFault][] = [
    ["refusing", "refuse"],
    ["black-holed", "blackhole"],
    ["answering 500", 500],
    ["answering 429", 429],
    ["slow", { slowMs: 5_000 }],
  ];

  it.each(faults)("registry %s: push lands on the backups, pull reads the first backup", async (_, fault) => {
    const slug = uniqueSlug();
    const dir = makeDir(3);
    // A successful push records the grant that lets the next runs go on without the registry.
    await push(makeDir(2), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    await rig.registry.setFault(fault);
    try {
      const result = await push(dir, rig.replicas(slug), {
        repo: slug,
        grants: rig.grants(),
        timeoutMs: 2_000,
        retries: 1,
      });
      expect(result.ok).toBe(true);
      const [registry, ...backups] = result.targets;
      expect(registry!.ok).toBe(false);
      expect(registry!.error).toMatch(
        /connection refused|connection reset|timeout after 2\.0 s|HTTP 500|HTTP 429/,
      );
      expect(registry!.note).toMatch(/continuing under the license grant valid until/);
      expect(backups.every((t) => t.ok && t.latestMoved)).toBe(true);
      expect(atlasPushJson(result).Backups.every((b) => b.Error === undefined)).toBe(true);

      const started = performance.now();
      const read = await pull(rig.replicas(slug), { grants: rig.grants(), timeoutMs: 2_000 });
      const elapsed = performance.now() - started;
      expect(read.source).toBe(rig.s3Url);
      expect(read.digest).toBe(result.digest);
      expect(read.trail.map((a) => a.outcome)).toEqual(["failed", "ok"]);
      expect(read.trail[0]!.eligible).toBe(true);
      expect(read.trail[0]!.note).toMatch(/license grant valid until/);
      // Bounded by the per-replica timeout, not by retries (generous margin: not a timing test).
      expect(elapsed).toBeLessThan(10_000);
    } finally {
      await rig.registry.setFault("none");
    }
  });

  it("registry down and no backup took it: the registry row does not claim it went on under the grant", async () => {
    const slug = uniqueSlug();
    await push(makeDir(2), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    const notADir = join(await tempDir(), "not-a-dir");
    await writeFile(notADir, "a file, so the backup cannot be written");
    await rig.registry.setFault("refuse");
    try {
      const options = { repo: slug, cloudUrl: rig.registry.url, cloudToken: rig.registry.token };
      const replicas = [openReplica(`atlas://${slug}`, options), openReplica(`file://${notADir}`, options)];
      const result = await push(makeDir(3), replicas, { repo: slug, grants: rig.grants(), retries: 0 });
      expect(result.ok).toBe(false);
      expect(result.targets.some((t) => t.ok)).toBe(false);
      expect(result.targets[0]!.note ?? "").not.toMatch(/continuing under the license grant/);
    } finally {
      await rig.registry.setFault("none");
    }
  });

  it.each([401, 403] as const)("registry %s: no fallback, clear error, grant deleted", async (status) => {
    const slug = uniqueSlug();
    await push(makeDir(2), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    expect((await rig.grants().check(rig.registry.url, rig.registry.token)).ok).toBe(true);
    await rig.registry.setFault(status);
    try {
      const grants = rig.grants();
      const error = (await pull(rig.replicas(slug), { grants }).catch((e) => e)) as PullError;
      expect(error.kind).toBe("unauthorized");
      expect(error.message).toMatch(new RegExp(`refused the token \\(HTTP ${status}[:)].*not falling back`));
      expect(error.trail).toHaveLength(1);
      expect(error.grantChanged).toBe(true);
      expect((await rig.grants().check(rig.registry.url, rig.registry.token)).ok).toBe(false);

      const pushed = await push(makeDir(3), rig.replicas(slug), { repo: slug, grants: rig.grants() });
      expect(pushed.ok).toBe(false);
      expect(pushed.error).toMatch(/refused the token.*nothing was pushed to the registry or the backups/);
      expect(pushed.targets.slice(1).every((t) => !t.ok && t.bytes === 0)).toBe(true);
    } finally {
      await rig.registry.setFault("none");
    }
  });

  it("a GraphQL error that is not about the token (HTTP 400 or 200) falls back", async () => {
    const slug = uniqueSlug();
    await push(makeDir(2), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    for (const status of [400, 200]) {
      await rig.registry.setFault({ status, body: '{"errors":[{"message":"internal system error"}]}' });
      try {
        const read = await pull(rig.replicas(slug), { grants: rig.grants() });
        expect(read.source).toBe(rig.s3Url);
        expect(read.trail[0]).toMatchObject({ errorKind: "unreachable", eligible: true });
        expect(read.trail[0]!.error).toMatch(/internal system error/);
      } finally {
        await rig.registry.setFault("none");
      }
    }
  });

  it("a wrong token is refused the same way", async () => {
    const slug = uniqueSlug();
    const error = (await pull(rig.replicas(slug, { token: "atlas_wrong_token" }), {
      grants: rig.grants(),
    }).catch((e) => e)) as PullError;
    expect(error.kind).toBe("unauthorized");
    expect(error.message).not.toContain("atlas_wrong_token");
  });

  it("registry unreachable and no grant: a clear error saying how to get one", async () => {
    const slug = uniqueSlug();
    const backups = rig.replicas(slug).slice(1);
    await push(makeDir(2), backups, { repo: slug });
    // A grant directory that has never seen this token (the shared one has, from other tests).
    const grants = () => new GrantStore({ dir: emptyGrantDir });
    const emptyGrantDir = await tempDir("no-grant");
    await rig.registry.setFault("refuse");
    try {
      const error = (await pull(rig.replicas(slug), { grants: grants() }).catch((e) => e)) as PullError;
      expect(error.message).toMatch(
        /cannot be reached \(connection (refused|reset)\) and there is no license grant for this token.*run once while the registry is reachable/,
      );
      expect(error.trail).toHaveLength(1);
      const pushed = await push(makeDir(3), rig.replicas(slug), {
        repo: slug,
        grants: grants(),
        retries: 0,
      });
      expect(pushed.ok).toBe(false);
      expect(pushed.error).toMatch(/no license grant/);
      expect(pushed.targets.slice(1).every((t) => t.error?.startsWith("not attempted"))).toBe(true);
    } finally {
      await rig.registry.setFault("none");
    }
  });

  it("reads from the registry when it answers, verified", async () => {
    const slug = uniqueSlug();
    const pushed = await push(makeDir(4), rig.replicas(slug), {
      repo: slug,
      tag: "v4",
      grants: rig.grants(),
    });
    const read = await pull(rig.replicas(slug), { ref: { tag: "v4" }, grants: rig.grants() });
    expect(read.source).toBe(`atlas://${slug}`);
    expect(read.digest).toBe(pushed.digest);
    expect(read.trail).toEqual([expect.objectContaining({ outcome: "ok", note: "atlas.sum valid" })]);
  });

  it.each(["corrupt", "truncate"] as const)(
    "registry serving %s content: the next replica is used",
    async (fault) => {
      const slug = uniqueSlug();
      await push(makeDir(4), rig.replicas(slug), { repo: slug, grants: rig.grants() });
      await rig.registry.setFault(fault);
      try {
        const read = await pull(rig.replicas(slug), { grants: rig.grants() });
        expect(read.source).toBe(rig.s3Url);
        expect(read.trail[0]).toMatchObject({ outcome: "failed", errorKind: "integrity", eligible: true });
      } finally {
        await rig.registry.setFault("none");
      }
    },
  );
});

describe("retries", () => {
  it("retries a transient registry error within the target's time, never a refused token", async () => {
    const slug = uniqueSlug();
    await rig.registry.setFault(503, { times: 1 });
    const before = rig.registry.requests.length;
    const pushed = await push(makeDir(2), rig.replicas(slug), {
      repo: slug,
      grants: rig.grants(),
      retries: 2,
    });
    expect(pushed.targets[0]).toMatchObject({ ok: true, latestMoved: true });
    // The read of latest is retried; then the tagless push moves it.
    expect(rig.registry.requests.slice(before).map((r) => [r.operation, r.status])).toEqual([
      ["dirState", 503],
      ["dirState", 200],
      ["diffSyncDir", 200],
    ]);

    await rig.registry.setFault(401);
    try {
      const refused = await push(makeDir(2), rig.replicas(slug), {
        repo: slug,
        grants: rig.grants(),
        retries: 2,
      });
      expect(refused.targets[0]).toMatchObject({ ok: false, attempts: 1, errorKind: "unauthorized" });
    } finally {
      await rig.registry.setFault("none");
    }
  });

  it("records the organization from the registry's link in the grant", async () => {
    const slug = uniqueSlug();
    await push(makeDir(1), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    const check = await rig.grants().check(rig.registry.url, rig.registry.token);
    expect(check.ok && check.grant.org).toBe("testkit");
  });

  it("reads a version from the registry", async () => {
    const slug = uniqueSlug();
    await push(makeDir(2), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    await push(makeDir(3), rig.replicas(slug), { repo: slug, grants: rig.grants() });
    const read = await pull(rig.replicas(slug), { ref: { version: "000002" }, grants: rig.grants() });
    expect(read.source).toBe(`atlas://${slug}`);
    expect(read.dir.files.map((f) => f.version)).toEqual(["000001", "000002"]);
  });

  it("uploads a large archive to S3 in parts, and reads it back verified", async () => {
    const slug = uniqueSlug();
    const big = makeDir(3, { bytesPerFile: 6 * 1024 * 1024 });
    const replica = openReplica(rig.s3Url, { repo: slug });
    const pushed = await push(big, [replica], { repo: slug });
    expect(pushed.targets[0]).toMatchObject({ ok: true });
    expect(pushed.targets[0]!.bytes).toBeGreaterThan(16 * 1024 * 1024);
    const read = await pull([replica]);
    expect(read.digest).toBe(pushed.digest);
  });
});

describe("backup faults", () => {
  it("a backup answering 500, one missing the tag, one with a corrupted archive: the next one is used", async () => {
    const slug = uniqueSlug();
    const dir = makeDir(6);
    const replicas = rig.replicas(slug);
    const pushed = await push(dir, replicas, { repo: slug, tag: "v6", grants: rig.grants() });
    const hex = pushed.digest.slice("sha256:".length);
    // The emulator answers every request with a 500 while faulted: a stand-in for a failing S3 endpoint.
    const failing = openReplica(
      `s3://some-bucket/p?region=us-east-1&endpoint=${new URL(rig.registry.url).origin}`,
      {
        repo: slug,
      },
    );
    const empty = openReplica(`file://${rig.fileRoot}-nothing-here`, { repo: slug });
    // Truncate the archive in the first bucket behind the replica's back.
    const client = s3();
    const key = `backups/${slug}/archives/${hex}.tar`;
    const original = await (
      await client.send(new GetObjectCommand({ Bucket: rig.bucket, Key: key }))
    ).Body!.transformToByteArray();
    await client.send(
      new PutObjectCommand({
        Bucket: rig.bucket,
        Key: key,
        Body: original.slice(0, Math.floor(original.length / 2)),
      }),
    );
    await rig.registry.setFault(500);
    try {
      const read = await pull([replicas[0]!, failing, empty, replicas[1]!, replicas[2]!], {
        ref: { tag: "v6" },
        grants: rig.grants(),
      });
      expect(read.source).toBe(rig.s3Url2);
      expect(read.trail.map((a) => [a.outcome, a.errorKind])).toEqual([
        ["failed", "unreachable"],
        ["failed", "unreachable"],
        ["failed", "not-found"],
        ["failed", "integrity"],
        ["ok", undefined],
      ]);
      expect(read.trail[1]!.error).toMatch(/HTTP 500/);
      expect(read.trail[2]!.error).toMatch(/tag "v6" not found/);
      expect(read.trail[3]!.error).toMatch(/archive digest sha256:\w+ does not match the manifest's/);
    } finally {
      await rig.registry.setFault("none");
    }
  });

  it("a corrupted archive in a file replica is caught by the digest check", async () => {
    const slug = uniqueSlug();
    const pushed = await push(makeDir(3), rig.replicas(slug).slice(3), { repo: slug });
    const path = join(rig.fileRoot, slug, "archives", `${pushed.digest.slice(7)}.tar`);
    const bytes = await readFile(path);
    bytes[600] = bytes[600]! ^ 0xff;
    await writeFile(path, bytes);
    const error = (await pull(rig.replicas(slug).slice(3)).catch((e) => e)) as PullError;
    expect(error.kind).toBe("integrity");
    expect(error.message).toMatch(
      /could not read tag "latest" from any replica:\n {2}file:\/\/.*: archive digest/,
    );
  });

  it("all replicas failing: the error lists each replica and its error", async () => {
    const slug = uniqueSlug();
    await rig.registry.setFault("none");
    const replicas = rig.replicas(slug);
    const error = (await pull(replicas, { grants: rig.grants() }).catch((e) => e)) as PullError;
    expect(error.kind).toBe("not-found");
    const lines = error.message.split("\n");
    expect(lines[0]).toBe('could not read tag "latest" from any replica:');
    expect(lines.slice(1).map((l) => l.trim().split(": ")[0])).toEqual([
      `atlas://${slug}`,
      rig.s3Url,
      rig.s3Url2,
      rig.fileUrl,
    ]);
  });
});
