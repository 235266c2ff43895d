// Whether one state extends another, decided from what is cheap to read: the newer state's whole
// atlas.sum and the older state's `h1:` total (the first line of its atlas.sum, which blob manifests
// keep). atlas.sum's per-file hashes are cumulative (dir/sum.ts), so the older state is a prefix of
// the newer one exactly when the total over some first k lines of the newer sum equals the older
// total. No archive of the older state is needed.
// The one place this decision lives for replica health and fallback reads; swap it for core's shared
// "does state B extend state A" when that lands (issue 10).
import { createHash } from "node:crypto";
import { parseSum } from "../dir/sum";

export interface StateMark {
  digest: string;
  /** The `h1:<base64>` total of its atlas.sum; "" when unknown (a manifest written without it). */
  sum: string;
}

/** True when `newer` (whose whole atlas.sum is `newerSum`) holds every file of `older`, unchanged. */
export function extendsState(newer: StateMark, newerSum: string, older: StateMark): boolean {
  if (newer.digest === older.digest) return true;
  if (!older.sum.startsWith("h1:")) return false;
  const want = older.sum.slice(3);
  const encoder = new TextEncoder();
  const running = createHash("sha256");
  if (running.copy().digest("base64") === want) return true; // the older state had no files
  for (const line of parseSum(encoder.encode(newerSum)).lines) {
    running.update(encoder.encode(line.name));
    running.update(encoder.encode(line.hash));
    if (running.copy().digest("base64") === want) return true;
  }
  return false;
}

/** Version order: numeric when both are digits (Atlas's timestamps), else byte order. */
export function compareVersions(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
