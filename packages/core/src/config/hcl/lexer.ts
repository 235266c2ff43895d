// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${" here is HCL syntax, not a JS template
// HCL native syntax -> tokens. Strings and heredocs become one template token whose `${...}` parts hold
// their own token lists, so the parser never has to switch lexing modes.
import { errorAt, MAX_CONFIG_BYTES, MAX_NESTING, type Pos, type Span, tooDeep } from "./source";

export type TemplatePart = string | { tokens: Token[]; span: Span };

export type Token =
  | (Span & { kind: "ident" | "number" | "punct" | "newline" | "eof"; text: string })
  | (Span & { kind: "template"; text: string; parts: TemplatePart[]; heredoc: boolean });

// Longest first, so "==" wins over "=" and "..." over ".".
const PUNCTUATION = [
  "...",
  "=>",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "{",
  "}",
  "[",
  "]",
  "(",
  ")",
  "=",
  ",",
  ".",
  ":",
  "?",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  "!",
];

const PUNCTUATION_BY_FIRST = new Map<string, string[]>();
for (const p of PUNCTUATION) PUNCTUATION_BY_FIRST.set(p[0]!, [...(PUNCTUATION_BY_FIRST.get(p[0]!) ?? []), p]);

const ID_START = /[\p{L}_]/u;
const ID_CONTINUE = /[\p{L}\p{N}_-]/u;
// ASCII fast paths: the Unicode classes above are only consulted for other characters.
const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isIdStart = (c: string): boolean =>
  (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || (c > "\x7f" && ID_START.test(c));
const isIdContinue = (c: string): boolean =>
  isIdStart(c) || isDigit(c) || c === "-" || (c > "\x7f" && ID_CONTINUE.test(c));
const HEREDOC_START = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/;

export function lex(source: string, file: string): Token[] {
  if (source.length > MAX_CONFIG_BYTES) {
    const mb = (source.length / 1024 / 1024).toFixed(1);
    throw errorAt(
      file,
      { line: 1, col: 1 },
      `the file is ${mb} MB; the limit is ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`,
    );
  }
  return new Lexer(source, file).tokens(false);
}

class Lexer {
  private i = 0;
  private line = 1;
  private col = 1;
  /** How many "${" we are inside: each is a recursion. */
  private interpolations = 0;

  constructor(
    private readonly src: string,
    private readonly file: string,
  ) {
    // Editors on Windows may save a byte-order mark; it is not part of the first line's columns.
    if (src.startsWith("\uFEFF")) this.i = 1;
  }

  /** Tokens up to the end of the file, or (inside `${`) up to the brace that closes the interpolation. */
  tokens(inInterpolation: boolean): Token[] {
    const out: Token[] = [];
    let depth = 0;
    for (;;) {
      this.skipSpaceAndComments();
      const pos = this.pos();
      const start = this.i;
      const c = this.src[this.i];
      if (c === undefined) {
        if (inInterpolation) throw errorAt(this.file, pos, 'unterminated "${"; expected "}"');
        out.push({ kind: "eof", text: "end of file", pos, start, end: start });
        return out;
      }
      if (c === "\n" || (c === "\r" && this.src[this.i + 1] === "\n")) {
        this.advance(c === "\r" ? 2 : 1);
        out.push({ kind: "newline", text: "newline", pos, start, end: this.i });
        continue;
      }
      if (inInterpolation && c === "}" && depth === 0) {
        this.advance(1);
        out.push({ kind: "eof", text: "}", pos, start, end: start });
        return out;
      }
      if (c === '"') {
        out.push(this.quoted());
        continue;
      }
      if (c === "<" && this.src[this.i + 1] === "<") {
        const heredoc = this.heredoc();
        if (heredoc) {
          out.push(heredoc);
          continue;
        }
      }
      if (isDigit(c)) {
        const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.src.slice(this.i, this.i + 64))!;
        this.advance(m[0].length);
        out.push({ kind: "number", text: m[0], pos, start, end: this.i });
        continue;
      }
      if (isIdStart(c)) {
        let j = this.i + 1;
        while (j < this.src.length && isIdContinue(this.src[j]!)) j++;
        const text = this.src.slice(this.i, j);
        this.advance(j - this.i);
        out.push({ kind: "ident", text, pos, start, end: this.i });
        continue;
      }
      const punct = (PUNCTUATION_BY_FIRST.get(c) ?? []).find((p) => this.src.startsWith(p, this.i));
      if (!punct) {
        throw errorAt(this.file, pos, `unexpected character ${JSON.stringify(c)}; expected an expression`);
      }
      if (punct === "{") depth++;
      if (punct === "}") depth--;
      this.advance(punct.length);
      out.push({ kind: "punct", text: punct, pos, start, end: this.i });
    }
  }

  private pos(): Pos {
    return { line: this.line, col: this.col };
  }

  private advance(n: number): void {
    for (let k = 0; k < n; k++) {
      if (this.src[this.i] === "\n") {
        this.line++;
        this.col = 1;
      } else {
        this.col++;
      }
      this.i++;
    }
  }

  private skipSpaceAndComments(): void {
    for (;;) {
      const c = this.src[this.i];
      if (c === " " || c === "\t" || (c === "\r" && this.src[this.i + 1] !== "\n")) {
        this.advance(1);
      } else if (c === "#" || (c === "/" && this.src[this.i + 1] === "/")) {
        // Line comment: the newline after it still ends the attribute, so leave it in place.
        while (
          this.i < this.src.length &&
          this.src[this.i] !== "\n" &&
          !this.src.startsWith("\r\n", this.i)
        ) {
          this.advance(1);
        }
      } else if (c === "/" && this.src[this.i + 1] === "*") {
        const pos = this.pos();
        const end = this.src.indexOf("*/", this.i + 2);
        if (end === -1)
          throw errorAt(this.file, pos, 'unterminated comment; expected "*/" before the end of the file');
        this.advance(end + 2 - this.i);
      } else {
        return;
      }
    }
  }

  /** `"..."`: escapes, `${...}` interpolations; may not span lines. */
  private quoted(): Token {
    const pos = this.pos();
    const start = this.i;
    this.advance(1);
    const parts: TemplatePart[] = [];
    let literal = "";
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined || c === "\n" || (c === "\r" && this.src[this.i + 1] === "\n")) {
        throw errorAt(
          this.file,
          pos,
          'unterminated string; expected a closing quote (") before the end of the line',
        );
      }
      if (c === '"') {
        this.advance(1);
        break;
      }
      if (c === "\\") {
        literal += this.escape();
        continue;
      }
      const interpolation = this.templateSequence();
      if (interpolation === undefined) {
        literal += c;
        this.advance(1);
      } else if (typeof interpolation === "string") {
        literal += interpolation;
      } else {
        if (literal) parts.push(literal);
        literal = "";
        parts.push(interpolation);
      }
    }
    if (literal || parts.length === 0) parts.push(literal);
    return {
      kind: "template",
      text: this.src.slice(start, this.i),
      parts,
      heredoc: false,
      pos,
      start,
      end: this.i,
    };
  }

  /**
   * At `$${` / `%%{` (escaped, returns the literal text), `${` (returns the interpolation's tokens),
   * `%{` (template directives are not supported: an error), else undefined.
   */
  private templateSequence(): string | { tokens: Token[]; span: Span } | undefined {
    const c = this.src[this.i];
    if (c !== "$" && c !== "%") return undefined;
    const rest2 = this.src.slice(this.i, this.i + 3);
    if (rest2 === "$${" || rest2 === "%%{") {
      this.advance(3);
      return `${rest2[0]}{`;
    }
    if (rest2.startsWith("${")) {
      const pos = this.pos();
      const start = this.i;
      this.advance(2);
      if (++this.interpolations > MAX_NESTING) throw tooDeep(this.file, pos);
      const tokens = this.tokens(true);
      this.interpolations--;
      return { tokens, span: { pos, start, end: this.i } };
    }
    if (rest2.startsWith("%{")) {
      throw errorAt(
        this.file,
        this.pos(),
        'template directives ("%{...}") are not supported; use a conditional or a for expression inside "${...}", or write "%%{" for a literal "%{"',
      );
    }
    return undefined;
  }

  private escape(): string {
    const pos = this.pos();
    const next = this.src[this.i + 1];
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
    if (next !== undefined && next in simple) {
      this.advance(2);
      return simple[next]!;
    }
    const hex = next === "u" ? 4 : next === "U" ? 8 : 0;
    const digits = this.src.slice(this.i + 2, this.i + 2 + hex);
    if (hex && new RegExp(`^[0-9A-Fa-f]{${hex}}$`).test(digits)) {
      const code = Number.parseInt(digits, 16);
      if (code <= 0x10ffff) {
        this.advance(2 + hex);
        return String.fromCodePoint(code);
      }
    }
    const found = this.src.slice(this.i, this.i + 2 + hex).replace(/[\r\n"].*$/s, "");
    throw errorAt(
      this.file,
      pos,
      `invalid escape "${found}" in a string; expected one of \\n \\r \\t \\" \\\\ \\uNNNN \\UNNNNNNNN`,
    );
  }

  /** `<<EOT` / `<<-EOT` up to a line holding only the marker; undefined when `<<` does not start one. */
  private heredoc(): Token | undefined {
    const m = HEREDOC_START.exec(this.src.slice(this.i, this.i + 256));
    if (!m) return undefined;
    const pos = this.pos();
    const start = this.i;
    const strip = m[1] === "-";
    const marker = m[2]!;
    this.advance(m[0].length);
    const bodyStart = this.i;
    // Find the closing line first, so the body's end is known before its templates are lexed.
    let lineStart = bodyStart;
    let bodyEnd = -1;
    let after = -1;
    while (lineStart <= this.src.length) {
      const nl = this.src.indexOf("\n", lineStart);
      const lineEnd = nl === -1 ? this.src.length : nl;
      if (this.src.slice(lineStart, lineEnd).replace(/\r$/, "").trim() === marker) {
        bodyEnd = lineStart;
        after = lineEnd;
        break;
      }
      if (nl === -1) break;
      lineStart = nl + 1;
    }
    if (bodyEnd === -1) {
      throw errorAt(
        this.file,
        pos,
        `unterminated heredoc; expected a line with only "${marker}" before the end of the file`,
      );
    }
    const parts: TemplatePart[] = [];
    let literal = "";
    while (this.i < bodyEnd) {
      const interpolation = this.templateSequence();
      if (interpolation === undefined) {
        literal += this.src[this.i];
        this.advance(1);
      } else if (typeof interpolation === "string") {
        literal += interpolation;
      } else {
        if (this.i > bodyEnd) {
          throw errorAt(this.file, interpolation.span.pos, 'unterminated "${" in heredoc; expected "}"');
        }
        if (literal) parts.push(literal);
        literal = "";
        parts.push(interpolation);
      }
    }
    if (literal || parts.length === 0) parts.push(literal);
    this.advance(after - this.i);
    const text = this.src.slice(start, this.i);
    const body = strip ? stripIndent(parts, minIndent(this.src.slice(bodyStart, bodyEnd))) : parts;
    return { kind: "template", text, parts: body, heredoc: true, pos, start, end: this.i };
  }
}

/** The smallest leading whitespace over the body's non-blank lines (for `<<-`). */
function minIndent(body: string): number {
  let min = Number.POSITIVE_INFINITY;
  for (const line of body.split("\n")) {
    if (line.trim() === "") continue;
    min = Math.min(min, /^[ \t]*/.exec(line)![0].length);
  }
  return Number.isFinite(min) ? min : 0;
}

/** Removes up to `n` leading spaces/tabs from every line that starts inside a literal part. */
function stripIndent(parts: TemplatePart[], n: number): TemplatePart[] {
  if (n === 0) return parts;
  let atLineStart = true;
  return parts.map((part) => {
    if (typeof part !== "string") {
      atLineStart = false;
      return part;
    }
    const lines = part.split("\n");
    const out = lines.map((line, k) =>
      k > 0 || atLineStart ? line.replace(new RegExp(`^[ \\t]{0,${n}}`), "") : line,
    );
    atLineStart = part.endsWith("\n");
    return out.join("\n");
  });
}
