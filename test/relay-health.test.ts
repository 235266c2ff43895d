// Replica health on real loopback services (s3rver, folders, the registry emulator): a backup down
// during a push lags, verify names it, sync repairs it; the registry after an outage; fallback reads
// that serve the newest backup and name the stale one; diverged and corrupt replicas.
import { readFile, rm, writeFile } from "node:fs/promises";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { runCli } from "@migrate-relay/cli";
import {
  type ApplyResult,
  applySummary,
  extendsState,
  hashDir,
  inspect,
  openReplica,
  pull,
  push,
  RelayError,
  type ReplicaHealth,
  sumTotal,
  sync,
  writeDir,
} from "@migrate-relay/core";
import { s3ReplicaUrl, startRegistry, testBucket, testDatabase } from "@migrate-relay/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDir, type Rig, startRig, tempDir, uniqueSlug } from "./relay-helpers";

/** A TCP forwarder in front of the run's S3 server that can go down (refuse) and come back. */
interface Outage {
  endpoint: string;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

async function s3Outage(target: string): Promise<Outage> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: hostname, port: Number(port) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (at: number) =>
    new Promise<number>((resolve) =>
      server.listen(at, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
    );
  const bound = await listen(0);
  const down = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    down,
    up: async () => {
      if (!server.listening) await listen(bound);
    },
    close: down,
  };
}

let rig: Rig;
let outage: Outage;
let flakyBucket: string;
beforeAll(async () => {
  rig = await startRig();
  const bucket = await testBucket();
  flakyBucket = bucket.bucket;
  outage = await s3Outage(bucket.endpoint);
});
afterAll(async () => {
  await outage.close();
  await rig.stop();
});

/** The backup behind the outage switch: s3://<bucket>/backups?...&endpoint=<forwarder>. */
const flakyUrl = () => s3ReplicaUrl(flakyBucket, outage.endpoint);

async function cli(argv: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { ATLAS_TOKEN: rig.registry.token, ...env },
    cwd,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** The repository flags: the registry, the flaky S3 backup, then the folder. */
const repoFlags = (slug: string) => [
  "--dir-name",
  slug,
  "--cloud-url",
  rig.registry.url,
  "--backup",
  flakyUrl(),
  "--backup",
  rig.fileUrl,
  "--connect-timeout",
  "1s",
];

async function pushFiles(cwd: string, slug: string, files: number, tag: string, commit: string) {
  await rm(join(cwd, "migrations"), { recursive: true, force: true });
  await writeDir(join(cwd, "migrations"), makeDir(files));
  return cli(
    ["push", "--dir", "file://migrations", ...repoFlags(slug), "--grant-dir", rig.grantDir, "--tag", tag],
    cwd,
    { GITHUB_SHA: commit },
  );
}

const byUrl = (report: { replicas: ReplicaHealth[] }, url: string) =>
  report.replicas.find((r) => r.url === url)!;

describe("a backup down during a push", () => {
  it("verify names it as lagging, sync repairs it, verify is clean", async () => {
    const cwd = await tempDir("health");
    const slug = uniqueSlug("lag");
    expect((await pushFiles(cwd, slug, 2, "v2", "c0ffee02")).code).toBe(0);
    await outage.down();
    try {
      const pushed = await pushFiles(cwd, slug, 3, "v3", "c0ffee03");
      expect(pushed.code).toBe(0); // a warning, the push is green
      expect(pushed.err).toMatch(/FAIL .*s3:\/\//);
    } finally {
      await outage.up();
    }

    const text = await cli(["verify", ...repoFlags(slug)], cwd);
    expect(text.code).toBe(1);
    const flakyLine = text.out.split("\n").find((l) => l.startsWith("s3://"))!;
    expect(flakyLine).toMatch(/LAGS\s+000002 .*c0ffee02.*latest is version 000002, behind the newest 000003/);
    expect(flakyLine).toMatch(/missing 1 tag\(s\): v3/);
    expect(text.err).toMatch(/1 lagging.*newest is version 000003 \(sha256:\w+, tag v3\)/);

    const before = JSON.parse((await cli(["verify", ...repoFlags(slug), "--format", "json"], cwd)).out);
    expect(before.ok).toBe(false);
    expect(before.replicas.map((r: { status: string }) => r.status)).toEqual([
      "current",
      "lagging",
      "current",
    ]);
    expect(byUrl(before, flakyUrl()).missingTags).toEqual(["v3"]);
    const fresh = byUrl(before, rig.fileUrl).latest!;
    expect(fresh.commit).toBe("c0ffee03");

    const plan = await cli(["sync", ...repoFlags(slug), "--dry-run"], cwd);
    expect(plan.code).toBe(0);
    expect(plan.out).toMatch(/plan s3:\/\/\S+: latest -> tag v3 \(version 000003, sha256:\w+\)/);
    expect((await cli(["verify", ...repoFlags(slug)], cwd)).code).toBe(1); // the dry run wrote nothing

    const summaryFile = join(cwd, "summary.md");
    const synced = await cli(["sync", ...repoFlags(slug), "--summary", summaryFile], cwd);
    expect(synced.code).toBe(0);
    expect(synced.out).toMatch(/ok +s3:\/\/\S+: latest -> tag v3 \(version 000003, sha256:\w+\) [0-9.]+ m?s/);
    expect(synced.out).toMatch(/copied 1 state to 1 replica/);

    const summaryPath = join(cwd, "verify.md");
    const after = await cli(["verify", ...repoFlags(slug), "--deep", "--summary", summaryPath], cwd);
    expect(after.code).toBe(0);
    expect(after.out).toMatch(/all 3 replicas hold version 000003/);
    const json = JSON.parse((await cli(["verify", ...repoFlags(slug), "--format", "json"], cwd)).out);
    expect(json.ok).toBe(true);
    // The copy keeps the original push's commit and time.
    expect(byUrl(json, flakyUrl()).latest).toMatchObject({ commit: "c0ffee03", pushedAt: fresh.pushedAt });
    expect(await readFile(summaryFile, "utf8")).toMatch(
      /### ✅ migrate-relay sync[\s\S]*\| `s3:\/\/.*\| v3 \|/,
    );
    expect(await readFile(summaryPath, "utf8")).toMatch(
      /### ✅ migrate-relay verify --deep[\s\S]*\| Replica \|/,
    );
    for (const o of [text, synced, after]) expect(o.out + o.err).not.toContain(rig.registry.token);
  });
});

describe("after a registry outage", () => {
  it("the registry lags; sync brings it up to date", async () => {
    const cwd = await tempDir("health");
    const slug = uniqueSlug("reg");
    expect((await pushFiles(cwd, slug, 2, "v2", "aa02")).code).toBe(0);
    await rig.registry.setFault("refuse");
    try {
      expect((await pushFiles(cwd, slug, 4, "v4", "aa04")).code).toBe(0); // under the grant
    } finally {
      await rig.registry.setFault("none");
    }
    const before = JSON.parse((await cli(["verify", ...repoFlags(slug), "--format", "json"], cwd)).out);
    expect(before.replicas[0]).toMatchObject({ role: "registry", status: "lagging" });
    expect(before.replicas[0].latest.version).toBe("000002");
    expect(before.replicas[0].tags).toBeUndefined(); // the registry lists no tags

    const synced = await cli(["sync", ...repoFlags(slug)], cwd);
    expect(synced.code).toBe(0);
    expect(synced.out).toMatch(/registry|atlas:\/\//);
    expect(rig.registry.find(slug, { tag: "latest" })?.version).toBe("000004");
    expect(rig.registry.find(slug, { tag: "v4" })?.version).toBe("000004");
    expect((await cli(["verify", ...repoFlags(slug)], cwd)).code).toBe(0);
  });
});

describe("fallback reads that notice lag", () => {
  it("registry down, first backup stale: apply applies the newest state and names the stale backup", async () => {
    const cwd = await tempDir("health");
    const slug = uniqueSlug("apply");
    expect((await pushFiles(cwd, slug, 2, "v2", "bb02")).code).toBe(0);
    await outage.down();
    try {
      expect((await pushFiles(cwd, slug, 3, "v3", "bb03")).code).toBe(0);
    } finally {
      await outage.up();
    }
    const url = `${await testDatabase()}?sslmode=disable`;
    await rig.registry.setFault("refuse");
    try {
      const args = ["apply", "--url", url, "--dir", `atlas://${slug}`, ...repoFlags(slug).slice(2)];
      const text = await cli([...args, "--grant-dir", rig.grantDir], cwd);
      expect(text.code).toBe(0);
      expect(text.err).toMatch(
        new RegExp(
          `Read tag latest, version 000003, sha256:\\w{64}, commit bb03, pushed \\S+ from ${rig.fileUrl}`,
        ),
      );
      expect(text.err).toContain(`lagging backups (run migrate-relay sync): ${flakyUrl()} (at 000002)`);
      expect(text.out).toMatch(/Migrating to version 000003 \(3 migrations in total\)/);

      const again = await cli([...args, "--grant-dir", rig.grantDir, "--format", "json"], cwd);
      // Atlas's MigrateApply JSON, plus State and Trail.
      const json = JSON.parse(again.out) as {
        State: {
          Tag: string;
          Version: string;
          Digest: string;
          Commit: string;
          PushedAt: string;
          Lagging: string[];
        };
        Trail: { url: string; outcome: string; note?: string }[];
      };
      expect(json.State).toMatchObject({ Tag: "latest", Version: "000003", Commit: "bb03" });
      expect(json.State.Lagging).toEqual([`${flakyUrl()} (at 000002)`]);
      const trail = json.Trail;
      expect(trail.map((a) => [a.url, a.outcome])).toEqual([
        [`atlas://${slug}`, "failed"],
        [rig.fileUrl, "ok"],
      ]);
      expect(trail[1]!.note).toMatch(/newest of the backups .*lagging: s3:\/\/\S+ \(at 000002\)/);
      const result: ApplyResult = {
        url: "postgres://db",
        current: "000003",
        target: "000003",
        pending: [],
        applied: [],
        dryRun: false,
        ms: 1,
        state: {
          tag: json.State.Tag,
          version: json.State.Version,
          digest: json.State.Digest,
          commit: json.State.Commit,
          pushedAt: json.State.PushedAt,
          lagging: json.State.Lagging,
        },
      };
      const summary = applySummary([{ dir: `atlas://${slug}`, result }]);
      expect(summary).toMatch(/- State: tag latest, version 000003, sha256:\w+, commit bb03, pushed /);
      expect(summary).toMatch(/Lagging backups .*s3:\/\/.*\(at 000002\)/);
    } finally {
      await rig.registry.setFault("none");
    }
  });

  it("backups that agree: served from the first, no lag named", async () => {
    const slug = uniqueSlug("agree");
    const replicas = rig.replicas(slug);
    await push(makeDir(3), replicas, { repo: slug, grants: rig.grants() });
    await rig.registry.setFault("refuse");
    try {
      const read = await pull(replicas, { grants: rig.grants(), timeoutMs: 2_000 });
      expect(read.source).toBe(rig.s3Url);
      expect(read.lagging).toBeUndefined();
      expect(read.state).toMatchObject({ tag: "latest", version: "000003" });
    } finally {
      await rig.registry.setFault("none");
    }
  });
});

describe("a backup that never answers", () => {
  it("after the first backup answered, does not hold up the fallback read", async () => {
    const slug = uniqueSlug("hang");
    const [registry, s3, , file] = rig.replicas(slug);
    await push(makeDir(2), [registry!, s3!, file!], { repo: slug, grants: rig.grants() });
    const hanging = await startRegistry();
    await hanging.setFault("blackhole");
    const stuck = openReplica(s3ReplicaUrl("stuck", new URL(hanging.url).origin), { repo: slug });
    await rig.registry.setFault("refuse");
    try {
      const started = performance.now();
      const read = await pull([registry!, s3!, stuck, file!], { grants: rig.grants(), timeoutMs: 8_000 });
      expect(read.source).toBe(rig.s3Url);
      expect(read.lagging).toBeUndefined();
      // Not a timing test: the read did not wait out the stuck backup's 8 s turn.
      expect(performance.now() - started).toBeLessThan(8_000);
    } finally {
      await rig.registry.setFault("none");
      await hanging.stop();
    }
  });
});

describe("a backup that fails only while the fallback plan reads it", () => {
  // The plan reads every backup's latest once, without retries; the one that failed there must still
  // be read (queued after those that answered), or a blip during the plan would lose the only backup
  // holding the state.
  it("is still read, and serves the state only it holds", async () => {
    const slug = uniqueSlug("blip");
    const primary = openReplica(`file://${await tempDir("primary")}`, { repo: slug });
    const holder = openReplica(`file://${await tempDir("holder")}`, { repo: slug });
    const empty = openReplica(`file://${await tempDir("empty")}`, { repo: slug });
    const pushed = await push(makeDir(2), [holder], { repo: slug });
    let blips = 0;
    const flaky = new Proxy(holder, {
      get(target, name, receiver) {
        if (name === "manifest" && blips === 0)
          return async () => {
            blips++;
            throw new RelayError("unreachable", "connection reset during the plan");
          };
        const value = Reflect.get(target, name, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const read = await pull([primary, flaky, empty], { ref: { tag: "latest" } });
    expect(blips).toBe(1);
    expect(read.digest).toBe(pushed.digest);
    expect(read.source).toBe(holder.display);
    expect(read.trail.map((a) => [a.url, a.outcome])).toEqual([
      [primary.display, "failed"],
      [holder.display, "ok"],
    ]);
  });
});

describe("replicas that cannot be repaired by copying", () => {
  it("diverged latests: verify says so, sync writes nothing", async () => {
    const slug = uniqueSlug("div");
    const a = openReplica(`file://${await tempDir("a")}`, { repo: slug });
    const b = openReplica(`file://${await tempDir("b")}`, { repo: slug });
    await push(makeDir(2), [a, b], { repo: slug });
    // b gets a rewrite of the applied file 000002 (force), a keeps the original.
    await push(makeDir(2, { salt: "x" }), [b], { repo: slug, force: true });
    const report = await inspect([a, b]);
    expect(report.ok).toBe(false);
    expect(report.newest).toBeUndefined();
    expect(report.conflict).toMatch(/do not extend one another/);
    expect(report.replicas.map((r) => r.status)).toEqual(["diverged", "diverged"]);
    const result = await sync([a, b], { repo: slug });
    expect(result.ok).toBe(false);
    expect(result.steps).toEqual([]);
    expect(result.error).toMatch(/nothing was copied/);
  });

  it("--deep finds a corrupted archive that the manifests alone do not show", async () => {
    const slug = uniqueSlug("deep");
    const root = await tempDir("deep");
    const replica = openReplica(`file://${root}`, { repo: slug });
    const pushed = await push(makeDir(2), [replica], { repo: slug, tag: "v2" });
    await writeFile(join(root, slug, "archives", `${pushed.digest.slice(7)}.tar`), "not a tar");
    expect((await inspect([replica])).ok).toBe(true);
    const deep = await inspect([replica], { deep: true });
    expect(deep.ok).toBe(false);
    expect(deep.replicas[0]!.status).toBe("corrupt");
    expect(deep.replicas[0]!.problems[0]).toMatch(
      /latest, v2 \(sha256:\w+\): archive digest .* does not match/,
    );
  });

  it("an unreachable replica is named and makes verify fail", async () => {
    const slug = uniqueSlug("down");
    const replicas = [openReplica(rig.fileUrl, { repo: slug }), openReplica(flakyUrl(), { repo: slug })];
    await push(makeDir(1), replicas, { repo: slug });
    await outage.down();
    try {
      const report = await inspect(replicas, { timeoutMs: 2_000 });
      expect(report.replicas.map((r) => r.status)).toEqual(["current", "unreachable"]);
      expect(report.replicas[1]!.problems[0]).toMatch(/connection refused|connection reset/);
      expect(report.ok).toBe(false);
    } finally {
      await outage.up();
    }
  });
});

describe("extendsState", () => {
  it("decides from the newer atlas.sum and the older total alone", () => {
    const sumOf = (n: number, salt?: string) => Buffer.from(hashDir(makeDir(n, salt ? { salt } : {}).files));
    const mark = (n: number, salt?: string) => ({
      digest: `d${n}${salt ?? ""}`,
      sum: sumTotal(sumOf(n, salt)),
    });
    const three = sumOf(3).toString("utf8");
    expect(extendsState(mark(3), three, mark(2))).toBe(true);
    expect(extendsState(mark(3), three, mark(1))).toBe(true);
    expect(extendsState(mark(3), three, mark(2, "x"))).toBe(false);
    expect(extendsState(mark(3), three, mark(4))).toBe(false);
    expect(extendsState(mark(3), three, { digest: "other", sum: "" })).toBe(false);
  });
});
