// Start-up of the actions' steps as the runner starts them: `node dist/<action>/main.js` failing on a
// bad input (its first log line is the error, so the run's end is that line's time), and
// `node dist/<action>/post.js` with nothing to save (main did not use the grant cache, or the grant did
// not change), each against bare `node -e 0`. Goals (issue 13): main within 100 ms of bare node, post
// within 50 ms. Builds nothing: run `npm run build` first. Run: npx vite-node bench/startup.bench.ts [runs]
// (STARTUP_NODE=<path> runs the steps on another Node, e.g. the node24 the runner uses; exit 1 when a
// goal is missed).
//
// Wall time is what the goals are about; on a busy machine it is noisy, so the median is printed with
// the process's own CPU time (user + system, from bench/rss-on-exit.cjs, which every case preloads).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const RUNS = Number(process.argv.slice(2).find((a) => /^[0-9]+$/.test(a)) ?? 30);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const probe = join(root, "bench", "rss-on-exit.cjs");
const node = process.env.STARTUP_NODE ?? process.execPath;

interface Case {
  name: string;
  args: string[];
  env: Record<string, string>;
  /** The goal, in ms over bare node; undefined for the baseline. */
  goalMs?: number;
  /** What the run must print, so a broken bundle is not measured as a fast one. */
  expect: { code: number; stdout: RegExp };
}

for (const action of ["push", "apply"]) {
  for (const phase of ["main", "post"]) {
    if (!existsSync(join(root, "dist", action, `${phase}.js`))) {
      console.error(`dist/${action}/${phase}.js is missing: run \`npm run build\` first`);
      process.exit(2);
    }
  }
}

const scratch = mkdtempSync(join(tmpdir(), "startup-bench-"));
const files = {
  GITHUB_OUTPUT: join(scratch, "output"),
  GITHUB_STATE: join(scratch, "state"),
  GITHUB_STEP_SUMMARY: join(scratch, "summary"),
};
for (const file of Object.values(files)) writeFileSync(file, "");
// A runner's environment, minus the inputs (action.yml's defaults do not matter for these paths).
const base = { PATH: process.env.PATH ?? "", HOME: scratch, RUNNER_TEMP: scratch, ...files };

const cases: Case[] = [
  { name: "node -e 0", args: ["-e", "0"], env: {}, expect: { code: 0, stdout: /^$/ } },
  ...["push", "apply"].flatMap((action): Case[] => [
    {
      name: `${action} main, bad input`,
      args: [join(root, "dist", action, "main.js")],
      env:
        action === "push"
          ? { INPUT_DIR: "atlas://app" }
          : { INPUT_URL: "postgres://u@127.0.0.1:1/db", INPUT_DIR: "file://migrations", INPUT_AMOUNT: "x" },
      goalMs: 100,
      expect: { code: 1, stdout: /::error::/ },
    },
    {
      name: `${action} post, no grant cache`,
      args: [join(root, "dist", action, "post.js")],
      env: {},
      goalMs: 50,
      expect: { code: 0, stdout: /^$/ },
    },
    {
      name: `${action} post, grant unchanged`,
      args: [join(root, "dist", action, "post.js")],
      env: {
        "STATE_grant-cache": "true",
        "STATE_grant-dir": join(scratch, "grants"),
        "STATE_grant-key": "k",
        "STATE_grant-changed": "false",
      },
      goalMs: 50,
      expect: { code: 0, stdout: /^License grant unchanged/ },
    },
  ]),
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function runOnce(c: Case): { wallMs: number; cpuMs: number } {
  const started = performance.now();
  const child = spawnSync(node, ["--require", probe, ...c.args], {
    cwd: scratch,
    env: { ...base, ...c.env },
    encoding: "utf8",
  });
  const wallMs = performance.now() - started;
  if (child.status !== c.expect.code || !c.expect.stdout.test(child.stdout)) {
    throw new Error(
      `${c.name}: exit ${child.status}, stdout ${JSON.stringify(child.stdout.slice(0, 300))}, stderr ${child.stderr.slice(0, 300)}`,
    );
  }
  const cpu = /CPU_MS=(\d+)/.exec(child.stderr);
  return { wallMs, cpuMs: cpu ? Number(cpu[1]) : Number.NaN };
}

try {
  const results = new Map<string, { wall: number[]; cpu: number[] }>();
  for (const c of cases) results.set(c.name, { wall: [], cpu: [] });
  for (const c of cases) runOnce(c); // warm the file cache
  // Interleaved, so a burst of load elsewhere on the machine hits every case alike.
  for (let i = 0; i < RUNS; i++) {
    for (const c of cases) {
      const { wallMs, cpuMs } = runOnce(c);
      results.get(c.name)!.wall.push(wallMs);
      results.get(c.name)!.cpu.push(cpuMs);
    }
  }
  const bare = results.get("node -e 0")!;
  const bareWall = median(bare.wall);
  const bareCpu = median(bare.cpu);
  console.log(
    `startup: ${RUNS} runs each, ${node} (${spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim()})`,
  );
  console.log("case                          wall median   over bare   goal      cpu median  over bare");
  let missed = 0;
  for (const c of cases) {
    const r = results.get(c.name)!;
    const wall = median(r.wall);
    const cpu = median(r.cpu);
    const over = wall - bareWall;
    const goal =
      c.goalMs === undefined
        ? ""
        : over <= c.goalMs
          ? `<= ${c.goalMs} ok`
          : `<= ${c.goalMs} MISSED by ${(over - c.goalMs).toFixed(0)} ms`;
    if (c.goalMs !== undefined && over > c.goalMs) missed++;
    console.log(
      `${c.name.padEnd(30)}${`${wall.toFixed(0)} ms`.padStart(11)}${c.goalMs === undefined ? "" : `${over >= 0 ? "+" : ""}${over.toFixed(0)} ms`.padStart(12)}   ${goal.padEnd(24)}${`${cpu.toFixed(0)} ms`.padStart(9)}${c.goalMs === undefined ? "" : `${cpu - bareCpu >= 0 ? "+" : ""}${(cpu - bareCpu).toFixed(0)} ms`.padStart(11)}`,
    );
  }
  console.log(bareCpu ? `(bare node: ${bareWall.toFixed(0)} ms wall, ${bareCpu.toFixed(0)} ms CPU)` : "");
  process.exitCode = missed ? 1 : 0;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
