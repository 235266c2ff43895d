// The fault suite's table: every scenario adds a row (cases run, held, lost); setup.ts prints it.
import { appendFileSync } from "node:fs";

/** Multiplies case counts: 1 in CI, more for a nightly run (FAULTS_SCALE=10). */
export const SCALE = Math.max(1, Number(process.env.FAULTS_SCALE ?? "1") || 1);
export const SEED = Number(process.env.FAULTS_SEED ?? "20261202");

export function record(scenario: string, cases: number, held: number, note = ""): void {
  const file = process.env.MIGRATE_RELAY_FAULTS_TABLE;
  const row = { scenario, cases, held, lost: cases - held, note };
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
}

/** A small seeded PRNG (mulberry32): the same seed gives the same cases. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]! };
}
