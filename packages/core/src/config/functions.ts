// The functions Atlas configs call: exactly Atlas's set (schemahcl/stdlib.go stdFuncs, plus file, glob,
// fileset and getenv of cmdapi/project.go); the less common ones live in stdlib.ts, try/can in the
// evaluator. Names are case-sensitive, as in HCL; semantics follow Atlas/cty
// (URL functions follow Go's net/url, format follows Go verbs, jsonencode sorts keys like cty).

import { queryEscape, urlQuerySet, urlSetPath } from "./go-url";
import type { FunctionCall, HclFunction } from "./hcl/function";
import {
  asString,
  describe,
  fromJson,
  isList,
  isObject,
  numberText,
  type ObjectValue,
  toJson,
  toSet,
  type Value,
} from "./hcl/values";
import { makeStdlib } from "./stdlib";

/** What yamldecode/yamlencode/yamlmerge use: the `yaml` package, loaded only when a config calls them. */
export interface YamlCodec {
  parse(text: string): unknown;
  stringify(value: unknown): string;
}

/** What functions may reach outside the evaluator: the environment and the config's folder. */
export interface FunctionHost {
  getenv(name: string): string | undefined;
  /** Reads a file relative to the config's folder (read-only). */
  readFile(path: string): string;
  /** Absolute paths matching a glob relative to the config's folder (`**` only with doublestar), sorted. */
  glob(pattern: string, doublestar: boolean): string[];
  yaml?: YamlCodec;
  /** Where print() writes; stderr by default (stdout carries results only). */
  print?: (line: string) => void;
}

function str(call: FunctionCall, i: number, param: string): string {
  const v = call.args[i]!;
  const s = asString(v);
  if (s === undefined) call.fail(`argument ${i + 1} (${param}) must be a string; found ${describe(v)}`, i);
  return s;
}

function list(call: FunctionCall, i: number, param: string): Value[] {
  const v = call.args[i]!;
  if (!isList(v)) call.fail(`argument ${i + 1} (${param}) must be a list; found ${describe(v)}`, i);
  return v;
}

function url(call: FunctionCall, result: string | undefined): string {
  if (result === undefined) call.fail(`cannot parse ${JSON.stringify(str(call, 0, "url"))} as a URL`, 0);
  return result;
}

/** Go's JSON encoding of a string (what cty's jsonencode emits): HTML-safe escapes. */
const jsonEncode = (v: Value): string =>
  JSON.stringify(toJson(v)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

/** cty's format(): Go-style verbs %s %d %v %q %t %f and %%. */
function format(call: FunctionCall): string {
  const spec = str(call, 0, "format");
  let next = 1;
  const out = spec.replace(
    /%([-0]*)([0-9]+)?(\.[0-9]+)?([a-zA-Z%])?/g,
    (
      whole,
      flags: string,
      width: string | undefined,
      precision: string | undefined,
      verb: string | undefined,
    ) => {
      if (verb === "%") return "%";
      // Go's width and flags: `-` pads on the right, `0` pads numbers with zeros.
      const pad = (text: string) => {
        const w = Number(width ?? 0);
        if (text.length >= w) return text;
        if (flags.includes("-")) return text.padEnd(w);
        if (flags.includes("0") && (verb === "d" || verb === "f")) {
          const neg = text.startsWith("-");
          return (neg ? "-" : "") + text.slice(neg ? 1 : 0).padStart(w - (neg ? 1 : 0), "0");
        }
        return text.padStart(w);
      };
      return pad(formatVerb(whole, precision, verb));
    },
  );
  function formatVerb(whole: string, precision: string | undefined, verb: string | undefined): string {
    if (verb === "%") return "%";
    if (verb === undefined) call.fail(`unfinished verb ${JSON.stringify(whole)} at the end of the format`, 0);
    const index = next++;
    if (index >= call.args.length)
      call.fail(`not enough arguments for the verb "%${verb}" (number ${index})`, 0);
    const v = call.args[index]!;
    switch (verb) {
      case "s":
        return str(call, index, `the value for %s`);
      case "v":
        return asString(v) ?? jsonEncode(v);
      case "q":
        return JSON.stringify(str(call, index, `the value for %q`));
      case "d":
        if (typeof v !== "number" || !Number.isInteger(v))
          call.fail(`"%d" needs a whole number; found ${describe(v)}`, index);
        return numberText(v);
      case "f":
        if (typeof v !== "number") call.fail(`"%f" needs a number; found ${describe(v)}`, index);
        return v.toFixed(precision ? Number(precision.slice(1)) : 6);
      case "t":
        if (typeof v !== "boolean") call.fail(`"%t" needs a bool; found ${describe(v)}`, index);
        return String(v);
      default:
        call.fail(`unsupported verb "%${verb}"; expected one of %s %d %v %q %t %f %%`, 0);
    }
  }
  if (next < call.args.length)
    call.fail(`too many arguments: the format uses ${next - 1}, found ${call.args.length - 1}`, next);
  return out;
}

export function makeFunctions(host: FunctionHost): ReadonlyMap<string, HclFunction> {
  const table: Record<string, HclFunction> = {
    getenv: { params: ["name"], impl: (c: FunctionCall) => host.getenv(str(c, 0, "name")) ?? "" },
    file: {
      params: ["path"],
      impl: (c: FunctionCall) => {
        const path = str(c, 0, "path");
        try {
          return host.readFile(path);
        } catch (err) {
          const reason =
            (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
          c.fail(`cannot read ${JSON.stringify(path)}: ${reason}`, 0);
        }
      },
    },
    urlsetpath: {
      params: ["url", "path"],
      impl: (c: FunctionCall) => url(c, urlSetPath(str(c, 0, "url"), str(c, 1, "path"))),
    },
    urlqueryset: {
      params: ["url", "key", "value"],
      impl: (c: FunctionCall) => url(c, urlQuerySet(str(c, 0, "url"), str(c, 1, "key"), str(c, 2, "value"))),
    },
    urlescape: { params: ["string"], impl: (c: FunctionCall) => queryEscape(str(c, 0, "string")) },
    toset: {
      params: ["list"],
      impl: (c: FunctionCall) => {
        const items = list(c, 0, "list");
        // A set holds one type: mixed strings and numbers become strings, as cty unifies them.
        if (!items.some((x) => typeof x === "string")) return toSet(items);
        return toSet(
          items.map((x, i) => {
            const s = asString(x);
            if (s === undefined) c.fail(`element ${i} must be a string; found ${describe(x)}`, 0);
            return s;
          }),
        );
      },
    },
    tolist: { params: ["value"], impl: (c: FunctionCall) => list(c, 0, "value") },
    tostring: {
      params: ["value"],
      impl: (c: FunctionCall) => (c.args[0] === null ? null : str(c, 0, "value")),
    },
    tonumber: {
      params: ["value"],
      impl: (c: FunctionCall) => {
        const v = c.args[0]!;
        if (v === null || typeof v === "number") return v;
        if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
        c.fail(`cannot convert ${describe(v)} to a number`, 0);
      },
    },
    concat: {
      params: [],
      variadic: "lists",
      impl: (c: FunctionCall) => c.args.flatMap((_, i) => list(c, i, "list")),
    },
    format: { params: ["format"], variadic: "args", impl: format },
    jsonencode: { params: ["value"], impl: (c: FunctionCall) => jsonEncode(c.args[0]!) },
    jsondecode: {
      params: ["string"],
      impl: (c: FunctionCall) => {
        const s = str(c, 0, "string");
        try {
          return fromJson(JSON.parse(s));
        } catch (err) {
          c.fail(`invalid JSON: ${(err as Error).message}`, 0);
        }
      },
    },
    split: {
      params: ["separator", "string"],
      impl: (c: FunctionCall) => str(c, 1, "string").split(str(c, 0, "separator")),
    },
    join: {
      params: ["separator", "list"],
      impl: (c: FunctionCall) => {
        const sep = str(c, 0, "separator");
        const items = list(c, 1, "list");
        return items
          .map((x, i) => {
            const s = asString(x);
            if (s === undefined) c.fail(`element ${i} of the list must be a string; found ${describe(x)}`, 1);
            return s;
          })
          .join(sep);
      },
    },
    replace: {
      params: ["string", "substring", "replacement"],
      impl: (c: FunctionCall) =>
        str(c, 0, "string")
          .split(str(c, 1, "substring"))
          .join(str(c, 2, "replacement")),
    },
    lower: { params: ["string"], impl: (c: FunctionCall) => str(c, 0, "string").toLowerCase() },
    upper: { params: ["string"], impl: (c: FunctionCall) => str(c, 0, "string").toUpperCase() },
    trimspace: { params: ["string"], impl: (c: FunctionCall) => str(c, 0, "string").trim() },
    trimprefix: {
      params: ["string", "prefix"],
      impl: (c: FunctionCall) => {
        const [s, p] = [str(c, 0, "string"), str(c, 1, "prefix")];
        return s.startsWith(p) ? s.slice(p.length) : s;
      },
    },
    trimsuffix: {
      params: ["string", "suffix"],
      impl: (c: FunctionCall) => {
        const [s, p] = [str(c, 0, "string"), str(c, 1, "suffix")];
        return p !== "" && s.endsWith(p) ? s.slice(0, -p.length) : s;
      },
    },
    startswith: {
      params: ["string", "prefix"],
      impl: (c: FunctionCall) => str(c, 0, "string").startsWith(str(c, 1, "prefix")),
    },
    endswith: {
      params: ["string", "suffix"],
      impl: (c: FunctionCall) => str(c, 0, "string").endsWith(str(c, 1, "suffix")),
    },
    length: {
      params: ["value"],
      impl: (c: FunctionCall) => {
        const v = c.args[0]!;
        if (typeof v === "string") return [...v].length;
        if (isList(v)) return v.length;
        if (isObject(v)) return v.size;
        c.fail(`expects a string, list or map; found ${describe(v)}`, 0);
      },
    },
    contains: {
      params: ["list", "value"],
      impl: (c: FunctionCall) =>
        list(c, 0, "list").some((x) => JSON.stringify(toJson(x)) === JSON.stringify(toJson(c.args[1]!))),
    },
    keys: { params: ["map"], impl: (c: FunctionCall) => [...mapArg(c, 0).keys()].sort() },
    values: {
      params: ["map"],
      impl: (c: FunctionCall) => {
        const m = mapArg(c, 0);
        return [...m.keys()].sort().map((k) => m.get(k)!);
      },
    },
    merge: {
      params: [],
      variadic: "maps",
      impl: (c: FunctionCall) => {
        const out: ObjectValue = new Map();
        c.args.forEach((_, i) => {
          if (c.args[i] === null) return;
          for (const [k, v] of mapArg(c, i)) out.set(k, v);
        });
        return out;
      },
    },
    ...makeStdlib(host, format),
  };
  return new Map(Object.entries(table));
}

function mapArg(call: FunctionCall, i: number): ObjectValue {
  const v = call.args[i]!;
  if (!isObject(v)) call.fail(`argument ${i + 1} must be a map; found ${describe(v)}`, i);
  return v;
}
