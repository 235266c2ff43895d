// runner.ts writes what @actions/core writes: the same calls through both, compared on the stdout lines
// and the file commands (delimiters aside, which are random in both).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as actionsCore from "@actions/core";
import { parseFileCommand } from "@migrate-relay/testkit";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as runner from "./runner";

type Api = typeof runner;

let dir: string;
const saved = { ...process.env };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "runner-test-"));
});
afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `calls` against one implementation; what it printed and wrote. */
async function capture(label: string, calls: (api: Api) => void | Promise<void>, api: Api) {
  const files = {
    output: join(dir, `${label}-output`),
    state: join(dir, `${label}-state`),
    summary: join(dir, `${label}-summary`),
  };
  for (const f of Object.values(files)) writeFileSync(f, "");
  process.env.GITHUB_OUTPUT = files.output;
  process.env.GITHUB_STATE = files.state;
  process.env.GITHUB_STEP_SUMMARY = files.summary;
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  try {
    await calls(api);
  } finally {
    spy.mockRestore();
  }
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  return {
    stdout: out.join(""),
    output: parseFileCommand(readFileSync(files.output, "utf8")),
    state: parseFileCommand(readFileSync(files.state, "utf8")),
    summary: readFileSync(files.summary, "utf8"),
    exitCode,
  };
}

/** @actions/core under runner.ts's names (appendSummary is core.summary.addRaw().write()). */
const reference = {
  ...actionsCore,
  appendSummary: async (markdown: string) => {
    await actionsCore.summary.addRaw(markdown).write();
    actionsCore.summary.emptyBuffer();
  },
} as unknown as Api;

describe("runner.ts writes the runner protocol as @actions/core does", () => {
  it("log lines, annotations (with properties and characters to escape), masks, groups, failure", async () => {
    const calls = (api: Api) => {
      api.info("plain line: 100% done, a,b");
      api.warning("two\nlines\r with 50%", { title: "A title: with, commas", startLine: 3 });
      api.error("an error");
      api.notice("a notice", { file: "a.sql", startLine: 0 });
      api.debug("debug % line");
      api.setSecret("s3cr3t\nvalue");
      api.startGroup("Group: one");
      api.endGroup();
      api.setFailed("failed: because");
    };
    const mine = await capture("mine", calls, runner);
    const theirs = await capture("theirs", calls, reference);
    expect(mine.stdout).toBe(theirs.stdout);
    expect(mine.exitCode).toBe(1);
    expect(theirs.exitCode).toBe(1);
  });

  it("outputs, state and the job summary", async () => {
    const calls = async (api: Api) => {
      api.setOutput("one", "a value");
      api.setOutput("multi", "line 1\nline 2\n");
      api.saveState("grant-cache", "true");
      await api.appendSummary("## Title\n\n| a | b |\n");
      await api.appendSummary("more");
    };
    const mine = await capture("mine", calls, runner);
    const theirs = await capture("theirs", calls, reference);
    expect(mine.output).toEqual(theirs.output);
    expect(mine.output).toEqual({ one: "a value", multi: "line 1\nline 2\n" });
    expect(mine.state).toEqual(theirs.state);
    expect(mine.summary).toBe(theirs.summary);
    expect(mine.stdout).toBe("");
  });

  it("inputs: trimmed, multi-line, booleans (and the same error for a bad one)", () => {
    process.env.INPUT_DIR_NAME = "  app  ";
    process.env["INPUT_SOME NAME".replace(/ /g, "_")] = "x";
    process.env.INPUT_BACKUPS = "file:///a\n\n  s3://b  \n";
    process.env.INPUT_FORCE = "True";
    process.env.INPUT_LATEST = "yes";
    for (const api of [runner, reference]) {
      expect(api.getInput("dir_name")).toBe("app");
      expect(api.getInput("some name")).toBe("x");
      expect(api.getInput("missing")).toBe("");
      expect(api.getMultilineInput("backups")).toEqual(["file:///a", "s3://b"]);
      expect(api.getBooleanInput("force")).toBe(true);
    }
    expect(() => runner.getBooleanInput("latest")).toThrow(
      (() => {
        try {
          actionsCore.getBooleanInput("latest");
        } catch (err) {
          return (err as Error).message;
        }
        return "no error";
      })(),
    );
  });

  it("without GITHUB_OUTPUT/GITHUB_STATE: the command forms", async () => {
    const calls = (api: Api) => {
      delete process.env.GITHUB_OUTPUT;
      delete process.env.GITHUB_STATE;
      api.setOutput("name", "value");
      api.saveState("key", "v");
    };
    const mine = await capture("mine", calls, runner);
    const theirs = await capture("theirs", calls, reference);
    expect(mine.stdout).toBe(theirs.stdout);
  });

  it("a summary file that is not there fails with @actions/core's message", async () => {
    // (@actions/core keeps the first summary path it saw, so it cannot be compared in one process.)
    process.env.GITHUB_STEP_SUMMARY = join(dir, "missing", "summary");
    await expect(runner.appendSummary("x")).rejects.toThrow(
      /^Unable to access summary file: '.*missing\/summary'/,
    );
  });
});
