// The subset of Go's text/template that `--format` (and template_dir's files) take, as Atlas's docs and atlas-action use it:
// `{{ json . }}`, `{{ . | json }}`, `{{ json . "  " }}` (indented), field access `{{ .URL }}` and
// `{{ .Env.Dir }}`, `{{ range .Applied }}...{{ end }}`, `{{ if .Error }}...{{ else }}...{{ end }}`,
// `{{ len .Pending }}`, `{{ println ... }}` and the `{{-`/`-}}` trim markers. Anything else is refused,
// naming what is supported, before any work is done.
import { inputError } from "./errors";

export const TEMPLATE_SUPPORTED =
  '{{ json . }}, {{ . | json }}, {{ json . "  " }}, field access such as {{ .URL }}, {{ range .X }}…{{ end }}, {{ if .X }}…{{ else }}…{{ end }}, len, print, println';

type Node =
  | { type: "text"; text: string }
  | { type: "out"; pipe: Cmd[] }
  | { type: "range"; pipe: Cmd[]; body: Node[]; alt: Node[] }
  | { type: "if"; pipe: Cmd[]; body: Node[]; alt: Node[] };
/** One command of a pipeline: a function with arguments, or a single operand. */
type Cmd = { fn?: string; args: Arg[] };
type Arg = { field: string[] } | { str: string };

const FUNCTIONS = new Set(["json", "len", "print", "println"]);

export class FormatTemplate {
  private constructor(
    private readonly nodes: Node[],
    readonly source: string,
  ) {}

  /** Parses `text`; throws an input error naming what is supported when it is outside the subset. */
  static parse(text: string): FormatTemplate {
    const tokens = tokenize(text);
    let i = 0;
    const parseList = (stopAt: string[]): { nodes: Node[]; stop: string } => {
      const nodes: Node[] = [];
      while (i < tokens.length) {
        const t = tokens[i++]!;
        if (t.text !== undefined) {
          nodes.push({ type: "text", text: t.text });
          continue;
        }
        const action = t.action!;
        const word = action.split(/\s+/)[0]!;
        if (stopAt.includes(word)) return { nodes, stop: word };
        if (word === "range" || word === "if") {
          const pipe = parsePipe(action.slice(word.length), text);
          const body = parseList(["else", "end"]);
          let alt: Node[] = [];
          if (body.stop === "else") alt = parseList(["end"]).nodes;
          nodes.push({ type: word, pipe, body: body.nodes, alt });
          continue;
        }
        if (word === "end" || word === "else")
          unsupported(text, `{{ ${word} }} without {{ range }} or {{ if }}`);
        nodes.push({ type: "out", pipe: parsePipe(action, text) });
      }
      if (stopAt.length) unsupported(text, "a {{ range }} or {{ if }} without {{ end }}");
      return { nodes, stop: "" };
    };
    return new FormatTemplate(parseList([]).nodes, text);
  }

  /** Runs the template over `data` (objects with Atlas's field names). */
  execute(data: unknown): string {
    return run(this.nodes, data, this.source);
  }
}

function unsupported(source: string, what: string): never {
  throw inputError(`--format ${JSON.stringify(source)}: ${what}; supported: ${TEMPLATE_SUPPORTED}`);
}

function tokenize(text: string): { text?: string; action?: string }[] {
  const tokens: { text?: string; action?: string }[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf("{{", pos);
    if (open < 0) {
      tokens.push({ text: text.slice(pos) });
      break;
    }
    const close = text.indexOf("}}", open + 2);
    if (close < 0) unsupported(text, "an action `{{` is not closed with `}}`");
    let body = text.slice(open + 2, close);
    let before = text.slice(pos, open);
    // `{{- ` trims the whitespace before the action, ` -}}` the whitespace after it.
    if (/^-\s/.test(body)) {
      before = before.trimEnd();
      body = body.slice(1);
    }
    let trimAfter = false;
    if (/\s-$/.test(body)) {
      trimAfter = true;
      body = body.slice(0, -1);
    }
    if (before) tokens.push({ text: before });
    const action = body.trim();
    if (!action.startsWith("/*")) tokens.push({ action });
    pos = close + 2;
    if (trimAfter) while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  }
  return tokens;
}

function parsePipe(text: string, source: string): Cmd[] {
  const parts = splitOutsideQuotes(text.trim(), "|");
  if (parts.some((p) => p.trim() === "")) unsupported(source, `an empty command in "{{ ${text.trim()} }}"`);
  return parts.map((part) => {
    const words = (part.trim().match(/"(?:[^"\\]|\\.)*"|`[^`]*`|\S+/g) ?? []).map((w) => w);
    const [head, ...rest] = words;
    if (FUNCTIONS.has(head!)) return { fn: head!, args: rest.map((w) => argOf(w, source)) };
    if (rest.length) unsupported(source, `"${head}" is not a supported function`);
    return { args: [argOf(head!, source)] };
  });
}

function argOf(word: string, source: string): Arg {
  if (word === ".") return { field: [] };
  if (/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(word)) return { field: word.slice(1).split(".") };
  if (/^"(?:[^"\\]|\\.)*"$/.test(word)) return { str: JSON.parse(word) as string };
  if (/^`[^`]*`$/.test(word)) return { str: word.slice(1, -1) };
  return unsupported(source, `"${word}" is not supported`);
}

function splitOutsideQuotes(text: string, sep: string): string[] {
  const out: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') current += c + (text[++i] ?? "");
      else {
        if (c === quote) quote = undefined;
        current += c;
      }
    } else if (c === '"' || c === "`") {
      quote = c;
      current += c;
    } else if (c === sep) {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out;
}

function run(nodes: Node[], dot: unknown, source: string): string {
  let out = "";
  for (const node of nodes) {
    if (node.type === "text") out += node.text;
    else if (node.type === "out") out += show(evalPipe(node.pipe, dot, source), source);
    else if (node.type === "if") {
      out += run(truthy(evalPipe(node.pipe, dot, source)) ? node.body : node.alt, dot, source);
    } else {
      const value = evalPipe(node.pipe, dot, source);
      const items = Array.isArray(value) ? value : value == null ? [] : undefined;
      if (!items) throw inputError(`--format: {{ range }} needs a list, got ${typeof value}`);
      if (items.length === 0) out += run(node.alt, dot, source);
      for (const item of items) out += run(node.body, item, source);
    }
  }
  return out;
}

function evalPipe(pipe: Cmd[], dot: unknown, source: string): unknown {
  let value: unknown;
  pipe.forEach((cmd, index) => {
    const args = cmd.args.map((a) => ("str" in a ? a.str : field(dot, a.field)));
    // In a pipeline, the previous command's value is the last argument of the next one.
    if (index > 0) args.push(value);
    if (!cmd.fn) {
      if (index > 0) unsupported(source, "only a function can follow `|`");
      value = args[0];
      return;
    }
    value = call(cmd.fn, args);
  });
  return value;
}

function call(fn: string, args: unknown[]): unknown {
  switch (fn) {
    case "json": {
      const [value, ...indent] = args;
      // Go's json.Marshal escapes <, > and & for HTML; MarshalIndent(v, prefix, indent).
      const text =
        indent.length === 0
          ? JSON.stringify(value ?? null)
          : JSON.stringify(value ?? null, null, String(indent.at(-1))).replace(
              /\n/g,
              `\n${indent.length > 1 ? String(indent[0]) : ""}`,
            );
      return text.replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
    }
    case "len": {
      const v = args[0];
      if (Array.isArray(v) || typeof v === "string") return v.length;
      if (v && typeof v === "object") return Object.keys(v).length;
      return 0;
    }
    case "print":
      return args.map((a) => show(a, "")).join("");
    default:
      return `${args.map((a) => show(a, "")).join(" ")}\n`;
  }
}

function field(dot: unknown, path: string[]): unknown {
  let value = dot;
  for (const [i, name] of path.entries()) {
    if (value == null) return undefined;
    if (typeof value !== "object" || Array.isArray(value) || !(name in (value as object))) {
      const where =
        path
          .slice(0, i)
          .map((p) => `.${p}`)
          .join("") || ".";
      const fields =
        value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value).join(", ") : "none";
      throw inputError(`--format: ${where} has no field "${name}" (fields: ${fields})`);
    }
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

const truthy = (v: unknown) =>
  Array.isArray(v) ? v.length > 0 : v && typeof v === "object" ? Object.keys(v).length > 0 : Boolean(v);

function show(value: unknown, source: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (source) unsupported(source, "a list or an object prints only through json, e.g. {{ json .Applied }}");
  return JSON.stringify(value);
}

/**
 * What `--format` asks for: undefined (the default text), or a template. `json` alone is taken as
 * `{{ json . }}` (this tool's earlier spelling).
 */
export function parseFormat(format: string | undefined): FormatTemplate | undefined {
  if (format === undefined || format === "") return undefined;
  return FormatTemplate.parse(format === "json" ? '{{ json . "  " }}' : format);
}
