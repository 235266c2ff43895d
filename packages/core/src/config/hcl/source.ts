// Positions and errors that point into the config file: every config error starts with file:line:column.
import { RelayError } from "../../errors";

export interface Pos {
  line: number;
  col: number;
}

/** A span of the source: where a token or expression starts (for messages) and its offsets (for its text). */
export interface Span {
  pos: Pos;
  start: number;
  end: number;
}

export const where = (file: string, pos: Pos): string => `${file}:${pos.line}:${pos.col}`;

/**
 * Limits that keep a hostile or broken config from exhausting the stack or memory: an atlas.hcl is
 * a few kB, its expressions a few levels deep. Past them, a positioned config error.
 */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
export const MAX_NESTING = 100;
export const tooDeep = (file: string, pos: Pos): RelayError =>
  errorAt(
    file,
    pos,
    `nested more than ${MAX_NESTING} levels deep (blocks, brackets, operators or "\${"); simplify it`,
  );

/** A config error at a place in the file: `atlas.hcl:7:14: <message>`. */
export function errorAt(file: string, pos: Pos, message: string): RelayError {
  return new RelayError("config", `${where(file, pos)}: ${message}`);
}

/** The nearest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    // A case-only difference ranks before any real typo (functions are case-sensitive, people are not).
    const score = candidate.toLowerCase() === lower ? 0.5 : editDistance(name, candidate);
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  const allowed = name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3));
  return bestScore <= allowed ? best : undefined;
}

export const didYouMean = (suggestion: string | undefined): string =>
  suggestion === undefined ? "" : `; did you mean "${suggestion}"?`;

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
