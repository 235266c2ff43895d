// The hashes Atlas stores per revision: the file's atlas.sum hash and cumulative statement hashes.
import { createHash } from "node:crypto";

/**
 * One running SHA-256 over the statement texts; entry i is base64 of the digest after statement i,
 * so each hash covers every earlier statement (Atlas's partial_hashes, stored with an `h1:` prefix).
 */
export function statementHashes(statements: readonly string[]): string[] {
  const hash = createHash("sha256");
  return statements.map((text) => {
    hash.update(text, "utf8");
    return hash.copy().digest("base64");
  });
}

/** The `h1:` hash atlas.sum lists for a file (without the prefix); "" when it has no line (sum ignore). */
export function sumHashes(sum: Uint8Array | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!sum) return out;
  const lines = Buffer.from(sum).toString("utf8").split("\n").slice(1);
  for (const line of lines) {
    const at = line.lastIndexOf(" h1:");
    if (at > 0) out.set(line.slice(0, at), line.slice(at + 4));
  }
  return out;
}
