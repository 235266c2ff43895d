// Starting a real server as a child process: spawn it directly (never through npx or a shell, so
// the PID we hold is the server's) and wait for the line that says it listens.
import { type ChildProcess, spawn } from "node:child_process";

export interface Spawned {
  child: ChildProcess;
  /** The match of `ready` in the server's output. */
  match: RegExpExecArray;
  /** Kills the process and waits for it to exit. */
  stop(): Promise<void>;
}

export function spawnUntil(
  name: string,
  command: string,
  args: string[],
  ready: RegExp,
  options: { timeoutMs?: number; cwd?: string } = {},
): Promise<Spawned> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], cwd: options.cwd });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = "";
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${name} ${why}\n${output.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs / 1000} s`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, stop });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (err) => fail(`could not be started: ${err.message}`));
    child.once("exit", (code, signal) => fail(`exited early (${signal ?? code})`));
  });
}
