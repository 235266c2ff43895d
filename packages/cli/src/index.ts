// The `migrate-relay` command: every CI system's front end to the core library.
import { envSecrets, isRelayError, messageOf, Secrets } from "@migrate-relay/core";
import { type ParsedFlags, parseArgs } from "./args";
import type { Command, Io } from "./command";
import { applyCommand } from "./commands/apply";
import { envCommand } from "./commands/env";
import { hashCommand } from "./commands/hash";
import { pullCommand } from "./commands/pull";
import { pushCommand } from "./commands/push";
import { statusCommand } from "./commands/status";
import { syncCommand, verifyCommand } from "./commands/verify";

// Each command lives in its own module under commands/; list it here to make it reachable.
const COMMANDS: Command[] = [
  applyCommand,
  envCommand,
  hashCommand,
  pullCommand,
  pushCommand,
  statusCommand,
  syncCommand,
  verifyCommand,
];

/**
 * A write that survives its reader going away (`migrate-relay apply ... | head`): after EPIPE or any
 * other stream error the rest of the output is dropped and the work goes on, so an apply is never
 * stopped midway by its log, and no stack trace is printed.
 */
function lineWriter(stream: NodeJS.WriteStream): (line: string) => void {
  let closed = false;
  if (!stream.listenerCount("error"))
    stream.on("error", () => {
      closed = true;
    });
  return (line) => {
    if (closed || stream.destroyed) return;
    stream.write(`${line}\n`);
  };
}
let writers: { out: (line: string) => void; err: (line: string) => void } | undefined;
function processWriters() {
  if (!writers) writers = { out: lineWriter(process.stdout), err: lineWriter(process.stderr) };
  return writers;
}

const processIo = (): Io => ({
  ...processWriters(),
  env: process.env,
  cwd: process.cwd(),
});

function helpOf(cmd: Command): string {
  const flags = cmd.flags.map((f) => {
    const value = f.type === "bool" ? "" : " <value>";
    const extra =
      f.type === "list" ? " (repeatable)" : f.default !== undefined ? ` (default ${f.default})` : "";
    return `  --${f.name}${value}\n      ${f.description}${extra}`;
  });
  return [
    `${cmd.summary}`,
    "",
    `Usage:\n  ${cmd.usage}`,
    "",
    "Flags:",
    ...flags,
    "",
    `Example:\n  ${cmd.example}`,
  ].join("\n");
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "migrate-relay: publish versioned migrations everywhere at once; apply them from the first place that answers.",
    "",
    "Usage:\n  migrate-relay <command> [flags]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `migrate-relay <command> --help` for a command's flags and an example.",
  ].join("\n");
}

/**
 * Every line the CLI prints passes through here: the secrets known so far (secret env values, flag
 * values, what the config resolved to) and anything shaped like one (URL passwords, key=value) become ***.
 */
function redactingIo(io: Io, argv: string[]): Io {
  const secrets = io.secrets ?? new Secrets();
  secrets.add(...envSecrets(io.env));
  for (const arg of argv) secrets.addFrom(arg);
  return {
    ...io,
    secrets,
    out: (line) => io.out(secrets.redact(line)),
    err: (line) => io.err(secrets.redact(line)),
  };
}

/** Flags that carry a secret as a whole value (a token), not inside a URL. */
function addSecretFlags(secrets: Secrets, flags: ParsedFlags): void {
  for (const [name, value] of Object.entries(flags))
    if (/token|secret|password/i.test(name) && typeof value === "string") secrets.add(value);
}

/** Runs one command line; returns the exit code (0 ok, 1 failed, 2 bad usage or config). */
export async function runCli(argv: string[], given: Io = processIo()): Promise<number> {
  const io = redactingIo(given, argv);
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.err : io.out)(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`migrate-relay: unknown command "${name}"\n\n${mainHelp()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(helpOf(cmd));
    return 0;
  }
  try {
    const args = parseArgs(rest, cmd.flags);
    addSecretFlags(io.secrets!, args.flags);
    return await cmd.run(args, io);
  } catch (err) {
    io.err(`migrate-relay ${cmd.name}: ${messageOf(err)}`);
    return isRelayError(err, "config") || isRelayError(err, "input") ? 2 : 1;
  }
}
