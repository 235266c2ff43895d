// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${" here is HCL syntax, not a JS template
// Tokens -> syntax tree (HCL native syntax). Newlines end attributes; inside (), [] and ${} they are
// insignificant; inside an object constructor they separate items, like commas.
import type { Attribute, Block, Body, Expr } from "./ast";
import { SPLAT_ITEM } from "./ast";
import { lex, type Token } from "./lexer";
import { errorAt, MAX_NESTING, type Span, tooDeep, where } from "./source";

export function parse(source: string, file: string): Body {
  const parser = new Parser(lex(source, file), file, false);
  const body = parser.body(true);
  return body;
}

const BINARY_LEVELS: string[][] = [
  ["||"],
  ["&&"],
  ["==", "!="],
  ["<", ">", "<=", ">="],
  ["+", "-"],
  ["*", "/", "%"],
];

const describeToken = (t: Token): string => {
  if (t.kind === "newline" || (t.kind === "eof" && t.text === "end of file")) return t.text;
  return t.kind === "template" ? "a string" : `"${t.text}"`;
};

const span = (from: Span, to: Span): Span => ({ pos: from.pos, start: from.start, end: to.end });

class Parser {
  private i = 0;
  /** Whether newlines are skipped at the current nesting (true inside (), [] and ${}). */
  private skipNewlines: boolean[];

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
    skipNewlines: boolean,
    /** Nesting so far (blocks, expressions, operator and postfix chains): bounded by MAX_NESTING. */
    private depth = 0,
  ) {
    this.skipNewlines = [skipNewlines];
  }

  /** Runs `fn` one level deeper; past MAX_NESTING, a positioned error instead of a stack overflow. */
  private deeper<T>(at: Span, levels: number, fn: () => T): T {
    if (this.depth + levels > MAX_NESTING) throw tooDeep(this.file, at.pos);
    this.depth += levels;
    try {
      return fn();
    } finally {
      this.depth -= levels;
    }
  }

  // ---- token access ----

  private peek(): Token {
    if (this.skipNewlines[this.skipNewlines.length - 1]) {
      while (this.tokens[this.i]!.kind === "newline") this.i++;
    }
    return this.tokens[this.i]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.i++;
    return t;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t.kind === "punct" && t.text === text;
  }

  private eat(text: string): boolean {
    if (!this.isPunct(text)) return false;
    this.next();
    return true;
  }

  private expect(text: string, what: string): Token {
    const t = this.peek();
    if (t.kind !== "punct" || t.text !== text) throw this.unexpected(t, what);
    return this.next();
  }

  private unexpected(t: Token, expected: string): Error {
    return errorAt(this.file, t.pos, `unexpected ${describeToken(t)}; expected ${expected}`);
  }

  private skipBlankLines(): void {
    while (this.tokens[this.i]!.kind === "newline") this.i++;
  }

  private nested<T>(skip: boolean, fn: () => T): T {
    this.skipNewlines.push(skip);
    try {
      return fn();
    } finally {
      this.skipNewlines.pop();
    }
  }

  // ---- structure ----

  body(topLevel: boolean, opener?: Token): Body {
    const body: Body = { attributes: [], blocks: [] };
    const seen = new Map<string, Attribute>();
    for (;;) {
      this.skipBlankLines();
      const t = this.tokens[this.i]!;
      if (t.kind === "eof") {
        if (opener) {
          const at = `line ${opener.pos.line}, column ${opener.pos.col}`;
          throw this.unexpected(t, `a "}" to close the block opened at ${at}`);
        }
        return body;
      }
      if (t.kind === "punct" && t.text === "}") {
        if (topLevel) throw this.unexpected(t, "an attribute name or a block type");
        return body;
      }
      if (t.kind !== "ident") throw this.unexpected(t, "an attribute name or a block type");
      this.i++;
      const after = this.tokens[this.i]!;
      if (after.kind === "punct" && after.text === "=") {
        this.i++;
        const expr = this.nested(false, () => this.expression());
        const attr: Attribute = { name: t.text, expr, ...span(t, expr) };
        const first = seen.get(t.text);
        if (first) {
          throw errorAt(
            this.file,
            t.pos,
            `duplicate attribute "${t.text}"; it is already set at ${where(this.file, first.pos)}`,
          );
        }
        seen.set(t.text, attr);
        body.attributes.push(attr);
      } else {
        body.blocks.push(this.block(t));
      }
      this.endOfItem();
    }
  }

  /** An attribute or block ends at a newline, the end of the file, or the "}" of a one-line block. */
  private endOfItem(): void {
    const t = this.tokens[this.i]!;
    if (t.kind === "newline") {
      this.i++;
      return;
    }
    if (t.kind === "eof" || (t.kind === "punct" && t.text === "}")) return;
    throw this.unexpected(t, "a newline after the attribute or block");
  }

  private block(typeToken: Token): Block {
    const labels: string[] = [];
    const labelSpans: Span[] = [];
    for (;;) {
      const t = this.tokens[this.i]!;
      if (t.kind === "ident") {
        labels.push(t.text);
      } else if (t.kind === "template" && !t.heredoc && t.parts.every((p) => typeof p === "string")) {
        labels.push(t.parts.join(""));
      } else if (t.kind === "punct" && t.text === "{") {
        break;
      } else {
        const expected = labels.length === 0 ? '"=" or a block label or "{"' : 'a block label or "{"';
        throw this.unexpected(t, expected);
      }
      labelSpans.push(t);
      this.i++;
    }
    const open = this.tokens[this.i]!;
    this.i++;
    const body = this.deeper(open, 1, () => this.nested(false, () => this.body(false, open)));
    const close = this.tokens[this.i]!;
    this.i++; // "}"
    return { type: typeToken.text, labels, labelSpans, body, ...span(typeToken, close) };
  }

  // ---- expressions ----

  expression(): Expr {
    return this.deeper(this.peek(), 1, () => this.conditional());
  }

  private conditional(): Expr {
    const cond = this.binary(0);
    if (!this.isPunct("?")) return cond;
    this.next();
    const then = this.nested(true, () => this.expression());
    this.nested(true, () => this.expect(":", 'the ":" of a conditional'));
    const otherwise = this.expression();
    return { type: "conditional", cond, then, else: otherwise, ...span(cond, otherwise) };
  }

  private binary(level: number): Expr {
    if (level === BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (let chain = 1; ; chain++) {
      const t = this.peek();
      if (t.kind !== "punct" || !BINARY_LEVELS[level]!.includes(t.text)) return left;
      this.next();
      // A chain builds a left-deep tree the evaluator walks recursively: it counts as nesting.
      const right = this.deeper(t, chain, () => this.binary(level + 1));
      left = { type: "binary", op: t.text, left, right, ...span(left, right) };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === "punct" && (t.text === "!" || t.text === "-")) {
      this.next();
      const operand = this.deeper(t, 1, () => this.unary());
      return { type: "unary", op: t.text, operand, ...span(t, operand) };
    }
    return this.postfix(this.primary());
  }

  private postfix(expr: Expr): Expr {
    for (let chain = 0; ; chain++) {
      // Attribute and index access must follow directly: a newline ends the expression.
      const t = this.tokens[this.i]!;
      if (this.depth + chain > MAX_NESTING) throw tooDeep(this.file, t.pos);
      if (t.kind === "punct" && t.text === ".") {
        this.i++;
        const name = this.tokens[this.i]!;
        if (name.kind === "punct" && name.text === "*") {
          this.i++;
          expr = this.splat(expr, name);
          continue;
        }
        if (name.kind !== "ident" && name.kind !== "number")
          throw this.unexpected(name, 'an attribute name after "."');
        this.i++;
        if (name.kind === "number") {
          const key: Expr = { type: "literal", value: Number(name.text), ...span(name, name) };
          expr = { type: "index", object: expr, key, ...span(expr, name) };
        } else {
          expr = { type: "getattr", object: expr, name: name.text, nameSpan: name, ...span(expr, name) };
        }
        continue;
      }
      if (t.kind === "punct" && t.text === "[") {
        this.i++;
        const star = this.tokens[this.i]!;
        if (star.kind === "punct" && star.text === "*") {
          this.i++;
          const close = this.nested(true, () => this.expect("]", 'the "]" of a splat'));
          expr = this.splat(expr, close);
          continue;
        }
        const key = this.nested(true, () => this.expression());
        const close = this.nested(true, () => this.expect("]", 'a closing "]"'));
        expr = { type: "index", object: expr, key, ...span(expr, close) };
        continue;
      }
      return expr;
    }
  }

  /** `xs[*].a.b`: the attribute steps after the star apply to each element. */
  private splat(object: Expr, star: Span): Expr {
    let each: Expr = { type: "variable", name: SPLAT_ITEM, ...star };
    for (;;) {
      const dot = this.tokens[this.i]!;
      const name = this.tokens[this.i + 1]!;
      if (dot.kind !== "punct" || dot.text !== "." || name.kind !== "ident") break;
      this.i += 2;
      each = { type: "getattr", object: each, name: name.text, nameSpan: name, ...span(each, name) };
    }
    return { type: "splat", object, each, ...span(object, each) };
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case "number":
        return { type: "literal", value: Number(t.text), ...span(t, t) };
      case "template":
        return this.template(t);
      case "ident": {
        if (t.text === "true" || t.text === "false")
          return { type: "literal", value: t.text === "true", ...span(t, t) };
        if (t.text === "null") return { type: "literal", value: null, ...span(t, t) };
        const after = this.tokens[this.i]!;
        if (after.kind === "punct" && after.text === "(") {
          this.i++;
          return this.call(t);
        }
        return { type: "variable", name: t.text, ...span(t, t) };
      }
      case "punct":
        if (t.text === "(") {
          const inner = this.nested(true, () => this.expression());
          const close = this.nested(true, () => this.expect(")", 'a closing ")"'));
          return { ...inner, ...span(t, close) };
        }
        if (t.text === "[") return this.nested(true, () => this.tuple(t));
        if (t.text === "{") return this.nested(false, () => this.object(t));
        throw this.unexpected(t, "an expression");
      default:
        throw this.unexpected(t, "an expression");
    }
  }

  private template(t: Token & { kind: "template" }): Expr {
    const parts = t.parts.map((part) => {
      if (typeof part === "string") return part;
      const sub = new Parser(part.tokens, this.file, true, this.depth);
      const first = sub.peek();
      if (first.kind === "eof")
        throw errorAt(this.file, part.span.pos, 'empty "${}"; expected an expression');
      const expr = sub.expression();
      const end = sub.peek();
      if (end.kind !== "eof") throw sub.unexpected(end, 'the "}" that closes "${"');
      return expr;
    });
    if (parts.every((p) => typeof p === "string")) {
      return { type: "literal", value: (parts as string[]).join(""), ...span(t, t) };
    }
    return { type: "template", parts, ...span(t, t) };
  }

  private call(name: Token): Expr {
    return this.nested(true, () => {
      const args: Expr[] = [];
      let expandLast = false;
      while (!this.isPunct(")")) {
        args.push(this.expression());
        if (this.eat("...")) {
          expandLast = true;
          if (!this.isPunct(")")) throw this.unexpected(this.peek(), 'a closing ")" after "..."');
          break;
        }
        if (!this.eat(",") && !this.isPunct(")"))
          throw this.unexpected(this.peek(), `"," or ")" in the call to ${name.text}`);
      }
      const close = this.next();
      return { type: "call", name: name.text, args, expandLast, ...span(name, close) };
    });
  }

  private isForKeyword(): boolean {
    const t = this.peek();
    const after = this.tokens[this.i + 1];
    return t.kind === "ident" && t.text === "for" && after?.kind === "ident";
  }

  private tuple(open: Token): Expr {
    if (this.isForKeyword()) return this.forExpr(open, false);
    const items: Expr[] = [];
    while (!this.isPunct("]")) {
      items.push(this.expression());
      if (!this.eat(",") && !this.isPunct("]")) throw this.unexpected(this.peek(), '"," or "]" in the list');
    }
    const close = this.next();
    return { type: "tuple", items, ...span(open, close) };
  }

  private object(open: Token): Expr {
    this.skipBlankLines();
    if (this.isForKeyword()) return this.nested(true, () => this.forExpr(open, true));
    const items: { key: Expr; value: Expr }[] = [];
    for (;;) {
      this.skipBlankLines();
      if (this.isPunct("}")) break;
      const key = this.objectKey();
      const sep = this.peek();
      if (sep.kind !== "punct" || (sep.text !== "=" && sep.text !== ":")) {
        throw this.unexpected(sep, '"=" or ":" after the object key');
      }
      this.next();
      const value = this.expression();
      items.push({ key, value });
      const t = this.tokens[this.i]!;
      if (t.kind === "newline" || (t.kind === "punct" && t.text === ",")) {
        this.i++;
        continue;
      }
      if (t.kind === "punct" && t.text === "}") break;
      throw this.unexpected(t, '"," or a newline or "}" in the object');
    }
    const close = this.next();
    return { type: "object", items, ...span(open, close) };
  }

  /** A bare identifier key is its own name (`{ a = 1 }`), not a variable; anything else is an expression. */
  private objectKey(): Expr {
    const t = this.peek();
    const after = this.tokens[this.i + 1];
    if (t.kind === "ident" && after?.kind === "punct" && (after.text === "=" || after.text === ":")) {
      this.next();
      return { type: "literal", value: t.text, ...span(t, t) };
    }
    return this.binary(0);
  }

  private forExpr(open: Token, object: boolean): Expr {
    this.next(); // "for"
    const first = this.next();
    if (first.kind !== "ident") throw this.unexpected(first, 'a variable name after "for"');
    let keyVar: string | undefined;
    let valueVar = first.text;
    if (this.eat(",")) {
      const second = this.next();
      if (second.kind !== "ident") throw this.unexpected(second, 'a second variable name after ","');
      keyVar = first.text;
      valueVar = second.text;
    }
    const inKw = this.next();
    if (inKw.kind !== "ident" || inKw.text !== "in") throw this.unexpected(inKw, '"in"');
    const collection = this.expression();
    this.expect(":", 'the ":" of a for expression');
    let key: Expr | undefined;
    let value = this.expression();
    let grouping = false;
    if (object) {
      this.expect("=>", 'the "=>" of an object for expression');
      key = value;
      value = this.expression();
      grouping = this.eat("...");
    }
    let cond: Expr | undefined;
    const ifKw = this.peek();
    if (ifKw.kind === "ident" && ifKw.text === "if") {
      this.next();
      cond = this.expression();
    }
    const close = this.expect(object ? "}" : "]", object ? 'a closing "}"' : 'a closing "]"');
    return {
      type: "for",
      object,
      ...(keyVar !== undefined ? { keyVar } : {}),
      valueVar,
      collection,
      ...(key ? { key } : {}),
      value,
      grouping,
      ...(cond ? { cond } : {}),
      ...span(open, close),
    };
  }
}
