import { memDir } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";
import { type PlanInput, planPending } from "./plan";
import type { Revision } from "./types";

const dir = memDir({
  "1_a.sql": "CREATE TABLE a (id int);",
  "2_b.sql": "CREATE TABLE b (id int);",
  "3_c.sql": "CREATE TABLE c (id int);",
  "4_d.sql": "CREATE TABLE d (id int);",
});

const rev = (version: string, applied = 1, total = 1, type = 2): Revision => ({
  version,
  description: "",
  type,
  applied,
  total,
  executedAt: new Date(0),
  executionTime: 0n,
  error: "",
  errorStmt: "",
  hash: "",
  partialHashes: [],
  operatorVersion: "test",
});

const plan = (input: Partial<PlanInput>) =>
  planPending({ files: dir.files, revisions: [], notClean: null, ...input });
const names = (files: { name: string }[]) => files.map((f) => f.name);

describe("planPending", () => {
  it("runs everything on a clean first run", () => {
    expect(names(plan({}).run)).toEqual(["1_a.sql", "2_b.sql", "3_c.sql", "4_d.sql"]);
  });

  it("refuses a non-clean first run without baseline or allow-dirty", () => {
    expect(() => plan({ notClean: 'found table "x" in schema "public"' })).toThrow(
      /not clean: found table "x" in schema "public". baseline version or allow-dirty is required/,
    );
    expect(names(plan({ notClean: "x", allowDirty: true }).run)).toHaveLength(4);
  });

  it("starts after the baseline and reports it for the baseline row", () => {
    const p = plan({ notClean: "x", baseline: "2" });
    expect(p.baseline?.name).toBe("2_b.sql");
    expect(names(p.run)).toEqual(["3_c.sql", "4_d.sql"]);
    expect(() => plan({ baseline: "9" })).toThrow(/baseline version "9" not found/);
  });

  it("treats baseline and allow-dirty as mutually exclusive", () => {
    expect(() => plan({ baseline: "1", allowDirty: true })).toThrow(/mutually exclusive/);
  });

  it("continues after the last revision, and resumes a partial one", () => {
    expect(names(plan({ revisions: [rev("1"), rev("2")] }).run)).toEqual(["3_c.sql", "4_d.sql"]);
    const partial = plan({ revisions: [rev("1"), rev("2", 1, 3)] });
    expect(names(partial.run)).toEqual(["2_b.sql", "3_c.sql", "4_d.sql"]);
    expect(partial.partial?.version).toBe("2");
    expect(plan({ revisions: [rev("1"), rev("2"), rev("3"), rev("4")] }).run).toEqual([]);
  });

  it("fails when a partially applied revision has no file", () => {
    expect(() => plan({ revisions: [rev("7", 1, 2)] })).toThrow(/revision "7.sql" is partially applied/);
  });

  it("applies exec-order to files added out of order", () => {
    const revisions = [rev("1"), rev("3")];
    expect(() => plan({ revisions })).toThrow(/migration file 2_b.sql was added out of order/);
    expect(names(plan({ revisions, execOrder: "linear-skip" }).run)).toEqual(["4_d.sql"]);
    expect(names(plan({ revisions, execOrder: "non-linear" }).run)).toEqual(["2_b.sql", "4_d.sql"]);
  });

  it("honours checkpoint files as Atlas does (first run starts at the last one; later runs skip them)", () => {
    const ck = memDir({
      "1_a.sql": "CREATE TABLE a (id int);",
      "2_b.sql": "CREATE TABLE b (id int);",
      "3_ck.sql": "-- atlas:checkpoint v1\n\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);",
      "4_d.sql": "CREATE TABLE d (id int);",
      "5_ck.sql":
        "-- atlas:checkpoint\n\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE TABLE d (id int);",
      "6_f.sql": "CREATE TABLE f (id int);",
    });
    const p = (input: Partial<PlanInput>) =>
      planPending({ files: ck.files, revisions: [], notClean: null, ...input });
    // A clean first run: from the last checkpoint (included).
    expect(names(p({}).run)).toEqual(["5_ck.sql", "6_f.sql"]);
    // A baseline counts among the non-checkpoint files only.
    expect(names(p({ notClean: "x", baseline: "2" }).run)).toEqual(["4_d.sql", "6_f.sql"]);
    // With history, checkpoint files are never pending (nor out of order).
    expect(names(p({ revisions: [rev("1"), rev("2")] }).run)).toEqual(["4_d.sql", "6_f.sql"]);
    expect(names(p({ revisions: [rev("5"), rev("6")] }).run)).toEqual([]);
    // A checkpoint stopped part-way resumes, followed by everything after it.
    expect(names(p({ revisions: [rev("5", 1, 3)] }).run)).toEqual(["5_ck.sql", "6_f.sql"]);
    // Only a header directive (followed by a blank line) makes a checkpoint.
    const notCk = memDir({
      "1_a.sql": "-- atlas:checkpoint\nCREATE TABLE a (id int);",
      "2_b.sql": "SELECT 1;",
    });
    expect(names(planPending({ files: notCk.files, revisions: [], notClean: null }).run)).toEqual([
      "1_a.sql",
      "2_b.sql",
    ]);
  });

  it("cuts the run with amount and to-version", () => {
    expect(names(plan({ amount: 2 }).run)).toEqual(["1_a.sql", "2_b.sql"]);
    expect(names(plan({ amount: 2 }).pending)).toHaveLength(4);
    expect(names(plan({ toVersion: "3" }).run)).toEqual(["1_a.sql", "2_b.sql", "3_c.sql"]);
    expect(plan({ revisions: [rev("1"), rev("2")], toVersion: "1" }).run).toEqual([]);
    expect(() => plan({ toVersion: "9" })).toThrow(/version "9" not found/);
    expect(() => plan({ amount: 0 })).toThrow(/cannot apply '0' migration files/);
  });
});
