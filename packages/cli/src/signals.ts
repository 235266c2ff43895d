// SIGINT/SIGTERM during a command that must clean up (apply's lock and current file, push's scratch
// database): the first signal aborts `signal` and the command winds down; a second one has Node's
// default effect (exit at once).
import type { Io } from "./command";

export async function whileStoppable<T>(
  io: Io,
  what: string,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const stop = new AbortController();
  const unlisten = () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
  function onSignal(signal: NodeJS.Signals) {
    unlisten();
    io.err(`migrate-relay: ${signal}: ${what} (again to quit at once)`);
    stop.abort(signal);
  }
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await fn(stop.signal);
  } finally {
    unlisten();
  }
}
