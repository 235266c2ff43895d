// Runtime values of the evaluator. Lists, tuples and sets are arrays (a set is kept deduplicated and
// sorted, as cty iterates sets of strings); objects and maps are Maps, so keys like "__proto__" stay data.
export type Value = string | number | boolean | null | Value[] | ObjectValue;
export type ObjectValue = Map<string, Value>;

export const isObject = (v: Value): v is ObjectValue => v instanceof Map;
export const isList = (v: Value): v is Value[] => Array.isArray(v);

/** The type of a value as a person would name it in a message. */
export function typeName(v: Value): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "list";
  if (v instanceof Map) return "object";
  if (typeof v === "boolean") return "bool";
  return typeof v;
}

/**
 * `a string of 7 characters`, `a list of 2`: what was found, for "expected X, found Y" messages. A
 * string's content is shown only through `show` (a caller that knows it is safe, e.g. a redacted URL):
 * a type error must not print a variable's value, which may be a password.
 */
export function describe(v: Value, show?: (s: string) => string): string {
  if (v === null) return "null";
  if (typeof v === "string")
    return show ? `a string (${JSON.stringify(show(v))})` : `a string of ${v.length} characters`;
  if (typeof v === "number" || typeof v === "boolean") return `a ${typeName(v)} (${String(v)})`;
  return Array.isArray(v) ? `a list of ${v.length}` : "an object";
}

export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => equal(x, b[i]!));
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !equal(v, b.get(k)!)) return false;
    return true;
  }
  return false;
}

/** Plain JSON (the `vars` input, jsondecode) -> a Value. */
export function fromJson(x: unknown): Value {
  if (x === null || x === undefined) return null;
  if (typeof x === "string" || typeof x === "number" || typeof x === "boolean") return x;
  if (Array.isArray(x)) return x.map(fromJson);
  if (typeof x === "object") return new Map(Object.entries(x).map(([k, v]) => [k, fromJson(v)]));
  return String(x);
}

/** A Value -> plain JSON, object keys sorted (as cty encodes them). */
export function toJson(v: Value): unknown {
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const k of [...v.keys()].sort()) out[k] = toJson(v.get(k)!);
    return out;
  }
  return v;
}

/** HCL's number formatting: integers without a fraction, other numbers in shortest form. */
export const numberText = (n: number): string => (Number.isInteger(n) ? n.toFixed(0) : String(n));

/** The string form used by templates and string conversion; undefined when there is none. */
export function asString(v: Value): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberText(v);
  if (typeof v === "boolean") return String(v);
  return undefined;
}

/** Deduplicated and sorted: strings by code unit, numbers numerically, as cty orders set elements. */
export function toSet(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const item of items) if (!out.some((x) => equal(x, item))) out.push(item);
  if (out.every((x) => typeof x === "string")) return (out as string[]).sort();
  if (out.every((x) => typeof x === "number")) return (out as number[]).sort((a, b) => a - b);
  return out;
}
