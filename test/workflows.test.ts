// Every workflow in the repository and every workflow block (```yaml with `on:` and `jobs:`) in the
// README and docs is checked by GitHub's own parser (@actions/workflow-parser), and every `uses:` of our
// actions resolves to an action.yml whose inputs include each `with:` key.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  isMapping,
  isSequence,
  isString,
  NoOperationTraceWriter,
  parseWorkflow,
} from "@actions/workflow-parser";
import { convertActionTemplate, parseAction } from "@actions/workflow-parser/actions/index";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { REPO_ROOT } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";

interface Workflow {
  /** `path` or `path:line` of the block. */
  where: string;
  content: string;
}

const tracked = () =>
  execFileSync("git", ["ls-files", "-z"], { cwd: REPO_ROOT }).toString("utf8").split("\0").filter(Boolean);

function workflows(): Workflow[] {
  const files = tracked();
  const found: Workflow[] = files
    .filter((p) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p))
    .map((p) => ({ where: p, content: readFileSync(join(REPO_ROOT, p), "utf8") }));
  for (const doc of files.filter(
    (p) => /(^|\/)README\.md$|^docs\/.*\.md$/.test(p) && !p.startsWith("testdata/"),
  )) {
    found.push(...workflowBlocks(doc, readFileSync(join(REPO_ROOT, doc), "utf8")));
  }
  return found;
}

/** The ```yaml blocks of a Markdown file that are whole workflows (top-level `on:` and `jobs:`). */
function workflowBlocks(path: string, markdown: string): Workflow[] {
  const blocks: Workflow[] = [];
  for (const m of markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```$/gm)) {
    const content = m[1] ?? "";
    if (!/^on:/m.test(content) || !/^jobs:/m.test(content)) continue;
    const line = markdown.slice(0, m.index).split("\n").length + 1;
    blocks.push({ where: `${path}:${line}`, content });
  }
  return blocks;
}

/** `uses:` values naming one of our actions -> the action's folder name. */
function ourAction(uses: string): string | undefined {
  return /^(?:\.\/|[\w.-]+\/migrate-relay\/)actions\/([\w-]+)(?:@[\w./-]+)?$/.exec(uses)?.[1];
}

function actionInputs(name: string): string[] | string {
  const path = join(REPO_ROOT, "actions", name, "action.yml");
  if (!existsSync(path)) return `no actions/${name}/action.yml`;
  const parsed = parseAction(
    { name: path, content: readFileSync(path, "utf8") },
    new NoOperationTraceWriter(),
  );
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || !parsed.value) return errors.join("; ");
  return (convertActionTemplate(parsed.context, parsed.value).inputs ?? []).map((i) => i.id);
}

const entries = (token: TemplateToken | undefined) => {
  const out: [string, TemplateToken][] = [];
  if (token && isMapping(token)) {
    for (let i = 0; i < token.count; i++) {
      const { key, value } = token.get(i);
      if (isString(key)) out.push([key.value, value]);
    }
  }
  return out;
};

/** Parse errors, and each `uses:` of our actions that names a missing action or an unknown input. */
function checkWorkflow(wf: Workflow): string[] {
  const parsed = parseWorkflow({ name: wf.where, content: wf.content }, new NoOperationTraceWriter());
  const problems = parsed.context.errors.getErrors().map((e) => e.message);
  for (const [, job] of entries(entries(parsed.value).find(([k]) => k === "jobs")?.[1])) {
    const steps = entries(job).find(([k]) => k === "steps")?.[1];
    if (!steps || !isSequence(steps)) continue;
    for (let i = 0; i < steps.count; i++) {
      const step = new Map(entries(steps.get(i)));
      const uses = step.get("uses");
      const name = uses && isString(uses) ? ourAction(uses.value) : undefined;
      if (!name || !uses || !isString(uses)) continue;
      const inputs = actionInputs(name);
      if (typeof inputs === "string") {
        problems.push(`${wf.where}: ${uses.value}: ${inputs}`);
        continue;
      }
      for (const [key] of entries(step.get("with"))) {
        if (!inputs.includes(key)) problems.push(`${wf.where}: ${uses.value} has no input "${key}"`);
      }
    }
  }
  return problems;
}

describe("workflows", () => {
  const all = workflows();

  it("finds the repository's workflows and the README's workflow blocks", () => {
    const where = all.map((w) => w.where);
    expect(where).toEqual(
      expect.arrayContaining([".github/workflows/ci.yml", ".github/workflows/release.yml"]),
    );
    expect(where.filter((w) => w.startsWith("README.md:")).length).toBeGreaterThanOrEqual(2);
  });

  it.each(all.map((w) => [w.where, w] as const))(
    "%s parses, and uses our actions with their inputs",
    (_, wf) => {
      expect(checkWorkflow(wf)).toEqual([]);
    },
  );

  it("catches a syntax error, an unknown input and an action that does not exist", () => {
    const wf = (steps: string) => ({
      where: "t.yml",
      content: `on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`,
    });
    expect(
      checkWorkflow(wf("      - uses: ./actions/push\n        with:\n          dir: file://m\n")),
    ).toEqual([]);
    expect(
      checkWorkflow(
        wf("      - uses: OWNER/migrate-relay/actions/apply@v1\n        with:\n          urll: x\n"),
      ),
    ).toEqual(['t.yml: OWNER/migrate-relay/actions/apply@v1 has no input "urll"']);
    expect(checkWorkflow(wf("      - uses: ./actions/pull\n"))).toEqual([
      "t.yml: ./actions/pull: no actions/pull/action.yml",
    ]);
    expect(checkWorkflow(wf("      - run: echo\n        bogus: 1\n")).join()).toMatch(
      /Unexpected value 'bogus'/,
    );
  });
});
