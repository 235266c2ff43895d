// File directives, read as Atlas reads them (sql/migrate/dir.go):
// - `atlas:sum` and `atlas:delimiter` are looked for on the first line only;
// - other directives (`atlas:txmode`) come from the file's leading block of `--`/`#` comment lines, and
//   count only when a blank line separates that block from the statements.
import { RelayError } from "../errors";

export type TxMode = "none" | "file" | "all";

export interface FileDirectives {
  /** `-- atlas:txmode none|file` from the file header. */
  txmode?: TxMode;
  /** `-- atlas:delimiter X` (escapes decoded). */
  delimiter?: string;
  /** First line carries `atlas:sum ignore`. */
  sumIgnore: boolean;
}

// Atlas's reDirective: printable ASCII before `atlas:`, the name, then the argument (the rest of the line).
const DIRECTIVE = /^([ -~]*)atlas:(\w+)(?: +([ -~]*))*/;

interface Directive {
  prefix: string;
  name: string;
  arg: string;
}

/** The directive on the first line of `text`, if any (Atlas's `directive()`). */
export function directiveOf(text: string): Directive | null {
  const nl = text.indexOf("\n");
  const m = DIRECTIVE.exec(nl === -1 ? text : text.slice(0, nl));
  return m ? { prefix: m[1]!, name: m[2]!, arg: m[3] ?? "" } : null;
}

/** `\n`, `\t`, `\r` in a delimiter directive stand for the characters (Atlas's setDelim). */
export function unescapeDelimiter(d: string): string {
  return d.replace(/\\[ntr]/g, (e) => (e === "\\n" ? "\n" : e === "\\t" ? "\t" : "\r"));
}

/** The escaped delimiter of a `-- atlas:delimiter X` first line, or null; "" when X is empty. */
export function delimiterDirective(src: string): string | null {
  const d = directiveOf(src);
  return d && d.name === "delimiter" && d.prefix === "-- " ? d.arg : null;
}

const decoder = new TextDecoder();

function firstLine(content: string | Uint8Array): string {
  if (typeof content === "string") return content;
  const nl = content.indexOf(0x0a);
  return decoder.decode(nl === -1 ? content : content.subarray(0, nl));
}

/** True when the file's first line carries `atlas:sum ignore` (it then gets no atlas.sum line). */
export function isSumIgnored(content: string | Uint8Array): boolean {
  const d = directiveOf(firstLine(content));
  return d !== null && d.name === "sum" && d.arg === "ignore";
}

/**
 * The leading comment lines that form the file's header (Atlas's LocalFile.comments): none unless a
 * blank line follows the block.
 */
export function headerComments(content: string): string[] {
  const comments: string[] = [];
  let rest = content;
  while (rest.startsWith("#") || rest.startsWith("--")) {
    const nl = rest.indexOf("\n");
    if (nl === -1) return []; // A comments-only file has no blank line after its header.
    comments.push(rest.slice(0, nl).trim());
    rest = rest.slice(nl + 1);
  }
  // As Atlas: the separating line may hold spaces or tabs.
  return rest.replace(/^[ \t]*/, "").startsWith("\n") ? comments : [];
}

/** Reads a file's directives; throws RelayError("migration") for a txmode Atlas would refuse. */
export function fileDirectives(content: string | Uint8Array, name = "the file"): FileDirectives {
  const text = typeof content === "string" ? content : decoder.decode(content);
  const out: FileDirectives = { sumIgnore: isSumIgnored(text) };
  const delim = delimiterDirective(text);
  if (delim !== null && delim !== "") out.delimiter = unescapeDelimiter(delim);
  const modes = headerComments(text)
    .map(directiveOf)
    .filter((d): d is Directive => d !== null && d.name === "txmode")
    .map((d) => d.arg);
  if (modes.length > 1) {
    throw new RelayError("migration", `${name}: more than one atlas:txmode directive (${modes.join(", ")})`);
  }
  const mode = modes[0];
  if (mode === "none" || mode === "file") out.txmode = mode;
  else if (mode === "all") {
    throw new RelayError(
      "migration",
      `${name}: atlas:txmode all is not allowed in a file directive; set tx-mode all for the whole run instead`,
    );
  } else if (mode !== undefined && mode !== "") {
    throw new RelayError("migration", `${name}: unknown atlas:txmode "${mode}"; use none or file`);
  }
  return out;
}
