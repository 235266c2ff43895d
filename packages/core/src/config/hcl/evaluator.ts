// Expressions -> values. Names resolve through for-expression variables, then per-attribute enums,
// then namespaces (local, var, each, atlas, data) that the caller supplies and resolves lazily.
import { RelayError } from "../../errors";
import type { Expr } from "./ast";
import { SPLAT_ITEM } from "./ast";
import type { HclFunction } from "./function";
import { closest, didYouMean, errorAt, type Span } from "./source";
import { asString, describe, equal, isList, isObject, type ObjectValue, type Value } from "./values";

export interface Namespace {
  /** The value of `<root>.<name>`; throws a positioned error when `name` is unknown. */
  get(name: string, at: Expr & { type: "getattr" }): Value;
}

export interface EvalContext {
  file: string;
  source: string;
  namespaces: ReadonlyMap<string, Namespace>;
  functions: ReadonlyMap<string, HclFunction>;
  /** Bare identifiers that mean a string in this attribute only (Atlas's enums, e.g. LINEAR_SKIP). */
  enums?: ReadonlyMap<string, string>;
}

export function evaluate(expr: Expr, ctx: EvalContext): Value {
  return new Evaluator(ctx).eval(expr);
}

class Evaluator {
  /** Variables of enclosing for expressions and splats, innermost last. */
  private readonly scopes: Map<string, Value>[] = [];

  constructor(private readonly ctx: EvalContext) {}

  private fail(at: Span, message: string): never {
    throw errorAt(this.ctx.file, at.pos, message);
  }

  private text(at: Span): string {
    return this.ctx.source.slice(at.start, at.end);
  }

  private lookupScope(name: string): Value | undefined {
    for (let k = this.scopes.length - 1; k >= 0; k--) {
      const scope = this.scopes[k]!;
      if (scope.has(name)) return scope.get(name)!;
    }
    return undefined;
  }

  eval(expr: Expr): Value {
    switch (expr.type) {
      case "literal":
        return expr.value;
      case "template":
        return this.template(expr);
      case "variable":
        return this.variable(expr);
      case "getattr":
        return this.getattr(expr);
      case "index":
        return this.index(expr);
      case "splat":
        return this.splat(expr);
      case "call":
        return this.call(expr);
      case "tuple":
        return expr.items.map((item) => this.eval(item));
      case "object": {
        const out: ObjectValue = new Map();
        for (const { key, value } of expr.items) out.set(this.key(key), this.eval(value));
        return out;
      }
      case "unary":
        return expr.op === "!"
          ? !this.bool(expr.operand, 'operator "!"')
          : -this.number(expr.operand, 'operator "-"');
      case "binary":
        return this.binary(expr);
      case "conditional":
        return this.bool(expr.cond, "the condition") ? this.eval(expr.then) : this.eval(expr.else);
      case "for":
        return this.forExpr(expr);
    }
  }

  private template(expr: Expr & { type: "template" }): Value {
    // "${x}" alone yields x itself, of any type, as in HCL.
    if (expr.parts.length === 1 && typeof expr.parts[0] !== "string") return this.eval(expr.parts[0]!);
    let out = "";
    for (const part of expr.parts) {
      if (typeof part === "string") {
        out += part;
        continue;
      }
      const value = this.eval(part);
      const s = asString(value);
      if (s === undefined) {
        this.fail(
          part,
          `cannot put ${describe(value)} into a string template; expected a string, number or bool`,
        );
      }
      out += s;
    }
    return out;
  }

  private variable(expr: Expr & { type: "variable" }): Value {
    const scoped = this.lookupScope(expr.name);
    if (scoped !== undefined) return scoped;
    const enumValue = this.ctx.enums?.get(expr.name);
    if (enumValue !== undefined) return enumValue;
    if (this.ctx.namespaces.has(expr.name)) {
      this.fail(expr, `"${expr.name}" must be followed by an attribute name, e.g. ${expr.name}.name`);
    }
    const names = [
      ...this.scopes.flatMap((s) => [...s.keys()]),
      ...(this.ctx.enums?.keys() ?? []),
      ...this.ctx.namespaces.keys(),
    ].filter((n) => n !== SPLAT_ITEM);
    this.fail(expr, `unknown variable "${expr.name}"${didYouMean(closest(expr.name, names))}`);
  }

  private getattr(expr: Expr & { type: "getattr" }): Value {
    const root = expr.object;
    if (root.type === "variable" && this.lookupScope(root.name) === undefined) {
      const namespace = this.ctx.namespaces.get(root.name);
      if (namespace) return namespace.get(expr.name, expr);
    }
    const object = this.eval(root);
    if (isObject(object)) {
      const value = object.get(expr.name);
      if (value !== undefined) return value;
      const hint = didYouMean(closest(expr.name, object.keys()));
      this.fail(expr.nameSpan, `${this.text(root)} has no attribute "${expr.name}"${hint}`);
    }
    this.fail(
      expr.nameSpan,
      `cannot read attribute "${expr.name}" of ${describe(object)} (${this.text(root)})`,
    );
  }

  private index(expr: Expr & { type: "index" }): Value {
    const object = this.eval(expr.object);
    const key = this.eval(expr.key);
    if (isList(object)) {
      if (typeof key !== "number" || !Number.isInteger(key)) {
        this.fail(expr.key, `a list index must be a whole number; found ${describe(key)}`);
      }
      const value = object[key];
      if (value === undefined || key < 0) {
        this.fail(
          expr.key,
          `index ${key} is out of range for ${this.text(expr.object)} (${describe(object)})`,
        );
      }
      return value;
    }
    if (isObject(object)) {
      const name = asString(key);
      if (name === undefined) this.fail(expr.key, `a map key must be a string; found ${describe(key)}`);
      const value = object.get(name);
      if (value !== undefined) return value;
      this.fail(
        expr.key,
        `${this.text(expr.object)} has no key "${name}"${didYouMean(closest(name, object.keys()))}`,
      );
    }
    this.fail(expr, `cannot index ${describe(object)} (${this.text(expr.object)}); expected a list or a map`);
  }

  private splat(expr: Expr & { type: "splat" }): Value {
    const object = this.eval(expr.object);
    const items = object === null ? [] : isList(object) ? object : [object];
    return items.map((item) => this.withScope(new Map([[SPLAT_ITEM, item]]), () => this.eval(expr.each)));
  }

  private call(expr: Expr & { type: "call" }): Value {
    // try() and can() see their arguments' errors, so they evaluate them here (hcl/ext/tryfunc).
    // A data source that still has to be fetched is not an error of the expression: it passes through.
    if (expr.name === "try" || expr.name === "can") {
      if (expr.name === "can" && expr.args.length !== 1)
        this.fail(expr, `can(expression) takes 1 argument, found ${expr.args.length}`);
      if (expr.args.length === 0) this.fail(expr, "try(expressions...) takes at least 1 argument, found 0");
      const errors: string[] = [];
      for (const arg of expr.args) {
        try {
          const value = this.eval(arg);
          return expr.name === "can" ? true : value;
        } catch (err) {
          if (!(err instanceof RelayError) || err.kind !== "config") throw err;
          errors.push(err.message);
        }
      }
      if (expr.name === "can") return false;
      this.fail(expr, `no expression succeeded: ${errors.join("; ")}`);
    }
    const fn = this.ctx.functions.get(expr.name);
    if (!fn) {
      const hint = didYouMean(closest(expr.name, this.ctx.functions.keys()));
      this.fail(expr, `unknown function "${expr.name}"${hint}`);
    }
    const args = expr.args.map((a) => this.eval(a));
    const argSpans: Span[] = [...expr.args];
    if (expr.expandLast) {
      const last = args.pop()!;
      const lastSpan = argSpans.pop()!;
      if (!isList(last)) this.fail(lastSpan, `"..." expands a list; found ${describe(last)}`);
      args.push(...last);
      argSpans.push(...last.map(() => lastSpan));
    }
    const arity = fn.params.length;
    if (args.length < arity || (!fn.variadic && args.length > arity)) {
      const names = [...fn.params, ...(fn.variadic ? [`${fn.variadic}...`] : [])].join(", ");
      const count = fn.variadic ? `at least ${arity}` : String(arity);
      this.fail(
        expr,
        `${expr.name}(${names}) takes ${count} argument${arity === 1 && !fn.variadic ? "" : "s"}, found ${args.length}`,
      );
    }
    return fn.impl({
      name: expr.name,
      args,
      fail: (message, argIndex) =>
        this.fail(argIndex === undefined ? expr : (argSpans[argIndex] ?? expr), `${expr.name}: ${message}`),
    });
  }

  private binary(expr: Expr & { type: "binary" }): Value {
    const op = expr.op;
    const what = `operator "${op}"`;
    switch (op) {
      case "&&":
        return this.bool(expr.left, what) && this.bool(expr.right, what);
      case "||":
        return this.bool(expr.left, what) || this.bool(expr.right, what);
      case "==":
        return equal(this.eval(expr.left), this.eval(expr.right));
      case "!=":
        return !equal(this.eval(expr.left), this.eval(expr.right));
    }
    const a = this.number(expr.left, what);
    const b = this.number(expr.right, what);
    switch (op) {
      case "<":
        return a < b;
      case ">":
        return a > b;
      case "<=":
        return a <= b;
      case ">=":
        return a >= b;
      case "+":
        return a + b;
      case "-":
        return a - b;
      case "*":
        return a * b;
      case "/":
        if (b === 0) this.fail(expr.right, "division by zero");
        return a / b;
      default:
        if (b === 0) this.fail(expr.right, "modulo by zero");
        return a % b;
    }
  }

  private number(expr: Expr, what: string): number {
    const v = this.eval(expr);
    if (typeof v === "number") return v;
    if (typeof v === "string" && /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(v)) return Number(v);
    this.fail(expr, `${what} expects a number; found ${describe(v)}`);
  }

  private bool(expr: Expr, what: string): boolean {
    const v = this.eval(expr);
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    this.fail(expr, `${what} expects a bool; found ${describe(v)}`);
  }

  private key(expr: Expr): string {
    const v = this.eval(expr);
    const s = asString(v);
    if (s === undefined) this.fail(expr, `an object key must be a string; found ${describe(v)}`);
    return s;
  }

  private withScope<T>(scope: Map<string, Value>, fn: () => T): T {
    this.scopes.push(scope);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  private forExpr(expr: Expr & { type: "for" }): Value {
    const collection = this.eval(expr.collection);
    let entries: [Value, Value][];
    if (isList(collection)) entries = collection.map((v, i) => [i, v]);
    else if (isObject(collection)) entries = [...collection];
    else
      this.fail(expr.collection, `a for expression iterates a list or a map; found ${describe(collection)}`);
    const list: Value[] = [];
    const object: ObjectValue = new Map();
    for (const [k, v] of entries) {
      const scope = new Map<string, Value>([[expr.valueVar, v]]);
      if (expr.keyVar !== undefined) scope.set(expr.keyVar, k);
      this.withScope(scope, () => {
        if (expr.cond && !this.bool(expr.cond, "the for expression's if")) return;
        if (!expr.object) {
          list.push(this.eval(expr.value));
          return;
        }
        const key = this.key(expr.key!);
        const value = this.eval(expr.value);
        if (expr.grouping) {
          const group = (object.get(key) as Value[] | undefined) ?? [];
          group.push(value);
          object.set(key, group);
        } else if (object.has(key)) {
          this.fail(
            expr.key!,
            `duplicate key "${key}" in a for expression; add "..." after the value to group values by key`,
          );
        } else {
          object.set(key, value);
        }
      });
    }
    return expr.object ? object : list;
  }
}
