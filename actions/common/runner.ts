// The runner's side of a JavaScript action step: inputs (INPUT_<NAME>), log lines and workflow commands
// on stdout (::warning::, ::add-mask::, ...), and the file commands (GITHUB_OUTPUT, GITHUB_STATE,
// GITHUB_STEP_SUMMARY), written exactly as @actions/core 3 writes them and under its names, for the
// part the actions use. Why not @actions/core itself: it imports an HTTP client (for OIDC tokens these
// actions never ask for) that brings undici, a megabyte of JavaScript evaluated at start-up, which
// alone costs more than the start-up budget (docs/architecture.md, "Start-up"). The cache client
// still uses @actions/core, loaded with it only when the grant cache is in use.
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync } from "node:fs";
import { access, appendFile, constants } from "node:fs/promises";
import { EOL } from "node:os";

/** An input as the runner passes it (`with:` and action.yml's defaults), trimmed; "" when not given. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

/** The YAML 1.2 core schema booleans, as @actions/core accepts them. */
export function getBooleanInput(name: string): boolean {
  const value = getInput(name);
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new TypeError(
    `Input does not meet YAML 1.2 "Core Schema" specification: ${name}\nSupport boolean input list: \`true | True | TRUE | false | False | FALSE\``,
  );
}

/** The non-empty lines of an input, each trimmed. */
export const getMultilineInput = (name: string): string[] =>
  getInput(name)
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.trim());

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** `::command key=value,...::message` (empty properties left out, as @actions/core does). */
function issueCommand(command: string, properties: Record<string, unknown>, message: string): void {
  const props = Object.entries(properties)
    .filter(([, value]) => Boolean(value))
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  process.stdout.write(
    `::${command}${props.length ? ` ${props.join(",")}` : ""}::${escapeData(message)}${EOL}`,
  );
}

function annotation(command: string, message: string, p: AnnotationProperties): void {
  issueCommand(
    command,
    {
      title: p.title,
      file: p.file,
      line: p.startLine,
      endLine: p.endLine,
      col: p.startColumn,
      endColumn: p.endColumn,
    },
    message,
  );
}

export const info = (message: string): void => {
  process.stdout.write(`${message}${EOL}`);
};
export const debug = (message: string): void => issueCommand("debug", {}, message);
export const isDebug = (): boolean => process.env.RUNNER_DEBUG === "1";
export const notice = (message: string, properties: AnnotationProperties = {}): void =>
  annotation("notice", message, properties);
export const warning = (message: string, properties: AnnotationProperties = {}): void =>
  annotation("warning", message, properties);
export const error = (message: string, properties: AnnotationProperties = {}): void =>
  annotation("error", message, properties);
export const startGroup = (name: string): void => issueCommand("group", {}, name);
export const endGroup = (): void => issueCommand("endgroup", {}, "");
/** `fn` inside a log group that closes however `fn` ends. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  startGroup(name);
  try {
    return await fn();
  } finally {
    endGroup();
  }
}

/** Masks a value in the log from here on. */
export const setSecret = (secret: string): void => issueCommand("add-mask", {}, secret);

/** An error annotation, and the step's exit code 1. */
export function setFailed(message: string, properties: AnnotationProperties = {}): void {
  process.exitCode = 1;
  error(message, properties);
}

/** `name<<delimiter` ... `delimiter`, appended to GITHUB_<command>; the command form without the file. */
function keyValue(command: "OUTPUT" | "STATE", legacy: string, name: string, value: string): void {
  const file = process.env[`GITHUB_${command}`];
  if (!file) {
    if (command === "OUTPUT") process.stdout.write(EOL);
    issueCommand(legacy, { name }, value);
    return;
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`Unexpected input: name or value contains the delimiter "${delimiter}"`);
  }
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: "utf8" });
}

export const setOutput = (name: string, value: string): void => keyValue("OUTPUT", "set-output", name, value);
/** For the post step, which gets it as STATE_<name> (grant-state.ts reads it). */
export const saveState = (name: string, value: string): void => keyValue("STATE", "save-state", name, value);

/** Appends Markdown to the job summary (GITHUB_STEP_SUMMARY). */
export async function appendSummary(markdown: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) {
    throw new Error(
      "Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.",
    );
  }
  try {
    await access(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(
      `Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`,
    );
  }
  await appendFile(file, markdown, { encoding: "utf8" });
}
