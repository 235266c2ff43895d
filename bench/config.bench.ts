// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${" here is HCL syntax, not a JS template
// Loading a realistic ~300-line atlas.hcl: cold (module import + first load) and warm (median of N).
// Budget: 50 ms per load. Run: npx vite-node bench/config.bench.ts [runs] (--print-config shows the file)
//
// Cold is measured twice: in this process (the import includes vite-node's TypeScript transform, which
// the shipped bundle never pays), and in fresh `node` processes importing an ncc bundle of core/config,
// which is how the actions and the CLI load it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const BUDGET_MS = 50;
const RUNS = Number(process.argv.slice(2).find((a) => /^[0-9]+$/.test(a)) ?? 200);
const TENANTS = Array.from({ length: 12 }, (_, i) => `tenant_${String(i + 1).padStart(2, "0")}`);
const REGIONS = ["us-east-1", "eu-west-1", "ap-south-1", "sa-east-1"];
const COLD_PROCESSES = 7;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

type Ncc = (entry: string, options: Record<string, unknown>) => Promise<{ code: string }>;

/** Fresh `node` processes import an ncc bundle of core/config and load the env once: [import, first load]. */
async function coldBundled(dir: string, env: string): Promise<{ importMs: number; firstMs: number }[]> {
  const nccModule = "@vercel/ncc"; // not a literal import: the package ships no types
  const ncc = ((await import(nccModule)) as { default: Ncc }).default;
  const { code } = await ncc(join(root, "packages/core/src/config/index.ts"), {
    minify: false,
    sourceMap: false,
    quiet: true,
    target: "es2022",
    // Bundle only: other modules of the workspace may be mid-edit, and types are tsc's job.
    transpileOnly: true,
  });
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  writeFileSync(join(dir, "config.js"), code);
  writeFileSync(
    join(dir, "cold.js"),
    [
      "const t0 = performance.now();",
      'const { loadEnv } = await import("./config.js");',
      "const t1 = performance.now();",
      `await loadEnv({ config: "file://atlas.hcl", env: ${JSON.stringify(env)}, cwd: ${JSON.stringify(dir)},`,
      `  vars: { tenants: ${JSON.stringify(TENANTS)} }, getenv: () => "x" });`,
      "const t2 = performance.now();",
      "console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1 }));",
    ].join("\n"),
  );
  return Array.from({ length: COLD_PROCESSES }, () =>
    JSON.parse(execFileSync(process.execPath, [join(dir, "cold.js")], { encoding: "utf8" })),
  );
}

/** A config shaped like a real multi-region, multi-tenant project: variables, locals, envs, for_each. */
function generateConfig(): string {
  const lines: string[] = [
    "# Generated for bench/config.bench.ts",
    'variable "tenants" {',
    "  type        = list(string)",
    '  description = "one database per tenant"',
    "}",
    'variable "db_host" {',
    "  type    = string",
    '  default = "db.internal"',
    "}",
    'variable "db_port" {',
    "  type    = number",
    "  default = 5432",
    "}",
    'variable "ssl" {',
    "  type    = bool",
    "  default = true",
    "}",
    'variable "labels" {',
    "  type    = map(string)",
    '  default = { team = "platform", tier = "gold" }',
    "}",
    "atlas {",
    "  cloud {",
    '    token   = getenv("ATLAS_TOKEN")',
    '    project = "shop"',
    "  }",
    "}",
    "locals {",
    '  sslmode   = var.ssl ? "require" : "disable"',
    '  base_url  = "postgres://app:${getenv("PGPASSWORD")}@${var.db_host}:${var.db_port}/?sslmode=${local.sslmode}"',
    '  bucket    = "s3://shop-migrations"',
    `  regions   = ${JSON.stringify(REGIONS)}`,
    '  backups   = [for r in local.regions : "${local.bucket}-${r}/app?region=${r}"]',
    '  by_region = { for r in local.regions : r => upper(replace(r, "-", "_")) }',
    '  dev_url   = "docker://postgres/15/dev?search_path=public"',
    '  lock      = format("%ds", 10 + length(local.regions))',
    "  team      = lower(var.labels.team)",
    "  meta      = jsonencode({ team = local.team, regions = local.regions })",
    "}",
    "locals {",
    "  # defined after use on purpose: locals resolve in any order",
    '  file_backup = "file:///mnt/backups/${local.team}"',
    "  all_backups = concat(local.backups, [local.file_backup])",
    "}",
  ];
  for (const [i, region] of REGIONS.entries()) {
    for (const stage of ["dev", "staging", "prod"]) {
      lines.push(
        `env "${stage}-${region}" {`,
        `  url = urlqueryset(urlsetpath(local.base_url, "app_${stage}"), "application_name", "relay-${i}")`,
        "  dev = local.dev_url",
        `  schemas = ["public", "${stage}"]`,
        "  migration {",
        `    dir              = "${stage === "prod" ? "atlas://app" : "file://migrations"}"`,
        "    format           = atlas",
        "    exec_order       = LINEAR_SKIP",
        "    lock_timeout     = local.lock",
        '    revisions_schema = "atlas_schema_revisions"',
        "    repo {",
        '      name   = "app"',
        "      backup = local.all_backups",
        "    }",
        "  }",
        "  lint {",
        "    latest = 1",
        "  }",
        "}",
      );
    }
  }
  lines.push(
    'env "tenant" {',
    "  for_each = toset(var.tenants)",
    "  url      = urlsetpath(local.base_url, each.value)",
    '  dev      = "${local.dev_url}&tenant=${urlescape(each.key)}"',
    "  migration {",
    '    dir        = "file://migrations"',
    "    exec_order = NON_LINEAR",
    '    baseline   = try(regex(".+", getenv("BASELINE_${upper(each.value)}")), "20240101000000")',
    "    repo {",
    '      name   = "tenant-${each.value}"',
    '      backup = [for b in local.all_backups : startswith(b, "s3://") ? "${b}&tenant=${each.value}" : b]',
    "    }",
    "  }",
    "}",
    'env "regional" {',
    "  for_each = local.by_region",
    '  url      = urlqueryset(local.base_url, "options", "-c region=${each.value}")',
    "  migration {",
    '    dir = "atlas://app?tag=${lower(each.key)}"',
    "    repo {",
    '      name   = "app"',
    "      backup = [for b in local.backups : b if !endswith(b, each.key)]",
    "    }",
    "  }",
    "}",
  );
  return `${lines.join("\n")}\n`;
}

const config = generateConfig();

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const quantile = (xs: number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;
const ms = (x: number): string => `${x.toFixed(2)} ms`;

async function main(): Promise<void> {
  if (process.argv.includes("--print-config")) {
    process.stdout.write(config);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "config-bench-"));
  try {
    writeFileSync(join(dir, "atlas.hcl"), config);
    const envNames = [...config.matchAll(/^env "([^"]+)"/gm)].map((m) => m[1]!);
    const options = (env: string) => ({
      config: "file://atlas.hcl",
      env,
      cwd: dir,
      vars: { tenants: TENANTS },
      getenv: (name: string) => ({ ATLAS_TOKEN: "tok", PGPASSWORD: "pw" })[name],
    });

    const t0 = performance.now();
    const { loadEnv } = await import("../packages/core/src/config/index");
    const t1 = performance.now();
    const first = await loadEnv(options("tenant"));
    const t2 = performance.now();
    if (first.length !== TENANTS.length)
      throw new Error(`expected ${TENANTS.length} instances, got ${first.length}`);

    // Warm: the for_each env (12 instances), and every env one after another.
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      await loadEnv(options("tenant"));
      warm.push(performance.now() - s);
    }
    const perEnv: number[] = [];
    for (let i = 0; i < Math.max(1, Math.floor(RUNS / 10)); i++) {
      for (const env of envNames) {
        const s = performance.now();
        await loadEnv(options(env));
        perEnv.push(performance.now() - s);
      }
    }

    const cold = await coldBundled(dir, "tenant");
    const coldTotal = median(cold.map((c) => c.importMs + c.firstMs));

    const lineCount = config.split("\n").length - 1;
    const warmMedian = median(warm);
    console.log(
      `config: ${lineCount} lines, ${envNames.length} envs, for_each over ${TENANTS.length} tenants`,
    );
    const ratio = (x: number) => `${(x / BUDGET_MS).toFixed(3)}x the ${BUDGET_MS} ms budget`;
    const row = (label: string, x: number, extra = "") =>
      console.log(`${label.padEnd(62)} ${ms(x).padStart(10)}  ${extra}`);
    row("cold, bundled, fresh node: import core/config (median)", median(cold.map((c) => c.importMs)));
    row("cold, bundled, fresh node: first loadEnv (median)", median(cold.map((c) => c.firstMs)));
    row(
      `cold, bundled, fresh node: import + first load (median of ${COLD_PROCESSES})`,
      coldTotal,
      ratio(coldTotal),
    );
    row("cold, vite-node: import incl. TS transform", t1 - t0);
    row("cold, vite-node: first loadEnv", t2 - t1, ratio(t2 - t1));
    row(
      `warm: loadEnv("tenant"), 12 instances, median of ${RUNS}`,
      warmMedian,
      `${ratio(warmMedian)} (p95 ${ms(quantile(warm, 0.95))})`,
    );
    row(`warm: loadEnv(each env), median of ${perEnv.length}`, median(perEnv), ratio(median(perEnv)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
