// `migrate-relay hash`: write atlas.sum as `atlas migrate hash` does, or check it (`--check`), as
// `atlas migrate validate` does for the integrity file.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DEFAULT_DIR,
  dirPath,
  hashDir,
  inputError,
  isRelayError,
  readDir,
  SUM_FILE,
  sumTotal,
  validateDir,
} from "@migrate-relay/core";
import { bool, type ParsedFlags, str } from "../args";
import type { Command, Io } from "../command";
import { CONFIG_FLAGS, hasEnvFlag, loadEnvsFromFlags } from "../config-flags";

/** The directories to hash: --dir, else the env's migration.dir (each distinct one), else the default. */
async function dirsToHash(flags: ParsedFlags, io: Io): Promise<string[]> {
  const explicit = str(flags, "dir");
  if (explicit) return [explicit];
  if (!hasEnvFlag(flags)) return [DEFAULT_DIR];
  const dirs = new Set<string>();
  for (const env of await loadEnvsFromFlags(flags, io)) {
    const dir = env.migration.dir;
    if (!dir) throw inputError(`env "${env.name}" sets no migration.dir; pass --dir file://<path>`);
    dirs.add(dir);
  }
  return [...dirs];
}

export const hashCommand: Command = {
  name: "hash",
  summary: "Write atlas.sum for a migration directory, or check it with --check.",
  usage: "migrate-relay hash [--dir file://migrations | --env <name>] [--check]",
  example: "migrate-relay hash --dir file://migrations && migrate-relay hash --dir file://migrations --check",
  flags: [
    {
      name: "dir",
      type: "string",
      description: `the migration directory URL (default ${DEFAULT_DIR}, or the env's migration.dir with --env)`,
    },
    {
      name: "check",
      type: "bool",
      description: "validate atlas.sum against the files instead of writing it (exit 1 when they differ)",
    },
    ...CONFIG_FLAGS,
  ],
  async run(args, io) {
    if (args.positionals.length > 0) throw inputError(`unexpected argument "${args.positionals[0]}"`);
    const check = bool(args.flags, "check");
    let failed = false;
    for (const url of await dirsToHash(args.flags, io)) {
      const path = dirPath(url, io.cwd);
      const dir = await readDir(url, io.cwd);
      if (check) {
        try {
          validateDir(dir);
        } catch (err) {
          if (!isRelayError(err, "integrity")) throw err;
          io.err(`migrate-relay hash: ${err.message}`);
          io.err(
            `${path}: atlas.sum does not match the migration files. If the change is intended, run ` +
              "`migrate-relay hash` (or `atlas migrate hash`) and commit atlas.sum; otherwise restore the files.",
          );
          failed = true;
          continue;
        }
        const total = dir.sum ? sumTotal(dir.sum) : "no atlas.sum, no files";
        io.out(`${path}: atlas.sum matches ${dir.files.length} file(s) (${total})`);
        continue;
      }
      const sum = hashDir(dir.files);
      const file = join(path, SUM_FILE);
      const before = await readFile(file).catch(() => null);
      const same = before !== null && Buffer.compare(before, sum) === 0;
      if (!same) await writeFile(file, sum);
      io.out(`${file}: ${same ? "unchanged" : "written"}, ${dir.files.length} file(s) (${sumTotal(sum)})`);
    }
    return failed ? 1 : 0;
  },
};
