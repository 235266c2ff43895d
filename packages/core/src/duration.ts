// Go-style durations as Atlas takes them; shared by the CLI's flags and the actions' inputs.
import { inputError } from "./errors";

/**
 * "10s", "1m30s", "500ms", "1h"; a bare number is seconds. `name` is how the caller spells the
 * setting in messages: `--lock-timeout` (CLI) or `input "lock-timeout"` (actions).
 */
/** The longest wait a Node timer holds (2^31-1 ms, about 24.8 days); longer ones would fire after 1 ms. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

export function parseDuration(text: string, name: string): number {
  const ms = parseGoDuration(text, name);
  if (ms > MAX_DURATION_MS)
    throw inputError(
      `${name} "${text}" is longer than 24.8 days (${MAX_DURATION_MS} ms), the longest wait this tool can time; use at most 596h`,
    );
  return ms;
}

function parseGoDuration(text: string, name: string): number {
  const t = text.trim();
  if (t === "") throw inputError(`${name} is empty; use e.g. 10s, 1m30s or 500ms`);
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = t;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m) throw inputError(`${name} "${text}" is not a duration; use e.g. 10s, 1m30s or 500ms`);
    total += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}
