// The runner harness: file-command parsing, and a throwaway action built on the real @actions/core
// (the library the actions use) run through runAction/runActionJob, so the harness reads back exactly
// what @actions/core writes.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  inputEnvName,
  parseFileCommand,
  parseWorkflowCommands,
  parseYamlSubset,
  REPO_ROOT,
  runAction,
  runActionJob,
  withoutMaskCommands,
} from "./runner";

/** A GitHub expression as action.yml writes it (not a JS template). */
const SHA_EXPR = ["$", "{{ github.sha }}"].join("");

describe("parseFileCommand", () => {
  it("reads name=value and name<<DELIMITER blocks as the runner does", () => {
    const text = [
      "plain=value with = signs",
      "",
      "multi<<ghadelimiter_1",
      "line 1",
      "",
      "line 3 with name=x and <<",
      "ghadelimiter_1",
      "empty=",
      "json<<EOF",
      '{"a":1}',
      "EOF",
      "plain=later wins",
      "",
    ].join("\n");
    expect(parseFileCommand(text)).toEqual({
      plain: "later wins",
      multi: "line 1\n\nline 3 with name=x and <<",
      empty: "",
      json: '{"a":1}',
    });
  });

  it("decides by whichever of = and << comes first, accepts CRLF, and fails as the runner fails", () => {
    expect(parseFileCommand("a=b<<c\r\nd<<E=\r\nx=1\r\nE=\r\n")).toEqual({ a: "b<<c", d: "x=1" });
    expect(() => parseFileCommand("x<<EOF\nnever closed\n")).toThrow(/Matching delimiter not found 'EOF'/);
    expect(() => parseFileCommand("=value\n")).toThrow(/Name must not be empty/);
    expect(() => parseFileCommand("no separator\n")).toThrow(/Invalid format/);
    expect(parseFileCommand("")).toEqual({});
  });

  it("maps input names as the runner does and reads workflow commands", () => {
    expect(inputEnvName("cloud-token")).toBe("INPUT_CLOUD-TOKEN");
    expect(inputEnvName("dir name")).toBe("INPUT_DIR_NAME");
    const stdout = [
      "::add-mask::s3cr%25t",
      "::warning title=Backup%3A s3,file=a.ts::one%0Atwo",
      "plain log line",
      "::error::boom",
    ].join("\n");
    expect(parseWorkflowCommands(stdout)).toEqual([
      { command: "add-mask", properties: {}, message: "s3cr%t" },
      { command: "warning", properties: { title: "Backup: s3", file: "a.ts" }, message: "one\ntwo" },
      { command: "error", properties: {}, message: "boom" },
    ]);
    expect(withoutMaskCommands(stdout)).not.toContain("s3cr");
  });

  it("reads the action.yml subset: nested maps, quoted and block scalars, comments", () => {
    const yml = parseYamlSubset(
      [
        "# header",
        "name: 'x'",
        "inputs:",
        "  cloud-token:",
        "    description: |",
        "      The token.",
        "      Second line: with colon",
        "    required: false",
        "  tag:",
        `    default: "${SHA_EXPR}" # the commit`,
        "  latest:",
        "    default: true",
        "runs:",
        "  using: node24",
        "  post-if: always()",
      ].join("\n"),
    );
    expect(yml).toEqual({
      name: "x",
      inputs: {
        "cloud-token": { description: "The token.\nSecond line: with colon\n", required: "false" },
        tag: { default: SHA_EXPR },
        latest: { default: "true" },
      },
      runs: { using: "node24", "post-if": "always()" },
    });
  });
});

describe("runAction with a throwaway action on the real @actions/core", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "runner-fake-action-"));
    const core = pathToFileURL(join(REPO_ROOT, "node_modules/@actions/core/lib/core.js")).href;
    await mkdir(join(root, "dist/push"), { recursive: true });
    await writeFile(join(root, "dist/package.json"), '{"type":"module"}\n');
    await writeFile(
      join(root, "action-push.yml"),
      [
        "name: fake",
        "inputs:",
        "  cloud-token:",
        "    description: a secret",
        "  tag:",
        "    description: the tag",
        `    default: ${SHA_EXPR}`,
        "  latest:",
        "    default: true",
        "  dir name:",
        "    description: with a space",
        "outputs:",
        "  digest:",
        "    description: d",
        "runs:",
        "  using: node24",
        "  main: dist/push/main.js",
        "  post: dist/push/post.js",
      ].join("\n"),
    );
    await writeFile(
      join(root, "dist/push/main.js"),
      `import * as core from ${JSON.stringify(core)};
const token = core.getInput("cloud-token");
core.setSecret(token);
core.setOutput("digest", "sha256:abc");
core.setOutput("targets", JSON.stringify([{ url: "s3://b", ok: true }], null, 2));
core.setOutput("echo", [core.getInput("tag"), core.getInput("latest"), core.getInput("dir name"), process.env.RUNNER_TEMP === process.env.EXPECT_TEMP].join("|"));
core.saveState("grant", "changed");
core.saveState("multi", "a\\nb");
core.exportVariable("EXPORTED", "yes");
core.addPath("/opt/fake/bin");
core.warning("careful");
await core.summary.addHeading("Pushed").addTable([["Target", "Result"], ["s3", "ok"]]).write();
console.error("to stderr");
if (core.getInput("fail") === "1") core.setFailed("it failed");
`,
    );
    await writeFile(
      join(root, "dist/push/post.js"),
      `import * as core from ${JSON.stringify(core)};
core.info("post state " + JSON.stringify({ grant: core.getState("grant"), multi: core.getState("multi"), exported: process.env.EXPORTED, home: process.env.HOME }));
core.setOutput("post", "ran");
`,
    );
  });

  it("passes inputs (with action.yml defaults) and reads back outputs, state, summary, env, path", async () => {
    const runnerTemp = await mkdtemp(join(tmpdir(), "runner-t-"));
    const run = await runAction({
      root,
      action: "push",
      phase: "main",
      inputs: { "cloud-token": "tok-123", "dir name": "spaced" },
      env: { EXPECT_TEMP: runnerTemp },
      runnerTemp,
      github: { sha: "feedbeef" },
    });
    expect(run.stderr).toContain("to stderr");
    expect(run.code).toBe(0);
    expect(run.runEnv["INPUT_CLOUD-TOKEN"]).toBe("tok-123");
    expect(run.runEnv.INPUT_DIR_NAME).toBe("spaced");
    expect(run.outputs).toEqual({
      digest: "sha256:abc",
      targets: JSON.stringify([{ url: "s3://b", ok: true }], null, 2),
      echo: "feedbeef|true|spaced|true",
    });
    expect(run.state).toEqual({ grant: "changed", multi: "a\nb" });
    expect(run.env).toEqual({ EXPORTED: "yes" });
    expect(run.path).toEqual(["/opt/fake/bin"]);
    expect(run.summary).toContain("<h1>Pushed</h1>");
    expect(run.summary).toMatch(/<td>s3<\/td><td>ok<\/td>/);
    expect(run.masks).toEqual(["tok-123"]);
    expect(run.commands.find((c) => c.command === "warning")?.message).toBe("careful");
    expect(withoutMaskCommands(run.stdout)).not.toContain("tok-123");
  });

  it("runs main then post with the saved state, as one job; a failure is exit 1 and post still runs", async () => {
    const job = await runActionJob({
      root,
      action: "push",
      inputs: { fail: "1" },
      allowUnexpectedInputs: true,
    });
    expect(job.main.code).toBe(1);
    expect(job.main.commands.find((c) => c.command === "error")?.message).toBe("it failed");
    expect(job.post.code).toBe(0);
    const line = job.post.stdout.split("\n").find((l) => l.startsWith("post state "));
    expect(JSON.parse(line!.slice("post state ".length))).toEqual({
      grant: "changed",
      multi: "a\nb",
      exported: "yes",
      home: job.main.home,
    });
    expect(job.post.runEnv.STATE_grant).toBe("changed");
    expect(job.post.outputs).toEqual({ post: "ran" });
    expect(job.post.runnerTemp).toBe(job.main.runnerTemp);
  });

  it("starts each job on a fresh machine with the same paths (as GitHub's runners), one job at a time", async () => {
    const machine = await mkdtemp(join(tmpdir(), "runner-machine-"));
    const first = await runActionJob({ root, action: "push", machine });
    await writeFile(join(first.main.runnerTemp, "left-over"), "x");
    await writeFile(join(first.main.home, "left-over"), "x");
    const [second, overlapping] = await Promise.allSettled([
      runActionJob({ root, action: "push", machine }),
      runAction({ root, action: "push", phase: "main", machine }),
    ]);
    expect(overlapping.status).toBe("rejected");
    expect(String((overlapping as PromiseRejectedResult).reason)).toMatch(/is running another job/);
    const job2 = (second as PromiseFulfilledResult<Awaited<ReturnType<typeof runActionJob>>>).value;
    expect(job2.main.runnerTemp).toBe(join(machine, "_temp"));
    expect(job2.main.runnerTemp).toBe(first.main.runnerTemp);
    expect(job2.main.home).toBe(first.main.home);
    expect(existsSync(join(job2.main.runnerTemp, "left-over"))).toBe(false);
    expect(existsSync(join(job2.main.home, "left-over"))).toBe(false);
  });

  it("throws on inputs action.yml does not declare (the runner only warns; a test typo should fail)", async () => {
    await expect(
      runAction({ root, action: "push", phase: "main", inputs: { "clud-token": "x" } }),
    ).rejects.toThrow(
      /Unexpected input\(s\) 'clud-token', valid inputs are \['cloud-token', 'tag', 'latest', 'dir name'\]/,
    );
  });
});
