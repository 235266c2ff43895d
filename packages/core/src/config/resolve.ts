// Atlas semantics over the syntax tree: locals, variables, env selection, for_each, and the typed
// ResolvedEnv (one per instance). Only what the selected env reaches is evaluated, so other envs'
// getenv() calls or data sources never fail this one.
import { readFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { redactUrl } from "../secrets";
import { DATA_SOURCES, DataNeeded, type DataRequest, dataKey } from "./data";
import { makeFunctions, type YamlCodec } from "./functions";
import type { Attribute, Block, Body, Expr } from "./hcl/ast";
import { type EvalContext, evaluate, type Namespace } from "./hcl/evaluator";
import type { HclFunction } from "./hcl/function";
import { parse } from "./hcl/parser";
import { closest, didYouMean, errorAt, type Pos, type Span, where } from "./hcl/source";
import { asString, describe, fromJson, isList, isObject, type Value } from "./hcl/values";
import { convert, parseType, type VarType } from "./hcl/var-types";
import { globFiles } from "./stdlib";
import type { ExecOrder, ResolvedEnv } from "./types";

export interface ResolveOptions {
  /** The env name to select (`--env`, the env input). */
  env: string;
  /** Input variables: the actions' `vars` JSON, or parseVarFlags(--var ...). */
  vars?: Record<string, unknown>;
  /** getenv() source; defaults to process.env. */
  getenv?: (name: string) => string | undefined;
  /** The folder file() reads from: the config's folder. Defaults to the current directory. */
  baseDir?: string;
  /** Reads a file for file(); defaults to reading from disk. */
  readFile?: (absolutePath: string) => string;
  /** The YAML codec for yamldecode/yamlencode/yamlmerge (the loader passes it when the file calls them). */
  yaml?: YamlCodec;
  /** Where print() writes; stderr by default. */
  print?: (line: string) => void;
  /** Values of data sources the loader fetched, by `type.name` (see DataNeeded). */
  data?: ReadonlyMap<string, Value>;
}

const FORMATS = ["atlas", "flyway", "liquibase", "goose", "golang-migrate"];
const EXEC_ORDERS: ExecOrder[] = ["linear", "linear-skip", "non-linear"];
// Atlas writes these as bare identifiers (`format = flyway`, `exec_order = LINEAR_SKIP`).
const FORMAT_ENUMS = new Map(FORMATS.map((f) => [f, f]));
const EXEC_ORDER_ENUMS = new Map([
  ["LINEAR", "linear"],
  ["LINEAR_SKIP", "linear-skip"],
  ["NON_LINEAR", "non-linear"],
]);
// Values quoted in messages keep their spelling unless they carry a secret.
const URL_SHAPE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/./;
const URL_KINDS = "s3://, file://, atlas:// or another scheme://";

/** Resolves env `options.env` of an atlas.hcl given as text: one ResolvedEnv per instance. */
export function resolveEnvFromSource(
  source: string,
  fileName: string,
  options: ResolveOptions,
): ResolvedEnv[] {
  return new Document(source, fileName, options).resolve();
}

class Document {
  private readonly body: Body;
  private readonly locals = new Map<string, Attribute>();
  private readonly localValues = new Map<string, Value>();
  private readonly evaluating: string[] = [];
  private readonly variables = new Map<string, Block>();
  private readonly varValues = new Map<string, Value>();
  private readonly envBlocks: Block[] = [];
  private readonly dataBlocks: Block[] = [];
  private atlasBlock: Block | undefined;
  private readonly functions: ReadonlyMap<string, HclFunction>;
  private readonly global: Map<string, Namespace>;

  constructor(
    private readonly source: string,
    private readonly file: string,
    private readonly options: ResolveOptions,
  ) {
    this.body = parse(source, file);
    const getenv = options.getenv ?? ((name: string) => process.env[name]);
    const baseDir = options.baseDir ?? process.cwd();
    const read = options.readFile ?? ((path: string) => readFileSync(path, "utf8"));
    this.functions = makeFunctions({
      getenv,
      readFile: (path) => read(resolvePath(baseDir, path)),
      glob: (pattern, doublestar) => globFiles(baseDir, pattern, doublestar),
      ...(options.yaml ? { yaml: options.yaml } : {}),
      ...(options.print ? { print: options.print } : {}),
    });
    this.global = new Map<string, Namespace>([
      ["local", { get: (name, at) => this.local(name, at) }],
      ["var", { get: (name, at) => this.variable(name, at) }],
      ["atlas", { get: (name, at) => this.atlasRef(name, at) }],
      ["data", { get: (name, at) => this.dataRef(name, at) }],
      [
        "each",
        {
          get: (name, at) =>
            this.fail(at, `each.${name} is only available inside an env block that has for_each`),
        },
      ],
    ]);
    this.collect();
    this.addUnsupportedBlockNamespaces();
    this.checkLocalCycles();
  }

  private fail(at: Span | Pos, message: string): never {
    throw errorAt(this.file, "pos" in at ? at.pos : at, message);
  }

  private ctx(namespaces: ReadonlyMap<string, Namespace>, enums?: ReadonlyMap<string, string>): EvalContext {
    return {
      file: this.file,
      source: this.source,
      namespaces,
      functions: this.functions,
      ...(enums ? { enums } : {}),
    };
  }

  // ---- the file's top level ----

  private collect(): void {
    for (const block of this.body.blocks) {
      switch (block.type) {
        case "locals":
          for (const attr of block.body.attributes) {
            const first = this.locals.get(attr.name);
            if (first) {
              this.fail(
                attr,
                `duplicate local "${attr.name}"; it is already defined at ${where(this.file, first.pos)}`,
              );
            }
            this.locals.set(attr.name, attr);
          }
          break;
        case "variable": {
          if (block.labels.length !== 1) {
            this.fail(
              block,
              `found a variable block with ${block.labels.length} labels; expected one, its name: variable "name" { ... }`,
            );
          }
          const name = block.labels[0]!;
          const first = this.variables.get(name);
          if (first)
            this.fail(
              block,
              `duplicate variable "${name}"; it is already declared at ${where(this.file, first.pos)}`,
            );
          this.variables.set(name, block);
          break;
        }
        case "env":
          this.envBlocks.push(block);
          break;
        case "data":
          this.dataBlocks.push(block);
          break;
        case "atlas":
          if (this.atlasBlock) {
            this.fail(
              block,
              `duplicate atlas block; the first one is at ${where(this.file, this.atlasBlock.pos)}`,
            );
          }
          this.atlasBlock = block;
          break;
      }
    }
  }

  /**
   * Atlas lets other top-level blocks be referenced (docker "postgres" "dev" -> docker.postgres.dev.url);
   * migrate-relay runs none of them, so a reference says that instead of "unknown variable".
   */
  private addUnsupportedBlockNamespaces(): void {
    for (const block of this.body.blocks) {
      if (this.global.has(block.type) || ["locals", "variable", "env"].includes(block.type)) continue;
      if (block.labels.length === 0) continue;
      this.global.set(block.type, {
        get: (name, at) => {
          const found = this.body.blocks.find((b) => b.type === block.type && b.labels[0] === name);
          if (!found) {
            const labels = this.body.blocks
              .filter((b) => b.type === block.type)
              .map((b) => b.labels[0] ?? "");
            this.fail(
              at,
              `unknown variable "${block.type}.${name}"${didYouMean(suggest(block.type, name, labels))}`,
            );
          }
          this.fail(
            at,
            `${block.type} blocks are not supported (${block.type}.${name} is declared at ${where(this.file, found.pos)}); use a variable or a local instead`,
          );
        },
      });
    }
  }

  /** Cycles among locals are found from the references alone, so one is reported even if unused. */
  private checkLocalCycles(): void {
    const refs = new Map<string, string[]>();
    for (const [name, attr] of this.locals)
      refs.set(
        name,
        localRefs(attr.expr).filter((r) => this.locals.has(r)),
      );
    const state = new Map<string, "open" | "done">();
    const path: string[] = [];
    const visit = (name: string): void => {
      if (state.get(name) === "done") return;
      if (state.get(name) === "open") {
        const cycle = [...path.slice(path.indexOf(name)), name].map((n) => `local.${n}`);
        this.fail(this.locals.get(name)!, `cycle in locals: ${cycle.join(" -> ")}`);
      }
      state.set(name, "open");
      path.push(name);
      for (const next of refs.get(name)!) visit(next);
      path.pop();
      state.set(name, "done");
    };
    for (const name of this.locals.keys()) visit(name);
  }

  // ---- namespaces ----

  private local(name: string, at: Expr): Value {
    const cached = this.localValues.get(name);
    if (cached !== undefined) return cached;
    const attr = this.locals.get(name);
    if (!attr) {
      const hint = didYouMean(suggest("local", name, this.locals.keys()));
      this.fail(at, `unknown variable "local.${name}"${hint}`);
    }
    if (this.evaluating.includes(name)) {
      const cycle = [...this.evaluating.slice(this.evaluating.indexOf(name)), name].map((n) => `local.${n}`);
      this.fail(attr, `cycle in locals: ${cycle.join(" -> ")}`);
    }
    this.evaluating.push(name);
    try {
      const value = evaluate(attr.expr, this.ctx(this.global));
      this.localValues.set(name, value);
      return value;
    } finally {
      this.evaluating.pop();
    }
  }

  private variable(name: string, at: Expr): Value {
    const cached = this.varValues.get(name);
    if (cached !== undefined) return cached;
    const block = this.variables.get(name);
    if (!block) {
      const hint = didYouMean(suggest("var", name, this.variables.keys()));
      this.fail(
        at,
        `unknown variable "var.${name}"${hint || `; declare it with variable "${name}" { type = string }`}`,
      );
    }
    const label = block.labelSpans[0] ?? block;
    let type: VarType = { kind: "any" };
    const typeAttr = block.body.attributes.find((a) => a.name === "type");
    if (typeAttr) {
      const parsed = parseType(typeAttr.expr);
      if (typeof parsed === "string") {
        this.fail(typeAttr.expr, `variable "${name}": unknown type "${this.text(typeAttr.expr)}"; ${parsed}`);
      }
      type = parsed;
    }
    const input = this.options.vars ?? {};
    let value: Value;
    // A null in the vars JSON means "not given", so the default applies.
    if (Object.hasOwn(input, name) && input[name] !== null && input[name] !== undefined) {
      const converted = convert(fromJson(input[name]), type);
      if ("error" in converted) {
        this.fail(
          label,
          `variable "${name}": ${converted.error} (the value given by the vars input or --var)`,
        );
      }
      value = converted.value;
    } else {
      const def = block.body.attributes.find((a) => a.name === "default");
      if (!def) {
        this.fail(
          at,
          `variable "${name}" is required and has no value (declared at ${where(this.file, block.pos)} without a default); ` +
            `pass it in the vars input ({"${name}": ...}) or with --var ${name}=...`,
        );
      }
      const converted = convert(evaluate(def.expr, this.ctx(this.global)), type);
      if ("error" in converted) this.fail(def.expr, `variable "${name}": the default: ${converted.error}`);
      value = converted.value;
    }
    this.varValues.set(name, value);
    return value;
  }

  private atlasRef(name: string, at: Expr & { type: "getattr" }): Value {
    if (name === "env") return this.options.env;
    this.fail(at.nameSpan, `unknown variable "atlas.${name}"${didYouMean(suggest("atlas", name, ["env"]))}`);
  }

  /**
   * `data.<type>` -> the values of every `data "<type>" "<name>"` block, by name. runtimevar and
   * template_dir are fetched by the loader (data.ts): the first reference throws DataNeeded with the
   * blocks' evaluated attributes, and the next evaluation finds their values in options.data.
   */
  private dataRef(name: string, at: Expr): Value {
    const blocks = this.dataBlocks.filter((b) => b.labels[0] === name);
    if (blocks.length && (DATA_SOURCES as readonly string[]).includes(name)) {
      const values = new Map<string, Value>();
      const missing: DataRequest[] = [];
      for (const block of blocks) {
        if (block.labels.length !== 2)
          this.fail(block, `data "${name}" needs two labels: data "${name}" "<name>" { ... }`);
        const label = block.labels[1]!;
        const known = this.options.data?.get(dataKey(name, label));
        if (known !== undefined) {
          values.set(label, known);
          continue;
        }
        const attrs = new Map<string, Value>();
        for (const attr of block.body.attributes)
          attrs.set(attr.name, evaluate(attr.expr, this.ctx(this.global)));
        missing.push({
          type: name as DataRequest["type"],
          name: label,
          attrs,
          where: where(this.file, block.pos),
        });
      }
      if (missing.length) throw new DataNeeded(missing);
      return values;
    }
    if (blocks.length) {
      this.fail(
        at,
        `data source "${name}" is not supported (declared at ${where(this.file, blocks[0]!.pos)}); supported: ${DATA_SOURCES.join(", ")}`,
      );
    }
    const types = this.dataBlocks.map((b) => b.labels[0] ?? "");
    this.fail(at, `unknown variable "data.${name}"${didYouMean(suggest("data", name, types))}`);
  }

  private text(span: Span): string {
    return this.source.slice(span.start, span.end);
  }

  // ---- envs ----

  resolve(): ResolvedEnv[] {
    const wanted = this.options.env;
    const named = this.envBlocks.map((block) => ({ block, name: this.envName(block) }));
    const selected = named.filter((e) => e.name === wanted);
    if (selected.length === 0) {
      const defined = named.map((e) => `"${e.name}" (line ${e.block.pos.line})`).join(", ");
      const expected = defined ? `expected one of ${defined}` : "the file defines no env blocks";
      if (wanted === "")
        this.fail({ line: 1, col: 1 }, `no env selected (pass --env or the env input); ${expected}`);
      const hint = didYouMean(
        closest(
          wanted,
          named.map((e) => e.name),
        ),
      );
      this.fail({ line: 1, col: 1 }, `unknown env "${wanted}"; ${expected}${hint}`);
    }
    const cloud = this.cloud();
    const out: ResolvedEnv[] = [];
    for (const { block, name } of selected) {
      for (const each of this.instances(block)) {
        const namespaces = new Map(this.global);
        if (each)
          namespaces.set(
            "each",
            eachNamespace(each, (at, message) => this.fail(at, message)),
          );
        out.push(this.env(block, name, each?.key, namespaces, cloud));
      }
    }
    return out;
  }

  private envName(block: Block): string {
    if (block.labels.length === 1) return block.labels[0]!;
    if (block.labels.length > 1) {
      this.fail(
        block.labelSpans[1]!,
        `found ${block.labels.length} labels on an env block; expected one, its name`,
      );
    }
    // Atlas's unlabeled form: env { name = atlas.env ... }
    const attr = block.body.attributes.find((a) => a.name === "name");
    if (!attr)
      this.fail(block, 'found an env block without a name; expected env "name" { ... } or a name attribute');
    const value = evaluate(attr.expr, this.ctx(this.global));
    if (typeof value !== "string")
      this.fail(attr.expr, `env name: expected a string, found ${describe(value)}`);
    return value;
  }

  private instances(block: Block): ({ key: string; value: Value } | undefined)[] {
    const attr = block.body.attributes.find((a) => a.name === "for_each");
    if (!attr) return [undefined];
    const value = evaluate(attr.expr, this.ctx(this.global));
    const expected = "expected a set or list of strings, or a map";
    if (isObject(value)) {
      if (value.size === 0)
        this.fail(attr.expr, `for_each: found an empty map; ${expected} with at least one element`);
      return [...value].map(([key, v]) => ({ key, value: v }));
    }
    if (!isList(value)) this.fail(attr.expr, `for_each: found ${describe(value)}; ${expected}`);
    if (value.length === 0)
      this.fail(attr.expr, `for_each: found an empty list; ${expected} with at least one element`);
    const seen = new Set<string>();
    return value.map((item, i) => {
      if (typeof item !== "string")
        this.fail(attr.expr, `for_each: element ${i} is ${describe(item)}; ${expected}`);
      if (seen.has(item)) {
        this.fail(
          attr.expr,
          `for_each: duplicate element "${item}"; expected each key once (toset(...) drops duplicates)`,
        );
      }
      seen.add(item);
      return { key: item, value: item };
    });
  }

  private cloud(): ResolvedEnv["cloud"] {
    const block = this.atlasBlock && this.single(this.atlasBlock.body, "cloud");
    if (!block) return {};
    const ctx = this.ctx(this.global);
    return compact({
      token: this.string(block.body, "token", "atlas.cloud.token", ctx, { secret: true }),
      url: this.url(block.body, "url", "atlas.cloud.url", ctx),
      project: this.string(block.body, "project", "atlas.cloud.project", ctx),
    });
  }

  private env(
    block: Block,
    name: string,
    instance: string | undefined,
    namespaces: ReadonlyMap<string, Namespace>,
    cloud: ResolvedEnv["cloud"],
  ): ResolvedEnv {
    const ctx = this.ctx(namespaces);
    const migration = this.single(block.body, "migration");
    const repo = migration && this.single(migration.body, "repo");
    const m = migration?.body;
    const r = repo?.body;
    const execOrder =
      m && this.string(m, "exec_order", "migration.exec_order", this.ctx(namespaces, EXEC_ORDER_ENUMS));
    const format = m && this.string(m, "format", "migration.format", this.ctx(namespaces, FORMAT_ENUMS));
    return compact({
      name,
      instance,
      url: this.string(block.body, "url", "url", ctx),
      emptyUrl: this.emptyReason(block.body, "url", ctx),
      dev: this.string(block.body, "dev", "dev", ctx),
      migration: compact({
        dir: m && this.string(m, "dir", "migration.dir", ctx),
        format: format ? this.oneOf(m!, "format", format, FORMATS) : undefined,
        baseline: m && this.string(m, "baseline", "migration.baseline", ctx),
        execOrder: execOrder
          ? (this.oneOf(
              m!,
              "exec_order",
              execOrder.toLowerCase().replace(/_/g, "-"),
              EXEC_ORDERS,
            ) as ExecOrder)
          : undefined,
        lockTimeout: m && this.string(m, "lock_timeout", "migration.lock_timeout", ctx),
        revisionsSchema: m && this.string(m, "revisions_schema", "migration.revisions_schema", ctx),
        repo: compact({
          name: r && this.string(r, "name", "migration.repo.name", ctx),
          backup: r ? this.backups(r, ctx) : [],
          url: r && this.url(r, "url", "migration.repo.url", ctx),
        }),
      }),
      cloud,
    });
  }

  /** The one block of a type inside a body (undefined when absent; an error when repeated). */
  private single(body: Body, type: string): Block | undefined {
    const blocks = body.blocks.filter((b) => b.type === type);
    if (blocks.length > 1) {
      this.fail(
        blocks[1]!,
        `duplicate ${type} block; the first one is at ${where(this.file, blocks[0]!.pos)}`,
      );
    }
    return blocks[0];
  }

  private attribute(body: Body, name: string): Attribute | undefined {
    return body.attributes.find((a) => a.name === name);
  }

  /** A string attribute; null and "" mean unset (getenv() of an unset variable gives ""). */
  /**
   * Why an attribute that is written evaluated empty, naming the getenv() variables that were empty:
   * `url = getenv("DATABASE_URL") at atlas.hcl:3:9 is empty: DATABASE_URL is unset or empty`.
   */
  private emptyReason(body: Body, name: string, ctx: EvalContext): string | undefined {
    const attr = this.attribute(body, name);
    if (!attr) return undefined;
    const value = evaluate(attr.expr, ctx);
    if (value !== null && value !== "") return undefined;
    const empty: string[] = [];
    const walk = (node: unknown): void => {
      if (!node || typeof node !== "object") return;
      const e = node as Expr;
      if (e.type === "call" && e.name === "getenv") {
        const arg = e.args[0] && evaluate(e.args[0], ctx);
        if (
          typeof arg === "string" &&
          !(this.options.getenv ?? ((n: string) => process.env[n]))(arg) &&
          !empty.includes(arg)
        )
          empty.push(arg);
      }
      for (const v of Object.values(node)) if (v && typeof v === "object") walk(v);
    };
    walk(attr.expr);
    const text = `${name} = ${this.text(attr.expr)} at ${where(this.file, attr.expr.pos)} is empty`;
    return empty.length
      ? `${text}: the environment variable${empty.length > 1 ? "s" : ""} ${empty.join(", ")} ${empty.length > 1 ? "are" : "is"} unset or empty`
      : text;
  }

  private string(
    body: Body,
    name: string,
    path: string,
    ctx: EvalContext,
    opts: { secret?: boolean } = {},
  ): string | undefined {
    const attr = this.attribute(body, name);
    if (!attr) return undefined;
    const value = evaluate(attr.expr, ctx);
    if (value === null || value === "") return undefined;
    const s = asString(value);
    if (s === undefined) {
      this.fail(
        attr.expr,
        `${path}: expected a string, found ${describe(value, opts.secret ? () => "***" : redactUrl)}`,
      );
    }
    return s;
  }

  private url(body: Body, name: string, path: string, ctx: EvalContext): string | undefined {
    const s = this.string(body, name, path, ctx);
    if (s !== undefined && !URL_SHAPE.test(s)) {
      this.fail(
        this.attribute(body, name)!.expr,
        `${path}: expected a URL (${URL_KINDS}), found ${JSON.stringify(redactUrl(s))}`,
      );
    }
    return s;
  }

  private oneOf(body: Body, name: string, value: string, allowed: string[]): string {
    if (allowed.includes(value)) return value;
    const hint = didYouMean(closest(value, allowed));
    this.fail(
      this.attribute(body, name)!.expr,
      `migration.${name}: unknown value "${value}"; expected one of ${allowed.join(", ")}${hint}`,
    );
  }

  private backups(body: Body, ctx: EvalContext): string[] {
    const attr = this.attribute(body, "backup");
    if (!attr) return [];
    const value = evaluate(attr.expr, ctx);
    if (value === null) return [];
    if (!isList(value)) {
      const hint = typeof value === "string" ? `; write backup = [${JSON.stringify(redactUrl(value))}]` : "";
      this.fail(
        attr.expr,
        `migration.repo.backup: expected a list of URLs, found ${describe(value, redactUrl)}${hint}`,
      );
    }
    return value.map((item, i) => {
      // Point at the element itself when the list is written out in place.
      const at = attr.expr.type === "tuple" ? (attr.expr.items[i] ?? attr.expr) : attr.expr;
      if (typeof item !== "string" || !URL_SHAPE.test(item)) {
        this.fail(
          at,
          `migration.repo.backup[${i}]: expected a URL (${URL_KINDS}), found ${describe(item, redactUrl)}`,
        );
      }
      return item;
    });
  }
}

function eachNamespace(
  each: { key: string; value: Value },
  fail: (at: Span, message: string) => never,
): Namespace {
  return {
    get(name, at) {
      if (name === "key") return each.key;
      if (name === "value") return each.value;
      fail(
        at.nameSpan,
        `unknown variable "each.${name}"${didYouMean(suggest("each", name, ["key", "value"]))}`,
      );
    },
  };
}

const suggest = (root: string, name: string, names: Iterable<string>): string | undefined => {
  const found = closest(name, names);
  return found === undefined ? undefined : `${root}.${found}`;
};

/** Drops keys whose value is undefined, so results compare and print cleanly. */
function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** Names of `local.X` references in an expression (for the static cycle check). */
function localRefs(expr: Expr): string[] {
  const out: string[] = [];
  const walk = (e: Expr): void => {
    switch (e.type) {
      case "getattr":
        if (e.object.type === "variable" && e.object.name === "local") out.push(e.name);
        else walk(e.object);
        return;
      case "template":
        for (const p of e.parts) if (typeof p !== "string") walk(p);
        return;
      case "index":
        walk(e.object);
        walk(e.key);
        return;
      case "splat":
        walk(e.object);
        walk(e.each);
        return;
      case "call":
        e.args.forEach(walk);
        return;
      case "tuple":
        e.items.forEach(walk);
        return;
      case "object":
        for (const item of e.items) {
          walk(item.key);
          walk(item.value);
        }
        return;
      case "unary":
        walk(e.operand);
        return;
      case "binary":
        walk(e.left);
        walk(e.right);
        return;
      case "conditional":
        walk(e.cond);
        walk(e.then);
        walk(e.else);
        return;
      case "for":
        walk(e.collection);
        if (e.key) walk(e.key);
        walk(e.value);
        if (e.cond) walk(e.cond);
        return;
      default:
        return;
    }
  };
  walk(expr);
  return out;
}
