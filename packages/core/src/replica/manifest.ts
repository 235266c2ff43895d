// Manifests (versions/<v>.json, tags/<t>.json) and the rule that keeps `latest` from moving back.
import { RelayError } from "../errors";
import type { Manifest, State } from "./types";

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function manifestOf(state: State, now: Date = new Date()): Manifest {
  const [sumLine = ""] = state.sum.split("\n");
  return {
    digest: state.digest,
    version: state.version,
    sum: sumLine,
    files: state.files,
    pushedAt: state.pushedAt ?? now.toISOString(),
    source: state.source ?? {},
  };
}

/** Parses a manifest read from a replica; anything odd is an integrity error (fall back). */
export function parseManifest(bytes: Uint8Array, where: string): Manifest {
  let value: Partial<Manifest>;
  try {
    value = JSON.parse(Buffer.from(bytes).toString("utf8")) as Partial<Manifest>;
  } catch {
    throw new RelayError("integrity", `${where}: manifest is not JSON`);
  }
  if (
    typeof value !== "object" ||
    value === null ||
    typeof value.digest !== "string" ||
    !DIGEST.test(value.digest)
  ) {
    throw new RelayError("integrity", `${where}: manifest has no valid "digest" (sha256:<64 hex>)`);
  }
  return {
    digest: value.digest,
    version: typeof value.version === "string" ? value.version : "",
    sum: typeof value.sum === "string" ? value.sum : "",
    files: typeof value.files === "number" ? value.files : 0,
    pushedAt: typeof value.pushedAt === "string" ? value.pushedAt : "",
    source: typeof value.source === "object" && value.source !== null ? value.source : {},
  };
}

export const encodeManifest = (m: Manifest): Uint8Array => Buffer.from(`${JSON.stringify(m)}\n`);

/** The per-file lines of an atlas.sum (the `h1:` total on line 1 and empty lines dropped). */
const fileLines = (sum: string) =>
  sum
    .split("\n")
    .slice(1)
    .filter((l) => l !== "");

/** Why a state does not extend another: the first file that differs, and the reason in words. */
export interface NotExtending {
  ok: false;
  /** The applied file that was edited, removed or renamed. */
  file: string;
  why: string;
}

/**
 * Whether `next` extends `prev`: prev's file lines are a prefix of next's. atlas.sum hashes are
 * cumulative, so a matching prefix means every earlier file is byte-identical. Returns why not.
 */
export function extendsSum(prev: string, next: string): { ok: true } | NotExtending {
  const a = fileLines(prev);
  const b = fileLines(next);
  for (let i = 0; i < a.length; i++) {
    const line = a[i]!;
    const name = line.slice(0, line.lastIndexOf(" "));
    if (i >= b.length) return { ok: false, file: name, why: `the new state lacks ${name}` };
    if (b[i] !== line) {
      const other = b[i]!.slice(0, b[i]!.lastIndexOf(" "));
      return {
        ok: false,
        file: name,
        why: other === name ? `${name} was edited` : `${name} is not in the same place (found ${other})`,
      };
    }
  }
  return { ok: true };
}

/** The file names an atlas.sum lists, in order. */
export const sumNames = (sum: string) => fileLines(sum).map((l) => l.slice(0, l.lastIndexOf(" ")));
