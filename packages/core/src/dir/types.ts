/** One migration file, held in memory (directories are small: thousands of files at most). */
export interface MigrationFile {
  /** File name, e.g. `20240101000000_init.sql`. */
  name: string;
  /** Name up to the first `_` (without `.sql`); compared as strings. */
  version: string;
  /** The rest of the name after the first `_`, without `.sql`; "" when there is none. */
  description: string;
  content: Uint8Array;
}

/** A migration directory: `.sql` files in byte order of their names, plus atlas.sum when present. */
export interface MigrationDir {
  files: MigrationFile[];
  sum: Uint8Array | null;
}
