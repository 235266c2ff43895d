// The compatibility vectors (Atlas's atlas.sum folders and lexer goldens, the archives, three real
// migration directories), kept in the repository under testdata/compat (see its README).
import { chmod, cp, readdir } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT } from "./runner";

/** testdata/compat in this checkout. */
export const COMPAT = join(REPO_ROOT, "testdata", "compat");

/** The real-world directories under COMPAT/real. */
export const REAL_DIRS = ["chainloop-dev-chainloop", "diggerhq-digger", "hatchet-dev-hatchet"] as const;

/** Every migration folder that has an atlas.sum written by Atlas (or committed by a real project). */
export const SUM_FOLDERS = [
  "atlas/sum/baseline1",
  "atlas/sum/baseline2",
  "atlas/sum/migrate",
  "atlas/sum/migrate-sub",
  "atlas/sum/sqlitetx3",
  ...REAL_DIRS.map((d) => `real/${d}`),
];

/** The archive vector's name for a folder: its last path segment. */
export const archiveName = (folder: string) => folder.slice(folder.lastIndexOf("/") + 1);

/** Copies a vector folder and makes the copy writable (a checkout may be read-only). */
export async function copyWritable(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true });
  await chmod(to, 0o755);
  for (const e of await readdir(to, { withFileTypes: true })) {
    await chmod(join(to, e.name), e.isDirectory() ? 0o755 : 0o644);
  }
}
