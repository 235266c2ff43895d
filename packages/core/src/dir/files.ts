import type { MigrationDir, MigrationFile } from "./types";

const todo = (): never => {
  throw new Error("not implemented yet");
};

/** Version and description from a file name: `1_init.sql` -> {version "1", description "init"}. */
export function parseName(name: string): { version: string; description: string } {
  return todo();
}

/** Compare file names by their bytes (not localeCompare), as Go's sort.Strings does. */
export function compareNames(a: string, b: string): number {
  return todo();
}

/** Reads a `file://` directory URL (or a plain path) relative to cwd: top-level `*.sql` + atlas.sum. */
export async function readDir(url: string, cwd: string = process.cwd()): Promise<MigrationDir> {
  return todo();
}

/** Writes a directory's files and atlas.sum into `path` (created if missing). */
export async function writeDir(path: string, dir: MigrationDir): Promise<void> {
  return todo();
}

export type { MigrationFile };
