export const id = 53;
export const ids = [53];
export const modules = {

/***/ 94607:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Vr: () => (/* binding */ unarchiveDir),
/* harmony export */   Wk: () => (/* binding */ archiveDir),
/* harmony export */   m$: () => (/* binding */ DEFAULT_MAX_ARCHIVE_BYTES),
/* harmony export */   ol: () => (/* binding */ digestOf)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(37638);
/* harmony import */ var _files__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5854);
// Atlas's directory archive: the tar Go's archive/tar writes for atlas.sum then the .sql files, each
// header carrying only name, mode 0600 and size. Writing reproduces Go's bytes exactly (its SHA-256 is
// the directory's identity); reading trusts nothing and refuses anything but flat regular files.



const BLOCK = 512;
const NAME_SIZE = 100;
/** Default cap on the bytes of all entries together when reading an archive. */
const DEFAULT_MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;
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
};
// The writer is allocation-light: it plans every entry, allocates the archive once, and writes each
// header in place with plain byte stores (every string it writes is ASCII by construction).
/** Go's formatter.formatString for an ASCII string: copy, NUL-terminate when there is room, truncate. */
function putAscii(block, field, text) {
    const [off, size] = F[field];
    const n = Math.min(text.length, size);
    for (let i = 0; i < n; i++)
        block[off + i] = text.charCodeAt(i);
    if (text.length < size)
        block[off + text.length] = 0;
}
/** Go's formatter.formatOctal: zero-padded octal digits and a NUL in the last byte. */
function putOctal(block, field, value, size = F[field][1]) {
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
function checksumOf(block) {
    const [from, width] = F.chksum;
    let unsigned = 0;
    let high = 0; // bytes >= 128, each 256 less when signed
    for (let i = 0; i < BLOCK; i++) {
        if (i === from) {
            unsigned += width * 0x20;
            i += width - 1;
            continue;
        }
        const c = block[i];
        unsigned += c;
        if (c >= 128)
            high++;
    }
    return { unsigned, signed: unsigned - 256 * high };
}
const USTAR_MAGIC = encoder.encode("ustar\0");
const USTAR_VERSION = encoder.encode("00");
/** Go's block.setFormat for USTAR/PAX: the magic, then the checksum as 6 octal digits, NUL, space. */
function seal(block) {
    block.set(USTAR_MAGIC, F.magic[0]);
    block.set(USTAR_VERSION, F.version[0]);
    putOctal(block, "chksum", checksumOf(block).unsigned, 7);
    block[F.chksum[0] + 7] = 0x20;
}
const isAscii = (s) => /^[\x00-\x7f]*$/.test(s);
const toAscii = (s) => s.replace(/[^\x00-\x7f]/g, "");
/** Go's formatPAXRecord: "<len> <key>=<value>\n", where len counts itself. */
function paxRecord(key, value) {
    const body = ` ${key}=${value}\n`;
    const bodyLen = encoder.encode(body).length;
    let size = bodyLen + String(bodyLen).length;
    if (String(size).length + bodyLen !== size)
        size = String(size).length + bodyLen;
    return `${size}${body}`;
}
/**
 * One regular-file header as Go's templateV7Plus writes it (uid/gid/mtime 0, empty user and group),
 * into a zeroed 512-byte block. `name` is ASCII.
 */
function writeHeader(block, name, size, typeflag, mode, devNumbers) {
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
/** Go's writer falls back to PAX exactly when the name is not ASCII or longer than 100 bytes. */
function planEntry(name, data) {
    if (name.includes("\0"))
        throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .RelayError */ .cx("input", `cannot archive "${name}": the name contains NUL`);
    // For an ASCII name, bytes and UTF-16 units agree; a non-ASCII one takes PAX either way.
    if (name.length > NAME_SIZE || !isAscii(name)) {
        return { name, data, pax: encoder.encode(paxRecord("path", name)) };
    }
    return { name, data };
}
/** Data is padded with zeros to whole blocks. */
const blocks = (n) => Math.ceil(n / BLOCK) * BLOCK;
const entrySize = (e) => BLOCK + blocks(e.data.length) + (e.pax ? BLOCK + blocks(e.pax.length) : 0);
/** Writes one entry at `at` of a zeroed buffer; returns where the next one starts. */
function writeEntry(out, at, e) {
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
function archiveDir(dir) {
    const entries = [];
    if (dir.sum)
        entries.push(planEntry(_files__WEBPACK_IMPORTED_MODULE_2__/* .SUM_FILE */ .P4, dir.sum));
    for (const f of (0,_files__WEBPACK_IMPORTED_MODULE_2__/* .sortFiles */ .w9)(dir.files))
        entries.push(planEntry(f.name, f.content));
    let total = 2 * BLOCK; // the end-of-archive marker: two zero blocks
    for (const e of entries)
        total += entrySize(e);
    const out = new Uint8Array(total);
    let at = 0;
    for (const e of entries)
        at = writeEntry(out, at, e);
    return out;
}
const refuse = (message) => new _errors__WEBPACK_IMPORTED_MODULE_1__/* .RelayError */ .cx("integrity", `archive: ${message}`);
/** A NUL-terminated header string; bytes after the terminator must be NUL too (no hidden suffix). */
function readString(block, field, entry) {
    const [off, size] = F[field];
    const raw = block.subarray(off, off + size);
    const end = raw.indexOf(0);
    if (end !== -1 && raw.subarray(end).some((b) => b !== 0)) {
        throw refuse(`entry ${entry}: the ${field} field has bytes hidden after a NUL`);
    }
    try {
        return decoder.decode(end === -1 ? raw : raw.subarray(0, end));
    }
    catch {
        throw refuse(`entry ${entry}: the ${field} field is not valid UTF-8`);
    }
}
function readOctal(block, field, entry) {
    const [off, size] = F[field];
    const raw = block.subarray(off, off + size);
    if (raw[0] & 0x80)
        throw refuse(`entry ${entry}: base-256 ${field} is not supported`);
    const text = String.fromCharCode(...raw)
        .replace(/\0.*$/s, "")
        .trim();
    if (text === "")
        return 0;
    if (!/^[0-7]+$/.test(text))
        throw refuse(`entry ${entry}: the ${field} field "${text}" is not octal`);
    return Number.parseInt(text, 8);
}
/** Parses PAX records; only `path` (and a `size` override) matter for a flat directory. */
function parsePax(data, entry) {
    const records = new Map();
    let text;
    try {
        text = decoder.decode(data);
    }
    catch {
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
        if (!record.endsWith("\n"))
            throw refuse(`entry ${entry}: malformed PAX record`);
        const kv = record.slice(record.indexOf(" ") + 1, -1);
        const eq = kv.indexOf("=");
        if (eq <= 0)
            throw refuse(`entry ${entry}: malformed PAX record`);
        records.set(kv.slice(0, eq), kv.slice(eq + 1));
        at += record.length;
    }
    return records;
}
function checkName(name, entry) {
    if (name.includes("\0"))
        throw refuse(`entry ${entry}: the name contains NUL`);
    if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) {
        throw refuse(`entry ${entry}: absolute name "${name}" is not allowed`);
    }
    if (name.split(/[/\\]/).includes(".."))
        throw refuse(`entry ${entry}: name "${name}" leaves the directory`);
    if (!(0,_files__WEBPACK_IMPORTED_MODULE_2__/* .isPlainName */ .sh)(name))
        throw refuse(`entry ${entry}: name "${name}" is not a flat file name`);
}
const TYPE_NAMES = {
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
function unarchiveDir(bytes, options = {}) {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
    const files = [];
    const seen = new Set();
    let sum = null;
    let total = 0;
    let at = 0;
    let entry = 0;
    let pax = null;
    for (;;) {
        // Like Go's reader, the end-of-archive marker may be missing: Atlas's own ArchiveDir returns its
        // bytes before the deferred Close writes it (and the last entry's padding). What was cut off at
        // an entry boundary shows when atlas.sum is validated; it is written first.
        if (at === bytes.length) {
            if (pax)
                throw refuse("truncated: a PAX header is not followed by an entry");
            break;
        }
        if (at + BLOCK > bytes.length)
            throw refuse(`truncated header at byte ${at}`);
        const block = bytes.subarray(at, at + BLOCK);
        if (block.every((b) => b === 0)) {
            if (pax)
                throw refuse("truncated: a PAX header is not followed by an entry");
            // End of archive. Like Go's reader: a second block, when present, must be zero too; what
            // follows the marker (record padding) is ignored.
            const second = bytes.subarray(at + BLOCK, at + 2 * BLOCK);
            if (second.some((b) => b !== 0))
                throw refuse("an entry follows a zero block");
            break;
        }
        entry++;
        const stored = readOctal(block, "chksum", entry);
        const { unsigned, signed } = checksumOf(block);
        if (stored !== unsigned && stored !== signed)
            throw refuse(`entry ${entry}: header checksum mismatch`);
        const typeflag = String.fromCharCode(block[F.typeflag[0]]);
        let size = readOctal(block, "size", entry);
        const headerPax = pax;
        pax = null;
        if (headerPax?.has("size")) {
            const s = headerPax.get("size");
            if (!/^[0-9]+$/.test(s))
                throw refuse(`entry ${entry}: PAX size "${s}" is not a number`);
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
            throw refuse(`truncated: entry ${entry} needs ${size} bytes of data, ${bytes.length - dataStart} remain`);
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
        if (prefix !== "")
            name = `${prefix}/${name}`;
        if (headerPax?.has("path"))
            name = headerPax.get("path");
        if (typeflag !== "0" && typeflag !== "\0") {
            const kind = TYPE_NAMES[typeflag] ?? `type '${typeflag}'`;
            throw refuse(`entry ${entry} ("${name}") is a ${kind}; only regular files are allowed`);
        }
        checkName(name, entry);
        if (seen.has(name))
            throw refuse(`"${name}" appears twice`);
        seen.add(name);
        if (name === _files__WEBPACK_IMPORTED_MODULE_2__/* .SUM_FILE */ .P4)
            sum = data;
        else if (name.endsWith(".sql"))
            files.push((0,_files__WEBPACK_IMPORTED_MODULE_2__/* .migrationFile */ .ZQ)(name, data));
        // Anything else is not part of a migration directory (Atlas ignores it too).
    }
    return { files: (0,_files__WEBPACK_IMPORTED_MODULE_2__/* .sortFiles */ .w9)(files), sum };
}
/** `sha256:<hex>` of the archive bytes: the directory's identity. */
function digestOf(bytes) {
    return `sha256:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)("sha256").update(bytes).digest("hex")}`;
}


/***/ }),

/***/ 36843:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   OT: () => (/* binding */ unescapeDelimiter),
/* harmony export */   Qs: () => (/* binding */ headerComments),
/* harmony export */   bI: () => (/* binding */ delimiterDirective),
/* harmony export */   fz: () => (/* binding */ fileDirectives),
/* harmony export */   g0: () => (/* binding */ isSumIgnored),
/* harmony export */   lr: () => (/* binding */ directiveOf)
/* harmony export */ });
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37638);
// File directives, read as Atlas reads them (sql/migrate/dir.go):
// - `atlas:sum` and `atlas:delimiter` are looked for on the first line only;
// - other directives (`atlas:txmode`) come from the file's leading block of `--`/`#` comment lines, and
//   count only when a blank line separates that block from the statements.

// Atlas's reDirective: printable ASCII before `atlas:`, the name, then the argument (the rest of the line).
const DIRECTIVE = /^([ -~]*)atlas:(\w+)(?: +([ -~]*))*/;
/** The directive on the first line of `text`, if any (Atlas's `directive()`). */
function directiveOf(text) {
    const nl = text.indexOf("\n");
    const m = DIRECTIVE.exec(nl === -1 ? text : text.slice(0, nl));
    return m ? { prefix: m[1], name: m[2], arg: m[3] ?? "" } : null;
}
/** `\n`, `\t`, `\r` in a delimiter directive stand for the characters (Atlas's setDelim). */
function unescapeDelimiter(d) {
    return d.replace(/\\[ntr]/g, (e) => (e === "\\n" ? "\n" : e === "\\t" ? "\t" : "\r"));
}
/** The escaped delimiter of a `-- atlas:delimiter X` first line, or null; "" when X is empty. */
function delimiterDirective(src) {
    const d = directiveOf(src);
    return d && d.name === "delimiter" && d.prefix === "-- " ? d.arg : null;
}
const decoder = new TextDecoder();
function firstLine(content) {
    if (typeof content === "string")
        return content;
    const nl = content.indexOf(0x0a);
    return decoder.decode(nl === -1 ? content : content.subarray(0, nl));
}
/** True when the file's first line carries `atlas:sum ignore` (it then gets no atlas.sum line). */
function isSumIgnored(content) {
    const d = directiveOf(firstLine(content));
    return d !== null && d.name === "sum" && d.arg === "ignore";
}
/**
 * The leading comment lines that form the file's header (Atlas's LocalFile.comments): none unless a
 * blank line follows the block.
 */
function headerComments(content) {
    const comments = [];
    let rest = content;
    while (rest.startsWith("#") || rest.startsWith("--")) {
        const nl = rest.indexOf("\n");
        if (nl === -1)
            return []; // A comments-only file has no blank line after its header.
        comments.push(rest.slice(0, nl).trim());
        rest = rest.slice(nl + 1);
    }
    // As Atlas: the separating line may hold spaces or tabs.
    return rest.replace(/^[ \t]*/, "").startsWith("\n") ? comments : [];
}
/** Reads a file's directives; throws RelayError("migration") for a txmode Atlas would refuse. */
function fileDirectives(content, name = "the file") {
    const text = typeof content === "string" ? content : decoder.decode(content);
    const out = { sumIgnore: isSumIgnored(text) };
    const delim = delimiterDirective(text);
    if (delim !== null && delim !== "")
        out.delimiter = unescapeDelimiter(delim);
    const modes = headerComments(text)
        .map(directiveOf)
        .filter((d) => d !== null && d.name === "txmode")
        .map((d) => d.arg);
    if (modes.length > 1) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("migration", `${name}: more than one atlas:txmode directive (${modes.join(", ")})`);
    }
    const mode = modes[0];
    if (mode === "none" || mode === "file")
        out.txmode = mode;
    else if (mode === "all") {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("migration", `${name}: atlas:txmode all is not allowed in a file directive; set tx-mode all for the whole run instead`);
    }
    else if (mode !== undefined && mode !== "") {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("migration", `${name}: unknown atlas:txmode "${mode}"; use none or file`);
    }
    return out;
}


/***/ }),

/***/ 5854:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ci: () => (/* binding */ readDir),
/* harmony export */   Jz: () => (/* binding */ dirPath),
/* harmony export */   P4: () => (/* binding */ SUM_FILE),
/* harmony export */   ZQ: () => (/* binding */ migrationFile),
/* harmony export */   Zj: () => (/* binding */ writeDir),
/* harmony export */   sh: () => (/* binding */ isPlainName),
/* harmony export */   w9: () => (/* binding */ sortFiles)
/* harmony export */ });
/* unused harmony exports parseName, compareNames, fileNameProblem */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _durable__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(82142);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(37638);
/* harmony import */ var _secrets__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(87620);
// A local migration directory: its top-level `*.sql` files and atlas.sum, as Atlas's LocalDir reads them.






const SUM_FILE = "atlas.sum";
/** Version and description from a file name: `1_init.sql` -> {version "1", description "init"}. */
function parseName(name) {
    const base = name.endsWith(".sql") ? name.slice(0, -4) : name;
    const cut = base.indexOf("_");
    if (cut === -1)
        return { version: base, description: "" };
    return { version: base.slice(0, cut), description: base.slice(cut + 1) };
}
/**
 * Compare file names by their bytes (not localeCompare), as Go's sort.Strings does. UTF-8 byte order
 * equals code point order, so comparing code points needs no encoding.
 */
function compareNames(a, b) {
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
        const ca = a.codePointAt(i);
        const cb = b.codePointAt(j);
        if (ca !== cb)
            return ca < cb ? -1 : 1;
        i += ca > 0xffff ? 2 : 1;
        j += cb > 0xffff ? 2 : 1;
    }
    if (i < a.length)
        return 1;
    if (j < b.length)
        return -1;
    return 0;
}
/** A migration file from its name and bytes. */
function migrationFile(name, content) {
    return { name, ...parseName(name), content };
}
/** Files in the byte order of their names (a copy; the input is left as it was). */
function sortFiles(files) {
    return [...files].sort((x, y) => compareNames(x.name, y.name));
}
/**
 * The local path of a directory URL: `file://rel`, `file:///abs` or a plain path, relative to cwd.
 * `?format=atlas` is accepted (Atlas's spelling); other formats are not read by this tool.
 */
function dirPath(url, cwd = process.cwd()) {
    let rest = url;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
        if (!url.toLowerCase().startsWith("file://")) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_4__/* .RelayError */ .cx("config", `${(0,_secrets__WEBPACK_IMPORTED_MODULE_5__/* .redactUrl */ .BO)(url)} is not a local directory; use file://<path> (or a plain path) for the migration directory`);
        }
        rest = url.slice("file://".length);
    }
    const q = rest.indexOf("?");
    if (q !== -1) {
        const format = new URLSearchParams(rest.slice(q + 1)).get("format");
        if (format !== null && format !== "atlas") {
            throw new _errors__WEBPACK_IMPORTED_MODULE_4__/* .RelayError */ .cx("config", `directory format "${format}" is not supported (${(0,_secrets__WEBPACK_IMPORTED_MODULE_5__/* .redactUrl */ .BO)(url)}); only Atlas's format is`);
        }
        rest = rest.slice(0, q);
    }
    if (rest === "")
        throw new _errors__WEBPACK_IMPORTED_MODULE_4__/* .RelayError */ .cx("config", `"${(0,_secrets__WEBPACK_IMPORTED_MODULE_5__/* .redactUrl */ .BO)(url)}" names no directory`);
    return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(rest) ? rest : (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(cwd, rest);
}
/** Reads a `file://` directory URL (or a plain path) relative to cwd: top-level `*.sql` + atlas.sum. */
async function readDir(url, cwd = process.cwd()) {
    const path = dirPath(url, cwd);
    let entries;
    try {
        entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(path, { withFileTypes: true });
    }
    catch (err) {
        const code = err.code;
        if (code === "ENOENT") {
            throw new _errors__WEBPACK_IMPORTED_MODULE_4__/* .RelayError */ .cx("input", `migration directory ${path} does not exist (from "${(0,_secrets__WEBPACK_IMPORTED_MODULE_5__/* .redactUrl */ .BO)(url)}")`);
        }
        if (code === "ENOTDIR") {
            throw new _errors__WEBPACK_IMPORTED_MODULE_4__/* .RelayError */ .cx("input", `${path} is not a directory (from "${(0,_secrets__WEBPACK_IMPORTED_MODULE_5__/* .redactUrl */ .BO)(url)}")`);
        }
        throw new _errors__WEBPACK_IMPORTED_MODULE_4__/* .RelayError */ .cx("input", `cannot read migration directory ${path}: ${err.message}`);
    }
    const files = [];
    let sum = null;
    for (const entry of entries) {
        const name = entry.name;
        const isSql = name.endsWith(".sql");
        if (!isSql && name !== SUM_FILE)
            continue;
        const full = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(path, name);
        const problem = fileNameProblem(name);
        if (problem) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_4__/* .RelayError */ .cx("input", `migration file ${JSON.stringify(name)} in ${path}: the name ${problem}; rename the file (pull and apply would refuse it)`);
        }
        let content;
        try {
            // Like Go's fs.Glob + ReadFile: symlinks are followed, subdirectories named *.sql are skipped.
            if (!(entry.isFile() || (entry.isSymbolicLink() && (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(full).isFile())))
                continue;
            // Synchronous on purpose: thousands of small files read ~10x faster than one promise each.
            content = new Uint8Array((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(full));
        }
        catch (err) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_4__/* .RelayError */ .cx("input", `cannot read ${full}: ${err.message}`);
        }
        if (isSql)
            files.push(migrationFile(name, content));
        else
            sum = content;
    }
    return { files: sortFiles(files), sum };
}
/**
 * The one rule for a migration file name, applied at hash, push (reading the folder) and pull
 * (reading an archive, writing the folder): undefined when the name is fine, else why not. A name
 * must stay inside its folder on every OS and survive an atlas.sum line (`<name> h1:<hash>`, which
 * Atlas splits at the first `h1:` and trims).
 */
function fileNameProblem(name) {
    if (name === "" || name === "." || name === "..")
        return "not a file name";
    if (/[/\\]/.test(name) || /^[A-Za-z]:/.test(name))
        return 'contains a path separator ("/" or "\\")';
    if (/[\x00-\x1f\x7f]/.test(name))
        return "contains a control character (newline, tab, NUL...)";
    if (name.trim() !== name)
        return "starts or ends with a space";
    if (name.includes("h1:"))
        return 'contains "h1:", which atlas.sum uses to separate name and hash';
    return undefined;
}
/** A name that stays inside the directory it is written to and fits in atlas.sum. */
const isPlainName = (name) => fileNameProblem(name) === undefined;
/**
 * Why `path` cannot be replaced by a pull, or undefined. A pull writes only into a new folder or one
 * holding nothing but what a pull writes (regular `.sql` files and atlas.sum): never through a link,
 * never over a user's other files.
 */
async function replaceProblem(path) {
    let info;
    try {
        info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(path);
    }
    catch (err) {
        if (err.code === "ENOENT")
            return "missing";
        return { problem: `cannot read ${path}: ${err.message}` };
    }
    if (info.isSymbolicLink())
        return { problem: `${path} is a symbolic link; pull does not write through links` };
    if (!info.isDirectory())
        return { problem: `${path} is a file, not a folder` };
    for (const entry of await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(path, { withFileTypes: true })) {
        const where = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(path, entry.name);
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
async function writeDir(path, dir) {
    for (const f of dir.files) {
        if (!isPlainName(f.name)) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_4__/* .RelayError */ .cx("integrity", `refusing to write "${f.name}": not a plain file name`);
        }
    }
    const target = await replaceProblem(path);
    if (typeof target === "object")
        throw new _errors__WEBPACK_IMPORTED_MODULE_4__/* .RelayError */ .cx("input", `cannot write the directory: ${target.problem}`);
    const parent = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path);
    let fresh;
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(parent, { recursive: true });
        fresh = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdtemp)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(parent, `.${(0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(path)}.pull-`));
        for (const f of dir.files)
            await (0,_durable__WEBPACK_IMPORTED_MODULE_3__/* .writeNewFile */ .S0)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(fresh, f.name), f.content);
        if (dir.sum)
            await (0,_durable__WEBPACK_IMPORTED_MODULE_3__/* .writeNewFile */ .S0)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(fresh, SUM_FILE), dir.sum);
        await (0,_durable__WEBPACK_IMPORTED_MODULE_3__/* .fsyncDir */ .t_)(fresh);
        if (target === "replace") {
            const old = `${fresh}-old`;
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(path, old);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(fresh, path);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(old, { recursive: true, force: true });
        }
        else
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(fresh, path);
        fresh = undefined;
        await (0,_durable__WEBPACK_IMPORTED_MODULE_3__/* .fsyncDir */ .t_)(parent);
    }
    catch (err) {
        if (fresh)
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(fresh, { recursive: true, force: true });
        const code = err.code;
        throw new _errors__WEBPACK_IMPORTED_MODULE_4__/* .RelayError */ .cx("input", `cannot write the directory to ${path}: ${code ? `${code} (${err.message})` : (0,_errors__WEBPACK_IMPORTED_MODULE_4__/* .messageOf */ .bD)(err)}; ${path} was left as it was`);
    }
}


/***/ }),

/***/ 48789:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ci: () => (/* reexport safe */ _files__WEBPACK_IMPORTED_MODULE_2__.Ci),
/* harmony export */   Jz: () => (/* reexport safe */ _files__WEBPACK_IMPORTED_MODULE_2__.Jz),
/* harmony export */   P4: () => (/* reexport safe */ _files__WEBPACK_IMPORTED_MODULE_2__.P4),
/* harmony export */   Vr: () => (/* reexport safe */ _archive__WEBPACK_IMPORTED_MODULE_0__.Vr),
/* harmony export */   Wk: () => (/* reexport safe */ _archive__WEBPACK_IMPORTED_MODULE_0__.Wk),
/* harmony export */   Y6: () => (/* reexport safe */ _sum__WEBPACK_IMPORTED_MODULE_4__.Y6),
/* harmony export */   YT: () => (/* reexport safe */ _sum__WEBPACK_IMPORTED_MODULE_4__.YT),
/* harmony export */   Zj: () => (/* reexport safe */ _files__WEBPACK_IMPORTED_MODULE_2__.Zj),
/* harmony export */   _l: () => (/* reexport safe */ _sum__WEBPACK_IMPORTED_MODULE_4__._l),
/* harmony export */   m$: () => (/* reexport safe */ _archive__WEBPACK_IMPORTED_MODULE_0__.m$),
/* harmony export */   ol: () => (/* reexport safe */ _archive__WEBPACK_IMPORTED_MODULE_0__.ol)
/* harmony export */ });
/* harmony import */ var _archive__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(94607);
/* harmony import */ var _directives__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(36843);
/* harmony import */ var _files__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5854);
/* harmony import */ var _split__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(81113);
/* harmony import */ var _sum__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(20314);








/***/ }),

/***/ 81113:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hl: () => (/* binding */ fileStatements)
/* harmony export */ });
/* unused harmony exports POSTGRES_SPLIT, splitStatements */
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37638);
/* harmony import */ var _directives__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(36843);
// The statement splitter: a port of Atlas's scanner (sql/migrate/lex.go) with its options as switches,
// so a file splits into the statements Atlas would run. One forward pass over the text; keyword and
// whitespace checks are hand-written (no regex over the text), and searches that fail are remembered,
// so the work stays linear in the file size.


const POSTGRES_SPLIT = {
    beginEnd: true,
    beginAtomic: true,
    dollarQuotes: true,
    backslashEscapes: false,
    escapedStrings: true,
    hashComments: false,
};
const DEFAULT_DELIM = ";";
const EOS = -1;
/** A scan failure at an absolute offset; turned into "line:col: message" at the top. */
class ScanError extends Error {
    at;
    constructor(at, message) {
        super(message);
        this.at = at;
    }
}
/** Go's unicode.IsSpace (what strings.TrimSpace and the scanner's skipSpaces use). */
function isGoSpace(c) {
    return ((c >= 0x09 && c <= 0x0d) ||
        c === 0x20 ||
        c === 0x85 ||
        c === 0xa0 ||
        c === 0x1680 ||
        (c >= 0x2000 && c <= 0x200a) ||
        c === 0x2028 ||
        c === 0x2029 ||
        c === 0x202f ||
        c === 0x205f ||
        c === 0x3000);
}
/** RE2's `\s`: what Atlas's BEGIN/END patterns match. */
const isReSpace = (c) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
/** Go's strings.TrimSpace, reporting how much was cut from the front. */
function goTrim(s) {
    let a = 0;
    let b = s.length;
    while (a < b && isGoSpace(s.charCodeAt(a)))
        a++;
    while (b > a && isGoSpace(s.charCodeAt(b - 1)))
        b--;
    return { text: s.slice(a, b), lead: a };
}
// Dollar-quote tags as PostgreSQL's scanner defines them (Atlas: `^\$([A-Za-zÈ-ÿ_][\wÈ-ÿ]*)*\$`).
const isTagStart = (c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || (c >= 0xc8 && c <= 0xff);
const isTagChar = (c) => isTagStart(c) || (c >= 0x30 && c <= 0x39);
/** A character that can end an identifier, so a following `E'` is not an escape-string prefix. */
const isIdentChar = (c) => isTagChar(c) || c === 0x24 || c > 0x7f;
/** BEGIN blocks deeper than this are refused rather than overflowing the stack. */
const MAX_BLOCK_DEPTH = 500;
/** Not a "this is no block" signal like ScanError: it stops the whole split. */
class TooDeep extends ScanError {
}
/** One scanner over a suffix of the text (Atlas nests scanners for BEGIN ... END bodies). */
class Scanner {
    sh;
    /** Absolute offset of Atlas's `s.input`: where the statement being scanned begins. */
    start;
    /** Offset into the input, just after the rune last read. */
    pos = 0;
    width = 0;
    delim;
    /** Length of a delimiter-directive line skipped at the start (Atlas does not count it as scanned). */
    uncounted = 0;
    text;
    n;
    constructor(sh, start, delim) {
        this.sh = sh;
        this.text = sh.text;
        this.n = sh.text.length;
        this.start = start;
        this.delim = delim;
        // `-- atlas:delimiter X` on the first line sets the delimiter; the line is not part of any statement.
        // Only a line starting with "-- " can hold it: checking first keeps nested scanners O(1) to start.
        const nl = this.text.startsWith("-- ", start) ? this.text.indexOf("\n", start) : -2;
        const d = nl === -2 ? null : (0,_directives__WEBPACK_IMPORTED_MODULE_1__/* .delimiterDirective */ .bI)(this.text.slice(start, nl === -1 ? this.n : nl));
        if (d !== null) {
            this.setDelim(d, start);
            if (nl === -1)
                throw new ScanError(start, `no input found after delimiter ${JSON.stringify(d)}`);
            this.start = nl + 1;
            this.uncounted = nl + 1 - start;
        }
    }
    /** Absolute offset just after the last statement returned. */
    get offset() {
        return this.start;
    }
    get delimiter() {
        return this.delim;
    }
    setDelim(d, at) {
        if (d === "")
            throw new ScanError(at, "empty delimiter");
        this.delim = (0,_directives__WEBPACK_IMPORTED_MODULE_1__/* .unescapeDelimiter */ .OT)(d);
    }
    at(i) {
        return i < this.n ? this.text.codePointAt(i) : EOS;
    }
    next() {
        const i = this.start + this.pos;
        if (i >= this.n)
            return EOS;
        const c = this.text.codePointAt(i);
        this.width = c > 0xffff ? 2 : 1;
        this.pos += this.width;
        return c;
    }
    pick() {
        return this.at(this.start + this.pos);
    }
    skipSpaces() {
        if (this.pos !== 0)
            return; // Atlas trims its input from the front, which is here only at pos 0.
        while (this.start < this.n) {
            const c = this.text.codePointAt(this.start);
            if (!isGoSpace(c))
                break;
            this.start += c > 0xffff ? 2 : 1;
        }
    }
    /** The end of the RE2-whitespace run at x (x itself when text[x] is not whitespace). */
    wsEnd(x) {
        const sh = this.sh;
        if (x >= sh.wsFrom && x <= sh.wsTo)
            return sh.wsTo;
        let e = x;
        while (e < this.n && isReSpace(this.text.charCodeAt(e)))
            e++;
        sh.wsFrom = x;
        sh.wsTo = e;
        return e;
    }
    wordAt(x, word) {
        if (x + word.length > this.n)
            return false;
        for (let k = 0; k < word.length; k++) {
            if ((this.text.charCodeAt(x + k) | 0x20) !== word.charCodeAt(k))
                return false;
        }
        return true;
    }
    /** Where `(?i)^\s*BEGIN\s+` (and `ATOMIC\s+` when atomic) matching at x ends, or -1. */
    beginMatch(x, atomic) {
        const c = this.text.charCodeAt(x);
        if ((c | 0x20) !== 0x62 && !isReSpace(c))
            return -1; // Fast path: neither "b" nor whitespace.
        let j = this.wsEnd(x);
        if (!this.wordAt(j, "begin"))
            return -1;
        j += 5;
        const k = this.wsEnd(j);
        if (k === j)
            return -1;
        if (!atomic)
            return k;
        if (!this.wordAt(k, "atomic"))
            return -1;
        const e = this.wsEnd(k + 6);
        return e === k + 6 ? -1 : e;
    }
    /** The next statement, or null at the end of the input. */
    stmt() {
        const opts = this.sh.opts;
        let depth = 0;
        let opening = 0;
        this.skipSpaces();
        for (;;) {
            const r = this.next();
            const here = this.start + this.pos - this.width; // offset of r
            if (r === EOS) {
                if (depth > 0)
                    throw new ScanError(opening, "unclosed '('");
                if (this.pos > 0)
                    return this.emit(this.n - this.start);
                return null;
            }
            if (r === 0x28) {
                if (depth === 0)
                    opening = here;
                depth++;
            }
            else if (r === 0x29) {
                if (depth === 0)
                    throw new ScanError(here, "unexpected ')'");
                depth--;
            }
            else if (r === 0x27 || r === 0x22 || r === 0x60) {
                this.skipQuote(r, here);
            }
            else if (this.pos === 1 && this.isDelimiterCommand()) {
                this.pos = "delimiter".length;
                this.delimiterCommand();
                this.skipSpaces();
            }
            else if (depth === 0 && this.text.startsWith(this.delim, here)) {
                this.pos = here + this.delim.length - this.start;
                return this.emit(this.pos);
            }
            else if (opts.dollarQuotes && r === 0x24 && this.dollarTagEnd(here) !== -1) {
                this.skipDollarQuote(here);
            }
            else if (r === 0x23 && opts.hashComments) {
                this.comment(1, "\n");
            }
            else if (r === 0x2d && this.pick() === 0x2d) {
                this.next();
                this.comment(2, "\n");
            }
            else if (r === 0x2f && this.pick() === 0x2a) {
                this.next();
                this.comment(2, "*/");
            }
            else if (this.delim === DEFAULT_DELIM && opts.beginAtomic && this.beginMatch(here, true) !== -1) {
                if (this.skipGroup(here, true))
                    return this.emit(this.pos);
            }
            else if (this.delim === DEFAULT_DELIM &&
                opts.beginEnd &&
                // BEGIN starts the statement, or follows at least one space (Atlas checks one rune back).
                ((this.pos === 1 && this.beginMatch(here, false) !== -1) ||
                    (this.pos > 1 && this.beginMatch(here - 1, false) !== -1))) {
                if (this.beginMatch(here, false) !== -1 && this.skipGroup(here, false))
                    return this.emit(this.pos);
            }
        }
    }
    /** Ends the statement after `length` input characters and moves the input past it. */
    emit(length) {
        const from = this.start;
        this.start += this.pos;
        this.pos = 0;
        return { from, to: from + length };
    }
    isDelimiterCommand() {
        const s = this.start;
        return this.n - s > 9 && this.text.slice(s, s + 9).toLowerCase() === "delimiter";
    }
    /** MySQL's `DELIMITER x` client command at the start of a statement (Atlas honours it everywhere). */
    delimiterCommand() {
        if (this.pick() !== 0x20)
            return;
        let r = this.pick();
        while (r !== EOS && r !== 0x0a)
            r = this.next();
        let d = goTrim(this.text.slice(this.start + 9, this.start + this.pos)).text;
        if (d.length >= 2 && d.startsWith("'") && d.endsWith("'"))
            d = d.slice(1, -1).replaceAll("''", "'");
        this.setDelim(d, this.start);
        this.emit(this.pos);
    }
    skipQuote(quote, at) {
        const opts = this.sh.opts;
        // E'...' (PostgreSQL escape strings): the E must start a token, as in PostgreSQL's lexer.
        const prefixed = quote === 0x27 &&
            at > 0 &&
            (this.text.charCodeAt(at - 1) | 0x20) === 0x65 &&
            !(at > 1 && isIdentChar(this.text.charCodeAt(at - 2)));
        const escaped = opts.backslashEscapes || (opts.escapedStrings && prefixed);
        for (;;) {
            const r = this.next();
            if (r === EOS) {
                const q = String.fromCharCode(quote);
                throw new ScanError(at, `unclosed quote '${q === "'" ? "\\'" : q}'`);
            }
            if (r === 0x5c && escaped)
                this.next();
            else if (r === quote)
                return;
        }
    }
    /** Where the opening dollar-quote tag at x ends (after its second `$`), or -1. */
    dollarTagEnd(x) {
        let j = x + 1;
        if (j < this.n && isTagStart(this.text.charCodeAt(j))) {
            j++;
            while (j < this.n && isTagChar(this.text.charCodeAt(j)))
                j++;
        }
        return j < this.n && this.text.charCodeAt(j) === 0x24 ? j + 1 : -1;
    }
    skipDollarQuote(x) {
        const end = this.dollarTagEnd(x);
        const tag = this.text.slice(x, end);
        const close = this.find(tag, end);
        // Unclosed: Atlas lets the quote run to the end of the input.
        this.pos = (close === -1 ? this.n : close + tag.length) - this.start;
    }
    /** The first `term` at or after `from`, remembering misses so later searches cost nothing. */
    find(term, from) {
        const absent = this.sh.absentFrom.get(term);
        if (absent !== undefined && from >= absent)
            return -1;
        const i = this.text.indexOf(term, from);
        if (i === -1)
            this.sh.absentFrom.set(term, Math.min(from, absent ?? from));
        return i;
    }
    /** A comment: inside a statement it stays in the text; before one it is dropped. */
    comment(leftLength, right) {
        const i = this.find(right, this.start + this.pos);
        if (i === -1)
            return; // Not a comment (Atlas scans on as statement text).
        const leading = this.pos === leftLength;
        this.pos = i + right.length - this.start;
        if (!leading)
            return;
        this.start += this.pos;
        this.pos = 0;
        this.skipSpaces();
    }
    /**
     * BEGIN ... END or BEGIN ATOMIC ... END at x: a nested scanner reads statements until END; the
     * block then ends the statement. Like Atlas, a match that does not pan out still skips the keywords.
     */
    skipGroup(x, atomic) {
        const bodyStart = this.beginMatch(x, atomic);
        this.pos = bodyStart - this.start;
        const end = this.groupEnd(bodyStart, atomic, x);
        if (end === -1)
            return false;
        this.pos = end - this.start;
        return true;
    }
    groupEnd(from, atomic, keyword) {
        const sh = this.sh;
        const chain = sh.chains[atomic ? 1 : 0];
        const visited = [];
        let end = -1;
        let uncounted = 0;
        if (sh.depth >= MAX_BLOCK_DEPTH) {
            throw new TooDeep(keyword, `BEGIN blocks nest more than ${MAX_BLOCK_DEPTH} deep; split the file`);
        }
        sh.depth++;
        try {
            const body = new Scanner(sh, from, DEFAULT_DELIM);
            uncounted = body.uncounted;
            for (;;) {
                if (body.delimiter === DEFAULT_DELIM) {
                    const known = chain.get(body.offset);
                    if (known !== undefined) {
                        end = known;
                        break;
                    }
                    visited.push(body.offset);
                }
                const s = body.stmt();
                if (s === null)
                    break; // Atlas: unexpected eof when scanning the body.
                const { text } = body.textOf(s);
                if (!/^end/i.test(text))
                    continue;
                if (atomic) {
                    end = body.offset;
                    break;
                }
                // BEGIN ... END closes only on a bare `END` (optionally followed by the delimiter).
                let m = 3;
                while (m < text.length && isReSpace(text.charCodeAt(m)))
                    m++;
                if (m === text.length || text.slice(m) === DEFAULT_DELIM) {
                    end = body.offset;
                    break;
                }
            }
        }
        catch (err) {
            if (!(err instanceof ScanError) || err instanceof TooDeep)
                throw err;
            end = -1; // Atlas: a body that does not scan is no block.
        }
        finally {
            sh.depth--;
        }
        for (const at of visited)
            chain.set(at, end);
        // Atlas advances by what the body scanner counted, which leaves out a directive line it skipped.
        return end === -1 ? -1 : end - uncounted;
    }
    /** The statement text as Atlas emits it: custom delimiter stripped, then trimmed. */
    textOf(s) {
        let raw = this.text.slice(s.from, s.to);
        if (this.delim !== DEFAULT_DELIM && raw.endsWith(this.delim))
            raw = raw.slice(0, -this.delim.length);
        return goTrim(raw);
    }
}
/** Line and column (1-based) of offsets, asked for in increasing order. */
class Lines {
    text;
    at = 0;
    line = 1;
    lineStart = 0;
    constructor(text) {
        this.text = text;
    }
    of(offset) {
        if (offset < this.at) {
            this.at = 0;
            this.line = 1;
            this.lineStart = 0;
        }
        for (;;) {
            const nl = this.text.indexOf("\n", this.at);
            if (nl === -1 || nl >= offset)
                break;
            this.line++;
            this.lineStart = nl + 1;
            this.at = nl + 1;
        }
        this.at = offset;
        return { line: this.line, col: offset - this.lineStart + 1 };
    }
}
/** Splits SQL text into statements; errors (unclosed quote, ...) carry line:col. */
function splitStatements(src, options = POSTGRES_SPLIT) {
    const sh = {
        text: src,
        opts: options,
        wsFrom: -1,
        wsTo: -1,
        absentFrom: new Map(),
        chains: [new Map(), new Map()],
        depth: 0,
    };
    const lines = new Lines(src);
    const out = [];
    try {
        const sc = new Scanner(sh, 0, options.delimiter ?? DEFAULT_DELIM);
        for (;;) {
            const s = sc.stmt();
            if (s === null)
                return out;
            const { text, lead } = sc.textOf(s);
            out.push({ text, ...lines.of(s.from + lead) });
        }
    }
    catch (err) {
        if (!(err instanceof ScanError))
            throw err;
        const { line, col } = new Lines(src).of(err.at);
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("migration", `${line}:${col}: ${err.message}`);
    }
}
const decoder = new TextDecoder();
/** The statements of a migration file as apply runs them: PostgreSQL options + the file's delimiter directive. */
function fileStatements(file) {
    try {
        return splitStatements(decoder.decode(file.content), POSTGRES_SPLIT);
    }
    catch (err) {
        if (err instanceof _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx)
            throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx(err.kind, `${file.name}:${err.message}`);
        throw err;
    }
}


/***/ }),

/***/ 20314:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Y6: () => (/* binding */ validateDir),
/* harmony export */   YT: () => (/* binding */ hashDir),
/* harmony export */   _l: () => (/* binding */ sumTotal),
/* harmony export */   n4: () => (/* binding */ parseSum)
/* harmony export */ });
/* unused harmony exports sumLines, totalOf, SUM_FIX */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(37638);
/* harmony import */ var _directives__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(36843);
/* harmony import */ var _files__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5854);
// atlas.sum: Atlas's integrity file. One running SHA-256 over the whole directory (name bytes, then
// content bytes, per file); each line holds the digest so far, so editing one file changes its line and
// every line after it. The first line is a fresh SHA-256 over every line's name and hash.




const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** The per-file lines Atlas computes for these files (sorted by name bytes; `atlas:sum ignore` files get none). */
function sumLines(files) {
    const running = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)("sha256");
    const lines = [];
    for (const f of (0,_files__WEBPACK_IMPORTED_MODULE_3__/* .sortFiles */ .w9)(files)) {
        running.update(encoder.encode(f.name));
        if ((0,_directives__WEBPACK_IMPORTED_MODULE_2__/* .isSumIgnored */ .g0)(f.content))
            continue;
        running.update(f.content);
        lines.push({ name: f.name, hash: running.copy().digest("base64") });
    }
    return lines;
}
/** The total over the lines: SHA-256 of name + hash for each line, base64. */
function totalOf(lines) {
    const h = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)("sha256");
    for (const l of lines) {
        h.update(encoder.encode(l.name));
        h.update(encoder.encode(l.hash));
    }
    return h.digest("base64");
}
/** The atlas.sum bytes Atlas writes for these files (in byte order of their names). */
function hashDir(files) {
    const lines = sumLines(files);
    let text = `h1:${totalOf(lines)}\n`;
    for (const l of lines)
        text += `${l.name} h1:${l.hash}\n`;
    return encoder.encode(text);
}
/** Parses atlas.sum as Atlas does (lines split at the first `h1:`, names trimmed, CR before LF dropped). */
function parseSum(sum) {
    const text = decoder.decode(sum);
    const rows = text.split("\n");
    // Like Go's bufio.Scanner: a final newline does not start another line; a CR before LF is dropped.
    if (rows.length > 0 && rows[rows.length - 1] === "")
        rows.pop();
    const lineText = (i) => rows[i].replace(/\r$/, "");
    const first = rows.length > 0 ? lineText(0) : "";
    if (!first.startsWith("h1:")) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .RelayError */ .cx("integrity", `atlas.sum L1: expected "h1:<sum>", got "${first.slice(0, 60)}"`);
    }
    const lines = [];
    for (let i = 1; i < rows.length; i++) {
        const row = lineText(i);
        const cut = row.indexOf("h1:");
        if (cut === -1) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .RelayError */ .cx("integrity", `atlas.sum L${i + 1}: expected "<file> h1:<hash>", got "${row.slice(0, 60)}"`);
        }
        lines.push({ name: row.slice(0, cut).trim(), hash: row.slice(cut + 3) });
    }
    return { total: first.slice(3), lines };
}
/** The `h1:<total>` first line of an atlas.sum. */
function sumTotal(sum) {
    return `h1:${parseSum(sum).total}`;
}
/** What `migrate-relay hash` fixes: named with the file, so a user knows the way out. */
const SUM_FIX = "atlas.sum does not match the directory; if the change is intended, run migrate-relay hash";
const mismatch = (line, file, reason) => new _errors__WEBPACK_IMPORTED_MODULE_1__/* .RelayError */ .cx("integrity", `L${line}: ${file} was ${reason} (${SUM_FIX})`);
/**
 * Throws RelayError("integrity", "L<n>: <file> was added|edited|removed (<SUM_FIX>)" / missing atlas.sum).
 * The line is where the first difference sits in atlas.sum (L1 is the total; file i is on L(i+2)).
 */
function validateDir(dir) {
    if (dir.sum === null) {
        if (dir.files.length === 0)
            return;
        throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .RelayError */ .cx("integrity", `atlas.sum not found: the directory has ${dir.files.length} migration file(s) but no atlas.sum`);
    }
    const recorded = parseSum(dir.sum);
    const actual = sumLines(dir.files);
    // A total that disagrees with its own lines means atlas.sum itself was edited by hand.
    if (totalOf(recorded.lines) !== recorded.total)
        throw mismatch(1, "atlas.sum", "edited");
    const recordedNames = new Set(recorded.lines.map((l) => l.name));
    const actualNames = new Set(actual.map((l) => l.name));
    const n = Math.max(recorded.lines.length, actual.length);
    for (let i = 0; i < n; i++) {
        const want = recorded.lines[i];
        const got = actual[i];
        if (want && got && want.name === got.name) {
            if (want.hash !== got.hash)
                throw mismatch(i + 2, got.name, "edited");
            continue;
        }
        if (got && !recordedNames.has(got.name))
            throw mismatch(i + 2, got.name, "added");
        if (want && !actualNames.has(want.name))
            throw mismatch(i + 2, want.name, "removed");
        // Same names in another order: the file at this line is not the one atlas.sum expects.
        throw mismatch(i + 2, (got ?? want).name, "edited");
    }
}


/***/ }),

/***/ 82142:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S0: () => (/* binding */ writeNewFile),
/* harmony export */   fR: () => (/* binding */ replaceFile),
/* harmony export */   t_: () => (/* binding */ fsyncDir)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
// Writes that survive a crash: what is on disk is the old content or the new, never half, and once a
// call returns the bytes are on the device (fsync of the file, then of the folder naming it).


/** Flushes a folder, so a rename or a new name in it survives a power cut. */
async function fsyncDir(path) {
    const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(path, "r");
    try {
        await handle.sync();
    }
    finally {
        await handle.close();
    }
}
/** Creates `path` (never following or replacing an existing name: O_EXCL) and flushes it. */
async function writeNewFile(path, body, signal) {
    const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(path, "wx", 0o644);
    try {
        await handle.writeFile(body, { signal });
        await handle.sync();
    }
    finally {
        await handle.close();
    }
}
/** temp file + fsync + rename + folder fsync: readers see the old file or the new one. */
async function replaceFile(path, body, signal) {
    const temp = `${path}.tmp-${process.pid}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString("hex")}`;
    try {
        await writeNewFile(temp, body, signal);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(temp, path);
    }
    catch (err) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(temp, { force: true });
        throw err;
    }
    await fsyncDir(path.slice(0, Math.max(path.lastIndexOf("/"), 1)));
}


/***/ }),

/***/ 37638:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fj: () => (/* binding */ configError),
/* harmony export */   Xu: () => (/* binding */ inputError),
/* harmony export */   as: () => (/* binding */ isRelayError),
/* harmony export */   bD: () => (/* binding */ messageOf),
/* harmony export */   cx: () => (/* binding */ RelayError)
/* harmony export */ });
class RelayError extends Error {
    kind;
    constructor(kind, message, options) {
        super(message, options);
        this.kind = kind;
        this.name = "RelayError";
    }
}
const configError = (message) => new RelayError("config", message);
const inputError = (message) => new RelayError("input", message);
function isRelayError(err, kind) {
    return err instanceof RelayError && (kind === undefined || err.kind === kind);
}
/** The message of anything thrown, for logs and results. */
function messageOf(err) {
    return err instanceof Error ? err.message : String(err);
}


/***/ }),

/***/ 83543:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   IF: () => (/* binding */ CLI_HINTS),
/* harmony export */   Lr: () => (/* binding */ speak),
/* harmony export */   US: () => (/* binding */ CLI_VOCABULARY)
/* harmony export */ });
/* harmony import */ var _settings__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(16452);
// A front end's words in core's hints. Core's messages say what to fix; the front end says where: a
// CLI flag or an action input. Modules that make a hint take `Hints` (default the CLI's); the rest of
// a message names settings by their flag, and `speak` says them as the front end does. Core itself
// knows no front end's words beyond the CLI's defaults.

const CLI_VOCABULARY = {
    cloudToken: "--cloud-token or ATLAS_TOKEN",
    dirName: "--dir-name",
    keepGrants: "cache ~/.migrate-relay/grants between runs, or point --grant-dir / MIGRATE_RELAY_HOME at a kept folder",
    setting: _settings__WEBPACK_IMPORTED_MODULE_0__/* .flagName */ .GI,
};
const CLI_HINTS = CLI_VOCABULARY;
// The flags core's hints name. Only these are rewritten, so `-- comment` in SQL or a server's text
// stays as it is.
const HINT_FLAGS = /(^|[\s(,])--(cloud-token|dir-name|url|env|var|config|grant-dir)\b/g;
/** `text` with core's hints in the front end's words. */
function speak(text, vocabulary = CLI_VOCABULARY) {
    if (vocabulary === CLI_VOCABULARY)
        return text;
    return text.replace(HINT_FLAGS, (_, before, name) => `${before}${vocabulary.setting(name)}`);
}


/***/ }),

/***/ 11053:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  PVc: () => (/* reexport */ src_settings/* DEFAULT_CONFIG */.PV),
  od_: () => (/* reexport */ src_settings/* DEFAULT_CONNECT_TIMEOUT_MS */.od),
  eJH: () => (/* reexport */ src_settings/* DEFAULT_DIR */.eJ),
  vBi: () => (/* reexport */ src_settings/* DEFAULT_EXEC_ORDER */.vB),
  jhN: () => (/* reexport */ src_settings/* DEFAULT_GRANT_TTL_MS */.jh),
  MK0: () => (/* reexport */ src_settings/* DEFAULT_HEALTH_TIMEOUT_MS */.MK),
  L$M: () => (/* reexport */ src_settings/* DEFAULT_LOCK_TIMEOUT_MS */.L$),
  rit: () => (/* reexport */ src_settings/* DEFAULT_PARALLELISM */.ri),
  X32: () => (/* reexport */ src_settings/* DEFAULT_PULL_RETRIES */.X3),
  vNM: () => (/* reexport */ src_settings/* DEFAULT_PULL_TIMEOUT_MS */.vN),
  G94: () => (/* reexport */ src_settings/* DEFAULT_PUSH_RETRIES */.G9),
  w3H: () => (/* reexport */ src_settings/* DEFAULT_PUSH_TIMEOUT_MS */.w3),
  xsi: () => (/* reexport */ src_settings/* DEFAULT_SYNC_RETRIES */.xs),
  fLq: () => (/* reexport */ src_settings/* DEFAULT_TAG */.fL),
  dv4: () => (/* reexport */ src_settings/* DEFAULT_TX_MODE */.dv),
  HSg: () => (/* reexport */ DEPLOYMENT_TITLE),
  A0N: () => (/* reexport */ GrantStore),
  YX3: () => (/* reexport */ PullError),
  d2c: () => (/* reexport */ ROLLOUT_STOPPED_TITLE),
  P4N: () => (/* reexport */ src_dir/* SUM_FILE */.P4),
  SbZ: () => (/* reexport */ src_secrets/* Secrets */.Sb),
  SvU: () => (/* reexport */ appliedFileLine),
  "do": () => (/* reexport */ applyFleet),
  OLg: () => (/* reexport */ applyOptionsOf),
  Xkb: () => (/* reexport */ applyOutputs),
  QoK: () => (/* reexport */ applyRunTitle),
  tbn: () => (/* reexport */ applyStartLine),
  OVZ: () => (/* reexport */ applyStatusText),
  HDC: () => (/* reexport */ applySummary),
  Gv2: () => (/* reexport */ applyTargetsOf),
  WrS: () => (/* reexport */ atlasApplyJson),
  VHr: () => (/* reexport */ atlasApplyText),
  AMx: () => (/* reexport */ atlasPushJson),
  A5x: () => (/* reexport */ atlasStatusJson),
  rDW: () => (/* reexport */ atlasStatusText),
  EUT: () => (/* reexport */ attemptLogLine),
  Afx: () => (/* reexport */ attemptTitle),
  f2J: () => (/* reexport */ defaultGrantDir),
  COB: () => (/* reexport */ deploymentLine),
  ze1: () => (/* reexport */ deploymentMarkdown),
  Tah: () => (/* reexport */ dirLoader),
  Jz_: () => (/* reexport */ src_dir/* dirPath */.Jz),
  yR_: () => (/* reexport */ dirStatus),
  vnG: () => (/* reexport */ src_secrets/* envSecrets */.vn),
  N5m: () => (/* reexport */ errorSummary),
  Wx_: () => (/* reexport */ failedStatus),
  g5: () => (/* reexport */ failureOf),
  TVk: () => (/* reexport */ fleetCountsLine),
  l98: () => (/* reexport */ fleetSettingsOf),
  _VG: () => (/* reexport */ markdown_formatMs),
  YTL: () => (/* reexport */ src_dir/* hashDir */.YT),
  AgD: () => (/* reexport */ healthStatusText),
  pI7: () => (/* reexport */ healthSummary),
  Phd: () => (/* reexport */ healthTable),
  Xum: () => (/* reexport */ src_errors/* inputError */.Xu),
  Nnt: () => (/* reexport */ inspect),
  bs2: () => (/* reexport */ src_settings/* isRegistryUrl */.bs),
  asP: () => (/* reexport */ src_errors/* isRelayError */.as),
  Eog: () => (/* reexport */ laggingLine),
  $MR: () => (/* reexport */ laggingText),
  GA0: () => (/* reexport */ layerRepoConfig),
  yaP: () => (/* reexport */ loadEnv),
  bDE: () => (/* reexport */ src_errors/* messageOf */.bD),
  B8X: () => (/* reexport */ openRepo),
  E9z: () => (/* reexport */ parseDuration),
  Xc$: () => (/* reexport */ parseFormat),
  YFd: () => (/* reexport */ parseVarFlags),
  a$H: () => (/* reexport */ pull),
  VCO: () => (/* reexport */ push),
  aPY: () => (/* reexport */ pushGroupTitle),
  $7v: () => (/* reexport */ pushOutputs),
  Ifz: () => (/* reexport */ pushStatusText),
  tf: () => (/* reexport */ pushSummary),
  wCK: () => (/* reexport */ pushTargetLine),
  e19: () => (/* reexport */ pushTargetTitle),
  Bkr: () => (/* reexport */ pushedUrl),
  CiP: () => (/* reexport */ src_dir/* readDir */.Ci),
  A$l: () => (/* reexport */ readStateLine),
  BeR: () => (/* reexport */ readingLine),
  BOE: () => (/* reexport */ src_secrets/* redactUrl */.BO),
  NwG: () => (/* reexport */ replayDir),
  wxD: () => (/* reexport */ replayLine),
  zbs: () => (/* reexport */ reportDeployments),
  Llh: () => (/* reexport */ rolloutStoppedLine),
  wXc: () => (/* reexport */ runContextFromEnv),
  PeC: () => (/* reexport */ src_settings/* setting */.Pe),
  LrH: () => (/* reexport */ src_hints/* speak */.Lr),
  r9p: () => (/* reexport */ stateText),
  _lm: () => (/* reexport */ src_dir/* sumTotal */._l),
  OH5: () => (/* reexport */ sync),
  $2W: () => (/* reexport */ syncStatusText),
  wGv: () => (/* reexport */ syncStepLine),
  wYX: () => (/* reexport */ syncSummary),
  hDX: () => (/* reexport */ targetKey),
  zDY: () => (/* reexport */ tokenSha256),
  Y6r: () => (/* reexport */ src_dir/* validateDir */.Y6),
  Zj7: () => (/* reexport */ src_dir/* writeDir */.Zj)
});

// UNUSED EXPORTS: APPLY_LOCK_KEY, APPLY_LOCK_NAME, BlobReplica, CLI_HINTS, CLI_VOCABULARY, CloudReplica, DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CLOUD_URL, DEFAULT_HEALTH_RETRIES, DEFAULT_MAX_ARCHIVE_BYTES, DEFAULT_PG_CONNECT_TIMEOUT_MS, DEFAULT_REPORT_TIMEOUT_MS, DEFAULT_REVISIONS_SCHEMA, DEFAULT_RUNTIMEVAR_TIMEOUT_MS, FLEET_OUTCOMES, FormatTemplate, MAX_DURATION_MS, OPERATOR_VERSION, POSTGRES_PARAMS, POSTGRES_SPLIT, RELAY_VERSION, REVISIONS_TABLE, REVISION_TYPE, RelayError, SUM_FIX, TEMPLATE_SUPPORTED, appliedStateOf, applyDir, archiveDir, atlasActionRuns, atlasFile, atlasUrl, buildState, checkApplyOptions, checkSlug, checkTag, checkVersion, codeSpan, compareNames, compareVersions, configError, configPath, createTableSql, deadlineSignal, decideLatest, delimiterDirective, digestOf, directiveOf, emptyResult, emptyStatus, escapeCell, escapeHtml, escapeInline, extendsState, extendsSum, failedResult, fileDirectives, fileNameProblem, fileStatements, flagName, formatBytes, given, goDuration, headerComments, interpret, isEligible, isPlainName, isSumIgnored, latestDetail, migrationFile, openReplica, openSpec, originOf, outcomeOf, parseManifest, parseName, parsePostgresUrl, parseReplicaUrl, parseShard, parseSum, planFallback, planPending, redact, repoConfigOf, resolveEnvFromSource, runOutcome, secretsOf, shardOf, sortFiles, splitStatements, sumLines, targetKind, totalOf, trailText, unarchiveDir, unescapeDelimiter, verifyFetched, withoutUserInfo

// EXTERNAL MODULE: ./packages/core/src/dir/sum.ts
var sum = __webpack_require__(20314);
// EXTERNAL MODULE: ./packages/core/src/errors.ts
var src_errors = __webpack_require__(37638);
// EXTERNAL MODULE: ./packages/core/src/secrets.ts
var src_secrets = __webpack_require__(87620);
// EXTERNAL MODULE: ./packages/core/src/settings.ts
var src_settings = __webpack_require__(16452);
;// CONCATENATED MODULE: ./packages/core/src/apply/revisions.ts
/** Written to operator_version; a unit test keeps it equal to packages/core/package.json. */
const OPERATOR_VERSION = "migrate-relay 0.1.0";
const REVISIONS_TABLE = "atlas_schema_revisions";
/** Atlas's default schema for the table when the URL names no schema. */
const DEFAULT_REVISIONS_SCHEMA = "atlas_schema_revisions";
/** Atlas Cloud's row that identifies the table; never a migration. */
const CLOUD_IDENTIFIER = ".atlas_cloud_identifier";
const quote = (ident) => `"${ident.replace(/"/g, '""')}"`;
/** `"schema"."atlas_schema_revisions"`. */
const tableName = (schema) => `${quote(schema)}.${quote(REVISIONS_TABLE)}`;
/** The revisions schema: explicit option, else the URL's search_path, else Atlas's default. */
function revisionsSchemaFor(option, urlSchema) {
    return option || urlSchema || DEFAULT_REVISIONS_SCHEMA;
}
/** The DDL ent generates for Atlas's Revision schema (column names, types, defaults, nullability). */
function createTableSql(schema) {
    return `CREATE TABLE IF NOT EXISTS ${tableName(schema)} (
  "version" character varying NOT NULL,
  "description" character varying NOT NULL,
  "type" bigint NOT NULL DEFAULT 2,
  "applied" bigint NOT NULL DEFAULT 0,
  "total" bigint NOT NULL DEFAULT 0,
  "executed_at" timestamptz NOT NULL,
  "execution_time" bigint NOT NULL,
  "error" text NULL,
  "error_stmt" text NULL,
  "hash" character varying NOT NULL,
  "partial_hashes" jsonb NULL,
  "operator_version" character varying NOT NULL,
  PRIMARY KEY ("version")
)`;
}
async function tableState(client, schema) {
    const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS s,
            EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')) AS t`, [schema, REVISIONS_TABLE]);
    return { schemaExists: rows[0]?.s === true, tableExists: rows[0]?.t === true };
}
/** Creates the schema and table when missing (checking first: CREATE SCHEMA needs a privilege even with IF NOT EXISTS). */
async function ensureRevisionsTable(client, schema, state) {
    const { schemaExists, tableExists } = state ?? (await tableState(client, schema));
    if (tableExists)
        return;
    if (!schemaExists)
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`);
    await client.query(createTableSql(schema));
}
/** All revisions in version order (byte order, as Atlas compares versions); [] when the table is missing. */
async function readRevisions(client, schema, exists) {
    if (exists === false)
        return [];
    if (exists === undefined && !(await tableState(client, schema)).tableExists)
        return [];
    const { rows } = await client.query(`SELECT * FROM ${tableName(schema)} WHERE version <> $1`, [
        CLOUD_IDENTIFIER,
    ]);
    return rows
        .map((r) => ({
        version: r.version,
        description: r.description,
        type: Number(r.type),
        applied: Number(r.applied),
        total: Number(r.total),
        executedAt: r.executed_at,
        executionTime: BigInt(r.execution_time),
        error: r.error ?? "",
        errorStmt: r.error_stmt ?? "",
        hash: r.hash,
        partialHashes: Array.isArray(r.partial_hashes) ? r.partial_hashes : [],
        operatorVersion: r.operator_version,
    }))
        .sort((a, b) => compareBytes(a.version, b.version));
}
/** Go's strings.Compare: by UTF-8 bytes, not locale. */
function compareBytes(a, b) {
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
/** Marks a file's start inside the run's transaction (tx-mode all), for the server to time it. */
const FILE_CLOCK_SQL = "SELECT set_config('migrate_relay.file_started', clock_timestamp()::text, false)";
const MARKED_START = "current_setting('migrate_relay.file_started')::timestamptz";
const elapsedNs = (start) => `(extract(epoch FROM clock_timestamp() - ${start}) * 1000000000)::bigint`;
/**
 * The upsert Atlas's ent client does (ON CONFLICT ... UpdateNewValues): every column but the immutable
 * version, description and executed_at is overwritten.
 */
function upsertRevision(schema, w) {
    const values = [
        w.version,
        w.description,
        w.type,
        w.applied,
        w.total,
        w.error,
        w.errorStmt,
        w.hash,
        // ent stores a nil []string as JSON null.
        JSON.stringify(w.partialHashes.length ? w.partialHashes : null),
        OPERATOR_VERSION,
    ];
    let executedAt = "now()";
    let executionTime = elapsedNs("now()");
    if (w.clock === "marked") {
        executedAt = MARKED_START;
        executionTime = elapsedNs(MARKED_START);
    }
    else if (w.clock !== "tx") {
        values.push(w.clock.executedAt.toISOString(), String(w.clock.executionTimeNs));
        executedAt = "$11::timestamptz";
        executionTime = "$12::bigint";
    }
    const text = `INSERT INTO ${tableName(schema)}
  ("version", "description", "type", "applied", "total", "executed_at", "execution_time",
   "error", "error_stmt", "hash", "partial_hashes", "operator_version")
VALUES ($1, $2, $3, $4, $5, ${executedAt}, ${executionTime}, $6, $7, $8, $9::jsonb, $10)
ON CONFLICT ("version") DO UPDATE SET
  "type" = EXCLUDED."type", "applied" = EXCLUDED."applied", "total" = EXCLUDED."total",
  "execution_time" = EXCLUDED."execution_time", "error" = EXCLUDED."error",
  "error_stmt" = EXCLUDED."error_stmt", "hash" = EXCLUDED."hash",
  "partial_hashes" = EXCLUDED."partial_hashes", "operator_version" = EXCLUDED."operator_version"`;
    return { text, values };
}
/** The same query with its values written in as literals, to travel inside a multi-statement message. */
function inlineQuery(q) {
    return q.text.replace(/\$(\d+)/g, (_, n) => {
        const v = q.values[Number(n) - 1];
        return typeof v === "number" ? String(v) : escapeLiteral(String(v));
    });
}
/** PostgreSQL string literal; E'' form when backslashes are present (as pg's escapeLiteral). */
function escapeLiteral(text) {
    const quoted = `'${text.replace(/'/g, "''").replace(/\\/g, "\\\\")}'`;
    return text.includes("\\") ? ` E${quoted}` : quoted;
}

;// CONCATENATED MODULE: ./packages/core/src/apply/clean.ts

/**
 * Schemas (with their tables) the way Atlas inspects a realm (sql/postgres/inspect.go schemasQuery and
 * tablesQuery): system and temp schemas left out; tables from information_schema.tables, so only those
 * the user owns or holds a privilege on, and not partitions nor tables that belong to an extension
 * (PostGIS's spatial_ref_sys in public does not make a database dirty).
 */
async function schemas(client, only) {
    const { rows } = await client.query(`SELECT n.nspname AS schema,
            coalesce(array_agg(t.name ORDER BY t.name) FILTER (WHERE t.name IS NOT NULL), '{}')::text[] AS tables
       FROM pg_namespace n
       LEFT JOIN (
         SELECT t1.table_schema::text AS schema, t1.table_name::text AS name
           FROM information_schema.tables t1
           JOIN pg_namespace t2 ON t2.nspname = t1.table_schema
           JOIN pg_class t3 ON t3.relnamespace = t2.oid AND t3.relname = t1.table_name
           LEFT JOIN pg_depend t5 ON t5.objid = t3.oid AND t5.deptype = 'e'
          WHERE t1.table_type = 'BASE TABLE' AND NOT coalesce(t3.relispartition, false) AND t5.objid IS NULL
       ) t ON t.schema = n.nspname
      WHERE n.nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast', 'crdb_internal', 'pg_extension')
        AND n.nspname NOT LIKE 'pg_%temp_%'
        AND ($1::text IS NULL OR n.nspname = $1)
      GROUP BY n.nspname ORDER BY n.nspname`, [only ?? null]);
    return new Map(rows.map((r) => [r.schema, r.tables]));
}
/**
 * Why the database is not clean, or null when it is. With a schema-bound URL only that schema counts;
 * otherwise every schema: only an empty `public` and the revisions table's own schema are allowed.
 */
async function notCleanReason(client, connectedSchema, revisionsSchema) {
    if (connectedSchema) {
        const tables = (await schemas(client, connectedSchema)).get(connectedSchema) ?? [];
        const onlyRevisions = tables.length === 1 && tables[0] === REVISIONS_TABLE && connectedSchema === revisionsSchema;
        if (tables.length === 0 || onlyRevisions)
            return null;
        return `found table "${tables[0]}" in schema "${connectedSchema}"`;
    }
    for (const [name, tables] of await schemas(client)) {
        if (tables.length === 0 && name === "public")
            continue;
        if (tables.length === 0 || name !== revisionsSchema)
            return `found schema "${name}"`;
        if (tables.length > 1)
            return `found ${tables.length} tables in schema "${name}"`;
        if (tables[0] !== REVISIONS_TABLE)
            return `found table "${tables[0]}" in schema "${name}"`;
    }
    return null;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(83849);
;// CONCATENATED MODULE: ./packages/core/src/apply/connection.ts
// PostgreSQL URLs as Atlas users write them -> pg client config, and connection errors a user can act on.





const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];
// Query parameters that configure the connection itself; any other is sent as a server setting, as lib/pq does.
const CLIENT_PARAMS = new Set([...src_secrets/* POSTGRES_PARAMS */.fr, "password"]);
/** Parses `postgres://user:pass@host:port/db?search_path=s&sslmode=disable`. Throws a config error. */
function parsePostgresUrl(raw) {
    const display = (0,src_secrets/* redactUrl */.BO)(raw);
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        throw (0,src_errors/* configError */.Fj)(`database URL ${display} is not a URL; expected postgres://user:pass@host:5432/db`);
    }
    if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
        throw (0,src_errors/* configError */.Fj)(`database URL ${display}: unsupported scheme "${url.protocol}"; expected postgres://`);
    }
    const q = url.searchParams;
    const sslMode = (q.get("sslmode") ?? "prefer");
    if (!SSL_MODES.includes(sslMode)) {
        throw (0,src_errors/* configError */.Fj)(`database URL ${display}: sslmode "${sslMode}" is not one of ${SSL_MODES.join(", ")}`);
    }
    const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || q.get("dbname") || "";
    const searchPath = q.get("search_path") ?? undefined;
    const settings = [];
    if (searchPath)
        settings.push(`-c search_path=${escapeOption(searchPath)}`);
    for (const [key, value] of q) {
        if (!CLIENT_PARAMS.has(key))
            settings.push(`-c ${key}=${escapeOption(value)}`);
    }
    if (q.get("options"))
        settings.unshift(q.get("options"));
    const timeout = q.get("connect_timeout");
    const config = {
        host: url.hostname
            ? decodeURIComponent(url.hostname).replace(/^\[|\]$/g, "")
            : (q.get("host") ?? undefined),
        port: Number(url.port || q.get("port") || 5432),
        user: decodeURIComponent(url.username) || q.get("user") || undefined,
        password: url.password ? decodeURIComponent(url.password) : (q.get("password") ?? undefined),
        database: database || undefined,
        application_name: q.get("application_name") ?? "migrate-relay",
        connectionTimeoutMillis: timeout ? Number(timeout) * 1000 : src_settings/* DEFAULT_PG_CONNECT_TIMEOUT_MS */.Se,
        options: settings.length ? settings.join(" ") : undefined,
    };
    const ssl = {};
    // require/prefer/allow encrypt without verifying the certificate, as libpq does without a root cert.
    if (sslMode === "require" || sslMode === "prefer" || sslMode === "allow")
        ssl.rejectUnauthorized = false;
    if (sslMode === "verify-ca")
        ssl.checkServerIdentity = () => undefined;
    for (const [param, key] of [
        ["sslrootcert", "ca"],
        ["sslcert", "cert"],
        ["sslkey", "key"],
    ]) {
        const path = q.get(param);
        if (!path)
            continue;
        try {
            ssl[key] = (0,external_node_fs_.readFileSync)(path, "utf8");
        }
        catch (err) {
            throw (0,src_errors/* configError */.Fj)(`database URL ${display}: cannot read ${param} ${path}: ${err.message}`);
        }
    }
    const schema = searchPath
        ?.split(",")[0]
        ?.trim()
        .replace(/^"(.*)"$/, "$1");
    return {
        config,
        sslMode,
        ssl,
        schema: schema || undefined,
        database: database || config.user || "",
        display,
        secrets: (0,src_secrets/* secretsOf */.Fj)(raw),
    };
}
// libpq's `options` splits on spaces; a backslash keeps one.
const escapeOption = (value) => value.replace(/\\/g, "\\\\").replace(/ /g, "\\ ");
/**
 * Opens a connection. sslmode follows libpq: prefer (the default) tries TLS then plain, allow the
 * reverse, require/verify-* insist on TLS. Errors become RelayErrors naming the redacted URL.
 */
async function connect(target, extra = {}) {
    const attempts = target.sslMode === "disable"
        ? [false]
        : target.sslMode === "allow"
            ? [false, target.ssl]
            : target.sslMode === "prefer"
                ? [target.ssl, false]
                : [target.ssl];
    let last;
    for (const [i, ssl] of attempts.entries()) {
        const client = new esm/* default.Client */.Ay.Client({ ...target.config, ...extra, ssl });
        // A backend killed while idle surfaces as an 'error' event; without a listener Node would crash.
        client.on("error", () => undefined);
        try {
            await client.connect();
            return client;
        }
        catch (err) {
            last = err;
            await client.end().catch(() => undefined);
            // Fall back to the other transport only when TLS itself was the problem.
            const retryable = i + 1 < attempts.length && isTransportError(err);
            if (!retryable)
                break;
        }
    }
    throw connectionError(last, target);
}
function isTransportError(err) {
    const message = err?.message ?? "";
    const code = err?.code ?? "";
    return (/does not support SSL|SSL|TLS|certificate|EPROTO|ECONNRESET/i.test(message) ||
        /^ERR_TLS|^ERR_SSL|EPROTO|ECONNRESET/.test(code) ||
        code === "28000" // pg_hba rejects this transport ("no pg_hba.conf entry ... SSL off/on")
    );
}
/** Maps a pg/socket error during connect to a RelayError with an actionable, secret-free message. */
function connectionError(err, target) {
    const e = err;
    const raw = (0,src_secrets/* redact */.E$)(e?.message ?? String(err), target.secrets);
    const where = target.display;
    const user = target.config.user ?? "(default user)";
    const wrap = (kind, message) => new src_errors/* RelayError */.cx(kind, message, { cause: err });
    switch (e?.code) {
        case "28P01":
            return wrap("unauthorized", `password authentication failed for user "${user}" at ${where}`);
        case "28000":
            return wrap("unauthorized", `the server at ${where} refused the connection: ${raw}`);
        case "3D000":
            return wrap("not-found", `database "${target.database}" does not exist on the server at ${where}; create it or fix the URL`);
        case "ECONNREFUSED":
            return wrap("unreachable", `cannot connect to ${where}: connection refused (is the server running?)`);
        case "ENOTFOUND":
        case "EAI_AGAIN":
            return wrap("unreachable", `cannot connect to ${where}: host "${target.config.host}" not found`);
        case "ETIMEDOUT":
            return wrap("unreachable", `cannot connect to ${where}: timed out`);
    }
    if (/client password must be a string|password.*(required|must be)/i.test(raw) && !target.config.password) {
        return wrap("unauthorized", `the server at ${where} asks for a password for user "${user}" but the URL has none; add it as postgres://${user}:PASSWORD@...`);
    }
    if (/does not support SSL/i.test(raw)) {
        return wrap("unreachable", `the server at ${where} does not accept TLS but sslmode=${target.sslMode} requires it; use sslmode=disable or prefer, or enable SSL on the server`);
    }
    if (/timeout/i.test(raw))
        return wrap("unreachable", `cannot connect to ${where}: ${raw}`);
    if (/certificate|self.signed|unable to verify/i.test(raw)) {
        return wrap("unreachable", `TLS certificate of ${where} rejected (sslmode=${target.sslMode}): ${raw}`);
    }
    return wrap("unreachable", `cannot connect to ${where}: ${raw}`);
}
/** Ends a client without throwing (the connection may already be gone). */
async function closeQuietly(client) {
    if (!client)
        return;
    await Promise.race([client.end().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
}

// EXTERNAL MODULE: ./packages/core/src/dir/directives.ts
var dir_directives = __webpack_require__(36843);
// EXTERNAL MODULE: ./packages/core/src/dir/split.ts
var split = __webpack_require__(81113);
;// CONCATENATED MODULE: ./packages/core/src/apply/batch.ts
// One simple-query message holding many statements, with the commands that completed counted, so a
// failure can be pinned to the statement that caused it (the server stops at the first error).

/**
 * pg's own Query (so it may share a pipelined connection) that also records the tag of every command
 * that completed.
 */
class CountingQuery extends esm/* default.Query */.Ay.Query {
    completed = [];
    handleCommandComplete(msg, connection) {
        this.completed.push(msg.text ?? "");
        esm/* default.Query */.Ay.Query.prototype.handleCommandComplete.call(this, msg, connection);
    }
}
/** Sends `text` as one Query message; resolves (never rejects) once the server is done with it. */
function runBatch(client, text) {
    return new Promise((resolve) => {
        const query = new CountingQuery(text, (error) => {
            resolve({ completed: query.completed, ...(error ? { error } : {}) });
        });
        client.query(query);
    });
}
/**
 * Parses `sql` as one statement without running it (extended protocol Parse + Sync); resolves to the
 * server's error, if any. Raw parsing only for DDL; for queries the server also resolves names.
 */
function parsesAlone(client, sql) {
    return new Promise((resolve) => {
        const query = new esm/* default.Query */.Ay.Query(sql, undefined, (error) => resolve(error ?? undefined));
        // Only the submit differs from pg's Query: Parse of the unnamed statement, then Sync.
        query.submit = (connection) => {
            connection.parse({ text: sql, name: "", types: [] }, false);
            connection.sync();
            return null;
        };
        client.query(query);
    });
}
/**
 * True when `sql` holds no statement, only comments, whitespace and semicolons: the server sends no
 * CommandComplete for such a piece of a multi-statement message.
 */
function isBlankSql(sql) {
    let i = 0;
    while (i < sql.length) {
        const c = sql[i];
        if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === ";")
            i++;
        else if (sql.startsWith("--", i)) {
            const nl = sql.indexOf("\n", i);
            i = nl === -1 ? sql.length : nl + 1;
        }
        else if (sql.startsWith("/*", i)) {
            let depth = 1; // PostgreSQL block comments nest
            i += 2;
            while (i < sql.length && depth > 0) {
                const step = sql.startsWith("/*", i) ? 1 : sql.startsWith("*/", i) ? -1 : 0;
                depth += step;
                i += step === 0 ? 1 : 2;
            }
        }
        else
            return false;
    }
    return true;
}
/**
 * Ends a statement for concatenation. The separator goes on its own line, so a trailing `--` comment
 * cannot swallow it; an extra `;` is an empty statement, which the server skips silently.
 */
const terminated = (sql) => `${sql}\n;`;

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./packages/core/src/apply/chain.ts
// The commit chain: a file's message runs only if the file before it committed.
//
// Pipelined files are all on the wire before any answer is read, so "stop after a failure" cannot be
// decided by the client. The server decides: just before its COMMIT each file sets a session setting
// to its own mark (set_config(..., false)); a setting changed in a transaction that does not commit
// is rolled back with it (PostgreSQL docs, set_config). The next file's message starts, after BEGIN,
// with a check that fails unless the setting holds its predecessor's mark. A failed file (rejected at
// parse time, failed at run time, or failed at COMMIT) leaves the old mark, so every file behind it
// fails at its check, and so on down the queue: none of their statements run.

const SETTING = "migrate_relay.committed";
class CommitChain {
    /** Per run, so a mark left in the session by anything earlier never matches. */
    run = (0,external_node_crypto_.randomBytes)(8).toString("hex");
    count = 0;
    /** Sets the first mark (run before the first file). */
    start() {
        return setMark(this.markOf(0));
    }
    /** The check and mark of the next file in run order. */
    next() {
        const previous = this.markOf(this.count);
        this.count++;
        return { check: checkMark(previous), mark: setMark(this.markOf(this.count)) };
    }
    markOf(n) {
        return `${this.run}:${n}`;
    }
}
const setMark = (mark) => `SELECT pg_catalog.set_config('${SETTING}', '${mark}', false)`;
/**
 * Casting the message text to int is the error (no plpgsql needed). The condition reads a setting, so
 * the planner cannot fold the CASE away and the cast only runs on a mismatch.
 */
const checkMark = (mark) => `SELECT (CASE WHEN pg_catalog.current_setting('${SETTING}', true) = '${mark}' THEN '1' ELSE 'the previous migration file did not commit' END)::int`;

;// CONCATENATED MODULE: ./packages/core/src/apply/hashes.ts
// The hashes Atlas stores per revision: the file's atlas.sum hash and cumulative statement hashes.

/**
 * One running SHA-256 over the statement texts; entry i is base64 of the digest after statement i,
 * so each hash covers every earlier statement (Atlas's partial_hashes, stored with an `h1:` prefix).
 */
function statementHashes(statements) {
    const hash = (0,external_node_crypto_.createHash)("sha256");
    return statements.map((text) => {
        hash.update(text, "utf8");
        return hash.copy().digest("base64");
    });
}
/** The `h1:` hash atlas.sum lists for a file (without the prefix); "" when it has no line (sum ignore). */
function sumHashes(sum) {
    const out = new Map();
    if (!sum)
        return out;
    const lines = Buffer.from(sum).toString("utf8").split("\n").slice(1);
    for (const line of lines) {
        const at = line.lastIndexOf(" h1:");
        if (at > 0)
            out.set(line.slice(0, at), line.slice(at + 4));
    }
    return out;
}

;// CONCATENATED MODULE: ./packages/core/src/apply/types.ts
const REVISION_TYPE = { baseline: 1, execute: 2, resolved: 4 };

;// CONCATENATED MODULE: ./packages/core/src/apply/execute.ts









const TX_CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT|PREPARE\s+TRANSACTION)\b/i;
/** Directives, tx mode (with Atlas's conflict rule) and statements of each file, before anything runs. */
function prepareFiles(files, globalMode, sums) {
    return files.map((file) => {
        const directives = (0,dir_directives/* fileDirectives */.fz)(file.content, file.name);
        let mode = globalMode;
        const own = directives.txmode;
        if (own && own !== globalMode) {
            if (globalMode === "all") {
                throw new src_errors/* RelayError */.cx("migration", `cannot set txmode directive to "${own}" in "${file.name}" when txmode "all" is set globally`);
            }
            mode = own;
        }
        checkUtf8(file);
        let statements;
        try {
            statements = (0,split/* fileStatements */.Hl)(file).map((s) => ({ text: s.text, line: s.line }));
        }
        catch (err) {
            throw new src_errors/* RelayError */.cx("migration", `${file.name}: cannot split statements: ${(0,src_errors/* messageOf */.bD)(err)}`, {
                cause: err,
            });
        }
        return {
            file,
            mode,
            statements,
            hashes: statementHashes(statements.map((s) => s.text)),
            sumHash: sums.get(file.name) ?? "",
            batchable: directives.delimiter === undefined,
            endsTx: statements.some((st) => TX_CONTROL.test(st.text)),
        };
    });
}
/**
 * The connection's client_encoding is UTF8 (pg's), so the server takes a file's bytes only when they are
 * valid UTF-8: anything else would be replaced on the way and applied as other text than the file and
 * its atlas.sum line hold. Refused before anything runs, naming where.
 */
function checkUtf8(file) {
    const at = invalidUtf8At(file.content);
    if (at === -1)
        return;
    const bytes = file.content.subarray(at, at + 4);
    let line = 1;
    for (let i = 0; i < at; i++)
        if (file.content[i] === 0x0a)
            line++;
    const shown = Array.from(bytes.subarray(0, 2), (b) => `0x${b.toString(16).padStart(2, "0")}`).join(" ");
    throw new src_errors/* RelayError */.cx("migration", `${file.name}: line ${line}, byte offset ${at}: the bytes ${shown} are not valid UTF-8, the encoding the server is sent; save the file as UTF-8 (nothing was run)`);
}
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
/** Offset of the first byte that does not start a valid UTF-8 sequence, or -1. */
function invalidUtf8At(bytes) {
    try {
        strictUtf8.decode(bytes);
        return -1;
    }
    catch { }
    for (let i = 0; i < bytes.length;) {
        const n = utf8SequenceLength(bytes, i);
        if (n === 0)
            return i;
        i += n;
    }
    return -1;
}
/** Length of the valid UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or > U+10FFFF), or 0. */
function utf8SequenceLength(b, i) {
    const c = b[i];
    if (c < 0x80)
        return 1;
    const cont = (k, lo = 0x80, hi = 0xbf) => {
        const x = b[i + k];
        return x !== undefined && x >= lo && x <= hi;
    };
    if (c >= 0xc2 && c <= 0xdf)
        return cont(1) ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        const lo = c === 0xe0 ? 0xa0 : 0x80;
        const hi = c === 0xed ? 0x9f : 0xbf;
        return cont(1, lo, hi) && cont(2) ? 3 : 0;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        const lo = c === 0xf0 ? 0x90 : 0x80;
        const hi = c === 0xf4 ? 0x8f : 0xbf;
        return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
}
const H1 = "h1:";
const stripH1 = (h) => (h.startsWith(H1) ? h.slice(H1.length) : h);
/** Server-side session failures: the connection is gone, whatever statement was running. */
const CONNECTION_LOST = new Set(["57P01", "57P02", "57P03", "08000", "08003", "08006"]);
function isConnectionError(err) {
    const code = err?.code;
    return code === undefined ? true : CONNECTION_LOST.has(code);
}
/** Files in flight at once on the connection (tx-mode file/all); see runFiles. */
const PIPELINE_DEPTH = 32;
/**
 * Runs the files in order; stops at the first failure. tx-mode all wraps every file in one transaction.
 *
 * Transactional files are pipelined: up to PIPELINE_DEPTH files are on the wire before the first
 * answer is read. What keeps a file from running after a failed one is the commit chain (chain.ts):
 * each file's message first checks the mark its predecessor sets just before its COMMIT, and a mark
 * set in a transaction that did not commit does not exist. So whatever happened to the predecessor
 * (a message rejected at parse time, a run-time error, a failed COMMIT), every file queued behind it
 * fails at its check and changes nothing. Files that end the transaction themselves, files with a
 * custom delimiter and none-mode files wait for everything before them.
 */
async function runFiles(files, ctx) {
    const applied = [];
    const all = files.length > 0 && files.every((f) => f.mode === "all");
    const inFlight = [];
    let failed;
    let lastEnd = performance.now();
    // Takes the oldest file's outcome; after a failure, files behind it report only if they really ran.
    const settleOldest = async () => {
        const done = await inFlight.shift();
        const ms = done.end - Math.max(done.start, lastEnd);
        lastEnd = done.end;
        done.file.ms = Math.round(ms * 10) / 10;
        if (failed && done.error)
            return;
        applied.push(done.file);
        ctx.onFile?.(done.file);
        if (done.error)
            failed = done.error;
    };
    const drain = async () => {
        while (inFlight.length)
            await settleOldest();
    };
    // The statement running when the signal comes is cancelled: its file fails and rolls back, and the
    // commit chain keeps everything queued behind it from running.
    const onAbort = () => void ctx.cancel?.().catch(() => undefined);
    ctx.signal?.addEventListener("abort", onAbort, { once: true });
    try {
        // Resume checks first: a changed history must stop the run before anything is sent.
        const skips = new Map(files.map((pf) => [pf, resumePoint(pf, ctx.revisions.get(pf.file.version))]));
        if (all)
            await ctx.client.query("BEGIN");
        const chain = new CommitChain();
        await ctx.client.query(chain.start());
        for (const pf of files) {
            if (ctx.signal?.aborted) {
                await drain();
                failed ??= interrupted(ctx.signal, `stopped before ${pf.file.name}`);
            }
            const lost = ctx.lock?.lost();
            if (lost) {
                await drain();
                failed ??= new src_errors/* RelayError */.cx("unreachable", `lost the apply lock (its connection failed: ${(0,src_secrets/* redact */.E$)(lost.message, ctx.secrets)}); stopped before ${pf.file.name}`);
            }
            if (failed)
                break;
            const pipelined = pf.mode !== "none" && pf.batchable && !pf.endsTx;
            if (!pipelined)
                await drain();
            if (failed)
                break;
            const link = pf.mode === "none" ? undefined : chain.next();
            inFlight.push(runFile(pf, ctx, skips.get(pf) ?? 0, link));
            if (!pipelined || inFlight.length >= PIPELINE_DEPTH)
                await settleOldest();
        }
        await drain();
        if (all && !failed) {
            const { command } = await ctx.client.query("COMMIT");
            if (command !== "COMMIT")
                throw new src_errors/* RelayError */.cx("migration", "the transaction of tx-mode all did not commit");
        }
    }
    catch (err) {
        await drain().catch(() => undefined);
        failed ??= runError(err, ctx);
    }
    finally {
        ctx.signal?.removeEventListener("abort", onAbort);
    }
    if (failed && ctx.signal?.aborted && !failed.message.startsWith("interrupted"))
        failed = interrupted(ctx.signal, failed.message);
    if (failed) {
        // Ends the failed file's aborted transaction block (tx-mode all: the run's), after everything queued.
        await ctx.client.query("ROLLBACK").catch(() => undefined);
        if (all)
            for (const f of applied)
                if (!f.error)
                    f.rolledBack = true;
    }
    return failed ? { applied, error: failed } : { applied };
}
function interrupted(signal, what) {
    const by = typeof signal.reason === "string" ? signal.reason : "a signal";
    return new src_errors/* RelayError */.cx("migration", `interrupted by ${by}: ${what}`);
}
/** An error met while running files (a query, a lost connection) as a RelayError, its text redacted. */
function runError(err, ctx) {
    if (err instanceof src_errors/* RelayError */.cx)
        return err;
    const message = (0,src_secrets/* redact */.E$)((0,src_errors/* messageOf */.bD)(err), ctx.secrets);
    if (isConnectionError(err))
        return new src_errors/* RelayError */.cx("unreachable", `connection lost: ${message}`, { cause: err });
    return new src_errors/* RelayError */.cx("migration", message, { cause: err });
}
/** Verifies the statements an earlier run applied are unchanged; returns how many to skip. */
function resumePoint(pf, existing) {
    if (!existing || existing.applied === 0)
        return 0;
    for (let i = 0; i < existing.applied; i++) {
        const stored = existing.partialHashes[i];
        if (i >= pf.hashes.length || stored === undefined || pf.hashes[i] !== stripH1(stored)) {
            throw new src_errors/* RelayError */.cx("conflict", `history changed: statement ${i + 1} from file "${pf.file.name}" changed`);
        }
    }
    return existing.applied;
}
async function runFile(pf, ctx, skip, link) {
    const start = performance.now();
    const existing = ctx.revisions.get(pf.file.version);
    const result = {
        name: pf.file.name,
        version: pf.file.version,
        description: pf.file.description,
        txMode: pf.mode,
        ms: 0,
        statements: 0,
        total: pf.statements.length,
        skipped: skip,
        startedAt: Date.now(),
    };
    const outcome = pf.mode === "none" || !link
        ? await runNone(pf, ctx, existing, skip)
        : await runInTx(pf, ctx, existing, skip, link);
    result.statements = outcome.executed;
    result.stmts = pf.statements.slice(skip, skip + outcome.executed).map((s) => s.text);
    if (outcome.failed)
        result.error = outcome.failed;
    return { file: result, error: outcome.error, start, end: performance.now() };
}
function revisionFor(pf, existing, applied) {
    return {
        version: pf.file.version,
        description: existing?.description ?? pf.file.description,
        type: existing?.type ?? REVISION_TYPE.execute,
        applied,
        total: pf.statements.length,
        error: "",
        errorStmt: "",
        hash: pf.sumHash,
        partialHashes: pf.hashes.slice(0, applied).map((h) => H1 + h),
    };
}
/**
 * What went wrong in statement `index`. `offset` is where the statement starts in the message the
 * server saw, so a syntax error's position becomes a line of the file.
 */
function statementError(pf, index, err, secrets, offset = 0) {
    const e = err;
    const stmt = pf.statements[index];
    const local = e?.position ? Number(e.position) - 1 - offset : -1;
    const chars = Array.from(stmt.text);
    const at = local >= 0 && local <= chars.length ? stmt.line + countLines(chars.slice(0, local).join("")) : undefined;
    return {
        stmt: stmt.text,
        text: (0,src_secrets/* redact */.E$)(e?.message ?? String(err), secrets),
        index: index + 1,
        line: stmt.line,
        ...(at !== undefined && at !== stmt.line ? { at } : {}),
        ...(e?.code ? { code: e.code } : {}),
        ...(e?.detail ? { detail: (0,src_secrets/* redact */.E$)(e.detail, secrets) } : {}),
        ...(e?.hint ? { hint: (0,src_secrets/* redact */.E$)(e.hint, secrets) } : {}),
    };
}
const countLines = (text) => text.split("\n").length - 1;
/** The server counts positions in characters; JS strings count UTF-16 units. */
function codePoints(text) {
    let n = 0;
    for (const _ of text)
        n++;
    return n;
}
const excerpt = (sql) => {
    const one = sql.trim().replace(/\s+/g, " ");
    return one.length > 200 ? `${one.slice(0, 200)}...` : one;
};
function failure(pf, failed, after, lost) {
    const head = lost
        ? `connection lost while applying ${pf.file.name} at statement ${failed.index} (line ${failed.line}): ${failed.text}`
        : `${pf.file.name}: statement ${failed.index} (line ${failed.line}) failed${failed.at ? ` at line ${failed.at}` : ""}: ${failed.text}${failed.code ? ` [${failed.code}]` : ""}`;
    const more = [failed.detail && `\n  detail: ${failed.detail}`, failed.hint && `\n  hint: ${failed.hint}`];
    return new src_errors/* RelayError */.cx(lost ? "unreachable" : "migration", `${head}; ${after}${more.filter(Boolean).join("")}\n  statement: ${excerpt(failed.stmt)}`);
}
/** tx-mode file (own BEGIN/COMMIT) or all (inside the run's transaction). */
async function runInTx(pf, ctx, existing, skip, link) {
    const own = pf.mode === "file";
    const head = [];
    if (own)
        head.push(["BEGIN", "BEGIN"]);
    head.push(["checking the previous file committed", link.check]);
    if (ctx.schema && !own)
        head.push(["starting the file clock", FILE_CLOCK_SQL]);
    const upsert = ctx.schema
        ? inlineQuery(upsertRevision(ctx.schema, {
            ...revisionFor(pf, existing, pf.statements.length),
            clock: own ? "tx" : "marked",
        }))
        : undefined;
    // Deferred constraints fail here, inside the transaction, rather than at COMMIT: the error then
    // belongs to the file with a clear step name (the chain would stop the run either way).
    const tail = [
        ...(own
            ? [["checking deferred constraints", "SET CONSTRAINTS ALL IMMEDIATE"]]
            : []),
        ...(upsert ? [["recording the revision", upsert]] : []),
        ["marking the file committed", link.mark],
        ...(own ? [["COMMIT", "COMMIT"]] : []),
    ];
    // Every piece of the file's message, and whom an error in it belongs to: a statement index or a step.
    const pieces = [
        ...head.map(([step, sql]) => ({ sql, owner: step, blank: false })),
        ...pf.statements
            .slice(skip)
            .map((st, i) => ({ sql: st.text, owner: skip + i, blank: pf.batchable && isBlankSql(st.text) })),
        ...tail.map(([step, sql]) => ({ sql, owner: step, blank: false })),
    ];
    const outcome = pf.batchable
        ? await runAsOneMessage(ctx.client, pieces)
        : await runOneByOne(ctx.client, pieces);
    const { completed, error, failedAt } = outcome;
    const executed = completed.filter((p) => typeof p.owner === "number").length;
    const lost = error !== undefined && isConnectionError(error);
    const after = afterFailure(pf, completed, lost && typeof failedAt?.owner !== "number");
    if (!error) {
        const last = completed[completed.length - 1];
        if (own && last?.tag !== "COMMIT") {
            const why = `the server answered ${last?.tag ?? "nothing"}`;
            const failed = stepError("COMMIT", { message: `COMMIT failed (${why})` }, ctx.secrets);
            return {
                executed: 0,
                failed,
                error: new src_errors/* RelayError */.cx("migration", `${pf.file.name}: ${failed.text}; ${after}`),
            };
        }
        return { executed };
    }
    // No ROLLBACK here: runFiles ends the aborted block once everything queued has answered.
    const owner = failedAt?.owner;
    if (typeof owner === "number") {
        const failed = statementError(pf, owner, error, ctx.secrets, failedAt?.offset ?? 0);
        return { executed, failed, error: failure(pf, failed, after, lost) };
    }
    const failed = stepError(owner ?? "the file", error, ctx.secrets);
    const message = `${pf.file.name}: ${failed.step} failed: ${failed.text}; ${after}`;
    return {
        executed: 0,
        failed,
        error: new src_errors/* RelayError */.cx(lost ? "unreachable" : "migration", message, { cause: error }),
    };
}
const OWN_COMMIT = /^\s*(COMMIT|END)\b/i;
/**
 * What a failure leaves of the file, said only when true: a COMMIT of the file's own keeps what came
 * before it, and a connection lost at COMMIT leaves the outcome to the server.
 */
function afterFailure(pf, completed, lostAtTail) {
    if (pf.mode === "all")
        return "the run's transaction was rolled back";
    if (lostAtTail)
        return "the file's transaction is rolled back unless its COMMIT reached the server first (migrate-relay status tells)";
    const kept = completed.filter((p) => typeof p.owner === "number" && OWN_COMMIT.test(p.sql));
    const last = kept[kept.length - 1];
    if (typeof last?.owner === "number")
        return `statements 1-${last.owner + 1} were committed by the file's own ${last.sql.trim().split(/\s/)[0]} and stay applied (not recorded); the rest was rolled back`;
    return "the file's transaction was rolled back; nothing of it is applied";
}
/** A failure of the tool's own SQL around the file: the file failed, without a statement of its own. */
function stepError(step, err, secrets) {
    return {
        stmt: "",
        step,
        text: (0,src_secrets/* redact */.E$)(err.message ?? String(err), secrets),
        index: 0,
        line: 0,
        ...(err.code ? { code: err.code } : {}),
    };
}
/**
 * All pieces in one Query message. The server parses the whole message first, so a syntax error
 * stops it before anything runs: its position says which piece. A run-time error comes after the
 * pieces that completed, counted by their CommandComplete.
 */
async function runAsOneMessage(client, pieces) {
    let at = 0;
    const spans = [];
    const texts = pieces.map((p) => {
        p.offset = at;
        const text = terminated(p.sql);
        const length = codePoints(text);
        spans.push([at, at + length]);
        at += length + 1;
        return text;
    });
    const { completed: tags, error } = await runBatch(client, texts.join("\n"));
    const counted = pieces.filter((p) => !p.blank);
    const completed = tags.map((tag, i) => ({ ...counted[i], tag }));
    if (!error)
        return { completed };
    const position = Number(error.position ?? 0) - 1;
    const hit = position >= 0 ? spans.findIndex(([from, to]) => position >= from && position < to) : -1;
    const byPosition = hit === -1 ? undefined : pieces[hit];
    const failedAt = byPosition ?? (tags.length === 0 ? await rejectedPiece(client, pieces, error) : undefined);
    return { completed, error, failedAt: failedAt ?? counted[tags.length] };
}
/**
 * The server rejected the message before running any of it, without a position (an invalid escape in
 * a literal, say): the user's statement that fails the same way when parsed alone is the culprit.
 * The run stops at this file whatever the answer, so the aborted block (tx-mode all, or files queued
 * behind, which all failed their chain check) is ended first: a parse in it would only say "aborted".
 */
async function rejectedPiece(client, pieces, error) {
    if (isConnectionError(error))
        return undefined;
    if ((await runBatch(client, "ROLLBACK")).error)
        return undefined;
    for (const piece of pieces) {
        if (typeof piece.owner !== "number" || piece.blank)
            continue;
        const e = await parsesAlone(client, piece.sql);
        if (e && e.code === error.code && e.message === error.message)
            return { ...piece, offset: undefined };
    }
    return undefined;
}
/** One Query message per piece (files with a custom delimiter: a piece may hold several statements). */
async function runOneByOne(client, pieces) {
    const completed = [];
    for (const piece of pieces) {
        const r = await runBatch(client, piece.sql);
        if (r.error)
            return { completed, error: r.error, failedAt: { ...piece, offset: 0 } };
        completed.push({ ...piece, tag: r.completed[r.completed.length - 1] ?? "" });
    }
    return { completed };
}
/** tx-mode none: statement by statement, each followed by the revision write that records it. */
async function runNone(pf, ctx, existing, skip) {
    const { client, schema } = ctx;
    const executedAt = new Date();
    const t0 = performance.now();
    const write = async (applied, error) => {
        if (!schema)
            return;
        const w = {
            ...revisionFor(pf, existing, applied),
            ...(error ? { error: error.text, errorStmt: error.stmt } : {}),
            clock: { executedAt, executionTimeNs: BigInt(Math.round((performance.now() - t0) * 1e6)) },
        };
        await client.query(upsertRevision(schema, w));
    };
    let applied = skip;
    let unrecorded = 0;
    try {
        await write(applied); // marks the file as started, as Atlas does
        for (; applied < pf.statements.length; applied++) {
            if (ctx.signal?.aborted) {
                const after = `statements 1-${applied} stay applied and recorded; the next apply resumes at statement ${applied + 1}`;
                const error = interrupted(ctx.signal, `${pf.file.name}: ${after}`);
                return { executed: applied - skip, failed: stepError("interrupted", error, []), error };
            }
            try {
                await client.query(pf.statements[applied].text);
            }
            catch (err) {
                const failed = statementError(pf, applied, err, ctx.secrets);
                const lost = isConnectionError(err);
                if (!lost)
                    await write(applied, failed).catch(() => undefined);
                const kept = applied > 0 ? `statements 1-${applied} stay applied and recorded; ` : "";
                const after = `${kept}the next apply resumes at statement ${applied + 1} (fix it first if it is wrong)`;
                return { executed: applied - skip, failed, error: failure(pf, failed, after, lost) };
            }
            unrecorded = applied + 1;
            await write(applied + 1);
            unrecorded = 0;
        }
    }
    catch (err) {
        const e = runError(err, ctx);
        const what = unrecorded
            ? `recording statement ${unrecorded} failed: ${e.message}; it ran but is not recorded, so the next apply runs it again`
            : `recording the file's start failed: ${e.message}`;
        const message = `${pf.file.name}: ${what}`;
        const failed = stepError("recording the revision", e, []);
        return { executed: applied - skip, failed, error: new src_errors/* RelayError */.cx(e.kind, message, { cause: err }) };
    }
    return { executed: applied - skip };
}

;// CONCATENATED MODULE: ./packages/core/src/apply/lock.ts

/** 32-bit FNV-1 of `atlas_migrate_execute`, the key Atlas locks, so Atlas and migrate-relay exclude each other. */
const APPLY_LOCK_NAME = "atlas_migrate_execute";
const APPLY_LOCK_KEY = fnv1_32(APPLY_LOCK_NAME);
function fnv1_32(text) {
    let h = 0x811c9dc5;
    for (const byte of Buffer.from(text, "utf8")) {
        h = Math.imul(h, 0x01000193) >>> 0;
        h = (h ^ byte) >>> 0;
    }
    return h;
}
/**
 * Polls pg_try_advisory_lock with backoff (50 ms doubling to 1 s) until `timeoutMs`; then fails with
 * "lock is held by another apply". The caller owns `client` and ends it after release.
 */
async function acquireApplyLock(client, timeoutMs, display) {
    const deadline = Date.now() + timeoutMs;
    let wait = 50;
    for (;;) {
        const { rows } = await client.query("SELECT pg_try_advisory_lock($1) AS ok", [
            APPLY_LOCK_KEY,
        ]);
        if (rows[0]?.ok)
            break;
        const left = deadline - Date.now();
        if (left <= 0) {
            throw new src_errors/* RelayError */.cx("conflict", `lock is held by another apply: waited ${(timeoutMs / 1000).toFixed(1)} s for advisory lock ${APPLY_LOCK_KEY} (${APPLY_LOCK_NAME}) on ${display}; raise lock-timeout or retry when it finishes`);
        }
        await new Promise((r) => setTimeout(r, Math.min(wait, left)));
        wait = Math.min(wait * 2, 1000);
    }
    let broken;
    const onError = (err) => {
        broken = err;
    };
    client.on("error", onError);
    client.on("end", () => {
        broken ??= new Error("the lock connection closed");
    });
    return {
        lost: () => broken,
        async release() {
            client.off("error", onError);
            if (broken)
                return; // the server already dropped a dead session's locks
            await client.query("SELECT pg_advisory_unlock($1)", [APPLY_LOCK_KEY]).catch(() => undefined);
        },
    };
}

;// CONCATENATED MODULE: ./packages/core/src/apply/plan.ts
// Which files are pending: Atlas's Executor.Pending plus amount / to-version, as a pure function.




const lastIndex = (list, pred) => {
    for (let i = list.length - 1; i >= 0; i--)
        if (pred(list[i]))
            return i;
    return -1;
};
const decoder = new TextDecoder();
/** A checkpoint file (`atlas migrate checkpoint`): its header carries `atlas:checkpoint [tag]`. */
function isCheckpoint(file) {
    const first = file.content[0];
    if (first !== 0x23 && first !== 0x2d)
        return false; // no header: neither `#` nor `--` first
    return (0,dir_directives/* headerComments */.Qs)(decoder.decode(file.content)).some((c) => (0,dir_directives/* directiveOf */.lr)(c)?.name === "checkpoint");
}
/** Checks options Atlas refuses before touching anything. */
function checkPlanOptions(opts) {
    if (opts.baseline && opts.allowDirty) {
        throw new src_errors/* RelayError */.cx("input", "baseline and allow-dirty are mutually exclusive; pass only one");
    }
    if (opts.amount !== undefined && (!Number.isInteger(opts.amount) || opts.amount < 1)) {
        throw new src_errors/* RelayError */.cx("input", `cannot apply '${opts.amount}' migration files; amount must be a whole number >= 1`);
    }
}
function planPending(input) {
    checkPlanOptions(input);
    const { revisions } = input;
    const all = input.files;
    // Atlas's Pending works on the directory without its checkpoint files, except where noted.
    const files = all.filter((f) => !isCheckpoint(f));
    const order = input.execOrder ?? src_settings/* DEFAULT_EXEC_ORDER */.vB;
    let pending;
    let baseline;
    let partial;
    if (revisions.length === 0) {
        if (input.notClean !== null && !input.allowDirty && !input.baseline) {
            throw new src_errors/* RelayError */.cx("conflict", `connected database is not clean: ${input.notClean}. baseline version or allow-dirty is required`);
        }
        if (input.baseline) {
            const at = lastIndex(files, (f) => f.version === input.baseline);
            if (at === -1)
                throw new src_errors/* RelayError */.cx("input", `baseline version "${input.baseline}" not found in the directory`);
            baseline = files[at];
            pending = files.slice(at + 1);
        }
        else {
            // A first run starts at the last checkpoint (included), when there is one.
            const ck = lastIndex(all, isCheckpoint);
            pending = ck === -1 ? [...all] : all.slice(ck);
        }
    }
    else {
        const last = revisions[revisions.length - 1];
        const partially = last.applied !== last.total;
        if (partially)
            partial = last;
        const ck = partially ? all.find((f) => f.version === last.version && isCheckpoint(f)) : undefined;
        if (ck) {
            // A checkpoint stopped part-way: it, then everything after it.
            pending = [ck, ...all.slice(all.indexOf(ck) + 1).filter((f) => !isCheckpoint(f))];
        }
        else if (files.length === 0) {
            pending = [];
        }
        else {
            pending = pendingAfter(files, revisions, last, partially, order);
        }
    }
    let run = pending;
    if (input.toVersion !== undefined) {
        const to = lastIndex(pending, (f) => f.version === input.toVersion);
        if (to !== -1)
            run = pending.slice(0, to + 1);
        else if (all.some((f) => f.version === input.toVersion))
            run = []; // already applied (or skipped)
        else
            throw new src_errors/* RelayError */.cx("input", `migration with version "${input.toVersion}" not found in the directory`);
    }
    if (input.amount !== undefined)
        run = run.slice(0, input.amount);
    return { pending, run, baseline, partial };
}
/** Atlas's Pending once revisions exist: after the last one (or at it, when partial), per exec-order. */
function pendingAfter(files, revisions, last, partially, order) {
    const at = lastIndex(files, (f) => partially ? f.version === last.version : compareBytes(f.version, last.version) <= 0);
    if (at === -1) {
        if (partially) {
            const name = last.description ? `${last.version}_${last.description}.sql` : `${last.version}.sql`;
            throw new src_errors/* RelayError */.cx("conflict", `missing migration: revision "${name}" is partially applied but its file is not in the directory`);
        }
        return [...files];
    }
    const next = partially ? at : at + 1;
    const pending = files.slice(next);
    // Files between the first revision and the last one that never ran were added out of order.
    const first = files.findIndex((f) => compareBytes(f.version, revisions[0].version) >= 0);
    if (first === -1 || first >= next || order === "linear-skip")
        return pending;
    const applied = new Set(revisions.map((r) => r.version));
    const skipped = files.slice(first, next).filter((f) => !applied.has(f.version));
    if (skipped.length === 0)
        return pending;
    if (order === "non-linear")
        return [...skipped, ...pending];
    const names = skipped.map((f) => f.name).join(", ");
    throw new src_errors/* RelayError */.cx("conflict", `migration ${skipped.length === 1 ? `file ${names} was` : `files ${names} were`} added out of order; ` +
        "apply with exec-order non-linear to run it, or linear-skip to skip it. See: https://atlasgo.io/versioned/apply#non-linear-error");
}

;// CONCATENATED MODULE: ./packages/core/src/apply/result.ts

/** The origin's fields that are set (results and their JSON carry no `undefined` keys). */
const originOf = (from) => ({
    ...(from.source !== undefined ? { source: from.source } : {}),
    ...(from.trail !== undefined ? { trail: from.trail } : {}),
    ...(from.state !== undefined ? { state: from.state } : {}),
});
/** A RelayError met before the run, as a result's error; a failed read (PullError) keeps its trail. */
function failureOf(err) {
    const trail = err.trail;
    return { error: { kind: err.kind, message: (0,src_errors/* messageOf */.bD)(err) }, ...(trail ? { trail } : {}) };
}
/** A run with nothing done yet: `url` is the database's redacted URL. */
const emptyResult = (url, dryRun, from = {}) => ({
    url,
    current: "",
    target: "",
    pending: [],
    applied: [],
    dryRun,
    ms: 0,
    ...originOf(from),
});
/** A run that failed before its first file: nothing planned, nothing applied. */
const failedResult = (url, dryRun, error, from = {}) => ({
    ...emptyResult(url, dryRun, from),
    error,
});
/** A status with nothing read yet: `url` is the database's redacted URL. */
const emptyStatus = (url, revisionsSchema, from = {}) => ({
    url,
    status: "OK",
    current: "",
    next: "",
    executed: 0,
    pending: [],
    revisionsSchema,
    ...originOf(from),
});
/** A status that could not be read (the directory or the database). */
const failedStatus = (url, error, from = {}) => ({
    ...emptyStatus(url, "", from),
    error,
});

;// CONCATENATED MODULE: ./packages/core/src/apply/apply.ts













const TX_MODES = ["file", "all", "none"];
const EXEC_ORDERS = ["linear", "linear-skip", "non-linear"];
/** Throws config/input errors for options that make no sense, before anything is read or opened. */
function checkApplyOptions(options) {
    if (!options.url)
        throw (0,src_errors/* configError */.Fj)("no database URL: pass --url or set `url` in the env block");
    if (options.txMode && !TX_MODES.includes(options.txMode)) {
        throw new src_errors/* RelayError */.cx("input", `unknown tx-mode "${options.txMode}"; use file, all or none`);
    }
    if (options.execOrder && !EXEC_ORDERS.includes(options.execOrder)) {
        throw new src_errors/* RelayError */.cx("input", `unknown exec-order "${options.execOrder}"; use linear, linear-skip or non-linear`);
    }
    if (options.lockTimeoutMs !== undefined && !(options.lockTimeoutMs >= 0)) {
        throw new src_errors/* RelayError */.cx("input", `lock-timeout must be a duration >= 0, got ${options.lockTimeoutMs} ms`);
    }
    checkPlanOptions(options);
    return parsePostgresUrl(options.url);
}
/**
 * Applies `dir` to the database at `options.url`. Bad options throw (config/input); everything that
 * happens on the way (bad atlas.sum, unreachable, lock timeout, a failing statement) is returned in
 * `result.error`, with the files that ran before it in `result.applied`.
 */
async function applyDir(dir, options) {
    const target = checkApplyOptions(options);
    const started = performance.now();
    const result = emptyResult(target.display, options.dryRun === true, options);
    let work;
    let lockClient;
    let lock;
    try {
        if (!options.verified)
            (0,sum/* validateDir */.Y6)(dir); // a broken directory is refused before any connection
        const dryRun = options.dryRun === true;
        // Two connections at once: statements on one, the advisory lock on its own.
        const [w, l] = await Promise.allSettled([
            connect(target, { pipeline: true }),
            dryRun ? Promise.resolve(undefined) : connect(target),
        ]);
        if (w.status === "fulfilled")
            work = w.value;
        if (l.status === "fulfilled")
            lockClient = l.value;
        if (w.status === "rejected")
            throw w.reason;
        if (l.status === "rejected")
            throw l.reason;
        if (lockClient)
            lock = await acquireApplyLock(lockClient, options.lockTimeoutMs ?? src_settings/* DEFAULT_LOCK_TIMEOUT_MS */.L$, target.display);
        const client = work;
        const schema = revisionsSchemaFor(options.revisionsSchema, target.schema);
        const state = await tableState(client, schema);
        if (!state.tableExists && target.schema && !options.revisionsSchema)
            await checkSchemaClarity(client, target);
        if (!dryRun)
            await ensureRevisionsTable(client, schema, state);
        const revisions = await readRevisions(client, schema, dryRun ? state.tableExists : true);
        const notClean = revisions.length === 0 ? await notCleanReason(client, target.schema, schema) : null;
        const plan = planPending({ files: dir.files, revisions, notClean, ...options });
        result.current = revisions[revisions.length - 1]?.version ?? plan.baseline?.version ?? "";
        result.pending = plan.run.map((f) => f.name);
        result.target = plan.run[plan.run.length - 1]?.version ?? result.current;
        const prepared = prepareFiles(plan.run, options.txMode ?? src_settings/* DEFAULT_TX_MODE */.dv, sumHashes(dir.sum));
        if (dryRun)
            return result;
        if (plan.baseline) {
            await client.query(upsertRevision(schema, {
                version: plan.baseline.version,
                description: plan.baseline.description,
                type: REVISION_TYPE.baseline,
                applied: 0,
                total: 0,
                error: "",
                errorStmt: "",
                hash: "",
                partialHashes: [],
                clock: { executedAt: new Date(), executionTimeNs: 0n },
            }));
        }
        const outcome = await runFiles(prepared, {
            client,
            schema,
            revisions: new Map(revisions.map((r) => [r.version, r])),
            lock,
            secrets: target.secrets,
            onFile: options.onFile,
            signal: options.signal,
            cancel: async () => {
                const pid = client.processID;
                if (lockClient && pid)
                    await lockClient.query("SELECT pg_cancel_backend($1)", [pid]);
            },
        });
        result.applied = outcome.applied;
        if (outcome.error)
            result.error = { kind: outcome.error.kind, message: outcome.error.message };
    }
    catch (err) {
        result.error = { kind: kindOf(err), message: (0,src_secrets/* redact */.E$)((0,src_errors/* messageOf */.bD)(err), target.secrets) };
    }
    finally {
        await lock?.release();
        await Promise.all([closeQuietly(lockClient), closeQuietly(work)]);
        result.ms = Math.round(performance.now() - started);
    }
    return result;
}
/** The kind of an error met outside the files (bookkeeping queries, connections). */
function kindOf(err) {
    if (err instanceof src_errors/* RelayError */.cx)
        return err.kind;
    const code = err.code;
    if (code === "42501")
        return "unauthorized"; // e.g. no CREATE privilege for the revisions schema
    if (!code || code.startsWith("08") || code.startsWith("57P"))
        return "unreachable";
    return "migration";
}
/**
 * Atlas's guard for schema-bound URLs: no revisions table in the connected schema but one in the old
 * default schema means we cannot tell which history is meant.
 */
async function checkSchemaClarity(client, target) {
    const old = await tableState(client, DEFAULT_REVISIONS_SCHEMA);
    if (!old.tableExists)
        return;
    throw new src_errors/* RelayError */.cx("conflict", `ambiguous revision table: none in the connected schema "${target.schema}" but one in "${DEFAULT_REVISIONS_SCHEMA}"; ` +
        `pass revisions-schema ${DEFAULT_REVISIONS_SCHEMA} to keep using it, or revisions-schema ${target.schema} to start a new one (${(0,src_secrets/* redactUrl */.BO)(target.display)})`);
}

;// CONCATENATED MODULE: ./packages/core/src/apply/fleet.ts
// A fleet rollout: one directory applied to many targets (for_each instances) in one job. The
// directory is read and verified once; targets run with bounded parallelism (one apply = its own two
// connections and the advisory lock, as for one target); `shard i/n` keeps this job's part of the
// fleet; canaries go first and gate the rest; max-failures stops new starts. Every target's outcome is
// returned, a failed one never hides the others'. Shared by the CLI and the apply action.







/** The order the summary lists outcomes in: what needs attention first. */
const FLEET_OUTCOMES = [
    "failed",
    "not-started",
    "applied",
    "dry-run",
    "up-to-date",
];
/** Rollout settings are read trimmed (a matrix value may carry spaces). */
const given = (v) => (0,src_settings/* given */.gI)(v?.trim());
function wholeNumber(text, name) {
    const t = given(text);
    if (t === undefined)
        return undefined;
    const n = Number(t);
    if (!/^\d+$/.test(t) || !(n >= 1))
        throw (0,src_errors/* inputError */.Xu)(`${name} "${text}" must be a whole number >= 1`);
    return n;
}
/** `i/n` with 1 <= i <= n. */
function parseShard(text, nameOf = src_settings/* flagName */.GI) {
    const t = given(text);
    if (t === undefined)
        return undefined;
    const m = /^(\d+)\s*\/\s*(\d+)$/.exec(t);
    const index = Number(m?.[1]);
    const count = Number(m?.[2]);
    if (!m || !(count >= 1) || !(index >= 1) || index > count)
        throw (0,src_errors/* inputError */.Xu)(`${nameOf("shard")} "${text}" must be i/n with 1 <= i <= n, e.g. 1/4 (shard 1 of 4, as in a matrix of 4 jobs)`);
    return { index, count };
}
function fleetSettingsOf(inputs, nameOf = src_settings/* flagName */.GI) {
    const maxFailures = wholeNumber(inputs.maxFailures, nameOf("max-failures"));
    return {
        parallelism: wholeNumber(inputs.parallelism, nameOf("parallelism")) ?? src_settings/* DEFAULT_PARALLELISM */.ri,
        ...(inputs.shard !== undefined && given(inputs.shard) ? { shard: parseShard(inputs.shard, nameOf) } : {}),
        canary: (given(inputs.canary) ?? "").split(/[\s,]+/).filter(Boolean),
        ...(maxFailures !== undefined ? { maxFailures } : {}),
    };
}
/**
 * The key a target is sharded and named by: the for_each instance key (`acme`), else the env label,
 * else the redacted URL (so rotating a password does not move a target to another shard).
 */
function targetKey(target) {
    return target.env?.instance ?? target.label ?? (0,src_secrets/* redactUrl */.BO)(target.url);
}
/**
 * The shard (1..count) a key belongs to, by rendezvous (highest random weight) hashing: each shard
 * scores the key with SHA-256 and the highest score wins. A key's scores do not depend on the other
 * keys or on `count`, so adding a tenant moves no other tenant, and going from n to n+1 shards moves
 * only the ~1/(n+1) of keys the new shard wins.
 */
function shardOf(key, count) {
    let best = 1;
    let bestScore = -1n;
    for (let j = 1; j <= count; j++) {
        const score = (0,external_node_crypto_.createHash)("sha256").update(`${j}\n${key}`).digest().readBigUInt64BE(0);
        if (score > bestScore) {
            best = j;
            bestScore = score;
        }
    }
    return best;
}
function outcomeOf(result) {
    if (result.error)
        return "failed";
    if (result.dryRun)
        return "dry-run";
    return result.pending.length === 0 ? "up-to-date" : "applied";
}
/** Applies to this shard's targets; resolves with every target's run (in target order). */
async function applyFleet(prepared, options) {
    const keyed = prepared.map((p) => ({ ...p, key: targetKey(p.target) }));
    const canary = new Set(options.canary);
    for (const name of canary) {
        if (!keyed.some((p) => p.key === name || p.target.label === name)) {
            const known = keyed.slice(0, 10).map((p) => p.key);
            throw (0,src_errors/* inputError */.Xu)(`canary "${name}" names no target; the targets are ${known.join(", ")}${keyed.length > 10 ? ", ..." : ""}`);
        }
    }
    const shard = options.shard;
    const mine = shard ? keyed.filter((p) => shardOf(p.key, shard.count) === shard.index) : keyed;
    const runs = new Array(mine.length);
    const isCanary = (p) => canary.has(p.key) || (p.target.label !== undefined && canary.has(p.target.label));
    // Each distinct directory is verified once (atlas.sum against the files), not once per target.
    const verified = new WeakMap();
    const verify = (dir) => {
        let outcome = verified.get(dir);
        if (outcome === undefined) {
            try {
                (0,sum/* validateDir */.Y6)(dir);
                outcome = null;
            }
            catch (err) {
                outcome = { kind: (0,src_errors/* isRelayError */.as)(err) ? err.kind : "integrity", message: (0,src_errors/* messageOf */.bD)(err) };
            }
            verified.set(dir, outcome);
        }
        return outcome;
    };
    let failures = 0;
    let stopped;
    let fatal;
    const runOne = async (i) => {
        const { target, options: applyOptions, key } = mine[i];
        const startedAt = new Date();
        options.onStart?.(target);
        let result;
        try {
            const loaded = await options.load(target);
            const invalid = verify(loaded.dir);
            const from = originOf(loaded);
            result = invalid
                ? failedResult((0,src_secrets/* redactUrl */.BO)(target.url), applyOptions.dryRun === true, invalid, from)
                : await applyDir(loaded.dir, {
                    ...applyOptions,
                    ...from,
                    verified: true,
                    ...(options.signal ? { signal: options.signal } : {}),
                    ...(options.onFile ? { onFile: (f) => options.onFile?.(target, f) } : {}),
                });
        }
        catch (err) {
            if (!(0,src_errors/* isRelayError */.as)(err) || err.kind === "config" || err.kind === "input") {
                fatal ??= err;
                return;
            }
            const { error, trail } = failureOf(err);
            result = failedResult((0,src_secrets/* redactUrl */.BO)(target.url), applyOptions.dryRun === true, error, trail ? { trail } : {});
        }
        const run = {
            key,
            ...(target.label !== undefined ? { label: target.label } : {}),
            dir: target.dir,
            outcome: outcomeOf(result),
            ...(isCanary(mine[i]) ? { canary: true } : {}),
            result,
            startedAt,
        };
        runs[i] = run;
        if (run.outcome === "failed") {
            failures++;
            if (options.maxFailures !== undefined && failures >= options.maxFailures && !stopped)
                stopped = `max-failures reached (${failures} failed)`;
        }
        options.onDone?.(run);
    };
    // A pool of `parallelism` workers taking the next index; nothing new starts once stopped.
    const pool = async (indexes) => {
        let next = 0;
        const worker = async () => {
            while (next < indexes.length && !stopped && fatal === undefined) {
                if (options.signal?.aborted)
                    stopped ??= "interrupted";
                else
                    await runOne(indexes[next++]);
            }
        };
        const width = Math.max(1, Math.min(options.parallelism, indexes.length));
        await Promise.all(Array.from({ length: width }, worker));
    };
    const all = mine.map((_, i) => i);
    const canaries = all.filter((i) => isCanary(mine[i]));
    const inCanary = new Set(canaries);
    await pool(canaries);
    const failedCanary = canaries.map((i) => runs[i]).find((r) => r?.outcome === "failed");
    if (failedCanary && !stopped)
        stopped = `canary ${failedCanary.label ?? failedCanary.key} failed`;
    await pool(all.filter((i) => !inCanary.has(i)));
    if (fatal !== undefined)
        throw fatal;
    const done = all.map((i) => {
        const run = runs[i];
        if (run)
            return run;
        const { target, options: applyOptions, key } = mine[i];
        return {
            key,
            ...(target.label !== undefined ? { label: target.label } : {}),
            dir: target.dir,
            outcome: "not-started",
            ...(isCanary(mine[i]) ? { canary: true } : {}),
            notStarted: stopped ?? "not started",
            result: emptyResult((0,src_secrets/* redactUrl */.BO)(target.url), applyOptions.dryRun === true),
        };
    });
    return { runs: done, total: prepared.length, ...(shard ? { shard } : {}), ...(stopped ? { stopped } : {}) };
}

;// CONCATENATED MODULE: ./packages/core/src/duration.ts
// Go-style durations as Atlas takes them; shared by the CLI's flags and the actions' inputs.

/**
 * "10s", "1m30s", "500ms", "1h"; a bare number is seconds. `name` is how the caller spells the
 * setting in messages: `--lock-timeout` (CLI) or `input "lock-timeout"` (actions).
 */
/** The longest wait a Node timer holds (2^31-1 ms, about 24.8 days); longer ones would fire after 1 ms. */
const MAX_DURATION_MS = 2 ** 31 - 1;
function parseDuration(text, name) {
    const ms = parseGoDuration(text, name);
    if (ms > MAX_DURATION_MS)
        throw (0,src_errors/* inputError */.Xu)(`${name} "${text}" is longer than 24.8 days (${MAX_DURATION_MS} ms), the longest wait this tool can time; use at most 596h`);
    return ms;
}
function parseGoDuration(text, name) {
    const t = text.trim();
    if (t === "")
        throw (0,src_errors/* inputError */.Xu)(`${name} is empty; use e.g. 10s, 1m30s or 500ms`);
    if (/^\d+(\.\d+)?$/.test(t))
        return Number(t) * 1000;
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    let total = 0;
    let rest = t;
    while (rest) {
        const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
        if (!m)
            throw (0,src_errors/* inputError */.Xu)(`${name} "${text}" is not a duration; use e.g. 10s, 1m30s or 500ms`);
        total += Number(m[1]) * unit[m[2]];
        rest = rest.slice(m[0].length);
    }
    return total;
}

;// CONCATENATED MODULE: ./packages/core/src/apply/inputs.ts




function applyOptionsOf(url, inputs, env, nameOf = src_settings/* flagName */.GI) {
    const m = env?.migration;
    const amountText = (0,src_settings/* given */.gI)(inputs.amount);
    const amount = amountText === undefined ? undefined : Number(amountText);
    if (amountText !== undefined && !(Number.isInteger(amount) && amount >= 1)) {
        throw (0,src_errors/* inputError */.Xu)(`${nameOf("amount")} "${amountText}" must be a whole number >= 1`);
    }
    if (amountText !== undefined && (0,src_settings/* given */.gI)(inputs.toVersion) !== undefined) {
        // As Atlas (atlas-action: "Mutually exclusive with `amount`"): the two would disagree on where to stop.
        throw (0,src_errors/* inputError */.Xu)(`${nameOf("amount")} and ${nameOf("to-version")} are mutually exclusive: pass one of them`);
    }
    const lockTimeout = (0,src_settings/* setting */.Pe)(inputs.lockTimeout, m?.lockTimeout);
    return {
        url,
        txMode: (0,src_settings/* setting */.Pe)(inputs.txMode, undefined, src_settings/* DEFAULT_TX_MODE */.dv),
        execOrder: (0,src_settings/* setting */.Pe)(inputs.execOrder, m?.execOrder, src_settings/* DEFAULT_EXEC_ORDER */.vB),
        baseline: (0,src_settings/* setting */.Pe)(inputs.baseline, m?.baseline),
        allowDirty: inputs.allowDirty === true,
        amount,
        toVersion: (0,src_settings/* given */.gI)(inputs.toVersion),
        dryRun: inputs.dryRun === true,
        revisionsSchema: (0,src_settings/* setting */.Pe)(inputs.revisionsSchema, m?.revisionsSchema),
        lockTimeoutMs: lockTimeout === undefined ? undefined : parseDuration(lockTimeout, nameOf("lock-timeout")),
    };
}
/**
 * One target per env instance (for_each); without an env, one per line of `url` (usually one).
 */
function applyTargetsOf(envs, explicit, nameOf = src_settings/* flagName */.GI) {
    const url = (0,src_settings/* given */.gI)(explicit.url);
    const dir = (0,src_settings/* given */.gI)(explicit.dir);
    if (!envs) {
        if (!url)
            throw (0,src_errors/* inputError */.Xu)(nameOf === src_settings/* flagName */.GI
                ? "no database: pass --url postgres://... (or --config file://atlas.hcl --env <name>)"
                : `no database: set ${nameOf("url")} (or ${nameOf("env")} naming an env block with a url)`);
        // Several URLs, one per line (a fleet without an env): each is its own target, named by its
        // redacted URL.
        const urls = url
            .split(/\r?\n/)
            .map((u) => u.trim())
            .filter(Boolean);
        if (urls.length > 1)
            return urls.map((u) => ({ url: u, dir: dir ?? src_settings/* DEFAULT_DIR */.eJ, label: (0,src_secrets/* redactUrl */.BO)(u) }));
        return [{ url: urls[0] ?? url, dir: dir ?? src_settings/* DEFAULT_DIR */.eJ }];
    }
    if (url && /\n/.test(url.trim()))
        throw (0,src_errors/* inputError */.Xu)(`${nameOf("url")} names several databases: with an env, use for_each for several targets`);
    return envs.map((env) => {
        const target = url ?? env.url;
        const label = env.instance === undefined ? env.name : `${env.name}[${env.instance}]`;
        if (!target && env.emptyUrl)
            throw (0,src_errors/* inputError */.Xu)(`env "${label}": ${env.emptyUrl}; set it, or pass ${nameOf("url")}`);
        if (!target)
            throw (0,src_errors/* inputError */.Xu)(`env "${label}" has no url: set url in atlas.hcl or pass ${nameOf("url")}`);
        return { url: target, dir: dir ?? env.migration.dir ?? src_settings/* DEFAULT_DIR */.eJ, label, env };
    });
}

;// CONCATENATED MODULE: ./packages/core/src/apply/replay.ts
// replay: prove a directory applies from empty by running it on a scratch database on the dev server,
// then dropping that database. A scratch database (not a rolled-back transaction) lets `txmode none`
// files (CREATE INDEX CONCURRENTLY, DO blocks that COMMIT) run exactly as they will in production.







const SCRATCH_PREFIX = "migrate_relay_replay_";
/**
 * Runs every file of `dir` on a fresh database next to `devUrl`'s; throws RelayError when one fails.
 * `signal` (SIGINT) cancels the running statement; the scratch database is dropped either way. A run
 * killed outright leaves its database behind: the next run drops those older than a minute that
 * nobody is connected to (the name carries its creation time).
 */
async function replayDir(devUrl, dir, options = {}) {
    const started = performance.now();
    const dev = parsePostgresUrl(devUrl);
    (0,sum/* validateDir */.Y6)(dir);
    const prepared = prepareFiles(dir.files, "file", sumHashes(dir.sum));
    const database = `${SCRATCH_PREFIX}${Math.floor(Date.now() / 1000)}_${(0,external_node_crypto_.randomBytes)(6).toString("hex")}`;
    const admin = await connect(dev);
    await dropLeftovers(admin);
    let scratch;
    let created = false;
    try {
        try {
            await admin.query(`CREATE DATABASE "${database}" TEMPLATE template0`);
            created = true;
        }
        catch (err) {
            const code = err.code;
            const why = (0,src_secrets/* redact */.E$)((0,src_errors/* messageOf */.bD)(err), dev.secrets);
            throw new src_errors/* RelayError */.cx(code === "42501" ? "config" : "migration", `cannot create a scratch database on the dev server ${dev.display}: ${why}` +
                (code === "42501"
                    ? "; the dev URL's user needs CREATEDB (a disposable server, e.g. a CI service container)"
                    : ""));
        }
        const target = { ...dev, config: { ...dev.config, database }, database };
        scratch = await connect(target, { pipeline: true });
        // A schema-bound dev URL expects its schema to exist, as it does on the dev database itself.
        if (dev.schema && dev.schema !== "public")
            await scratch.query(`CREATE SCHEMA IF NOT EXISTS "${dev.schema.replace(/"/g, '""')}"`);
        const work = scratch;
        const outcome = await runFiles(prepared, {
            client: work,
            revisions: new Map(),
            secrets: dev.secrets,
            signal: options.signal,
            cancel: () => admin.query("SELECT pg_cancel_backend($1)", [work.processID]),
        });
        if (outcome.error) {
            throw new src_errors/* RelayError */.cx(outcome.error.kind, `replaying the directory on the dev database failed: ${outcome.error.message}`, {
                cause: outcome.error,
            });
        }
        return {
            url: dev.display,
            database,
            files: outcome.applied.length,
            statements: outcome.applied.reduce((n, f) => n + f.statements, 0),
            ms: Math.round(performance.now() - started),
        };
    }
    finally {
        await closeQuietly(scratch);
        if (created)
            await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
        await closeQuietly(admin);
    }
}
/** Scratch databases of killed runs: older than a minute, nobody connected. Best effort. */
async function dropLeftovers(admin) {
    const { rows } = await admin
        .query(`SELECT datname FROM pg_database d WHERE datname ~ '^${SCRATCH_PREFIX}[0-9]+_[0-9a-f]+$'
         AND split_part(substr(datname, ${SCRATCH_PREFIX.length + 1}), '_', 1)::bigint < extract(epoch FROM now()) - 60
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`)
        .catch(() => ({ rows: [] }));
    for (const { datname } of rows)
        await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
}

;// CONCATENATED MODULE: ./packages/core/src/apply/status.ts






async function dirStatus(dir, options) {
    if (!options.url)
        throw (0,src_errors/* configError */.Fj)("no database URL: pass --url or set `url` in the env block");
    const target = parsePostgresUrl(options.url);
    const schema = revisionsSchemaFor(options.revisionsSchema, target.schema);
    const result = emptyStatus(target.display, schema, options);
    let client;
    try {
        client = await connect(target);
        const { tableExists } = await tableState(client, schema);
        const revisions = await readRevisions(client, schema, tableExists);
        const last = revisions[revisions.length - 1];
        // Out-of-order files count as pending here; apply decides (per exec-order) what to do with them.
        const plan = planPending({
            files: dir.files,
            revisions,
            notClean: null,
            baseline: options.baseline,
            execOrder: "non-linear",
        });
        result.revisions = revisions;
        result.available = dir.files.map((f) => f.name);
        result.current = last?.version ?? "";
        result.executed = revisions.length;
        result.pending = plan.pending.map((f) => f.name);
        result.next = plan.pending[0]?.version ?? "";
        result.status = plan.pending.length ? "PENDING" : "OK";
        if (last && last.applied !== last.total) {
            result.partial = {
                version: last.version,
                applied: last.applied,
                total: last.total,
                ...(last.error ? { error: last.error, errorStmt: last.errorStmt } : {}),
            };
        }
    }
    catch (err) {
        const kind = err instanceof src_errors/* RelayError */.cx ? err.kind : "unreachable";
        result.error = { kind, message: (0,src_secrets/* redact */.E$)((0,src_errors/* messageOf */.bD)(err), target.secrets) };
    }
    finally {
        await closeQuietly(client);
    }
    return result;
}

;// CONCATENATED MODULE: ./packages/core/src/apply/index.ts












// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: ./packages/core/src/dir/files.ts
var files = __webpack_require__(5854);
;// CONCATENATED MODULE: ./packages/core/src/gotemplate.ts
// The subset of Go's text/template that `--format` (and template_dir's files) take, as Atlas's docs and atlas-action use it:
// `{{ json . }}`, `{{ . | json }}`, `{{ json . "  " }}` (indented), field access `{{ .URL }}` and
// `{{ .Env.Dir }}`, `{{ range .Applied }}...{{ end }}`, `{{ if .Error }}...{{ else }}...{{ end }}`,
// `{{ len .Pending }}`, `{{ println ... }}` and the `{{-`/`-}}` trim markers. Anything else is refused,
// naming what is supported, before any work is done.

const TEMPLATE_SUPPORTED = '{{ json . }}, {{ . | json }}, {{ json . "  " }}, field access such as {{ .URL }}, {{ range .X }}…{{ end }}, {{ if .X }}…{{ else }}…{{ end }}, len, print, println';
const FUNCTIONS = new Set(["json", "len", "print", "println"]);
class FormatTemplate {
    nodes;
    source;
    constructor(nodes, source) {
        this.nodes = nodes;
        this.source = source;
    }
    /** Parses `text`; throws an input error naming what is supported when it is outside the subset. */
    static parse(text) {
        const tokens = tokenize(text);
        let i = 0;
        const parseList = (stopAt) => {
            const nodes = [];
            while (i < tokens.length) {
                const t = tokens[i++];
                if (t.text !== undefined) {
                    nodes.push({ type: "text", text: t.text });
                    continue;
                }
                const action = t.action;
                const word = action.split(/\s+/)[0];
                if (stopAt.includes(word))
                    return { nodes, stop: word };
                if (word === "range" || word === "if") {
                    const pipe = parsePipe(action.slice(word.length), text);
                    const body = parseList(["else", "end"]);
                    let alt = [];
                    if (body.stop === "else")
                        alt = parseList(["end"]).nodes;
                    nodes.push({ type: word, pipe, body: body.nodes, alt });
                    continue;
                }
                if (word === "end" || word === "else")
                    unsupported(text, `{{ ${word} }} without {{ range }} or {{ if }}`);
                nodes.push({ type: "out", pipe: parsePipe(action, text) });
            }
            if (stopAt.length)
                unsupported(text, "a {{ range }} or {{ if }} without {{ end }}");
            return { nodes, stop: "" };
        };
        return new FormatTemplate(parseList([]).nodes, text);
    }
    /** Runs the template over `data` (objects with Atlas's field names). */
    execute(data) {
        return run(this.nodes, data, this.source);
    }
}
function unsupported(source, what) {
    throw (0,src_errors/* inputError */.Xu)(`--format ${JSON.stringify(source)}: ${what}; supported: ${TEMPLATE_SUPPORTED}`);
}
function tokenize(text) {
    const tokens = [];
    let pos = 0;
    while (pos < text.length) {
        const open = text.indexOf("{{", pos);
        if (open < 0) {
            tokens.push({ text: text.slice(pos) });
            break;
        }
        const close = text.indexOf("}}", open + 2);
        if (close < 0)
            unsupported(text, "an action `{{` is not closed with `}}`");
        let body = text.slice(open + 2, close);
        let before = text.slice(pos, open);
        // `{{- ` trims the whitespace before the action, ` -}}` the whitespace after it.
        if (/^-\s/.test(body)) {
            before = before.trimEnd();
            body = body.slice(1);
        }
        let trimAfter = false;
        if (/\s-$/.test(body)) {
            trimAfter = true;
            body = body.slice(0, -1);
        }
        if (before)
            tokens.push({ text: before });
        const action = body.trim();
        if (!action.startsWith("/*"))
            tokens.push({ action });
        pos = close + 2;
        if (trimAfter)
            while (pos < text.length && /\s/.test(text[pos]))
                pos++;
    }
    return tokens;
}
function parsePipe(text, source) {
    const parts = splitOutsideQuotes(text.trim(), "|");
    if (parts.some((p) => p.trim() === ""))
        unsupported(source, `an empty command in "{{ ${text.trim()} }}"`);
    return parts.map((part) => {
        const words = (part.trim().match(/"(?:[^"\\]|\\.)*"|`[^`]*`|\S+/g) ?? []).map((w) => w);
        const [head, ...rest] = words;
        if (FUNCTIONS.has(head))
            return { fn: head, args: rest.map((w) => argOf(w, source)) };
        if (rest.length)
            unsupported(source, `"${head}" is not a supported function`);
        return { args: [argOf(head, source)] };
    });
}
function argOf(word, source) {
    if (word === ".")
        return { field: [] };
    if (/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(word))
        return { field: word.slice(1).split(".") };
    if (/^"(?:[^"\\]|\\.)*"$/.test(word))
        return { str: JSON.parse(word) };
    if (/^`[^`]*`$/.test(word))
        return { str: word.slice(1, -1) };
    return unsupported(source, `"${word}" is not supported`);
}
function splitOutsideQuotes(text, sep) {
    const out = [];
    let current = "";
    let quote;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quote) {
            if (c === "\\" && quote === '"')
                current += c + (text[++i] ?? "");
            else {
                if (c === quote)
                    quote = undefined;
                current += c;
            }
        }
        else if (c === '"' || c === "`") {
            quote = c;
            current += c;
        }
        else if (c === sep) {
            out.push(current);
            current = "";
        }
        else
            current += c;
    }
    out.push(current);
    return out;
}
function run(nodes, dot, source) {
    let out = "";
    for (const node of nodes) {
        if (node.type === "text")
            out += node.text;
        else if (node.type === "out")
            out += show(evalPipe(node.pipe, dot, source), source);
        else if (node.type === "if") {
            out += run(truthy(evalPipe(node.pipe, dot, source)) ? node.body : node.alt, dot, source);
        }
        else {
            const value = evalPipe(node.pipe, dot, source);
            const items = Array.isArray(value) ? value : value == null ? [] : undefined;
            if (!items)
                throw (0,src_errors/* inputError */.Xu)(`--format: {{ range }} needs a list, got ${typeof value}`);
            if (items.length === 0)
                out += run(node.alt, dot, source);
            for (const item of items)
                out += run(node.body, item, source);
        }
    }
    return out;
}
function evalPipe(pipe, dot, source) {
    let value;
    pipe.forEach((cmd, index) => {
        const args = cmd.args.map((a) => ("str" in a ? a.str : field(dot, a.field)));
        // In a pipeline, the previous command's value is the last argument of the next one.
        if (index > 0)
            args.push(value);
        if (!cmd.fn) {
            if (index > 0)
                unsupported(source, "only a function can follow `|`");
            value = args[0];
            return;
        }
        value = call(cmd.fn, args);
    });
    return value;
}
function call(fn, args) {
    switch (fn) {
        case "json": {
            const [value, ...indent] = args;
            // Go's json.Marshal escapes <, > and & for HTML; MarshalIndent(v, prefix, indent).
            const text = indent.length === 0
                ? JSON.stringify(value ?? null)
                : JSON.stringify(value ?? null, null, String(indent.at(-1))).replace(/\n/g, `\n${indent.length > 1 ? String(indent[0]) : ""}`);
            return text.replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
        }
        case "len": {
            const v = args[0];
            if (Array.isArray(v) || typeof v === "string")
                return v.length;
            if (v && typeof v === "object")
                return Object.keys(v).length;
            return 0;
        }
        case "print":
            return args.map((a) => show(a, "")).join("");
        default:
            return `${args.map((a) => show(a, "")).join(" ")}\n`;
    }
}
function field(dot, path) {
    let value = dot;
    for (const [i, name] of path.entries()) {
        if (value == null)
            return undefined;
        if (typeof value !== "object" || Array.isArray(value) || !(name in value)) {
            const where = path
                .slice(0, i)
                .map((p) => `.${p}`)
                .join("") || ".";
            const fields = value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value).join(", ") : "none";
            throw (0,src_errors/* inputError */.Xu)(`--format: ${where} has no field "${name}" (fields: ${fields})`);
        }
        value = value[name];
    }
    return value;
}
const truthy = (v) => Array.isArray(v) ? v.length > 0 : v && typeof v === "object" ? Object.keys(v).length > 0 : Boolean(v);
function show(value, source) {
    if (value === undefined || value === null)
        return "";
    if (typeof value === "string")
        return value;
    if (typeof value === "number" || typeof value === "boolean")
        return String(value);
    if (source)
        unsupported(source, "a list or an object prints only through json, e.g. {{ json .Applied }}");
    return JSON.stringify(value);
}
/**
 * What `--format` asks for: undefined (the default text), or a template. `json` alone is taken as
 * `{{ json . }}` (this tool's earlier spelling).
 */
function parseFormat(format) {
    if (format === undefined || format === "")
        return undefined;
    return FormatTemplate.parse(format === "json" ? '{{ json . "  " }}' : format);
}

;// CONCATENATED MODULE: ./packages/core/src/config/hcl/values.ts
const isObject = (v) => v instanceof Map;
const isList = (v) => Array.isArray(v);
/** The type of a value as a person would name it in a message. */
function typeName(v) {
    if (v === null)
        return "null";
    if (Array.isArray(v))
        return "list";
    if (v instanceof Map)
        return "object";
    if (typeof v === "boolean")
        return "bool";
    return typeof v;
}
/**
 * `a string of 7 characters`, `a list of 2`: what was found, for "expected X, found Y" messages. A
 * string's content is shown only through `show` (a caller that knows it is safe, e.g. a redacted URL):
 * a type error must not print a variable's value, which may be a password.
 */
function describe(v, show) {
    if (v === null)
        return "null";
    if (typeof v === "string")
        return show ? `a string (${JSON.stringify(show(v))})` : `a string of ${v.length} characters`;
    if (typeof v === "number" || typeof v === "boolean")
        return `a ${typeName(v)} (${String(v)})`;
    return Array.isArray(v) ? `a list of ${v.length}` : "an object";
}
function equal(a, b) {
    if (a === b)
        return true;
    if (Array.isArray(a) && Array.isArray(b))
        return a.length === b.length && a.every((x, i) => equal(x, b[i]));
    if (a instanceof Map && b instanceof Map) {
        if (a.size !== b.size)
            return false;
        for (const [k, v] of a)
            if (!b.has(k) || !equal(v, b.get(k)))
                return false;
        return true;
    }
    return false;
}
/** Plain JSON (the `vars` input, jsondecode) -> a Value. */
function fromJson(x) {
    if (x === null || x === undefined)
        return null;
    if (typeof x === "string" || typeof x === "number" || typeof x === "boolean")
        return x;
    if (Array.isArray(x))
        return x.map(fromJson);
    if (typeof x === "object")
        return new Map(Object.entries(x).map(([k, v]) => [k, fromJson(v)]));
    return String(x);
}
/** A Value -> plain JSON, object keys sorted (as cty encodes them). */
function toJson(v) {
    if (Array.isArray(v))
        return v.map(toJson);
    if (v instanceof Map) {
        const out = {};
        for (const k of [...v.keys()].sort())
            out[k] = toJson(v.get(k));
        return out;
    }
    return v;
}
/** HCL's number formatting: integers without a fraction, other numbers in shortest form. */
const numberText = (n) => (Number.isInteger(n) ? n.toFixed(0) : String(n));
/** The string form used by templates and string conversion; undefined when there is none. */
function asString(v) {
    if (typeof v === "string")
        return v;
    if (typeof v === "number")
        return numberText(v);
    if (typeof v === "boolean")
        return String(v);
    return undefined;
}
/** Deduplicated and sorted: strings by code unit, numbers numerically, as cty orders set elements. */
function toSet(items) {
    const out = [];
    for (const item of items)
        if (!out.some((x) => equal(x, item)))
            out.push(item);
    if (out.every((x) => typeof x === "string"))
        return out.sort();
    if (out.every((x) => typeof x === "number"))
        return out.sort((a, b) => a - b);
    return out;
}

;// CONCATENATED MODULE: ./packages/core/src/config/data.ts
// Data sources of atlas.hcl that need I/O: `runtimevar` and `template_dir` (ariga/atlas
// cmd/atlas/internal/cmdext/cmdext.go: RuntimeVar, TemplateDir). The evaluator is synchronous, so a
// reference to a data source not fetched yet throws DataNeeded with what to fetch; the loader fetches
// it and evaluates again. Only data sources the selected env reaches are fetched.










const DATA_SOURCES = ["runtimevar", "template_dir"];
/** Thrown by the evaluator: these data sources must be fetched before the env can be resolved. */
class DataNeeded extends Error {
    requests;
    constructor(requests) {
        super(`data sources to fetch: ${requests.map((r) => `data.${r.type}.${r.name}`).join(", ")}`);
        this.requests = requests;
    }
}
const dataKey = (type, name) => `${type}.${name}`;
/** Fetches one data source: its value as the config sees it. `base` is the config's folder. */
async function fetchData(request, base) {
    const fail = (message) => {
        throw (0,src_errors/* configError */.Fj)(`${request.where}: data.${request.type}.${request.name}: ${message}`);
    };
    const str = (name, required = true) => {
        const v = request.attrs.get(name);
        if (v === undefined || v === null)
            return required ? fail(`the attribute "${name}" is required`) : undefined;
        if (typeof v !== "string")
            return fail(`"${name}" must be a string`);
        return v;
    };
    try {
        if (request.type === "runtimevar")
            return await runtimeVar(str("url"), base, fail);
        return await templateDir(str("path"), request, base, fail);
    }
    catch (err) {
        if (err instanceof Error && err.message.startsWith(request.where))
            throw err;
        return fail((0,src_errors/* messageOf */.bD)(err));
    }
}
/**
 * gocloud.dev/runtimevar URLs with the string decoder, as Atlas opens them: `file:///path` (relative
 * paths resolve against the config's folder), `http(s)://...`, `awssecretsmanager://<secret-id>?region=R`
 * and `awsparamstore://<name>?region=R` (the AWS SDK loaded only for these; `endpoint=` overrides the
 * service endpoint as gocloud's AWS URLs allow). `timeout` (default 10s) bounds the read.
 */
async function runtimeVar(text, base, fail) {
    let url;
    try {
        url = new URL(text);
    }
    catch {
        return fail(`cannot parse url ${JSON.stringify((0,src_secrets/* redactUrl */.BO)(text))}; expected e.g. file:///run/secrets/db-pass`);
    }
    const decoder = url.searchParams.get("decoder");
    if (decoder && decoder !== "string")
        fail(`unsupported decoder: "${decoder}" (Atlas reads runtimevars as strings)`);
    const timeout = url.searchParams.get("timeout");
    const ms = timeout ? data_parseGoDuration(timeout) : src_settings/* DEFAULT_RUNTIMEVAR_TIMEOUT_MS */.v6;
    if (ms === undefined)
        fail(`cannot parse timeout "${timeout}" (e.g. 5s)`);
    for (const p of ["decoder", "timeout", "wait"])
        url.searchParams.delete(p);
    const signal = AbortSignal.timeout(ms);
    const scheme = url.protocol.slice(0, -1);
    switch (scheme) {
        case "file": {
            const path = decodeURIComponent(`${url.host}${url.pathname}`);
            return (0,promises_.readFile)((0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(base, path), { encoding: "utf8", signal });
        }
        case "http":
        case "https": {
            const res = await fetch(url, { signal });
            if (!res.ok)
                fail(`GET ${(0,src_secrets/* redactUrl */.BO)(url.toString())}: HTTP ${res.status} ${res.statusText}`);
            return res.text();
        }
        case "awssecretsmanager":
        case "awsparamstore":
            return awsVariable(scheme, url, signal, fail);
        default:
            return fail(`unsupported runtimevar scheme "${scheme}://"; supported: file, http, https, awssecretsmanager, awsparamstore`);
    }
}
async function awsVariable(scheme, url, abortSignal, fail) {
    const region = url.searchParams.get("region") ?? undefined;
    const endpoint = url.searchParams.get("endpoint") ?? undefined;
    const config = { ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) };
    const name = decodeURIComponent(`${url.host}${url.pathname}`);
    if (!name)
        fail(`${scheme}:// needs a name, e.g. ${scheme}://my-secret?region=us-east-1`);
    if (scheme === "awssecretsmanager") {
        const sm = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(994)]).then(__webpack_require__.t.bind(__webpack_require__, 12994, 19));
        const client = new sm.SecretsManagerClient(config);
        try {
            const out = await client.send(new sm.GetSecretValueCommand({ SecretId: name }), { abortSignal });
            return out.SecretString ?? Buffer.from(out.SecretBinary ?? new Uint8Array()).toString("utf8");
        }
        finally {
            client.destroy();
        }
    }
    const ssm = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(736)]).then(__webpack_require__.t.bind(__webpack_require__, 34736, 19));
    const client = new ssm.SSMClient(config);
    try {
        const out = await client.send(new ssm.GetParameterCommand({ Name: name, WithDecryption: true }), {
            abortSignal,
        });
        return out.Parameter?.Value ?? fail(`parameter ${name} has no value`);
    }
    finally {
        client.destroy();
    }
}
function data_parseGoDuration(text) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
    return m ? Number(m[1]) * unit[m[2]] : undefined;
}
/**
 * Atlas's template_dir: every top-level `*.sql` file of `path` rendered as a Go template with `vars`,
 * into a fresh folder with its atlas.sum; the value is `{ url = "file://<folder>" }` for migration.dir.
 */
async function templateDir(path, request, base, fail) {
    const vars = request.attrs.get("vars");
    const data = vars === undefined || vars === null ? {} : toJson(vars);
    if (typeof data !== "object" || Array.isArray(data))
        fail(`attribute "vars" must be a map`);
    for (const key of request.attrs.keys()) {
        if (key !== "path" && key !== "vars")
            fail(`unexpected attribute "${key}"; expected path and vars`);
    }
    const source = (0,external_node_path_.resolve)(base, path);
    let dir;
    try {
        dir = await (0,files/* readDir */.Ci)(source, base);
    }
    catch (err) {
        return fail(`path ${path} is not a readable migration directory (${(0,src_errors/* messageOf */.bD)(err)})`);
    }
    const out = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), `migrate-relay-template-dir-${request.name}-`));
    const rendered = dir.files.map((file) => {
        let text;
        try {
            text = FormatTemplate.parse(Buffer.from(file.content).toString("utf8")).execute(data);
        }
        catch (err) {
            return fail(`executing template ${file.name}: ${(0,src_errors/* messageOf */.bD)(err).replace(/^--format /, "")}`);
        }
        return (0,files/* migrationFile */.ZQ)(file.name, new TextEncoder().encode(text));
    });
    await (0,files/* writeDir */.Zj)(out, { files: rendered, sum: (0,sum/* hashDir */.YT)(rendered) });
    return new Map([["url", `file://${out}`]]);
}

;// CONCATENATED MODULE: ./packages/core/src/config/hcl/source.ts
// Positions and errors that point into the config file: every config error starts with file:line:column.

const where = (file, pos) => `${file}:${pos.line}:${pos.col}`;
/**
 * Limits that keep a hostile or broken config from exhausting the stack or memory: an atlas.hcl is
 * a few kB, its expressions a few levels deep. Past them, a positioned config error.
 */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
const MAX_NESTING = 100;
const tooDeep = (file, pos) => errorAt(file, pos, `nested more than ${MAX_NESTING} levels deep (blocks, brackets, operators or "\${"); simplify it`);
/** A config error at a place in the file: `atlas.hcl:7:14: <message>`. */
function errorAt(file, pos, message) {
    return new src_errors/* RelayError */.cx("config", `${where(file, pos)}: ${message}`);
}
/** The nearest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
function closest(name, candidates) {
    let best;
    let bestScore = Number.POSITIVE_INFINITY;
    const lower = name.toLowerCase();
    for (const candidate of candidates) {
        // A case-only difference ranks before any real typo (functions are case-sensitive, people are not).
        const score = candidate.toLowerCase() === lower ? 0.5 : editDistance(name, candidate);
        if (score < bestScore) {
            bestScore = score;
            best = candidate;
        }
    }
    const allowed = name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3));
    return bestScore <= allowed ? best : undefined;
}
const didYouMean = (suggestion) => suggestion === undefined ? "" : `; did you mean "${suggestion}"?`;
function editDistance(a, b) {
    const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diag = prev[0];
        prev[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const up = prev[j];
            prev[j] = Math.min(up + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
            diag = up;
        }
    }
    return prev[b.length];
}

;// CONCATENATED MODULE: ./packages/core/src/config/go-url.ts
// Atlas's URL functions run Go's net/url: parse, change one part, String(). WHATWG URL (Node's URL)
// normalizes differently (hosts, special schemes), so the few Go rules they rely on are written here.
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*:)?(\/\/[^/?#]*)?([^?#]*)(\?[^#]*)?(#.*)?$/s;
function go_url_split(raw) {
    const m = URL_PARTS.exec(raw);
    if (!m)
        return undefined;
    return {
        scheme: m[1] ?? "",
        authority: m[2] ?? "",
        path: m[3] ?? "",
        query: (m[4] ?? "").slice(1),
        hasQuery: m[4] !== undefined,
        fragment: m[5] ?? "",
    };
}
const join = (u) => `${u.scheme}${u.authority}${u.path}${u.hasQuery && u.query !== "" ? `?${u.query}` : ""}${u.fragment}`;
const hex = (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
/** Go's url.QueryEscape: unreserved bytes stay, space becomes "+", everything else %XX. */
function queryEscape(s) {
    let out = "";
    for (const b of new TextEncoder().encode(s)) {
        const c = String.fromCharCode(b);
        if (/[A-Za-z0-9\-_.~]/.test(c))
            out += c;
        else if (c === " ")
            out += "+";
        else
            out += hex(b);
    }
    return out;
}
/** Go's path escaping (url.URL.EscapedPath): also keeps the sub-delimiters a path may hold. */
function pathEscape(s) {
    let out = "";
    for (const b of new TextEncoder().encode(s)) {
        const c = String.fromCharCode(b);
        out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c) ? c : hex(b);
    }
    return out;
}
function queryUnescape(s) {
    try {
        return decodeURIComponent(s.replace(/\+/g, " "));
    }
    catch {
        return undefined;
    }
}
/** urlsetpath(url, path): replaces the path; a host-relative path gains its leading "/" as in Go. */
function urlSetPath(raw, path) {
    const u = go_url_split(raw);
    if (!u)
        return undefined;
    let escaped = pathEscape(path);
    if (escaped !== "" && !escaped.startsWith("/") && u.authority !== "")
        escaped = `/${escaped}`;
    return join({ ...u, path: escaped });
}
/** urlqueryset(url, key, value): sets one parameter; Go re-encodes the query with keys sorted. */
function urlQuerySet(raw, key, value) {
    const u = go_url_split(raw);
    if (!u)
        return undefined;
    const params = new Map();
    for (const pair of u.query.split("&")) {
        if (pair === "" || pair.includes(";"))
            continue; // Go drops these pairs
        const eq = pair.indexOf("=");
        const k = queryUnescape(eq === -1 ? pair : pair.slice(0, eq));
        const v = queryUnescape(eq === -1 ? "" : pair.slice(eq + 1));
        if (k === undefined || v === undefined)
            continue;
        params.set(k, [...(params.get(k) ?? []), v]);
    }
    params.set(key, [value]);
    const query = [...params.keys()]
        .sort()
        .flatMap((k) => params.get(k).map((v) => `${queryEscape(k)}=${queryEscape(v)}`))
        .join("&");
    return join({ ...u, query, hasQuery: true });
}

;// CONCATENATED MODULE: ./packages/core/src/config/stdlib.ts
// The rest of Atlas's HCL standard library (ariga/atlas schemahcl/stdlib.go, stdFuncs; glob and fileset
// from cmd/atlas/internal/cmdapi/project.go), with cty's semantics (go-cty function/stdlib). `try` and
// `can` need their arguments unevaluated, so the evaluator runs them (evaluator.ts).



function str(c, i, param) {
    const s = asString(c.args[i]);
    if (s === undefined)
        c.fail(`argument ${i + 1} (${param}) must be a string; found ${describe(c.args[i])}`, i);
    return s;
}
function num(c, i, param) {
    const v = c.args[i];
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
    if (Number.isNaN(n))
        c.fail(`argument ${i + 1} (${param}) must be a number; found ${describe(v)}`, i);
    return n;
}
function stdlib_int(c, i, param) {
    const n = num(c, i, param);
    if (!Number.isInteger(n))
        c.fail(`argument ${i + 1} (${param}) must be a whole number; found ${n}`, i);
    return n;
}
function list(c, i, param) {
    const v = c.args[i];
    if (!isList(v))
        c.fail(`argument ${i + 1} (${param}) must be a list; found ${describe(v)}`, i);
    return v;
}
function collection(c, i) {
    const v = c.args[i];
    if (isList(v))
        return v;
    if (isObject(v))
        return [...v.keys()].sort().map((k) => v.get(k));
    return c.fail(`argument ${i + 1} must be a list, a map or a tuple; found ${describe(v)}`, i);
}
const strings = (c, i, param) => list(c, i, param).map((x, j) => {
    const s = asString(x);
    if (s === undefined)
        c.fail(`element ${j} of argument ${i + 1} must be a string; found ${describe(x)}`, i);
    return s;
});
/** Go's RE2 spelling -> JavaScript's: named groups `(?P<n>` and a leading `(?i)`/`(?s)`/`(?m)` flag group. */
function goRegex(c, i, extraFlags = "") {
    let pattern = str(c, i, "pattern").replace(/\(\?P</g, "(?<");
    let flags = extraFlags;
    const lead = /^\(\?([imsU]+)\)/.exec(pattern);
    if (lead) {
        flags += lead[1].replace("U", "");
        pattern = pattern.slice(lead[0].length);
    }
    try {
        return new RegExp(pattern, `u${flags}`);
    }
    catch (err) {
        return c.fail(`invalid regular expression: ${err.message}`, i);
    }
}
/** cty's regex result: the match when there are no groups, a list for unnamed groups, a map for named. */
function matchValue(m) {
    if (m.groups)
        return new Map(Object.entries(m.groups).map(([k, v]) => [k, v ?? null]));
    if (m.length === 1)
        return m[0];
    return m.slice(1).map((g) => g ?? null);
}
/** Go's time.ParseDuration: `1h30m`, `-1.5s`, `300ms`, `2us`. */
function goDurationMs(text) {
    const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
    if (!m)
        return text === "0" ? 0 : undefined;
    const unit = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
    let total = 0;
    for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
        total += Number(part[1]) * unit[part[2]];
    }
    return m[1] === "-" ? -total : total;
}
/** An RFC 3339 timestamp, as cty's formatdate and timeadd read it; the offset is kept for output. */
function timestamp(c, i) {
    const text = str(c, i, "timestamp");
    const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
    if (!m)
        c.fail(`not a valid RFC 3339 timestamp: ${JSON.stringify(text)} (e.g. "2024-01-02T15:04:05Z")`, i);
    const zone = m[8];
    const offsetMin = zone === "Z" || zone === "z"
        ? 0
        : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
    return { date: new Date(text), offsetMin };
}
function rfc3339(date, offsetMin) {
    const local = new Date(date.getTime() + offsetMin * 60_000);
    const base = local.toISOString().replace(/\.\d{3}Z$/, "");
    const ms = local.getUTCMilliseconds();
    const frac = ms ? `.${String(ms).padStart(3, "0").replace(/0+$/, "")}` : "";
    if (offsetMin === 0)
        return `${base}${frac}Z`;
    const abs = Math.abs(offsetMin);
    return `${base}${frac}${offsetMin < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
const MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
/** cty's formatdate spec: YYYY YY MMMM MMM MM M DD D EEEE EEE hh h HH H AA aa mm m ss s ZZZZZ ZZZZ ZZZ Z, 'literal'. */
function formatDate(c) {
    const spec = str(c, 0, "format");
    const { date, offsetMin } = timestamp(c, 1);
    const t = new Date(date.getTime() + offsetMin * 60_000);
    const pad = (n, w = 2) => String(n).padStart(w, "0");
    const h12 = t.getUTCHours() % 12 || 12;
    const sign = offsetMin < 0 ? "-" : "+";
    const oh = pad(Math.floor(Math.abs(offsetMin) / 60));
    const om = pad(Math.abs(offsetMin) % 60);
    const tokens = {
        YYYY: () => pad(t.getUTCFullYear(), 4),
        YY: () => pad(t.getUTCFullYear() % 100),
        MMMM: () => MONTHS[t.getUTCMonth()],
        MMM: () => MONTHS[t.getUTCMonth()].slice(0, 3),
        MM: () => pad(t.getUTCMonth() + 1),
        M: () => String(t.getUTCMonth() + 1),
        DD: () => pad(t.getUTCDate()),
        D: () => String(t.getUTCDate()),
        EEEE: () => DAYS[t.getUTCDay()],
        EEE: () => DAYS[t.getUTCDay()].slice(0, 3),
        hh: () => pad(t.getUTCHours()),
        h: () => String(t.getUTCHours()),
        HH: () => pad(h12),
        H: () => String(h12),
        AA: () => (t.getUTCHours() < 12 ? "AM" : "PM"),
        aa: () => (t.getUTCHours() < 12 ? "am" : "pm"),
        mm: () => pad(t.getUTCMinutes()),
        m: () => String(t.getUTCMinutes()),
        ss: () => pad(t.getUTCSeconds()),
        s: () => String(t.getUTCSeconds()),
        ZZZZZ: () => (offsetMin === 0 ? "Z" : `${sign}${oh}:${om}`),
        ZZZZ: () => `${sign}${oh}${om}`,
        ZZZ: () => (offsetMin === 0 ? "UTC" : `${sign}${oh}${om}`),
        Z: () => (offsetMin === 0 ? "Z" : `${sign}${oh}:${om}`),
    };
    let out = "";
    for (let i = 0; i < spec.length;) {
        const ch = spec[i];
        if (ch === "'") {
            const end = spec.indexOf("'", i + 1);
            if (end < 0)
                c.fail("unterminated literal ' in the format", 0);
            out += end === i + 1 ? "'" : spec.slice(i + 1, end);
            i = end + 1;
            continue;
        }
        if (/[A-Za-z]/.test(ch)) {
            let j = i;
            while (spec[j] === ch)
                j++;
            const run = spec.slice(i, j);
            const fn = tokens[run];
            if (!fn)
                c.fail(`invalid date format sequence "${run}"`, 0);
            out += fn();
            i = j;
            continue;
        }
        out += ch;
        i++;
    }
    return out;
}
/** A minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF rows. */
function csvRows(text) {
    const rows = [];
    let row = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted) {
            if (ch === '"' && text[i + 1] === '"') {
                field += '"';
                i++;
            }
            else if (ch === '"')
                quoted = false;
            else
                field += ch;
        }
        else if (ch === '"')
            quoted = true;
        else if (ch === ",") {
            row.push(field);
            field = "";
        }
        else if (ch === "\n" || ch === "\r") {
            if (ch === "\r" && text[i + 1] === "\n")
                i++;
            row.push(field);
            rows.push(row);
            row = [];
            field = "";
        }
        else
            field += ch;
    }
    if (field !== "" || row.length) {
        row.push(field);
        rows.push(row);
    }
    return rows;
}
/** Go's regexp.QuoteMeta. */
const quoteMeta = (s) => s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
/** A glob (`*`, `?`, `[...]`, `{a,b}` and doublestar `**`) as a regular expression over `/` paths. */
function globRegex(pattern, doublestar) {
    let re = "";
    for (let i = 0; i < pattern.length; i++) {
        const ch = pattern[i];
        if (ch === "*" && pattern[i + 1] === "*" && doublestar) {
            const slash = pattern[i + 2] === "/";
            re += slash ? "(?:.*/)?" : ".*";
            i += slash ? 2 : 1;
        }
        else if (ch === "*")
            re += "[^/]*";
        else if (ch === "?")
            re += "[^/]";
        else if (ch === "[") {
            const end = pattern.indexOf("]", i + 1);
            if (end < 0)
                re += "\\[";
            else {
                re += `[${pattern
                    .slice(i + 1, end)
                    .replace(/^!/, "^")
                    .replace(/\\/g, "\\\\")}]`;
                i = end;
            }
        }
        else if (ch === "{" && doublestar) {
            const end = pattern.indexOf("}", i + 1);
            if (end < 0)
                re += "\\{";
            else {
                re += `(?:${pattern
                    .slice(i + 1, end)
                    .split(",")
                    .map(quoteMeta)
                    .join("|")})`;
                i = end;
            }
        }
        else
            re += quoteMeta(ch);
    }
    return new RegExp(`^${re}$`);
}
function flatten(items) {
    return items.flatMap((x) => (isList(x) ? flatten(x) : [x]));
}
/** Values as cty orders set elements; an element is a JSON text so lists and maps compare too. */
const key = (v) => JSON.stringify(toJson(v));
function makeStdlib(host, format) {
    const yaml = (c) => {
        if (!host.yaml)
            c.fail("the YAML functions are not available here");
        return host.yaml;
    };
    const math = (f) => ({
        params: ["num"],
        impl: (c) => f(num(c, 0, "num")),
    });
    const numbers = (c) => c.args.map((_, i) => num(c, i, "numbers"));
    return {
        abs: math(Math.abs),
        ceil: math(Math.ceil),
        floor: math(Math.floor),
        signum: math((n) => (n > 0 ? 1 : n < 0 ? -1 : 0)),
        log: {
            params: ["num", "base"],
            impl: (c) => Math.log(num(c, 0, "num")) / Math.log(num(c, 1, "base")),
        },
        pow: { params: ["num", "power"], impl: (c) => num(c, 0, "num") ** num(c, 1, "power") },
        max: {
            params: [],
            variadic: "numbers",
            impl: (c) => c.args.length ? Math.max(...numbers(c)) : c.fail("max needs at least one number"),
        },
        min: {
            params: [],
            variadic: "numbers",
            impl: (c) => c.args.length ? Math.min(...numbers(c)) : c.fail("min needs at least one number"),
        },
        parseint: {
            params: ["number", "base"],
            impl: (c) => {
                const text = str(c, 0, "number");
                const base = stdlib_int(c, 1, "base");
                if (base < 2 || base > 62)
                    c.fail(`base must be a whole number between 2 and 62; found ${base}`, 1);
                const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
                const body = text.replace(/^[-+]/, "");
                const alphabet = base <= 36 ? digits.slice(0, base) + digits.slice(10, base).toUpperCase() : digits.slice(0, base);
                if (body === "" || [...body].some((ch) => !alphabet.includes(ch)))
                    c.fail(`cannot parse ${JSON.stringify(text)} as a base ${base} integer`, 0);
                let n = 0;
                for (const ch of body)
                    n = n * base + (base <= 36 ? Number.parseInt(ch, 36) : digits.indexOf(ch));
                return text.startsWith("-") ? -n : n;
            },
        },
        range: {
            params: [],
            variadic: "params",
            impl: (c) => {
                const args = c.args.map((_, i) => num(c, i, "params"));
                if (args.length < 1 || args.length > 3)
                    c.fail(`range takes 1 to 3 numbers (limit | start, limit[, step]); found ${args.length}`);
                const [start, limit, step] = args.length === 1
                    ? [0, args[0], 1]
                    : [args[0], args[1], args[2] ?? (args[1] >= args[0] ? 1 : -1)];
                if (step === 0)
                    c.fail("step must not be zero");
                if ((step > 0 && start > limit) || (step < 0 && start < limit))
                    c.fail("step goes away from the limit");
                const out = [];
                for (let n = start; step > 0 ? n < limit : n > limit; n += step) {
                    out.push(n);
                    if (out.length > 1024)
                        c.fail("more than 1024 values");
                }
                return out;
            },
        },
        alltrue: { params: ["collection"], impl: (c) => collection(c, 0).every((v) => v === true) },
        empty: { params: ["collection"], impl: (c) => collection(c, 0).length === 0 },
        chomp: { params: ["str"], impl: (c) => str(c, 0, "str").replace(/(?:\r\n?|\n)*$/, "") },
        chunklist: {
            params: ["list", "size"],
            impl: (c) => {
                const items = list(c, 0, "list");
                const size = stdlib_int(c, 1, "size");
                if (size < 0)
                    c.fail("size must not be negative", 1);
                if (size === 0)
                    return [items];
                const out = [];
                for (let i = 0; i < items.length; i += size)
                    out.push(items.slice(i, i + size));
                return out;
            },
        },
        coalescelist: {
            params: [],
            variadic: "lists",
            impl: (c) => {
                const lists = c.args.map((_, i) => list(c, i, "lists"));
                const found = lists.find((l) => l.length > 0);
                if (!found)
                    c.fail("no non-empty list was given");
                return found;
            },
        },
        compact: { params: ["list"], impl: (c) => strings(c, 0, "list").filter((s) => s !== "") },
        csvdecode: {
            params: ["str"],
            impl: (c) => {
                const [header, ...rows] = csvRows(str(c, 0, "str"));
                if (!header)
                    c.fail("missing header line", 0);
                return rows.map((row, r) => {
                    if (row.length !== header.length)
                        c.fail(`row ${r + 2} has ${row.length} fields; the header has ${header.length}`, 0);
                    return new Map(header.map((h, i) => [h, row[i]]));
                });
            },
        },
        distinct: {
            params: ["list"],
            impl: (c) => {
                const seen = new Set();
                return list(c, 0, "list").filter((v) => !seen.has(key(v)) && seen.add(key(v)));
            },
        },
        element: {
            params: ["list", "index"],
            impl: (c) => {
                const items = list(c, 0, "list");
                const i = stdlib_int(c, 1, "index");
                if (items.length === 0)
                    c.fail("cannot use element function with an empty list", 0);
                if (i < 0)
                    c.fail("cannot use element function with a negative index", 1);
                return items[i % items.length];
            },
        },
        flatten: { params: ["list"], impl: (c) => flatten(list(c, 0, "list")) },
        formatdate: { params: ["format", "time"], impl: formatDate },
        formatlist: {
            params: ["format"],
            variadic: "args",
            impl: (c) => {
                const lengths = c.args
                    .slice(1)
                    .filter(isList)
                    .map((l) => l.length);
                if (new Set(lengths).size > 1)
                    c.fail("every list argument must have the same length");
                const n = lengths[0] ?? 1;
                return Array.from({ length: n }, (_, row) => format({ ...c, args: [c.args[0], ...c.args.slice(1).map((a) => (isList(a) ? a[row] : a))] }));
            },
        },
        indent: {
            params: ["spaces", "str"],
            impl: (c) => str(c, 1, "str").replace(/\n/g, `\n${" ".repeat(stdlib_int(c, 0, "spaces"))}`),
        },
        index: {
            params: ["list", "value"],
            impl: (c) => {
                const i = list(c, 0, "list").findIndex((v) => equal(v, c.args[1]));
                if (i < 0)
                    c.fail("item not found", 1);
                return i;
            },
        },
        print: {
            params: ["print"],
            impl: (c) => {
                const v = c.args[0];
                (host.print ?? ((line) => process.stderr.write(`${line}\n`)))(asString(v) ?? key(v));
                return v;
            },
        },
        regex: {
            params: ["pattern", "string"],
            impl: (c) => {
                const m = goRegex(c, 0).exec(str(c, 1, "string"));
                if (!m)
                    c.fail("pattern did not match any part of the given string", 1);
                return matchValue(m);
            },
        },
        regexall: {
            params: ["pattern", "string"],
            impl: (c) => [...str(c, 1, "string").matchAll(goRegex(c, 0, "g"))].map((m) => matchValue(m)),
        },
        regexpescape: { params: ["string"], impl: (c) => quoteMeta(str(c, 0, "string")) },
        regexreplace: {
            params: ["string", "pattern", "replace"],
            impl: (c) => 
            // Go's ${name} and $1 expansions; JavaScript spells a named one $<name>.
            str(c, 0, "string").replace(goRegex(c, 1, "g"), str(c, 2, "replace").replace(/\$\{(\w+)\}/g, (_, n) => /^\d+$/.test(n) ? `$${n}` : `$<${n}>`)),
        },
        reverse: { params: ["list"], impl: (c) => [...list(c, 0, "list")].reverse() },
        strrev: { params: ["str"], impl: (c) => [...str(c, 0, "str")].reverse().join("") },
        setintersection: {
            params: ["first_set"],
            variadic: "other_sets",
            impl: (c) => {
                const sets = c.args.map((_, i) => list(c, i, "sets"));
                return toSet(sets[0].filter((v) => sets.every((s) => s.some((x) => equal(x, v)))));
            },
        },
        setsubtract: {
            params: ["a", "b"],
            impl: (c) => {
                const b = list(c, 1, "b");
                return toSet(list(c, 0, "a").filter((v) => !b.some((x) => equal(x, v))));
            },
        },
        setunion: {
            params: ["first_set"],
            variadic: "other_sets",
            impl: (c) => toSet(c.args.flatMap((_, i) => list(c, i, "sets"))),
        },
        setproduct: {
            params: [],
            variadic: "sets",
            impl: (c) => {
                const sets = c.args.map((_, i) => list(c, i, "sets"));
                if (sets.length < 2)
                    c.fail("at least two arguments are required");
                return sets.reduce((acc, set) => acc.flatMap((prefix) => set.map((v) => [...prefix, v])), [[]]);
            },
        },
        slice: {
            params: ["list", "start_index", "end_index"],
            impl: (c) => {
                const items = list(c, 0, "list");
                const [start, end] = [stdlib_int(c, 1, "start_index"), stdlib_int(c, 2, "end_index")];
                if (start < 0 || end > items.length || start > end)
                    c.fail(`indices ${start}..${end} are outside the list of ${items.length} (0 <= start <= end <= length)`);
                return items.slice(start, end);
            },
        },
        sort: { params: ["list"], impl: (c) => strings(c, 0, "list").sort() },
        substr: {
            params: ["str", "offset", "length"],
            impl: (c) => {
                const chars = [...str(c, 0, "str")];
                let offset = stdlib_int(c, 1, "offset");
                const length = stdlib_int(c, 2, "length");
                if (offset < 0)
                    offset = Math.max(0, chars.length + offset);
                if (offset > chars.length)
                    return "";
                return chars.slice(offset, length < 0 ? undefined : offset + length).join("");
            },
        },
        timeadd: {
            params: ["timestamp", "duration"],
            impl: (c) => {
                const { date, offsetMin } = timestamp(c, 0);
                const ms = goDurationMs(str(c, 1, "duration"));
                if (ms === undefined)
                    c.fail(`invalid duration ${JSON.stringify(str(c, 1, "duration"))} (e.g. "1h30m")`, 1);
                return rfc3339(new Date(date.getTime() + ms), offsetMin);
            },
        },
        title: {
            params: ["str"],
            impl: (c) => str(c, 0, "str").replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_, a, b) => a + b.toUpperCase()),
        },
        tobool: {
            params: ["v"],
            impl: (c) => {
                const v = c.args[0];
                if (v === null || typeof v === "boolean")
                    return v;
                if (v === "true" || v === "false")
                    return v === "true";
                return c.fail(`cannot convert ${describe(v)} to bool; only "true" or "false" are allowed`, 0);
            },
        },
        trim: {
            params: ["str", "cutset"],
            impl: (c) => {
                const cut = new Set(str(c, 1, "cutset"));
                const chars = [...str(c, 0, "str")];
                let [a, b] = [0, chars.length];
                while (a < b && cut.has(chars[a]))
                    a++;
                while (b > a && cut.has(chars[b - 1]))
                    b--;
                return chars.slice(a, b).join("");
            },
        },
        urluserinfo: {
            params: ["url", "user"],
            variadic: "pass",
            impl: (c) => {
                const text = str(c, 0, "url");
                const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)(?:[^@/?#]*@)?(.*)$/s.exec(text);
                if (!m)
                    c.fail(`cannot parse ${JSON.stringify(text)} as a URL with a host`, 0);
                // Go's url.UserPassword escaping (userinfo: unreserved and sub-delims kept).
                const esc = (s) => encodeURIComponent(s).replace(/%(21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi, (e) => decodeURIComponent(e));
                const user = esc(str(c, 1, "user"));
                const pass = c.args.length > 2 && c.args[2] !== null ? `:${esc(str(c, 2, "pass"))}` : "";
                return `${m[1]}${user}${pass}@${m[2]}`;
            },
        },
        zipmap: {
            params: ["keys", "values"],
            impl: (c) => {
                const keys = strings(c, 0, "keys");
                const values = list(c, 1, "values");
                if (keys.length !== values.length)
                    c.fail(`${keys.length} keys but ${values.length} values`);
                return new Map(keys.map((k, i) => [k, values[i]]));
            },
        },
        // Atlas's stub for raw SQL expressions in schema files; in a project file it is the text itself.
        sql: {
            params: ["def"],
            impl: (c) => {
                const s = str(c, 0, "def");
                if (s === "")
                    c.fail("empty expression", 0);
                return s;
            },
        },
        glob: { params: ["pattern"], impl: (c) => host.glob(str(c, 0, "pattern"), false) },
        fileset: { params: ["pattern"], impl: (c) => host.glob(str(c, 0, "pattern"), true) },
        yamldecode: {
            params: ["src"],
            impl: (c) => {
                try {
                    return fromPlain(yaml(c).parse(str(c, 0, "src")));
                }
                catch (err) {
                    return c.fail(`invalid YAML: ${err.message.split("\n")[0]}`, 0);
                }
            },
        },
        yamlencode: { params: ["value"], impl: (c) => yaml(c).stringify(toJson(c.args[0])) },
        yamlmerge: {
            params: [],
            variadic: "values",
            impl: (c) => {
                const docs = c.args.filter((v) => v !== null);
                if (docs.length === 0)
                    return null;
                if (c.args.length === 1)
                    return str(c, 0, "values");
                const out = {};
                c.args.forEach((v, i) => {
                    if (v === null)
                        return;
                    const doc = yaml(c).parse(str(c, i, "values")) ?? {};
                    deepMerge(out, doc, (m) => c.fail(`yamlmerge: ${m}`, i));
                });
                return yaml(c).stringify(out);
            },
        },
    };
}
function fromPlain(x) {
    if (x === null || x === undefined)
        return null;
    if (typeof x === "string" || typeof x === "number" || typeof x === "boolean")
        return x;
    if (Array.isArray(x))
        return x.map(fromPlain);
    if (x instanceof Date)
        return x.toISOString();
    if (typeof x === "object")
        return new Map(Object.entries(x).map(([k, v]) => [k, fromPlain(v)]));
    return String(x);
}
/** Atlas's deepMerge: maps merge, lists append, scalars are replaced; a type clash is an error. */
function deepMerge(dst, src, fail) {
    for (const [k, v] of Object.entries(src)) {
        const have = dst[k];
        if (v && typeof v === "object" && !Array.isArray(v)) {
            if (have === undefined)
                dst[k] = {};
            else if (!have || typeof have !== "object" || Array.isArray(have))
                fail(`key ${k} is defined in both src and dst, but has a different type`);
            deepMerge(dst[k], v, fail);
        }
        else if (Array.isArray(v)) {
            if (have === undefined)
                dst[k] = [];
            else if (!Array.isArray(have))
                fail(`key ${k} is defined in both src and dst, but has a different type`);
            dst[k].push(...v);
        }
        else
            dst[k] = v;
    }
}
/**
 * The files a glob names, absolute and sorted: relative patterns start at `base` (the config's folder),
 * as Atlas's glob (filepath.Glob) and fileset (doublestar) do. Only the folder before the first
 * wildcard is walked.
 */
function globFiles(base, pattern, doublestar) {
    const full = ((0,external_node_path_.isAbsolute)(pattern) ? pattern : (0,external_node_path_.join)(base, pattern)).split(external_node_path_.sep).join("/");
    const first = full.search(/[*?[{]/);
    if (first < 0)
        return (0,external_node_fs_.existsSync)(full) ? [full] : [];
    const root = full.slice(0, full.lastIndexOf("/", first) + 1) || "/";
    const re = globRegex(full, doublestar);
    const deep = doublestar && full.includes("**");
    const depth = full.slice(root.length).split("/").length;
    let entries;
    try {
        entries = (0,external_node_fs_.readdirSync)(root, { recursive: deep || depth > 1 }).map((e) => `${root}${e.split(external_node_path_.sep).join("/")}`);
    }
    catch {
        return [];
    }
    return entries.filter((p) => re.test(p)).sort();
}

;// CONCATENATED MODULE: ./packages/core/src/config/functions.ts
// The functions Atlas configs call: exactly Atlas's set (schemahcl/stdlib.go stdFuncs, plus file, glob,
// fileset and getenv of cmdapi/project.go); the less common ones live in stdlib.ts, try/can in the
// evaluator. Names are case-sensitive, as in HCL; semantics follow Atlas/cty
// (URL functions follow Go's net/url, format follows Go verbs, jsonencode sorts keys like cty).



function functions_str(call, i, param) {
    const v = call.args[i];
    const s = asString(v);
    if (s === undefined)
        call.fail(`argument ${i + 1} (${param}) must be a string; found ${describe(v)}`, i);
    return s;
}
function functions_list(call, i, param) {
    const v = call.args[i];
    if (!isList(v))
        call.fail(`argument ${i + 1} (${param}) must be a list; found ${describe(v)}`, i);
    return v;
}
function url(call, result) {
    if (result === undefined)
        call.fail(`cannot parse ${JSON.stringify(functions_str(call, 0, "url"))} as a URL`, 0);
    return result;
}
/** Go's JSON encoding of a string (what cty's jsonencode emits): HTML-safe escapes. */
const jsonEncode = (v) => JSON.stringify(toJson(v)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
/** cty's format(): Go-style verbs %s %d %v %q %t %f and %%. */
function format(call) {
    const spec = functions_str(call, 0, "format");
    let next = 1;
    const out = spec.replace(/%([-0]*)([0-9]+)?(\.[0-9]+)?([a-zA-Z%])?/g, (whole, flags, width, precision, verb) => {
        if (verb === "%")
            return "%";
        // Go's width and flags: `-` pads on the right, `0` pads numbers with zeros.
        const pad = (text) => {
            const w = Number(width ?? 0);
            if (text.length >= w)
                return text;
            if (flags.includes("-"))
                return text.padEnd(w);
            if (flags.includes("0") && (verb === "d" || verb === "f")) {
                const neg = text.startsWith("-");
                return (neg ? "-" : "") + text.slice(neg ? 1 : 0).padStart(w - (neg ? 1 : 0), "0");
            }
            return text.padStart(w);
        };
        return pad(formatVerb(whole, precision, verb));
    });
    function formatVerb(whole, precision, verb) {
        if (verb === "%")
            return "%";
        if (verb === undefined)
            call.fail(`unfinished verb ${JSON.stringify(whole)} at the end of the format`, 0);
        const index = next++;
        if (index >= call.args.length)
            call.fail(`not enough arguments for the verb "%${verb}" (number ${index})`, 0);
        const v = call.args[index];
        switch (verb) {
            case "s":
                return functions_str(call, index, `the value for %s`);
            case "v":
                return asString(v) ?? jsonEncode(v);
            case "q":
                return JSON.stringify(functions_str(call, index, `the value for %q`));
            case "d":
                if (typeof v !== "number" || !Number.isInteger(v))
                    call.fail(`"%d" needs a whole number; found ${describe(v)}`, index);
                return numberText(v);
            case "f":
                if (typeof v !== "number")
                    call.fail(`"%f" needs a number; found ${describe(v)}`, index);
                return v.toFixed(precision ? Number(precision.slice(1)) : 6);
            case "t":
                if (typeof v !== "boolean")
                    call.fail(`"%t" needs a bool; found ${describe(v)}`, index);
                return String(v);
            default:
                call.fail(`unsupported verb "%${verb}"; expected one of %s %d %v %q %t %f %%`, 0);
        }
    }
    if (next < call.args.length)
        call.fail(`too many arguments: the format uses ${next - 1}, found ${call.args.length - 1}`, next);
    return out;
}
function makeFunctions(host) {
    const table = {
        getenv: { params: ["name"], impl: (c) => host.getenv(functions_str(c, 0, "name")) ?? "" },
        file: {
            params: ["path"],
            impl: (c) => {
                const path = functions_str(c, 0, "path");
                try {
                    return host.readFile(path);
                }
                catch (err) {
                    const reason = err.code === "ENOENT" ? "no such file" : err.message;
                    c.fail(`cannot read ${JSON.stringify(path)}: ${reason}`, 0);
                }
            },
        },
        urlsetpath: {
            params: ["url", "path"],
            impl: (c) => url(c, urlSetPath(functions_str(c, 0, "url"), functions_str(c, 1, "path"))),
        },
        urlqueryset: {
            params: ["url", "key", "value"],
            impl: (c) => url(c, urlQuerySet(functions_str(c, 0, "url"), functions_str(c, 1, "key"), functions_str(c, 2, "value"))),
        },
        urlescape: { params: ["string"], impl: (c) => queryEscape(functions_str(c, 0, "string")) },
        toset: {
            params: ["list"],
            impl: (c) => {
                const items = functions_list(c, 0, "list");
                // A set holds one type: mixed strings and numbers become strings, as cty unifies them.
                if (!items.some((x) => typeof x === "string"))
                    return toSet(items);
                return toSet(items.map((x, i) => {
                    const s = asString(x);
                    if (s === undefined)
                        c.fail(`element ${i} must be a string; found ${describe(x)}`, 0);
                    return s;
                }));
            },
        },
        tolist: { params: ["value"], impl: (c) => functions_list(c, 0, "value") },
        tostring: {
            params: ["value"],
            impl: (c) => (c.args[0] === null ? null : functions_str(c, 0, "value")),
        },
        tonumber: {
            params: ["value"],
            impl: (c) => {
                const v = c.args[0];
                if (v === null || typeof v === "number")
                    return v;
                if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)))
                    return Number(v);
                c.fail(`cannot convert ${describe(v)} to a number`, 0);
            },
        },
        concat: {
            params: [],
            variadic: "lists",
            impl: (c) => c.args.flatMap((_, i) => functions_list(c, i, "list")),
        },
        format: { params: ["format"], variadic: "args", impl: format },
        jsonencode: { params: ["value"], impl: (c) => jsonEncode(c.args[0]) },
        jsondecode: {
            params: ["string"],
            impl: (c) => {
                const s = functions_str(c, 0, "string");
                try {
                    return fromJson(JSON.parse(s));
                }
                catch (err) {
                    c.fail(`invalid JSON: ${err.message}`, 0);
                }
            },
        },
        split: {
            params: ["separator", "string"],
            impl: (c) => functions_str(c, 1, "string").split(functions_str(c, 0, "separator")),
        },
        join: {
            params: ["separator", "list"],
            impl: (c) => {
                const sep = functions_str(c, 0, "separator");
                const items = functions_list(c, 1, "list");
                return items
                    .map((x, i) => {
                    const s = asString(x);
                    if (s === undefined)
                        c.fail(`element ${i} of the list must be a string; found ${describe(x)}`, 1);
                    return s;
                })
                    .join(sep);
            },
        },
        replace: {
            params: ["string", "substring", "replacement"],
            impl: (c) => functions_str(c, 0, "string")
                .split(functions_str(c, 1, "substring"))
                .join(functions_str(c, 2, "replacement")),
        },
        lower: { params: ["string"], impl: (c) => functions_str(c, 0, "string").toLowerCase() },
        upper: { params: ["string"], impl: (c) => functions_str(c, 0, "string").toUpperCase() },
        trimspace: { params: ["string"], impl: (c) => functions_str(c, 0, "string").trim() },
        trimprefix: {
            params: ["string", "prefix"],
            impl: (c) => {
                const [s, p] = [functions_str(c, 0, "string"), functions_str(c, 1, "prefix")];
                return s.startsWith(p) ? s.slice(p.length) : s;
            },
        },
        trimsuffix: {
            params: ["string", "suffix"],
            impl: (c) => {
                const [s, p] = [functions_str(c, 0, "string"), functions_str(c, 1, "suffix")];
                return p !== "" && s.endsWith(p) ? s.slice(0, -p.length) : s;
            },
        },
        startswith: {
            params: ["string", "prefix"],
            impl: (c) => functions_str(c, 0, "string").startsWith(functions_str(c, 1, "prefix")),
        },
        endswith: {
            params: ["string", "suffix"],
            impl: (c) => functions_str(c, 0, "string").endsWith(functions_str(c, 1, "suffix")),
        },
        length: {
            params: ["value"],
            impl: (c) => {
                const v = c.args[0];
                if (typeof v === "string")
                    return [...v].length;
                if (isList(v))
                    return v.length;
                if (isObject(v))
                    return v.size;
                c.fail(`expects a string, list or map; found ${describe(v)}`, 0);
            },
        },
        contains: {
            params: ["list", "value"],
            impl: (c) => functions_list(c, 0, "list").some((x) => JSON.stringify(toJson(x)) === JSON.stringify(toJson(c.args[1]))),
        },
        keys: { params: ["map"], impl: (c) => [...mapArg(c, 0).keys()].sort() },
        values: {
            params: ["map"],
            impl: (c) => {
                const m = mapArg(c, 0);
                return [...m.keys()].sort().map((k) => m.get(k));
            },
        },
        merge: {
            params: [],
            variadic: "maps",
            impl: (c) => {
                const out = new Map();
                c.args.forEach((_, i) => {
                    if (c.args[i] === null)
                        return;
                    for (const [k, v] of mapArg(c, i))
                        out.set(k, v);
                });
                return out;
            },
        },
        ...makeStdlib(host, format),
    };
    return new Map(Object.entries(table));
}
function mapArg(call, i) {
    const v = call.args[i];
    if (!isObject(v))
        call.fail(`argument ${i + 1} must be a map; found ${describe(v)}`, i);
    return v;
}

;// CONCATENATED MODULE: ./packages/core/src/config/hcl/ast.ts
/** The placeholder a splat's `each` expression starts from (the current element). */
const SPLAT_ITEM = "\u0000splat";

;// CONCATENATED MODULE: ./packages/core/src/config/hcl/evaluator.ts
// Expressions -> values. Names resolve through for-expression variables, then per-attribute enums,
// then namespaces (local, var, each, atlas, data) that the caller supplies and resolves lazily.




function evaluate(expr, ctx) {
    return new Evaluator(ctx).eval(expr);
}
class Evaluator {
    ctx;
    /** Variables of enclosing for expressions and splats, innermost last. */
    scopes = [];
    constructor(ctx) {
        this.ctx = ctx;
    }
    fail(at, message) {
        throw errorAt(this.ctx.file, at.pos, message);
    }
    text(at) {
        return this.ctx.source.slice(at.start, at.end);
    }
    lookupScope(name) {
        for (let k = this.scopes.length - 1; k >= 0; k--) {
            const scope = this.scopes[k];
            if (scope.has(name))
                return scope.get(name);
        }
        return undefined;
    }
    eval(expr) {
        switch (expr.type) {
            case "literal":
                return expr.value;
            case "template":
                return this.template(expr);
            case "variable":
                return this.variable(expr);
            case "getattr":
                return this.getattr(expr);
            case "index":
                return this.index(expr);
            case "splat":
                return this.splat(expr);
            case "call":
                return this.call(expr);
            case "tuple":
                return expr.items.map((item) => this.eval(item));
            case "object": {
                const out = new Map();
                for (const { key, value } of expr.items)
                    out.set(this.key(key), this.eval(value));
                return out;
            }
            case "unary":
                return expr.op === "!"
                    ? !this.bool(expr.operand, 'operator "!"')
                    : -this.number(expr.operand, 'operator "-"');
            case "binary":
                return this.binary(expr);
            case "conditional":
                return this.bool(expr.cond, "the condition") ? this.eval(expr.then) : this.eval(expr.else);
            case "for":
                return this.forExpr(expr);
        }
    }
    template(expr) {
        // "${x}" alone yields x itself, of any type, as in HCL.
        if (expr.parts.length === 1 && typeof expr.parts[0] !== "string")
            return this.eval(expr.parts[0]);
        let out = "";
        for (const part of expr.parts) {
            if (typeof part === "string") {
                out += part;
                continue;
            }
            const value = this.eval(part);
            const s = asString(value);
            if (s === undefined) {
                this.fail(part, `cannot put ${describe(value)} into a string template; expected a string, number or bool`);
            }
            out += s;
        }
        return out;
    }
    variable(expr) {
        const scoped = this.lookupScope(expr.name);
        if (scoped !== undefined)
            return scoped;
        const enumValue = this.ctx.enums?.get(expr.name);
        if (enumValue !== undefined)
            return enumValue;
        if (this.ctx.namespaces.has(expr.name)) {
            this.fail(expr, `"${expr.name}" must be followed by an attribute name, e.g. ${expr.name}.name`);
        }
        const names = [
            ...this.scopes.flatMap((s) => [...s.keys()]),
            ...(this.ctx.enums?.keys() ?? []),
            ...this.ctx.namespaces.keys(),
        ].filter((n) => n !== SPLAT_ITEM);
        this.fail(expr, `unknown variable "${expr.name}"${didYouMean(closest(expr.name, names))}`);
    }
    getattr(expr) {
        const root = expr.object;
        if (root.type === "variable" && this.lookupScope(root.name) === undefined) {
            const namespace = this.ctx.namespaces.get(root.name);
            if (namespace)
                return namespace.get(expr.name, expr);
        }
        const object = this.eval(root);
        if (isObject(object)) {
            const value = object.get(expr.name);
            if (value !== undefined)
                return value;
            const hint = didYouMean(closest(expr.name, object.keys()));
            this.fail(expr.nameSpan, `${this.text(root)} has no attribute "${expr.name}"${hint}`);
        }
        this.fail(expr.nameSpan, `cannot read attribute "${expr.name}" of ${describe(object)} (${this.text(root)})`);
    }
    index(expr) {
        const object = this.eval(expr.object);
        const key = this.eval(expr.key);
        if (isList(object)) {
            if (typeof key !== "number" || !Number.isInteger(key)) {
                this.fail(expr.key, `a list index must be a whole number; found ${describe(key)}`);
            }
            const value = object[key];
            if (value === undefined || key < 0) {
                this.fail(expr.key, `index ${key} is out of range for ${this.text(expr.object)} (${describe(object)})`);
            }
            return value;
        }
        if (isObject(object)) {
            const name = asString(key);
            if (name === undefined)
                this.fail(expr.key, `a map key must be a string; found ${describe(key)}`);
            const value = object.get(name);
            if (value !== undefined)
                return value;
            this.fail(expr.key, `${this.text(expr.object)} has no key "${name}"${didYouMean(closest(name, object.keys()))}`);
        }
        this.fail(expr, `cannot index ${describe(object)} (${this.text(expr.object)}); expected a list or a map`);
    }
    splat(expr) {
        const object = this.eval(expr.object);
        const items = object === null ? [] : isList(object) ? object : [object];
        return items.map((item) => this.withScope(new Map([[SPLAT_ITEM, item]]), () => this.eval(expr.each)));
    }
    call(expr) {
        // try() and can() see their arguments' errors, so they evaluate them here (hcl/ext/tryfunc).
        // A data source that still has to be fetched is not an error of the expression: it passes through.
        if (expr.name === "try" || expr.name === "can") {
            if (expr.name === "can" && expr.args.length !== 1)
                this.fail(expr, `can(expression) takes 1 argument, found ${expr.args.length}`);
            if (expr.args.length === 0)
                this.fail(expr, "try(expressions...) takes at least 1 argument, found 0");
            const errors = [];
            for (const arg of expr.args) {
                try {
                    const value = this.eval(arg);
                    return expr.name === "can" ? true : value;
                }
                catch (err) {
                    if (!(err instanceof src_errors/* RelayError */.cx) || err.kind !== "config")
                        throw err;
                    errors.push(err.message);
                }
            }
            if (expr.name === "can")
                return false;
            this.fail(expr, `no expression succeeded: ${errors.join("; ")}`);
        }
        const fn = this.ctx.functions.get(expr.name);
        if (!fn) {
            const hint = didYouMean(closest(expr.name, this.ctx.functions.keys()));
            this.fail(expr, `unknown function "${expr.name}"${hint}`);
        }
        const args = expr.args.map((a) => this.eval(a));
        const argSpans = [...expr.args];
        if (expr.expandLast) {
            const last = args.pop();
            const lastSpan = argSpans.pop();
            if (!isList(last))
                this.fail(lastSpan, `"..." expands a list; found ${describe(last)}`);
            args.push(...last);
            argSpans.push(...last.map(() => lastSpan));
        }
        const arity = fn.params.length;
        if (args.length < arity || (!fn.variadic && args.length > arity)) {
            const names = [...fn.params, ...(fn.variadic ? [`${fn.variadic}...`] : [])].join(", ");
            const count = fn.variadic ? `at least ${arity}` : String(arity);
            this.fail(expr, `${expr.name}(${names}) takes ${count} argument${arity === 1 && !fn.variadic ? "" : "s"}, found ${args.length}`);
        }
        return fn.impl({
            name: expr.name,
            args,
            fail: (message, argIndex) => this.fail(argIndex === undefined ? expr : (argSpans[argIndex] ?? expr), `${expr.name}: ${message}`),
        });
    }
    binary(expr) {
        const op = expr.op;
        const what = `operator "${op}"`;
        switch (op) {
            case "&&":
                return this.bool(expr.left, what) && this.bool(expr.right, what);
            case "||":
                return this.bool(expr.left, what) || this.bool(expr.right, what);
            case "==":
                return equal(this.eval(expr.left), this.eval(expr.right));
            case "!=":
                return !equal(this.eval(expr.left), this.eval(expr.right));
        }
        const a = this.number(expr.left, what);
        const b = this.number(expr.right, what);
        switch (op) {
            case "<":
                return a < b;
            case ">":
                return a > b;
            case "<=":
                return a <= b;
            case ">=":
                return a >= b;
            case "+":
                return a + b;
            case "-":
                return a - b;
            case "*":
                return a * b;
            case "/":
                if (b === 0)
                    this.fail(expr.right, "division by zero");
                return a / b;
            default:
                if (b === 0)
                    this.fail(expr.right, "modulo by zero");
                return a % b;
        }
    }
    number(expr, what) {
        const v = this.eval(expr);
        if (typeof v === "number")
            return v;
        if (typeof v === "string" && /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(v))
            return Number(v);
        this.fail(expr, `${what} expects a number; found ${describe(v)}`);
    }
    bool(expr, what) {
        const v = this.eval(expr);
        if (typeof v === "boolean")
            return v;
        if (v === "true" || v === "false")
            return v === "true";
        this.fail(expr, `${what} expects a bool; found ${describe(v)}`);
    }
    key(expr) {
        const v = this.eval(expr);
        const s = asString(v);
        if (s === undefined)
            this.fail(expr, `an object key must be a string; found ${describe(v)}`);
        return s;
    }
    withScope(scope, fn) {
        this.scopes.push(scope);
        try {
            return fn();
        }
        finally {
            this.scopes.pop();
        }
    }
    forExpr(expr) {
        const collection = this.eval(expr.collection);
        let entries;
        if (isList(collection))
            entries = collection.map((v, i) => [i, v]);
        else if (isObject(collection))
            entries = [...collection];
        else
            this.fail(expr.collection, `a for expression iterates a list or a map; found ${describe(collection)}`);
        const list = [];
        const object = new Map();
        for (const [k, v] of entries) {
            const scope = new Map([[expr.valueVar, v]]);
            if (expr.keyVar !== undefined)
                scope.set(expr.keyVar, k);
            this.withScope(scope, () => {
                if (expr.cond && !this.bool(expr.cond, "the for expression's if"))
                    return;
                if (!expr.object) {
                    list.push(this.eval(expr.value));
                    return;
                }
                const key = this.key(expr.key);
                const value = this.eval(expr.value);
                if (expr.grouping) {
                    const group = object.get(key) ?? [];
                    group.push(value);
                    object.set(key, group);
                }
                else if (object.has(key)) {
                    this.fail(expr.key, `duplicate key "${key}" in a for expression; add "..." after the value to group values by key`);
                }
                else {
                    object.set(key, value);
                }
            });
        }
        return expr.object ? object : list;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/config/hcl/lexer.ts
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${" here is HCL syntax, not a JS template
// HCL native syntax -> tokens. Strings and heredocs become one template token whose `${...}` parts hold
// their own token lists, so the parser never has to switch lexing modes.

// Longest first, so "==" wins over "=" and "..." over ".".
const PUNCTUATION = [
    "...",
    "=>",
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "=",
    ",",
    ".",
    ":",
    "?",
    "<",
    ">",
    "+",
    "-",
    "*",
    "/",
    "%",
    "!",
];
const PUNCTUATION_BY_FIRST = new Map();
for (const p of PUNCTUATION)
    PUNCTUATION_BY_FIRST.set(p[0], [...(PUNCTUATION_BY_FIRST.get(p[0]) ?? []), p]);
const ID_START = /[\p{L}_]/u;
const ID_CONTINUE = /[\p{L}\p{N}_-]/u;
// ASCII fast paths: the Unicode classes above are only consulted for other characters.
const isDigit = (c) => c >= "0" && c <= "9";
const isIdStart = (c) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || (c > "\x7f" && ID_START.test(c));
const isIdContinue = (c) => isIdStart(c) || isDigit(c) || c === "-" || (c > "\x7f" && ID_CONTINUE.test(c));
const HEREDOC_START = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/;
function lex(source, file) {
    if (source.length > MAX_CONFIG_BYTES) {
        const mb = (source.length / 1024 / 1024).toFixed(1);
        throw errorAt(file, { line: 1, col: 1 }, `the file is ${mb} MB; the limit is ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`);
    }
    return new Lexer(source, file).tokens(false);
}
class Lexer {
    src;
    file;
    i = 0;
    line = 1;
    col = 1;
    /** How many "${" we are inside: each is a recursion. */
    interpolations = 0;
    constructor(src, file) {
        this.src = src;
        this.file = file;
        // Editors on Windows may save a byte-order mark; it is not part of the first line's columns.
        if (src.startsWith("\uFEFF"))
            this.i = 1;
    }
    /** Tokens up to the end of the file, or (inside `${`) up to the brace that closes the interpolation. */
    tokens(inInterpolation) {
        const out = [];
        let depth = 0;
        for (;;) {
            this.skipSpaceAndComments();
            const pos = this.pos();
            const start = this.i;
            const c = this.src[this.i];
            if (c === undefined) {
                if (inInterpolation)
                    throw errorAt(this.file, pos, 'unterminated "${"; expected "}"');
                out.push({ kind: "eof", text: "end of file", pos, start, end: start });
                return out;
            }
            if (c === "\n" || (c === "\r" && this.src[this.i + 1] === "\n")) {
                this.advance(c === "\r" ? 2 : 1);
                out.push({ kind: "newline", text: "newline", pos, start, end: this.i });
                continue;
            }
            if (inInterpolation && c === "}" && depth === 0) {
                this.advance(1);
                out.push({ kind: "eof", text: "}", pos, start, end: start });
                return out;
            }
            if (c === '"') {
                out.push(this.quoted());
                continue;
            }
            if (c === "<" && this.src[this.i + 1] === "<") {
                const heredoc = this.heredoc();
                if (heredoc) {
                    out.push(heredoc);
                    continue;
                }
            }
            if (isDigit(c)) {
                const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.src.slice(this.i, this.i + 64));
                this.advance(m[0].length);
                out.push({ kind: "number", text: m[0], pos, start, end: this.i });
                continue;
            }
            if (isIdStart(c)) {
                let j = this.i + 1;
                while (j < this.src.length && isIdContinue(this.src[j]))
                    j++;
                const text = this.src.slice(this.i, j);
                this.advance(j - this.i);
                out.push({ kind: "ident", text, pos, start, end: this.i });
                continue;
            }
            const punct = (PUNCTUATION_BY_FIRST.get(c) ?? []).find((p) => this.src.startsWith(p, this.i));
            if (!punct) {
                throw errorAt(this.file, pos, `unexpected character ${JSON.stringify(c)}; expected an expression`);
            }
            if (punct === "{")
                depth++;
            if (punct === "}")
                depth--;
            this.advance(punct.length);
            out.push({ kind: "punct", text: punct, pos, start, end: this.i });
        }
    }
    pos() {
        return { line: this.line, col: this.col };
    }
    advance(n) {
        for (let k = 0; k < n; k++) {
            if (this.src[this.i] === "\n") {
                this.line++;
                this.col = 1;
            }
            else {
                this.col++;
            }
            this.i++;
        }
    }
    skipSpaceAndComments() {
        for (;;) {
            const c = this.src[this.i];
            if (c === " " || c === "\t" || (c === "\r" && this.src[this.i + 1] !== "\n")) {
                this.advance(1);
            }
            else if (c === "#" || (c === "/" && this.src[this.i + 1] === "/")) {
                // Line comment: the newline after it still ends the attribute, so leave it in place.
                while (this.i < this.src.length &&
                    this.src[this.i] !== "\n" &&
                    !this.src.startsWith("\r\n", this.i)) {
                    this.advance(1);
                }
            }
            else if (c === "/" && this.src[this.i + 1] === "*") {
                const pos = this.pos();
                const end = this.src.indexOf("*/", this.i + 2);
                if (end === -1)
                    throw errorAt(this.file, pos, 'unterminated comment; expected "*/" before the end of the file');
                this.advance(end + 2 - this.i);
            }
            else {
                return;
            }
        }
    }
    /** `"..."`: escapes, `${...}` interpolations; may not span lines. */
    quoted() {
        const pos = this.pos();
        const start = this.i;
        this.advance(1);
        const parts = [];
        let literal = "";
        for (;;) {
            const c = this.src[this.i];
            if (c === undefined || c === "\n" || (c === "\r" && this.src[this.i + 1] === "\n")) {
                throw errorAt(this.file, pos, 'unterminated string; expected a closing quote (") before the end of the line');
            }
            if (c === '"') {
                this.advance(1);
                break;
            }
            if (c === "\\") {
                literal += this.escape();
                continue;
            }
            const interpolation = this.templateSequence();
            if (interpolation === undefined) {
                literal += c;
                this.advance(1);
            }
            else if (typeof interpolation === "string") {
                literal += interpolation;
            }
            else {
                if (literal)
                    parts.push(literal);
                literal = "";
                parts.push(interpolation);
            }
        }
        if (literal || parts.length === 0)
            parts.push(literal);
        return {
            kind: "template",
            text: this.src.slice(start, this.i),
            parts,
            heredoc: false,
            pos,
            start,
            end: this.i,
        };
    }
    /**
     * At `$${` / `%%{` (escaped, returns the literal text), `${` (returns the interpolation's tokens),
     * `%{` (template directives are not supported: an error), else undefined.
     */
    templateSequence() {
        const c = this.src[this.i];
        if (c !== "$" && c !== "%")
            return undefined;
        const rest2 = this.src.slice(this.i, this.i + 3);
        if (rest2 === "$${" || rest2 === "%%{") {
            this.advance(3);
            return `${rest2[0]}{`;
        }
        if (rest2.startsWith("${")) {
            const pos = this.pos();
            const start = this.i;
            this.advance(2);
            if (++this.interpolations > MAX_NESTING)
                throw tooDeep(this.file, pos);
            const tokens = this.tokens(true);
            this.interpolations--;
            return { tokens, span: { pos, start, end: this.i } };
        }
        if (rest2.startsWith("%{")) {
            throw errorAt(this.file, this.pos(), 'template directives ("%{...}") are not supported; use a conditional or a for expression inside "${...}", or write "%%{" for a literal "%{"');
        }
        return undefined;
    }
    escape() {
        const pos = this.pos();
        const next = this.src[this.i + 1];
        const simple = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
        if (next !== undefined && next in simple) {
            this.advance(2);
            return simple[next];
        }
        const hex = next === "u" ? 4 : next === "U" ? 8 : 0;
        const digits = this.src.slice(this.i + 2, this.i + 2 + hex);
        if (hex && new RegExp(`^[0-9A-Fa-f]{${hex}}$`).test(digits)) {
            const code = Number.parseInt(digits, 16);
            if (code <= 0x10ffff) {
                this.advance(2 + hex);
                return String.fromCodePoint(code);
            }
        }
        const found = this.src.slice(this.i, this.i + 2 + hex).replace(/[\r\n"].*$/s, "");
        throw errorAt(this.file, pos, `invalid escape "${found}" in a string; expected one of \\n \\r \\t \\" \\\\ \\uNNNN \\UNNNNNNNN`);
    }
    /** `<<EOT` / `<<-EOT` up to a line holding only the marker; undefined when `<<` does not start one. */
    heredoc() {
        const m = HEREDOC_START.exec(this.src.slice(this.i, this.i + 256));
        if (!m)
            return undefined;
        const pos = this.pos();
        const start = this.i;
        const strip = m[1] === "-";
        const marker = m[2];
        this.advance(m[0].length);
        const bodyStart = this.i;
        // Find the closing line first, so the body's end is known before its templates are lexed.
        let lineStart = bodyStart;
        let bodyEnd = -1;
        let after = -1;
        while (lineStart <= this.src.length) {
            const nl = this.src.indexOf("\n", lineStart);
            const lineEnd = nl === -1 ? this.src.length : nl;
            if (this.src.slice(lineStart, lineEnd).replace(/\r$/, "").trim() === marker) {
                bodyEnd = lineStart;
                after = lineEnd;
                break;
            }
            if (nl === -1)
                break;
            lineStart = nl + 1;
        }
        if (bodyEnd === -1) {
            throw errorAt(this.file, pos, `unterminated heredoc; expected a line with only "${marker}" before the end of the file`);
        }
        const parts = [];
        let literal = "";
        while (this.i < bodyEnd) {
            const interpolation = this.templateSequence();
            if (interpolation === undefined) {
                literal += this.src[this.i];
                this.advance(1);
            }
            else if (typeof interpolation === "string") {
                literal += interpolation;
            }
            else {
                if (this.i > bodyEnd) {
                    throw errorAt(this.file, interpolation.span.pos, 'unterminated "${" in heredoc; expected "}"');
                }
                if (literal)
                    parts.push(literal);
                literal = "";
                parts.push(interpolation);
            }
        }
        if (literal || parts.length === 0)
            parts.push(literal);
        this.advance(after - this.i);
        const text = this.src.slice(start, this.i);
        const body = strip ? stripIndent(parts, minIndent(this.src.slice(bodyStart, bodyEnd))) : parts;
        return { kind: "template", text, parts: body, heredoc: true, pos, start, end: this.i };
    }
}
/** The smallest leading whitespace over the body's non-blank lines (for `<<-`). */
function minIndent(body) {
    let min = Number.POSITIVE_INFINITY;
    for (const line of body.split("\n")) {
        if (line.trim() === "")
            continue;
        min = Math.min(min, /^[ \t]*/.exec(line)[0].length);
    }
    return Number.isFinite(min) ? min : 0;
}
/** Removes up to `n` leading spaces/tabs from every line that starts inside a literal part. */
function stripIndent(parts, n) {
    if (n === 0)
        return parts;
    let atLineStart = true;
    return parts.map((part) => {
        if (typeof part !== "string") {
            atLineStart = false;
            return part;
        }
        const lines = part.split("\n");
        const out = lines.map((line, k) => k > 0 || atLineStart ? line.replace(new RegExp(`^[ \\t]{0,${n}}`), "") : line);
        atLineStart = part.endsWith("\n");
        return out.join("\n");
    });
}

;// CONCATENATED MODULE: ./packages/core/src/config/hcl/parser.ts



function parse(source, file) {
    const parser = new Parser(lex(source, file), file, false);
    const body = parser.body(true);
    return body;
}
const BINARY_LEVELS = [
    ["||"],
    ["&&"],
    ["==", "!="],
    ["<", ">", "<=", ">="],
    ["+", "-"],
    ["*", "/", "%"],
];
const describeToken = (t) => {
    if (t.kind === "newline" || (t.kind === "eof" && t.text === "end of file"))
        return t.text;
    return t.kind === "template" ? "a string" : `"${t.text}"`;
};
const span = (from, to) => ({ pos: from.pos, start: from.start, end: to.end });
class Parser {
    tokens;
    file;
    depth;
    i = 0;
    /** Whether newlines are skipped at the current nesting (true inside (), [] and ${}). */
    skipNewlines;
    constructor(tokens, file, skipNewlines, 
    /** Nesting so far (blocks, expressions, operator and postfix chains): bounded by MAX_NESTING. */
    depth = 0) {
        this.tokens = tokens;
        this.file = file;
        this.depth = depth;
        this.skipNewlines = [skipNewlines];
    }
    /** Runs `fn` one level deeper; past MAX_NESTING, a positioned error instead of a stack overflow. */
    deeper(at, levels, fn) {
        if (this.depth + levels > MAX_NESTING)
            throw tooDeep(this.file, at.pos);
        this.depth += levels;
        try {
            return fn();
        }
        finally {
            this.depth -= levels;
        }
    }
    // ---- token access ----
    peek() {
        if (this.skipNewlines[this.skipNewlines.length - 1]) {
            while (this.tokens[this.i].kind === "newline")
                this.i++;
        }
        return this.tokens[this.i];
    }
    next() {
        const t = this.peek();
        if (t.kind !== "eof")
            this.i++;
        return t;
    }
    isPunct(text) {
        const t = this.peek();
        return t.kind === "punct" && t.text === text;
    }
    eat(text) {
        if (!this.isPunct(text))
            return false;
        this.next();
        return true;
    }
    expect(text, what) {
        const t = this.peek();
        if (t.kind !== "punct" || t.text !== text)
            throw this.unexpected(t, what);
        return this.next();
    }
    unexpected(t, expected) {
        return errorAt(this.file, t.pos, `unexpected ${describeToken(t)}; expected ${expected}`);
    }
    skipBlankLines() {
        while (this.tokens[this.i].kind === "newline")
            this.i++;
    }
    nested(skip, fn) {
        this.skipNewlines.push(skip);
        try {
            return fn();
        }
        finally {
            this.skipNewlines.pop();
        }
    }
    // ---- structure ----
    body(topLevel, opener) {
        const body = { attributes: [], blocks: [] };
        const seen = new Map();
        for (;;) {
            this.skipBlankLines();
            const t = this.tokens[this.i];
            if (t.kind === "eof") {
                if (opener) {
                    const at = `line ${opener.pos.line}, column ${opener.pos.col}`;
                    throw this.unexpected(t, `a "}" to close the block opened at ${at}`);
                }
                return body;
            }
            if (t.kind === "punct" && t.text === "}") {
                if (topLevel)
                    throw this.unexpected(t, "an attribute name or a block type");
                return body;
            }
            if (t.kind !== "ident")
                throw this.unexpected(t, "an attribute name or a block type");
            this.i++;
            const after = this.tokens[this.i];
            if (after.kind === "punct" && after.text === "=") {
                this.i++;
                const expr = this.nested(false, () => this.expression());
                const attr = { name: t.text, expr, ...span(t, expr) };
                const first = seen.get(t.text);
                if (first) {
                    throw errorAt(this.file, t.pos, `duplicate attribute "${t.text}"; it is already set at ${where(this.file, first.pos)}`);
                }
                seen.set(t.text, attr);
                body.attributes.push(attr);
            }
            else {
                body.blocks.push(this.block(t));
            }
            this.endOfItem();
        }
    }
    /** An attribute or block ends at a newline, the end of the file, or the "}" of a one-line block. */
    endOfItem() {
        const t = this.tokens[this.i];
        if (t.kind === "newline") {
            this.i++;
            return;
        }
        if (t.kind === "eof" || (t.kind === "punct" && t.text === "}"))
            return;
        throw this.unexpected(t, "a newline after the attribute or block");
    }
    block(typeToken) {
        const labels = [];
        const labelSpans = [];
        for (;;) {
            const t = this.tokens[this.i];
            if (t.kind === "ident") {
                labels.push(t.text);
            }
            else if (t.kind === "template" && !t.heredoc && t.parts.every((p) => typeof p === "string")) {
                labels.push(t.parts.join(""));
            }
            else if (t.kind === "punct" && t.text === "{") {
                break;
            }
            else {
                const expected = labels.length === 0 ? '"=" or a block label or "{"' : 'a block label or "{"';
                throw this.unexpected(t, expected);
            }
            labelSpans.push(t);
            this.i++;
        }
        const open = this.tokens[this.i];
        this.i++;
        const body = this.deeper(open, 1, () => this.nested(false, () => this.body(false, open)));
        const close = this.tokens[this.i];
        this.i++; // "}"
        return { type: typeToken.text, labels, labelSpans, body, ...span(typeToken, close) };
    }
    // ---- expressions ----
    expression() {
        return this.deeper(this.peek(), 1, () => this.conditional());
    }
    conditional() {
        const cond = this.binary(0);
        if (!this.isPunct("?"))
            return cond;
        this.next();
        const then = this.nested(true, () => this.expression());
        this.nested(true, () => this.expect(":", 'the ":" of a conditional'));
        const otherwise = this.expression();
        return { type: "conditional", cond, then, else: otherwise, ...span(cond, otherwise) };
    }
    binary(level) {
        if (level === BINARY_LEVELS.length)
            return this.unary();
        let left = this.binary(level + 1);
        for (let chain = 1;; chain++) {
            const t = this.peek();
            if (t.kind !== "punct" || !BINARY_LEVELS[level].includes(t.text))
                return left;
            this.next();
            // A chain builds a left-deep tree the evaluator walks recursively: it counts as nesting.
            const right = this.deeper(t, chain, () => this.binary(level + 1));
            left = { type: "binary", op: t.text, left, right, ...span(left, right) };
        }
    }
    unary() {
        const t = this.peek();
        if (t.kind === "punct" && (t.text === "!" || t.text === "-")) {
            this.next();
            const operand = this.deeper(t, 1, () => this.unary());
            return { type: "unary", op: t.text, operand, ...span(t, operand) };
        }
        return this.postfix(this.primary());
    }
    postfix(expr) {
        for (let chain = 0;; chain++) {
            // Attribute and index access must follow directly: a newline ends the expression.
            const t = this.tokens[this.i];
            if (this.depth + chain > MAX_NESTING)
                throw tooDeep(this.file, t.pos);
            if (t.kind === "punct" && t.text === ".") {
                this.i++;
                const name = this.tokens[this.i];
                if (name.kind === "punct" && name.text === "*") {
                    this.i++;
                    expr = this.splat(expr, name);
                    continue;
                }
                if (name.kind !== "ident" && name.kind !== "number")
                    throw this.unexpected(name, 'an attribute name after "."');
                this.i++;
                if (name.kind === "number") {
                    const key = { type: "literal", value: Number(name.text), ...span(name, name) };
                    expr = { type: "index", object: expr, key, ...span(expr, name) };
                }
                else {
                    expr = { type: "getattr", object: expr, name: name.text, nameSpan: name, ...span(expr, name) };
                }
                continue;
            }
            if (t.kind === "punct" && t.text === "[") {
                this.i++;
                const star = this.tokens[this.i];
                if (star.kind === "punct" && star.text === "*") {
                    this.i++;
                    const close = this.nested(true, () => this.expect("]", 'the "]" of a splat'));
                    expr = this.splat(expr, close);
                    continue;
                }
                const key = this.nested(true, () => this.expression());
                const close = this.nested(true, () => this.expect("]", 'a closing "]"'));
                expr = { type: "index", object: expr, key, ...span(expr, close) };
                continue;
            }
            return expr;
        }
    }
    /** `xs[*].a.b`: the attribute steps after the star apply to each element. */
    splat(object, star) {
        let each = { type: "variable", name: SPLAT_ITEM, ...star };
        for (;;) {
            const dot = this.tokens[this.i];
            const name = this.tokens[this.i + 1];
            if (dot.kind !== "punct" || dot.text !== "." || name.kind !== "ident")
                break;
            this.i += 2;
            each = { type: "getattr", object: each, name: name.text, nameSpan: name, ...span(each, name) };
        }
        return { type: "splat", object, each, ...span(object, each) };
    }
    primary() {
        const t = this.next();
        switch (t.kind) {
            case "number":
                return { type: "literal", value: Number(t.text), ...span(t, t) };
            case "template":
                return this.template(t);
            case "ident": {
                if (t.text === "true" || t.text === "false")
                    return { type: "literal", value: t.text === "true", ...span(t, t) };
                if (t.text === "null")
                    return { type: "literal", value: null, ...span(t, t) };
                const after = this.tokens[this.i];
                if (after.kind === "punct" && after.text === "(") {
                    this.i++;
                    return this.call(t);
                }
                return { type: "variable", name: t.text, ...span(t, t) };
            }
            case "punct":
                if (t.text === "(") {
                    const inner = this.nested(true, () => this.expression());
                    const close = this.nested(true, () => this.expect(")", 'a closing ")"'));
                    return { ...inner, ...span(t, close) };
                }
                if (t.text === "[")
                    return this.nested(true, () => this.tuple(t));
                if (t.text === "{")
                    return this.nested(false, () => this.object(t));
                throw this.unexpected(t, "an expression");
            default:
                throw this.unexpected(t, "an expression");
        }
    }
    template(t) {
        const parts = t.parts.map((part) => {
            if (typeof part === "string")
                return part;
            const sub = new Parser(part.tokens, this.file, true, this.depth);
            const first = sub.peek();
            if (first.kind === "eof")
                throw errorAt(this.file, part.span.pos, 'empty "${}"; expected an expression');
            const expr = sub.expression();
            const end = sub.peek();
            if (end.kind !== "eof")
                throw sub.unexpected(end, 'the "}" that closes "${"');
            return expr;
        });
        if (parts.every((p) => typeof p === "string")) {
            return { type: "literal", value: parts.join(""), ...span(t, t) };
        }
        return { type: "template", parts, ...span(t, t) };
    }
    call(name) {
        return this.nested(true, () => {
            const args = [];
            let expandLast = false;
            while (!this.isPunct(")")) {
                args.push(this.expression());
                if (this.eat("...")) {
                    expandLast = true;
                    if (!this.isPunct(")"))
                        throw this.unexpected(this.peek(), 'a closing ")" after "..."');
                    break;
                }
                if (!this.eat(",") && !this.isPunct(")"))
                    throw this.unexpected(this.peek(), `"," or ")" in the call to ${name.text}`);
            }
            const close = this.next();
            return { type: "call", name: name.text, args, expandLast, ...span(name, close) };
        });
    }
    isForKeyword() {
        const t = this.peek();
        const after = this.tokens[this.i + 1];
        return t.kind === "ident" && t.text === "for" && after?.kind === "ident";
    }
    tuple(open) {
        if (this.isForKeyword())
            return this.forExpr(open, false);
        const items = [];
        while (!this.isPunct("]")) {
            items.push(this.expression());
            if (!this.eat(",") && !this.isPunct("]"))
                throw this.unexpected(this.peek(), '"," or "]" in the list');
        }
        const close = this.next();
        return { type: "tuple", items, ...span(open, close) };
    }
    object(open) {
        this.skipBlankLines();
        if (this.isForKeyword())
            return this.nested(true, () => this.forExpr(open, true));
        const items = [];
        for (;;) {
            this.skipBlankLines();
            if (this.isPunct("}"))
                break;
            const key = this.objectKey();
            const sep = this.peek();
            if (sep.kind !== "punct" || (sep.text !== "=" && sep.text !== ":")) {
                throw this.unexpected(sep, '"=" or ":" after the object key');
            }
            this.next();
            const value = this.expression();
            items.push({ key, value });
            const t = this.tokens[this.i];
            if (t.kind === "newline" || (t.kind === "punct" && t.text === ",")) {
                this.i++;
                continue;
            }
            if (t.kind === "punct" && t.text === "}")
                break;
            throw this.unexpected(t, '"," or a newline or "}" in the object');
        }
        const close = this.next();
        return { type: "object", items, ...span(open, close) };
    }
    /** A bare identifier key is its own name (`{ a = 1 }`), not a variable; anything else is an expression. */
    objectKey() {
        const t = this.peek();
        const after = this.tokens[this.i + 1];
        if (t.kind === "ident" && after?.kind === "punct" && (after.text === "=" || after.text === ":")) {
            this.next();
            return { type: "literal", value: t.text, ...span(t, t) };
        }
        return this.binary(0);
    }
    forExpr(open, object) {
        this.next(); // "for"
        const first = this.next();
        if (first.kind !== "ident")
            throw this.unexpected(first, 'a variable name after "for"');
        let keyVar;
        let valueVar = first.text;
        if (this.eat(",")) {
            const second = this.next();
            if (second.kind !== "ident")
                throw this.unexpected(second, 'a second variable name after ","');
            keyVar = first.text;
            valueVar = second.text;
        }
        const inKw = this.next();
        if (inKw.kind !== "ident" || inKw.text !== "in")
            throw this.unexpected(inKw, '"in"');
        const collection = this.expression();
        this.expect(":", 'the ":" of a for expression');
        let key;
        let value = this.expression();
        let grouping = false;
        if (object) {
            this.expect("=>", 'the "=>" of an object for expression');
            key = value;
            value = this.expression();
            grouping = this.eat("...");
        }
        let cond;
        const ifKw = this.peek();
        if (ifKw.kind === "ident" && ifKw.text === "if") {
            this.next();
            cond = this.expression();
        }
        const close = this.expect(object ? "}" : "]", object ? 'a closing "}"' : 'a closing "]"');
        return {
            type: "for",
            object,
            ...(keyVar !== undefined ? { keyVar } : {}),
            valueVar,
            collection,
            ...(key ? { key } : {}),
            value,
            grouping,
            ...(cond ? { cond } : {}),
            ...span(open, close),
        };
    }
}

;// CONCATENATED MODULE: ./packages/core/src/config/hcl/var-types.ts

const PRIMITIVES = new Set(["any", "string", "number", "bool"]);
const typeText = (t) => "element" in t ? `${t.kind}(${typeText(t.element)})` : t.kind;
/** The type an expression names; a message (not thrown) when it names none. */
function parseType(expr) {
    if (expr.type === "variable" && PRIMITIVES.has(expr.name))
        return { kind: expr.name };
    if (expr.type === "call" && ["list", "set", "map"].includes(expr.name) && expr.args.length === 1) {
        const element = parseType(expr.args[0]);
        if (typeof element === "string")
            return element;
        return { kind: expr.name, element };
    }
    // object(...) and tuple(...) constraints are accepted and not checked beyond being values.
    if (expr.type === "call" && (expr.name === "object" || expr.name === "tuple"))
        return { kind: "any" };
    return "expected string, number, bool, list(...), set(...), map(...) or any";
}
/** Converts `v` to `t` as HCL does (numbers and bools to strings and back); a message when it cannot. */
function convert(v, t) {
    const fail = () => ({ error: `expected ${typeText(t)}, found ${describe(v)}` });
    switch (t.kind) {
        case "any":
            return { value: v };
        case "string": {
            const s = asString(v);
            return s === undefined ? fail() : { value: s };
        }
        case "number":
            if (typeof v === "number")
                return { value: v };
            if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)))
                return { value: Number(v) };
            return fail();
        case "bool":
            if (typeof v === "boolean")
                return { value: v };
            if (v === "true" || v === "false")
                return { value: v === "true" };
            return fail();
        case "list":
        case "set": {
            // A lone string stands for a one-element list: `--var tenants=acme` gives ["acme"].
            const items = isList(v) ? v : typeof v === "string" ? [v] : undefined;
            if (items === undefined)
                return fail();
            const out = [];
            for (const [i, item] of items.entries()) {
                const r = convert(item, t.element);
                if ("error" in r)
                    return { error: `element ${i}: ${r.error}` };
                out.push(r.value);
            }
            return { value: t.kind === "set" ? toSet(out) : out };
        }
        case "map": {
            if (!isObject(v))
                return fail();
            const out = new Map();
            for (const [k, item] of v) {
                const r = convert(item, t.element);
                if ("error" in r)
                    return { error: `key "${k}": ${r.error}` };
                out.set(k, r.value);
            }
            return { value: out };
        }
    }
}

;// CONCATENATED MODULE: ./packages/core/src/config/resolve.ts
// Atlas semantics over the syntax tree: locals, variables, env selection, for_each, and the typed
// ResolvedEnv (one per instance). Only what the selected env reaches is evaluated, so other envs'
// getenv() calls or data sources never fail this one.











const FORMATS = ["atlas", "flyway", "liquibase", "goose", "golang-migrate"];
const resolve_EXEC_ORDERS = ["linear", "linear-skip", "non-linear"];
// Atlas writes these as bare identifiers (`format = flyway`, `exec_order = LINEAR_SKIP`).
const FORMAT_ENUMS = new Map(FORMATS.map((f) => [f, f]));
const EXEC_ORDER_ENUMS = new Map([
    ["LINEAR", "linear"],
    ["LINEAR_SKIP", "linear-skip"],
    ["NON_LINEAR", "non-linear"],
]);
// Values quoted in messages keep their spelling unless they carry a secret.
const URL_SHAPE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/./;
const URL_KINDS = "s3://, file://, atlas:// or another scheme://";
/** Resolves env `options.env` of an atlas.hcl given as text: one ResolvedEnv per instance. */
function resolveEnvFromSource(source, fileName, options) {
    return new Document(source, fileName, options).resolve();
}
class Document {
    source;
    file;
    options;
    body;
    locals = new Map();
    localValues = new Map();
    evaluating = [];
    variables = new Map();
    varValues = new Map();
    envBlocks = [];
    dataBlocks = [];
    atlasBlock;
    functions;
    global;
    constructor(source, file, options) {
        this.source = source;
        this.file = file;
        this.options = options;
        this.body = parse(source, file);
        const getenv = options.getenv ?? ((name) => process.env[name]);
        const baseDir = options.baseDir ?? process.cwd();
        const read = options.readFile ?? ((path) => (0,external_node_fs_.readFileSync)(path, "utf8"));
        this.functions = makeFunctions({
            getenv,
            readFile: (path) => read((0,external_node_path_.resolve)(baseDir, path)),
            glob: (pattern, doublestar) => globFiles(baseDir, pattern, doublestar),
            ...(options.yaml ? { yaml: options.yaml } : {}),
            ...(options.print ? { print: options.print } : {}),
        });
        this.global = new Map([
            ["local", { get: (name, at) => this.local(name, at) }],
            ["var", { get: (name, at) => this.variable(name, at) }],
            ["atlas", { get: (name, at) => this.atlasRef(name, at) }],
            ["data", { get: (name, at) => this.dataRef(name, at) }],
            [
                "each",
                {
                    get: (name, at) => this.fail(at, `each.${name} is only available inside an env block that has for_each`),
                },
            ],
        ]);
        this.collect();
        this.addUnsupportedBlockNamespaces();
        this.checkLocalCycles();
    }
    fail(at, message) {
        throw errorAt(this.file, "pos" in at ? at.pos : at, message);
    }
    ctx(namespaces, enums) {
        return {
            file: this.file,
            source: this.source,
            namespaces,
            functions: this.functions,
            ...(enums ? { enums } : {}),
        };
    }
    // ---- the file's top level ----
    collect() {
        for (const block of this.body.blocks) {
            switch (block.type) {
                case "locals":
                    for (const attr of block.body.attributes) {
                        const first = this.locals.get(attr.name);
                        if (first) {
                            this.fail(attr, `duplicate local "${attr.name}"; it is already defined at ${where(this.file, first.pos)}`);
                        }
                        this.locals.set(attr.name, attr);
                    }
                    break;
                case "variable": {
                    if (block.labels.length !== 1) {
                        this.fail(block, `found a variable block with ${block.labels.length} labels; expected one, its name: variable "name" { ... }`);
                    }
                    const name = block.labels[0];
                    const first = this.variables.get(name);
                    if (first)
                        this.fail(block, `duplicate variable "${name}"; it is already declared at ${where(this.file, first.pos)}`);
                    this.variables.set(name, block);
                    break;
                }
                case "env":
                    this.envBlocks.push(block);
                    break;
                case "data":
                    this.dataBlocks.push(block);
                    break;
                case "atlas":
                    if (this.atlasBlock) {
                        this.fail(block, `duplicate atlas block; the first one is at ${where(this.file, this.atlasBlock.pos)}`);
                    }
                    this.atlasBlock = block;
                    break;
            }
        }
    }
    /**
     * Atlas lets other top-level blocks be referenced (docker "postgres" "dev" -> docker.postgres.dev.url);
     * migrate-relay runs none of them, so a reference says that instead of "unknown variable".
     */
    addUnsupportedBlockNamespaces() {
        for (const block of this.body.blocks) {
            if (this.global.has(block.type) || ["locals", "variable", "env"].includes(block.type))
                continue;
            if (block.labels.length === 0)
                continue;
            this.global.set(block.type, {
                get: (name, at) => {
                    const found = this.body.blocks.find((b) => b.type === block.type && b.labels[0] === name);
                    if (!found) {
                        const labels = this.body.blocks
                            .filter((b) => b.type === block.type)
                            .map((b) => b.labels[0] ?? "");
                        this.fail(at, `unknown variable "${block.type}.${name}"${didYouMean(suggest(block.type, name, labels))}`);
                    }
                    this.fail(at, `${block.type} blocks are not supported (${block.type}.${name} is declared at ${where(this.file, found.pos)}); use a variable or a local instead`);
                },
            });
        }
    }
    /** Cycles among locals are found from the references alone, so one is reported even if unused. */
    checkLocalCycles() {
        const refs = new Map();
        for (const [name, attr] of this.locals)
            refs.set(name, localRefs(attr.expr).filter((r) => this.locals.has(r)));
        const state = new Map();
        const path = [];
        const visit = (name) => {
            if (state.get(name) === "done")
                return;
            if (state.get(name) === "open") {
                const cycle = [...path.slice(path.indexOf(name)), name].map((n) => `local.${n}`);
                this.fail(this.locals.get(name), `cycle in locals: ${cycle.join(" -> ")}`);
            }
            state.set(name, "open");
            path.push(name);
            for (const next of refs.get(name))
                visit(next);
            path.pop();
            state.set(name, "done");
        };
        for (const name of this.locals.keys())
            visit(name);
    }
    // ---- namespaces ----
    local(name, at) {
        const cached = this.localValues.get(name);
        if (cached !== undefined)
            return cached;
        const attr = this.locals.get(name);
        if (!attr) {
            const hint = didYouMean(suggest("local", name, this.locals.keys()));
            this.fail(at, `unknown variable "local.${name}"${hint}`);
        }
        if (this.evaluating.includes(name)) {
            const cycle = [...this.evaluating.slice(this.evaluating.indexOf(name)), name].map((n) => `local.${n}`);
            this.fail(attr, `cycle in locals: ${cycle.join(" -> ")}`);
        }
        this.evaluating.push(name);
        try {
            const value = evaluate(attr.expr, this.ctx(this.global));
            this.localValues.set(name, value);
            return value;
        }
        finally {
            this.evaluating.pop();
        }
    }
    variable(name, at) {
        const cached = this.varValues.get(name);
        if (cached !== undefined)
            return cached;
        const block = this.variables.get(name);
        if (!block) {
            const hint = didYouMean(suggest("var", name, this.variables.keys()));
            this.fail(at, `unknown variable "var.${name}"${hint || `; declare it with variable "${name}" { type = string }`}`);
        }
        const label = block.labelSpans[0] ?? block;
        let type = { kind: "any" };
        const typeAttr = block.body.attributes.find((a) => a.name === "type");
        if (typeAttr) {
            const parsed = parseType(typeAttr.expr);
            if (typeof parsed === "string") {
                this.fail(typeAttr.expr, `variable "${name}": unknown type "${this.text(typeAttr.expr)}"; ${parsed}`);
            }
            type = parsed;
        }
        const input = this.options.vars ?? {};
        let value;
        // A null in the vars JSON means "not given", so the default applies.
        if (Object.hasOwn(input, name) && input[name] !== null && input[name] !== undefined) {
            const converted = convert(fromJson(input[name]), type);
            if ("error" in converted) {
                this.fail(label, `variable "${name}": ${converted.error} (the value given by the vars input or --var)`);
            }
            value = converted.value;
        }
        else {
            const def = block.body.attributes.find((a) => a.name === "default");
            if (!def) {
                this.fail(at, `variable "${name}" is required and has no value (declared at ${where(this.file, block.pos)} without a default); ` +
                    `pass it in the vars input ({"${name}": ...}) or with --var ${name}=...`);
            }
            const converted = convert(evaluate(def.expr, this.ctx(this.global)), type);
            if ("error" in converted)
                this.fail(def.expr, `variable "${name}": the default: ${converted.error}`);
            value = converted.value;
        }
        this.varValues.set(name, value);
        return value;
    }
    atlasRef(name, at) {
        if (name === "env")
            return this.options.env;
        this.fail(at.nameSpan, `unknown variable "atlas.${name}"${didYouMean(suggest("atlas", name, ["env"]))}`);
    }
    /**
     * `data.<type>` -> the values of every `data "<type>" "<name>"` block, by name. runtimevar and
     * template_dir are fetched by the loader (data.ts): the first reference throws DataNeeded with the
     * blocks' evaluated attributes, and the next evaluation finds their values in options.data.
     */
    dataRef(name, at) {
        const blocks = this.dataBlocks.filter((b) => b.labels[0] === name);
        if (blocks.length && DATA_SOURCES.includes(name)) {
            const values = new Map();
            const missing = [];
            for (const block of blocks) {
                if (block.labels.length !== 2)
                    this.fail(block, `data "${name}" needs two labels: data "${name}" "<name>" { ... }`);
                const label = block.labels[1];
                const known = this.options.data?.get(dataKey(name, label));
                if (known !== undefined) {
                    values.set(label, known);
                    continue;
                }
                const attrs = new Map();
                for (const attr of block.body.attributes)
                    attrs.set(attr.name, evaluate(attr.expr, this.ctx(this.global)));
                missing.push({
                    type: name,
                    name: label,
                    attrs,
                    where: where(this.file, block.pos),
                });
            }
            if (missing.length)
                throw new DataNeeded(missing);
            return values;
        }
        if (blocks.length) {
            this.fail(at, `data source "${name}" is not supported (declared at ${where(this.file, blocks[0].pos)}); supported: ${DATA_SOURCES.join(", ")}`);
        }
        const types = this.dataBlocks.map((b) => b.labels[0] ?? "");
        this.fail(at, `unknown variable "data.${name}"${didYouMean(suggest("data", name, types))}`);
    }
    text(span) {
        return this.source.slice(span.start, span.end);
    }
    // ---- envs ----
    resolve() {
        const wanted = this.options.env;
        const named = this.envBlocks.map((block) => ({ block, name: this.envName(block) }));
        const selected = named.filter((e) => e.name === wanted);
        if (selected.length === 0) {
            const defined = named.map((e) => `"${e.name}" (line ${e.block.pos.line})`).join(", ");
            const expected = defined ? `expected one of ${defined}` : "the file defines no env blocks";
            if (wanted === "")
                this.fail({ line: 1, col: 1 }, `no env selected (pass --env or the env input); ${expected}`);
            const hint = didYouMean(closest(wanted, named.map((e) => e.name)));
            this.fail({ line: 1, col: 1 }, `unknown env "${wanted}"; ${expected}${hint}`);
        }
        const cloud = this.cloud();
        const out = [];
        for (const { block, name } of selected) {
            for (const each of this.instances(block)) {
                const namespaces = new Map(this.global);
                if (each)
                    namespaces.set("each", eachNamespace(each, (at, message) => this.fail(at, message)));
                out.push(this.env(block, name, each?.key, namespaces, cloud));
            }
        }
        return out;
    }
    envName(block) {
        if (block.labels.length === 1)
            return block.labels[0];
        if (block.labels.length > 1) {
            this.fail(block.labelSpans[1], `found ${block.labels.length} labels on an env block; expected one, its name`);
        }
        // Atlas's unlabeled form: env { name = atlas.env ... }
        const attr = block.body.attributes.find((a) => a.name === "name");
        if (!attr)
            this.fail(block, 'found an env block without a name; expected env "name" { ... } or a name attribute');
        const value = evaluate(attr.expr, this.ctx(this.global));
        if (typeof value !== "string")
            this.fail(attr.expr, `env name: expected a string, found ${describe(value)}`);
        return value;
    }
    instances(block) {
        const attr = block.body.attributes.find((a) => a.name === "for_each");
        if (!attr)
            return [undefined];
        const value = evaluate(attr.expr, this.ctx(this.global));
        const expected = "expected a set or list of strings, or a map";
        if (isObject(value)) {
            if (value.size === 0)
                this.fail(attr.expr, `for_each: found an empty map; ${expected} with at least one element`);
            return [...value].map(([key, v]) => ({ key, value: v }));
        }
        if (!isList(value))
            this.fail(attr.expr, `for_each: found ${describe(value)}; ${expected}`);
        if (value.length === 0)
            this.fail(attr.expr, `for_each: found an empty list; ${expected} with at least one element`);
        const seen = new Set();
        return value.map((item, i) => {
            if (typeof item !== "string")
                this.fail(attr.expr, `for_each: element ${i} is ${describe(item)}; ${expected}`);
            if (seen.has(item)) {
                this.fail(attr.expr, `for_each: duplicate element "${item}"; expected each key once (toset(...) drops duplicates)`);
            }
            seen.add(item);
            return { key: item, value: item };
        });
    }
    cloud() {
        const block = this.atlasBlock && this.single(this.atlasBlock.body, "cloud");
        if (!block)
            return {};
        const ctx = this.ctx(this.global);
        return compact({
            token: this.string(block.body, "token", "atlas.cloud.token", ctx, { secret: true }),
            url: this.url(block.body, "url", "atlas.cloud.url", ctx),
            project: this.string(block.body, "project", "atlas.cloud.project", ctx),
        });
    }
    env(block, name, instance, namespaces, cloud) {
        const ctx = this.ctx(namespaces);
        const migration = this.single(block.body, "migration");
        const repo = migration && this.single(migration.body, "repo");
        const m = migration?.body;
        const r = repo?.body;
        const execOrder = m && this.string(m, "exec_order", "migration.exec_order", this.ctx(namespaces, EXEC_ORDER_ENUMS));
        const format = m && this.string(m, "format", "migration.format", this.ctx(namespaces, FORMAT_ENUMS));
        return compact({
            name,
            instance,
            url: this.string(block.body, "url", "url", ctx),
            emptyUrl: this.emptyReason(block.body, "url", ctx),
            dev: this.string(block.body, "dev", "dev", ctx),
            migration: compact({
                dir: m && this.string(m, "dir", "migration.dir", ctx),
                format: format ? this.oneOf(m, "format", format, FORMATS) : undefined,
                baseline: m && this.string(m, "baseline", "migration.baseline", ctx),
                execOrder: execOrder
                    ? this.oneOf(m, "exec_order", execOrder.toLowerCase().replace(/_/g, "-"), resolve_EXEC_ORDERS)
                    : undefined,
                lockTimeout: m && this.string(m, "lock_timeout", "migration.lock_timeout", ctx),
                revisionsSchema: m && this.string(m, "revisions_schema", "migration.revisions_schema", ctx),
                repo: compact({
                    name: r && this.string(r, "name", "migration.repo.name", ctx),
                    backup: r ? this.backups(r, ctx) : [],
                    url: r && this.url(r, "url", "migration.repo.url", ctx),
                }),
            }),
            cloud,
        });
    }
    /** The one block of a type inside a body (undefined when absent; an error when repeated). */
    single(body, type) {
        const blocks = body.blocks.filter((b) => b.type === type);
        if (blocks.length > 1) {
            this.fail(blocks[1], `duplicate ${type} block; the first one is at ${where(this.file, blocks[0].pos)}`);
        }
        return blocks[0];
    }
    attribute(body, name) {
        return body.attributes.find((a) => a.name === name);
    }
    /** A string attribute; null and "" mean unset (getenv() of an unset variable gives ""). */
    /**
     * Why an attribute that is written evaluated empty, naming the getenv() variables that were empty:
     * `url = getenv("DATABASE_URL") at atlas.hcl:3:9 is empty: DATABASE_URL is unset or empty`.
     */
    emptyReason(body, name, ctx) {
        const attr = this.attribute(body, name);
        if (!attr)
            return undefined;
        const value = evaluate(attr.expr, ctx);
        if (value !== null && value !== "")
            return undefined;
        const empty = [];
        const walk = (node) => {
            if (!node || typeof node !== "object")
                return;
            const e = node;
            if (e.type === "call" && e.name === "getenv") {
                const arg = e.args[0] && evaluate(e.args[0], ctx);
                if (typeof arg === "string" &&
                    !(this.options.getenv ?? ((n) => process.env[n]))(arg) &&
                    !empty.includes(arg))
                    empty.push(arg);
            }
            for (const v of Object.values(node))
                if (v && typeof v === "object")
                    walk(v);
        };
        walk(attr.expr);
        const text = `${name} = ${this.text(attr.expr)} at ${where(this.file, attr.expr.pos)} is empty`;
        return empty.length
            ? `${text}: the environment variable${empty.length > 1 ? "s" : ""} ${empty.join(", ")} ${empty.length > 1 ? "are" : "is"} unset or empty`
            : text;
    }
    string(body, name, path, ctx, opts = {}) {
        const attr = this.attribute(body, name);
        if (!attr)
            return undefined;
        const value = evaluate(attr.expr, ctx);
        if (value === null || value === "")
            return undefined;
        const s = asString(value);
        if (s === undefined) {
            this.fail(attr.expr, `${path}: expected a string, found ${describe(value, opts.secret ? () => "***" : src_secrets/* redactUrl */.BO)}`);
        }
        return s;
    }
    url(body, name, path, ctx) {
        const s = this.string(body, name, path, ctx);
        if (s !== undefined && !URL_SHAPE.test(s)) {
            this.fail(this.attribute(body, name).expr, `${path}: expected a URL (${URL_KINDS}), found ${JSON.stringify((0,src_secrets/* redactUrl */.BO)(s))}`);
        }
        return s;
    }
    oneOf(body, name, value, allowed) {
        if (allowed.includes(value))
            return value;
        const hint = didYouMean(closest(value, allowed));
        this.fail(this.attribute(body, name).expr, `migration.${name}: unknown value "${value}"; expected one of ${allowed.join(", ")}${hint}`);
    }
    backups(body, ctx) {
        const attr = this.attribute(body, "backup");
        if (!attr)
            return [];
        const value = evaluate(attr.expr, ctx);
        if (value === null)
            return [];
        if (!isList(value)) {
            const hint = typeof value === "string" ? `; write backup = [${JSON.stringify((0,src_secrets/* redactUrl */.BO)(value))}]` : "";
            this.fail(attr.expr, `migration.repo.backup: expected a list of URLs, found ${describe(value, src_secrets/* redactUrl */.BO)}${hint}`);
        }
        return value.map((item, i) => {
            // Point at the element itself when the list is written out in place.
            const at = attr.expr.type === "tuple" ? (attr.expr.items[i] ?? attr.expr) : attr.expr;
            if (typeof item !== "string" || !URL_SHAPE.test(item)) {
                this.fail(at, `migration.repo.backup[${i}]: expected a URL (${URL_KINDS}), found ${describe(item, src_secrets/* redactUrl */.BO)}`);
            }
            return item;
        });
    }
}
function eachNamespace(each, fail) {
    return {
        get(name, at) {
            if (name === "key")
                return each.key;
            if (name === "value")
                return each.value;
            fail(at.nameSpan, `unknown variable "each.${name}"${didYouMean(suggest("each", name, ["key", "value"]))}`);
        },
    };
}
const suggest = (root, name, names) => {
    const found = closest(name, names);
    return found === undefined ? undefined : `${root}.${found}`;
};
/** Drops keys whose value is undefined, so results compare and print cleanly. */
function compact(obj) {
    return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}
/** Names of `local.X` references in an expression (for the static cycle check). */
function localRefs(expr) {
    const out = [];
    const walk = (e) => {
        switch (e.type) {
            case "getattr":
                if (e.object.type === "variable" && e.object.name === "local")
                    out.push(e.name);
                else
                    walk(e.object);
                return;
            case "template":
                for (const p of e.parts)
                    if (typeof p !== "string")
                        walk(p);
                return;
            case "index":
                walk(e.object);
                walk(e.key);
                return;
            case "splat":
                walk(e.object);
                walk(e.each);
                return;
            case "call":
                e.args.forEach(walk);
                return;
            case "tuple":
                e.items.forEach(walk);
                return;
            case "object":
                for (const item of e.items) {
                    walk(item.key);
                    walk(item.value);
                }
                return;
            case "unary":
                walk(e.operand);
                return;
            case "binary":
                walk(e.left);
                walk(e.right);
                return;
            case "conditional":
                walk(e.cond);
                walk(e.then);
                walk(e.else);
                return;
            case "for":
                walk(e.collection);
                if (e.key)
                    walk(e.key);
                walk(e.value);
                if (e.cond)
                    walk(e.cond);
                return;
            default:
                return;
        }
    };
    walk(expr);
    return out;
}

;// CONCATENATED MODULE: ./packages/core/src/config/load.ts
// Reading atlas.hcl from disk (read-only) and turning `--var k=v` flags into input variables.






/** Loads env `options.env` from the config file: one ResolvedEnv per for_each instance (one otherwise). */
async function loadEnv(options) {
    const cwd = options.cwd ?? process.cwd();
    const path = (0,external_node_path_.resolve)(cwd, configPath(options.config));
    let source;
    try {
        // Sized before it is read: a config linked to /dev/zero or a huge file is refused, not loaded.
        const info = await (0,promises_.stat)(path);
        if (!info.isFile() || info.size > MAX_CONFIG_BYTES) {
            const what = info.isFile() ? `is ${(info.size / 1024 / 1024).toFixed(1)} MB` : "is not a regular file";
            throw (0,src_errors/* configError */.Fj)(`config file ${options.config} ${what} (at ${path}); the limit is ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`);
        }
        source = await (0,promises_.readFile)(path, "utf8");
    }
    catch (err) {
        if ((0,src_errors/* isRelayError */.as)(err))
            throw err;
        const code = err.code;
        const why = code === "ENOENT" ? "was not found" : `cannot be read (${code ?? err.message})`;
        throw (0,src_errors/* configError */.Fj)(`config file ${options.config} ${why} (looked at ${path})`);
    }
    // Messages name the file as the user would: relative to where they run, when it is below it.
    const rel = (0,external_node_path_.relative)(cwd, path);
    const shown = rel && !rel.startsWith("..") && !(0,external_node_path_.isAbsolute)(rel) ? rel : path;
    // The YAML functions' parser is loaded only for a config that calls one of them.
    const yaml = /\byaml(?:decode|encode|merge)\s*\(/.test(source) ? await __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 38815, 19)) : undefined;
    const base = (0,external_node_path_.dirname)(path);
    const data = new Map();
    // Each round fetches the data sources the last evaluation reached; a chain (a runtimevar whose url
    // reads another) takes one round per link.
    for (let round = 0;; round++) {
        try {
            return resolveEnvFromSource(source, shown, {
                env: options.env,
                ...(yaml
                    ? { yaml: { parse: (t) => yaml.parse(t), stringify: (v) => yaml.stringify(v) } }
                    : {}),
                ...(options.vars ? { vars: options.vars } : {}),
                ...(options.getenv ? { getenv: options.getenv } : {}),
                baseDir: base,
                data,
            });
        }
        catch (err) {
            if (!(err instanceof DataNeeded) || round > 16)
                throw err;
            for (const request of err.requests)
                data.set(dataKey(request.type, request.name), await fetchData(request, base));
        }
    }
}
/** `file://atlas.hcl`, `file:///abs/atlas.hcl` or a plain path -> a path (as Atlas joins host and path). */
function configPath(config) {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(config);
    if (!m)
        return config;
    if (m[1].toLowerCase() !== "file") {
        throw (0,src_errors/* configError */.Fj)(`unsupported config URL ${JSON.stringify(config)}; expected file://<path>, e.g. file://atlas.hcl`);
    }
    return decodeURIComponent(m[2].replace(/[?#].*$/s, "")) || ".";
}
/** `--var k=v` (repeatable): a key given more than once becomes a list, as in Atlas. */
function parseVarFlags(flags) {
    const out = {};
    for (const flag of flags) {
        const eq = flag.indexOf("=");
        if (eq <= 0)
            throw (0,src_errors/* inputError */.Xu)(`--var ${JSON.stringify(flag)}: expected key=value, e.g. --var url=postgres://...`);
        const key = flag.slice(0, eq);
        const value = flag.slice(eq + 1);
        const prev = out[key];
        out[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
    }
    return out;
}

;// CONCATENATED MODULE: ./packages/core/src/config/index.ts




// EXTERNAL MODULE: ./packages/core/src/dir/index.ts
var src_dir = __webpack_require__(48789);
// EXTERNAL MODULE: ./packages/core/src/hints.ts
var src_hints = __webpack_require__(83543);
;// CONCATENATED MODULE: ./packages/core/src/grant/grant.ts
// The license grant (docs/architecture.md, "The grant"): the record of the last time the registry accepted this token.
// While the registry cannot be reached, atlas:// work goes on only under an unexpired grant for the
// same token and registry. Only a hash prefix of the token is kept, never the token.






/** How far in the future a grant's verifiedAt may lie (runners' clocks differ) before it is refused. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/**
 * The folder the actions cache and other CI systems keep between runs: `$MIGRATE_RELAY_HOME/grants`
 * when set; on GitLab CI `$CI_PROJECT_DIR/.migrate-relay/grants` (GitLab caches only paths inside the
 * project directory, so `cache: { paths: [.migrate-relay/] }` is all a pipeline needs); elsewhere
 * (CircleCI, Bitbucket, a laptop) `~/.migrate-relay/grants`, which their cache steps can name as is.
 */
function defaultGrantDir(env = process.env) {
    const home = env.MIGRATE_RELAY_HOME ||
        (env.GITLAB_CI === "true" && env.CI_PROJECT_DIR
            ? (0,external_node_path_.join)(env.CI_PROJECT_DIR, ".migrate-relay")
            : (0,external_node_path_.join)(env.HOME || (0,external_node_os_.homedir)(), ".migrate-relay"));
    return (0,external_node_path_.join)(home, "grants");
}
/** The token's public identity: first 16 hex of its SHA-256 (also the actions' cache key part). */
const tokenSha256 = (token) => (0,external_node_crypto_.createHash)("sha256").update(token).digest("hex").slice(0, 16);
class GrantStore {
    dir;
    ttlMs;
    now;
    hints;
    /** Whether any grant file was written or deleted: the actions save their cache only then. */
    changed = false;
    constructor(options = {}) {
        this.dir = options.dir ?? defaultGrantDir(options.env);
        this.ttlMs = options.ttlMs ?? src_settings/* DEFAULT_GRANT_TTL_MS */.jh;
        this.now = options.now ?? (() => new Date());
        this.hints = options.hints ?? src_hints/* CLI_HINTS */.IF;
    }
    file(registry, token) {
        const registryId = (0,external_node_crypto_.createHash)("sha256").update(registry).digest("hex").slice(0, 16);
        return (0,external_node_path_.join)(this.dir, `${tokenSha256(token)}-${registryId}.json`);
    }
    async check(registry, token) {
        let grant;
        try {
            grant = JSON.parse(await (0,promises_.readFile)(this.file(registry, token), "utf8"));
        }
        catch (err) {
            return {
                ok: false,
                reason: err.code === "ENOENT" ? "missing" : "unreadable",
            };
        }
        const verified = Date.parse(grant.verifiedAt);
        // A hand-edited expiry is not believed: a grant lasts at most ttl from its verification, and a
        // verification in the future (beyond clock skew between runners) is no verification at all.
        const expires = Math.min(Date.parse(grant.expiresAt), verified + this.ttlMs);
        // The file name already binds token and registry; the fields guard against a copied file.
        if (grant.registry !== registry ||
            grant.tokenSha256 !== tokenSha256(token) ||
            Number.isNaN(expires) ||
            verified > this.now().getTime() + MAX_CLOCK_SKEW_MS) {
            return { ok: false, reason: "unreadable" };
        }
        if (expires <= this.now().getTime())
            return {
                ok: false,
                reason: "expired",
                grant: { ...grant, expiresAt: new Date(expires).toISOString() },
            };
        return { ok: true, grant };
    }
    /** Records a successful authenticated registry call. */
    async refresh(registry, token, org) {
        const now = this.now();
        const grant = {
            registry,
            tokenSha256: tokenSha256(token),
            ...(org ? { org } : {}),
            verifiedAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + this.ttlMs).toISOString(),
        };
        const path = this.file(registry, token);
        const temp = `${path}.tmp-${(0,external_node_crypto_.randomBytes)(6).toString("hex")}`;
        await (0,promises_.mkdir)(this.dir, { recursive: true, mode: 0o700 });
        await (0,promises_.writeFile)(temp, `${JSON.stringify(grant, null, 2)}\n`, { mode: 0o600 });
        await (0,promises_.rename)(temp, path);
        this.changed = true;
        return grant;
    }
    /** The registry refused the token (401/403): no grant may outlive that. */
    async revoke(registry, token) {
        const path = this.file(registry, token);
        try {
            await (0,promises_.rm)(path);
            this.changed = true;
            return true;
        }
        catch {
            return false;
        }
    }
    /** Why atlas:// work cannot go on without the registry, and how to fix it. */
    explain(check, registry, cause) {
        const state = check.reason === "expired"
            ? `the license grant expired at ${check.grant?.expiresAt}`
            : check.reason === "unreadable"
                ? "the license grant file is unreadable"
                : "there is no license grant for this token";
        const reason = cause.startsWith(`registry ${registry}: `) ? cause.slice(registry.length + 11) : cause;
        return (`registry ${registry} cannot be reached (${reason}) and ${state} in ${this.dir}: ` +
            `run once while the registry is reachable to record a grant, and keep the grant directory (${this.hints.keepGrants})`);
    }
}

;// CONCATENATED MODULE: ./packages/core/src/grant/index.ts


// EXTERNAL MODULE: ./packages/core/src/replica/http.ts
var http = __webpack_require__(27568);
;// CONCATENATED MODULE: ./packages/core/src/relay/deployment.ts
// Deployment reports after apply: what Atlas sends after `migrate apply` of an atlas://
// directory (ariga/atlas cmd/atlas/internal/cmdapi/migrate.go, MigrateReportSet.Flush): one completed
// run is a `reportMigration`; several targets, or a single one that failed before running, a
// `reportMigrationSet`. Best effort: a report that fails is a line in the log, never a failed apply.






/** The version sent as `triggerVersion` (and, as Atlas's operator version, `atlasVersion`). */
const RELAY_VERSION = OPERATOR_VERSION.slice(OPERATOR_VERSION.lastIndexOf(" ") + 1);
/**
 * Reports the runs whose directory came from the registry (atlas://) to that registry; undefined when
 * there is none. Never throws.
 */
async function reportDeployments(runs, load, trigger, options = {}) {
    const context = { triggerType: trigger, triggerVersion: RELAY_VERSION };
    const reported = runs.filter((r) => load.registryOf(r.target));
    const first = reported[0];
    if (!first)
        return undefined;
    let registry;
    try {
        registry = load.registryOf(first.target);
    }
    catch {
        return undefined;
    }
    const now = options.now ?? new Date();
    const completed = [];
    for (const run of reported) {
        if (!ran(run.result))
            continue;
        const loaded = await load(run.target).catch(() => undefined);
        completed.push(migrationInput(run, registry.slug, loaded?.dir.files ?? [], now));
    }
    const report = reported.length === 1 && completed.length === 1
        ? { one: { ...completed[0], context } }
        : { set: setInput(reported, completed, context, now) };
    const operation = "one" in report ? "reportMigration" : "reportMigrationSet";
    const deadline = (0,http/* deadlineSignal */.R)(options.timeoutMs ?? src_settings/* DEFAULT_REPORT_TIMEOUT_MS */.KJ);
    try {
        const url = await registry.report(report, deadline.signal);
        return { registry: registry.registry, operation, ...(url ? { url } : {}) };
    }
    catch (err) {
        return { registry: registry.registry, operation, error: (0,src_errors/* messageOf */.bD)(err) };
    }
    finally {
        deadline.clear();
    }
}
/** One line for logs and summaries. */
function deploymentLine(outcome) {
    if (outcome.error)
        return `Deployment report not sent to ${outcome.registry}: ${outcome.error}`;
    return `Deployment reported to ${outcome.registry}${outcome.url ? `: ${outcome.url}` : ""}`;
}
/** The run reached the database (it has a plan), as opposed to failing before (reading, connecting). */
const ran = (r) => !r.error || r.pending.length > 0 || r.applied.length > 0 || r.current !== "";
function migrationInput(run, dirName, files, now) {
    const r = run.result;
    const start = run.startedAt ?? new Date(now.getTime() - r.ms);
    const end = new Date(start.getTime() + r.ms);
    const contents = new Map(files.map((f) => [f.name, f.content]));
    // Per-file times are not kept by apply: laid end to end back from the run's end.
    let cursor = end.getTime() - r.applied.reduce((n, f) => n + f.ms, 0);
    const deployed = r.applied.map((f) => {
        const fileStart = new Date(cursor);
        cursor += f.ms;
        return {
            name: f.name,
            content: Buffer.from(contents.get(f.name) ?? new Uint8Array()).toString("utf8"),
            startTime: fileStart.toISOString(),
            endTime: new Date(cursor).toISOString(),
            skipped: f.skipped,
            applied: f.statements,
            checks: [],
            ...(f.error ? { error: { stmt: f.error.stmt, text: f.error.text } } : {}),
        };
    });
    const lastOk = [...r.applied].reverse().find((f) => !f.error && !f.rolledBack);
    return {
        projectName: "default",
        envName: run.target.env?.name ?? "",
        dirName,
        atlasVersion: OPERATOR_VERSION,
        target: { id: "", schema: schemaOf(run.target.url), url: withoutUserInfo(run.target.url) },
        startTime: start.toISOString(),
        endTime: end.toISOString(),
        fromVersion: r.current,
        toVersion: r.target,
        currentVersion: r.dryRun ? r.current : (lastOk?.version ?? r.current),
        ...(r.error ? { error: r.error.message } : {}),
        files: deployed,
        log: r.error ? r.error.message : "",
        ...(r.dryRun ? { dryRun: true } : {}),
    };
}
function setInput(runs, completed, context, now) {
    const starts = runs.map((r) => (r.startedAt ?? new Date(now.getTime() - r.result.ms)).getTime());
    const failed = runs.find((r) => r.result.error);
    return {
        id: (0,external_node_crypto_.randomUUID)(),
        planned: runs.length,
        startTime: new Date(Math.min(...starts)).toISOString(),
        endTime: now.toISOString(),
        ...(failed ? { error: `Error: ${failed.result.error.message}` } : {}),
        log: runs.map((r) => ({
            text: `Target URL: ${withoutUserInfo(r.target.url)}`,
            startTime: new Date(r.startedAt?.getTime() ?? now.getTime() - r.result.ms).toISOString(),
            endTime: now.toISOString(),
            ...(r.result.error ? { error: true, log: [{ text: `Error: ${r.result.error.message}` }] } : {}),
        })),
        completed,
        context,
    };
}
/** The URL as Atlas reports it: user info removed (and any secret query value masked). */
function withoutUserInfo(url) {
    try {
        const u = new URL(url);
        u.username = "";
        u.password = "";
        return (0,src_secrets/* redactUrl */.BO)(u.toString());
    }
    catch {
        return (0,src_secrets/* redactUrl */.BO)(url.replace(/\/\/[^@/]*@/, "//"));
    }
}
function schemaOf(url) {
    try {
        const path = new URL(url).searchParams.get("search_path") ?? "";
        return path.split(",")[0]?.trim() ?? "";
    }
    catch {
        return "";
    }
}

// EXTERNAL MODULE: ./packages/core/src/replica/cloud.ts
var cloud = __webpack_require__(13523);
;// CONCATENATED MODULE: ./packages/core/src/relay/lineage.ts
// Whether one state extends another, decided from what is cheap to read: the newer state's whole
// atlas.sum and the older state's `h1:` total (the first line of its atlas.sum, which blob manifests
// keep). atlas.sum's per-file hashes are cumulative (dir/sum.ts), so the older state is a prefix of
// the newer one exactly when the total over some first k lines of the newer sum equals the older
// total. No archive of the older state is needed.
// The one place this decision lives for replica health and fallback reads; swap it for core's shared
// "does state B extend state A" when that lands (issue 10).


/** True when `newer` (whose whole atlas.sum is `newerSum`) holds every file of `older`, unchanged. */
function extendsState(newer, newerSum, older) {
    if (newer.digest === older.digest)
        return true;
    if (!older.sum.startsWith("h1:"))
        return false;
    const want = older.sum.slice(3);
    const encoder = new TextEncoder();
    const running = (0,external_node_crypto_.createHash)("sha256");
    if (running.copy().digest("base64") === want)
        return true; // the older state had no files
    for (const line of (0,sum/* parseSum */.n4)(encoder.encode(newerSum)).lines) {
        running.update(encoder.encode(line.name));
        running.update(encoder.encode(line.hash));
        if (running.copy().digest("base64") === want)
            return true;
    }
    return false;
}
/** Version order: numeric when both are digits (Atlas's timestamps), else byte order. */
function compareVersions(a, b) {
    if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
        const x = BigInt(a);
        const y = BigInt(b);
        return x < y ? -1 : x > y ? 1 : 0;
    }
    return a < b ? -1 : a > b ? 1 : 0;
}

;// CONCATENATED MODULE: ./packages/core/src/relay/turn.ts
// One replica's turn: a deadline over the whole turn, bounded retries on eligible errors only,
// and every failure turned into a RelayError whose text is safe to print.



/** Errors after which another attempt, or another replica, may succeed (docs/relay.md). */
const ELIGIBLE = ["unreachable", "not-found", "integrity", "conflict"];
const isEligible = (err) => ELIGIBLE.includes(err.kind);
/** Worth another attempt at the same replica: a missing tag or bad content will not fix itself. */
const RETRYABLE = ["unreachable", "conflict"];
/** A failed attempt of a turn as a RelayError: past the deadline it is unreachable, whatever was thrown. */
function turnError(err, signal) {
    if (signal.aborted) {
        const reason = signal.reason;
        if (!(err instanceof src_errors/* RelayError */.cx) || err.kind !== "unreachable") {
            return new src_errors/* RelayError */.cx("unreachable", `${reason?.message ?? "aborted"}`);
        }
    }
    if (err instanceof src_errors/* RelayError */.cx)
        return err;
    return new src_errors/* RelayError */.cx("unreachable", (0,src_errors/* messageOf */.bD)(err));
}
/** Drops a leading "<display>: " so results do not repeat the URL they sit beside. */
const local = (replica, message) => message.startsWith(`${replica.display}: `) ? message.slice(replica.display.length + 2) : message;
const sleep = (ms, signal) => new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
        clearTimeout(t);
        resolve();
    }, { once: true });
});
async function runTurn(replica, limits, secrets, work) {
    const started = performance.now();
    const deadline = (0,http/* deadlineSignal */.R)(limits.timeoutMs, limits.signal);
    let attempts = 0;
    try {
        for (;;) {
            attempts++;
            try {
                const value = await work(deadline.signal);
                return { value, attempts, ms: performance.now() - started };
            }
            catch (err) {
                const error = turnError(err, deadline.signal);
                const retry = attempts <= limits.retries && RETRYABLE.includes(error.kind) && !deadline.signal.aborted;
                if (!retry) {
                    const safe = new src_errors/* RelayError */.cx(error.kind, (0,src_secrets/* redact */.E$)(local(replica, error.message), secrets));
                    return { error: safe, attempts, ms: performance.now() - started };
                }
                await sleep(100 * 2 ** (attempts - 1), deadline.signal);
            }
        }
    }
    finally {
        deadline.clear();
    }
}

;// CONCATENATED MODULE: ./packages/core/src/relay/verify.ts
// What makes a read state trustworthy, for pull, verify and sync alike: the archive's SHA-256 equals
// the manifest's digest (blob replicas), the archive unpacks, and its atlas.sum validates.


/**
 * Throws RelayError("integrity") saying what does not hold. A state asked for by version must end at
 * that version (a replica answering with another state is lying).
 */
function verifyFetched(fetched, maxBytes, ref) {
    if (fetched.archive.length > maxBytes) {
        throw new src_errors/* RelayError */.cx("integrity", `archive of ${fetched.archive.length} bytes exceeds the ${maxBytes}-byte limit`);
    }
    const digest = (0,src_dir/* digestOf */.ol)(fetched.archive);
    if (fetched.digest && fetched.digest !== digest) {
        throw new src_errors/* RelayError */.cx("integrity", `archive digest ${digest} does not match the manifest's ${fetched.digest}`);
    }
    let dir;
    try {
        dir = (0,src_dir/* unarchiveDir */.Vr)(fetched.archive, { maxBytes });
    }
    catch (err) {
        throw new src_errors/* RelayError */.cx("integrity", `archive cannot be read: ${(0,src_errors/* messageOf */.bD)(err)}`);
    }
    try {
        (0,src_dir/* validateDir */.Y6)(dir);
    }
    catch (err) {
        throw new src_errors/* RelayError */.cx("integrity", `atlas.sum does not validate: ${(0,src_errors/* messageOf */.bD)(err)}`);
    }
    if (ref && "version" in ref) {
        const last = dir.files.at(-1)?.version ?? "(no files)";
        if (last !== ref.version) {
            throw new src_errors/* RelayError */.cx("integrity", `asked for version ${ref.version}, got a state whose last version is ${last}`);
        }
    }
    const note = fetched.digest ? "digest verified, atlas.sum valid" : "atlas.sum valid";
    return {
        dir,
        archive: fetched.archive,
        digest,
        note,
        ...(fetched.manifest ? { manifest: fetched.manifest } : {}),
    };
}

;// CONCATENATED MODULE: ./packages/core/src/relay/health.ts
// Replica health: what each replica holds (its `latest` and its tags), which state is the newest,
// which replicas lag, and sync, which copies to each replica the states it lacks. Reads are small
// (manifests) and concurrent; archives are read only to decide between disagreeing replicas, with
// `deep`, or to copy. docs/relay.md, "Replica health", has the choices made.







/** Tag manifests read at once per replica (a repository tagged per commit holds many). */
const TAG_READS_AT_ONCE = 8;
const roleOf = (replicas, i) => i > 0 ? "backup" : replicas[0] instanceof cloud/* CloudReplica */.oU ? "registry" : "primary";
const infoOfManifest = (m) => ({
    digest: m.digest,
    version: m.version,
    files: m.files,
    sum: m.sum,
    ...(m.pushedAt ? { pushedAt: m.pushedAt } : {}),
    ...(m.source.commit ? { commit: m.source.commit } : {}),
});
const infoOfVerified = (v) => ({
    digest: v.digest,
    version: v.dir.files.at(-1)?.version ?? "",
    files: v.dir.files.length,
    sum: v.dir.sum ? (0,src_dir/* sumTotal */._l)(v.dir.sum) : "",
    ...(v.manifest ? infoOfManifest(v.manifest) : {}),
});
const health_short = (digest) => digest.slice(0, 19);
async function inBatches(items, size, work) {
    const out = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await work(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
    return out;
}
const statusOfError = (kind) => kind === "unauthorized" || kind === "config" ? "refused" : kind === "integrity" ? "corrupt" : "unreachable";
/** Reads one replica's latest and tags (manifests only; the registry answers with the archive). */
async function readHead(replica, role, ctx, read) {
    const health = {
        url: replica.display,
        kind: replica.kind,
        role,
        status: "current",
        missingTags: [],
        problems: [],
        ms: 0,
    };
    const head = { replica, health, manifests: new Map(), verified: new Map() };
    const outcome = await runTurn(replica, ctx.limits, ctx.secrets, async (signal) => {
        if (!replica.manifest || !replica.tags) {
            // The registry keeps no manifests: its latest is the archive itself, verified here.
            try {
                const v = verifyFetched(await replica.fetch({ tag: "latest" }, signal), ctx.maxBytes);
                head.verified.set(v.digest, v);
                health.latest = infoOfVerified(v);
            }
            catch (err) {
                if (err.kind !== "not-found")
                    throw err;
            }
            return;
        }
        const [latest, names] = await Promise.all([
            replica.manifest({ tag: "latest" }, signal).catch((err) => problem(err, "latest")),
            read.tags ? replica.tags(signal) : undefined,
        ]);
        if (latest) {
            head.manifests.set("latest", latest);
            health.latest = infoOfManifest(latest);
        }
        if (!names)
            return;
        health.tags = {};
        const tags = names.filter((t) => t !== "latest");
        const found = await inBatches(tags, TAG_READS_AT_ONCE, (tag) => replica.manifest({ tag }, signal).catch((err) => problem(err, `tag ${tag}`)));
        tags.forEach((tag, i) => {
            const m = found[i];
            if (!m)
                return;
            head.manifests.set(tag, m);
            health.tags[tag] = m.digest;
        });
        if (read.deep)
            await verifyArchives(head, signal, ctx);
    });
    // A manifest that does not parse is this replica's problem, not a reason to stop reading it.
    function problem(err, what) {
        if (err.kind !== "integrity")
            throw err;
        health.status = "corrupt";
        health.problems.push(`${what}: ${(0,src_secrets/* redact */.E$)(err.message, ctx.secrets)}`);
        return null;
    }
    health.ms = Math.round(outcome.ms);
    if (outcome.error) {
        health.status = statusOfError(outcome.error.kind);
        health.errorKind = outcome.error.kind;
        health.problems.push(outcome.error.message);
    }
    return head;
}
/** --deep: every archive the replica's manifests name, downloaded and verified once per digest. */
async function verifyArchives(head, signal, ctx) {
    const byDigest = new Map();
    for (const [tag, m] of head.manifests) {
        const entry = byDigest.get(m.digest) ?? { manifest: m, names: [] };
        entry.names.push(tag);
        byDigest.set(m.digest, entry);
    }
    await inBatches([...byDigest.values()], TAG_READS_AT_ONCE, async ({ manifest, names }) => {
        try {
            const v = verifyFetched(await head.replica.fetchManifest(manifest, signal), ctx.maxBytes);
            head.verified.set(v.digest, v);
        }
        catch (err) {
            if (signal.aborted)
                throw err;
            head.health.status = "corrupt";
            const message = (0,src_secrets/* redact */.E$)(err.message, ctx.secrets).replace(`${head.replica.display}: `, "");
            head.health.problems.push(`${names.join(", ")} (${health_short(manifest.digest)}): ${message}`);
        }
    });
}
/** A verified copy of `digest`, from the first replica that holds it and reads back intact. */
async function verifiedState(heads, digest, ctx) {
    for (const head of heads) {
        const known = head.verified.get(digest);
        if (known)
            return known;
    }
    for (const head of heads) {
        const manifest = [...head.manifests.values()].find((m) => m.digest === digest);
        if (!manifest || !head.replica.fetchManifest || head.health.status === "unreachable")
            continue;
        const outcome = await runTurn(head.replica, ctx.limits, ctx.secrets, async (signal) => verifyFetched(await head.replica.fetchManifest(manifest, signal), ctx.maxBytes));
        if (outcome.value) {
            head.verified.set(digest, outcome.value);
            return outcome.value;
        }
        if (outcome.error?.kind === "integrity") {
            head.health.status = "corrupt";
            head.health.problems.push(`${health_short(digest)}: ${outcome.error.message}`);
        }
    }
    return undefined;
}
/**
 * The newest state that extends every other replica's latest: candidates by version, highest first
 * (the configured order breaks ties); the first whose atlas.sum contains each other latest wins.
 * With one distinct latest nothing is downloaded.
 */
async function decideNewest(heads, ctx) {
    const states = [];
    for (const h of heads) {
        const latest = h.health.latest;
        if (latest && !states.some((s) => s.digest === latest.digest))
            states.push(latest);
    }
    if (states.length === 0)
        return {};
    if (states.length === 1)
        return { newest: { info: states[0] } };
    const candidates = [...states].sort((a, b) => compareVersions(b.version, a.version));
    for (const candidate of candidates) {
        const verified = await verifiedState(heads, candidate.digest, ctx);
        if (!verified?.dir.sum)
            continue;
        const sum = Buffer.from(verified.dir.sum).toString("utf8");
        if (states.every((s) => extendsState(candidate, sum, s))) {
            return { newest: { info: { ...infoOfVerified(verified), ...candidate }, verified } };
        }
    }
    const list = states.map((s) => `version ${s.version || "?"} (${health_short(s.digest)})`).join(", ");
    return { conflict: `the replicas' latest states do not extend one another: ${list}` };
}
/** Reads every replica at once and says which hold the newest state, which lag and what is wrong. */
async function inspect(replicas, options = {}) {
    const { report } = await inspectHeads(replicas, options);
    return report;
}
async function inspectHeads(replicas, options) {
    const registry = replicas[0] instanceof cloud/* CloudReplica */.oU ? replicas[0] : undefined;
    const ctx = {
        limits: {
            timeoutMs: options.timeoutMs ?? src_settings/* DEFAULT_HEALTH_TIMEOUT_MS */.MK,
            retries: options.retries ?? src_settings/* DEFAULT_HEALTH_RETRIES */.MF,
            ...(options.signal ? { signal: options.signal } : {}),
        },
        secrets: [...(options.secrets ?? []), ...(0,src_secrets/* envSecrets */.vn)(), ...(registry ? [registry.token] : [])],
        maxBytes: options.maxArchiveBytes ?? src_dir/* DEFAULT_MAX_ARCHIVE_BYTES */.m$,
    };
    const deep = options.deep === true;
    const heads = await Promise.all(replicas.map((r, i) => readHead(r, roleOf(replicas, i), ctx, { deep, tags: true })));
    const answered = heads.filter((h) => h.health.status !== "unreachable" && h.health.status !== "refused");
    const decision = await decideNewest(answered, ctx);
    const newest = decision.newest;
    const newestSum = newest?.verified?.dir.sum ? Buffer.from(newest.verified.dir.sum).toString("utf8") : "";
    for (const { health } of answered) {
        const latest = health.latest;
        if (!latest) {
            if (health.status === "current")
                health.status = "empty";
            if (newest)
                health.problems.push(`holds no latest; the newest is version ${newest.info.version}`);
            continue;
        }
        if (!newest) {
            if (health.status === "current")
                health.status = "diverged";
            continue;
        }
        if (latest.digest === newest.info.digest)
            continue;
        const behind = extendsState(newest.info, newestSum, latest);
        if (health.status === "current")
            health.status = behind ? "lagging" : "diverged";
        health.problems.push(behind
            ? `latest is version ${latest.version || "?"}, behind the newest ${newest.info.version}`
            : `latest is version ${latest.version || "?"} (${health_short(latest.digest)}), not on the history of the newest ${newest.info.version}`);
    }
    markTags(answered);
    const tag = newest ? tagOf(heads, newest.info.digest) : undefined;
    const named = newest ? manifestFor(heads, newest.info.digest) : undefined;
    if (newest && named)
        newest.info = { ...newest.info, ...infoOfManifest(named) };
    const report = {
        ok: heads.every((h) => h.health.status === "current" && h.health.problems.length === 0),
        ...(newest ? { newest: { ...newest.info, ...(tag ? { tag } : {}) } } : {}),
        ...(decision.conflict ? { conflict: decision.conflict } : {}),
        deep,
        replicas: heads.map((h) => h.health),
    };
    return { report, heads, ctx, ...(newest?.verified ? { newestVerified: newest.verified } : {}) };
}
/** Tags one replica lacks, and tags that name different states on different replicas. */
function markTags(heads) {
    const first = new Map();
    for (const { health } of heads) {
        for (const [tag, digest] of Object.entries(health.tags ?? {})) {
            const seen = first.get(tag);
            if (!seen)
                first.set(tag, { digest, url: health.url });
            else if (seen.digest !== digest)
                health.problems.push(`tag ${tag} is ${health_short(digest)} here but ${health_short(seen.digest)} on ${seen.url}: tags are not rewritten, fix by hand`);
        }
    }
    for (const { health } of heads) {
        if (!health.tags)
            continue;
        health.missingTags = [...first.keys()].filter((t) => !(t in health.tags)).sort();
        if (health.missingTags.length)
            health.problems.push(`missing ${health.missingTags.length} tag(s): ${health.missingTags.slice(0, 5).join(", ")}${health.missingTags.length > 5 ? ", ..." : ""}`);
    }
}
/** A tag other than latest that names the state (configured order, then name order). */
function tagOf(heads, digest) {
    for (const { health } of heads) {
        const names = Object.entries(health.tags ?? {})
            .filter(([, d]) => d === digest)
            .map(([t]) => t)
            .sort();
        if (names[0])
            return names[0];
    }
    return undefined;
}
/**
 * Copies to each lagging replica the states it lacks, read from the others and verified first, with
 * push's write protocol: missing tags, then latest (which moves only forward; a diverged replica is
 * left alone and named). The registry gets the newest latest only (it lists no tags).
 */
async function sync(replicas, options) {
    const { report, heads, ctx } = await inspectHeads(replicas, options);
    const dryRun = options.dryRun === true;
    const fail = (error) => ({ ok: false, error, dryRun, before: report, steps: [] });
    const refused = report.replicas.find((r) => r.status === "refused");
    if (refused)
        return fail(`${refused.url}: ${refused.problems[0] ?? "refused"}; nothing was copied`);
    if (report.conflict)
        return fail(`${report.conflict}; nothing was copied (push the right state with force)`);
    const tagDigest = new Map();
    for (const r of report.replicas) {
        for (const [tag, digest] of Object.entries(r.tags ?? {}))
            if (!tagDigest.has(tag))
                tagDigest.set(tag, digest);
    }
    const versionOf = (digest) => heads.flatMap((h) => [...h.manifests.values()]).find((m) => m.digest === digest)?.version ??
        (report.newest?.digest === digest ? report.newest.version : "");
    const newest = report.newest;
    const plans = new Map();
    for (const head of heads) {
        const r = head.health;
        if (r.status === "unreachable" || r.status === "refused")
            continue;
        const steps = r.missingTags.map((tag) => {
            const digest = tagDigest.get(tag);
            return { url: r.url, role: r.role, tag, version: versionOf(digest), digest, latest: false };
        });
        if (newest && (r.status === "lagging" || r.status === "empty")) {
            const tag = newest.tag ?? "latest";
            const same = steps.find((s) => s.tag === tag);
            if (same)
                same.latest = true;
            else
                steps.push({
                    url: r.url,
                    role: r.role,
                    tag,
                    version: newest.version,
                    digest: newest.digest,
                    latest: true,
                });
            // Latest is the commit point: written after the tags.
            steps.sort((a, b) => Number(a.latest) - Number(b.latest));
        }
        if (steps.length)
            plans.set(head, steps);
    }
    const steps = [...plans.values()].flat();
    const diverged = report.replicas.filter((r) => r.status === "diverged").map((r) => r.url);
    const leftAlone = diverged.length
        ? `${diverged.join(", ")}: latest is not on the newest state's history; sync does not rewrite it (push with force)`
        : undefined;
    const down = report.replicas.filter((r) => r.status === "unreachable").map((r) => r.url);
    const unreached = down.length
        ? `${down.join(", ")}: unreachable, not repaired (run sync again)`
        : undefined;
    if (dryRun) {
        const why = [leftAlone, unreached].filter(Boolean).join("; ");
        return { ok: !why, ...(why ? { error: why } : {}), dryRun, before: report, steps };
    }
    const states = new Map();
    const stateOf = (digest) => {
        let loading = states.get(digest);
        if (!loading) {
            loading = verifiedState(heads, digest, ctx);
            states.set(digest, loading);
        }
        return loading;
    };
    const limits = { ...ctx.limits, retries: options.retries ?? src_settings/* DEFAULT_SYNC_RETRIES */.xs };
    await Promise.all([...plans].map(async ([head, planned]) => {
        for (const step of planned) {
            const started = performance.now();
            const verified = await stateOf(step.digest);
            if (!verified) {
                step.ok = false;
                step.error = `no replica holds ${health_short(step.digest)} intact`;
            }
            else {
                const state = stateFor(verified, manifestFor(heads, step.digest, step.tag), step, options.repo);
                const outcome = await runTurn(head.replica, limits, ctx.secrets, (signal) => head.replica.publish(state, { signal }));
                step.ok = outcome.value !== undefined && outcome.value.latestMoved !== false;
                if (outcome.error)
                    step.error = outcome.error.message;
                else if (outcome.value?.latestMoved === false)
                    step.error = outcome.value.note ?? "latest not moved";
                else if (outcome.value?.note)
                    step.note = (0,src_secrets/* redact */.E$)(outcome.value.note, ctx.secrets);
            }
            step.ms = Math.round(performance.now() - started);
            options.onStep?.(step);
            if (!step.ok)
                break; // latest never moves past a tag that failed to land
        }
    }));
    const failed = steps.filter((s) => s.ok === false).length;
    const error = [failed ? `${failed} of ${steps.length} copies failed` : "", leftAlone ?? "", unreached ?? ""]
        .filter(Boolean)
        .join("; ");
    return { ok: !error, ...(error ? { error } : {}), dryRun, before: report, steps };
}
/** A manifest of the state (the tag's first, else any): the original push's commit and time. */
function manifestFor(heads, digest, tag) {
    const all = heads.flatMap((h) => [...h.manifests]);
    return (all.find(([t, m]) => t === tag && m.digest === digest) ??
        all.find(([, m]) => m.digest === digest))?.[1];
}
/** The state to publish, as the original push published it (commit, push time). */
function stateFor(v, manifest, step, repo) {
    const source = manifest?.source;
    return {
        repo,
        archive: v.archive,
        digest: v.digest,
        version: v.dir.files.at(-1)?.version ?? "",
        sum: v.dir.sum ? Buffer.from(v.dir.sum).toString("utf8") : "",
        files: v.dir.files.length,
        tag: step.tag,
        latest: step.latest,
        force: false,
        ...(source && Object.keys(source).length ? { source } : {}),
        ...(manifest?.pushedAt ? { pushedAt: manifest.pushedAt } : {}),
    };
}
/**
 * How long the fallback read waits for the later backups once the configured order's first useful
 * answer is in (every backup before it answered), plus the time that took: a slow later backup must
 * not cost the read its timeout. The backups before it are waited for, as the plain read would.
 */
const FALLBACK_GRACE_MS = 1_000;
/** The reads finished when the grace after the first useful one in order ends (or all), in order. */
async function withGrace(reads, useful) {
    const started = performance.now();
    const done = reads.map(() => undefined);
    let release = () => { };
    const graceOver = new Promise((resolve) => {
        release = resolve;
    });
    let timer;
    const check = () => {
        for (const value of done) {
            if (value === undefined)
                return; // an earlier backup is still reading: wait for it
            if (useful(value))
                break;
        }
        timer ??= setTimeout(release, FALLBACK_GRACE_MS + (performance.now() - started));
    };
    const all = Promise.all(reads.map((read, i) => read.then((value) => {
        done[i] = value;
        check();
    })));
    await Promise.race([all, graceOver]);
    clearTimeout(timer);
    return done.filter((v) => v !== undefined);
}
/** `s3://b/p (at 000002)`, `file:///x (no latest)`. */
const laggingText = (l) => `${l.url} (${l.status === "empty" ? "no latest" : l.status === "corrupt" ? "unreadable latest" : `at ${l.version}`})`;
/**
 * For a fallback read of `latest`: every backup's latest manifest at once, and the order to read
 * them in so the newest state is served (pull). Reads no tags; downloads an archive only when the
 * backups disagree (and then serves that very copy).
 */
async function planFallback(backups, options) {
    const started = performance.now();
    const ctx = options;
    const heads = await withGrace(backups.map((r) => readHead(r, "backup", ctx, { deep: false, tags: false })), (h) => h.health.latest !== undefined);
    const answered = heads.filter((h) => h.health.latest);
    const decision = await decideNewest(answered, ctx);
    const newest = decision.newest?.info;
    const holds = (h) => newest !== undefined && h.health.latest?.digest === newest.digest;
    const order = [
        ...heads.filter(holds),
        ...heads.filter((h) => !holds(h) && h.health.latest),
        ...heads.filter((h) => !h.health.latest),
    ].map((h) => h.replica);
    for (const r of backups)
        if (!order.includes(r))
            order.push(r); // not answered within the grace
    const verified = newest ? decision.newest?.verified : undefined;
    const holder = verified ? heads.find((h) => holds(h) && h.verified.has(newest.digest)) : undefined;
    const lagging = heads
        .filter((h) => newest && !holds(h) && h.health.status !== "unreachable" && h.health.status !== "refused")
        .map((h) => ({
        url: h.health.url,
        version: h.health.latest?.version ?? "",
        status: !h.health.latest ? "empty" : h.health.status === "corrupt" ? "corrupt" : "lagging",
    }));
    const unreadable = heads
        .filter((h) => h.health.errorKind)
        .map((h) => ({
        replica: h.replica,
        kind: h.health.errorKind,
        message: h.health.problems.at(-1) ?? "",
        ms: h.health.ms,
    }));
    const manifests = new Map();
    for (const h of heads) {
        const m = h.manifests.get("latest");
        if (m)
            manifests.set(h.replica, m);
    }
    return {
        order,
        manifests,
        ...(holder && verified ? { preloaded: { replica: holder.replica, verified } } : {}),
        ...(newest ? { newest } : {}),
        lagging,
        unreadable,
        ...(decision.conflict ? { conflict: decision.conflict } : {}),
        ms: performance.now() - started,
    };
}

// EXTERNAL MODULE: ./packages/core/src/replica/manifest.ts
var manifest = __webpack_require__(44465);
;// CONCATENATED MODULE: ./packages/core/src/relay/latest.ts
// One `latest` everywhere: before a push writes anything, each target's `latest` is read once and one
// decision is taken over all of them. Also the rule verify/sync use to compare two states.

/**
 * Whether the state `next` (its digest and whole atlas.sum) extends the `latest` of every target
 * read: the same state, or one whose atlas.sum keeps every file of the old one unchanged and in place
 * (atlas.sum hashes are cumulative). The first contradiction otherwise.
 */
function decideLatest(next, reads) {
    for (const { target, latest } of reads) {
        if (!latest || latest.digest === next.digest)
            continue;
        const verdict = (0,manifest/* extendsSum */.ti)(latest.sum ?? "", next.sum);
        if (!verdict.ok) {
            return { extends: false, target, version: latest.version, file: verdict.file, why: verdict.why };
        }
    }
    return { extends: true };
}

// EXTERNAL MODULE: ./packages/core/src/replica/names.ts
var names = __webpack_require__(58074);
;// CONCATENATED MODULE: ./packages/core/src/relay/pull.ts
// Fallback read: the primary (registry) first, then each backup in order; nothing unverified is
// returned (docs/architecture.md, "Apply: data flow").










/** Every replica failed, or one failed in a way that forbids falling back. */
class PullError extends src_errors/* RelayError */.cx {
    trail;
    grantChanged;
    constructor(kind, message, trail, grantChanged) {
        super(kind, message);
        this.trail = trail;
        this.grantChanged = grantChanged;
        this.name = "PullError";
    }
}
async function pull(replicas, options = {}) {
    if (replicas.length === 0)
        throw new src_errors/* RelayError */.cx("config", "nothing to read from: no registry and no backups");
    const ref = options.ref ?? replicas[0].ref ?? { tag: "latest" };
    if ("tag" in ref)
        (0,names/* checkTag */.Bs)(ref.tag);
    else
        (0,names/* checkVersion */.ps)(ref.version);
    const limits = {
        timeoutMs: options.timeoutMs ?? src_settings/* DEFAULT_PULL_TIMEOUT_MS */.vN,
        retries: options.retries ?? src_settings/* DEFAULT_PULL_RETRIES */.X3,
        ...(options.signal ? { signal: options.signal } : {}),
    };
    const maxBytes = options.maxArchiveBytes ?? src_dir/* DEFAULT_MAX_ARCHIVE_BYTES */.m$;
    const registry = replicas[0] instanceof cloud/* CloudReplica */.oU ? replicas[0] : undefined;
    const grants = registry ? (options.grants ?? new GrantStore()) : undefined;
    const secrets = [...(options.secrets ?? []), ...(0,src_secrets/* envSecrets */.vn)(), ...(registry ? [registry.token] : [])];
    const trail = [];
    const fail = (kind, message) => new PullError(kind, (0,src_secrets/* redact */.E$)(message, secrets), trail, grants?.changed ?? false);
    // Once the primary failed, a read of `latest` asks every backup's manifest at once and serves the
    // newest state, naming the backups that lag (a backup down during a push keeps an older latest).
    const queue = [...replicas];
    let plan;
    while (queue.length > 0) {
        const replica = queue.shift();
        const preloaded = plan?.preloaded?.replica === replica ? plan.preloaded.verified : undefined;
        // The plan read this backup's latest manifest already: go straight to the archive it names.
        const manifest = plan?.manifests.get(replica);
        const outcome = preloaded
            ? { value: preloaded, attempts: 0, ms: 0 }
            : await runTurn(replica, limits, secrets, async (signal) => verifyFetched(await (manifest && replica.fetchManifest
                ? replica.fetchManifest(manifest, signal)
                : replica.fetch(ref, signal)), maxBytes, ref));
        const attempt = {
            url: replica.display,
            kind: replica.kind,
            outcome: outcome.value ? "ok" : "failed",
            ms: Math.round(outcome.ms),
        };
        if (outcome.value)
            attempt.note = outcome.value.note;
        const error = outcome.error;
        if (error) {
            attempt.error = error.message;
            attempt.errorKind = error.kind;
            attempt.eligible = isEligible(error);
        }
        trail.push(attempt);
        let reported = false;
        const report = () => {
            if (!reported)
                options.onAttempt?.(attempt);
            reported = true;
        };
        if (replica === registry && grants) {
            if (error?.kind === "unauthorized") {
                await grants.revoke(registry.registry, registry.token);
                report();
                throw fail("unauthorized", `${error.message}; not falling back to the backups (a refused token must not deploy), and the license grant was deleted`);
            }
            if (error?.kind === "unreachable") {
                // Without the registry, only an unexpired grant for this token lets the backups stand in.
                const check = await grants.check(registry.registry, registry.token);
                if (!check.ok) {
                    report();
                    throw fail("unauthorized", grants.explain(check, registry.registry, error.message));
                }
                attempt.note = `license grant valid until ${check.grant.expiresAt}`;
            }
            else if (!error || error.kind === "not-found" || error.kind === "integrity") {
                // A grant that cannot be written costs the next offline run, not this read: warn only.
                await grants.refresh(registry.registry, registry.token).catch((err) => {
                    attempt.note = `could not record the license grant in ${grants.dir}: ${(0,src_errors/* messageOf */.bD)(err)}`;
                });
            }
        }
        if (outcome.value && plan) {
            // A backup whose latest the plan could not read, and that was not tried again (it was queued
            // last), goes on the trail before the one that served: the reader sees why it was passed over.
            for (const u of plan.unreadable) {
                if (trail.some((a) => a.url === u.replica.display))
                    continue;
                const passed = {
                    url: u.replica.display,
                    kind: u.replica.kind,
                    outcome: "failed",
                    ms: u.ms,
                    error: u.message,
                    errorKind: u.kind,
                    eligible: isEligible(u),
                };
                trail.splice(trail.length - 1, 0, passed);
                options.onAttempt?.(passed);
            }
            const lagging = plan.lagging.filter((l) => l.url !== replica.display);
            if (plan.conflict)
                attempt.note += `; ${plan.conflict}, so the configured order decided`;
            else if (lagging.length)
                attempt.note += `; newest of the backups (their latest manifests read at once in ${Math.round(plan.ms)} ms); lagging: ${lagging.map(laggingText).join(", ")}`;
        }
        report();
        if (outcome.value) {
            const { dir, digest, manifest } = outcome.value;
            const version = dir.files.at(-1)?.version ?? "";
            const lagging = plan?.lagging.filter((l) => l.url !== replica.display);
            return {
                dir,
                digest,
                version,
                state: {
                    ...("tag" in ref ? { tag: ref.tag } : {}),
                    version,
                    digest,
                    ...(manifest?.source.commit ? { commit: manifest.source.commit } : {}),
                    ...(manifest?.pushedAt ? { pushedAt: manifest.pushedAt } : {}),
                },
                ...(lagging?.length ? { lagging } : {}),
                source: replica.display,
                ref,
                trail,
                grantChanged: grants?.changed ?? false,
            };
        }
        if (error && !isEligible(error)) {
            throw fail(error.kind, `${replica.display}: ${error.message}; not falling back (fix this replica's configuration)`);
        }
        if (!plan && replica === replicas[0] && queue.length > 1 && "tag" in ref && ref.tag === "latest") {
            plan = await planFallback(queue, { limits, secrets, maxBytes });
            queue.splice(0, queue.length, ...plan.order);
        }
    }
    const kinds = new Set(trail.map((a) => a.errorKind));
    const kind = kinds.size === 1 ? [...kinds][0] : "unreachable";
    const lines = trail.map((a) => `  ${a.url}: ${a.error}`);
    throw fail(kind, `could not read ${(0,cloud/* refText */.d0)(ref)} from any replica:\n${lines.join("\n")}`);
}

;// CONCATENATED MODULE: ./packages/core/src/relay/loader.ts
// Where apply (and status) read a directory: file:// from disk, atlas:// through the relay (the
// registry first, then the env's backups, verified), once per distinct repository even for many
// targets (for_each); a local directory once per path. Shared by the CLI and the apply action.





/** What apply names as applied: the served state, and the backups found behind it. */
function appliedStateOf(result) {
    const lagging = result.lagging?.map(laggingText);
    return { ...result.state, ...(lagging?.length ? { lagging } : {}) };
}
/** Returns a loader; a failed read throws the PullError (a RelayError carrying the trail). */
function dirLoader(options) {
    const pulled = new Map();
    const repos = new Map();
    const keyOf = (target) => JSON.stringify([target.dir, target.env?.migration.repo, target.env?.cloud.url]);
    const repoOf = (target) => {
        const key = keyOf(target);
        let repo = repos.get(key);
        if (!repo) {
            repo = options.repoOf(target.dir, target.env);
            repos.set(key, repo);
        }
        return repo;
    };
    const load = (target) => {
        if (!(0,src_settings/* isRegistryUrl */.bs)(target.dir)) {
            // A local directory is read once too: a fleet of targets shares one copy in memory.
            let reading = pulled.get(target.dir);
            if (!reading) {
                reading = (0,src_dir/* readDir */.Ci)(target.dir, options.cwd).then((dir) => ({ dir }));
                pulled.set(target.dir, reading);
            }
            return reading;
        }
        const key = keyOf(target);
        let loading = pulled.get(key);
        if (!loading) {
            loading = (async () => {
                const repo = repoOf(target);
                options.onRead?.(target.dir, repo);
                const result = await pull(repo.replicas, { ...options.pull, ...(repo.ref ? { ref: repo.ref } : {}) });
                return {
                    dir: result.dir,
                    source: result.source,
                    trail: result.trail,
                    digest: result.digest,
                    state: appliedStateOf(result),
                };
            })();
            pulled.set(key, loading);
        }
        return loading;
    };
    return Object.assign(load, {
        registryOf(target) {
            if (!(0,src_settings/* isRegistryUrl */.bs)(target.dir))
                return undefined;
            const primary = repoOf(target).replicas[0];
            return primary instanceof cloud/* CloudReplica */.oU ? primary : undefined;
        },
    });
}

;// CONCATENATED MODULE: ./packages/core/src/relay/state.ts



/** Validates the directory and builds the one archive every target receives. */
function buildState(dir, options) {
    const repo = (0,names/* checkSlug */.c5)(options.repo);
    const tag = (0,names/* checkTag */.Bs)(options.tag ?? "latest");
    const last = dir.files.at(-1);
    if (!last)
        throw (0,src_errors/* inputError */.Xu)("nothing to push: the migration directory has no .sql files");
    (0,src_dir/* validateDir */.Y6)(dir);
    const archive = (0,src_dir/* archiveDir */.Wk)(dir);
    return {
        repo,
        archive,
        digest: (0,src_dir/* digestOf */.ol)(archive),
        version: last.version,
        sum: dir.sum ? Buffer.from(dir.sum).toString("utf8") : "",
        files: dir.files.length,
        tag,
        latest: options.latest ?? true,
        force: options.force ?? false,
        ...(options.source ? { source: options.source } : {}),
        ...(options.context ? { context: options.context } : {}),
    };
}

;// CONCATENATED MODULE: ./packages/core/src/relay/push.ts








const GRANT_NOTE = "continuing under the license grant";
/**
 * Publishes `dir` to every replica; the first one is the primary (the registry when atlas://).
 * Without an unexpired grant, the backups wait for the registry: they are written only after it
 * answered, so a token the registry refuses never publishes anywhere.
 *
 * Moving `latest` (the default), every target's `latest` is read first and one decision is taken:
 * a state that does not extend one of them (an applied file edited, removed or renamed) is
 * published nowhere, unless `force`. The reads overlap the blob targets' archive uploads, which are
 * content-addressed and invisible to readers until a pointer is written after the decision.
 */
async function push(dir, replicas, options) {
    if (replicas.length === 0)
        throw new src_errors/* RelayError */.cx("config", "nothing to push to: no registry and no backups");
    const state = buildState(dir, options);
    const limits = {
        timeoutMs: options.timeoutMs ?? src_settings/* DEFAULT_PUSH_TIMEOUT_MS */.w3,
        retries: options.retries ?? src_settings/* DEFAULT_PUSH_RETRIES */.G9,
        ...(options.signal ? { signal: options.signal } : {}),
    };
    const registry = replicas[0] instanceof cloud/* CloudReplica */.oU ? replicas[0] : undefined;
    const grants = registry ? (options.grants ?? new GrantStore()) : undefined;
    const secrets = [...(options.secrets ?? []), ...(0,src_secrets/* envSecrets */.vn)(), ...(registry ? [registry.token] : [])];
    const moveLatest = state.latest || state.tag === "latest";
    const licensed = registry && grants ? await grants.check(registry.registry, registry.token) : undefined;
    let link = "";
    const roleOf = (index) => index > 0 ? "backup" : registry ? "registry" : "primary";
    const toResult = (replica, index, outcome) => {
        const result = {
            url: replica.display,
            kind: replica.kind,
            role: roleOf(index),
            ok: outcome.value !== undefined,
            ms: Math.round(outcome.ms),
            bytes: outcome.value?.bytes ?? 0,
            attempts: outcome.attempts,
        };
        if (outcome.value) {
            const { skipped, latestMoved, note } = outcome.value;
            if (skipped)
                result.skipped = true;
            if (latestMoved !== undefined)
                result.latestMoved = latestMoved;
            if (note)
                result.note = (0,src_secrets/* redact */.E$)(note, secrets);
            if (outcome.value.link)
                link = outcome.value.link;
        }
        if (outcome.error) {
            result.error = outcome.error.message;
            result.errorKind = outcome.error.kind;
            if (replica === registry && outcome.error.kind === "unreachable" && licensed?.ok) {
                result.note = `${GRANT_NOTE} valid until ${licensed.grant.expiresAt}`;
            }
        }
        return result;
    };
    const finish = (result) => {
        options.onTarget?.(result);
        return result;
    };
    const publishTo = async (replica, index) => {
        const outcome = await runTurn(replica, limits, secrets, (signal) => replica.publish(state, { signal }));
        return finish(toResult(replica, index, outcome));
    };
    let targets;
    let failure;
    let registryAnswered = false;
    if (moveLatest) {
        const explain = (error) => grants && registry && licensed && !licensed.ok
            ? grants.explain(licensed, registry.registry, error)
            : error;
        const decided = await pushMovingLatest(state, replicas, {
            limits,
            secrets,
            registry,
            licensed,
            toResult,
            explain,
        });
        targets = decided.targets.map(finish);
        failure = decided.failure;
        registryAnswered = decided.registryAnswered;
    }
    else if (!registry || licensed?.ok) {
        targets = await Promise.all(replicas.map(publishTo));
    }
    else {
        const first = await publishTo(registry, 0);
        const cannotReach = first.errorKind === "unreachable";
        const refused = first.errorKind === "unauthorized";
        if ((cannotReach || refused) && licensed && !licensed.ok) {
            failure = refused
                ? `${first.error}; nothing was pushed to the backups`
                : grants.explain(licensed, registry.registry, first.error ?? "no answer");
            targets = [first, ...replicas.slice(1).map((r) => finish(notAttempted(r, failure, "unauthorized")))];
        }
        else {
            targets = [first, ...(await Promise.all(replicas.slice(1).map((r, i) => publishTo(r, i + 1))))];
        }
    }
    const registryResult = registry ? targets[0] : undefined;
    if (registry && registryResult && grants) {
        if (registryResult.errorKind === "unauthorized") {
            await grants.revoke(registry.registry, registry.token);
            failure ??= `${registryResult.error}; the license grant was deleted`;
        }
        else if (registryAnswered || registryResult.ok || answered(registryResult.errorKind)) {
            const warning = await grants.refresh(registry.registry, registry.token, orgOf(link)).then(() => undefined, (err) => `could not record the license grant in ${grants.dir}: ${(0,src_errors/* messageOf */.bD)(err)}`);
            if (warning)
                registryResult.note = warning;
        }
    }
    const okCount = targets.filter((t) => t.ok).length;
    // The grant lets the backups go on without the registry: with nothing pushed, nothing went on.
    if (okCount === 0 && registryResult?.note?.startsWith(GRANT_NOTE))
        delete registryResult.note;
    if (!failure && okCount === 0)
        failure = "no target took the push";
    if (!failure && moveLatest && !targets.some((t) => t.latestMoved)) {
        const why = targets.map((t) => `${t.url}: ${t.note ?? t.error ?? "not moved"}`).join("; ");
        failure = `latest moved nowhere (${why})`;
    }
    const ok = failure === undefined;
    return {
        ok,
        ...(failure ? { error: (0,src_secrets/* redact */.E$)(failure, secrets) } : {}),
        slug: state.repo,
        tag: state.tag,
        digest: state.digest,
        version: state.version,
        files: state.files,
        url: registry ? `atlas://${state.repo}?tag=${state.tag}` : replicas[0].display,
        link,
        targets,
        grantChanged: grants?.changed ?? false,
    };
}
/** The moving-`latest` push: read every `latest`, decide once, then publish (blob uploads overlap). */
async function pushMovingLatest(state, replicas, ctx) {
    const { limits, secrets, registry, licensed } = ctx;
    const decision = Promise.all(replicas.map((r) => runTurn(r, limits, secrets, (signal) => r.readLatest(state.digest, signal)))).then((reads) => {
        const registryRead = registry ? reads[0] : undefined;
        if (registryRead?.error?.kind === "unauthorized") {
            const message = `${registryRead.error.message}; nothing was pushed to the registry or the backups`;
            return { reads, refused: { message, kind: "unauthorized" } };
        }
        if (registryRead?.error?.kind === "unreachable" && !licensed?.ok) {
            return { reads, refused: { message: ctx.explain(registryRead.error.message), kind: "unauthorized" } };
        }
        if (state.force)
            return { reads };
        // A `latest` that cannot be read cannot be extended knowingly: like a contradiction.
        const unreadable = reads.findIndex((r) => r.error?.kind === "integrity");
        if (unreadable >= 0) {
            const message = `${replicas[unreadable].display}: ${reads[unreadable].error.message}; nothing was published (use force to replace its latest)`;
            return { reads, refused: { message, kind: "conflict" } };
        }
        const verdict = decideLatest(state, reads.flatMap((r, i) => r.value !== undefined ? [{ target: replicas[i].display, latest: r.value }] : []));
        if (verdict.extends)
            return { reads };
        const message = `${verdict.file}: ${verdict.why}, so the new state does not extend latest of ${verdict.target} (version ${verdict.version || "?"}); nothing was published (use force for a deliberate rewrite)`;
        return { reads, refused: { message, kind: "conflict" } };
    });
    const stop = (index, d) => d.refused
        ? d.refused.message
        : // force replaces a latest that is there but unreadable; an unreachable one is still skipped.
            d.reads[index]?.error && !(state.force && d.reads[index].error.kind === "integrity")
                ? "not published: its latest could not be read"
                : undefined;
    // The turn of a target spans the wait for every read (each bounded by the timeout) and its publish.
    const turn = { ...limits, timeoutMs: 2 * limits.timeoutMs };
    const outcomes = replicas.map((replica, index) => runTurn(replica, turn, secrets, async (signal) => {
        const gate = async () => {
            const d = await decision;
            const why = stop(index, d);
            if (why)
                throw new src_errors/* RelayError */.cx("input", why);
        };
        // A blob target uploads its archive while the reads run, and waits at its first pointer; the
        // registry has nothing to stage, and its diffSyncDir is computed against what it read.
        if (replica.kind !== "cloud")
            return replica.publish(state, { signal, beforeCommit: gate });
        await gate();
        const current = (await decision).reads[index]?.value ?? null;
        return replica.publish(state, { signal, current });
    }));
    const d = await decision;
    const published = await Promise.all(outcomes);
    const targets = replicas.map((replica, index) => {
        const read = d.reads[index];
        const readFailed = () => ctx.toResult(replica, index, { error: read.error, attempts: read.attempts, ms: read.ms });
        if (d.refused) {
            if (replica === registry && read.error)
                return readFailed();
            const role = index > 0 ? "backup" : registry ? "registry" : "primary";
            return notAttempted(replica, d.refused.message, d.refused.kind, role);
        }
        if (read.error && stop(index, d))
            return readFailed();
        const result = ctx.toResult(replica, index, published[index]);
        result.latestFrom = read.value?.version ?? "";
        return result;
    });
    const registryRead = registry ? d.reads[0] : undefined;
    return {
        targets,
        ...(d.refused ? { failure: d.refused.message } : {}),
        registryAnswered: !!registryRead && (registryRead.value !== undefined || answered(registryRead.error?.kind)),
    };
}
/** The organization from a registry link, `https://<org>.atlasgo.cloud/dirs/...`. */
function orgOf(link) {
    return /^https:\/\/([a-z0-9-]+)\.atlasgo\.cloud\//i.exec(link)?.[1];
}
// The registry answered (so it accepted the token) even though the call failed.
const answered = (kind) => kind === "not-found" || kind === "integrity" || kind === "conflict";
function notAttempted(replica, why, kind, role = "backup") {
    return {
        url: replica.display,
        kind: replica.kind,
        role,
        ok: false,
        error: `not attempted: ${why}`,
        errorKind: kind,
        ms: 0,
        bytes: 0,
        attempts: 0,
    };
}

// EXTERNAL MODULE: ./packages/core/src/replica/blob.ts
var blob = __webpack_require__(98631);
// EXTERNAL MODULE: ./packages/core/src/dir/archive.ts
var archive = __webpack_require__(94607);
// EXTERNAL MODULE: ./packages/core/src/durable.ts
var durable = __webpack_require__(82142);
;// CONCATENATED MODULE: ./packages/core/src/replica/file.ts
// The file replica's store: a local or mounted directory. Every write goes to a temp file in the
// same folder, is fsynced and renamed into place (then the folder is fsynced), so a reader sees the
// old file or the new one, never half, and a power cut keeps what a push reported as written.
// Compare-and-swap takes an exclusive lock file (O_CREAT|O_EXCL) beside the key: writers that all
// use this code exclude each other on a local disk and on NFSv3+; a lock older than STALE_LOCK_MS
// (a crashed writer) is broken.






const STALE_LOCK_MS = 30_000;
const LOCK_POLL_MS = 10;
const etagOf = (body) => (0,external_node_crypto_.createHash)("sha256").update(body).digest("hex");
function fsError(display, op, key, err) {
    const code = err.code ?? "";
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
        return new src_errors/* RelayError */.cx("unauthorized", `${display}: cannot ${op} ${key}: permission denied (${code})`);
    }
    if (code === "ENOSPC" || code === "EIO" || code === "ESTALE") {
        return new src_errors/* RelayError */.cx("unreachable", `${display}: cannot ${op} ${key} (${code})`);
    }
    return new src_errors/* RelayError */.cx("unreachable", `${display}: cannot ${op} ${key}: ${code || err.message}`);
}
class FileStore {
    root;
    display;
    maxBytes;
    constructor(root, display, 
    /** No object the layout holds is larger than an archive may be: refuse more, unread. */
    maxBytes = archive/* DEFAULT_MAX_ARCHIVE_BYTES */.m$) {
        this.root = root;
        this.display = display;
        this.maxBytes = maxBytes;
    }
    path(key) {
        return (0,external_node_path_.join)(this.root, ...key.split("/"));
    }
    async get(key, signal) {
        signal.throwIfAborted();
        let handle;
        try {
            handle = await (0,promises_.open)(this.path(key), "r");
            // Sized from the open file before reading: a device (/dev/zero) or a huge file is refused.
            const info = await handle.stat();
            if (!info.isFile())
                throw new src_errors/* RelayError */.cx("integrity", `${this.display}: ${key} is not a regular file`);
            if (info.size > this.maxBytes) {
                throw new src_errors/* RelayError */.cx("integrity", `${this.display}: ${key} is larger than ${this.maxBytes} bytes; not read`);
            }
            const body = new Uint8Array(await handle.readFile({ signal }));
            if (body.length > this.maxBytes) {
                throw new src_errors/* RelayError */.cx("integrity", `${this.display}: ${key} grew beyond ${this.maxBytes} bytes while read`);
            }
            return { body, etag: etagOf(body) };
        }
        catch (err) {
            if (err instanceof src_errors/* RelayError */.cx)
                throw err;
            if (err.code === "ENOENT")
                return null;
            if (signal.aborted)
                throw signal.reason;
            throw fsError(this.display, "read", key, err);
        }
        finally {
            await handle?.close();
        }
    }
    async exists(key, signal) {
        signal.throwIfAborted();
        try {
            await (0,promises_.stat)(this.path(key));
            return true;
        }
        catch (err) {
            if (err.code === "ENOENT")
                return false;
            throw fsError(this.display, "stat", key, err);
        }
    }
    async list(folder, signal) {
        signal.throwIfAborted();
        try {
            const entries = await (0,promises_.readdir)(this.path(folder), { withFileTypes: true });
            return entries.filter((e) => e.isFile()).map((e) => e.name);
        }
        catch (err) {
            if (err.code === "ENOENT")
                return [];
            throw fsError(this.display, "list", folder, err);
        }
    }
    async put(key, body, signal) {
        signal.throwIfAborted();
        const target = this.path(key);
        try {
            await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
            await (0,durable/* replaceFile */.fR)(target, body, signal);
        }
        catch (err) {
            if (signal.aborted)
                throw signal.reason;
            throw fsError(this.display, "write", key, err);
        }
    }
    async putIfAbsent(key, body, signal) {
        // Archives are content-addressed: a concurrent writer of the same key writes the same bytes,
        // so "exists, then rename" is enough.
        if (await this.exists(key, signal))
            return false;
        await this.put(key, body, signal);
        return true;
    }
    async putIfMatch(key, body, expected, signal) {
        const release = await this.lock(key, signal);
        try {
            const current = await this.get(key, signal);
            if ((current?.etag ?? null) !== expected)
                return false;
            await this.put(key, body, signal);
            return true;
        }
        finally {
            await release();
        }
    }
    async lock(key, signal) {
        const lockPath = `${this.path(key)}.lock`;
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(lockPath), { recursive: true }).catch((err) => {
            throw fsError(this.display, "create folder for", key, err);
        });
        for (;;) {
            signal.throwIfAborted();
            try {
                const handle = await (0,promises_.open)(lockPath, "wx");
                await handle.close();
                return () => (0,promises_.rm)(lockPath, { force: true });
            }
            catch (err) {
                if (err.code !== "EEXIST")
                    throw fsError(this.display, "lock", key, err);
            }
            const age = await (0,promises_.stat)(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
            if (age > STALE_LOCK_MS)
                await (0,promises_.rm)(lockPath, { force: true });
            else
                await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
        }
    }
}
/** Path separators inside keys are always "/"; refuse a root that is a file system root by mistake. */
function checkFileRoot(root) {
    if (root === external_node_path_.sep || root === "")
        throw new src_errors/* RelayError */.cx("input", "file replica path must not be the file system root");
    return root;
}

;// CONCATENATED MODULE: ./packages/core/src/replica/stores.ts
/** A BlobStore whose implementation is created on the first call. */
function lazyStore(load, listable = true) {
    let loading;
    const store = () => {
        loading ??= load();
        // A failed load (bad credentials config) is reported on each call, and tried again next time.
        loading.catch(() => {
            loading = undefined;
        });
        return loading;
    };
    return {
        get: async (key, signal) => (await store()).get(key, signal),
        exists: async (key, signal) => (await store()).exists(key, signal),
        putIfAbsent: async (key, body, signal) => (await store()).putIfAbsent(key, body, signal),
        put: async (key, body, signal) => (await store()).put(key, body, signal),
        putIfMatch: async (key, body, expected, signal) => (await store()).putIfMatch(key, body, expected, signal),
        casCaveat: async (probeKey, signal) => (await store()).casCaveat?.(probeKey, signal),
        ...(listable ? { list: async (folder, signal) => (await store()).list(folder, signal) } : {}),
    };
}
function openStore(spec, options) {
    switch (spec.kind) {
        case "gs":
            return lazyStore(async () => {
                const { GcsStore, gcsBucket } = await Promise.all(/* import() */[__webpack_require__.e(669), __webpack_require__.e(324), __webpack_require__.e(665), __webpack_require__.e(689)]).then(__webpack_require__.bind(__webpack_require__, 83689));
                return new GcsStore(gcsBucket(spec.location, options.callTimeoutMs, options.gcs), spec.location, spec.display);
            });
        case "azblob":
            return lazyStore(async () => {
                const { AzureStore, azureContainer } = await Promise.all(/* import() */[__webpack_require__.e(669), __webpack_require__.e(568), __webpack_require__.e(541)]).then(__webpack_require__.bind(__webpack_require__, 34541));
                return new AzureStore(await azureContainer(spec.location, spec.display), spec.location, spec.display);
            });
        case "oci":
            return lazyStore(async () => {
                const { OciStore } = await __webpack_require__.e(/* import() */ 775).then(__webpack_require__.bind(__webpack_require__, 34775));
                return new OciStore(spec.location, spec.display);
            }, false);
    }
}

;// CONCATENATED MODULE: ./packages/core/src/replica/store-urls.ts
// URLs of the cloud object stores beyond S3, in Atlas's spellings (its docs: gs://my-bucket/prefix,
// azureblob://container/prefix?storage_account=NAME, oci://user:token@ghcr.io/org/repo); gocloud's
// azblob:// is accepted beside azureblob://.


const noCredentials = (parts, shown, instead) => {
    if (parts.authority.includes("@"))
        throw (0,src_errors/* inputError */.Xu)(`${shown}: this URL takes no credentials; ${instead}`);
};
// GCS bucket names: 3-63 lowercase letters, digits, "-", "_", "." (222 with dots; not checked).
const GCS_BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
function parseGs(parts, shown) {
    noCredentials(parts, shown, "use Application Default Credentials (google-github-actions/auth, GOOGLE_APPLICATION_CREDENTIALS)");
    const bucket = parts.authority;
    if (!GCS_BUCKET.test(bucket) || bucket.includes("..")) {
        throw (0,src_errors/* inputError */.Xu)(`${shown}: "${bucket}" is not a valid bucket name (gs://<bucket>/<prefix>)`);
    }
    parseQuery(parts.query, shown, []);
    return { kind: "gs", location: { bucket, prefix: keyPrefix(parts.path, shown) }, display: shown };
}
const CONTAINER = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;
const ACCOUNT = /^[a-z0-9]{3,24}$/;
function parseAzblob(parts, shown) {
    noCredentials(parts, shown, "set AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_KEY, or use azure/login");
    const container = parts.authority;
    if (!CONTAINER.test(container)) {
        throw (0,src_errors/* inputError */.Xu)(`${shown}: "${container}" is not a valid container name (3-63 lowercase letters, digits and single "-")`);
    }
    const params = parseQuery(parts.query, shown, ["storage_account"]);
    const account = params.get("storage_account");
    if (account !== undefined && !ACCOUNT.test(account)) {
        throw (0,src_errors/* inputError */.Xu)(`${shown}: "${account}" is not a valid storage account name (3-24 lowercase letters, digits)`);
    }
    const location = { container, prefix: keyPrefix(parts.path, shown) };
    if (account)
        location.account = account;
    return { kind: "azblob", location, display: shown };
}
// The distribution spec's repository name: lowercase components joined by "/".
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const LOOPBACK = /^(localhost|127(?:\.\d+){3}|\[::1\])(:\d+)?$/;
function parseOci(parts, shown) {
    const at = parts.authority.lastIndexOf("@");
    const userinfo = at === -1 ? undefined : parts.authority.slice(0, at);
    const host = at === -1 ? parts.authority : parts.authority.slice(at + 1);
    if (!/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(host)) {
        throw (0,src_errors/* inputError */.Xu)(`${shown}: "${host}" is not a registry host (oci://[user:token@]host/repository)`);
    }
    const repository = parts.path.replace(/^\/+|\/+$/g, "");
    if (!REPOSITORY.test(repository)) {
        throw (0,src_errors/* inputError */.Xu)(`${shown}: "${repository}" is not a repository name (lowercase letters, digits, ".", "_", "-", "/"-separated)`);
    }
    const params = parseQuery(parts.query, shown, ["plain_http"]);
    const location = {
        host: host.toLowerCase(),
        repository,
        // Like docker and oras: plain HTTP for loopback registries, TLS everywhere else unless asked.
        plainHttp: boolParam(params, "plain_http", shown) ?? LOOPBACK.test(host),
    };
    if (userinfo !== undefined) {
        const colon = userinfo.indexOf(":");
        try {
            location.username = decodeURIComponent(colon === -1 ? userinfo : userinfo.slice(0, colon));
            if (colon !== -1)
                location.password = decodeURIComponent(userinfo.slice(colon + 1));
        }
        catch {
            throw (0,src_errors/* inputError */.Xu)(`${shown}: malformed credentials (bad %-escape)`);
        }
    }
    return { kind: "oci", location, display: shown };
}

;// CONCATENATED MODULE: ./packages/core/src/replica/url.ts
// Replica URLs, parsed and checked before anything is written (docs/relay.md).





// gocloud's spellings are accepted beside Atlas's; `awssdk` picks an SDK version there and is moot here.
const S3_PARAMS = [
    "region",
    "endpoint",
    "use_path_style",
    "s3ForcePathStyle",
    "disableSSL",
    "profile",
    "awssdk",
];
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ANY_REGION = /^[a-z0-9][a-z0-9-]*$/;
/** Query parameters, strictly: `k=v` pairs, no repeats, no empty values, valid percent-escapes. */
function parseQuery(query, shown, known) {
    const params = new Map();
    if (query === "")
        return params;
    for (const pair of query.split("&")) {
        const eq = pair.indexOf("=");
        let key;
        let value;
        try {
            key = decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
            value = eq === -1 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
        }
        catch {
            throw (0,src_errors/* inputError */.Xu)(`${shown}: malformed query (bad %-escape)`);
        }
        if (!known.includes(key)) {
            throw (0,src_errors/* inputError */.Xu)(`${shown}: unknown parameter "${key}" (known: ${known.join(", ")})`);
        }
        if (value === "")
            throw (0,src_errors/* inputError */.Xu)(`${shown}: parameter "${key}" needs a value`);
        if (params.has(key))
            throw (0,src_errors/* inputError */.Xu)(`${shown}: parameter "${key}" given twice`);
        params.set(key, value);
    }
    return params;
}
function boolParam(params, name, shown) {
    const v = params.get(name);
    if (v === undefined)
        return undefined;
    if (v === "true" || v === "1")
        return true;
    if (v === "false" || v === "0")
        return false;
    throw (0,src_errors/* inputError */.Xu)(`${shown}: parameter "${name}" takes true or false, got "${v}"`);
}
/** Splits `scheme://authority/path?query#frag` without URL's normalisation (which hides mistakes). */
function splitUrl(raw) {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/.exec(raw);
    if (!m)
        return undefined;
    return { scheme: m[1].toLowerCase(), authority: m[2], path: m[3], query: m[4] ?? "", fragment: m[5] };
}
function parseReplicaUrl(raw, cwd = process.cwd()) {
    const shown = (0,src_secrets/* redactUrl */.BO)(raw);
    const parts = splitUrl(raw.trim());
    if (!parts) {
        throw (0,src_errors/* inputError */.Xu)(`"${shown}" is not a replica URL: use atlas://<repo>, s3://<bucket>/<prefix>, gs://, azureblob://, oci:// or file://<path>`);
    }
    if (parts.fragment)
        throw (0,src_errors/* inputError */.Xu)(`${shown}: a replica URL takes no #fragment`);
    switch (parts.scheme) {
        case "atlas":
            return parseAtlas(parts, shown);
        case "s3":
            return parseS3(parts, shown);
        case "gs":
            return parseGs(parts, shown);
        case "azureblob":
        case "azblob":
            return parseAzblob(parts, shown);
        case "oci":
            return parseOci(parts, shown);
        case "file":
            return parseFile(parts, shown, cwd);
        default:
            throw (0,src_errors/* inputError */.Xu)(`${shown}: unknown scheme "${parts.scheme}://" (use atlas://, s3://, gs://, azureblob://, oci:// or file://)`);
    }
}
function parseAtlas(parts, shown) {
    if (parts.authority.includes("@"))
        throw (0,src_errors/* inputError */.Xu)(`${shown}: atlas:// URLs take no credentials; pass the token separately`);
    if (parts.path !== "" && parts.path !== "/")
        throw (0,src_errors/* inputError */.Xu)(`${shown}: use atlas://<repo> (no path)`);
    const slug = (0,names/* checkSlug */.c5)(parts.authority);
    const params = parseQuery(parts.query, shown, ["tag", "version"]);
    const tag = params.get("tag");
    const version = params.get("version");
    if (tag !== undefined && version !== undefined)
        throw (0,src_errors/* inputError */.Xu)(`${shown}: give tag or version, not both`);
    const ref = tag !== undefined
        ? { tag: (0,names/* checkTag */.Bs)(tag) }
        : version !== undefined
            ? { version: (0,names/* checkVersion */.ps)(version) }
            : undefined;
    return ref ? { kind: "cloud", slug, ref } : { kind: "cloud", slug };
}
function parseS3(parts, shown) {
    if (parts.authority.includes("@")) {
        throw (0,src_errors/* inputError */.Xu)(`${shown}: s3:// URLs take no credentials; use the AWS credential chain (env, profile, role)`);
    }
    const bucket = parts.authority;
    if (bucket === "")
        throw (0,src_errors/* inputError */.Xu)(`${shown}: missing bucket (s3://<bucket>/<prefix>)`);
    if (!BUCKET.test(bucket) || bucket.includes("..")) {
        throw (0,src_errors/* inputError */.Xu)(`${shown}: "${bucket}" is not a valid bucket name (3-63 lowercase letters, digits, "-", ".")`);
    }
    const params = parseQuery(parts.query, shown, S3_PARAMS);
    const endpointRaw = params.get("endpoint");
    const region = params.get("region");
    if (region !== undefined && !(endpointRaw ? ANY_REGION : AWS_REGION).test(region)) {
        throw (0,src_errors/* inputError */.Xu)(`${shown}: "${region}" is not a valid region (e.g. us-east-1)`);
    }
    const pathStyle = boolParam(params, "use_path_style", shown) ?? boolParam(params, "s3ForcePathStyle", shown);
    const disableSSL = boolParam(params, "disableSSL", shown) ?? false;
    let endpoint;
    if (endpointRaw !== undefined) {
        const withScheme = /^[a-z]+:\/\//i.test(endpointRaw)
            ? endpointRaw
            : `${disableSSL ? "http" : "https"}://${endpointRaw}`;
        let url;
        try {
            url = new URL(withScheme);
        }
        catch {
            throw (0,src_errors/* inputError */.Xu)(`${shown}: endpoint "${(0,src_secrets/* redactUrl */.BO)(endpointRaw)}" is not a URL`);
        }
        if (url.protocol !== "http:" && url.protocol !== "https:")
            throw (0,src_errors/* inputError */.Xu)(`${shown}: endpoint must be http(s)`);
        if (url.username || url.password)
            throw (0,src_errors/* inputError */.Xu)(`${shown}: the endpoint takes no credentials`);
        endpoint = url.toString().replace(/\/$/, "");
    }
    const location = {
        bucket,
        prefix: keyPrefix(parts.path, shown),
        forcePathStyle: pathStyle ?? endpoint !== undefined,
    };
    if (region)
        location.region = region;
    if (endpoint)
        location.endpoint = endpoint;
    const profile = params.get("profile");
    if (profile)
        location.profile = profile;
    return { kind: "s3", location, display: shown };
}
/** A URL path as a key prefix: "" or "a/b/"; no empty, "." or ".." segment. */
function keyPrefix(path, shown) {
    const segments = path.split("/").filter((s, i, all) => !(s === "" && (i === 0 || i === all.length - 1)));
    for (const s of segments) {
        if (s === "" || s === "." || s === "..")
            throw (0,src_errors/* inputError */.Xu)(`${shown}: prefix has an empty, "." or ".." segment`);
    }
    return segments.length ? `${segments.join("/")}/` : "";
}
function parseFile(parts, shown, cwd) {
    if (parts.query !== "")
        throw (0,src_errors/* inputError */.Xu)(`${shown}: file:// URLs take no query`);
    if (parts.authority.includes("@"))
        throw (0,src_errors/* inputError */.Xu)(`${shown}: file:// URLs take no credentials`);
    // file:///abs has an empty authority; file://rel/path puts "rel" there.
    let path;
    try {
        path = decodeURIComponent(parts.authority === "" || parts.authority === "localhost" ? parts.path : parts.authority + parts.path);
    }
    catch {
        throw (0,src_errors/* inputError */.Xu)(`${shown}: malformed path (bad %-escape)`);
    }
    if (path === "" || path === "/")
        throw (0,src_errors/* inputError */.Xu)(`${shown}: needs a folder (file:///abs/path or file://relative/path)`);
    const root = (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(cwd, path);
    return { kind: "file", root, display: shown };
}

;// CONCATENATED MODULE: ./packages/core/src/replica/open.ts










/** Parses, validates and opens one replica. Nothing is contacted or written here. */
function openReplica(url, options = {}) {
    return openSpec(parseReplicaUrl(url, options.cwd), options);
}
function openSpec(spec, options = {}) {
    const connectMs = options.connectTimeoutMs ?? src_settings/* DEFAULT_CONNECT_TIMEOUT_MS */.od;
    const hints = options.hints ?? src_hints/* CLI_HINTS */.IF;
    if (spec.kind === "cloud") {
        const token = options.cloudToken;
        if (!token) {
            throw (0,src_errors/* configError */.Fj)(`atlas://${spec.slug} needs a cloud token: set atlas { cloud { token } }, ${hints.cloudToken}`);
        }
        const endpoint = options.cloudUrl || cloud/* DEFAULT_CLOUD_URL */.KX;
        let parsed;
        try {
            parsed = new URL(endpoint);
        }
        catch {
            throw (0,src_errors/* inputError */.Xu)(`cloud URL "${(0,src_secrets/* redactUrl */.BO)(endpoint)}" is not a URL`);
        }
        if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
            throw (0,src_errors/* inputError */.Xu)("cloud URL must be http(s)");
        return new cloud/* CloudReplica */.oU({
            slug: spec.slug,
            endpoint,
            token,
            timeouts: { connectMs, totalMs: options.callTimeoutMs ?? src_settings/* DEFAULT_CALL_TIMEOUT_MS */.MT },
            ...(spec.ref ? { ref: spec.ref } : {}),
            hints,
        });
    }
    if (!options.repo)
        throw (0,src_errors/* configError */.Fj)(`${spec.display}: a repository name is needed (repo { name }, ${hints.dirName})`);
    const repo = (0,names/* checkSlug */.c5)(options.repo);
    if (spec.kind === "file") {
        return new blob/* BlobReplica */.A("file", spec.display, new FileStore(checkFileRoot(spec.root), spec.display), `${repo}/`);
    }
    if (spec.kind !== "s3") {
        const callTimeoutMs = options.callTimeoutMs ?? src_settings/* DEFAULT_CALL_TIMEOUT_MS */.MT;
        const store = openStore(spec, { callTimeoutMs, ...(options.gcs ? { gcs: options.gcs } : {}) });
        return new blob/* BlobReplica */.A(spec.kind, spec.display, store, `${repo}/`);
    }
    const store = lazyS3Store(spec.location, spec.display, { connectMs, extra: options.s3 });
    return new blob/* BlobReplica */.A("s3", spec.display, store, `${repo}/`);
}
/**
 * The AWS SDK is loaded on first use, not at start-up: an apply served by the registry or a folder
 * never pays the ~60 ms it takes to load.
 */
function lazyS3Store(location, display, client) {
    return lazyStore(() => Promise.all([Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(711)]).then(__webpack_require__.t.bind(__webpack_require__, 53711, 19)), Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(711), __webpack_require__.e(710)]).then(__webpack_require__.bind(__webpack_require__, 77710))]).then(([{ S3Client }, { S3Store, s3ClientConfig }]) => new S3Store(new S3Client({ ...s3ClientConfig(location, client.connectMs), ...client.extra }), location, display)));
}

;// CONCATENATED MODULE: ./packages/core/src/relay/repo.ts






function openRepo(config) {
    const fromDir = config.dir && (0,src_settings/* isRegistryUrl */.bs)(config.dir) ? parseReplicaUrl(config.dir) : undefined;
    const dirSlug = fromDir?.kind === "cloud" ? fromDir.slug : undefined;
    if (config.name && dirSlug && config.name !== dirSlug) {
        throw (0,src_errors/* configError */.Fj)(`migration dir ${config.dir} and repo name "${config.name}" disagree: use one repository name`);
    }
    const name = config.name || dirSlug;
    if (!name)
        throw (0,src_errors/* configError */.Fj)(`no repository name: set repo { name } in atlas.hcl, or pass ${(config.hints ?? src_hints/* CLI_HINTS */.IF).dirName}`);
    const slug = (0,names/* checkSlug */.c5)(name);
    const options = {
        repo: slug,
        ...(config.cwd ? { cwd: config.cwd } : {}),
        ...(config.cloudUrl ? { cloudUrl: config.cloudUrl } : {}),
        ...(config.cloudToken ? { cloudToken: config.cloudToken } : {}),
        ...(config.connectTimeoutMs ? { connectTimeoutMs: config.connectTimeoutMs } : {}),
        ...(config.s3 ? { s3: config.s3 } : {}),
        ...(config.hints ? { hints: config.hints } : {}),
    };
    const ref = fromDir?.kind === "cloud" ? fromDir.ref : undefined;
    let primary;
    if (config.url) {
        const spec = parseReplicaUrl(config.url, config.cwd);
        if (spec.kind === "cloud")
            throw (0,src_errors/* configError */.Fj)(`repo url ${config.url} must be s3://, gs://, azureblob://, oci:// or file:// (the registry is atlas://)`);
        primary = openSpec(spec, options);
    }
    else {
        primary = openSpec(ref ? { kind: "cloud", slug, ref } : { kind: "cloud", slug }, options);
    }
    const backups = config.backups.map((url) => {
        if ((0,src_settings/* isRegistryUrl */.bs)(url.trim()))
            throw (0,src_errors/* configError */.Fj)(`backup ${url} must be s3://, gs://, azureblob://, oci:// or file://`);
        return openReplica(url, options);
    });
    return { slug, replicas: [primary, ...backups], ...(ref ? { ref } : {}) };
}
/** The repository settings of an atlas.hcl env; callers lay explicit inputs over it. */
function repoConfigOf(env) {
    const { dir, repo } = env.migration;
    return {
        ...(dir ? { dir } : {}),
        ...(repo.name ? { name: repo.name } : {}),
        backups: repo.backup,
        ...(repo.url ? { url: repo.url } : {}),
        ...(env.cloud.url ? { cloudUrl: env.cloud.url } : {}),
        ...(env.cloud.token ? { cloudToken: env.cloud.token } : {}),
    };
}
/**
 * Explicit value > the env's attribute > default, for every repository setting. Empty strings count as
 * "not given", as an unset action input reads "".
 */
function layerRepoConfig(env, over) {
    const base = env ? repoConfigOf(env) : { backups: [] };
    const { dir: _source, ...rest } = base;
    const name = (0,src_settings/* setting */.Pe)(over.name, base.name);
    const url = (0,src_settings/* setting */.Pe)(over.url, base.url);
    const cloudUrl = (0,src_settings/* setting */.Pe)(over.cloudUrl, base.cloudUrl);
    const cloudToken = (0,src_settings/* setting */.Pe)(over.cloudToken, base.cloudToken, (0,src_settings/* given */.gI)(over.fallbackToken));
    const backups = over.backups?.length ? over.backups : base.backups;
    return {
        ...rest,
        ...(over.dir ? { dir: over.dir } : {}),
        ...(name ? { name } : {}),
        backups: [...backups, ...(over.extraBackups ?? []).filter((b) => !backups.includes(b))],
        ...(url ? { url } : {}),
        ...(cloudUrl ? { cloudUrl } : {}),
        ...(cloudToken ? { cloudToken } : {}),
        ...(over.cwd ? { cwd: over.cwd } : {}),
        ...(over.connectTimeoutMs ? { connectTimeoutMs: over.connectTimeoutMs } : {}),
        ...(over.hints ? { hints: over.hints } : {}),
    };
}

;// CONCATENATED MODULE: ./packages/core/src/relay/run-context.ts
const run_context_compact = (context) => Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined && v !== ""));
/** The run context of this CI job, `path` being the migration directory as configured. */
function runContextFromEnv(env, path) {
    let context;
    if (env.GITHUB_ACTIONS === "true") {
        const server = env.GITHUB_SERVER_URL || "https://github.com";
        context = {
            scmType: "GITHUB",
            repo: env.GITHUB_REPOSITORY,
            ...(env.GITHUB_REPOSITORY ? { url: `${server}/${env.GITHUB_REPOSITORY}` } : {}),
            // A pull request's head branch; on a push, the branch pushed to.
            branch: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME,
            commit: env.GITHUB_SHA,
            username: env.GITHUB_ACTOR,
            userID: env.GITHUB_ACTOR_ID,
        };
    }
    else if (env.GITLAB_CI === "true") {
        context = {
            scmType: "GITLAB",
            repo: env.CI_PROJECT_NAME,
            url: env.CI_PROJECT_URL,
            branch: env.CI_COMMIT_REF_NAME,
            commit: env.CI_COMMIT_SHA,
            username: env.GITLAB_USER_NAME,
            userID: env.GITLAB_USER_ID,
        };
    }
    else if (env.BITBUCKET_BUILD_NUMBER !== undefined || env.BITBUCKET_COMMIT !== undefined) {
        context = {
            scmType: "BITBUCKET",
            repo: env.BITBUCKET_REPO_FULL_NAME,
            url: env.BITBUCKET_GIT_HTTP_ORIGIN,
            branch: env.BITBUCKET_BRANCH,
            commit: env.BITBUCKET_COMMIT,
        };
    }
    else if (env.TF_BUILD === "True" || env.TF_BUILD === "true") {
        // Azure Pipelines exposes Build.Repository.Uri as BUILD_REPOSITORY_URI, and so on.
        const pr = env.SYSTEM_PULLREQUEST_SOURCECOMMITID;
        context = {
            scmType: env.BUILD_REPOSITORY_PROVIDER === "GitHub" ? "GITHUB" : "AZURE_DEVOPS",
            repo: env.BUILD_REPOSITORY_NAME,
            url: env.BUILD_REPOSITORY_URI,
            branch: pr ? env.SYSTEM_PULLREQUEST_SOURCEBRANCH : env.BUILD_SOURCEBRANCH,
            commit: pr || env.BUILD_SOURCEVERSION,
            username: env.BUILD_REQUESTEDFOR,
        };
    }
    return context ? run_context_compact({ ...context, ...(path ? { path } : {}) }) : undefined;
}

;// CONCATENATED MODULE: ./packages/core/src/relay/index.ts













;// CONCATENATED MODULE: ./packages/core/src/replica/index.ts









;// CONCATENATED MODULE: ./packages/core/src/report/atlas.ts
// Atlas's own output shapes, so scripts written for Atlas read ours unchanged: the JSON and text of
// `migrate apply` and `migrate status` (ariga/atlas cmd/atlas/internal/cmdlog/cmdlog.go: MigrateApply,
// AppliedFile, MigrateStatus and their templates), the line `migrate push` prints (what atlasexec's
// MigratePush reads), and atlas-action's `runs` output (atlasaction/action.go, MigrateApply).
// Fields Atlas marks `omitempty` are present as `undefined`: `{{ .Error }}` reads "" and JSON omits them.


/** Go's `(time.Duration).String()`: `0s`, `850µs`, `12.5ms`, `1.2s`, `2m3.5s`. */
function goDuration(ms) {
    const ns = Math.round(ms * 1e6);
    if (ns === 0)
        return "0s";
    const trim = (n, digits) => n.toFixed(digits).replace(/\.?0+$/, "");
    if (ns < 1_000)
        return `${ns}ns`;
    if (ns < 1_000_000)
        return `${trim(ns / 1e3, 3)}µs`;
    if (ns < 1e9)
        return `${trim(ns / 1e6, 6)}ms`;
    const h = Math.floor(ns / 3.6e12);
    const m = Math.floor((ns % 3.6e12) / 6e10);
    const s = trim((ns % 6e10) / 1e9, 9);
    return `${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${s}s`;
}
/** A migration file as Atlas's `File` marshals it: Name, Version, Description (empty ones left out). */
function atlasFile(name) {
    const stem = name.replace(/\.sql$/, "");
    const i = stem.indexOf("_");
    return {
        Name: name,
        Version: i < 0 ? stem : stem.slice(0, i),
        Description: i < 0 || i === stem.length - 1 ? undefined : stem.slice(i + 1),
    };
}
/**
 * The database URL as Atlas's `*sqlclient.URL` marshals it: Go's `url.URL` fields (User is an opaque
 * `{}` there, so no password travels) plus Schema. atlasexec decodes this object, not a string.
 */
function atlasUrl(url) {
    let u;
    try {
        u = new URL(url);
    }
    catch {
        return { Scheme: "", Opaque: (0,src_secrets/* redactUrl */.BO)(url), Host: "", Path: "", RawQuery: "", Schema: "" };
    }
    return {
        Scheme: u.protocol.replace(/:$/, ""),
        Opaque: "",
        User: u.username ? {} : null,
        Host: u.host,
        Path: decodeURIComponent(u.pathname),
        RawPath: "",
        OmitHost: false,
        ForceQuery: false,
        RawQuery: u.search.replace(/^\?/, "").replace(/(^|&)(password|secret[^=]*)=[^&]*/gi, "$1$2=xxxxx"),
        Fragment: "",
        RawFragment: "",
        Schema: u.searchParams.get("search_path") ?? "",
    };
}
const iso = (ms) => new Date(ms).toISOString();
function atlasAppliedFile(f, fallbackStart) {
    const start = f.startedAt ?? fallbackStart;
    return {
        ...atlasFile(f.name),
        Start: iso(start),
        End: iso(start + f.ms),
        Skipped: f.skipped || undefined,
        Applied: f.stmts?.length ? f.stmts : undefined,
        Error: f.error ? { Stmt: f.error.stmt, Text: f.error.text } : undefined,
        // Ours: the tx mode the file ran in, and whether a later failure rolled it back (tx-mode all).
        TxMode: f.txMode,
        RolledBack: f.rolledBack || undefined,
    };
}
const startOf = (run) => run.startedAt?.getTime() ?? Date.now() - run.result.ms;
/** The run's one-line message, as Atlas's MigrateApply JSON `Message`. */
function applyMessage(r) {
    if (r.error)
        return undefined;
    if (r.applied.length === 0)
        return "No migration files to execute";
    return `Migrated to version ${r.target} from ${r.current} (${r.pending.length} migrations in total)`;
}
/**
 * One apply run in the shape of Atlas's `migrate apply --format '{{ json . }}'`: Driver, URL, Dir,
 * Pending, Applied (per file: statements run and the error), Current, Target, Start, End, Error,
 * Message. Added: Env (the for_each instance), DryRun, Source and Trail (where the directory was read).
 */
function atlasApplyJson(run) {
    const r = run.result;
    const start = startOf(run);
    let at = start;
    const applied = r.applied.map((f) => {
        const json = atlasAppliedFile(f, at);
        at = (f.startedAt ?? at) + f.ms;
        return json;
    });
    return {
        Driver: "postgres",
        URL: atlasUrl(r.url),
        Dir: (0,src_secrets/* redactUrl */.BO)(run.dir) || undefined,
        Pending: r.pending.length ? r.pending.map(atlasFile) : undefined,
        Applied: applied.length ? applied : undefined,
        Current: r.current || undefined,
        Target: r.target || undefined,
        Start: iso(start),
        End: iso(start + r.ms),
        Error: r.error?.message,
        Message: applyMessage(r),
        Env: run.label,
        DryRun: r.dryRun || undefined,
        Source: r.source,
        Trail: r.trail,
        State: r.state ? stateJson(r.state) : undefined,
        Outcome: runOutcome(run),
        NotStarted: run.notStarted,
    };
}
/** The applied state (tag, version, digest, commit, push time, lagging backups) in Go-style names. */
function stateJson(s) {
    return {
        Tag: s.tag || undefined,
        Version: s.version,
        Digest: s.digest,
        Commit: s.commit || undefined,
        PushedAt: s.pushedAt || undefined,
        Lagging: s.lagging?.length ? s.lagging : undefined,
    };
}
const indentLn = (text, n) => text.replace(/\n/g, `\n${" ".repeat(n)}`);
const s = (n) => (n > 1 ? "s" : "");
/** Atlas's closing lines: time, files ok/with errors, statements ok/with errors. */
function applySummaryLines(r) {
    let passedF = 0;
    let failedF = 0;
    let passedS = 0;
    let failedS = 0;
    for (const f of r.applied) {
        passedS += f.stmts?.length ?? f.statements;
        if (f.error) {
            failedF++;
            failedS++;
        }
        else
            passedF++;
    }
    const lines = [goDuration(r.ms)];
    if (passedF && failedF)
        lines.push(`${passedF} migration${s(passedF)} ok, ${failedF} with errors`);
    else if (passedF)
        lines.push(`${passedF} migration${s(passedF)}`);
    else if (failedF)
        lines.push(`${failedF} migration${s(failedF)} with errors`);
    if (passedS && failedS)
        lines.push(`${passedS} sql statement${s(passedS)} ok, ${failedS} with errors`);
    else if (passedS)
        lines.push(`${passedS} sql statement${s(passedS)}`);
    else if (failedS)
        lines.push(`${failedS} sql statement${s(failedS)} with errors`);
    return lines.map((l) => `  -- ${l}`);
}
/**
 * Atlas's `migrate apply` text (its MigrateApplyTemplate without colors): the header "Migrating to
 * version X from Y (N migrations in total):", one block per file with its statements and `ok (time)`
 * or the error, then the summary. A dry run lists the pending files instead of statements run.
 */
function atlasApplyText(run) {
    const r = run.result;
    // A run that failed before it knew what was pending has no report: the error goes to stderr, as in Atlas.
    if (r.pending.length === 0)
        return r.error ? "" : "No migration files to execute\n";
    const out = [
        `Migrating to version ${r.target}${r.current ? ` from ${r.current}` : ""} (${r.pending.length} migrations in total):`,
    ];
    if (r.dryRun) {
        out.push("", ...r.pending.map((p) => `  -- would migrate ${p}`));
    }
    for (const f of r.applied) {
        out.push("", `  -- migrating version ${f.version}`);
        for (const stmt of f.stmts ?? [])
            out.push(`    -> ${indentLn(stmt, 7)}`);
        if (f.error)
            out.push(`    ${f.error.text}`);
        else
            out.push(`  -- ok (${goDuration(f.ms)})`);
    }
    if (r.applied.length === 0 && !r.dryRun) {
        out.push("");
        if (r.error)
            out.push(`    ${r.error.message}`);
    }
    out.push("", "  -------------------------", ...applySummaryLines(r));
    return `${out.join("\n")}\n`;
}
/**
 * One status in the shape of Atlas's `migrate status --format '{{ json . }}'`: Env {Driver, URL, Dir},
 * Available, Pending, Applied (the revisions), Current, Next, Count, Total, Status, Error, SQL.
 * Added: Source and Trail.
 */
function atlasStatusJson(status, dir) {
    const revisions = status.revisions ?? [];
    const partial = status.partial;
    return {
        Env: { Driver: "postgres", URL: atlasUrl(status.url), Dir: (0,src_secrets/* redactUrl */.BO)(dir) || undefined },
        Available: status.available?.length ? status.available.map(atlasFile) : undefined,
        Pending: status.pending.length ? status.pending.map(atlasFile) : undefined,
        Applied: revisions.length ? revisions.map(atlasRevision) : undefined,
        // Atlas's words for "none", as its status report sets them.
        Current: status.error ? undefined : status.current || "No migration applied yet",
        Next: status.error ? undefined : status.next || "Already at latest version",
        Count: partial?.applied || undefined,
        Total: partial?.total || undefined,
        Status: status.error ? undefined : status.status,
        Error: status.error?.message ?? partial?.error?.replace(/\n/g, " "),
        SQL: partial?.errorStmt?.replace(/\n/g, " ") || undefined,
        Source: status.source,
        Trail: status.trail,
    };
}
/** A revision row as Atlas's `migrate.Revision` marshals it (ExecutionTime in nanoseconds). */
function atlasRevision(r) {
    return {
        Version: r.version,
        Description: r.description,
        Type: r.type,
        Applied: r.applied,
        Total: r.total,
        ExecutedAt: r.executedAt.toISOString(),
        ExecutionTime: Number(r.executionTime),
        Error: r.error || undefined,
        ErrorStmt: r.errorStmt || undefined,
        OperatorVersion: r.operatorVersion,
    };
}
/** Atlas's default `migrate status` text (its template without colors). */
function atlasStatusText(status) {
    if (status.error)
        return ""; // the error goes to stderr, as in Atlas
    const p = status.partial;
    const lines = [
        `Migration Status: ${status.status}`,
        `  -- Current Version: ${status.current || "No migration applied yet"}${p ? ` (${p.applied} statements applied)` : ""}`,
        `  -- Next Version:    ${status.next || "Already at latest version"}${p ? ` (${p.total - p.applied} statements left)` : ""}`,
        `  -- Executed Files:  ${status.revisions?.length ?? status.executed}${p ? " (last one partially)" : ""}`,
        `  -- Pending Files:   ${status.pending.length}`,
    ];
    if (p?.error) {
        lines.push("", "Last migration attempt had errors:", `  -- SQL:   ${(p.errorStmt ?? "").replace(/\n/g, " ")}`, `  -- ERROR: ${p.error.replace(/\n/g, " ")}`);
    }
    return `${lines.join("\n")}\n`;
}
/**
 * What `migrate push` prints on stdout, the one line atlasexec's MigratePush returns: the registry's
 * link to the pushed state when the registry took it, else the state's URL (`atlas://app?tag=v1`, or
 * the primary's redacted URL with bring-your-own storage). Empty when the push failed.
 */
function pushedUrl(result) {
    if (!result.ok)
        return "";
    return result.link || result.url;
}
function atlasPushJson(result) {
    return {
        Slug: result.slug,
        URL: pushedUrl(result) ? result.url : undefined,
        Link: result.ok ? result.link || undefined : undefined,
        Tag: result.tag,
        Digest: result.digest || undefined,
        Version: result.version || undefined,
        Error: result.ok ? undefined : (result.error ?? "no target took the push"),
        Note: result.targets[0]?.note,
        Backups: result.targets
            .filter((t) => t.role === "backup")
            .map((t) => ({
            URL: t.url,
            Error: t.ok ? undefined : (t.error ?? "failed"),
            Note: t.note,
        })),
    };
}
/**
 * atlas-action's `runs` output, one entry per run: current, target, applied_count, pending_count,
 * pending_files; plus ours: env, url (redacted), dry_run, source, trail (the replicas tried), error.
 */
function atlasActionRuns(runs) {
    return runs.map((run) => {
        const { label, result: r } = run;
        return {
            current: r.current,
            target: r.target,
            applied_count: r.applied.length,
            pending_count: r.pending.length,
            pending_files: r.pending.length ? r.pending : undefined,
            env: label,
            url: (0,src_secrets/* redactUrl */.BO)(r.url),
            dry_run: r.dryRun || undefined,
            source: r.source,
            trail: r.trail,
            error: r.error?.message,
            outcome: runOutcome(run),
            not_started: run.notStarted,
            state: r.state ? stateJson(r.state) : undefined,
        };
    });
}

;// CONCATENATED MODULE: ./packages/core/src/report/markdown.ts
// Markdown building blocks for job summaries: escaping for table cells and HTML, times, sizes.
// Pure functions: the actions hand the result to core.summary; nothing here knows of GitHub.


/** `<`, `>`, `&`, `"` as entities: text stays text inside HTML blocks and Markdown alike. */
function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
/** `&` and `<` only: enough that no text turns into a tag or an entity, and `->` stays readable. */
const escapeText = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
/**
 * A code span (URLs: `***` and `_` stay literal). Only a backtick needs care: the fence grows past
 * the longest run inside. In a table cell, pass `cell` so `|` is escaped too (GFM splits on it even
 * inside code spans) and line breaks become spaces.
 */
function codeSpan(text, cell = false) {
    let t = text.replace(/\s*(\r\n|\r|\n)\s*/g, " ");
    if (cell)
        t = t.replace(/\|/g, "\\|");
    if (t === "")
        return "";
    const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longest + 1);
    const pad = longest > 0 || t.startsWith(" ") || t.endsWith(" ") ? " " : "";
    return `${fence}${pad}${t}${pad}${fence}`;
}
/**
 * Inline text in a paragraph or heading: HTML escaped, one line, and the Markdown characters that
 * would change it escaped (`*` of a redacted `***`, backticks and brackets of a server message).
 */
function escapeInline(text) {
    return escapeText(text)
        .replace(/[\\`*[\]]/g, "\\$&")
        .replace(/\s*(\r\n|\r|\n)\s*/g, " ");
}
/**
 * One table cell: as inline text, plus `|` escaped (GFM splits cells on it, even inside code spans)
 * and line breaks as `<br>`.
 */
function escapeCell(text) {
    return escapeText(text.trim())
        .replace(/[\\`*[\]|]/g, "\\$&")
        .replace(/\r\n|\r|\n/g, "<br>");
}
/** Tokens this long (an S3 key, a URL in an error) get break points, or they widen their column. */
const LONG_TOKEN = 40;
/** `<wbr>` after the separators of long tokens in escaped text, so a long key wraps in its cell. */
function breakLong(escaped) {
    return escaped.replace(new RegExp(`[^\\s<>]{${LONG_TOKEN},}`, "g"), (token) => token.replace(/([/?=_.-])(?=[^/?=_.-])/g, "$1<wbr>"));
}
/**
 * A table cell that keeps every line of a multi-line text: the first line, the rest folded in
 * <details> (GFM cells are one line; `<br>` keeps the breaks). Long tokens can wrap.
 */
function detailCell(text) {
    const [first = "", ...rest] = text.trim().split(/\r\n|\r|\n/);
    const head = breakLong(escapeCell(first));
    if (!rest.length)
        return head;
    return `${head}<details><summary>${rest.length} more line${rest.length === 1 ? "" : "s"}</summary>${breakLong(escapeCell(rest.join("\n")))}</details>`;
}
/** Longer URLs are shortened in a table cell, the full one in the title (hover), so Detail stays in view. */
const URL_CELL = 80;
/** A URL in a table cell: a code span, shortened in the middle when long (the whole URL in its title). */
function urlCell(url) {
    if (url.length <= URL_CELL)
        return codeSpan(url, true);
    const short = `${url.slice(0, 32)}…${url.slice(-(URL_CELL - 33))}`;
    return `<code title="${escapeHtml(url).replace(/\|/g, "&#124;")}">${escapeHtml(short).replace(/\|/g, "&#124;")}</code>`;
}
/**
 * A message as a summary paragraph: one line stays inline (bold when `strong`); several lines keep
 * their breaks in a <pre> block after the first (server errors, a PostgreSQL DETAIL/HINT).
 */
function messageBlock(text, strong = false) {
    const [first = "", ...rest] = text.trim().split(/\r\n|\r|\n/);
    const line = strong ? `**${escapeInline(first)}**` : escapeInline(first);
    return rest.length ? `${line}\n\n<pre>${escapeHtml(rest.join("\n"))}</pre>` : line;
}
/** `6 ms`, `5.0 s`, `2.3 min`. */
function markdown_formatMs(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 120_000)
        return `${(ms / 1000).toFixed(1)} s`;
    return `${(ms / 60_000).toFixed(1)} min`;
}
function formatBytes(n) {
    if (n < 1024)
        return `${n} B`;
    if (n < 1024 * 1024)
        return `${(n / 1024).toFixed(1)} kB`;
    return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** A summary for a step that stopped before it had a result (bad input, unreadable config). */
function errorSummary(title, message, secrets = [], vocabulary = src_hints/* CLI_VOCABULARY */.US) {
    const text = (0,src_hints/* speak */.Lr)((0,src_secrets/* redact */.E$)(message, secrets), vocabulary);
    return (0,src_secrets/* redact */.E$)(`### ❌ ${escapeInline(title)}\n\n${messageBlock(text, true)}\n`, secrets);
}

;// CONCATENATED MODULE: ./packages/core/src/report/health.ts


const STATUS_WORD = {
    current: "ok",
    lagging: "LAGS",
    empty: "EMPTY",
    diverged: "DIVERGED",
    corrupt: "CORRUPT",
    unreachable: "UNREACHABLE",
    refused: "REFUSED",
};
const replicaName = (r) => (r.role === "registry" ? `registry ${r.url}` : r.url);
const shortDigest = (digest) => digest.slice(0, 19);
/** The columns of one replica: replica, status, latest version, digest, pushed at, commit, tags, problems. */
function row(r) {
    const l = r.latest;
    return [
        replicaName(r),
        STATUS_WORD[r.status],
        l?.version || "-",
        l ? shortDigest(l.digest) : "-",
        l?.pushedAt ?? "-",
        l?.commit ? l.commit.slice(0, 12) : "-",
        r.tags ? String(Object.keys(r.tags).length) : "n/a",
        r.problems.join("; ") || "-",
    ];
}
const HEADER = ["replica", "status", "latest", "digest", "pushed at", "commit", "tags", "problems"];
/** One sentence: agree, or how many lag / are unreachable / corrupt. */
function healthStatusText(report) {
    const count = (s) => report.replicas.filter((r) => r.status === s).length;
    const n = report.replicas.length;
    if (report.ok)
        return `all ${plural(n, "replica")} hold ${newestText(report)}`;
    const parts = [
        ["lagging", count("lagging") + count("empty")],
        ["diverged", count("diverged")],
        ["corrupt", count("corrupt")],
        ["unreachable", count("unreachable")],
        ["refused", count("refused")],
        ["missing tags", report.replicas.filter((r) => r.missingTags.length > 0).length],
    ];
    const wrong = parts.filter(([, k]) => k > 0).map(([what, k]) => `${k} ${what}`);
    const head = report.newest
        ? `newest is ${newestText(report)}`
        : (report.conflict ?? "no replica holds a state");
    return `${n} replicas disagree (${wrong.join(", ") || "see problems"}); ${head}`;
}
function newestText(report) {
    const s = report.newest;
    return s ? `version ${s.version} (${shortDigest(s.digest)}${s.tag ? `, tag ${s.tag}` : ""})` : "nothing";
}
/** A plain-text table, columns padded: the CLI's output. */
function healthTable(report, secrets = []) {
    const rows = [HEADER, ...report.replicas.map(row)].map((cells) => cells.map((c) => (0,src_secrets/* redact */.E$)(c, secrets)));
    const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => (i === 7 ? 0 : r[i].length))));
    return rows.map((cells) => cells
        .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
        .join("  ")
        .trimEnd());
}
/** The job summary: a status line and one table row per replica. */
function healthSummary(report, secrets = []) {
    const clean = (t) => (0,src_secrets/* redact */.E$)(t, secrets);
    const icon = report.ok ? "✅" : "❌";
    const lines = [
        `### ${icon} migrate-relay verify${report.deep ? " --deep" : ""}`,
        "",
        `**${escapeInline(clean(capital(healthStatusText(report))))}**`,
        "",
        `| ${HEADER.map(capital).join(" | ")} |`,
        `| ${HEADER.map(() => "---").join(" | ")} |`,
    ];
    for (const r of report.replicas) {
        const cells = row(r).map((c, i) => (i === 0 ? codeSpan(clean(c), true) : escapeCell(clean(c))));
        lines.push(`| ${cells.join(" | ")} |`);
    }
    return (0,src_secrets/* redact */.E$)(`${lines.join("\n")}\n`, secrets);
}
/** One sync step as a line: planned, done or failed. */
function syncStepLine(step) {
    const what = `${step.latest ? "latest -> " : ""}tag ${step.tag} (version ${step.version || "?"}, ${shortDigest(step.digest)})`;
    const status = step.ok === undefined ? "plan" : step.ok ? "ok  " : "FAIL";
    const time = step.ms !== undefined ? ` ${markdown_formatMs(step.ms)}` : "";
    const detail = step.error ?? step.note;
    return `${status} ${step.url}: ${what}${time}${detail ? `: ${detail}` : ""}`;
}
/** The sync result in one sentence. */
function syncStatusText(result) {
    const n = result.steps.length;
    if (result.dryRun)
        return `dry run: ${plural(n, "copy", "copies")} planned; nothing was written${result.error ? `; ${result.error}` : ""}`;
    if (!result.ok)
        return `sync failed: ${result.error}`;
    if (n === 0)
        return "nothing to copy: every reachable replica holds every state";
    const replicas = new Set(result.steps.map((s) => s.url)).size;
    return `copied ${plural(n, "state")} to ${plural(replicas, "replica")}`;
}
/** The sync job summary: a status line and one row per copy. */
function syncSummary(result, secrets = []) {
    const clean = (t) => (0,src_secrets/* redact */.E$)(t, secrets);
    const lines = [
        `### ${result.ok ? "✅" : "❌"} migrate-relay sync`,
        "",
        `**${escapeInline(clean(capital(syncStatusText(result))))}**`,
        "",
    ];
    if (result.steps.length) {
        lines.push("| Replica | Tag | Version | Digest | Moves latest | Result |", "| --- | --- | --- | --- | --- | --- |");
        for (const s of result.steps) {
            const outcome = s.ok === undefined ? "planned" : s.ok ? "ok" : `failed: ${s.error ?? ""}`;
            const cells = [s.tag, s.version, shortDigest(s.digest), s.latest ? "yes" : "no", outcome];
            lines.push(`| ${[codeSpan(clean(s.url), true), ...cells.map((c) => escapeCell(clean(c)))].join(" | ")} |`);
        }
    }
    return (0,src_secrets/* redact */.E$)(`${lines.join("\n").trimEnd()}\n`, secrets);
}
/** A state named so a user can find it again: `tag latest, version 3, sha256:…, commit abc, pushed …`. */
function stateText(s) {
    return [
        s.tag ? `tag ${s.tag}` : "",
        `version ${s.version || "?"}`,
        s.digest,
        s.commit ? `commit ${s.commit}` : "",
        s.pushedAt ? `pushed ${s.pushedAt}` : "",
    ]
        .filter(Boolean)
        .join(", ");
}
const capital = (t) => t.charAt(0).toUpperCase() + t.slice(1);

;// CONCATENATED MODULE: ./packages/core/src/report/apply.ts
// apply results -> job summary Markdown, action outputs (atlas-action's names) and log lines.







/** What happened to a run: failed, not-started, applied, dry-run or up-to-date. */
const runOutcome = (run) => run.notStarted !== undefined ? "not-started" : outcomeOf(run.result);
/** `registry` for the atlas:// registry, else the replica's (redacted) URL. */
const attemptName = (a) => (a.kind === "cloud" ? "registry" : a.url);
/**
 * The fallback trail on one line:
 * `registry: connection refused after 6 ms -> s3://bucket/prefix: ok in 12 ms, digest verified, atlas.sum valid`.
 */
function trailText(trail) {
    return trail
        .map((a) => {
        if (a.outcome === "ok")
            return `${attemptName(a)}: ok in ${formatMs(a.ms)}${a.note ? `, ${a.note}` : ""}`;
        // The registry client's messages start "registry <endpoint>: "; the label says it already.
        const error = (a.error ?? "failed").replace(a.kind === "cloud" ? /^registry \S+:? / : /^$/, "");
        return `${attemptName(a)}: ${error} after ${formatMs(a.ms)}${a.note ? ` (${a.note})` : ""}`;
    })
        .join(" -> ");
}
/** The trail for a summary: each replica's URL a code span (GitHub autolinks half of a bare S3 URL). */
function trailMarkdown(trail, clean) {
    return trail
        .map((a) => {
        const name = a.kind === "cloud" ? "registry" : codeSpan(clean(a.url));
        if (a.outcome === "ok")
            return `${name}: ok in ${markdown_formatMs(a.ms)}${a.note ? `, ${escapeInline(clean(a.note))}` : ""}`;
        const error = (a.error ?? "failed").replace(a.kind === "cloud" ? /^registry \S+:? / : /^$/, "");
        return `${name}: ${escapeInline(clean(error))} after ${markdown_formatMs(a.ms)}${a.note ? ` (${escapeInline(clean(a.note))})` : ""}`;
    })
        .join(" -> ");
}
/** One log line per replica tried: outcome, URL, time, and why it was left (or what was verified). */
function attemptLogLine(a, vocabulary = src_hints/* CLI_VOCABULARY */.US) {
    const why = a.outcome === "ok"
        ? (a.note ?? "")
        : `${a.error ?? "failed"}${a.eligible ? " -> next" : ""}${a.note ? `; ${a.note}` : ""}`;
    return `${a.outcome === "ok" ? "ok  " : "FAIL"} ${a.url} ${markdown_formatMs(a.ms)}${why ? `: ${(0,src_hints/* speak */.Lr)(why, vocabulary)}` : ""}`;
}
/** The title of a failed read's annotation. */
const attemptTitle = (a) => `migrate-relay: ${a.kind === "cloud" ? "registry" : "backup"} not read${a.eligible ? ", trying the next" : ""}`;
/** The title of a failed target's annotation. */
const applyRunTitle = (run) => `migrate-relay apply${run.label ? `: ${run.label}` : ""} failed`;
/** A rollout that stopped starting targets (max-failures, a failed canary), and its title. */
const rolloutStoppedLine = (why) => `Stopped starting targets: ${why}`;
const ROLLOUT_STOPPED_TITLE = "migrate-relay apply: rollout stopped";
const DEPLOYMENT_TITLE = "migrate-relay apply: deployment report not sent";
/** Before a read through the relay: the directory and how many replicas stand behind it. */
const readingLine = (dir, replicas) => `Reading ${(0,src_secrets/* redactUrl */.BO)(dir)}: the primary, then ${plural(replicas - 1, "backup")}`;
/** Before a target's apply: the directory, the database and the env instance. */
const applyStartLine = (target) => `Applying ${(0,src_secrets/* redactUrl */.BO)(target.dir)} to ${(0,src_secrets/* redactUrl */.BO)(target.url)}${target.label ? ` (env ${target.label})` : ""}`;
/** Which state was read, and from where (a log line). */
const readStateLine = (state, source) => `Read ${stateText(state)} from ${source}`;
/** Backups behind the state that was read (a warning). */
const laggingLine = (lagging) => `lagging backups (run migrate-relay sync): ${lagging.join(", ")}`;
/** `2000 targets: 3 failed, 10 not started, 1987 applied`. */
function fleetCountsLine(outcomes) {
    const parts = FLEET_OUTCOMES.map((o) => [o, outcomes.filter((x) => x === o).length])
        .filter(([, n]) => n > 0)
        .map(([o, n]) => `${n} ${OUTCOME_NAMES[o]}`);
    return `${plural(outcomes.length, "target")}: ${parts.join(", ")}`;
}
const statementsOf = (r) => r.applied.reduce((n, f) => n + f.statements, 0);
/** What happened to one target, in one sentence (a label stays as written: env names are not capitalized). */
function applyStatusText(run, vocabulary = src_hints/* CLI_VOCABULARY */.US) {
    const text = run.notStarted !== undefined ? `not started: ${run.notStarted}` : statusSentence(run.result);
    return (0,src_hints/* speak */.Lr)(run.label ? `${run.label}: ${text}` : apply_capital(text), vocabulary);
}
const apply_capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
/**
 * The status of a target whose section follows: a failure names where it stopped, not the error,
 * which the section shows once (the file's row, or the Error line).
 */
function shortStatus(run) {
    if (!run.result.error || run.notStarted !== undefined)
        return applyStatusText(run);
    const file = run.result.applied.find((f) => f.error);
    const text = `failed${file ? ` at ${file.name}` : ""}`;
    return run.label ? `${run.label}: ${text}` : apply_capital(text);
}
function statusSentence(r) {
    const from = r.current || "(empty)";
    if (r.error)
        return `failed: ${r.error.message}`;
    if (r.pending.length === 0)
        return `no migration files to execute (database at ${from})`;
    if (r.dryRun)
        return `dry run: would migrate from ${from} to ${r.target} (${plural(r.pending.length, "file")}); nothing was written`;
    return `migrated to version ${r.target} from ${from} (${plural(r.applied.length, "file")}, ${plural(statementsOf(r), "statement")}, ${markdown_formatMs(r.ms)})`;
}
/** One log line per applied file. */
function appliedFileLine(f) {
    if (f.error?.step)
        return `FAIL ${f.name} ${f.error.step} ${markdown_formatMs(f.ms)}: ${f.error.text}`;
    if (f.error)
        return `FAIL ${f.name} statement ${f.error.index}/${f.total} (line ${f.error.line}) ${markdown_formatMs(f.ms)}: ${f.error.text}`;
    const resumed = f.skipped ? `, resumed after ${f.skipped}` : "";
    return `${f.rolledBack ? "back" : "ok  "} ${f.name} ${plural(f.statements, "statement")}${resumed} ${markdown_formatMs(f.ms)}`;
}
function fileStatus(f) {
    if (f.error)
        return "failed";
    if (f.rolledBack)
        return "rolled back";
    return f.skipped ? `ok (resumed after ${f.skipped})` : "ok";
}
function fileStatements(f) {
    return f.error || f.skipped || f.statements !== f.total ? `${f.statements} of ${f.total}` : String(f.total);
}
function fileError(f) {
    if (!f.error)
        return "";
    const e = f.error;
    if (e.step)
        return `${e.step}: ${e.text}${e.code ? ` [${e.code}]` : ""}`;
    return `statement ${e.index} (line ${e.at ?? e.line}): ${e.text}${e.code ? ` [${e.code}]` : ""}`;
}
function runSection(run, clean, heading) {
    const r = run.result;
    const out = [];
    const icon = r.error ? "❌" : r.dryRun ? "🧪" : "✅";
    if (heading)
        out.push(`#### ${icon} ${escapeInline(clean(run.label ?? r.url))}`, "");
    const trail = r.trail ?? [];
    if (trail.length)
        out.push(`Source: ${trailMarkdown(trail, clean)}`, "");
    else if (!(0,src_settings/* isRegistryUrl */.bs)(run.dir))
        out.push(`Source: ${codeSpan(clean((0,src_secrets/* redactUrl */.BO)(run.dir)))} (local directory)`, "");
    const ok = r.applied.filter((f) => !f.error && !f.rolledBack).length;
    const notOk = r.applied.length - ok;
    const files = r.dryRun
        ? `Would apply ${plural(r.pending.length, "pending file")}`
        : `Applied ${ok} of ${plural(r.pending.length, "pending file")}${notOk ? ` (${notOk} failed or rolled back)` : ""}, ${plural(statementsOf(r), "statement")}`;
    // A run that stopped before it knew what was pending (no directory, no connection) has no plan to show.
    const planned = !r.error || r.pending.length > 0 || r.applied.length > 0 || r.current !== "";
    const params = [
        `- Directory: ${codeSpan(clean((0,src_secrets/* redactUrl */.BO)(run.dir)))}`,
        ...(r.state ? [`- State: ${escapeInline(clean(stateText(r.state)))}`] : []),
        ...(r.state?.lagging?.length
            ? [
                `- ⚠️ Lagging backups (run \`migrate-relay sync\`): ${escapeInline(clean(r.state.lagging.join(", ")))}`,
            ]
            : []),
        `- Database: ${codeSpan(clean((0,src_secrets/* redactUrl */.BO)(r.url)))}`,
        ...(planned
            ? [
                `- From ${escapeInline(r.current || "(empty)")} -> ${escapeInline(r.target || r.current || "(empty)")}`,
                `- ${files}`,
            ]
            : []),
        `- Total time: ${markdown_formatMs(r.ms)}`,
    ];
    out.push(...params, "");
    // A file's error is in its row below; any other error (no connection, a lock) is shown here, once.
    if (r.error && !r.applied.some((f) => f.error))
        out.push(`**Error:** ${messageBlock(clean(r.error.message))}`, "");
    if (r.applied.length) {
        out.push("| Version | Status | Statements | Time | Error |", "| --- | --- | --- | --- | --- |");
        for (const f of r.applied) {
            const cells = [f.version, fileStatus(f), fileStatements(f), markdown_formatMs(f.ms)].map((c) => escapeCell(clean(c)));
            out.push(`| ${[...cells, detailCell(clean(fileError(f)))].join(" | ")} |`);
        }
        out.push("");
        for (const f of r.applied.filter((x) => x.error && !x.error.step)) {
            const e = f.error;
            // The error's text is in the row above; here the statement and what PostgreSQL added to it.
            const extra = [e.detail && `DETAIL: ${e.detail}`, e.hint && `HINT: ${e.hint}`]
                .filter(Boolean)
                .join("\n");
            out.push("<details>", `<summary>Failing statement of ${escapeHtml(clean(f.name))} (statement ${e.index}, line ${e.line})</summary>`, "", `<pre><code>${escapeHtml(clean(e.stmt))}</code></pre>`, "", ...(extra ? [`<pre>${escapeHtml(clean(extra))}</pre>`, ""] : []), "</details>", "");
        }
    }
    else if (r.dryRun && r.pending.length) {
        out.push(`Pending: ${escapeInline(clean(r.pending.join(", ")))}`, "");
    }
    return out;
}
/** Up to this many targets, every one gets its section; above, only failures do (a fleet). */
const FULL_SECTIONS = 10;
/** Failure sections shown in full in a fleet; further failures get one line each. */
const FAILURE_SECTIONS = 20;
const OUTCOME_NAMES = {
    failed: "failed",
    "not-started": "not started",
    applied: "applied",
    "dry-run": "dry run",
    "up-to-date": "up to date",
};
/**
 * The job summary: a status line, then per target the source trail, parameters and applied files.
 * Several targets: failures first. A fleet (more than FULL_SECTIONS targets) stays readable at
 * thousands of rows: counts by outcome, the failures with their errors, every other target one line
 * folded in <details>.
 */
function applySummary(runs, options = {}) {
    const secrets = options.secrets ?? [];
    const clean = (text) => (0,src_hints/* speak */.Lr)((0,src_secrets/* redact */.E$)(text, secrets), options.vocabulary);
    const failed = runs.filter((r) => r.result.error).length;
    const notStarted = runs.filter((r) => r.notStarted !== undefined).length;
    const icon = failed || notStarted ? "❌" : "✅";
    const status = runs.length === 1
        ? shortStatus(runs[0])
        : failed
            ? `${failed} of ${plural(runs.length, "target")} failed`
            : notStarted
                ? `${notStarted} of ${plural(runs.length, "target")} not started`
                : `${runs.length} of ${plural(runs.length, "target")} ok`;
    const lines = [`### ${icon} migrate-relay apply`, "", `**${escapeInline(clean(status))}**`, ""];
    const rollout = options.rollout;
    if (rollout?.shard)
        lines.push(`Shard ${rollout.shard.index}/${rollout.shard.count}: ${runs.length} of ${plural(rollout.total, "target")}`, "");
    if (rollout?.stopped)
        lines.push(`Stopped starting targets: ${escapeInline(clean(rollout.stopped))}`, "");
    // Failures first, then the rest in their configured order.
    const ordered = [...runs.filter((r) => r.result.error), ...runs.filter((r) => !r.result.error)];
    if (runs.length <= FULL_SECTIONS) {
        if (runs.length > 1) {
            for (const run of ordered)
                lines.push(`- ${escapeInline(clean(shortStatus(run)))}`);
            lines.push("");
        }
        for (const run of ordered.filter((r) => r.notStarted === undefined))
            lines.push(...runSection(run, clean, runs.length > 1));
        return (0,src_secrets/* redact */.E$)(`${lines.join("\n").trimEnd()}\n`, secrets);
    }
    const counts = new Map();
    for (const run of runs)
        counts.set(runOutcome(run), (counts.get(runOutcome(run)) ?? 0) + 1);
    lines.push("| Outcome | Targets |", "| --- | --- |");
    for (const outcome of FLEET_OUTCOMES)
        if (counts.get(outcome))
            lines.push(`| ${OUTCOME_NAMES[outcome]} | ${counts.get(outcome)} |`);
    lines.push("");
    const failures = ordered.slice(0, failed);
    for (const run of failures.slice(0, FAILURE_SECTIONS))
        lines.push(...runSection(run, clean, true));
    if (failed > FAILURE_SECTIONS) {
        lines.push(`#### ${failed - FAILURE_SECTIONS} more failed`, "");
        for (const run of failures.slice(FAILURE_SECTIONS))
            lines.push(`- ${escapeInline(clean(applyStatusText(run)))}`);
        lines.push("");
    }
    const rest = ordered.slice(failed);
    if (rest.length) {
        lines.push("<details>", `<summary>${plural(rest.length, failed ? "other target" : "target")}</summary>`, "", ...rest.map((run) => `- ${escapeInline(clean(applyStatusText(run)))}`), "", "</details>");
    }
    return (0,src_secrets/* redact */.E$)(`${lines.join("\n").trimEnd()}\n`, secrets);
}
/**
 * The apply action's outputs, atlas-action's names. One run: its values. Several (for_each):
 * pending_count and applied_count are sums; current and target are set only when every run agrees
 * (else ""); `runs` holds each in atlas-action's shape (plus env, dry_run, source, error). `source` is
 * where the directory came from (the first run's); `error` is set only when a run failed.
 */
function applyOutputs(runs, options = {}) {
    const clean = (text) => (0,src_secrets/* redact */.E$)(text, options.secrets ?? []);
    const same = (values) => (new Set(values).size === 1 ? values[0] : "");
    const first = runs[0];
    const failed = runs.find((r) => r.result.error);
    return {
        current: same(runs.map((r) => r.result.current)),
        target: same(runs.map((r) => r.result.target)),
        pending_count: String(runs.reduce((n, r) => n + r.result.pending.length, 0)),
        applied_count: String(runs.reduce((n, r) => n + r.result.applied.filter((f) => !f.error).length, 0)),
        runs: clean(JSON.stringify(atlasActionRuns(runs))),
        source: clean(first ? (first.result.source ?? ((0,src_settings/* isRegistryUrl */.bs)(first.dir) ? "" : (0,src_secrets/* redactUrl */.BO)(first.dir))) : ""),
        // As atlas-action: the error of the first failed run ("" on success, so every output is set).
        error: failed
            ? clean(failed.label ? `${failed.label}: ${failed.result.error.message}` : failed.result.error.message)
            : "",
    };
}

;// CONCATENATED MODULE: ./packages/core/src/report/deployment.ts


function deploymentMarkdown(outcome, secrets = []) {
    const clean = (text) => escapeInline((0,src_secrets/* redact */.E$)(text, secrets));
    if (outcome.error)
        return `Deployment report not sent to ${clean(outcome.registry)}: ${clean(outcome.error)}`;
    if (!outcome.url)
        return `Deployment reported to ${clean(outcome.registry)}.`;
    return `Deployment reported: [${clean(outcome.url)}](${encodeURI(outcome.url)})`;
}

;// CONCATENATED MODULE: ./packages/core/src/report/push.ts




/** `registry`, `primary (s3)`, `backup (file)`. */
function targetKind(t) {
    return t.role === "registry" ? "registry" : `${t.role} (${t.kind})`;
}
function targetResultText(t) {
    if (t.ok)
        return t.skipped ? "ok (archive already there)" : "ok";
    return t.attempts === 0 ? "not attempted" : "failed";
}
/** Whether this target's `latest` moved, and from which version; "" when it was not asked to. */
function latestDetail(t) {
    // The note already says why when latest did not move.
    if (t.latestMoved === undefined || (!t.latestMoved && t.note?.startsWith("latest not moved")))
        return "";
    const from = t.latestFrom === undefined ? "" : ` (was ${t.latestFrom || "none"})`;
    return t.latestMoved ? `latest moved${from}` : `latest not moved${from}`;
}
function targetDetail(t) {
    const parts = [];
    if (t.ok && !t.skipped)
        parts.push(`${formatBytes(t.bytes)} sent`);
    if (latestDetail(t))
        parts.push(latestDetail(t));
    if (t.error)
        parts.push(t.error);
    if (t.attempts > 1)
        parts.push(`${t.attempts} attempts`);
    if (t.note)
        parts.push(t.note);
    return parts.join("; ");
}
/** One log line per target: result, URL, role, time, and the detail. */
function pushTargetLine(t, vocabulary = src_hints/* CLI_VOCABULARY */.US) {
    const detail = (0,src_hints/* speak */.Lr)(targetDetail(t), vocabulary);
    return `${t.ok ? "ok  " : "FAIL"} ${t.url} (${targetKind(t)}) ${markdown_formatMs(t.ms)}${detail ? `: ${detail}` : ""}`;
}
/** The title of a target's annotation: `migrate-relay push: backup (s3) failed`. */
const pushTargetTitle = (t) => `migrate-relay push: ${targetKind(t)} ${t.ok ? "ok" : t.attempts === 0 ? "not attempted" : "failed"}`;
/** The log group the target lines go in. */
const pushGroupTitle = (slug, tag, targets, timeoutMs) => `Pushing ${slug}:${tag} to ${plural(targets, "target")} (timeout ${markdown_formatMs(timeoutMs)} each)`;
/** The line after a dev-database replay; `where` is the database as the medium shows it. */
const replayLine = (r, where = r.url) => `Replayed ${plural(r.files, "file")} (${plural(r.statements, "statement")}) on a scratch database at ${where} in ${markdown_formatMs(r.ms)}`;
function pushStatusText(result) {
    const took = result.targets.filter((t) => t.ok).length;
    const name = `${result.slug}:${result.tag}`;
    if (!result.ok)
        return `Push of ${name} failed: ${result.error ?? "no target took the push"}`;
    return `Pushed ${name} (version ${result.version}, ${plural(result.files, "file")}, ${result.digest}) to ${took} of ${plural(result.targets.length, "target")}`;
}
/** The job summary: a status line, the replay, then `Target | Kind | Result | Time | Detail`. */
function pushSummary(result, options = {}) {
    const secrets = options.secrets ?? [];
    const clean = (text) => (0,src_hints/* speak */.Lr)((0,src_secrets/* redact */.E$)(text, secrets), options.vocabulary);
    const took = result.targets.filter((t) => t.ok).length;
    const icon = !result.ok ? "❌" : took < result.targets.length ? "⚠️" : "✅";
    const lines = [`### ${icon} migrate-relay push`, "", messageBlock(clean(pushStatusText(result)), true), ""];
    if (result.link)
        lines.push(`Registry: ${escapeInline(clean(result.link))}`, "");
    if (options.replay) {
        const r = options.replay;
        lines.push(`${replayLine(r, codeSpan(clean((0,src_secrets/* redactUrl */.BO)(r.url))))} before publishing.`, "");
    }
    lines.push("| Target | Kind | Result | Time | Detail |", "| --- | --- | --- | --- | --- |");
    for (const t of result.targets) {
        const cells = [targetKind(t), targetResultText(t), markdown_formatMs(t.ms)].map((c) => escapeCell(clean(c)));
        lines.push(`| ${[urlCell(clean((0,src_secrets/* redactUrl */.BO)(t.url))), ...cells, detailCell(clean(targetDetail(t)))].join(" | ")} |`);
    }
    return (0,src_secrets/* redact */.E$)(`${lines.join("\n")}\n`, secrets);
}
/** The push action's outputs, every value a string (targets as JSON). */
function pushOutputs(result, options = {}) {
    const clean = (text) => (0,src_secrets/* redact */.E$)(text, options.secrets ?? []);
    return {
        // As atlas-action's `url`: the registry's link to the pushed state (see pushedUrl); "" on failure,
        // and "" when the primary failed (only backups took it): the URL would name what it does not hold.
        url: result.targets[0]?.ok === false ? "" : clean(pushedUrl(result)),
        link: clean(result.link),
        slug: result.slug,
        tag: result.tag,
        digest: result.digest,
        version: result.version,
        targets: clean(JSON.stringify(result.targets)),
    };
}

;// CONCATENATED MODULE: ./packages/core/src/report/index.ts
// report: result objects -> Markdown job summaries, action outputs, Atlas's shapes and log lines (pure functions).







;// CONCATENATED MODULE: ./packages/core/src/index.ts
// The core library: everything that is not GitHub-specific. No @actions/* imports here.















/***/ }),

/***/ 98631:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A: () => (/* binding */ BlobReplica),
/* harmony export */   p: () => (/* binding */ MULTIPART_BYTES)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _dir_index__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(48789);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(37638);
/* harmony import */ var _cloud__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(13523);
/* harmony import */ var _manifest__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(44465);
/* harmony import */ var _names__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(58074);
// The blob layout and write protocol (docs/architecture.md), shared by the s3 and file replicas:
//   <base>archives/<sha256>.tar   immutable, content-addressed
//   <base>versions/<v>.json       manifest of the state whose last file is <v>
//   <base>tags/<tag>.json         manifest for a tag; tags/latest.json is the commit point, last






const CAS_ATTEMPTS = 8;
/** Archives above this size are uploaded in parts or blocks by the stores that can. */
const MULTIPART_BYTES = 16 * 1024 * 1024;
/**
 * Read-back rounds after an unconditional write of latest: delays 50, 100, 200, 400, 800 ms (each
 * jittered ±50%), about 1.5 s in all, which outlasts a racing writer's read-decide-write window.
 */
const REPAIR_ROUNDS = 5;
const REPAIR_DELAY_MS = 50;
class BlobReplica {
    kind;
    display;
    store;
    base;
    constructor(kind, display, store, 
    /** Key prefix ending in "/" (or ""): the URL's prefix, then the repo name. */
    base) {
        this.kind = kind;
        this.display = display;
        this.store = store;
        this.base = base;
        if (!store.list)
            this.tags = undefined;
    }
    archiveKey = (digest) => `${this.base}archives/${digest.slice("sha256:".length)}.tar`;
    versionKey = (version) => `${this.base}versions/${(0,_names__WEBPACK_IMPORTED_MODULE_5__/* .checkVersion */ .ps)(version)}.json`;
    tagKey = (tag) => `${this.base}tags/${(0,_names__WEBPACK_IMPORTED_MODULE_5__/* .checkTag */ .Bs)(tag)}.json`;
    /** Scratch key for the store's conditional-write probe: outside the layout readers follow. */
    probeKey = () => `${this.base}.probe/conditional-writes`;
    async publish(state, options) {
        const { signal } = options;
        const archiveKey = this.archiveKey(state.digest);
        const moveLatest = state.latest || state.tag === "latest";
        const latestKey = this.tagKey("latest");
        // Round trips are the cost on a real network: the existence check and the first read of
        // latest go together (compare-and-swap makes the early read safe), then the upload.
        // The conditional-write probe (once per store and process) rides along with them.
        const [present, latestBefore] = await Promise.all([
            this.store.exists(archiveKey, signal),
            moveLatest ? this.store.get(latestKey, signal) : Promise.resolve(null),
            moveLatest ? this.store.casCaveat?.(this.probeKey(), signal) : undefined,
        ]);
        // Content-addressed: the same directory is uploaded once, ever; but what is there is checked
        // first, and rewritten when it is not what its name says (a crash leftover, a corrupted copy).
        const intact = present && (await this.archiveIntact(archiveKey, state.digest, signal));
        let uploaded = !intact;
        if (present && !intact)
            await this.store.put(archiveKey, state.archive, signal);
        else if (!present)
            uploaded = await this.store.putIfAbsent(archiveKey, state.archive, signal);
        await options.beforeCommit?.();
        const manifest = (0,_manifest__WEBPACK_IMPORTED_MODULE_4__/* .encodeManifest */ .Gb)((0,_manifest__WEBPACK_IMPORTED_MODULE_4__/* .manifestOf */ .$V)(state));
        await Promise.all([
            this.store.put(this.versionKey(state.version), manifest, signal),
            state.tag !== "latest" ? this.store.put(this.tagKey(state.tag), manifest, signal) : undefined,
        ]);
        const result = { bytes: uploaded ? state.archive.length : 0, skipped: !uploaded };
        if (!moveLatest)
            return result;
        const moved = await this.moveLatest(state, manifest, latestBefore, signal);
        return { ...result, ...moved };
    }
    /** Compare-and-swap loop on tags/latest.json: never backward, never a lost update. */
    async moveLatest(state, manifest, firstRead, signal) {
        const key = this.tagKey("latest");
        for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            const current = attempt === 0 ? firstRead : await this.store.get(key, signal);
            if (current) {
                let old;
                try {
                    old = (0,_manifest__WEBPACK_IMPORTED_MODULE_4__/* .parseManifest */ .Ng)(current.body, `${this.display} tags/latest.json`);
                }
                catch (err) {
                    // Some S3-compatible servers (s3rver) let a GET see an object mid-write: read again.
                    // One that stays unreadable blocks every push but a forced one, which replaces it.
                    if (state.force)
                        old = undefined;
                    else if (attempt === CAS_ATTEMPTS - 1) {
                        throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("integrity", `${(0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .messageOf */ .bD)(err)}; push with force to replace tags/latest.json with this state`);
                    }
                    else {
                        await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
                        continue;
                    }
                }
                if (old?.digest === state.digest)
                    return { latestMoved: true };
                if (old && !state.force) {
                    const why = await this.whyNotExtends(old, state, signal);
                    if (why)
                        return { latestMoved: false, note: `latest not moved: ${why}` };
                }
            }
            if (await this.store.putIfMatch(key, manifest, current?.etag ?? null, signal)) {
                // Answered from memory: the probe ran with the first reads.
                const caveat = await this.store.casCaveat?.(this.probeKey(), signal);
                if (!caveat)
                    return { latestMoved: true };
                // Best effort: latest was written; a failed read-back only leaves the race as it was.
                const repaired = await this.repairLatest(state, manifest, signal).catch((err) => {
                    if (signal.aborted)
                        throw err;
                    return `latest not read back (${(0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .messageOf */ .bD)(err)})`;
                });
                return { latestMoved: true, note: repaired ? `${caveat}; ${repaired}` : caveat };
            }
            // Someone moved latest between our read and write: read again and decide again.
        }
        throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("conflict", `${this.display}: latest kept changing under ${CAS_ATTEMPTS} attempts; push again`);
    }
    /** Whether the archive at `key` hashes to `digest` (a bounded read: the archive cap applies). */
    async archiveIntact(key, digest, signal) {
        const blob = await this.store.get(key, signal).catch((err) => {
            if (signal.aborted)
                throw err;
            return null; // unreadable or over the cap: rewrite it
        });
        return !!blob && `sha256:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)("sha256").update(blob.body).digest("hex")}` === digest;
    }
    /**
     * Without compare-and-swap a slower writer of an older state can land after us. Read latest back
     * a few times (jittered, so racing writers do not move in step) and put ours again while what is
     * there is a state ours extends; stop when a newer or unrelated state holds it. Bounded: this
     * narrows the window, it cannot close it (docs/relay.md gives the measured figures).
     */
    async repairLatest(state, manifest, signal) {
        const key = this.tagKey("latest");
        let repairs = 0;
        for (let round = 0; round < REPAIR_ROUNDS; round++) {
            await new Promise((r) => setTimeout(r, REPAIR_DELAY_MS * 2 ** round * (0.5 + Math.random())));
            signal.throwIfAborted();
            const current = await this.store.get(key, signal);
            let found;
            try {
                found = current ? (0,_manifest__WEBPACK_IMPORTED_MODULE_4__/* .parseManifest */ .Ng)(current.body, `${this.display} tags/latest.json`) : undefined;
            }
            catch {
                found = undefined; // mid-write or garbage: ours goes back
            }
            if (found?.digest === state.digest)
                continue;
            // Ours extends what is there: an older state won the race.
            if (found && (await this.whyNotExtends(found, state, signal)) === undefined) {
                await this.store.put(key, manifest, signal);
                repairs++;
            }
            else if (found)
                break; // a newer (or unrelated) state: not ours to undo
            else {
                await this.store.put(key, manifest, signal);
                repairs++;
            }
        }
        return repairs ? `an older state overwrote latest ${repairs}x during the race and was replaced` : "";
    }
    /** Undefined when the new state extends the one latest points to; else the reason, in words. */
    async whyNotExtends(old, state, signal) {
        const at = `it points at version ${old.version || "?"} (${old.digest.slice(0, 19)})`;
        let oldSum;
        try {
            const blob = await this.store.get(this.archiveKey(old.digest), signal);
            if (!blob)
                return `${at}, whose archive is missing; use force to move it anyway`;
            const sum = (0,_dir_index__WEBPACK_IMPORTED_MODULE_1__/* .unarchiveDir */ .Vr)(blob.body).sum;
            oldSum = sum ? Buffer.from(sum).toString("utf8") : "";
        }
        catch (err) {
            if (signal.aborted)
                throw err;
            return `${at}, whose archive cannot be read (${(0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .messageOf */ .bD)(err)}); use force to move it anyway`;
        }
        const verdict = (0,_manifest__WEBPACK_IMPORTED_MODULE_4__/* .extendsSum */ .ti)(oldSum, state.sum);
        return verdict.ok
            ? undefined
            : `${at}, which the new state does not extend (${verdict.why}); use force for a deliberate rewrite`;
    }
    async readLatest(known, signal) {
        const key = this.tagKey("latest");
        const blob = await this.store.get(key, signal);
        if (!blob)
            return null;
        const manifest = (0,_manifest__WEBPACK_IMPORTED_MODULE_4__/* .parseManifest */ .Ng)(blob.body, `${this.display} ${key.slice(this.base.length)}`);
        const latest = { digest: manifest.digest, version: manifest.version };
        if (manifest.digest === known)
            return latest;
        const archive = await this.store.get(this.archiveKey(manifest.digest), signal);
        if (!archive) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("integrity", `${this.display}: latest points at archive ${manifest.digest}, which is missing`);
        }
        let sum;
        try {
            sum = (0,_dir_index__WEBPACK_IMPORTED_MODULE_1__/* .unarchiveDir */ .Vr)(archive.body).sum;
        }
        catch (err) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("integrity", `${this.display}: latest's archive cannot be read: ${(0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .messageOf */ .bD)(err)}`);
        }
        return { ...latest, sum: sum ? Buffer.from(sum).toString("utf8") : "" };
    }
    async manifest(ref, signal) {
        const key = "tag" in ref ? this.tagKey(ref.tag) : this.versionKey(ref.version);
        const blob = await this.store.get(key, signal);
        return blob ? (0,_manifest__WEBPACK_IMPORTED_MODULE_4__/* .parseManifest */ .Ng)(blob.body, `${this.display} ${key.slice(this.base.length)}`) : null;
    }
    fetchManifest(manifest, signal) {
        return this.archiveOf(manifest, `version ${manifest.version || "?"}`, signal);
    }
    async archiveOf(manifest, what, signal) {
        const archive = await this.store.get(this.archiveKey(manifest.digest), signal);
        if (!archive) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("integrity", `${this.display}: archive ${manifest.digest} of ${what} is missing`);
        }
        return { archive: archive.body, digest: manifest.digest, manifest };
    }
    tags = async (signal) => {
        const names = (await this.store.list?.(`${this.base}tags/`, signal)) ?? [];
        // Only finished manifests: temp files and lock files of a write in progress are not tags.
        return names
            .filter((n) => n.endsWith(".json"))
            .map((n) => n.slice(0, -".json".length))
            .sort();
    };
    async fetch(ref, signal) {
        const manifest = await this.manifest(ref, signal);
        if (!manifest)
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("not-found", `${this.display}: ${(0,_cloud__WEBPACK_IMPORTED_MODULE_3__/* .refText */ .d0)(ref)} not found`);
        return this.archiveOf(manifest, (0,_cloud__WEBPACK_IMPORTED_MODULE_3__/* .refText */ .d0)(ref), signal);
    }
}


/***/ }),

/***/ 13523:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KX: () => (/* binding */ DEFAULT_CLOUD_URL),
/* harmony export */   d0: () => (/* binding */ refText),
/* harmony export */   oU: () => (/* binding */ CloudReplica)
/* harmony export */ });
/* unused harmony export interpret */
/* harmony import */ var _dir_archive__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(94607);
/* harmony import */ var _dir_sum__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(20314);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(37638);
/* harmony import */ var _hints__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(83543);
/* harmony import */ var _secrets__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(87620);
/* harmony import */ var _http__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(27568);
/* harmony import */ var _manifest__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(44465);
// The cloud registry (atlas://): the GraphQL operations the Atlas CLI uses (docs/architecture.md, "The registry").







const DEFAULT_CLOUD_URL = "https://api.atlasgo.cloud/query";
// The operations and input shapes follow ariga/atlas: cmd/atlas/internal/cloudapi/client.go (dirState,
// reportMigration, reportMigrationSet), atlasexec/atlas_migrate_test.go TestAtlasMigrate_Push (what
// `migrate push` sends: diffSyncDir without a tag, pushDir with one) and ariga/atlas-action
// atlasaction/action.go MigratePush (with `latest`, a tagless push first, then the tagged one).
const DIR_STATE = "query dirState($input: DirStateInput!) { dirState(input: $input) { content } }";
const PUSH_DIR = "mutation pushDir($input: PushDirInput!) { pushDir(input: $input) { url } }";
const DIFF_SYNC_DIR = "mutation diffSyncDir($input: DiffSyncDirInput!) { diffSyncDir(input: $input) { url } }";
const REPORT_MIGRATION = "mutation ReportMigration($input: ReportMigrationInput!) { reportMigration(input: $input) { url } }";
const REPORT_MIGRATION_SET = "mutation ReportMigrationSet($input: ReportMigrationSetInput!) { reportMigrationSet(input: $input) { url } }";
/** Cuts a server's answer for an error message: enough to act on, never a whole page. */
const cut = (text) => {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
};
function graphQLErrors(body) {
    try {
        const parsed = JSON.parse(body);
        if (!Array.isArray(parsed.errors) || parsed.errors.length === 0)
            return undefined;
        return {
            text: parsed.errors.map((e) => String(e?.message ?? "unknown error")).join("; "),
            codes: parsed.errors.map((e) => String(e?.extensions?.code ?? "").toUpperCase()),
        };
    }
    catch {
        return undefined;
    }
}
const NOT_FOUND_CODES = ["NOT_FOUND"];
const UNAUTHORIZED_CODES = ["UNAUTHENTICATED", "UNAUTHORIZED", "FORBIDDEN"];
class CloudReplica {
    options;
    kind = "cloud";
    display;
    ref;
    /** The endpoint as shown and as the grant's key (no credentials). */
    registry;
    endpoint;
    constructor(options) {
        this.options = options;
        this.endpoint = new URL(options.endpoint);
        this.registry = (0,_secrets__WEBPACK_IMPORTED_MODULE_4__/* .redactUrl */ .BO)(options.endpoint);
        this.ref = options.ref;
        const query = !options.ref
            ? ""
            : "tag" in options.ref
                ? `?tag=${options.ref.tag}`
                : `?version=${options.ref.version}`;
        this.display = `atlas://${options.slug}${query}`;
    }
    /** The token, for the grant store only (it hashes it); never printed. */
    get token() {
        return this.options.token;
    }
    get slug() {
        return this.options.slug;
    }
    /**
     * `latest` first (a tagless `diffSyncDir` carrying the run context), then the tag (`pushDir`), as
     * atlas-action does; a push of the tag `latest` alone is only the former, `latest` off only the latter.
     */
    async publish(state, options) {
        const { signal, current } = options;
        const dir = Buffer.from(state.archive).toString("base64");
        const moveLatest = state.latest || state.tag === "latest";
        let link = "";
        let latestMoved;
        let sent = 0;
        if (moveLatest) {
            // Already there: nothing to send (Atlas would send it again; the answer would be the same).
            if (current?.digest !== state.digest) {
                sent += state.archive.length;
                const data = await this.call(DIFF_SYNC_DIR, {
                    input: {
                        slug: this.slug,
                        driver: DRIVER,
                        dir,
                        ...diffOf(state, dir, current),
                        ...contextOf(state),
                    },
                }, signal);
                link = urlOf(data.diffSyncDir);
            }
            latestMoved = true;
        }
        if (state.tag !== "latest") {
            sent += state.archive.length;
            const data = await this.call(PUSH_DIR, { input: { slug: this.slug, tag: state.tag, driver: DRIVER, dir } }, signal);
            link = urlOf(data.pushDir) || link;
        }
        return {
            bytes: sent,
            skipped: sent === 0,
            link,
            ...(latestMoved !== undefined ? { latestMoved } : {}),
        };
    }
    /**
     * A tag is read by name (no tag: `latest`). A version is not a field of Atlas's DirStateInput
     * (only slug, name, tag), so it is found in what the registry holds: `latest`, cut after that
     * version's file (atlas.sum is cumulative, so the cut is exactly the state that ended there).
     * pull checks that the last version of what comes back is the one asked for.
     */
    async fetch(ref, signal) {
        const tag = "tag" in ref ? ref.tag : "latest";
        const archive = await this.dirState(tag, signal);
        if (!archive)
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("not-found", `${this.display}: ${refText(ref)} not found`);
        if ("tag" in ref)
            return { archive };
        return { archive: cutAt(archive, ref.version, this.display) };
    }
    async readLatest(_known, signal) {
        const archive = await this.dirState("latest", signal);
        if (!archive)
            return null;
        let dir;
        try {
            dir = (0,_dir_archive__WEBPACK_IMPORTED_MODULE_0__/* .unarchiveDir */ .Vr)(archive);
        }
        catch (err) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("integrity", `${this.display}: latest cannot be read: ${(0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .messageOf */ .bD)(err)}`);
        }
        return {
            digest: (0,_dir_archive__WEBPACK_IMPORTED_MODULE_0__/* .digestOf */ .ol)(archive),
            version: dir.files.at(-1)?.version ?? "",
            sum: dir.sum ? Buffer.from(dir.sum).toString("utf8") : "",
        };
    }
    /**
     * A deployment report (`reportMigration` for one target that ran, `reportMigrationSet` for several
     * or a failure before running); returns the report's URL ("" when the registry gives none).
     */
    async report(report, signal) {
        if ("set" in report) {
            const data = await this.call(REPORT_MIGRATION_SET, { input: report.set }, signal);
            return urlOf(data.reportMigrationSet);
        }
        const data = await this.call(REPORT_MIGRATION, { input: report.one }, signal);
        return urlOf(data.reportMigration);
    }
    /** The archive a tag names (`latest`: no tag, as Atlas sends it); null when there is none. */
    async dirState(tag, signal) {
        // Only the fields of Atlas's DirStateInput; `latest` is the absence of a tag.
        const input = tag === "latest" ? { slug: this.slug } : { slug: this.slug, tag };
        let data;
        try {
            data = await this.call(DIR_STATE, { input }, signal);
        }
        catch (err) {
            if (err instanceof _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx && err.kind === "not-found")
                return null;
            throw err;
        }
        const content = data.dirState?.content;
        if (typeof content !== "string" || content === "")
            return null;
        // Buffer.from skips what is not base64; a damaged answer must say so, not fail later as a bad tar.
        if (content.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(content)) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("integrity", `${this.display}: the registry's archive of tag ${tag} is not valid base64`);
        }
        return new Uint8Array(Buffer.from(content, "base64"));
    }
    async call(query, variables, signal) {
        const label = `registry ${this.registry}`;
        const answer = await (0,_http__WEBPACK_IMPORTED_MODULE_5__/* .postJson */ .B2)(this.endpoint, JSON.stringify({ query, variables }), { authorization: `Bearer ${this.options.token}`, accept: "application/json" }, this.options.timeouts, signal, label);
        return interpret(answer, label, this.options.hints);
    }
}
/**
 * Answer classes (docs/relay.md has the table and the reasons). As Atlas's client.go \`post\`: HTTP
 * 401 is "unauthorized"; another non-200 carries GraphQL errors or is a bare status and body; a 200
 * may carry GraphQL errors. Only the registry saying the token is refused (401, or an error that says
 * unauthorized/forbidden) fails closed; a page from a proxy, 5xx, 429 and any other GraphQL error
 * mean the registry did not serve this call, so the next replica may ("unreachable").
 */
function interpret(answer, label, hints = _hints__WEBPACK_IMPORTED_MODULE_3__/* .CLI_HINTS */ .IF) {
    const { status, body } = answer;
    if (status === 401) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("unauthorized", `${label} refused the token (HTTP 401): check the cloud token (${hints.cloudToken})`);
    }
    const errors = graphQLErrors(body);
    if (errors) {
        const { text, codes } = errors;
        const where = status === 200 ? label : `${label}: HTTP ${status}`;
        if (codes.some((c) => UNAUTHORIZED_CODES.includes(c)) || UNAUTHORIZED_TEXT.test(text)) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("unauthorized", `${label} refused the token (HTTP ${status}: ${cut(text)}): check the cloud token (${hints.cloudToken})`);
        }
        if (codes.some((c) => NOT_FOUND_CODES.includes(c)) || NOT_FOUND_TEXT.test(text)) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("not-found", `${where}: ${cut(text)}`);
        }
        throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("unreachable", `${where}: ${cut(text)}`);
    }
    if (status !== 200) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("unreachable", `${label}: HTTP ${status}: ${cut(body) || "(empty answer)"}`);
    }
    try {
        const parsed = JSON.parse(body);
        if (parsed.data && typeof parsed.data === "object")
            return parsed.data;
    }
    catch {
        /* fall through */
    }
    throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("integrity", `${label}: answer is not GraphQL JSON: ${cut(body)}`);
}
const DRIVER = "POSTGRESQL";
const UNAUTHORIZED_TEXT = /unauthori[sz]ed|unauthenticated|forbidden|permission denied/i;
const NOT_FOUND_TEXT = /not.?found|no such|does not exist/i;
const urlOf = (field) => typeof field?.url === "string" ? field.url : "";
const contextOf = (state) => (state.context ? { context: state.context } : {});
/**
 * diffSyncDir's `add` and `delete` against what `latest` held: `add` is an archive (base64) of the
 * files `latest` lacks with the new atlas.sum, `delete` the names it has that the new state lacks.
 * The open source shows only these fields' types; their meaning here is our reading (docs/relay.md).
 */
function diffOf(state, dirBase64, current) {
    const before = new Set(current?.sum ? (0,_manifest__WEBPACK_IMPORTED_MODULE_6__/* .sumNames */ .cP)(current.sum) : []);
    // Nothing before: every file is added, and that archive is the state's own.
    if (before.size === 0)
        return { add: dirBase64, delete: [] };
    const after = new Set((0,_manifest__WEBPACK_IMPORTED_MODULE_6__/* .sumNames */ .cP)(state.sum));
    const dir = (0,_dir_archive__WEBPACK_IMPORTED_MODULE_0__/* .unarchiveDir */ .Vr)(state.archive);
    const added = dir.files.filter((f) => !before.has(f.name));
    return {
        add: Buffer.from((0,_dir_archive__WEBPACK_IMPORTED_MODULE_0__/* .archiveDir */ .Wk)({ files: added, sum: dir.sum })).toString("base64"),
        delete: [...before].filter((name) => !after.has(name)),
    };
}
/** The state of `archive` that ended at `version`: its files up to that one, with their atlas.sum. */
function cutAt(archive, version, display) {
    let dir;
    try {
        dir = (0,_dir_archive__WEBPACK_IMPORTED_MODULE_0__/* .unarchiveDir */ .Vr)(archive);
    }
    catch (err) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("integrity", `${display}: latest cannot be read: ${(0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .messageOf */ .bD)(err)}`);
    }
    const at = dir.files.findIndex((f) => f.version === version);
    if (at < 0) {
        const last = dir.files.at(-1)?.version ?? "none";
        throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("not-found", `${display}: version "${version}" not found (the registry's latest ends at ${last})`);
    }
    if (at === dir.files.length - 1)
        return archive;
    const files = dir.files.slice(0, at + 1);
    return (0,_dir_archive__WEBPACK_IMPORTED_MODULE_0__/* .archiveDir */ .Wk)({ files, sum: (0,_dir_sum__WEBPACK_IMPORTED_MODULE_1__/* .hashDir */ .YT)(files) });
}
const refText = (ref) => ("tag" in ref ? `tag "${ref.tag}"` : `version "${ref.version}"`);


/***/ }),

/***/ 27568:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B2: () => (/* binding */ postJson),
/* harmony export */   R: () => (/* binding */ deadlineSignal)
/* harmony export */ });
/* unused harmony export abortReason */
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37638);
// A minimal HTTP(S) POST with separate connect and total timeouts and errors classified for the
// relay. node:http instead of fetch because fetch cannot bound the connect phase on its own.

const MAX_ANSWER_BYTES = 512 * 1024 * 1024;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** Network-level failures become `unreachable` (eligible for fallback); `label` names the target. */
function networkError(label, err) {
    const code = err.code ?? "";
    const what = code === "ECONNREFUSED"
        ? "connection refused"
        : code === "ECONNRESET" || code === "EPIPE"
            ? "connection reset"
            : code === "ENOTFOUND" || code === "EAI_AGAIN"
                ? "DNS lookup failed"
                : code === "EHOSTUNREACH" || code === "ENETUNREACH"
                    ? "host unreachable"
                    : `network error${code ? ` (${code})` : ""}`;
    return new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("unreachable", `${label}: ${what}`);
}
async function postJson(url, body, headers, timeouts, signal, label) {
    // Loaded on the first call: node:http and node:https cost every process that loads core (an action
    // step, the CLI) tens of milliseconds of start-up, most of which never call the registry.
    const lib = url.protocol === "https:" ? (await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 44708, 23))).default : (await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 37067, 23))).default;
    return new Promise((resolve, reject) => {
        const payload = Buffer.from(body);
        let settled = false;
        const timers = [];
        const finish = (err, answer) => {
            if (settled)
                return;
            settled = true;
            for (const t of timers)
                clearTimeout(t);
            signal.removeEventListener("abort", onAbort);
            if (err) {
                req.destroy();
                reject(err);
            }
            else
                resolve(answer);
        };
        const onAbort = () => finish(new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("unreachable", `${label}: ${abortReason(signal)}`, { cause: signal.reason }));
        const req = lib.request(url, {
            method: "POST",
            headers: { ...headers, "content-type": "application/json", "content-length": payload.length },
        });
        timers.push(setTimeout(() => finish(new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("unreachable", `${label}: timeout after ${seconds(timeouts.totalMs)}`)), timeouts.totalMs));
        req.on("socket", (socket) => {
            if (!socket.connecting)
                return;
            const t = setTimeout(() => finish(new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("unreachable", `${label}: connect timeout after ${seconds(timeouts.connectMs)}`)), timeouts.connectMs);
            timers.push(t);
            socket.once("connect", () => clearTimeout(t));
        });
        req.on("error", (err) => finish(networkError(label, err)));
        req.on("response", (res) => {
            const chunks = [];
            let size = 0;
            res.on("data", (chunk) => {
                size += chunk.length;
                if (size > MAX_ANSWER_BYTES) {
                    finish(new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("integrity", `${label}: answer larger than ${MAX_ANSWER_BYTES} bytes`));
                    return;
                }
                chunks.push(chunk);
            });
            res.on("error", (err) => finish(networkError(label, err)));
            res.on("aborted", () => finish(new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("unreachable", `${label}: connection reset while reading`)));
            res.on("end", () => finish(null, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        });
        if (signal.aborted)
            return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        req.end(payload);
    });
}
/** Why a signal fired, in words: the relay aborts with a TimeoutError when a target's time is up. */
function abortReason(signal) {
    const reason = signal.reason;
    if (reason?.name === "TimeoutError")
        return reason.message?.startsWith("timeout") ? reason.message : "timeout";
    return reason?.message ? `aborted (${reason.message})` : "aborted";
}
/** A signal that aborts after `ms` with a readable "timeout after N s" reason, or with `parent`. */
function deadlineSignal(ms, parent) {
    const controller = new AbortController();
    const timer = setTimeout(() => {
        const reason = new Error(`timeout after ${seconds(ms)}`);
        reason.name = "TimeoutError";
        controller.abort(reason);
    }, ms);
    const onParent = () => controller.abort(parent?.reason);
    if (parent?.aborted)
        onParent();
    else
        parent?.addEventListener("abort", onParent, { once: true });
    return {
        signal: controller.signal,
        clear: () => {
            clearTimeout(timer);
            parent?.removeEventListener("abort", onParent);
        },
    };
}


/***/ }),

/***/ 44465:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $V: () => (/* binding */ manifestOf),
/* harmony export */   Gb: () => (/* binding */ encodeManifest),
/* harmony export */   Ng: () => (/* binding */ parseManifest),
/* harmony export */   cP: () => (/* binding */ sumNames),
/* harmony export */   ti: () => (/* binding */ extendsSum)
/* harmony export */ });
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37638);
// Manifests (versions/<v>.json, tags/<t>.json) and the rule that keeps `latest` from moving back.

const DIGEST = /^sha256:[0-9a-f]{64}$/;
function manifestOf(state, now = new Date()) {
    const [sumLine = ""] = state.sum.split("\n");
    return {
        digest: state.digest,
        version: state.version,
        sum: sumLine,
        files: state.files,
        pushedAt: state.pushedAt ?? now.toISOString(),
        source: state.source ?? {},
    };
}
/** Parses a manifest read from a replica; anything odd is an integrity error (fall back). */
function parseManifest(bytes, where) {
    let value;
    try {
        value = JSON.parse(Buffer.from(bytes).toString("utf8"));
    }
    catch {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("integrity", `${where}: manifest is not JSON`);
    }
    if (typeof value !== "object" ||
        value === null ||
        typeof value.digest !== "string" ||
        !DIGEST.test(value.digest)) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("integrity", `${where}: manifest has no valid "digest" (sha256:<64 hex>)`);
    }
    return {
        digest: value.digest,
        version: typeof value.version === "string" ? value.version : "",
        sum: typeof value.sum === "string" ? value.sum : "",
        files: typeof value.files === "number" ? value.files : 0,
        pushedAt: typeof value.pushedAt === "string" ? value.pushedAt : "",
        source: typeof value.source === "object" && value.source !== null ? value.source : {},
    };
}
const encodeManifest = (m) => Buffer.from(`${JSON.stringify(m)}\n`);
/** The per-file lines of an atlas.sum (the `h1:` total on line 1 and empty lines dropped). */
const fileLines = (sum) => sum
    .split("\n")
    .slice(1)
    .filter((l) => l !== "");
/**
 * Whether `next` extends `prev`: prev's file lines are a prefix of next's. atlas.sum hashes are
 * cumulative, so a matching prefix means every earlier file is byte-identical. Returns why not.
 */
function extendsSum(prev, next) {
    const a = fileLines(prev);
    const b = fileLines(next);
    for (let i = 0; i < a.length; i++) {
        const line = a[i];
        const name = line.slice(0, line.lastIndexOf(" "));
        if (i >= b.length)
            return { ok: false, file: name, why: `the new state lacks ${name}` };
        if (b[i] !== line) {
            const other = b[i].slice(0, b[i].lastIndexOf(" "));
            return {
                ok: false,
                file: name,
                why: other === name ? `${name} was edited` : `${name} is not in the same place (found ${other})`,
            };
        }
    }
    return { ok: true };
}
/** The file names an atlas.sum lists, in order. */
const sumNames = (sum) => fileLines(sum).map((l) => l.slice(0, l.lastIndexOf(" ")));


/***/ }),

/***/ 58074:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bs: () => (/* binding */ checkTag),
/* harmony export */   c5: () => (/* binding */ checkSlug),
/* harmony export */   ps: () => (/* binding */ checkVersion)
/* harmony export */ });
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37638);

// Slugs, tags and versions end up in object keys, file names and URLs: a small alphabet keeps them
// safe everywhere (no `/`, no `..`, no spaces).
const NAME = /^[A-Za-z0-9_.-]+$/;
const MAX_TAG = 128;
function checkName(what, value, max) {
    if (value === "")
        throw (0,_errors__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)(`${what} is empty`);
    if (value.length > max)
        throw (0,_errors__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)(`${what} "${value.slice(0, 40)}..." is longer than ${max} characters`);
    if (!NAME.test(value) || value === "." || value === "..") {
        throw (0,_errors__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)(`${what} "${value}" may contain only letters, digits, "-", "_" and "."`);
    }
    return value;
}
/** A repository name (registry slug, folder in blob layouts). */
const checkSlug = (slug) => checkName("repository name", slug, 255);
/** A tag: up to 128 letters, digits, `-`, `_`, `.`. */
const checkTag = (tag) => checkName("tag", tag, MAX_TAG);
/** A migration version as used in versions/<v>.json. */
const checkVersion = (version) => checkName("version", version, 255);


/***/ }),

/***/ 87620:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BO: () => (/* binding */ redactUrl),
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   Fj: () => (/* binding */ secretsOf),
/* harmony export */   Sb: () => (/* binding */ Secrets),
/* harmony export */   fr: () => (/* binding */ POSTGRES_PARAMS),
/* harmony export */   vn: () => (/* binding */ envSecrets)
/* harmony export */ });
// The one home of secret handling: what counts as a secret, how it is found in URLs, connection
// strings and the environment, and how any text is made safe to print. Every front end routes what it
// prints through `redact` (or a `Secrets` set), so redaction is a property of printing, not of call sites.
const HIDDEN = "***";
/** Shorter known values are not replaced in free text (they would mangle ordinary words). */
const MIN_KNOWN = 3;
/** The connection parameters of a PostgreSQL URL (lib/pq's), but the password: their values are shown. */
const POSTGRES_PARAMS = [
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "connect_timeout",
    "application_name",
    "host",
    "port",
    "user",
    "dbname",
    "options",
    "search_path",
];
/**
 * Query parameters whose values are shown; every other value is hidden. The union of what the URLs we
 * read take: PostgreSQL (lib/pq), replica URLs (s3://, atlas://) and directory URLs.
 */
const SHOWN_PARAMS = new Set([
    ...POSTGRES_PARAMS,
    "storage_account",
    "plain_http",
    "region",
    "endpoint",
    "use_path_style",
    "s3forcepathstyle",
    "disablessl",
    "profile",
    "awssdk",
    "tag",
    "version",
    "format",
]);
/** Key names (key=value text, JSON) whose values are secrets. */
const SECRET_KEY = /pass|pwd|secret|token|credential|signature|private|api[-_]?key|access[-_]?key|auth/i;
/** Environment variable names whose values are secrets (PWD is the working directory, not a password). */
const SECRET_ENV = /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PRIVATE_KEY|ACCESS_KEY|API_KEY|STORAGE_KEY|CONNECTION_STRING|CREDENTIAL/i;
/** Schemes whose whole user info is a credential (a token as user name); elsewhere only the password is. */
const OPAQUE_USERINFO = new Set(["http", "https", "ws", "wss", "ftp"]);
const URL_IN_TEXT = /(?:\b[A-Za-z][A-Za-z0-9+.-]*:)?\/\/[^\s"'`<>]+/g;
const URL_PARTS = /^((?:([A-Za-z][A-Za-z0-9+.-]*):)?\/\/)(?:([^/?#@]*)@)?([^?#]*)(?:\?([^#]*))?(#.*)?$/;
// libpq key/value pairs: `password=x`, `password = 'a \' b'`, `password="x"`.
const KEY_VALUE = /(^|[\s;,(&?])([A-Za-z_][\w.-]*)(\s*=\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s'"`,;)&]+)/g;
const JSON_PAIR = /"([\w.-]+)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
/** `***` as printed: plain, Markdown-escaped or percent-encoded; hiding it again would change its form. */
const isHidden = (v) => /^(?:\\?\*){3}$|^(?:%2A){3}$/i.test(v);
function decode(s) {
    try {
        return decodeURIComponent(s.replace(/\+/g, " "));
    }
    catch {
        return s;
    }
}
const unquote = (v) => /^'.*'$|^".*"$/s.test(v) && v.length >= 2 ? v.slice(1, -1).replace(/\\(.)/g, "$1") : v;
/** One URL (or something URL-shaped), redacted by structure; the secrets it held. */
function redactOneUrl(raw) {
    const m = URL_PARTS.exec(raw);
    if (!m)
        return { shown: raw, secrets: [] };
    const [, prefix, scheme, userinfo, path, query, fragment] = m;
    const secrets = [];
    let out = prefix;
    if (userinfo !== undefined) {
        const colon = userinfo.indexOf(":");
        if (OPAQUE_USERINFO.has((scheme ?? "").toLowerCase())) {
            secrets.push(...userinfo.split(":").flatMap((p) => [p, decode(p)]));
            out += `${HIDDEN}@`;
        }
        else if (colon !== -1 && !isHidden(userinfo.slice(colon + 1))) {
            const password = userinfo.slice(colon + 1);
            secrets.push(password, decode(password));
            out += `${userinfo.slice(0, colon)}:${HIDDEN}@`;
        }
        else
            out += `${userinfo}@`;
    }
    out += path;
    if (query !== undefined) {
        const pairs = query.split("&").map((pair) => {
            const eq = pair.indexOf("=");
            if (eq === -1)
                return pair;
            const key = pair.slice(0, eq);
            const value = pair.slice(eq + 1);
            if (isHidden(value))
                return pair;
            // A Markdown summary escapes "_" in names (use\_path\_style): the name is still allowed.
            if (!SHOWN_PARAMS.has(decode(key).replace(/\\/g, "").toLowerCase())) {
                if (value !== "")
                    secrets.push(value, decode(value));
                return `${key}=${HIDDEN}`;
            }
            // An allowed value may itself be a URL with credentials (endpoint=http://key:secret@host).
            const inner = decode(value);
            if (!inner.includes("//"))
                return pair;
            const found = redactOneUrl(inner);
            secrets.push(...found.secrets);
            return found.shown === inner ? pair : `${key}=${found.shown}`;
        });
        out += `?${pairs.join("&")}`;
    }
    out += fragment ?? "";
    return { shown: out, secrets };
}
function redactKeyValues(text, secrets) {
    const kv = text.replace(KEY_VALUE, (whole, lead, key, eq, value) => {
        if (!SECRET_KEY.test(key) || isHidden(value))
            return whole;
        secrets?.push(unquote(value));
        return `${lead}${key}${eq}${HIDDEN}`;
    });
    return kv.replace(JSON_PAIR, (whole, key, colon, value) => {
        if (!SECRET_KEY.test(key) || isHidden(value))
            return whole;
        secrets?.push(value);
        return `"${key}"${colon}"${HIDDEN}"`;
    });
}
function redactStructure(text, secrets) {
    const urls = text.replace(URL_IN_TEXT, (match) => {
        // Punctuation that ends a sentence ends the URL too: `s3://b/p?region=x: ok`.
        const tail = /[:,.;)!?\]]+$/.exec(match)?.[0] ?? "";
        const found = redactOneUrl(match.slice(0, match.length - tail.length));
        secrets?.push(...found.secrets);
        return found.shown + tail;
    });
    return redactKeyValues(urls, secrets);
}
/** The forms a value takes when printed inside a URL, JSON or HTML. */
function printedForms(secret) {
    const html = secret
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&#39;");
    return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), html];
}
/**
 * Makes any text safe to print: every known secret (and its escaped forms) becomes ***, then URL
 * passwords, http user info, query values not on the allow-list and key=value secrets are hidden.
 */
function redact(text, known = []) {
    let out = text;
    const forms = [...new Set(known.filter((s) => s.length >= MIN_KNOWN).flatMap(printedForms))];
    forms.sort((a, b) => b.length - a.length);
    for (const form of forms)
        if (form.length >= MIN_KNOWN)
            out = out.split(form).join(HIDDEN);
    return redactStructure(out);
}
/**
 * A URL or connection string as it is safe to show: `postgres://app:***@db/prod?sslmode=require`,
 * `host=db password=*** dbname=prod`. Shown exactly as written when there is nothing to hide.
 */
const redactUrl = (raw) => redact(raw);
/** The secret values inside a URL or connection string (raw and percent-decoded), to mask wherever printed. */
function secretsOf(text) {
    const found = [];
    redactStructure(text, found);
    return [...new Set(found.filter((s) => s !== "" && s !== HIDDEN))];
}
/** Values of the environment that must never be printed: secret-named variables and URL/DSN passwords. */
function envSecrets(env = process.env) {
    const out = [];
    for (const [name, value] of Object.entries(env)) {
        if (!value)
            continue;
        if (SECRET_ENV.test(name) && name !== "PWD" && name !== "OLDPWD")
            out.push(value);
        else if (value.includes("//") || value.includes("="))
            out.push(...secretsOf(value));
    }
    return [...new Set(out.filter((s) => s.length >= MIN_KNOWN))];
}
/**
 * The secrets one run knows of. `onNew` sees each once (the actions pass core.setSecret, so the
 * runner masks them too); `redact` applies them all plus the structural rules.
 */
class Secrets {
    onNew;
    list = [];
    constructor(onNew) {
        this.onNew = onNew;
    }
    add(...values) {
        for (const value of values) {
            if (!value || value.length < MIN_KNOWN || this.list.includes(value))
                continue;
            this.list.push(value);
            this.onNew?.(value);
        }
        return this;
    }
    /** Adds the secrets inside URLs or connection strings. */
    addFrom(...texts) {
        for (const text of texts)
            if (text)
                this.add(...secretsOf(text));
        return this;
    }
    /** Adds the token and every URL's secrets of a resolved atlas.hcl env. */
    addEnv(env) {
        if (!env)
            return this;
        const { migration } = env;
        this.add(env.cloud.token);
        return this.addFrom(env.url, env.dev, migration.dir, migration.repo.url, ...migration.repo.backup);
    }
    redact(text) {
        return redact(text, this.list);
    }
}


/***/ }),

/***/ 16452:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G9: () => (/* binding */ DEFAULT_PUSH_RETRIES),
/* harmony export */   GI: () => (/* binding */ flagName),
/* harmony export */   KJ: () => (/* binding */ DEFAULT_REPORT_TIMEOUT_MS),
/* harmony export */   L$: () => (/* binding */ DEFAULT_LOCK_TIMEOUT_MS),
/* harmony export */   MF: () => (/* binding */ DEFAULT_HEALTH_RETRIES),
/* harmony export */   MK: () => (/* binding */ DEFAULT_HEALTH_TIMEOUT_MS),
/* harmony export */   MT: () => (/* binding */ DEFAULT_CALL_TIMEOUT_MS),
/* harmony export */   PV: () => (/* binding */ DEFAULT_CONFIG),
/* harmony export */   Pe: () => (/* binding */ setting),
/* harmony export */   Se: () => (/* binding */ DEFAULT_PG_CONNECT_TIMEOUT_MS),
/* harmony export */   X3: () => (/* binding */ DEFAULT_PULL_RETRIES),
/* harmony export */   bs: () => (/* binding */ isRegistryUrl),
/* harmony export */   dv: () => (/* binding */ DEFAULT_TX_MODE),
/* harmony export */   eJ: () => (/* binding */ DEFAULT_DIR),
/* harmony export */   fL: () => (/* binding */ DEFAULT_TAG),
/* harmony export */   gI: () => (/* binding */ given),
/* harmony export */   jh: () => (/* binding */ DEFAULT_GRANT_TTL_MS),
/* harmony export */   od: () => (/* binding */ DEFAULT_CONNECT_TIMEOUT_MS),
/* harmony export */   ri: () => (/* binding */ DEFAULT_PARALLELISM),
/* harmony export */   v6: () => (/* binding */ DEFAULT_RUNTIMEVAR_TIMEOUT_MS),
/* harmony export */   vB: () => (/* binding */ DEFAULT_EXEC_ORDER),
/* harmony export */   vN: () => (/* binding */ DEFAULT_PULL_TIMEOUT_MS),
/* harmony export */   w3: () => (/* binding */ DEFAULT_PUSH_TIMEOUT_MS),
/* harmony export */   xs: () => (/* binding */ DEFAULT_SYNC_RETRIES)
/* harmony export */ });
// Settings: the one rule for which value wins (explicit > env > default), every default, and the
// kinds of URL. The CLI (flags), the actions (inputs) and core itself take their defaults from here,
// so a default is typed once. A leaf module: it imports nothing.
/** Not given: undefined or "" (an action input that was not set reads ""). */
const given = (value) => value === undefined || value === "" ? undefined : value;
function setting(explicit, env, fallback) {
    return given(explicit) ?? given(env) ?? fallback;
}
const flagName = (setting) => `--${setting}`;
/** Where a setting comes from when nothing names it. */
const DEFAULT_CONFIG = "file://atlas.hcl";
const DEFAULT_DIR = "file://migrations";
const DEFAULT_TAG = "latest";
/** Apply: the transaction mode of a file without `atlas:txmode`, and what to do with files added out of order. */
const DEFAULT_TX_MODE = "file";
const DEFAULT_EXEC_ORDER = "linear";
/** Push: per target for its whole turn (retries included), and extra attempts after a transient error. */
const DEFAULT_PUSH_TIMEOUT_MS = 60_000;
const DEFAULT_PUSH_RETRIES = 2;
/** Pull (apply's fallback read): per replica before moving on; no retry, the next replica is the retry. */
const DEFAULT_PULL_TIMEOUT_MS = 10_000;
const DEFAULT_PULL_RETRIES = 0;
/** verify: per replica for its reads; sync: extra attempts per copy. */
const DEFAULT_HEALTH_TIMEOUT_MS = 10_000;
const DEFAULT_HEALTH_RETRIES = 0;
const DEFAULT_SYNC_RETRIES = 2;
/** Opening a replica's connection; one registry call (the per-target deadline bounds the rest). */
const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
const DEFAULT_CALL_TIMEOUT_MS = 60_000;
/** Apply: waiting for another apply's advisory lock; PostgreSQL's connect timeout (libpq's `connect_timeout` overrides). */
const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
const DEFAULT_PG_CONNECT_TIMEOUT_MS = 10_000;
/** Apply to several targets: how many at once. */
const DEFAULT_PARALLELISM = 4;
/** Reporting a deployment to the registry (best effort). */
const DEFAULT_REPORT_TIMEOUT_MS = 10_000;
/** atlas.hcl's runtimevar data source, as Atlas (gocloud) waits. */
const DEFAULT_RUNTIMEVAR_TIMEOUT_MS = 10_000;
/** How long a license grant lets work go on without the registry. */
const DEFAULT_GRANT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** `atlas://repo[?tag=..]`: a state in the registry (and its backups), not a local directory. */
const isRegistryUrl = (url) => /^atlas:\/\//i.test(url);


/***/ })

};
