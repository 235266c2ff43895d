// Flags Atlas's commands take (and atlas-action passes) that have no work to do here: accepted with a
// note on stderr, never an error, so scripts written for `atlas migrate ...` run unchanged.
import {
  type ApplyRun,
  atlasApplyJson,
  atlasApplyText,
  atlasStatusJson,
  atlasStatusText,
  type FormatTemplate,
  inputError,
  parseFormat,
  type StatusResult,
} from "@migrate-relay/core";
import { type FlagSpec, type ParsedFlags, str } from "./args";
import type { Io } from "./command";

export const FORMAT_FLAG: FlagSpec = {
  name: "format",
  type: "string",
  description:
    "Go template for the result, as Atlas: '{{ json . }}', '{{ .URL }}', ... (json alone = indented JSON)",
};

export const ATLAS_COMPAT_FLAGS: FlagSpec[] = [
  {
    name: "dir-format",
    type: "string",
    description: "the directory format; only atlas is read here (Atlas's default)",
  },
  {
    name: "context",
    type: "string",
    description: "a RunContext JSON (as atlas-action passes it); accepted, not used",
  },
];

/**
 * Checks the compatibility flags and prints one note per flag given that does nothing here.
 * `unused` names further flags of this command that are accepted only for Atlas's sake.
 */
export function noteAtlasFlags(flags: ParsedFlags, io: Io, unused: Record<string, string> = {}): void {
  const format = str(flags, "dir-format");
  if (format !== undefined && format !== "atlas") {
    throw inputError(
      `--dir-format "${format}": only Atlas's own format (atlas) is read; convert the directory with \`atlas migrate import\` first`,
    );
  }
  const context = str(flags, "context");
  if (context !== undefined) {
    try {
      JSON.parse(context);
    } catch {
      throw inputError("--context must be a JSON object (a RunContext as atlas-action passes it)");
    }
    io.err("note: --context is accepted for Atlas compatibility; runs are not reported to Atlas Cloud here");
  }
  for (const [name, why] of Object.entries(unused)) {
    if (str(flags, name) !== undefined)
      io.err(`note: --${name} is accepted for Atlas compatibility and ignored: ${why}`);
  }
}

/** `--format`: undefined for the default text, else the parsed template (refused early when unsupported). */
export const formatOf = (flags: ParsedFlags): FormatTemplate | undefined => parseFormat(str(flags, "format"));

/** Prints a template's output on stdout (io.out adds the line end Go's template leaves to the caller). */
export function printFormatted(io: Io, template: FormatTemplate, data: unknown): void {
  const text = template.execute(data);
  io.out(text.endsWith("\n") ? text.slice(0, -1) : text);
}

const printText = (io: Io, text: string) => {
  if (text) io.out(text.endsWith("\n") ? text.slice(0, -1) : text);
};

/** One apply run on stdout: Atlas's text, or the template over Atlas's JSON shape (one per run, as Atlas). */
export function printApplyRun(io: Io, template: FormatTemplate | undefined, run: ApplyRun): void {
  if (template) printFormatted(io, template, atlasApplyJson(run));
  else printText(io, atlasApplyText(run));
}

/** One status on stdout (the error, if any, on stderr), as Atlas prints it. */
export function printStatus(
  io: Io,
  template: FormatTemplate | undefined,
  status: StatusResult,
  dir: string,
): void {
  if (template) printFormatted(io, template, atlasStatusJson(status, dir));
  else printText(io, atlasStatusText(status));
  if (status.error) io.err(`Error: ${status.error.message}`);
}
