// The pure parts of a fleet rollout: settings, the shard split, the 2,000-row summary.
import { describe, expect, it } from "vitest";
import { type ApplyRun, applyOutputs, applySummary } from "../report/apply";
import { fleetSettingsOf, parseShard, shardOf, targetKey } from "./fleet";
import type { ApplyResult } from "./types";

const keys = (n: number, prefix = "tenant") => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe("shards", () => {
  it("split 2,000 keys evenly and the same way every time", () => {
    const counts = [0, 0, 0, 0];
    for (const key of keys(2000)) counts[shardOf(key, 4) - 1]!++;
    for (const c of counts) expect(c).toBeGreaterThan(400); // 500 each on average
    expect(keys(50).map((k) => shardOf(k, 4))).toEqual(keys(50).map((k) => shardOf(k, 4)));
  });

  it("going from 4 to 5 shards moves only the keys the new shard wins (about 1/5)", () => {
    const moved = keys(2000).filter((k) => shardOf(k, 4) !== shardOf(k, 5));
    expect(moved.every((k) => shardOf(k, 5) === 5)).toBe(true);
    expect(moved.length).toBeGreaterThan(300);
    expect(moved.length).toBeLessThan(500);
  });

  it("the key is the for_each instance, else the label, else the URL without its password", () => {
    const env = { instance: "acme" } as never;
    expect(targetKey({ url: "postgres://a:pw@h/acme", dir: "", label: "prod[acme]", env })).toBe("acme");
    expect(targetKey({ url: "postgres://a:pw@h/x", dir: "", label: "prod" })).toBe("prod");
    expect(targetKey({ url: "postgres://a:pw@h/x", dir: "" })).not.toContain("pw");
  });

  it("settings: defaults, and clear errors naming the setting", () => {
    expect(fleetSettingsOf({})).toEqual({ parallelism: 4, canary: [] });
    expect(fleetSettingsOf({ parallelism: "16", shard: "2/4", canary: "a, b\nc", maxFailures: "3" })).toEqual(
      {
        parallelism: 16,
        shard: { index: 2, count: 4 },
        canary: ["a", "b", "c"],
        maxFailures: 3,
      },
    );
    expect(parseShard(" 1 / 1 ")).toEqual({ index: 1, count: 1 });
    const action = (s: string) => `input "${s}"`;
    expect(() => parseShard("0/4", action)).toThrow(/input "shard" "0\/4" must be i\/n/);
    expect(() => fleetSettingsOf({ parallelism: "1.5" })).toThrow(
      /--parallelism "1.5" must be a whole number/,
    );
  });
});

const result = (i: number, error?: string): ApplyResult => ({
  url: `postgres://app@db/t${i}`,
  current: "1",
  target: "2",
  pending: ["2_b.sql"],
  applied: [
    {
      name: "2_b.sql",
      version: "2",
      description: "b",
      txMode: "file",
      ms: 3,
      statements: 1,
      total: 1,
      skipped: 0,
    },
  ],
  dryRun: false,
  ms: 20,
  ...(error ? { error: { kind: "migration" as const, message: error } } : {}),
});

describe("the fleet summary", () => {
  it("stays readable at 2,000 targets: counts, failures first with errors, the rest folded", () => {
    const runs: ApplyRun[] = keys(2000).map((k, i) => {
      const label = `prod[${k}]`;
      if (i === 1500 || i === 7) return { label, dir: "file://migrations", result: result(i, `boom ${i}`) };
      if (i >= 1990)
        return {
          label,
          dir: "file://migrations",
          result: { ...result(i), applied: [], pending: [] },
          notStarted: "max-failures reached (2 failed)",
        };
      return { label, dir: "file://migrations", result: result(i) };
    });
    const md = applySummary(runs, {
      rollout: { total: 8000, shard: { index: 1, count: 4 }, stopped: "max-failures reached (2 failed)" },
    });
    const lines = md.split("\n");
    expect(lines[2]).toBe("**2 of 2000 targets failed**");
    expect(md).toContain("Shard 1/4: 2000 of 8000 targets");
    expect(md).toContain("| failed | 2 |\n| not started | 10 |\n| applied | 1988 |");
    // The failures come before the fold, each with its error; the fold holds everyone else, one line each.
    const fold = lines.indexOf("<details>");
    expect(lines.findIndex((l) => l.includes("boom 7"))).toBeLessThan(fold);
    expect(lines.findIndex((l) => l.includes("boom 1500"))).toBeLessThan(fold);
    expect(lines[fold + 1]).toBe("<summary>1998 other targets</summary>");
    expect(lines.filter((l) => l.startsWith("- prod\\[")).length).toBe(1998);
    expect(md).toContain("- prod\\[tenant-1999\\]: not started: max-failures reached (2 failed)");
    expect(md.length).toBeLessThan(300_000); // far under GitHub's 1 MiB per step
    const runsOut = JSON.parse(applyOutputs(runs).runs!) as { outcome: string; not_started?: string }[];
    expect(runsOut).toHaveLength(2000);
    expect(runsOut[1999]).toMatchObject({
      outcome: "not-started",
      not_started: "max-failures reached (2 failed)",
    });
    expect(runsOut[7]).toMatchObject({ outcome: "failed" });
  });
});
