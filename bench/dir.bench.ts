// The directory formats on the three real Atlas directories (296 files), each against its physical
// limit measured in the same run:
//   hashDir + validateDir  vs  one SHA-256 over the same bytes (the hash cannot do less work)
//   archiveDir             vs  copying the same bytes into one buffer
//   unarchiveDir           vs  the same copy
//   splitting statements   vs  one pass reading every character (what any scanner must do at least)
// Run: npx vite-node bench/dir.bench.ts [rounds]
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  archiveDir,
  fileStatements,
  hashDir,
  type MigrationDir,
  readDir,
  unarchiveDir,
  validateDir,
} from "@migrate-relay/core";
import { COMPAT } from "@migrate-relay/testkit";

const ROUNDS = Number(process.argv[2] ?? 200);
const real = join(COMPAT, "real");
const dirs: MigrationDir[] = [];
for (const name of readdirSync(real, { withFileTypes: true })) {
  if (name.isDirectory()) dirs.push(await readDir(join(real, name.name)));
}
const files = dirs.flatMap((d) => d.files);
const bytes = files.reduce((n, f) => n + f.content.length, 0);
const texts = files.map((f) => new TextDecoder().decode(f.content));

/** Median of ROUNDS timings of fn over all three directories, in ms. */
function time(fn: () => void): number {
  for (let i = 0; i < 10; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

const archives = dirs.map(archiveDir);
let sink = 0;
const rows: [string, number, number][] = [
  [
    "hashDir + validateDir",
    time(() => {
      for (const d of dirs) validateDir({ ...d, sum: hashDir(d.files) });
    }),
    time(() => {
      const h = createHash("sha256");
      for (const f of files) h.update(f.content);
      sink += h.digest().length;
    }),
  ],
  [
    "archiveDir",
    time(() => {
      for (const d of dirs) sink += archiveDir(d).length;
    }),
    time(() => (sink += Buffer.concat(files.map((f) => f.content)).length)),
  ],
  [
    "unarchiveDir",
    time(() => {
      for (const a of archives) sink += unarchiveDir(a).files.length;
    }),
    time(() => (sink += Buffer.concat(archives).length)),
  ],
  [
    "split into statements",
    time(() => {
      for (const f of files) sink += fileStatements(f).length;
    }),
    time(() => {
      for (const t of texts) for (let i = 0; i < t.length; i++) sink += t.charCodeAt(i) === 59 ? 1 : 0;
    }),
  ],
];

console.log(
  `${files.length} files, ${(bytes / 1024).toFixed(0)} kB, median of ${ROUNDS} rounds (sink ${sink > 0})`,
);
console.log(`${"operation".padEnd(24)} ${"ms".padStart(8)} ${"limit ms".padStart(9)} ${"ratio".padStart(7)}`);
for (const [name, ms, limit] of rows) {
  console.log(
    `${name.padEnd(24)} ${ms.toFixed(2).padStart(8)} ${limit.toFixed(2).padStart(9)} ${(ms / limit).toFixed(1).padStart(6)}x`,
  );
}
