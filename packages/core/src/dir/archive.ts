// Atlas's directory archive: the tar Go's archive/tar writes for atlas.sum then the .sql files, each
// header carrying only name, mode 0600 and size. Writing reproduces Go's bytes exactly (its SHA-256 is
// the directory's identity); reading trusts nothing and refuses anything but flat regular files.
import { createHash } from "node:crypto";
import { RelayError } from "../errors";
import { isPlainName, migrationFile, SUM_FILE, sortFiles } from "./files";
import type { MigrationDir, MigrationFile } from "./types";

const BLOCK = 512;
const NAME_SIZE = 100;
/** Default cap on the bytes of all entries together when reading an archive. */
export const DEFAULT_MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

// Header field offsets and sizes (POSIX ustar).
const F = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  chksum: [148, 8],
  typeflag: [156, 1],
  linkname: [157, 100],
  magic: [257, 6],
  version: [263, 2],
  uname: [265, 32],
  gname: [297, 32],
  devmajor: [329, 8],
  devminor: [337, 8],
  prefix: [345, 155],
} as const;

type Field = keyof typeof F;

// The writer is allocation-light: it plans every entry, allocates the archive once, and writes each
// header in place with plain byte stores (every string it writes is ASCII by construction).

/** Go's formatter.formatString for an ASCII string: copy, NUL-terminate when there is room, truncate. */
function putAscii(block: Uint8Array, field: Field, text: string): void {
  const [off, size] = F[field];
  const n = Math.min(text.length, size);
  for (let i = 0; i < n; i++) block[off + i] = text.charCodeAt(i);
  if (text.length < size) block[off + text.length] = 0;
}

/** Go's formatter.formatOctal: zero-padded octal digits and a NUL in the last byte. */
function putOctal(block: Uint8Array, field: Field, value: number, size: number = F[field][1]): void {
  const width = size - 1;
  if (value >= 8 ** width) {
    // Does not fit (never for a migration directory): Go's digits, truncated as formatString does.
    putAscii(block, field, value.toString(8));
    return;
  }
  const off = F[field][0];
  let v = value;
  for (let i = width - 1; i >= 0; i--) {
    block[off + i] = 0x30 + (v % 8);
    v = Math.floor(v / 8);
  }
  block[off + width] = 0;
}

/** The header checksum with the chksum field read as spaces: as unsigned and as signed bytes. */
function checksumOf(block: Uint8Array): { unsigned: number; signed: number } {
  const [from, width] = F.chksum;
  let unsigned = 0;
  let high = 0; // bytes >= 128, each 256 less when signed
  for (let i = 0; i < BLOCK; i++) {
    if (i === from) {
      unsigned += width * 0x20;
      i += width - 1;
      continue;
    }
    const c = block[i]!;
    unsigned += c;
    if (c >= 128) high++;
  }
  return { unsigned, signed: unsigned - 256 * high };
}

const USTAR_MAGIC = encoder.encode("ustar\0");
const USTAR_VERSION = encoder.encode("00");

/** Go's block.setFormat for USTAR/PAX: the magic, then the checksum as 6 octal digits, NUL, space. */
function seal(block: Uint8Array): void {
  block.set(USTAR_MAGIC, F.magic[0]);
  block.set(USTAR_VERSION, F.version[0]);
  putOctal(block, "chksum", checksumOf(block).unsigned, 7);
  block[F.chksum[0] + 7] = 0x20;
}

const isAscii = (s: string) => /^[\x00-\x7f]*$/.test(s);
const toAscii = (s: string) => s.replace(/[^\x00-\x7f]/g, "");

/** Go's formatPAXRecord: "<len> <key>=<value>\n", where len counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLen = encoder.encode(body).length;
  let size = bodyLen + String(bodyLen).length;
  if (String(size).length + bodyLen !== size) size = String(size).length + bodyLen;
  return `${size}${body}`;
}

/**
 * One regular-file header as Go's templateV7Plus writes it (uid/gid/mtime 0, empty user and group),
 * into a zeroed 512-byte block. `name` is ASCII.
 */
function writeHeader(
  block: Uint8Array,
  name: string,
  size: number,
  typeflag: number,
  mode: number,
  devNumbers: boolean,
): void {
  putAscii(block, "name", name);
  putOctal(block, "mode", mode);
  putOctal(block, "uid", 0);
  putOctal(block, "gid", 0);
  putOctal(block, "size", size);
  putOctal(block, "mtime", 0);
  block[F.typeflag[0]] = typeflag;
  if (devNumbers) {
    putOctal(block, "devmajor", 0);
    putOctal(block, "devminor", 0);
  }
  seal(block);
}

const TYPE_REG = 0x30; // '0'
const TYPE_PAX = 0x78; // 'x'

/** One entry to write; `pax` holds the PAX records when the name needs them. */
interface Entry {
  name: string;
  data: Uint8Array;
  pax?: Uint8Array;
}

/** Go's writer falls back to PAX exactly when the name is not ASCII or longer than 100 bytes. */
function planEntry(name: string, data: Uint8Array): Entry {
  if (name.includes("\0")) throw new RelayError("input", `cannot archive "${name}": the name contains NUL`);
  // For an ASCII name, bytes and UTF-16 units agree; a non-ASCII one takes PAX either way.
  if (name.length > NAME_SIZE || !isAscii(name)) {
    return { name, data, pax: encoder.encode(paxRecord("path", name)) };
  }
  return { name, data };
}

/** Data is padded with zeros to whole blocks. */
const blocks = (n: number) => Math.ceil(n / BLOCK) * BLOCK;

const entrySize = (e: Entry) => BLOCK + blocks(e.data.length) + (e.pax ? BLOCK + blocks(e.pax.length) : 0);

/** Writes one entry at `at` of a zeroed buffer; returns where the next one starts. */
function writeEntry(out: Uint8Array, at: number, e: Entry): number {
  let next = at;
  let name = e.name;
  if (e.pax) {
    const paxName = toAscii(`PaxHeaders.0/${e.name}`).slice(0, NAME_SIZE).replace(/\/+$/, "");
    writeHeader(out.subarray(next, next + BLOCK), paxName, e.pax.length, TYPE_PAX, 0, false);
    next += BLOCK;
    out.set(e.pax, next);
    next += blocks(e.pax.length);
    name = toAscii(e.name);
  }
  writeHeader(out.subarray(next, next + BLOCK), name, e.data.length, TYPE_REG, 0o600, true);
  next += BLOCK;
  out.set(e.data, next);
  return next + blocks(e.data.length);
}

/** Atlas's directory archive: a POSIX tar byte-identical to Go's archive/tar output. */
export function archiveDir(dir: MigrationDir): Uint8Array {
  const entries: Entry[] = [];
  if (dir.sum) entries.push(planEntry(SUM_FILE, dir.sum));
  for (const f of sortFiles(dir.files)) entries.push(planEntry(f.name, f.content));
  let total = 2 * BLOCK; // the end-of-archive marker: two zero blocks
  for (const e of entries) total += entrySize(e);
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) at = writeEntry(out, at, e);
  return out;
}

const refuse = (message: string) => new RelayError("integrity", `archive: ${message}`);

/** A NUL-terminated header string; bytes after the terminator must be NUL too (no hidden suffix). */
function readString(block: Uint8Array, field: Field, entry: number): string {
  const [off, size] = F[field];
  const raw = block.subarray(off, off + size);
  const end = raw.indexOf(0);
  if (end !== -1 && raw.subarray(end).some((b) => b !== 0)) {
    throw refuse(`entry ${entry}: the ${field} field has bytes hidden after a NUL`);
  }
  try {
    return decoder.decode(end === -1 ? raw : raw.subarray(0, end));
  } catch {
    throw refuse(`entry ${entry}: the ${field} field is not valid UTF-8`);
  }
}

function readOctal(block: Uint8Array, field: Field, entry: number): number {
  const [off, size] = F[field];
  const raw = block.subarray(off, off + size);
  if (raw[0]! & 0x80) throw refuse(`entry ${entry}: base-256 ${field} is not supported`);
  const text = String.fromCharCode(...raw)
    .replace(/\0.*$/s, "")
    .trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw refuse(`entry ${entry}: the ${field} field "${text}" is not octal`);
  return Number.parseInt(text, 8);
}

/** Parses PAX records; only `path` (and a `size` override) matter for a flat directory. */
function parsePax(data: Uint8Array, entry: number): Map<string, string> {
  const records = new Map<string, string>();
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    throw refuse(`entry ${entry}: PAX header is not valid UTF-8`);
  }
  let at = 0;
  while (at < text.length) {
    const sp = text.indexOf(" ", at);
    const len = sp === -1 ? Number.NaN : Number(text.slice(at, sp));
    // The length counts bytes; records here are ASCII-safe once decoded, so measure in bytes.
    const rest = encoder.encode(text.slice(at));
    if (!Number.isInteger(len) || len <= sp - at + 1 || len > rest.length) {
      throw refuse(`entry ${entry}: malformed PAX record`);
    }
    const record = decoder.decode(rest.subarray(0, len));
    if (!record.endsWith("\n")) throw refuse(`entry ${entry}: malformed PAX record`);
    const kv = record.slice(record.indexOf(" ") + 1, -1);
    const eq = kv.indexOf("=");
    if (eq <= 0) throw refuse(`entry ${entry}: malformed PAX record`);
    records.set(kv.slice(0, eq), kv.slice(eq + 1));
    at += record.length;
  }
  return records;
}

function checkName(name: string, entry: number): void {
  if (name.includes("\0")) throw refuse(`entry ${entry}: the name contains NUL`);
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) {
    throw refuse(`entry ${entry}: absolute name "${name}" is not allowed`);
  }
  if (name.split(/[/\\]/).includes("..")) throw refuse(`entry ${entry}: name "${name}" leaves the directory`);
  if (!isPlainName(name)) throw refuse(`entry ${entry}: name "${name}" is not a flat file name`);
}

const TYPE_NAMES: Record<string, string> = {
  "1": "hard link",
  "2": "symbolic link",
  "3": "character device",
  "4": "block device",
  "5": "directory",
  "6": "FIFO",
  "7": "contiguous file",
  g: "PAX global header",
  L: "GNU long name",
  K: "GNU long link name",
};

/** Reads an archive back; refuses traversal, absolute or odd names, duplicates, links, oversize. */
export function unarchiveDir(bytes: Uint8Array, options: { maxBytes?: number } = {}): MigrationDir {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
  const files: MigrationFile[] = [];
  const seen = new Set<string>();
  let sum: Uint8Array | null = null;
  let total = 0;
  let at = 0;
  let entry = 0;
  let pax: Map<string, string> | null = null;
  for (;;) {
    // Like Go's reader, the end-of-archive marker may be missing: Atlas's own ArchiveDir returns its
    // bytes before the deferred Close writes it (and the last entry's padding). What was cut off at
    // an entry boundary shows when atlas.sum is validated; it is written first.
    if (at === bytes.length) {
      if (pax) throw refuse("truncated: a PAX header is not followed by an entry");
      break;
    }
    if (at + BLOCK > bytes.length) throw refuse(`truncated header at byte ${at}`);
    const block = bytes.subarray(at, at + BLOCK);
    if (block.every((b) => b === 0)) {
      if (pax) throw refuse("truncated: a PAX header is not followed by an entry");
      // End of archive. Like Go's reader: a second block, when present, must be zero too; what
      // follows the marker (record padding) is ignored.
      const second = bytes.subarray(at + BLOCK, at + 2 * BLOCK);
      if (second.some((b) => b !== 0)) throw refuse("an entry follows a zero block");
      break;
    }
    entry++;
    const stored = readOctal(block, "chksum", entry);
    const { unsigned, signed } = checksumOf(block);
    if (stored !== unsigned && stored !== signed) throw refuse(`entry ${entry}: header checksum mismatch`);
    const typeflag = String.fromCharCode(block[F.typeflag[0]]!);
    let size = readOctal(block, "size", entry);
    const headerPax: Map<string, string> | null = pax;
    pax = null;
    if (headerPax?.has("size")) {
      const s = headerPax.get("size")!;
      if (!/^[0-9]+$/.test(s)) throw refuse(`entry ${entry}: PAX size "${s}" is not a number`);
      size = Number(s);
    }
    if (size > maxBytes || total + size > maxBytes) {
      throw refuse(`entries exceed the limit of ${maxBytes} bytes (entry ${entry} has ${size})`);
    }
    total += size;
    const dataStart = at + BLOCK;
    const dataEnd = dataStart + size;
    const next = Math.min(dataStart + Math.ceil(size / BLOCK) * BLOCK, bytes.length);
    if (dataEnd > bytes.length) {
      throw refuse(
        `truncated: entry ${entry} needs ${size} bytes of data, ${bytes.length - dataStart} remain`,
      );
    }
    const data = new Uint8Array(bytes.subarray(dataStart, dataEnd)); // a copy, even of a Buffer
    at = next;
    if (typeflag === "x") {
      pax = parsePax(data, entry);
      continue;
    }
    const magic = String.fromCharCode(...block.subarray(F.magic[0], F.magic[0] + 6));
    const prefix = magic === "ustar\0" ? readString(block, "prefix", entry) : "";
    let name = readString(block, "name", entry);
    if (prefix !== "") name = `${prefix}/${name}`;
    if (headerPax?.has("path")) name = headerPax.get("path")!;
    if (typeflag !== "0" && typeflag !== "\0") {
      const kind = TYPE_NAMES[typeflag] ?? `type '${typeflag}'`;
      throw refuse(`entry ${entry} ("${name}") is a ${kind}; only regular files are allowed`);
    }
    checkName(name, entry);
    if (seen.has(name)) throw refuse(`"${name}" appears twice`);
    seen.add(name);
    if (name === SUM_FILE) sum = data;
    else if (name.endsWith(".sql")) files.push(migrationFile(name, data));
    // Anything else is not part of a migration directory (Atlas ignores it too).
  }
  return { files: sortFiles(files), sum };
}

/** `sha256:<hex>` of the archive bytes: the directory's identity. */
export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
