// A small flag parser in Atlas's spelling: `--flag value`, `--flag=value`, repeatable flags, booleans.
import { inputError } from "@migrate-relay/core";

export interface FlagSpec {
  /** Flag name without dashes, e.g. "dir". */
  name: string;
  /** "string" takes a value; "bool" takes none (`--x=false` allowed); "list" repeats. */
  type: "string" | "bool" | "list";
  description: string;
  default?: string;
}

export type ParsedFlags = Record<string, string | boolean | string[] | undefined>;

export interface ParsedArgs {
  flags: ParsedFlags;
  positionals: string[];
}

export function parseArgs(argv: string[], specs: FlagSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const flags: ParsedFlags = {};
  const positionals: string[] = [];
  for (const spec of specs) {
    if (spec.type === "list") flags[spec.name] = [];
    else if (spec.default !== undefined)
      flags[spec.name] = spec.type === "bool" ? spec.default === "true" : spec.default;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(arg.startsWith("--") ? 2 : 1, eq === -1 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) throw inputError(`unknown flag --${name}`);
    let value: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    if (spec.type === "bool") {
      if (value !== undefined && value !== "true" && value !== "false") {
        throw inputError(`--${name} takes true or false, got "${value}"`);
      }
      flags[name] = value !== "false";
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw inputError(`--${name} needs a value`);
    }
    if (spec.type === "list") (flags[name] as string[]).push(value);
    else flags[name] = value;
  }
  return { flags, positionals };
}

export const str = (flags: ParsedFlags, name: string): string | undefined =>
  flags[name] as string | undefined;
export const bool = (flags: ParsedFlags, name: string): boolean => flags[name] === true;
export const list = (flags: ParsedFlags, name: string): string[] =>
  (flags[name] as string[] | undefined) ?? [];
