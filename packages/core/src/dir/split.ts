// The statement splitter: a port of Atlas's scanner (sql/migrate/lex.go) with its options as switches,
// so a file splits into the statements Atlas would run. One forward pass over the text; keyword and
// whitespace checks are hand-written (no regex over the text), and searches that fail are remembered,
// so the work stays linear in the file size.
import { RelayError } from "../errors";
import { delimiterDirective, unescapeDelimiter } from "./directives";
import type { MigrationFile } from "./types";

/** Atlas's scanner switches; POSTGRES_SPLIT is what apply uses. */
export interface SplitOptions {
  beginEnd: boolean;
  beginAtomic: boolean;
  dollarQuotes: boolean;
  backslashEscapes: boolean;
  escapedStrings: boolean;
  hashComments: boolean;
  /** Statement delimiter; default ";" (kept in the text). A custom one is stripped. */
  delimiter?: string;
}

export const POSTGRES_SPLIT: SplitOptions = {
  beginEnd: true,
  beginAtomic: true,
  dollarQuotes: true,
  backslashEscapes: false,
  escapedStrings: true,
  hashComments: false,
};

export interface Statement {
  text: string;
  /** 1-based line and column where the statement starts in the file. */
  line: number;
  col: number;
}

const DEFAULT_DELIM = ";";
const EOS = -1;

/** A scan failure at an absolute offset; turned into "line:col: message" at the top. */
class ScanError extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

/** Go's unicode.IsSpace (what strings.TrimSpace and the scanner's skipSpaces use). */
function isGoSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** RE2's `\s`: what Atlas's BEGIN/END patterns match. */
const isReSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;

/** Go's strings.TrimSpace, reporting how much was cut from the front. */
function goTrim(s: string): { text: string; lead: number } {
  let a = 0;
  let b = s.length;
  while (a < b && isGoSpace(s.charCodeAt(a))) a++;
  while (b > a && isGoSpace(s.charCodeAt(b - 1))) b--;
  return { text: s.slice(a, b), lead: a };
}

// Dollar-quote tags as PostgreSQL's scanner defines them (Atlas: `^\$([A-Za-zÈ-ÿ_][\wÈ-ÿ]*)*\$`).
const isTagStart = (c: number) =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || (c >= 0xc8 && c <= 0xff);
const isTagChar = (c: number) => isTagStart(c) || (c >= 0x30 && c <= 0x39);
/** A character that can end an identifier, so a following `E'` is not an escape-string prefix. */
const isIdentChar = (c: number) => isTagChar(c) || c === 0x24 || c > 0x7f;

interface Shared {
  text: string;
  opts: SplitOptions;
  // The whitespace run last measured: [wsFrom, wsTo) is RE2 whitespace and wsTo is not.
  wsFrom: number;
  wsTo: number;
  /** For each comment terminator, an offset from which it no longer occurs. */
  absentFrom: Map<string, number>;
  /**
   * Where a BEGIN (or BEGIN ATOMIC) body that reaches a statement start ends: -1 when it never finds
   * its END. A pure function of the offset, so each is computed once however many blocks ask.
   */
  chains: [begin: Map<number, number>, atomic: Map<number, number>];
  /** How many group scans are open; capped, since each one is a level of recursion. */
  depth: number;
}

/** BEGIN blocks deeper than this are refused rather than overflowing the stack. */
const MAX_BLOCK_DEPTH = 500;

/** Not a "this is no block" signal like ScanError: it stops the whole split. */
class TooDeep extends ScanError {}

interface Scanned {
  /** Absolute offsets of the untrimmed statement text. */
  from: number;
  to: number;
}

/** One scanner over a suffix of the text (Atlas nests scanners for BEGIN ... END bodies). */
class Scanner {
  /** Absolute offset of Atlas's `s.input`: where the statement being scanned begins. */
  private start: number;
  /** Offset into the input, just after the rune last read. */
  private pos = 0;
  private width = 0;
  private delim: string;
  /** Length of a delimiter-directive line skipped at the start (Atlas does not count it as scanned). */
  readonly uncounted: number = 0;
  private readonly text: string;
  private readonly n: number;

  constructor(
    private readonly sh: Shared,
    start: number,
    delim: string,
  ) {
    this.text = sh.text;
    this.n = sh.text.length;
    this.start = start;
    this.delim = delim;
    // `-- atlas:delimiter X` on the first line sets the delimiter; the line is not part of any statement.
    // Only a line starting with "-- " can hold it: checking first keeps nested scanners O(1) to start.
    const nl = this.text.startsWith("-- ", start) ? this.text.indexOf("\n", start) : -2;
    const d = nl === -2 ? null : delimiterDirective(this.text.slice(start, nl === -1 ? this.n : nl));
    if (d !== null) {
      this.setDelim(d, start);
      if (nl === -1) throw new ScanError(start, `no input found after delimiter ${JSON.stringify(d)}`);
      this.start = nl + 1;
      this.uncounted = nl + 1 - start;
    }
  }

  /** Absolute offset just after the last statement returned. */
  get offset(): number {
    return this.start;
  }

  get delimiter(): string {
    return this.delim;
  }

  private setDelim(d: string, at: number): void {
    if (d === "") throw new ScanError(at, "empty delimiter");
    this.delim = unescapeDelimiter(d);
  }

  private at(i: number): number {
    return i < this.n ? this.text.codePointAt(i)! : EOS;
  }

  private next(): number {
    const i = this.start + this.pos;
    if (i >= this.n) return EOS;
    const c = this.text.codePointAt(i)!;
    this.width = c > 0xffff ? 2 : 1;
    this.pos += this.width;
    return c;
  }

  private pick(): number {
    return this.at(this.start + this.pos);
  }

  private skipSpaces(): void {
    if (this.pos !== 0) return; // Atlas trims its input from the front, which is here only at pos 0.
    while (this.start < this.n) {
      const c = this.text.codePointAt(this.start)!;
      if (!isGoSpace(c)) break;
      this.start += c > 0xffff ? 2 : 1;
    }
  }

  /** The end of the RE2-whitespace run at x (x itself when text[x] is not whitespace). */
  private wsEnd(x: number): number {
    const sh = this.sh;
    if (x >= sh.wsFrom && x <= sh.wsTo) return sh.wsTo;
    let e = x;
    while (e < this.n && isReSpace(this.text.charCodeAt(e))) e++;
    sh.wsFrom = x;
    sh.wsTo = e;
    return e;
  }

  private wordAt(x: number, word: string): boolean {
    if (x + word.length > this.n) return false;
    for (let k = 0; k < word.length; k++) {
      if ((this.text.charCodeAt(x + k) | 0x20) !== word.charCodeAt(k)) return false;
    }
    return true;
  }

  /** Where `(?i)^\s*BEGIN\s+` (and `ATOMIC\s+` when atomic) matching at x ends, or -1. */
  private beginMatch(x: number, atomic: boolean): number {
    const c = this.text.charCodeAt(x);
    if ((c | 0x20) !== 0x62 && !isReSpace(c)) return -1; // Fast path: neither "b" nor whitespace.
    let j = this.wsEnd(x);
    if (!this.wordAt(j, "begin")) return -1;
    j += 5;
    const k = this.wsEnd(j);
    if (k === j) return -1;
    if (!atomic) return k;
    if (!this.wordAt(k, "atomic")) return -1;
    const e = this.wsEnd(k + 6);
    return e === k + 6 ? -1 : e;
  }

  /** The next statement, or null at the end of the input. */
  stmt(): Scanned | null {
    const opts = this.sh.opts;
    let depth = 0;
    let opening = 0;
    this.skipSpaces();
    for (;;) {
      const r = this.next();
      const here = this.start + this.pos - this.width; // offset of r
      if (r === EOS) {
        if (depth > 0) throw new ScanError(opening, "unclosed '('");
        if (this.pos > 0) return this.emit(this.n - this.start);
        return null;
      }
      if (r === 0x28) {
        if (depth === 0) opening = here;
        depth++;
      } else if (r === 0x29) {
        if (depth === 0) throw new ScanError(here, "unexpected ')'");
        depth--;
      } else if (r === 0x27 || r === 0x22 || r === 0x60) {
        this.skipQuote(r, here);
      } else if (this.pos === 1 && this.isDelimiterCommand()) {
        this.pos = "delimiter".length;
        this.delimiterCommand();
        this.skipSpaces();
      } else if (depth === 0 && this.text.startsWith(this.delim, here)) {
        this.pos = here + this.delim.length - this.start;
        return this.emit(this.pos);
      } else if (opts.dollarQuotes && r === 0x24 && this.dollarTagEnd(here) !== -1) {
        this.skipDollarQuote(here);
      } else if (r === 0x23 && opts.hashComments) {
        this.comment(1, "\n");
      } else if (r === 0x2d && this.pick() === 0x2d) {
        this.next();
        this.comment(2, "\n");
      } else if (r === 0x2f && this.pick() === 0x2a) {
        this.next();
        this.comment(2, "*/");
      } else if (this.delim === DEFAULT_DELIM && opts.beginAtomic && this.beginMatch(here, true) !== -1) {
        if (this.skipGroup(here, true)) return this.emit(this.pos);
      } else if (
        this.delim === DEFAULT_DELIM &&
        opts.beginEnd &&
        // BEGIN starts the statement, or follows at least one space (Atlas checks one rune back).
        ((this.pos === 1 && this.beginMatch(here, false) !== -1) ||
          (this.pos > 1 && this.beginMatch(here - 1, false) !== -1))
      ) {
        if (this.beginMatch(here, false) !== -1 && this.skipGroup(here, false)) return this.emit(this.pos);
      }
    }
  }

  /** Ends the statement after `length` input characters and moves the input past it. */
  private emit(length: number): Scanned {
    const from = this.start;
    this.start += this.pos;
    this.pos = 0;
    return { from, to: from + length };
  }

  private isDelimiterCommand(): boolean {
    const s = this.start;
    return this.n - s > 9 && this.text.slice(s, s + 9).toLowerCase() === "delimiter";
  }

  /** MySQL's `DELIMITER x` client command at the start of a statement (Atlas honours it everywhere). */
  private delimiterCommand(): void {
    if (this.pick() !== 0x20) return;
    let r = this.pick();
    while (r !== EOS && r !== 0x0a) r = this.next();
    let d = goTrim(this.text.slice(this.start + 9, this.start + this.pos)).text;
    if (d.length >= 2 && d.startsWith("'") && d.endsWith("'")) d = d.slice(1, -1).replaceAll("''", "'");
    this.setDelim(d, this.start);
    this.emit(this.pos);
  }

  private skipQuote(quote: number, at: number): void {
    const opts = this.sh.opts;
    // E'...' (PostgreSQL escape strings): the E must start a token, as in PostgreSQL's lexer.
    const prefixed =
      quote === 0x27 &&
      at > 0 &&
      (this.text.charCodeAt(at - 1) | 0x20) === 0x65 &&
      !(at > 1 && isIdentChar(this.text.charCodeAt(at - 2)));
    const escaped = opts.backslashEscapes || (opts.escapedStrings && prefixed);
    for (;;) {
      const r = this.next();
      if (r === EOS) {
        const q = String.fromCharCode(quote);
        throw new ScanError(at, `unclosed quote '${q === "'" ? "\\'" : q}'`);
      }
      if (r === 0x5c && escaped) this.next();
      else if (r === quote) return;
    }
  }

  /** Where the opening dollar-quote tag at x ends (after its second `$`), or -1. */
  private dollarTagEnd(x: number): number {
    let j = x + 1;
    if (j < this.n && isTagStart(this.text.charCodeAt(j))) {
      j++;
      while (j < this.n && isTagChar(this.text.charCodeAt(j))) j++;
    }
    return j < this.n && this.text.charCodeAt(j) === 0x24 ? j + 1 : -1;
  }

  private skipDollarQuote(x: number): void {
    const end = this.dollarTagEnd(x);
    const tag = this.text.slice(x, end);
    const close = this.find(tag, end);
    // Unclosed: Atlas lets the quote run to the end of the input.
    this.pos = (close === -1 ? this.n : close + tag.length) - this.start;
  }

  /** The first `term` at or after `from`, remembering misses so later searches cost nothing. */
  private find(term: string, from: number): number {
    const absent = this.sh.absentFrom.get(term);
    if (absent !== undefined && from >= absent) return -1;
    const i = this.text.indexOf(term, from);
    if (i === -1) this.sh.absentFrom.set(term, Math.min(from, absent ?? from));
    return i;
  }

  /** A comment: inside a statement it stays in the text; before one it is dropped. */
  private comment(leftLength: number, right: string): void {
    const i = this.find(right, this.start + this.pos);
    if (i === -1) return; // Not a comment (Atlas scans on as statement text).
    const leading = this.pos === leftLength;
    this.pos = i + right.length - this.start;
    if (!leading) return;
    this.start += this.pos;
    this.pos = 0;
    this.skipSpaces();
  }

  /**
   * BEGIN ... END or BEGIN ATOMIC ... END at x: a nested scanner reads statements until END; the
   * block then ends the statement. Like Atlas, a match that does not pan out still skips the keywords.
   */
  private skipGroup(x: number, atomic: boolean): boolean {
    const bodyStart = this.beginMatch(x, atomic);
    this.pos = bodyStart - this.start;
    const end = this.groupEnd(bodyStart, atomic, x);
    if (end === -1) return false;
    this.pos = end - this.start;
    return true;
  }

  private groupEnd(from: number, atomic: boolean, keyword: number): number {
    const sh = this.sh;
    const chain = sh.chains[atomic ? 1 : 0];
    const visited: number[] = [];
    let end = -1;
    let uncounted = 0;
    if (sh.depth >= MAX_BLOCK_DEPTH) {
      throw new TooDeep(keyword, `BEGIN blocks nest more than ${MAX_BLOCK_DEPTH} deep; split the file`);
    }
    sh.depth++;
    try {
      const body = new Scanner(sh, from, DEFAULT_DELIM);
      uncounted = body.uncounted;
      for (;;) {
        if (body.delimiter === DEFAULT_DELIM) {
          const known = chain.get(body.offset);
          if (known !== undefined) {
            end = known;
            break;
          }
          visited.push(body.offset);
        }
        const s = body.stmt();
        if (s === null) break; // Atlas: unexpected eof when scanning the body.
        const { text } = body.textOf(s);
        if (!/^end/i.test(text)) continue;
        if (atomic) {
          end = body.offset;
          break;
        }
        // BEGIN ... END closes only on a bare `END` (optionally followed by the delimiter).
        let m = 3;
        while (m < text.length && isReSpace(text.charCodeAt(m))) m++;
        if (m === text.length || text.slice(m) === DEFAULT_DELIM) {
          end = body.offset;
          break;
        }
      }
    } catch (err) {
      if (!(err instanceof ScanError) || err instanceof TooDeep) throw err;
      end = -1; // Atlas: a body that does not scan is no block.
    } finally {
      sh.depth--;
    }
    for (const at of visited) chain.set(at, end);
    // Atlas advances by what the body scanner counted, which leaves out a directive line it skipped.
    return end === -1 ? -1 : end - uncounted;
  }

  /** The statement text as Atlas emits it: custom delimiter stripped, then trimmed. */
  textOf(s: Scanned): { text: string; lead: number } {
    let raw = this.text.slice(s.from, s.to);
    if (this.delim !== DEFAULT_DELIM && raw.endsWith(this.delim)) raw = raw.slice(0, -this.delim.length);
    return goTrim(raw);
  }
}

/** Line and column (1-based) of offsets, asked for in increasing order. */
class Lines {
  private at = 0;
  private line = 1;
  private lineStart = 0;
  constructor(private readonly text: string) {}

  of(offset: number): { line: number; col: number } {
    if (offset < this.at) {
      this.at = 0;
      this.line = 1;
      this.lineStart = 0;
    }
    for (;;) {
      const nl = this.text.indexOf("\n", this.at);
      if (nl === -1 || nl >= offset) break;
      this.line++;
      this.lineStart = nl + 1;
      this.at = nl + 1;
    }
    this.at = offset;
    return { line: this.line, col: offset - this.lineStart + 1 };
  }
}

/** Splits SQL text into statements; errors (unclosed quote, ...) carry line:col. */
export function splitStatements(src: string, options: SplitOptions = POSTGRES_SPLIT): Statement[] {
  const sh: Shared = {
    text: src,
    opts: options,
    wsFrom: -1,
    wsTo: -1,
    absentFrom: new Map(),
    chains: [new Map(), new Map()],
    depth: 0,
  };
  const lines = new Lines(src);
  const out: Statement[] = [];
  try {
    const sc = new Scanner(sh, 0, options.delimiter ?? DEFAULT_DELIM);
    for (;;) {
      const s = sc.stmt();
      if (s === null) return out;
      const { text, lead } = sc.textOf(s);
      out.push({ text, ...lines.of(s.from + lead) });
    }
  } catch (err) {
    if (!(err instanceof ScanError)) throw err;
    const { line, col } = new Lines(src).of(err.at);
    throw new RelayError("migration", `${line}:${col}: ${err.message}`);
  }
}

const decoder = new TextDecoder();

/** The statements of a migration file as apply runs them: PostgreSQL options + the file's delimiter directive. */
export function fileStatements(file: MigrationFile): Statement[] {
  try {
    return splitStatements(decoder.decode(file.content), POSTGRES_SPLIT);
  } catch (err) {
    if (err instanceof RelayError) throw new RelayError(err.kind, `${file.name}:${err.message}`);
    throw err;
  }
}
