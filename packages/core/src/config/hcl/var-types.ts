// `variable "x" { type = ... }`: the type constraint, and converting an input value to it.
import type { Expr } from "./ast";
import { asString, describe, isList, isObject, type ObjectValue, toSet, type Value } from "./values";

export type VarType =
  | { kind: "any" | "string" | "number" | "bool" }
  | { kind: "list" | "set" | "map"; element: VarType };

const PRIMITIVES = new Set(["any", "string", "number", "bool"]);

export const typeText = (t: VarType): string =>
  "element" in t ? `${t.kind}(${typeText(t.element)})` : t.kind;

/** The type an expression names; a message (not thrown) when it names none. */
export function parseType(expr: Expr): VarType | string {
  if (expr.type === "variable" && PRIMITIVES.has(expr.name)) return { kind: expr.name as "any" };
  if (expr.type === "call" && ["list", "set", "map"].includes(expr.name) && expr.args.length === 1) {
    const element = parseType(expr.args[0]!);
    if (typeof element === "string") return element;
    return { kind: expr.name as "list", element };
  }
  // object(...) and tuple(...) constraints are accepted and not checked beyond being values.
  if (expr.type === "call" && (expr.name === "object" || expr.name === "tuple")) return { kind: "any" };
  return "expected string, number, bool, list(...), set(...), map(...) or any";
}

/** Converts `v` to `t` as HCL does (numbers and bools to strings and back); a message when it cannot. */
export function convert(v: Value, t: VarType): { value: Value } | { error: string } {
  const fail = () => ({ error: `expected ${typeText(t)}, found ${describe(v)}` });
  switch (t.kind) {
    case "any":
      return { value: v };
    case "string": {
      const s = asString(v);
      return s === undefined ? fail() : { value: s };
    }
    case "number":
      if (typeof v === "number") return { value: v };
      if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return { value: Number(v) };
      return fail();
    case "bool":
      if (typeof v === "boolean") return { value: v };
      if (v === "true" || v === "false") return { value: v === "true" };
      return fail();
    case "list":
    case "set": {
      // A lone string stands for a one-element list: `--var tenants=acme` gives ["acme"].
      const items = isList(v) ? v : typeof v === "string" ? [v] : undefined;
      if (items === undefined) return fail();
      const out: Value[] = [];
      for (const [i, item] of items.entries()) {
        const r = convert(item, t.element);
        if ("error" in r) return { error: `element ${i}: ${r.error}` };
        out.push(r.value);
      }
      return { value: t.kind === "set" ? toSet(out) : out };
    }
    case "map": {
      if (!isObject(v)) return fail();
      const out: ObjectValue = new Map();
      for (const [k, item] of v) {
        const r = convert(item, t.element);
        if ("error" in r) return { error: `key "${k}": ${r.error}` };
        out.set(k, r.value);
      }
      return { value: out };
    }
  }
}
