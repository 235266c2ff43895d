// Writes that survive a crash: what is on disk is the old content or the new, never half, and once a
// call returns the bytes are on the device (fsync of the file, then of the folder naming it).
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";

/** Flushes a folder, so a rename or a new name in it survives a power cut. */
export async function fsyncDir(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates `path` (never following or replacing an existing name: O_EXCL) and flushes it. */
export async function writeNewFile(path: string, body: Uint8Array, signal?: AbortSignal): Promise<void> {
  const handle = await open(path, "wx", 0o644);
  try {
    await handle.writeFile(body, { signal });
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** temp file + fsync + rename + folder fsync: readers see the old file or the new one. */
export async function replaceFile(path: string, body: Uint8Array, signal?: AbortSignal): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
  try {
    await writeNewFile(temp, body, signal);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await fsyncDir(path.slice(0, Math.max(path.lastIndexOf("/"), 1)));
}
