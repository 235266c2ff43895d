// The `migrate-relay` command: every CI system's front end to the core library.
import { isRelayError, messageOf } from "@migrate-relay/core";
import { parseArgs } from "./args";
import type { Command, Io } from "./command";
import { applyCommand } from "./commands/apply";
import { envCommand } from "./commands/env";
import { hashCommand } from "./commands/hash";
import { pullCommand } from "./commands/pull";
import { pushCommand } from "./commands/push";
import { statusCommand } from "./commands/status";
import { syncCommand, verifyCommand } from "./commands/verify";

export type { Io } from "./command";
export { CONFIG_FLAGS, hasEnvFlag, loadEnvsFromFlags } from "./config-flags";

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

const processIo = (): Io => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
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

/** Runs one command line; returns the exit code (0 ok, 1 failed, 2 bad usage or config). */
export async function runCli(argv: string[], io: Io = processIo()): Promise<number> {
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
    return await cmd.run(parseArgs(rest, cmd.flags), io);
  } catch (err) {
    io.err(`migrate-relay ${cmd.name}: ${messageOf(err)}`);
    return isRelayError(err, "config") || isRelayError(err, "input") ? 2 : 1;
  }
}
