// Flags that take a duration or a count, as Atlas spells them; defaults come from core's settings.
import { inputError, parseDuration as parse } from "@migrate-relay/core";
import { type FlagSpec, type ParsedFlags, str } from "./args";

/** Go-style durations as Atlas takes them ("10s", "1m30s", "500ms"); a bare number is seconds. */
export const parseDuration = (text: string, flag: string): number => parse(text, `--${flag}`);

/** A default as a flag's help shows it: 60000 -> "60s", 604800000 -> "168h". */
export const durationText = (ms: number): string =>
  ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;

/** A duration flag in ms, more than 0; undefined when not given. */
export function durationFlag(flags: ParsedFlags, name: string): number | undefined {
  const text = str(flags, name);
  if (text === undefined) return undefined;
  const ms = parseDuration(text, name);
  if (!(ms > 0)) throw inputError(`--${name} must be more than 0`);
  return ms;
}

/** `--retries`: a whole number >= 0. */
export function retriesFlag(flags: ParsedFlags, fallback: number): number {
  const retries = Number(str(flags, "retries") ?? String(fallback));
  if (!Number.isInteger(retries) || retries < 0) throw inputError("--retries must be a whole number >= 0");
  return retries;
}

/** The `--timeout` flag, its default shown as a duration. */
export const timeoutFlagSpec = (description: string, ms: number): FlagSpec => ({
  name: "timeout",
  type: "string",
  description,
  default: durationText(ms),
});

/** The `--retries` flag. */
export const retriesFlagSpec = (description: string, fallback: number): FlagSpec => ({
  name: "retries",
  type: "string",
  description,
  default: String(fallback),
});
