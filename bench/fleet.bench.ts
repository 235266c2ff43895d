// A fleet rollout: one directory of 20 small files applied to many tenant databases on one local
// server, every connection through a loopback proxy that adds 5 ms per round trip (a database in
// another region), by the real CLI (dist/cli.js: `npm run build` first) over a for_each env.
// Run: npx vite-node bench/fleet.bench.ts [tenants=1000] [latency-ms=5]
//
// - parallelism 1, 4 and 16, one process each: wall time (process start included) and its ratio to
//   parallelism 1 (the goal: 16 at least 8x faster), and the process's peak RSS (goal: < 200 MB);
// - 4 shards (--shard i/4, parallelism 4 each) as 4 processes at once, as an Actions matrix runs
//   them: wall time from the first start to the last exit (process start included), peak RSS of each.
// Every phase writes to its own schema of each tenant database (a `search_path` URL), so every
// phase starts from clean databases without creating 4,000 of them.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { hashDir, migrationFile } from "@migrate-relay/core";
import { startLatencyProxy, startPostgres } from "@migrate-relay/testkit";
import pg from "pg";

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const FILES = 20;
const PHASES = [1, 4, 16];
const SHARDS = 4;
const SHARD_PARALLELISM = 4;

const tenantName = (i: number) => `tenant_${String(i).padStart(4, "0")}`;

interface ChildReport {
  ms: number;
  rssMb: number;
  /** The CLI process's own CPU time (user + system); the server's is not in it. */
  cpuMs: number;
  outcomes: Record<string, number>;
}

/**
 * One rollout as users run it: `node dist/cli.js apply --env tenants --parallelism P [--shard i/n]`
 * (process start, config with every tenant, the directory read once), peak RSS from a preload.
 */
async function rollout(cwd: string, url: string, parallelism: number, shard?: string): Promise<ChildReport> {
  const argv = ["--require", join(root, "bench/rss-on-exit.cjs"), join(root, "dist/cli.js"), "apply"];
  argv.push("--config", "file://atlas.hcl", "--env", "tenants", "--var", `url=${url}`);
  argv.push("--parallelism", String(parallelism), "--format", "json", ...(shard ? ["--shard", shard] : []));
  const t0 = performance.now();
  const { stdout, stderr } = await run(process.execPath, argv, { cwd, maxBuffer: 256 << 20 });
  const ms = performance.now() - t0;
  const outcomes: Record<string, number> = {};
  // `--format json` prints one Atlas apply document per target, each starting on a line of its own.
  for (const doc of stdout.split(/^(?=\{)/m).filter((d) => d.trim())) {
    const outcome = (JSON.parse(doc) as { Outcome: string }).Outcome;
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  const rss = Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
  const cpuMs = Number(/CPU_MS=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
  return { ms, rssMb: rss / 1024, cpuMs, outcomes };
}

async function main() {
  const tenants = Number(process.argv[2] ?? 1000);
  const latency = Number(process.argv[3] ?? 5);
  // 16 at once = 32 connections (statements + lock), 4 shards x 4 the same; room for the admin too.
  const cluster = await startPostgres({ settings: { max_connections: "300" } });
  const base = await mkdtemp(join(tmpdir(), "fleet-bench-"));
  const proxy = await startLatencyProxy(cluster, latency);
  try {
    const files = Array.from({ length: FILES }, (_, i) => {
      const v = String(20240101000000 + i + 1);
      const sql = `CREATE TABLE t_${i} (id bigint PRIMARY KEY, name text NOT NULL);\nINSERT INTO t_${i} VALUES (1, 'x');\n`;
      return migrationFile(`${v}_t${i}.sql`, new TextEncoder().encode(sql));
    });
    const dir = join(base, "migrations");
    await mkdir(dir);
    for (const f of files) await writeFile(join(dir, f.name), f.content);
    await writeFile(join(dir, "atlas.sum"), hashDir(files));
    const names = Array.from({ length: tenants }, (_, i) => tenantName(i));
    await writeFile(
      join(base, "atlas.hcl"),
      `variable "url" {\n  type = string\n}\nlocals {\n  tenants = [${names.map((n) => `"${n}"`).join(", ")}]\n}\n` +
        `env "tenants" {\n  for_each = toset(local.tenants)\n  url = urlsetpath(var.url, each.value)\n` +
        `  migration {\n    dir = "file://migrations"\n  }\n}\n`,
    );

    const schemas = [...PHASES.map((p) => `p${p}`), "shards"];
    const t0 = performance.now();
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    for (let i = 0; i < tenants; i++) await admin.query(`CREATE DATABASE ${tenantName(i)}`);
    await admin.end();
    // Each database gets a schema per phase (directly, not through the proxy).
    const direct = (i: number) => `postgres://postgres@${cluster.host}:${cluster.port}/${tenantName(i)}`;
    const setup = async (from: number) => {
      for (let i = from; i < tenants; i += 8) {
        const c = new pg.Client({ connectionString: direct(i) });
        await c.connect();
        await c.query(schemas.map((s) => `CREATE SCHEMA ${s};`).join(""));
        await c.end();
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, k) => setup(k)));
    console.log(
      `fleet bench: ${tenants} tenant databases, ${FILES} files each, +${latency} ms per round trip (setup ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );

    // Through the proxy; each phase in its own schema of every tenant database.
    const proxied = (schema: string) =>
      `postgres://postgres@${proxy.host}:${proxy.port}/?sslmode=disable&search_path=${schema}`;
    const check = (r: ChildReport, expected: number, what: string) => {
      if ((r.outcomes.applied ?? 0) !== expected)
        throw new Error(`${what}: expected ${expected} applied, got ${JSON.stringify(r.outcomes)}`);
    };
    const rows: string[][] = [];
    let sequential = 0;
    for (const p of PHASES) {
      const before = { connections: proxy.connections(), replies: proxy.replies() };
      const r = await rollout(base, proxied(`p${p}`), p);
      if (p === 1) {
        // The floor latency alone sets for a sequential rollout: round trips x added latency.
        const perTenant = (proxy.replies() - before.replies) / tenants;
        console.log(
          `  per tenant: ${((proxy.connections() - before.connections) / tenants).toFixed(1)} connections, ~${perTenant.toFixed(0)} round trips = ${(perTenant * latency).toFixed(0)} ms of added latency`,
        );
      }
      check(r, tenants, `parallelism ${p}`);
      if (p === 1) sequential = r.ms;
      rows.push([
        `parallelism ${p}`,
        `${(r.ms / 1000).toFixed(1)} s`,
        `${(sequential / r.ms).toFixed(1)}x`,
        `${(r.ms / tenants).toFixed(1)} ms`,
        `${(r.cpuMs / tenants).toFixed(1)} ms`,
        `${r.rssMb.toFixed(0)} MB`,
      ]);
      console.log(rows[rows.length - 1]!.join("  "));
    }
    const s0 = performance.now();
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, i) =>
        rollout(base, proxied("shards"), SHARD_PARALLELISM, `${i + 1}/${SHARDS}`),
      ),
    );
    const shardMs = performance.now() - s0;
    check(
      {
        ms: 0,
        rssMb: 0,
        cpuMs: 0,
        outcomes: { applied: shards.reduce((n, r) => n + (r.outcomes.applied ?? 0), 0) },
      },
      tenants,
      "4 shards",
    );
    rows.push([
      `${SHARDS} shards x parallelism ${SHARD_PARALLELISM} (processes)`,
      `${(shardMs / 1000).toFixed(1)} s`,
      `${(sequential / shardMs).toFixed(1)}x`,
      `${(shardMs / tenants).toFixed(1)} ms`,
      `${(shards.reduce((n, r) => n + r.cpuMs, 0) / tenants).toFixed(1)} ms`,
      `${Math.max(...shards.map((r) => r.rssMb)).toFixed(0)} MB max of ${SHARDS}`,
    ]);
    console.log(
      `  shard sizes ${shards.map((r) => r.outcomes.applied ?? 0).join(" / ")}; rollout times ${shards.map((r) => `${(r.ms / 1000).toFixed(1)} s`).join(" / ")}`,
    );

    console.log("\n| Rollout | Wall time | vs parallelism 1 | Per tenant | CLI CPU per tenant | Peak RSS |");
    console.log("| --- | --- | --- | --- | --- | --- |");
    for (const r of rows) console.log(`| ${r.join(" | ")} |`);
    const p16 = rows[2]!;
    console.log(
      `\nGoal: parallelism 16 >= 8x sequential: ${p16[2]} (${Number.parseFloat(p16[2]!) >= 8 ? "met" : "NOT met"}); peak RSS < 200 MB: ${p16[5]}`,
    );
    // Parallelism hides latency, not CPU: on a busy machine the server's work per tenant bounds it.
    console.log(
      `machine: ${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" / ")} (1/5/15 min) at the end`,
    );
  } finally {
    await proxy.stop();
    await cluster.stop();
    await rm(base, { recursive: true, force: true });
  }
}

await main();
