// Fleet rollouts on the real server: a for_each env of many tenant databases applied by
// `migrate-relay apply` with --parallelism, --shard, --max-failures and --canary (core applyFleet).
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@migrate-relay/cli";
import { writeDir } from "@migrate-relay/core";
import { memDir, query, testCluster, uniqueName } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";

const FILES = {
  "1_a.sql": "CREATE TABLE a (id int);",
  "2_b.sql": "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);",
};

/** `count` fresh databases and a project whose for_each env has one instance per database. */
async function fleet(count: number) {
  const cluster = testCluster();
  const prefix = uniqueName("fleet");
  const names = Array.from({ length: count }, (_, i) => `${prefix}_${String(i).padStart(3, "0")}`);
  // Four at a time: CREATE DATABASE is slow on a busy machine, and the run's server is shared.
  for (let i = 0; i < names.length; i += 4)
    await Promise.all(names.slice(i, i + 4).map((name) => cluster.createDatabase(name)));
  const cwd = await mkdtemp(join(tmpdir(), "fleet-"));
  await writeDir(join(cwd, "migrations"), memDir(FILES));
  const base = new URL(cluster.adminUrl);
  base.searchParams.set("sslmode", "disable");
  await writeFile(
    join(cwd, "atlas.hcl"),
    `locals {
  tenants = [${names.map((n) => `"${n}"`).join(", ")}]
}
env "tenants" {
  for_each = toset(local.tenants)
  url      = urlsetpath("${base.toString()}", each.value)
  migration {
    dir = "file://migrations"
  }
}
`,
  );
  const urlOf = (name: string) => {
    const u = new URL(base);
    u.pathname = `/${name}`;
    return u.toString();
  };
  return { cwd, names, urlOf };
}

interface JsonRun {
  label: string;
  outcome: string;
  notStarted?: string;
  error?: { message: string };
  applied: unknown[];
}

/** `--format json` prints one document per target, in Atlas's shape (Env, Outcome, NotStarted, Error). */
function parseRuns(text: string): JsonRun[] {
  return text
    .split(/^(?=\{)/m)
    .filter((doc) => doc.trim() !== "")
    .map((doc) => {
      const j = JSON.parse(doc) as Record<string, unknown>;
      return {
        label: j.Env as string,
        outcome: j.Outcome as string,
        ...(j.NotStarted ? { notStarted: j.NotStarted as string } : {}),
        ...(j.Error ? { error: { message: j.Error as string } } : {}),
        applied: (j.Applied as unknown[]) ?? [],
      };
    });
}

async function apply(cwd: string, extra: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const argv = ["apply", "--config", "file://atlas.hcl", "--env", "tenants", ...extra];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, cwd });
  const json = extra.includes("--format");
  return { code, runs: json ? parseRuns(out.join("\n")) : [], out: out.join("\n"), err };
}

const instance = (label: string) => /\[(.*)\]$/.exec(label)![1]!;

/** Versions in a tenant's revisions table; [] when the table does not exist (never touched). */
async function versions(url: string): Promise<string[]> {
  const [exists] = await query<{ t: string | null }>(
    url,
    "SELECT to_regclass('atlas_schema_revisions.atlas_schema_revisions')::text AS t",
  );
  if (!exists?.t) return [];
  const rows = await query<{ version: string }>(
    url,
    "SELECT version FROM atlas_schema_revisions.atlas_schema_revisions ORDER BY version",
  );
  return rows.map((r) => r.version);
}

describe("fleet rollouts", () => {
  it("for_each over 50 databases, parallelism 8, two shards: every instance applied exactly once", async () => {
    const { cwd, names, urlOf } = await fleet(50);
    const shards = [];
    for (const shard of ["1/2", "2/2"])
      shards.push(await apply(cwd, ["--parallelism", "8", "--shard", shard, "--format", "json"]));
    for (const s of shards) expect(s.code, s.err.join("\n")).toBe(0);
    const seen = shards.flatMap((s) => s.runs.map((r) => instance(r.label)));
    expect([...seen].sort()).toEqual([...names].sort()); // all 50, none twice
    // A stable split, not everything in one shard.
    expect(shards[0]!.runs.length).toBeGreaterThan(5);
    expect(shards[1]!.runs.length).toBeGreaterThan(5);
    for (const s of shards) for (const r of s.runs) expect(r).toMatchObject({ outcome: "applied" });
    for (const name of names) expect(await versions(urlOf(name))).toEqual(["1", "2"]);

    // The same shard again picks the same tenants, now up to date.
    const again = await apply(cwd, ["--parallelism", "8", "--shard", "1/2", "--format", "json"]);
    expect(again.runs.map((r) => r.label)).toEqual(shards[0]!.runs.map((r) => r.label));
    expect(new Set(again.runs.map((r) => r.outcome))).toEqual(new Set(["up-to-date"]));
  }, 240_000); // 50 databases created and migrated twice over, on a server other test files share

  it("max-failures: after N failed tenants no new one starts; the rest are reported as not started", async () => {
    const { cwd, names, urlOf } = await fleet(8);
    // Tenants 1 and 3 (in set order) already have a table: not clean, so they fail.
    for (const i of [1, 3]) await query(urlOf(names[i]!), "CREATE TABLE a (id int)");
    const r = await apply(cwd, ["--parallelism", "1", "--max-failures", "2", "--format", "json"]);
    expect(r.code).toBe(1);
    expect(r.runs.map((x) => x.outcome)).toEqual([
      "applied",
      "failed",
      "applied",
      "failed",
      "not-started",
      "not-started",
      "not-started",
      "not-started",
    ]);
    expect(r.runs[1]!.error?.message).toMatch(/not clean/);
    expect(r.runs[4]!.notStarted).toMatch(/max-failures reached \(2 failed\)/);
    for (const i of [4, 5, 6, 7]) expect(await versions(urlOf(names[i]!))).toEqual([]);
    expect(await versions(urlOf(names[2]!))).toEqual(["1", "2"]);

    // The text output says the same: the counts and who was not started.
    const text = await apply(cwd, ["--parallelism", "1", "--max-failures", "1"]);
    expect(text.code).toBe(1);
    expect(text.err.join("\n")).toMatch(/target\(s\) not started \(max-failures reached \(1 failed\)\)/);
    expect(text.err.join("\n")).toMatch(/8 targets: 1 failed, \d+ not started/);
  });

  it("canary: a failing canary stops the rollout before any other tenant starts", async () => {
    const { cwd, names, urlOf } = await fleet(6);
    const canary = names[4]!;
    await query(urlOf(canary), "CREATE TABLE b (id int)"); // its second file fails
    const r = await apply(cwd, ["--parallelism", "4", "--canary", canary, "--format", "json"]);
    expect(r.code).toBe(1);
    const byName = new Map(r.runs.map((x) => [instance(x.label), x]));
    expect(byName.get(canary)).toMatchObject({ outcome: "failed" });
    for (const name of names.filter((n) => n !== canary)) {
      expect(byName.get(name)).toMatchObject({
        outcome: "not-started",
        notStarted: expect.stringMatching(/canary/),
      });
      expect(await versions(urlOf(name))).toEqual([]);
    }

    // Fixed, the canary goes first and the others follow.
    await query(urlOf(canary), "DROP TABLE b");
    const ok = await apply(cwd, ["--canary", canary, "--format", "json"]);
    expect(ok.code).toBe(0);
    expect(ok.runs.every((x) => x.outcome === "applied")).toBe(true);
  });

  it("refuses a bad shard, parallelism or an unknown canary before touching a database", async () => {
    const { cwd, names, urlOf } = await fleet(2);
    const bad = [
      [["--shard", "3/2"], /--shard "3\/2" must be i\/n with 1 <= i <= n/],
      [["--shard", "x"], /--shard "x" must be i\/n/],
      [["--parallelism", "0"], /--parallelism "0" must be a whole number >= 1/],
      [["--max-failures", "-1"], /--max-failures "-1" must be a whole number >= 1/],
      [["--canary", "nobody"], /canary "nobody" names no target/],
    ] as const;
    for (const [flags, message] of bad) {
      const r = await apply(cwd, [...flags]);
      expect(r.code, flags.join(" ")).toBe(2);
      expect(r.err.join("\n")).toMatch(message);
    }
    for (const name of names) expect(await versions(urlOf(name))).toEqual([]);
  });
});

describe("a fleet of URLs (no env)", () => {
  it("one target per line of --url, run in parallel, each named by its redacted URL", async () => {
    const cluster = testCluster();
    const cwd = await mkdtemp(join(tmpdir(), "fleet-urls-"));
    await writeDir(join(cwd, "migrations"), memDir(FILES));
    const urls = [];
    for (let i = 0; i < 3; i++) urls.push(`${await cluster.createDatabase()}?sslmode=disable`);
    const out: string[] = [];
    const argv = ["apply", "--url", urls.join("\n"), "--dir", "file://migrations", "--format", "json"];
    const code = await runCli([...argv, "--parallelism", "3"], {
      out: (l) => out.push(l),
      err: () => {},
      env: {},
      cwd,
    });
    expect(code).toBe(0);
    const runs = parseRuns(out.join("\n"));
    expect(runs.map((r) => r.outcome)).toEqual(["applied", "applied", "applied"]);
    expect(runs.map((r) => r.label)).toEqual(urls);
    for (const url of urls) expect(await versions(url)).toEqual(["1", "2"]);
  });
});
