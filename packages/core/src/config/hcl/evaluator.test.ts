// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${" here is HCL syntax, not a JS template
import { describe, expect, it } from "vitest";
import { makeFunctions } from "../functions";
import { evaluate, type Namespace } from "./evaluator";
import { parse } from "./parser";
import { toJson, type Value } from "./values";

const functions = makeFunctions({
  getenv: (name) => ({ HOME_DIR: "/home/ci" })[name],
  readFile: (path) => {
    if (path === "schema.sql") return "CREATE TABLE t();\n";
    throw Object.assign(new Error("nope"), { code: "ENOENT" });
  },
  glob: () => [],
});

const vars = new Map<string, Value>([
  ["xs", ["a", "b", "c"]],
  [
    "m",
    new Map<string, Value>([
      ["k1", "v1"],
      ["k2", "v2"],
    ]),
  ],
  ["n", 3],
  ["objs", [new Map<string, Value>([["id", 1]]), new Map<string, Value>([["id", 2]])]],
]);
const varNamespace: Namespace = { get: (name) => vars.get(name) ?? null };

/** Evaluates the value of `v = <source>` and returns it as plain JSON. */
function ev(source: string): unknown {
  const text = `v = ${source}\n`;
  const body = parse(text, "t.hcl");
  const ctx = { file: "t.hcl", source: text, namespaces: new Map([["var", varNamespace]]), functions };
  return toJson(evaluate(body.attributes[0]!.expr, ctx));
}

describe("expressions", () => {
  it.each<[string, unknown]>([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["10 / 4", 2.5],
    ["7 % 4", 3],
    ["-var.n + 1", -2],
    ['"2" + 3', 5],
    ["1 < 2 && 2 <= 2", true],
    ["!(1 > 2) || false", true],
    ["3 >= 4", false],
    ['"a" == "a"', true],
    ['1 == "1"', false],
    ["[1, [2]] == [1, [2]]", true],
    ["{a = 1} != {a = 1}", false],
    ['var.n > 2 ? "big" : "small"', "big"],
    ["null", null],
    ["true", true],
    ["1.5e2", 150],
  ])("%s", (source, expected) => {
    expect(ev(source)).toEqual(expected);
  });

  it("reads lists, maps, attributes, indexes and splats", () => {
    expect(ev("var.xs[1]")).toBe("b");
    expect(ev("var.xs.2")).toBe("c");
    expect(ev('var.m["k2"]')).toBe("v2");
    expect(ev("var.m.k1")).toBe("v1");
    expect(ev("var.objs[*].id")).toEqual([1, 2]);
    expect(ev("var.objs.*.id")).toEqual([1, 2]);
    expect(ev('{ a = 1, "b" = 2, c: 3 }')).toEqual({ a: 1, b: 2, c: 3 });
    expect(ev("{\n  a = 1\n  b = [\n    1,\n    2,\n  ]\n}")).toEqual({ a: 1, b: [1, 2] });
  });
});

describe("for expressions", () => {
  it.each<[string, unknown]>([
    ["[for x in var.xs : upper(x)]", ["A", "B", "C"]],
    ['[for i, x in var.xs : "${i}:${x}" if i != 1]', ["0:a", "2:c"]],
    ["{for k, v in var.m : v => k}", { v1: "k1", v2: "k2" }],
    ['{for x in var.xs : x => "${x}${x}"}', { a: "aa", b: "bb", c: "cc" }],
    ['{for x in ["a", "b", "a"] : x => 1...}', { a: [1, 1], b: [1] }],
    ['[for k, v in var.m : k if v == "v2"]', ["k2"]],
    ["[\n  for x in var.xs :\n  x\n]", ["a", "b", "c"]],
    ["[for x in [[1, 2], [3]] : [for y in x : y * 10]]", [[10, 20], [30]]],
  ])("%s", (source, expected) => {
    expect(ev(source)).toEqual(expected);
  });
});

describe("templates", () => {
  it.each<[string, unknown]>([
    ['"plain"', "plain"],
    ['"a-${var.n}-${true}-${1.5}"', "a-3-true-1.5"],
    ['"${var.xs}"', ["a", "b", "c"]], // a lone interpolation keeps its type, as in HCL
    ['"nested ${format("%s!", "x${var.n}")}"', "nested x3!"],
    ['"esc \\" \\\\ \\n \\t \\u00e9 \\U0001F600"', 'esc " \\ \n \t é 😀'],
    ['"literal $${x} and %%{y}"', "literal ${x} and %{y}"],
    ['"${var.n > 1 ? "many" : "one"}"', "many"],
    ['"{not an interpolation} $ %"', "{not an interpolation} $ %"],
  ])("%s", (source, expected) => {
    expect(ev(source)).toEqual(expected);
  });
});

describe("heredocs", () => {
  it("keeps the text as written, up to the closing marker", () => {
    expect(ev("<<EOT\n  line 1\n    line ${var.n}\nEOT")).toBe("  line 1\n    line 3\n");
  });

  it("<<- strips the smallest indentation, ignoring blank lines", () => {
    expect(ev("<<-SQL\n    SELECT 1;\n\n      -- ${var.xs[0]}\n    SQL")).toBe("SELECT 1;\n\n  -- a\n");
  });

  it("does not treat backslashes as escapes", () => {
    expect(ev("<<EOT\na\\nb\nEOT")).toBe("a\\nb\n");
  });
});

describe("functions", () => {
  it.each<[string, unknown]>([
    [
      'urlsetpath("postgres://u:p@h:5432/?sslmode=disable", "tenant_1")',
      "postgres://u:p@h:5432/tenant_1?sslmode=disable",
    ],
    ['urlsetpath("postgres://h/old", "/new db")', "postgres://h/new%20db"],
    [
      'urlqueryset("postgres://h/db?sslmode=disable&a=1", "search_path", "t 1")',
      "postgres://h/db?a=1&search_path=t+1&sslmode=disable",
    ],
    ['urlqueryset("mysql://h/db", "x", "y")', "mysql://h/db?x=y"],
    ['urlescape("a b&c/d")', "a+b%26c%2Fd"],
    ['toset(["b", "a", "b"])', ["a", "b"]],
    ['concat(["a"], [], ["b", "c"])', ["a", "b", "c"]],
    ['concat([["x"]]...)', ["x"]],
    ['format("%s-%d-%v-%q-%t-%.2f-%%", "s", 42, [1], "q", true, 1.5)', 's-42-[1]-"q"-true-1.50-%'],
    ['jsonencode({b = [1, "x"], a = null, c = "<&>"})', '{"a":null,"b":[1,"x"],"c":"\\u003c\\u0026\\u003e"}'],
    ['jsondecode("{\\"a\\": [1, true]}")', { a: [1, true] }],
    ['split(",", "a,b,,c")', ["a", "b", "", "c"]],
    ['join("/", ["a", "b"])', "a/b"],
    ['replace("a.b.c", ".", "_")', "a_b_c"],
    ['lower("AbC")', "abc"],
    ['upper("AbC")', "ABC"],
    ['trimspace("  x \\n")', "x"],
    ['getenv("HOME_DIR")', "/home/ci"],
    ['getenv("UNSET_THING")', ""],
    ['file("schema.sql")', "CREATE TABLE t();\n"],
    ["length(var.xs)", 3],
    ["merge({a = 1}, {b = 2}, {a = 3})", { a: 3, b: 2 }],
    ["keys(var.m)", ["k1", "k2"]],
  ])("%s", (source, expected) => {
    expect(ev(source)).toEqual(expected);
  });
});

describe("comments and layout", () => {
  it("ignores # // and /* */ comments and keeps attributes apart", () => {
    const text = [
      "# a comment",
      "a = 1 // trailing",
      "/* block",
      "   comment */ b = 2",
      'blk "l1" label2 { c = 3 }',
      "",
    ].join("\n");
    const body = parse(text, "t.hcl");
    expect(body.attributes.map((a) => a.name)).toEqual(["a", "b"]);
    expect(body.blocks[0]).toMatchObject({ type: "blk", labels: ["l1", "label2"] });
    expect(body.blocks[0]!.body.attributes[0]!.name).toBe("c");
  });
});
