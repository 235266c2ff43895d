// A local migration directory: its top-level `*.sql` files and atlas.sum, as Atlas's LocalDir reads them.
import { type Dirent, readFileSync, type Stats, statSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { fsyncDir, writeNewFile } from "../durable";
import { messageOf, RelayError } from "../errors";
import { redactUrl } from "../secrets";
import type { MigrationDir, MigrationFile } from "./types";

export const SUM_FILE = "atlas.sum";

/** Version and description from a file name: `1_init.sql` -> {version "1", description "init"}. */
export function parseName(name: string): { version: string; description: string } {
  const base = name.endsWith(".sql") ? name.slice(0, -4) : name;
  const cut = base.indexOf("_");
  if (cut === -1) return { version: base, description: "" };
  return { version: base.slice(0, cut), description: base.slice(cut + 1) };
}

/**
 * Compare file names by their bytes (not localeCompare), as Go's sort.Strings does. UTF-8 byte order
 * equals code point order, so comparing code points needs no encoding.
 */
export function compareNames(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  if (i < a.length) return 1;
  if (j < b.length) return -1;
  return 0;
}

/** A migration file from its name and bytes. */
export function migrationFile(name: string, content: Uint8Array): MigrationFile {
  return { name, ...parseName(name), content };
}

/** Files in the byte order of their names (a copy; the input is left as it was). */
export function sortFiles(files: readonly MigrationFile[]): MigrationFile[] {
  return [...files].sort((x, y) => compareNames(x.name, y.name));
}

/**
 * The local path of a directory URL: `file://rel`, `file:///abs` or a plain path, relative to cwd.
 * `?format=atlas` is accepted (Atlas's spelling); other formats are not read by this tool.
 */
export function dirPath(url: string, cwd: string = process.cwd()): string {
  let rest = url;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    if (!url.toLowerCase().startsWith("file://")) {
      throw new RelayError(
        "config",
        `${redactUrl(url)} is not a local directory; use file://<path> (or a plain path) for the migration directory`,
      );
    }
    rest = url.slice("file://".length);
  }
  const q = rest.indexOf("?");
  if (q !== -1) {
    const format = new URLSearchParams(rest.slice(q + 1)).get("format");
    if (format !== null && format !== "atlas") {
      throw new RelayError(
        "config",
        `directory format "${format}" is not supported (${redactUrl(url)}); only Atlas's format is`,
      );
    }
    rest = rest.slice(0, q);
  }
  if (rest === "") throw new RelayError("config", `"${redactUrl(url)}" names no directory`);
  return isAbsolute(rest) ? rest : resolve(cwd, rest);
}

/** Reads a `file://` directory URL (or a plain path) relative to cwd: top-level `*.sql` + atlas.sum. */
export async function readDir(url: string, cwd: string = process.cwd()): Promise<MigrationDir> {
  const path = dirPath(url, cwd);
  let entries: Dirent[];
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new RelayError("input", `migration directory ${path} does not exist (from "${redactUrl(url)}")`);
    }
    if (code === "ENOTDIR") {
      throw new RelayError("input", `${path} is not a directory (from "${redactUrl(url)}")`);
    }
    throw new RelayError("input", `cannot read migration directory ${path}: ${(err as Error).message}`);
  }
  const files: MigrationFile[] = [];
  let sum: Uint8Array | null = null;
  for (const entry of entries) {
    const name = entry.name;
    const isSql = name.endsWith(".sql");
    if (!isSql && name !== SUM_FILE) continue;
    const full = join(path, name);
    const problem = fileNameProblem(name);
    if (problem) {
      throw new RelayError(
        "input",
        `migration file ${JSON.stringify(name)} in ${path}: the name ${problem}; rename the file (pull and apply would refuse it)`,
      );
    }
    let content: Uint8Array;
    try {
      // Like Go's fs.Glob + ReadFile: symlinks are followed, subdirectories named *.sql are skipped.
      if (!(entry.isFile() || (entry.isSymbolicLink() && statSync(full).isFile()))) continue;
      // Synchronous on purpose: thousands of small files read ~10x faster than one promise each.
      content = new Uint8Array(readFileSync(full));
    } catch (err) {
      throw new RelayError("input", `cannot read ${full}: ${(err as Error).message}`);
    }
    if (isSql) files.push(migrationFile(name, content));
    else sum = content;
  }
  return { files: sortFiles(files), sum };
}

/**
 * The one rule for a migration file name, applied at hash, push (reading the folder) and pull
 * (reading an archive, writing the folder): undefined when the name is fine, else why not. A name
 * must stay inside its folder on every OS and survive an atlas.sum line (`<name> h1:<hash>`, which
 * Atlas splits at the first `h1:` and trims).
 */
export function fileNameProblem(name: string): string | undefined {
  if (name === "" || name === "." || name === "..") return "not a file name";
  if (/[/\\]/.test(name) || /^[A-Za-z]:/.test(name)) return 'contains a path separator ("/" or "\\")';
  if (/[\x00-\x1f\x7f]/.test(name)) return "contains a control character (newline, tab, NUL...)";
  if (name.trim() !== name) return "starts or ends with a space";
  if (name.includes("h1:")) return 'contains "h1:", which atlas.sum uses to separate name and hash';
  return undefined;
}

/** A name that stays inside the directory it is written to and fits in atlas.sum. */
export const isPlainName = (name: string): boolean => fileNameProblem(name) === undefined;

/**
 * Why `path` cannot be replaced by a pull, or undefined. A pull writes only into a new folder or one
 * holding nothing but what a pull writes (regular `.sql` files and atlas.sum): never through a link,
 * never over a user's other files.
 */
async function replaceProblem(path: string): Promise<"missing" | "replace" | { problem: string }> {
  let info: Stats;
  try {
    info = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    return { problem: `cannot read ${path}: ${(err as Error).message}` };
  }
  if (info.isSymbolicLink())
    return { problem: `${path} is a symbolic link; pull does not write through links` };
  if (!info.isDirectory()) return { problem: `${path} is a file, not a folder` };
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const where = join(path, entry.name);
    if (entry.isSymbolicLink())
      return { problem: `${where} is a symbolic link; pull does not write through links` };
    if (!entry.isFile() || !(entry.name.endsWith(".sql") || entry.name === SUM_FILE)) {
      return {
        problem: `${path} holds ${entry.name}, which a pull does not write; pull into a new or empty folder`,
      };
    }
  }
  return "replace";
}

/**
 * Writes a directory's files and atlas.sum as the folder `path`: into a fresh folder beside it
 * (O_EXCL files, fsynced), renamed into place. A failure (a refused name, a full disk) leaves `path`
 * as it was; an existing `path` (a previous pull's) is replaced whole.
 */
export async function writeDir(path: string, dir: MigrationDir): Promise<void> {
  for (const f of dir.files) {
    if (!isPlainName(f.name)) {
      throw new RelayError("integrity", `refusing to write "${f.name}": not a plain file name`);
    }
  }
  const target = await replaceProblem(path);
  if (typeof target === "object")
    throw new RelayError("input", `cannot write the directory: ${target.problem}`);
  const parent = dirname(path);
  let fresh: string | undefined;
  try {
    await mkdir(parent, { recursive: true });
    fresh = await mkdtemp(join(parent, `.${basename(path)}.pull-`));
    for (const f of dir.files) await writeNewFile(join(fresh, f.name), f.content);
    if (dir.sum) await writeNewFile(join(fresh, SUM_FILE), dir.sum);
    await fsyncDir(fresh);
    if (target === "replace") {
      const old = `${fresh}-old`;
      await rename(path, old);
      await rename(fresh, path);
      await rm(old, { recursive: true, force: true });
    } else await rename(fresh, path);
    fresh = undefined;
    await fsyncDir(parent);
  } catch (err) {
    if (fresh) await rm(fresh, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new RelayError(
      "input",
      `cannot write the directory to ${path}: ${code ? `${code} (${(err as Error).message})` : messageOf(err)}; ${path} was left as it was`,
    );
  }
}

export type { MigrationFile };
