// atlas.sum: Atlas's integrity file. One running SHA-256 over the whole directory (name bytes, then
// content bytes, per file); each line holds the digest so far, so editing one file changes its line and
// every line after it. The first line is a fresh SHA-256 over every line's name and hash.
import { createHash } from "node:crypto";
import { RelayError } from "../errors";
import { isSumIgnored } from "./directives";
import { sortFiles } from "./files";
import type { MigrationDir, MigrationFile } from "./types";

export interface SumLine {
  name: string;
  /** Base64 SHA-256, without the `h1:` prefix. */
  hash: string;
}

export interface SumFile {
  /** Base64 SHA-256 of the lines, without the `h1:` prefix. */
  total: string;
  lines: SumLine[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The per-file lines Atlas computes for these files (sorted by name bytes; `atlas:sum ignore` files get none). */
export function sumLines(files: readonly MigrationFile[]): SumLine[] {
  const running = createHash("sha256");
  const lines: SumLine[] = [];
  for (const f of sortFiles(files)) {
    running.update(encoder.encode(f.name));
    if (isSumIgnored(f.content)) continue;
    running.update(f.content);
    lines.push({ name: f.name, hash: running.copy().digest("base64") });
  }
  return lines;
}

/** The total over the lines: SHA-256 of name + hash for each line, base64. */
export function totalOf(lines: readonly SumLine[]): string {
  const h = createHash("sha256");
  for (const l of lines) {
    h.update(encoder.encode(l.name));
    h.update(encoder.encode(l.hash));
  }
  return h.digest("base64");
}

/** The atlas.sum bytes Atlas writes for these files (in byte order of their names). */
export function hashDir(files: MigrationFile[]): Uint8Array {
  const lines = sumLines(files);
  let text = `h1:${totalOf(lines)}\n`;
  for (const l of lines) text += `${l.name} h1:${l.hash}\n`;
  return encoder.encode(text);
}

/** Parses atlas.sum as Atlas does (lines split at the first `h1:`, names trimmed, CR before LF dropped). */
export function parseSum(sum: Uint8Array): SumFile {
  const text = decoder.decode(sum);
  const rows = text.split("\n");
  // Like Go's bufio.Scanner: a final newline does not start another line; a CR before LF is dropped.
  if (rows.length > 0 && rows[rows.length - 1] === "") rows.pop();
  const lineText = (i: number) => rows[i]!.replace(/\r$/, "");
  const first = rows.length > 0 ? lineText(0) : "";
  if (!first.startsWith("h1:")) {
    throw new RelayError("integrity", `atlas.sum L1: expected "h1:<sum>", got "${first.slice(0, 60)}"`);
  }
  const lines: SumLine[] = [];
  for (let i = 1; i < rows.length; i++) {
    const row = lineText(i);
    const cut = row.indexOf("h1:");
    if (cut === -1) {
      throw new RelayError(
        "integrity",
        `atlas.sum L${i + 1}: expected "<file> h1:<hash>", got "${row.slice(0, 60)}"`,
      );
    }
    lines.push({ name: row.slice(0, cut).trim(), hash: row.slice(cut + 3) });
  }
  return { total: first.slice(3), lines };
}

/** The `h1:<total>` first line of an atlas.sum. */
export function sumTotal(sum: Uint8Array): string {
  return `h1:${parseSum(sum).total}`;
}

/** What `migrate-relay hash` fixes: named with the file, so a user knows the way out. */
export const SUM_FIX =
  "atlas.sum does not match the directory; if the change is intended, run migrate-relay hash";

const mismatch = (line: number, file: string, reason: "added" | "edited" | "removed") =>
  new RelayError("integrity", `L${line}: ${file} was ${reason} (${SUM_FIX})`);

/**
 * Throws RelayError("integrity", "L<n>: <file> was added|edited|removed (<SUM_FIX>)" / missing atlas.sum).
 * The line is where the first difference sits in atlas.sum (L1 is the total; file i is on L(i+2)).
 */
export function validateDir(dir: MigrationDir): void {
  if (dir.sum === null) {
    if (dir.files.length === 0) return;
    throw new RelayError(
      "integrity",
      `atlas.sum not found: the directory has ${dir.files.length} migration file(s) but no atlas.sum`,
    );
  }
  const recorded = parseSum(dir.sum);
  const actual = sumLines(dir.files);
  // A total that disagrees with its own lines means atlas.sum itself was edited by hand.
  if (totalOf(recorded.lines) !== recorded.total) throw mismatch(1, "atlas.sum", "edited");
  const recordedNames = new Set(recorded.lines.map((l) => l.name));
  const actualNames = new Set(actual.map((l) => l.name));
  const n = Math.max(recorded.lines.length, actual.length);
  for (let i = 0; i < n; i++) {
    const want = recorded.lines[i];
    const got = actual[i];
    if (want && got && want.name === got.name) {
      if (want.hash !== got.hash) throw mismatch(i + 2, got.name, "edited");
      continue;
    }
    if (got && !recordedNames.has(got.name)) throw mismatch(i + 2, got.name, "added");
    if (want && !actualNames.has(want.name)) throw mismatch(i + 2, want.name, "removed");
    // Same names in another order: the file at this line is not the one atlas.sum expects.
    throw mismatch(i + 2, (got ?? want)!.name, "edited");
  }
}
