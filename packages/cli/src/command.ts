import type { Secrets } from "@migrate-relay/core";
import type { FlagSpec, ParsedArgs } from "./args";

/** Where a command writes: injected so tests run commands in-process and read what they printed. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The run's known secrets; runCli redacts every line out/err prints with them. */
  secrets?: Secrets;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  example: string;
  flags: FlagSpec[];
  /** Returns the exit code: 0 ok, 1 failed. Throwing a RelayError of kind config/input exits 2. */
  run(args: ParsedArgs, io: Io): Promise<number>;
}
