// Where the shared compatibility vectors live (../shared/compat beside the checkout), for dir tests.
import { existsSync } from "node:fs";
import { chmod, cp, readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const COMPAT =
  process.env.MIGRATE_RELAY_COMPAT ?? fileURLToPath(new URL("../../../../../shared/compat", import.meta.url));

if (!existsSync(COMPAT)) {
  throw new Error(`compatibility vectors not found at ${COMPAT}; set MIGRATE_RELAY_COMPAT to their folder`);
}

/** Every migration folder that has an atlas.sum written by Atlas (or committed by a real project). */
export const SUM_FOLDERS = [
  "atlas/sum/baseline1",
  "atlas/sum/baseline2",
  "atlas/sum/migrate",
  "atlas/sum/migrate-sub",
  "atlas/sum/sqlitetx3",
  "real/chainloop-dev-chainloop",
  "real/diggerhq-digger",
  "real/hatchet-dev-hatchet",
];

/** The archive vector's name for a folder: its last path segment. */
export const archiveName = (folder: string) => folder.slice(folder.lastIndexOf("/") + 1);

/** Copies a vector folder and makes the copy writable (the vectors are read-only). */
export async function copyWritable(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true });
  await chmod(to, 0o755);
  for (const e of await readdir(to, { withFileTypes: true })) {
    await chmod(join(to, e.name), e.isDirectory() ? 0o755 : 0o644);
  }
}
