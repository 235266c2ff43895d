// The runner-contract harness (docs/architecture.md): runs `node dist/<action>/<phase>.js` the way the GitHub
// Actions runner runs a JavaScript action's step, and reads back what the step wrote.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (where dist/ and action-<name>.yml live). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export type ActionName = "push" | "apply";
export type ActionPhase = "main" | "post";

export interface RunActionOptions {
  action: ActionName;
  phase: ActionPhase;
  /** The step's `with:` (names as in action.yml). Inputs not given get action.yml's defaults. */
  inputs?: Record<string, string>;
  /** The step's `env:` plus whatever the job adds; wins over the harness's defaults. `undefined`
   * removes a variable. */
  env?: Record<string, string | undefined>;
  /** The workspace (GITHUB_WORKSPACE) and the step's working directory. Default: a fresh temp dir. */
  cwd?: string;
  /** `STATE_<name>` values for a post step (what main saved). */
  state?: Record<string, string>;
  /** RUNNER_TEMP. Default: a fresh runner machine's (see `machine`). Give the same one to main and
   * post of one job (runActionJob does). */
  runnerTemp?: string;
  /** HOME. Default: the machine's (with `runnerTemp` given and no `home`, a fresh temp dir). */
  home?: string;
  /**
   * The runner machine's root directory: without `runnerTemp`, a step (or runActionJob, a job) starts
   * on a fresh machine, `<machine>/_temp` and `<machine>/home` emptied first. The paths stay the same
   * from job to job as on GitHub's runners (/home/runner/work/_temp), which matters: @actions/cache's
   * version hashes the cached paths, so a cache saved from one RUNNER_TEMP is not found from another.
   * Default `<tmpdir>/testkit-runner-<pid>`; one job at a time per machine (overlapping use throws:
   * give concurrent jobs their own `machine`).
   */
  machine?: string;
  /** GITHUB_SHA, GITHUB_REF, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, ... (see `githubContext`). */
  github?: Partial<GitHubContext>;
  /** Variables taken from this process's env (default PATH, LANG, LC_ALL, TZ, TMPDIR). */
  inherit?: string[];
  /** Where dist/ and action-<name>.yml are; default the repository root. */
  root?: string;
  /** Kill the step after this long (default 60 s); the result then has `timedOut: true`. */
  timeoutMs?: number;
  /** The runner warns about inputs action.yml does not declare; the harness throws unless this is
   * set (a typo in a test should not pass silently). */
  allowUnexpectedInputs?: boolean;
}

export interface GitHubContext {
  sha: string;
  ref: string;
  runId: string;
  runAttempt: string;
  runNumber: string;
  repository: string;
  eventName: string;
  workflow: string;
  job: string;
  actor: string;
  os: "Linux" | "macOS" | "Windows";
  /** `${{ github.token }}`, for defaults that use it. */
  token: string;
}

/** One `::command key=value,...::message` line the step printed. */
export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** GITHUB_OUTPUT, parsed. */
  outputs: Record<string, string>;
  /** GITHUB_STATE, parsed: what a post step gets as STATE_<name>. */
  state: Record<string, string>;
  /** GITHUB_STEP_SUMMARY's Markdown. */
  summary: string;
  /** GITHUB_ENV, parsed: variables exported to later steps. */
  env: Record<string, string>;
  /** GITHUB_PATH lines: directories prepended to PATH for later steps. */
  path: string[];
  /** Workflow commands in stdout (`warning`, `error`, `notice`, `add-mask`, `debug`, `group`, ...). */
  commands: WorkflowCommand[];
  /** Values registered with `::add-mask::` (the runner masks them in the log). */
  masks: string[];
  /** The files the step wrote to (paths; a later job on the same machine deletes them), their text
   * as the step left it, and the env it ran with (for diagnosis). */
  files: { output: string; state: string; summary: string; env: string; path: string };
  fileText: { output: string; state: string; summary: string; env: string; path: string };
  runEnv: Record<string, string>;
  runnerTemp: string;
  home: string;
  workspace: string;
}

export interface ActionInputSpec {
  description?: string;
  default?: string;
  required?: string;
  deprecationMessage?: string;
}

export interface ActionMetadata {
  name?: string;
  inputs: Record<string, ActionInputSpec>;
  outputs: Record<string, { description?: string; value?: string }>;
  runs: Record<string, string>;
}

const DEFAULT_INHERIT = ["PATH", "LANG", "LC_ALL", "TZ", "TMPDIR"];

/** The runner's env var for an input: upper-case, spaces to `_` (hyphens stay). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/**
 * Runs one step of an action as the runner does: `node dist/<action>/<phase>.js` with the step's
 * inputs as `INPUT_<NAME>` (action.yml's defaults for the ones not given), fresh per-step files for
 * GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY, GITHUB_ENV and GITHUB_PATH, the runner's
 * variables (RUNNER_TEMP, RUNNER_OS, GITHUB_SHA, GITHUB_REF, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT,
 * GITHUB_WORKSPACE, GITHUB_ACTIONS=true, ...), and for post the saved state as `STATE_<name>`.
 * Differences from a real runner: Node is this process's (not node24), nothing is masked in the
 * returned stdout (tests assert what the step printed), and the env starts from a short allowlist.
 */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const root = options.root ?? REPO_ROOT;
  const script = join(root, "dist", options.action, `${options.phase}.js`);
  if (!options.runnerTemp) {
    return onFreshMachine(options.machine, (m) =>
      runAction({ ...options, runnerTemp: m.runnerTemp, home: options.home ?? m.home }),
    );
  }
  const workspace = options.cwd ?? (await mkdtemp(join(tmpdir(), "runner-work-")));
  const runnerTemp = options.runnerTemp;
  const home = options.home ?? (await mkdtemp(join(tmpdir(), "runner-home-")));
  const github = githubContext(options.github);

  // Per-step file commands, as the runner creates them under RUNNER_TEMP/_runner_file_commands.
  const commandsDir = join(runnerTemp, "_runner_file_commands");
  await mkdir(commandsDir, { recursive: true });
  const stepId = randomBytes(8).toString("hex");
  const files = {
    output: join(commandsDir, `set_output_${stepId}`),
    state: join(commandsDir, `save_state_${stepId}`),
    summary: join(commandsDir, `step_summary_${stepId}`),
    env: join(commandsDir, `set_env_${stepId}`),
    path: join(commandsDir, `add_path_${stepId}`),
  };
  await Promise.all(Object.values(files).map((f) => writeFile(f, "")));
  const eventPath = join(runnerTemp, "_github_workflow", "event.json");
  await mkdir(dirname(eventPath), { recursive: true });
  await writeFile(eventPath, "{}\n");

  const metadata = await readActionMetadata(join(root, `action-${options.action}.yml`)).catch(
    () => undefined,
  );
  const inputs = resolveInputs(metadata, options.inputs ?? {}, {
    github: {
      sha: github.sha,
      ref: github.ref,
      run_id: github.runId,
      run_attempt: github.runAttempt,
      workspace,
      token: github.token,
      repository: github.repository,
    },
    runner: { temp: runnerTemp, os: github.os },
  });
  if (inputs.unexpected.length > 0 && !options.allowUnexpectedInputs) {
    const valid = Object.keys(metadata?.inputs ?? {});
    throw new Error(
      `Unexpected input(s) '${inputs.unexpected.join("', '")}', valid inputs are [${valid.map((v) => `'${v}'`).join(", ")}]`,
    );
  }

  const env: Record<string, string> = {};
  for (const name of options.inherit ?? DEFAULT_INHERIT) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, {
    CI: "true",
    HOME: home,
    GITHUB_ACTIONS: "true",
    GITHUB_ACTION: `__migrate-relay_${options.action}`,
    GITHUB_ACTION_REPOSITORY: "",
    GITHUB_ACTOR: github.actor,
    GITHUB_API_URL: "https://api.github.com",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_GRAPHQL_URL: "https://api.github.com/graphql",
    GITHUB_EVENT_NAME: github.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_JOB: github.job,
    GITHUB_REF: github.ref,
    GITHUB_REF_NAME: github.ref.replace(/^refs\/(heads|tags)\//, ""),
    GITHUB_REF_TYPE: github.ref.startsWith("refs/tags/") ? "tag" : "branch",
    GITHUB_REPOSITORY: github.repository,
    GITHUB_REPOSITORY_OWNER: github.repository.split("/")[0] ?? "",
    GITHUB_RUN_ATTEMPT: github.runAttempt,
    GITHUB_RUN_ID: github.runId,
    GITHUB_RUN_NUMBER: github.runNumber,
    GITHUB_SHA: github.sha,
    GITHUB_WORKFLOW: github.workflow,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    RUNNER_ARCH: process.arch === "arm64" ? "ARM64" : "X64",
    RUNNER_NAME: "migrate-relay-testkit",
    RUNNER_OS: github.os,
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: join(runnerTemp, "_tool"),
  });
  Object.assign(env, inputs.env);
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }

  const child = spawn(process.execPath, [script], { cwd: workspace, env, stdio: ["ignore", "pipe", "pipe"] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => stdout.push(c));
  child.stderr.on("data", (c: Buffer) => stderr.push(c));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 60_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
    child.on("error", fail);
    child.on("close", (c, s) => done([c, s]));
  }).finally(() => clearTimeout(timer));

  const read = (f: string) => readFile(f, "utf8");
  const [outputText, stateText, summary, envText, pathText] = await Promise.all([
    read(files.output),
    read(files.state),
    read(files.summary),
    read(files.env),
    read(files.path),
  ]);
  const out = Buffer.concat(stdout).toString("utf8");
  const commands = parseWorkflowCommands(out);
  return {
    code,
    signal,
    timedOut,
    stdout: out,
    stderr: Buffer.concat(stderr).toString("utf8"),
    outputs: parseFileCommand(outputText),
    state: parseFileCommand(stateText),
    summary,
    env: parseFileCommand(envText),
    path: pathText.split(/\r?\n/).filter((l) => l !== ""),
    commands,
    masks: commands.filter((c) => c.command === "add-mask").map((c) => c.message),
    files,
    fileText: { output: outputText, state: stateText, summary, env: envText, path: pathText },
    runEnv: env,
    runnerTemp,
    home,
    workspace,
  };
}

export interface JobRun {
  main: ActionRun;
  /** The post step (runs after main whatever main's result, as `post-if: always()`). */
  post: ActionRun;
}

/**
 * One job with one step of the action: main, then (with the state main saved, the same RUNNER_TEMP,
 * HOME and workspace, and the env main exported through GITHUB_ENV) post. A fresh RUNNER_TEMP/HOME
 * per call unless given: a second call is a second job on a fresh runner machine.
 */
export async function runActionJob(options: Omit<RunActionOptions, "phase" | "state">): Promise<JobRun> {
  if (!options.runnerTemp) {
    return onFreshMachine(options.machine, (m) =>
      runActionJob({ ...options, runnerTemp: m.runnerTemp, home: options.home ?? m.home }),
    );
  }
  const runnerTemp = options.runnerTemp;
  const home = options.home ?? (await mkdtemp(join(tmpdir(), "runner-home-")));
  const cwd = options.cwd ?? (await mkdtemp(join(tmpdir(), "runner-work-")));
  const main = await runAction({ ...options, phase: "main", runnerTemp, home, cwd });
  const post = await runAction({
    ...options,
    phase: "post",
    runnerTemp,
    home,
    cwd,
    state: main.state,
    env: { ...main.env, ...options.env },
  });
  return { main, post };
}

const machinesInUse = new Set<string>();
const machinesMade = new Set<string>();

/** Runs `fn` on `<machine>/_temp` and `<machine>/home`, emptied first; one user at a time. */
async function onFreshMachine<T>(
  machine: string | undefined,
  fn: (m: { runnerTemp: string; home: string }) => Promise<T>,
): Promise<T> {
  const root = resolve(machine ?? join(tmpdir(), `testkit-runner-${process.pid}`));
  if (machinesInUse.has(root)) {
    throw new Error(
      `runner machine ${root} is running another job: give concurrent jobs their own \`machine\``,
    );
  }
  machinesInUse.add(root);
  try {
    const runnerTemp = join(root, "_temp");
    const home = join(root, "home");
    await Promise.all([runnerTemp, home].map((d) => rm(d, { recursive: true, force: true })));
    await Promise.all([runnerTemp, home].map((d) => mkdir(d, { recursive: true })));
    if (machine === undefined && !machinesMade.has(root)) {
      machinesMade.add(root);
      process.once("exit", () => rmSync(root, { recursive: true, force: true }));
    }
    return await fn({ runnerTemp, home });
  } finally {
    machinesInUse.delete(root);
  }
}

/** `github` context for a run: defaults look like a push to main, overridable. */
export function githubContext(overrides: Partial<GitHubContext> = {}): GitHubContext {
  return {
    sha: "0123456789abcdef0123456789abcdef01234567",
    ref: "refs/heads/main",
    runId: "1000001",
    runAttempt: "1",
    runNumber: "1",
    repository: "testkit/migrate-relay-e2e",
    eventName: "push",
    workflow: "e2e",
    job: "deploy",
    actor: "testkit",
    os: "Linux",
    token: "ghs_testkit_github_token",
    ...overrides,
  };
}

/**
 * Parses a file command (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV) the way the runner does: lines
 * `name=value`, or `name<<DELIMITER`, then the value's lines, then a line that is exactly
 * DELIMITER (the value has no final newline). Whichever of `=` and `<<` comes first decides the
 * form; empty lines are skipped; LF or CRLF. A later line for a name wins. Throws where the runner
 * fails the step (a name missing, a delimiter never closed).
 */
export function parseFileCommand(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const eq = line.indexOf("=");
    const heredoc = line.indexOf("<<");
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      const name = line.slice(0, eq);
      if (name === "") throw new Error(`Invalid format '${line}'. Name must not be empty`);
      out[name] = line.slice(eq + 1);
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (name === "") throw new Error(`Invalid format '${line}'. Name must not be empty`);
      if (delimiter === "") throw new Error(`Invalid format '${line}'. Delimiter must not be empty`);
      const value: string[] = [];
      let closed = false;
      for (i++; i < lines.length; i++) {
        if (lines[i] === delimiter) {
          closed = true;
          break;
        }
        value.push(lines[i]!);
      }
      if (!closed) throw new Error(`Invalid value. Matching delimiter not found '${delimiter}'`);
      out[name] = value.join("\n");
    } else {
      throw new Error(`Invalid format '${line}'`);
    }
  }
  return out;
}

/** `::command k=v,k=v::message` lines, with the runner's escapes (%25 %0D %0A, and %3A %2C in
 * properties) undone. */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([\w-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const properties: Record<string, string> = {};
    for (const pair of (m[2] ?? "").split(",")) {
      const eq = pair.indexOf("=");
      if (eq > 0) properties[pair.slice(0, eq)] = unescapeCommand(pair.slice(eq + 1), true);
    }
    commands.push({ command: m[1]!, properties, message: unescapeCommand(m[3] ?? "", false) });
  }
  return commands;
}

function unescapeCommand(value: string, property: boolean): string {
  let out = value.replace(/%0D/g, "\r").replace(/%0A/g, "\n");
  if (property) out = out.replace(/%3A/g, ":").replace(/%2C/g, ",");
  return out.replace(/%25/g, "%");
}

/** stdout without the `::add-mask::` lines: where a secret must not appear at all. */
export function withoutMaskCommands(stdout: string): string {
  return stdout
    .split(/\r?\n/)
    .filter((l) => !l.startsWith("::add-mask::"))
    .join("\n");
}

interface ExpressionContext {
  github: Record<string, string>;
  runner: Record<string, string>;
}

/** INPUT_* for the given inputs plus the declared defaults (with `${{ github.x }}` evaluated). */
export function resolveInputs(
  metadata: ActionMetadata | undefined,
  given: Record<string, string>,
  context: ExpressionContext,
): { env: Record<string, string>; unexpected: string[] } {
  const env: Record<string, string> = {};
  const declared = metadata?.inputs ?? {};
  for (const [name, spec] of Object.entries(declared)) {
    if (spec.default !== undefined) env[inputEnvName(name)] = evaluate(spec.default, context);
  }
  const unexpected: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    if (!(name in declared)) unexpected.push(name);
    env[inputEnvName(name)] = value;
  }
  return { env, unexpected };
}

function evaluate(text: string, context: ExpressionContext): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    const m = /^(github|runner)\.(\w+)$/.exec(expr);
    const value = m ? context[m[1] as "github" | "runner"][m[2]!] : undefined;
    if (value === undefined) throw new Error(`runner harness: cannot evaluate \${{ ${expr} }} in a default`);
    return value;
  });
}

/**
 * The parts of an action.yml the harness needs: `inputs` (description, default, required),
 * `outputs`, `runs`. A small YAML subset: block mappings by indentation, plain/quoted scalars,
 * `|`/`>` block scalars (kept as text), comments. Enough for action metadata, not general YAML.
 */
export async function readActionMetadata(file: string): Promise<ActionMetadata> {
  const tree = parseYamlSubset(await readFile(file, "utf8"));
  const section = (key: string) => (isMap(tree[key]) ? (tree[key] as YamlMap) : {});
  const scalars = (map: YamlMap) =>
    Object.fromEntries(Object.entries(map).filter(([, v]) => typeof v === "string")) as Record<
      string,
      string
    >;
  const inputs: Record<string, ActionInputSpec> = {};
  for (const [name, spec] of Object.entries(section("inputs")))
    inputs[name] = isMap(spec) ? scalars(spec) : {};
  const outputs: ActionMetadata["outputs"] = {};
  for (const [name, spec] of Object.entries(section("outputs")))
    outputs[name] = isMap(spec) ? scalars(spec) : {};
  const name = typeof tree.name === "string" ? tree.name : undefined;
  return { ...(name ? { name } : {}), inputs, outputs, runs: scalars(section("runs")) };
}

type YamlValue = string | YamlMap;
interface YamlMap {
  [key: string]: YamlValue;
}
const isMap = (v: unknown): v is YamlMap => typeof v === "object" && v !== null;

export function parseYamlSubset(text: string): YamlMap {
  const lines = text.split(/\r?\n/);
  const root: YamlMap = {};
  const stack: { indent: number; map: YamlMap }[] = [{ indent: -1, map: root }];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (/^\s*(#.*)?$/.test(raw)) continue;
    const indent = raw.length - raw.trimStart().length;
    const m = /^\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:#]+?)\s*:(?:\s+(.*))?$/.exec(raw);
    if (!m) throw new Error(`action.yml:${i + 1}: cannot read '${raw.trim()}'`);
    while (stack.length > 1 && stack.at(-1)!.indent >= indent) stack.pop();
    const parent = stack.at(-1)!.map;
    const key = unquote(m[1]!);
    const rest = stripComment(m[2] ?? "");
    if (rest === "") {
      const child: YamlMap = {};
      parent[key] = child;
      stack.push({ indent, map: child });
    } else if (/^[|>][+-]?$/.test(rest)) {
      const body: string[] = [];
      let blockIndent = -1;
      while (i + 1 < lines.length) {
        const next = lines[i + 1]!;
        const nextIndent = next.length - next.trimStart().length;
        if (next.trim() !== "" && nextIndent <= indent) break;
        if (blockIndent < 0 && next.trim() !== "") blockIndent = nextIndent;
        body.push(next.slice(Math.max(0, blockIndent)));
        i++;
      }
      const joined = rest.startsWith("|") ? body.join("\n") : body.join(" ").replace(/\s+/g, " ");
      parent[key] = rest.endsWith("-") ? joined.replace(/\n+$/, "") : `${joined.replace(/\n+$/, "")}\n`;
    } else {
      parent[key] = unquote(rest);
    }
  }
  return root;
}

function stripComment(value: string): string {
  const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')/.exec(value);
  if (quoted) return quoted[1]!;
  const hash = value.search(/\s#/);
  return (hash >= 0 ? value.slice(0, hash) : value).trim();
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) return JSON.parse(v) as string;
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) return v.slice(1, -1).replace(/''/g, "'");
  return v;
}
