// Renders example push and apply job summaries (core's report, the actions' vocabulary) to Markdown,
// and, when Chromium is installed, to PNGs as GitHub shows them: docs/img/summary-*.{md,png}.
// `npx vite-node scripts/render-summaries.ts`. The Markdown->HTML step covers only what report emits
// (headings, paragraphs, lists, tables, code spans, bold, links, raw HTML), so no dependency is added.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ApplyResult,
  type ApplyRun,
  type Attempt,
  applySummary,
  type PushResult,
  pushSummary,
  type Vocabulary,
} from "@migrate-relay/core";

const root = join(import.meta.dirname, "..");
const out = join(root, "docs/img");
// As actions/common/vocabulary.ts (scripts do not import the actions).
const vocabulary: Vocabulary = {
  setting: (name) => `input "${name}"`,
  cloudToken: 'input "cloud-token" or ATLAS_TOKEN',
  dirName: 'input "dir-name"',
  keepGrants: "the action caches ~/.migrate-relay/grants between runs of the same cloud-token",
};

const longKey = `s3://acme-migrations-backup-eu/${"tenants/eu-west-1/".repeat(6)}atlas/app`;
const push: PushResult = {
  ok: true,
  slug: "app",
  tag: "4f9c2e1",
  digest: "sha256:9d5ed678fe57bcca610140957afab571",
  version: "20261201093000",
  files: 14,
  url: "atlas://app?tag=4f9c2e1",
  link: "",
  grantChanged: false,
  targets: [
    {
      url: "atlas://app",
      kind: "cloud",
      role: "registry",
      ok: false,
      error: "registry https://api.atlasgo.cloud: connect ECONNREFUSED 10.0.0.7:443",
      errorKind: "unreachable",
      ms: 3012,
      bytes: 0,
      attempts: 3,
      note: "continuing under the license grant valid until 2026-12-08T09:12:44.000Z",
    },
    {
      url: "s3://acme-migrations/atlas?region=eu-west-1",
      kind: "s3",
      role: "backup",
      ok: true,
      ms: 412,
      bytes: 18_432,
      attempts: 1,
      latestMoved: true,
      latestFrom: "20261128120000",
    },
    {
      url: longKey,
      kind: "s3",
      role: "backup",
      ok: false,
      error: `PUT ${longKey}/states/sha256-9d5ed678fe57bcca610140957afab571/archive.tar.gz: AccessDenied: User is not authorized to perform s3:PutObject\nRequestId: 7X2K9QZ0M1`,
      errorKind: "unauthorized",
      ms: 188,
      bytes: 0,
      attempts: 1,
    },
    {
      url: "file:///mnt/backups/atlas",
      kind: "file",
      role: "backup",
      ok: true,
      skipped: true,
      ms: 4,
      bytes: 0,
      attempts: 1,
    },
  ],
};

const trail: Attempt[] = [
  {
    url: "atlas://app",
    kind: "cloud",
    outcome: "failed",
    error: "registry https://api.atlasgo.cloud: connect ECONNREFUSED 10.0.0.7:443",
    errorKind: "unreachable",
    eligible: true,
    note: "license grant valid until 2026-12-08T09:12:44.000Z",
    ms: 1004,
  },
  {
    url: "s3://acme-migrations/atlas?region=eu-west-1",
    kind: "s3",
    outcome: "ok",
    note: "digest verified, atlas.sum valid",
    ms: 96,
  },
];
const state = {
  tag: "latest",
  version: "20261201093000",
  digest: "sha256:9d5ed678fe57bcca610140957afab571",
  commit: "4f9c2e1",
  pushedAt: "2026-12-01T09:31:07.000Z",
};
const applied: ApplyResult = {
  url: "postgres://app:***@db.prod.internal:5432/app?sslmode=require",
  current: "20261128120000",
  target: "20261201093000",
  pending: ["20261130101500_orders_index.sql", "20261201093000_invoices.sql"],
  applied: [
    {
      name: "20261130101500_orders_index.sql",
      version: "20261130101500",
      description: "orders_index",
      txMode: "file",
      ms: 840,
      statements: 2,
      total: 2,
      skipped: 0,
    },
    {
      name: "20261201093000_invoices.sql",
      version: "20261201093000",
      description: "invoices",
      txMode: "file",
      ms: 31,
      statements: 1,
      total: 3,
      skipped: 0,
      error: {
        stmt: "ALTER TABLE invoices ADD CONSTRAINT invoices_order_fk\n  FOREIGN KEY (order_id) REFERENCES orders (id);",
        text: 'insert or update on table "invoices" violates foreign key constraint "invoices_order_fk"',
        detail: 'Key (order_id)=(1042) is not present in table "orders".',
        index: 2,
        line: 5,
        code: "23503",
      },
    },
  ],
  dryRun: false,
  ms: 1290,
  error: {
    kind: "migration",
    message:
      '20261201093000_invoices.sql: statement 2 (line 5) failed: insert or update on table "invoices" violates foreign key constraint "invoices_order_fk"',
  },
  source: "s3://acme-migrations/atlas?region=eu-west-1",
  trail,
  state,
};
const upToDate: ApplyResult = {
  url: "postgres://app:***@db.staging.internal:5432/app",
  current: "20261201093000",
  target: "20261201093000",
  pending: [],
  applied: [],
  dryRun: false,
  ms: 140,
  source: "s3://acme-migrations/atlas?region=eu-west-1",
  trail,
  state,
};
const applyRuns: ApplyRun[] = [
  { label: "prod", dir: "atlas://app", result: applied },
  { label: "staging", dir: "atlas://app", result: upToDate },
];

const summaries = {
  "summary-push": pushSummary(push, { vocabulary }),
  "summary-apply": applySummary(applyRuns, { vocabulary }),
};

// --- Markdown -> HTML for the subset report emits ---------------------------------------------

const escapeCode = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function inline(text: string): string {
  let html = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\" && /[\\`*[\]|_]/.test(text[i + 1] ?? "")) {
      html += text[i + 1];
      i += 2;
    } else if (c === "`") {
      const fence = /^`+/.exec(text.slice(i))![0];
      const end = text.indexOf(fence, i + fence.length);
      if (end < 0) {
        html += fence;
        i += fence.length;
        continue;
      }
      const code = text.slice(i + fence.length, end).replace(/^ (.*) $/, "$1");
      html += `<code>${escapeCode(code.replace(/\\\|/g, "|"))}</code>`;
      i = end + fence.length;
    } else if (text.startsWith("**", i)) {
      const end = text.indexOf("**", i + 2);
      html += `<strong>${inline(text.slice(i + 2, end))}</strong>`;
      i = end + 2;
    } else if (c === "[" && /^\[[^\]]*\]\([^)]*\)/.test(text.slice(i))) {
      const [, label, href] = /^\[([^\]]*)\]\(([^)]*)\)/.exec(text.slice(i))!;
      html += `<a href="${href}">${inline(label!)}</a>`;
      i += label!.length + href!.length + 4;
    } else {
      html += c;
      i += 1;
    }
  }
  return html;
}

const cells = (row: string) =>
  row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

function toHtml(markdown: string): string {
  const lines = markdown.split("\n");
  const html: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) html.push(`<p>${paragraph.map(inline).join("\n")}</p>`);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") {
      flush();
    } else if (line.startsWith("<")) {
      // A raw HTML block: as is, up to a blank line (or the end of a <pre>).
      flush();
      const block = [line];
      const pre = line.startsWith("<pre") && !line.includes("</pre>");
      while (i + 1 < lines.length && (pre ? !block.at(-1)!.includes("</pre>") : lines[i + 1]!.trim() !== ""))
        block.push(lines[++i]!);
      html.push(block.join("\n"));
    } else if (/^#{1,6} /.test(line)) {
      flush();
      const level = /^#+/.exec(line)![0].length;
      html.push(`<h${level}>${inline(line.slice(level + 1))}</h${level}>`);
    } else if (line.startsWith("| ")) {
      flush();
      const head = cells(line);
      i++; // the --- row
      const rows: string[][] = [];
      while (i + 1 < lines.length && lines[i + 1]!.startsWith("| ")) rows.push(cells(lines[++i]!));
      html.push(
        "<table><thead><tr>",
        ...head.map((h) => `<th>${inline(h)}</th>`),
        "</tr></thead><tbody>",
        ...rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join("")}</tr>`),
        "</tbody></table>",
      );
    } else if (line.startsWith("- ")) {
      flush();
      const items = [line];
      while (i + 1 < lines.length && lines[i + 1]!.startsWith("- ")) items.push(lines[++i]!);
      html.push(`<ul>${items.map((it) => `<li>${inline(it.slice(2))}</li>`).join("")}</ul>`);
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return html.join("\n");
}

// GitHub's job-summary look (github-markdown-css, light), the parts report uses.
const CSS = `
body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
.summary { box-sizing: border-box; width: 928px; margin: 16px; padding: 16px 24px; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
h3 { font-size: 1.25em; margin: 8px 0 16px; } h4 { font-size: 1em; margin: 24px 0 16px; }
p, ul, table, pre, details { margin: 0 0 16px; } ul { padding-left: 2em; }
code { font: 85%/1.45 ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; background: rgba(175,184,193,0.2); border-radius: 6px; padding: .2em .4em; white-space: break-spaces; }
pre { font: 85%/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; background: #f6f8fa; border-radius: 6px; padding: 16px; overflow: auto; }
pre code { background: none; padding: 0; font-size: 100%; }
table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0; border-collapse: collapse; }
th, td { padding: 6px 13px; border: 1px solid #d0d7de; vertical-align: top; } th { font-weight: 600; }
tr:nth-child(2n) { background: #f6f8fa; } summary { cursor: pointer; } td details { margin: 0; }
a { color: #0969da; text-decoration: none; }
`;

const page = (body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style></head><body><div class="summary">${body}</div>` +
  `<script>document.body.dataset.height = document.querySelector(".summary").offsetHeight + 32;</script></body></html>`;

const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
await mkdir(out, { recursive: true });
const work = await mkdtemp(join(tmpdir(), "render-summaries-"));
try {
  for (const [name, markdown] of Object.entries(summaries)) {
    await writeFile(join(out, `${name}.md`), markdown);
    console.log(`wrote docs/img/${name}.md`);
    if (!chromium) continue;
    const html = join(work, `${name}.html`);
    await writeFile(html, page(toHtml(markdown)));
    const flags = [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--hide-scrollbars",
      "--force-device-scale-factor=1",
    ];
    // Measure the page first, then shoot it at that height.
    const dom = execFileSync(chromium, [...flags, "--dump-dom", `file://${html}`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const height = Number(/data-height="(\d+)"/.exec(dom)?.[1] ?? 1200);
    const png = join(out, `${name}.png`);
    execFileSync(
      chromium,
      [...flags, `--window-size=960,${height}`, `--screenshot=${png}`, `file://${html}`],
      {
        stdio: "ignore",
      },
    );
    console.log(`wrote docs/img/${name}.png (960x${height})`);
  }
  if (!chromium) console.log("chromium not found: Markdown only (apt-get install -y chromium for the PNGs)");
} finally {
  await rm(work, { recursive: true, force: true });
}
