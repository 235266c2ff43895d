// One replica's turn: a deadline over the whole turn, bounded retries on eligible errors only,
// and every failure turned into a RelayError whose text is safe to print.
import { type ErrorKind, messageOf, RelayError } from "../errors";
import { deadlineSignal } from "../replica/http";
import type { Replica } from "../replica/types";
import { redact } from "../secrets";

export interface TurnLimits {
  /** Time allowed for this replica's whole turn, retries included. */
  timeoutMs: number;
  /** Extra attempts after an eligible failure (never after the deadline). */
  retries: number;
  signal?: AbortSignal;
}

/** Errors after which another attempt, or another replica, may succeed (docs/relay.md). */
const ELIGIBLE: ErrorKind[] = ["unreachable", "not-found", "integrity", "conflict"];
export const isEligible = (err: { kind: ErrorKind }) => ELIGIBLE.includes(err.kind);
/** Worth another attempt at the same replica: a missing tag or bad content will not fix itself. */
const RETRYABLE: ErrorKind[] = ["unreachable", "conflict"];

export interface TurnOutcome<T> {
  value?: T;
  error?: RelayError;
  attempts: number;
  ms: number;
}

/** A failed attempt of a turn as a RelayError: past the deadline it is unreachable, whatever was thrown. */
function turnError(err: unknown, signal: AbortSignal): RelayError {
  if (signal.aborted) {
    const reason = signal.reason as Error | undefined;
    if (!(err instanceof RelayError) || err.kind !== "unreachable") {
      return new RelayError("unreachable", `${reason?.message ?? "aborted"}`);
    }
  }
  if (err instanceof RelayError) return err;
  return new RelayError("unreachable", messageOf(err));
}

/** Drops a leading "<display>: " so results do not repeat the URL they sit beside. */
const local = (replica: Replica, message: string) =>
  message.startsWith(`${replica.display}: `) ? message.slice(replica.display.length + 2) : message;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

export async function runTurn<T>(
  replica: Replica,
  limits: TurnLimits,
  secrets: readonly string[],
  work: (signal: AbortSignal) => Promise<T>,
): Promise<TurnOutcome<T>> {
  const started = performance.now();
  const deadline = deadlineSignal(limits.timeoutMs, limits.signal);
  let attempts = 0;
  try {
    for (;;) {
      attempts++;
      try {
        const value = await work(deadline.signal);
        return { value, attempts, ms: performance.now() - started };
      } catch (err) {
        const error = turnError(err, deadline.signal);
        const retry =
          attempts <= limits.retries && RETRYABLE.includes(error.kind) && !deadline.signal.aborted;
        if (!retry) {
          const safe = new RelayError(error.kind, redact(local(replica, error.message), secrets));
          return { error: safe, attempts, ms: performance.now() - started };
        }
        await sleep(100 * 2 ** (attempts - 1), deadline.signal);
      }
    }
  } finally {
    deadline.clear();
  }
}
