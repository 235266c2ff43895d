import type { MigrationDir } from "./types";

const todo = (): never => {
  throw new Error("not implemented yet");
};

/** Atlas's directory archive: a POSIX tar byte-identical to Go's archive/tar output. */
export function archiveDir(dir: MigrationDir): Uint8Array {
  return todo();
}

/** Reads an archive back; refuses traversal, absolute or odd names, duplicates, links, oversize. */
export function unarchiveDir(bytes: Uint8Array, options: { maxBytes?: number } = {}): MigrationDir {
  return todo();
}

/** `sha256:<hex>` of the archive bytes: the directory's identity. */
export function digestOf(bytes: Uint8Array): string {
  return todo();
}
