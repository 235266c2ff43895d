import type { MigrationDir, MigrationFile } from "./types";

const todo = (): never => {
  throw new Error("not implemented yet");
};

/** The atlas.sum bytes Atlas writes for these files (in byte order of their names). */
export function hashDir(files: MigrationFile[]): Uint8Array {
  return todo();
}

/** Throws RelayError("integrity", "L<n>: <file> was added|edited|removed" / missing atlas.sum). */
export function validateDir(dir: MigrationDir): void {
  return todo();
}

/** The `h1:<total>` first line of an atlas.sum. */
export function sumTotal(sum: Uint8Array): string {
  return todo();
}
