// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${" here is HCL syntax, not a JS template
// Every function of Atlas's HCL standard library (schemahcl/stdlib.go stdFuncs, and project.go's file,
// glob, fileset, getenv): one case or more each, values as cty gives them.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as YAML from "yaml";
import { makeFunctions } from "./functions";
import { evaluate } from "./hcl/evaluator";
import { parse } from "./hcl/parser";
import { toJson } from "./hcl/values";
import { resolveEnvFromSource } from "./resolve";
import { globFiles } from "./stdlib";

let base = "";
const printed: string[] = [];
const functions = () =>
  makeFunctions({
    getenv: (name) => ({ HOME_DIR: "/home/ci" })[name],
    readFile: (path) => `contents of ${path}`,
    glob: (pattern, doublestar) => globFiles(base, pattern, doublestar),
    yaml: { parse: (t) => YAML.parse(t), stringify: (v) => YAML.stringify(v) },
    print: (line) => printed.push(line),
  });

function run(expr: string): unknown {
  const body = parse(`x = ${expr}\n`, "t.hcl");
  return toJson(
    evaluate(body.attributes[0]!.expr, {
      file: "t.hcl",
      source: expr,
      namespaces: new Map(),
      functions: functions(),
    }),
  );
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "stdlib-"));
  await mkdir(join(base, "migrations", "nested"), { recursive: true });
  for (const f of [
    "migrations/1_a.sql",
    "migrations/2_b.sql",
    "migrations/notes.txt",
    "migrations/nested/3_c.sql",
  ])
    await writeFile(join(base, f), "");
});

// [function, expression, expected]
const CASES: [string, string, unknown][] = [
  ["abs", "abs(-3.5)", 3.5],
  ["alltrue", "alltrue([true, true])", true],
  ["alltrue", "alltrue([true, false])", false],
  ["can", 'can(regex("^[0-9]+$", "12a"))', false],
  ["can", 'can(tonumber("12"))', true],
  ["ceil", "ceil(1.2)", 2],
  ["chomp", 'chomp("hello\\n\\r\\n")', "hello"],
  ["chunklist", "chunklist([1, 2, 3, 4, 5], 2)", [[1, 2], [3, 4], [5]]],
  ["coalescelist", 'coalescelist([], ["a"], ["b"])', ["a"]],
  ["compact", 'compact(["a", "", "b"])', ["a", "b"]],
  ["concat", "concat([1], [2, 3])", [1, 2, 3]],
  ["contains", 'contains(["a", "b"], "b")', true],
  ["csvdecode", 'csvdecode("a,b\\n1,\\"x,y\\"\\n")', [{ a: "1", b: "x,y" }]],
  ["distinct", "distinct([1, 2, 1, 3, 2])", [1, 2, 3]],
  ["element", 'element(["a", "b", "c"], 4)', "b"],
  ["empty", "empty([])", true],
  ["empty", "empty({a = 1})", false],
  ["endswith", 'endswith("hello", "lo")', true],
  ["flatten", "flatten([[1, [2]], [], [3]])", [1, 2, 3]],
  ["floor", "floor(-1.5)", -2],
  ["format", 'format("%s-%03d", "v", 7)', "v-007"],
  ["formatdate", 'formatdate("YYYY-MM-DD hh:mm EEE", "2024-03-05T14:07:00Z")', "2024-03-05 14:07 Tue"],
  [
    "formatdate",
    'formatdate("DD MMM YYYY \'at\' HH:mm aa ZZZZZ", "2024-03-05T14:07:00+02:00")',
    "05 Mar 2024 at 02:07 pm +02:00",
  ],
  ["formatlist", 'formatlist("%s=%s", ["a", "b"], "x")', ["a=x", "b=x"]],
  ["indent", 'indent(2, "a\\nb")', "a\n  b"],
  ["index", 'index(["a", "b"], "b")', 1],
  ["join", 'join(",", ["a", "b"])', "a,b"],
  ["jsondecode", 'jsondecode("{\\"a\\":[1,true]}")', { a: [1, true] }],
  ["jsonencode", 'jsonencode({b = "<x>", a = 1})', '{"a":1,"b":"\\u003cx\\u003e"}'],
  ["yamldecode", 'yamldecode("a: 1\\nb: [x, y]\\n")', { a: 1, b: ["x", "y"] }],
  ["yamlencode", "yamlencode({a = 1})", "a: 1\n"],
  [
    "yamlmerge",
    'yamlmerge("a: {x: 1}\\nl: [1]\\n", "a: {y: 2}\\nl: [2]\\n")',
    "a:\n  x: 1\n  y: 2\nl:\n  - 1\n  - 2\n",
  ],
  ["keys", "keys({b = 1, a = 2})", ["a", "b"]],
  ["length", 'length("héllo")', 5],
  ["log", "log(8, 2)", 3],
  ["lower", 'lower("ABC")', "abc"],
  ["max", "max(1, 7, 3)", 7],
  ["merge", "merge({a = 1}, {b = 2}, {a = 3})", { a: 3, b: 2 }],
  ["min", "min(4, 2, 9)", 2],
  ["parseint", 'parseint("ff", 16)', 255],
  ["parseint", 'parseint("-101", 2)', -5],
  ["pow", "pow(2, 10)", 1024],
  ["print", 'print("shown")', "shown"],
  ["range", "range(3)", [0, 1, 2]],
  ["range", "range(10, 0, -4)", [10, 6, 2]],
  ["regex", 'regex("[0-9]+", "v123x")', "123"],
  ["regex", 'regex("(\\\\d+)-(\\\\d+)", "10-20")', ["10", "20"]],
  ["regex", 'regex("(?P<major>\\\\d+)\\\\.(?P<minor>\\\\d+)", "v1.2")', { major: "1", minor: "2" }],
  ["regexall", 'regexall("[a-z]+", "ab1cd2")', ["ab", "cd"]],
  ["regexpescape", 'regexpescape("a.b*c")', "a\\.b\\*c"],
  ["regexreplace", 'regexreplace("tenant_1", "_(\\\\d)", "-$1")', "tenant-1"],
  ["replace", 'replace("a-b-c", "-", "_")', "a_b_c"],
  ["reverse", "reverse([1, 2, 3])", [3, 2, 1]],
  ["setintersection", 'setintersection(["a", "b"], ["b", "c"])', ["b"]],
  [
    "setproduct",
    'setproduct(["a", "b"], [1])',
    [
      ["a", 1],
      ["b", 1],
    ],
  ],
  ["setsubtract", 'setsubtract(["a", "b", "c"], ["b"])', ["a", "c"]],
  ["setunion", 'setunion(["b"], ["a", "b"])', ["a", "b"]],
  ["signum", "signum(-7)", -1],
  ["slice", 'slice(["a", "b", "c", "d"], 1, 3)', ["b", "c"]],
  ["sort", 'sort(["b", "a", "c"])', ["a", "b", "c"]],
  ["split", 'split(",", "a,b")', ["a", "b"]],
  ["startswith", 'startswith("hello", "he")', true],
  ["strrev", 'strrev("abc")', "cba"],
  ["substr", 'substr("hello world", 1, 4)', "ello"],
  ["substr", 'substr("hello world", -5, -1)', "world"],
  ["timeadd", 'timeadd("2024-01-01T00:00:00Z", "1h30m")', "2024-01-01T01:30:00Z"],
  ["timeadd", 'timeadd("2024-01-01T00:00:00+02:00", "-10m")', "2023-12-31T23:50:00+02:00"],
  ["title", 'title("hello world")', "Hello World"],
  ["tobool", 'tobool("true")', true],
  ["tolist", 'tolist(["a"])', ["a"]],
  ["tonumber", 'tonumber("42")', 42],
  ["toset", 'toset(["b", "a", "b"])', ["a", "b"]],
  ["tostring", "tostring(5)", "5"],
  ["trim", 'trim("?!hello?!", "!?")', "hello"],
  ["trimprefix", 'trimprefix("helloworld", "hello")', "world"],
  ["trimspace", 'trimspace("  x \\n")', "x"],
  ["trimsuffix", 'trimsuffix("helloworld", "world")', "hello"],
  ["try", 'try(tonumber("x"), "fallback")', "fallback"],
  ["try", "try({a = 1}.b, {a = 1}.a)", 1],
  ["upper", 'upper("abc")', "ABC"],
  ["urlescape", 'urlescape("a b&c")', "a+b%26c"],
  [
    "urluserinfo",
    'urluserinfo("postgres://old@db:5432/app", "app", "p@ss")',
    "postgres://app:p%40ss@db:5432/app",
  ],
  ["urluserinfo", 'urluserinfo("postgres://db/app", "ro")', "postgres://ro@db/app"],
  ["urlqueryset", 'urlqueryset("postgres://db/app?b=1", "a", "x y")', "postgres://db/app?a=x+y&b=1"],
  ["urlsetpath", 'urlsetpath("postgres://db/app", "tenant_a")', "postgres://db/tenant_a"],
  ["values", "values({b = 1, a = 2})", [2, 1]],
  ["zipmap", 'zipmap(["a", "b"], [1, 2])', { a: 1, b: 2 }],
  ["sql", 'sql("now()")', "now()"],
  ["file", 'file("schema.sql")', "contents of schema.sql"],
  ["getenv", 'getenv("HOME_DIR")', "/home/ci"],
];

describe("Atlas's HCL standard library", () => {
  it.each(CASES)("%s: %s", (_name, expr, expected) => {
    expect(run(expr)).toEqual(expected);
  });

  it("glob and fileset list files relative to the config's folder (fileset with **)", () => {
    expect(run('glob("migrations/*.sql")')).toEqual([
      join(base, "migrations/1_a.sql"),
      join(base, "migrations/2_b.sql"),
    ]);
    expect(run('fileset("migrations/**/*.sql")')).toEqual([
      join(base, "migrations/1_a.sql"),
      join(base, "migrations/2_b.sql"),
      join(base, "migrations/nested/3_c.sql"),
    ]);
    expect(run('fileset("nowhere/*.sql")')).toEqual([]);
  });

  it("print writes to the side channel, not the result", () => {
    printed.length = 0;
    run("print({a = 1})");
    expect(printed).toEqual(['{"a":1}']);
  });

  it("has exactly Atlas's functions: nothing more, nothing less", () => {
    const atlas =
      "abs alltrue can ceil chomp chunklist coalescelist compact concat contains csvdecode distinct element empty endswith flatten floor format formatdate formatlist indent index join jsondecode jsonencode yamldecode yamlencode yamlmerge keys length log lower max merge min parseint pow print range regex regexall regexpescape regexreplace replace reverse setintersection setproduct setsubtract setunion signum slice sort split startswith strrev substr timeadd title tobool tolist tonumber toset tostring trim trimprefix trimspace trimsuffix try upper urlescape urluserinfo urlqueryset urlsetpath values zipmap sql file glob fileset getenv";
    const ours = [...functions().keys(), "try", "can"].sort();
    expect(ours).toEqual(atlas.split(" ").sort());
    expect(new Set(CASES.map(([name]) => name)).size + 2).toBe(ours.length); // + glob, fileset above
  });

  it.each([
    ['coalesce("a")', /unknown function "coalesce"/],
    ['regex("[0-9]", "abc")', /did not match/],
    ['try(tonumber("x"), tonumber("y"))', /no expression succeeded/],
    ["element([], 1)", /empty list/],
    ['timeadd("yesterday", "1h")', /RFC 3339/],
    ['parseint("12z", 10)', /cannot parse "12z" as a base 10 integer/],
  ])("refuses %s with a clear message", (expr, message) => {
    expect(() => run(expr)).toThrow(message);
  });

  it("a config loads yamldecode through the loader, and try() lets a missing env var fall back", () => {
    const [env] = resolveEnvFromSource(
      'env "x" {\n  url = try(regex(".+", getenv("UNSET")), "postgres://db/app")\n}\n',
      "atlas.hcl",
      { env: "x", getenv: () => undefined },
    );
    expect(env!.url).toBe("postgres://db/app");
  });
});
