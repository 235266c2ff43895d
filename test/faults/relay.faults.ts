// Push and pull under failing targets and damaged replicas, on real loopback services: the registry
// emulator (the one test double), file folders and s3rver (through testkit's conditional proxy).
import { mkdir, readdir, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import {
  GrantStore,
  isRelayError,
  openReplica,
  PullError,
  pull,
  push,
  type Replica,
  writeDir,
} from "@migrate-relay/core";
import { s3ClientFor, s3ReplicaUrl, startRegistry, startS3 } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";
import { makeDir, tempDir, uniqueSlug } from "../relay-helpers";
import { record, SCALE } from "./table";

const REGISTRY_FAULTS = ["refuse", 500, 401, "blackhole"] as const;

describe("push with every subset of {registry, backup 1, backup 2} failing", () => {
  it("every target that says ok holds the state; every failure is named; ok means one target took it", async () => {
    const registry = await startRegistry();
    let cases = 0;
    let held = 0;
    const lost: string[] = [];
    try {
      for (let subset = 0; subset < 8; subset++) {
        const failing = { registry: !!(subset & 1), b1: !!(subset & 2), b2: !!(subset & 4) };
        for (const fault of failing.registry ? REGISTRY_FAULTS : (["none"] as const)) {
          cases++;
          const slug = uniqueSlug("subset");
          const grants = new GrantStore({ dir: await tempDir("grants") });
          await grants.refresh(new URL(registry.url).href.replace(/\/$/, ""), registry.token);
          const good = await tempDir("b");
          // A backup that fails: its root is a file, so every write fails (ENOTDIR), like a full disk.
          const broken = join(await tempDir("b"), "not-a-folder");
          await writeFile(broken, "");
          const options = {
            repo: slug,
            cloudUrl: registry.url,
            cloudToken: registry.token,
            connectTimeoutMs: 500,
          };
          const replicas = [
            `atlas://${slug}`,
            `file://${failing.b1 ? broken : good}/one`,
            `file://${failing.b2 ? broken : good}/two`,
          ].map((u) => openReplica(u, options));
          await registry.setFault(fault === "none" ? "none" : fault);
          const result = await push(makeDir(2), replicas, {
            repo: slug,
            grants,
            timeoutMs: 1_500,
            retries: 0,
          }).catch((err: unknown) => err as Error);
          await registry.setFault("none");
          const why = `subset ${subset} registry ${fault}`;
          if (result instanceof Error) {
            lost.push(`${why}: push threw ${result.message}`);
            continue;
          }
          // A refused token fails the push (fail closed), whatever the backups did meanwhile.
          let ok = result.ok === (fault !== 401 && result.targets.some((t) => t.ok));
          for (const [i, t] of result.targets.entries()) {
            const shouldFail = [failing.registry, failing.b1, failing.b2][i];
            if (t.ok && shouldFail) ok = false;
            if (!t.ok && !(t.error ?? "").trim() && !/not attempted/.test(t.note ?? "")) ok = false;
            if (t.ok) {
              const read = await pull([replicas[i]!], { grants }).catch((e: unknown) => e as Error);
              if (read instanceof Error || read.digest !== result.digest) {
                ok = false;
                lost.push(
                  `${why}: target ${i} ok but pull: ${read instanceof Error ? read.message : read.digest}`,
                );
              }
            }
          }
          if (ok) held++;
          else lost.push(`${why}: ${JSON.stringify(result.targets.map((t) => [t.ok, t.error]))}`);
        }
      }
    } finally {
      await registry.stop();
    }
    record("push, every subset of targets failing (refused, 500, 401, hanging, unwritable)", cases, held);
    expect(lost).toEqual([]);
  });
});

const DAMAGE = ["corrupt", "truncate", "swap", "oversize", "missing", "zero-byte"] as const;

async function damage(root: string, slug: string, how: (typeof DAMAGE)[number], other: string) {
  const dir = join(root, slug, "archives");
  const [name] = await readdir(dir);
  const path = join(dir, name!);
  const { readFile } = await import("node:fs/promises");
  const bytes = await readFile(path);
  switch (how) {
    case "corrupt":
      bytes[600] = bytes[600]! ^ 0xff;
      return writeFile(path, bytes);
    case "truncate":
      return writeFile(path, bytes.subarray(0, bytes.length >> 1));
    case "swap":
      return writeFile(path, await readFile(other));
    case "oversize":
      return truncate(path, 70 * 1024 * 1024);
    case "missing":
      return rm(path);
    case "zero-byte":
      return writeFile(path, "");
  }
}

describe("damaged archives", () => {
  it("pull never returns wrong bytes: it falls back, or fails naming the damage; the next push repairs", async () => {
    let cases = 0;
    let held = 0;
    const lost: string[] = [];
    for (let round = 0; round < SCALE; round++) {
      for (const how of DAMAGE) {
        cases++;
        const slug = uniqueSlug("damage");
        const [root1, root2, otherRoot] = await Promise.all([tempDir("d1"), tempDir("d2"), tempDir("d3")]);
        const r1 = openReplica(`file://${root1}`, { repo: slug });
        const r2 = openReplica(`file://${root2}`, { repo: slug });
        const pushed = await push(makeDir(3), [r1, r2], { repo: slug });
        await push(makeDir(3, { salt: "other" }), [openReplica(`file://${otherRoot}`, { repo: "o" })], {
          repo: "o",
        });
        const otherArchive = join(
          otherRoot,
          "o",
          "archives",
          (await readdir(join(otherRoot, "o", "archives")))[0]!,
        );
        await damage(root1, slug, how, otherArchive);

        const fallback = await pull([r1, r2]).catch((e: unknown) => e as Error);
        const alone = await pull([r1]).catch((e: unknown) => e as Error);
        const repaired = await push(makeDir(3), [r1], { repo: slug });
        const after = await pull([r1]).catch((e: unknown) => e as Error);
        const ok =
          !(fallback instanceof Error) &&
          fallback.digest === pushed.digest &&
          alone instanceof PullError &&
          alone.kind === "integrity" &&
          repaired.ok &&
          !(after instanceof Error) &&
          after.digest === pushed.digest;
        if (ok) held++;
        else
          lost.push(
            `${how}: ${alone instanceof Error ? alone.message : "pull returned"}; ${after instanceof Error ? after.message : ""}`,
          );
      }
    }
    record("archives corrupted/truncated/swapped/oversized/missing/zero-byte", cases, held);
    expect(lost).toEqual([]);
  });

  it("--to with links and odd names: nothing outside is written, the refusal names the path", async () => {
    const slug = uniqueSlug("links");
    const root = await tempDir("l");
    const replica: Replica = openReplica(`file://${root}`, { repo: slug });
    await push(makeDir(2), [replica], { repo: slug });
    const state = (await pull([replica])).dir;
    const base = await tempDir("to");
    const outside = join(base, "outside.txt");
    await writeFile(outside, "keep");
    const setups: Array<[string, () => Promise<string>]> = [
      [
        "atlas.sum is a link",
        async () => {
          const to = join(base, "a");
          await mkdir(to);
          await symlink(outside, join(to, "atlas.sum"));
          return to;
        },
      ],
      [
        "a migration file is a link",
        async () => {
          const to = join(base, "b");
          await mkdir(to);
          await symlink(outside, join(to, "000001_step.sql"));
          return to;
        },
      ],
      [
        "--to is a link to a folder",
        async () => {
          await mkdir(join(base, "real"));
          await symlink(join(base, "real"), join(base, "c"));
          return join(base, "c");
        },
      ],
      ["--to is a file", async () => outside],
    ];
    let held = 0;
    for (const [, setup] of setups) {
      const to = await setup();
      const err = await writeDir(to, state).catch((e: unknown) => e);
      const { readFile } = await import("node:fs/promises");
      if (isRelayError(err, "input") && (await readFile(outside, "utf8")) === "keep") held++;
    }
    record("pull --to with links, a file, a linked folder", setups.length, held);
    expect(held).toBe(setups.length);
  });
});

describe("20 concurrent pushes", () => {
  for (const conditional of ["honour", "ignore-conditional"] as const) {
    it(`on a store that ${conditional === "honour" ? "honours" : "ignores"} conditional writes: latest ends on the newest`, async () => {
      const server = await startS3({ conditional });
      const rounds = 3 * SCALE;
      let held = 0;
      let reads = 0;
      let olderSeen = 0;
      try {
        const bucket = await server.createBucket();
        const url = s3ReplicaUrl(bucket, server.endpoint);
        const client = s3ClientFor(server);
        for (let round = 0; round < rounds; round++) {
          const slug = uniqueSlug(`race-${conditional}`);
          // A reader polls latest during the race: how often does it see a state older than one it saw?
          let racing = true;
          let newestSeen = 0;
          const reader = (async () => {
            while (racing) {
              try {
                const out = await client.send(
                  new GetObjectCommand({ Bucket: bucket, Key: `backups/${slug}/tags/latest.json` }),
                );
                const v = Number(JSON.parse(await out.Body!.transformToString()).version);
                reads++;
                if (v < newestSeen) olderSeen++;
                newestSeen = Math.max(newestSeen, v);
              } catch {
                /* not there yet, or mid-write */
              }
              await new Promise((r) => setTimeout(r, 5));
            }
          })();
          await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              push(makeDir(i + 1), [openReplica(url, { repo: slug })], { repo: slug }),
            ),
          );
          racing = false;
          await reader;
          const out = await client.send(
            new GetObjectCommand({ Bucket: bucket, Key: `backups/${slug}/tags/latest.json` }),
          );
          if (JSON.parse(await out.Body!.transformToString()).version === "000020") held++;
        }
      } finally {
        await server.stop();
      }
      record(
        `20 concurrent pushes, store ${conditional === "honour" ? "with" : "without"} conditional writes`,
        rounds,
        held,
        `reader saw an older state in ${olderSeen} of ${reads} reads`,
      );
      expect(held).toBe(rounds);
    });
  }
});
