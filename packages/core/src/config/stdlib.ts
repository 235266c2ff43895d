// The rest of Atlas's HCL standard library (ariga/atlas schemahcl/stdlib.go, stdFuncs; glob and fileset
// from cmd/atlas/internal/cmdapi/project.go), with cty's semantics (go-cty function/stdlib). `try` and
// `can` need their arguments unevaluated, so the evaluator runs them (evaluator.ts).
import { existsSync, readdirSync } from "node:fs";
import { isAbsolute, join, sep } from "node:path";
import type { FunctionHost, YamlCodec } from "./functions";
import type { FunctionCall, HclFunction } from "./hcl/function";
import {
  asString,
  describe,
  equal,
  isList,
  isObject,
  type ObjectValue,
  toJson,
  toSet,
  type Value,
} from "./hcl/values";

function str(c: FunctionCall, i: number, param: string): string {
  const s = asString(c.args[i]!);
  if (s === undefined)
    c.fail(`argument ${i + 1} (${param}) must be a string; found ${describe(c.args[i]!)}`, i);
  return s;
}
function num(c: FunctionCall, i: number, param: string): number {
  const v = c.args[i]!;
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  if (Number.isNaN(n)) c.fail(`argument ${i + 1} (${param}) must be a number; found ${describe(v)}`, i);
  return n;
}
function int(c: FunctionCall, i: number, param: string): number {
  const n = num(c, i, param);
  if (!Number.isInteger(n)) c.fail(`argument ${i + 1} (${param}) must be a whole number; found ${n}`, i);
  return n;
}
function list(c: FunctionCall, i: number, param: string): Value[] {
  const v = c.args[i]!;
  if (!isList(v)) c.fail(`argument ${i + 1} (${param}) must be a list; found ${describe(v)}`, i);
  return v;
}
function collection(c: FunctionCall, i: number): Value[] {
  const v = c.args[i]!;
  if (isList(v)) return v;
  if (isObject(v)) return [...v.keys()].sort().map((k) => v.get(k)!);
  return c.fail(`argument ${i + 1} must be a list, a map or a tuple; found ${describe(v)}`, i);
}
const strings = (c: FunctionCall, i: number, param: string) =>
  list(c, i, param).map((x, j) => {
    const s = asString(x);
    if (s === undefined)
      c.fail(`element ${j} of argument ${i + 1} must be a string; found ${describe(x)}`, i);
    return s;
  });

/** Go's RE2 spelling -> JavaScript's: named groups `(?P<n>` and a leading `(?i)`/`(?s)`/`(?m)` flag group. */
function goRegex(c: FunctionCall, i: number, extraFlags = ""): RegExp {
  let pattern = str(c, i, "pattern").replace(/\(\?P</g, "(?<");
  let flags = extraFlags;
  const lead = /^\(\?([imsU]+)\)/.exec(pattern);
  if (lead) {
    flags += lead[1]!.replace("U", "");
    pattern = pattern.slice(lead[0].length);
  }
  try {
    return new RegExp(pattern, `u${flags}`);
  } catch (err) {
    return c.fail(`invalid regular expression: ${(err as Error).message}`, i);
  }
}

/** cty's regex result: the match when there are no groups, a list for unnamed groups, a map for named. */
function matchValue(m: RegExpExecArray): Value {
  if (m.groups) return new Map(Object.entries(m.groups).map(([k, v]) => [k, v ?? null]));
  if (m.length === 1) return m[0];
  return m.slice(1).map((g) => g ?? null);
}

/** Go's time.ParseDuration: `1h30m`, `-1.5s`, `300ms`, `2us`. */
function goDurationMs(text: string): number | undefined {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!m) return text === "0" ? 0 : undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * unit[part[2]!]!;
  }
  return m[1] === "-" ? -total : total;
}

/** An RFC 3339 timestamp, as cty's formatdate and timeadd read it; the offset is kept for output. */
function timestamp(c: FunctionCall, i: number): { date: Date; offsetMin: number } {
  const text = str(c, i, "timestamp");
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) c.fail(`not a valid RFC 3339 timestamp: ${JSON.stringify(text)} (e.g. "2024-01-02T15:04:05Z")`, i);
  const zone = m[8]!;
  const offsetMin =
    zone === "Z" || zone === "z"
      ? 0
      : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
  return { date: new Date(text), offsetMin };
}

function rfc3339(date: Date, offsetMin: number): string {
  const local = new Date(date.getTime() + offsetMin * 60_000);
  const base = local.toISOString().replace(/\.\d{3}Z$/, "");
  const ms = local.getUTCMilliseconds();
  const frac = ms ? `.${String(ms).padStart(3, "0").replace(/0+$/, "")}` : "";
  if (offsetMin === 0) return `${base}${frac}Z`;
  const abs = Math.abs(offsetMin);
  return `${base}${frac}${offsetMin < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** cty's formatdate spec: YYYY YY MMMM MMM MM M DD D EEEE EEE hh h HH H AA aa mm m ss s ZZZZZ ZZZZ ZZZ Z, 'literal'. */
function formatDate(c: FunctionCall): string {
  const spec = str(c, 0, "format");
  const { date, offsetMin } = timestamp(c, 1);
  const t = new Date(date.getTime() + offsetMin * 60_000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const h12 = t.getUTCHours() % 12 || 12;
  const sign = offsetMin < 0 ? "-" : "+";
  const oh = pad(Math.floor(Math.abs(offsetMin) / 60));
  const om = pad(Math.abs(offsetMin) % 60);
  const tokens: Record<string, () => string> = {
    YYYY: () => pad(t.getUTCFullYear(), 4),
    YY: () => pad(t.getUTCFullYear() % 100),
    MMMM: () => MONTHS[t.getUTCMonth()]!,
    MMM: () => MONTHS[t.getUTCMonth()]!.slice(0, 3),
    MM: () => pad(t.getUTCMonth() + 1),
    M: () => String(t.getUTCMonth() + 1),
    DD: () => pad(t.getUTCDate()),
    D: () => String(t.getUTCDate()),
    EEEE: () => DAYS[t.getUTCDay()]!,
    EEE: () => DAYS[t.getUTCDay()]!.slice(0, 3),
    hh: () => pad(t.getUTCHours()),
    h: () => String(t.getUTCHours()),
    HH: () => pad(h12),
    H: () => String(h12),
    AA: () => (t.getUTCHours() < 12 ? "AM" : "PM"),
    aa: () => (t.getUTCHours() < 12 ? "am" : "pm"),
    mm: () => pad(t.getUTCMinutes()),
    m: () => String(t.getUTCMinutes()),
    ss: () => pad(t.getUTCSeconds()),
    s: () => String(t.getUTCSeconds()),
    ZZZZZ: () => (offsetMin === 0 ? "Z" : `${sign}${oh}:${om}`),
    ZZZZ: () => `${sign}${oh}${om}`,
    ZZZ: () => (offsetMin === 0 ? "UTC" : `${sign}${oh}${om}`),
    Z: () => (offsetMin === 0 ? "Z" : `${sign}${oh}:${om}`),
  };
  let out = "";
  for (let i = 0; i < spec.length; ) {
    const ch = spec[i]!;
    if (ch === "'") {
      const end = spec.indexOf("'", i + 1);
      if (end < 0) c.fail("unterminated literal ' in the format", 0);
      out += end === i + 1 ? "'" : spec.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      let j = i;
      while (spec[j] === ch) j++;
      const run = spec.slice(i, j);
      const fn = tokens[run];
      if (!fn) c.fail(`invalid date format sequence "${run}"`, 0);
      out += fn();
      i = j;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** A minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF rows. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Go's regexp.QuoteMeta. */
const quoteMeta = (s: string) => s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");

/** A glob (`*`, `?`, `[...]`, `{a,b}` and doublestar `**`) as a regular expression over `/` paths. */
export function globRegex(pattern: string, doublestar: boolean): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "*" && pattern[i + 1] === "*" && doublestar) {
      const slash = pattern[i + 2] === "/";
      re += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else if (ch === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        re += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (ch === "{" && doublestar) {
      const end = pattern.indexOf("}", i + 1);
      if (end < 0) re += "\\{";
      else {
        re += `(?:${pattern
          .slice(i + 1, end)
          .split(",")
          .map(quoteMeta)
          .join("|")})`;
        i = end;
      }
    } else re += quoteMeta(ch);
  }
  return new RegExp(`^${re}$`);
}

function flatten(items: Value[]): Value[] {
  return items.flatMap((x) => (isList(x) ? flatten(x) : [x]));
}

/** Values as cty orders set elements; an element is a JSON text so lists and maps compare too. */
const key = (v: Value) => JSON.stringify(toJson(v));

export function makeStdlib(
  host: FunctionHost,
  format: (call: FunctionCall) => string,
): Record<string, HclFunction> {
  const yaml = (c: FunctionCall): YamlCodec => {
    if (!host.yaml) c.fail("the YAML functions are not available here");
    return host.yaml;
  };
  const math = (f: (n: number) => number) => ({
    params: ["num"],
    impl: (c: FunctionCall) => f(num(c, 0, "num")),
  });
  const numbers = (c: FunctionCall) => c.args.map((_, i) => num(c, i, "numbers"));
  return {
    abs: math(Math.abs),
    ceil: math(Math.ceil),
    floor: math(Math.floor),
    signum: math((n) => (n > 0 ? 1 : n < 0 ? -1 : 0)),
    log: {
      params: ["num", "base"],
      impl: (c: FunctionCall) => Math.log(num(c, 0, "num")) / Math.log(num(c, 1, "base")),
    },
    pow: { params: ["num", "power"], impl: (c: FunctionCall) => num(c, 0, "num") ** num(c, 1, "power") },
    max: {
      params: [],
      variadic: "numbers",
      impl: (c: FunctionCall) =>
        c.args.length ? Math.max(...numbers(c)) : c.fail("max needs at least one number"),
    },
    min: {
      params: [],
      variadic: "numbers",
      impl: (c: FunctionCall) =>
        c.args.length ? Math.min(...numbers(c)) : c.fail("min needs at least one number"),
    },
    parseint: {
      params: ["number", "base"],
      impl: (c: FunctionCall) => {
        const text = str(c, 0, "number");
        const base = int(c, 1, "base");
        if (base < 2 || base > 62) c.fail(`base must be a whole number between 2 and 62; found ${base}`, 1);
        const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        const body = text.replace(/^[-+]/, "");
        const alphabet =
          base <= 36 ? digits.slice(0, base) + digits.slice(10, base).toUpperCase() : digits.slice(0, base);
        if (body === "" || [...body].some((ch) => !alphabet.includes(ch)))
          c.fail(`cannot parse ${JSON.stringify(text)} as a base ${base} integer`, 0);
        let n = 0;
        for (const ch of body) n = n * base + (base <= 36 ? Number.parseInt(ch, 36) : digits.indexOf(ch));
        return text.startsWith("-") ? -n : n;
      },
    },
    range: {
      params: [],
      variadic: "params",
      impl: (c: FunctionCall) => {
        const args = c.args.map((_, i) => num(c, i, "params"));
        if (args.length < 1 || args.length > 3)
          c.fail(`range takes 1 to 3 numbers (limit | start, limit[, step]); found ${args.length}`);
        const [start, limit, step] =
          args.length === 1
            ? [0, args[0]!, 1]
            : [args[0]!, args[1]!, args[2] ?? (args[1]! >= args[0]! ? 1 : -1)];
        if (step === 0) c.fail("step must not be zero");
        if ((step > 0 && start > limit) || (step < 0 && start < limit))
          c.fail("step goes away from the limit");
        const out: number[] = [];
        for (let n = start; step > 0 ? n < limit : n > limit; n += step) {
          out.push(n);
          if (out.length > 1024) c.fail("more than 1024 values");
        }
        return out;
      },
    },
    alltrue: { params: ["collection"], impl: (c: FunctionCall) => collection(c, 0).every((v) => v === true) },
    empty: { params: ["collection"], impl: (c: FunctionCall) => collection(c, 0).length === 0 },
    chomp: { params: ["str"], impl: (c: FunctionCall) => str(c, 0, "str").replace(/(?:\r\n?|\n)*$/, "") },
    chunklist: {
      params: ["list", "size"],
      impl: (c: FunctionCall) => {
        const items = list(c, 0, "list");
        const size = int(c, 1, "size");
        if (size < 0) c.fail("size must not be negative", 1);
        if (size === 0) return [items];
        const out: Value[] = [];
        for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
        return out;
      },
    },
    coalescelist: {
      params: [],
      variadic: "lists",
      impl: (c: FunctionCall) => {
        const lists = c.args.map((_, i) => list(c, i, "lists"));
        const found = lists.find((l) => l.length > 0);
        if (!found) c.fail("no non-empty list was given");
        return found;
      },
    },
    compact: { params: ["list"], impl: (c: FunctionCall) => strings(c, 0, "list").filter((s) => s !== "") },
    csvdecode: {
      params: ["str"],
      impl: (c: FunctionCall) => {
        const [header, ...rows] = csvRows(str(c, 0, "str"));
        if (!header) c.fail("missing header line", 0);
        return rows.map((row, r) => {
          if (row.length !== header.length)
            c.fail(`row ${r + 2} has ${row.length} fields; the header has ${header.length}`, 0);
          return new Map(header.map((h, i) => [h, row[i]!])) as ObjectValue;
        });
      },
    },
    distinct: {
      params: ["list"],
      impl: (c: FunctionCall) => {
        const seen = new Set<string>();
        return list(c, 0, "list").filter((v) => !seen.has(key(v)) && seen.add(key(v)));
      },
    },
    element: {
      params: ["list", "index"],
      impl: (c: FunctionCall) => {
        const items = list(c, 0, "list");
        const i = int(c, 1, "index");
        if (items.length === 0) c.fail("cannot use element function with an empty list", 0);
        if (i < 0) c.fail("cannot use element function with a negative index", 1);
        return items[i % items.length]!;
      },
    },
    flatten: { params: ["list"], impl: (c: FunctionCall) => flatten(list(c, 0, "list")) },
    formatdate: { params: ["format", "time"], impl: formatDate },
    formatlist: {
      params: ["format"],
      variadic: "args",
      impl: (c: FunctionCall) => {
        const lengths = c.args
          .slice(1)
          .filter(isList)
          .map((l) => (l as Value[]).length);
        if (new Set(lengths).size > 1) c.fail("every list argument must have the same length");
        const n = lengths[0] ?? 1;
        return Array.from({ length: n }, (_, row) =>
          format({ ...c, args: [c.args[0]!, ...c.args.slice(1).map((a) => (isList(a) ? a[row]! : a))] }),
        );
      },
    },
    indent: {
      params: ["spaces", "str"],
      impl: (c: FunctionCall) => str(c, 1, "str").replace(/\n/g, `\n${" ".repeat(int(c, 0, "spaces"))}`),
    },
    index: {
      params: ["list", "value"],
      impl: (c: FunctionCall) => {
        const i = list(c, 0, "list").findIndex((v) => equal(v, c.args[1]!));
        if (i < 0) c.fail("item not found", 1);
        return i;
      },
    },
    print: {
      params: ["print"],
      impl: (c: FunctionCall) => {
        const v = c.args[0]!;
        (host.print ?? ((line: string) => process.stderr.write(`${line}\n`)))(asString(v) ?? key(v));
        return v;
      },
    },
    regex: {
      params: ["pattern", "string"],
      impl: (c: FunctionCall) => {
        const m = goRegex(c, 0).exec(str(c, 1, "string"));
        if (!m) c.fail("pattern did not match any part of the given string", 1);
        return matchValue(m);
      },
    },
    regexall: {
      params: ["pattern", "string"],
      impl: (c: FunctionCall) =>
        [...str(c, 1, "string").matchAll(goRegex(c, 0, "g"))].map((m) => matchValue(m as RegExpExecArray)),
    },
    regexpescape: { params: ["string"], impl: (c: FunctionCall) => quoteMeta(str(c, 0, "string")) },
    regexreplace: {
      params: ["string", "pattern", "replace"],
      impl: (c: FunctionCall) =>
        // Go's ${name} and $1 expansions; JavaScript spells a named one $<name>.
        str(c, 0, "string").replace(
          goRegex(c, 1, "g"),
          str(c, 2, "replace").replace(/\$\{(\w+)\}/g, (_, n: string) =>
            /^\d+$/.test(n) ? `$${n}` : `$<${n}>`,
          ),
        ),
    },
    reverse: { params: ["list"], impl: (c: FunctionCall) => [...list(c, 0, "list")].reverse() },
    strrev: { params: ["str"], impl: (c: FunctionCall) => [...str(c, 0, "str")].reverse().join("") },
    setintersection: {
      params: ["first_set"],
      variadic: "other_sets",
      impl: (c: FunctionCall) => {
        const sets = c.args.map((_, i) => list(c, i, "sets"));
        return toSet(sets[0]!.filter((v) => sets.every((s) => s.some((x) => equal(x, v)))));
      },
    },
    setsubtract: {
      params: ["a", "b"],
      impl: (c: FunctionCall) => {
        const b = list(c, 1, "b");
        return toSet(list(c, 0, "a").filter((v) => !b.some((x) => equal(x, v))));
      },
    },
    setunion: {
      params: ["first_set"],
      variadic: "other_sets",
      impl: (c: FunctionCall) => toSet(c.args.flatMap((_, i) => list(c, i, "sets"))),
    },
    setproduct: {
      params: [],
      variadic: "sets",
      impl: (c: FunctionCall) => {
        const sets = c.args.map((_, i) => list(c, i, "sets"));
        if (sets.length < 2) c.fail("at least two arguments are required");
        return sets.reduce<Value[][]>(
          (acc, set) => acc.flatMap((prefix) => set.map((v) => [...prefix, v])),
          [[]],
        );
      },
    },
    slice: {
      params: ["list", "start_index", "end_index"],
      impl: (c: FunctionCall) => {
        const items = list(c, 0, "list");
        const [start, end] = [int(c, 1, "start_index"), int(c, 2, "end_index")];
        if (start < 0 || end > items.length || start > end)
          c.fail(
            `indices ${start}..${end} are outside the list of ${items.length} (0 <= start <= end <= length)`,
          );
        return items.slice(start, end);
      },
    },
    sort: { params: ["list"], impl: (c: FunctionCall) => strings(c, 0, "list").sort() },
    substr: {
      params: ["str", "offset", "length"],
      impl: (c: FunctionCall) => {
        const chars = [...str(c, 0, "str")];
        let offset = int(c, 1, "offset");
        const length = int(c, 2, "length");
        if (offset < 0) offset = Math.max(0, chars.length + offset);
        if (offset > chars.length) return "";
        return chars.slice(offset, length < 0 ? undefined : offset + length).join("");
      },
    },
    timeadd: {
      params: ["timestamp", "duration"],
      impl: (c: FunctionCall) => {
        const { date, offsetMin } = timestamp(c, 0);
        const ms = goDurationMs(str(c, 1, "duration"));
        if (ms === undefined)
          c.fail(`invalid duration ${JSON.stringify(str(c, 1, "duration"))} (e.g. "1h30m")`, 1);
        return rfc3339(new Date(date.getTime() + ms), offsetMin);
      },
    },
    title: {
      params: ["str"],
      impl: (c: FunctionCall) =>
        str(c, 0, "str").replace(
          /(^|[^\p{L}\p{N}_'])(\p{L})/gu,
          (_, a: string, b: string) => a + b.toUpperCase(),
        ),
    },
    tobool: {
      params: ["v"],
      impl: (c: FunctionCall) => {
        const v = c.args[0]!;
        if (v === null || typeof v === "boolean") return v;
        if (v === "true" || v === "false") return v === "true";
        return c.fail(`cannot convert ${describe(v)} to bool; only "true" or "false" are allowed`, 0);
      },
    },
    trim: {
      params: ["str", "cutset"],
      impl: (c: FunctionCall) => {
        const cut = new Set(str(c, 1, "cutset"));
        const chars = [...str(c, 0, "str")];
        let [a, b] = [0, chars.length];
        while (a < b && cut.has(chars[a]!)) a++;
        while (b > a && cut.has(chars[b - 1]!)) b--;
        return chars.slice(a, b).join("");
      },
    },
    urluserinfo: {
      params: ["url", "user"],
      variadic: "pass",
      impl: (c: FunctionCall) => {
        const text = str(c, 0, "url");
        const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)(?:[^@/?#]*@)?(.*)$/s.exec(text);
        if (!m) c.fail(`cannot parse ${JSON.stringify(text)} as a URL with a host`, 0);
        // Go's url.UserPassword escaping (userinfo: unreserved and sub-delims kept).
        const esc = (s: string) =>
          encodeURIComponent(s).replace(/%(21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi, (e) =>
            decodeURIComponent(e),
          );
        const user = esc(str(c, 1, "user"));
        const pass = c.args.length > 2 && c.args[2] !== null ? `:${esc(str(c, 2, "pass"))}` : "";
        return `${m[1]}${user}${pass}@${m[2]}`;
      },
    },
    zipmap: {
      params: ["keys", "values"],
      impl: (c: FunctionCall) => {
        const keys = strings(c, 0, "keys");
        const values = list(c, 1, "values");
        if (keys.length !== values.length) c.fail(`${keys.length} keys but ${values.length} values`);
        return new Map(keys.map((k, i) => [k, values[i]!])) as ObjectValue;
      },
    },
    // Atlas's stub for raw SQL expressions in schema files; in a project file it is the text itself.
    sql: {
      params: ["def"],
      impl: (c: FunctionCall) => {
        const s = str(c, 0, "def");
        if (s === "") c.fail("empty expression", 0);
        return s;
      },
    },
    glob: { params: ["pattern"], impl: (c: FunctionCall) => host.glob(str(c, 0, "pattern"), false) },
    fileset: { params: ["pattern"], impl: (c: FunctionCall) => host.glob(str(c, 0, "pattern"), true) },
    yamldecode: {
      params: ["src"],
      impl: (c: FunctionCall) => {
        try {
          return fromPlain(yaml(c).parse(str(c, 0, "src")));
        } catch (err) {
          return c.fail(`invalid YAML: ${(err as Error).message.split("\n")[0]}`, 0);
        }
      },
    },
    yamlencode: { params: ["value"], impl: (c: FunctionCall) => yaml(c).stringify(toJson(c.args[0]!)) },
    yamlmerge: {
      params: [],
      variadic: "values",
      impl: (c: FunctionCall) => {
        const docs = c.args.filter((v) => v !== null);
        if (docs.length === 0) return null;
        if (c.args.length === 1) return str(c, 0, "values");
        const out: Record<string, unknown> = {};
        c.args.forEach((v, i) => {
          if (v === null) return;
          const doc = yaml(c).parse(str(c, i, "values")) ?? {};
          deepMerge(out, doc as Record<string, unknown>, (m) => c.fail(`yamlmerge: ${m}`, i));
        });
        return yaml(c).stringify(out);
      },
    },
  };
}

function fromPlain(x: unknown): Value {
  if (x === null || x === undefined) return null;
  if (typeof x === "string" || typeof x === "number" || typeof x === "boolean") return x;
  if (Array.isArray(x)) return x.map(fromPlain);
  if (x instanceof Date) return x.toISOString();
  if (typeof x === "object") return new Map(Object.entries(x).map(([k, v]) => [k, fromPlain(v)]));
  return String(x);
}

/** Atlas's deepMerge: maps merge, lists append, scalars are replaced; a type clash is an error. */
function deepMerge(
  dst: Record<string, unknown>,
  src: Record<string, unknown>,
  fail: (m: string) => never,
): void {
  for (const [k, v] of Object.entries(src)) {
    const have = dst[k];
    if (v && typeof v === "object" && !Array.isArray(v)) {
      if (have === undefined) dst[k] = {};
      else if (!have || typeof have !== "object" || Array.isArray(have))
        fail(`key ${k} is defined in both src and dst, but has a different type`);
      deepMerge(dst[k] as Record<string, unknown>, v as Record<string, unknown>, fail);
    } else if (Array.isArray(v)) {
      if (have === undefined) dst[k] = [];
      else if (!Array.isArray(have))
        fail(`key ${k} is defined in both src and dst, but has a different type`);
      (dst[k] as unknown[]).push(...v);
    } else dst[k] = v;
  }
}

/**
 * The files a glob names, absolute and sorted: relative patterns start at `base` (the config's folder),
 * as Atlas's glob (filepath.Glob) and fileset (doublestar) do. Only the folder before the first
 * wildcard is walked.
 */
export function globFiles(base: string, pattern: string, doublestar: boolean): string[] {
  const full = (isAbsolute(pattern) ? pattern : join(base, pattern)).split(sep).join("/");
  const first = full.search(/[*?[{]/);
  if (first < 0) return existsSync(full) ? [full] : [];
  const root = full.slice(0, full.lastIndexOf("/", first) + 1) || "/";
  const re = globRegex(full, doublestar);
  const deep = doublestar && full.includes("**");
  const depth = full.slice(root.length).split("/").length;
  let entries: string[];
  try {
    entries = (readdirSync(root, { recursive: deep || depth > 1 }) as string[]).map(
      (e) => `${root}${e.split(sep).join("/")}`,
    );
  } catch {
    return [];
  }
  return entries.filter((p) => re.test(p)).sort();
}
