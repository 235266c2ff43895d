// The file replica's store: a local or mounted directory. Every write goes to a temp file in the
// same folder, is fsynced and renamed into place (then the folder is fsynced), so a reader sees the
// old file or the new one, never half, and a power cut keeps what a push reported as written.
// Compare-and-swap takes an exclusive lock file (O_CREAT|O_EXCL) beside the key: writers that all
// use this code exclude each other on a local disk and on NFSv3+; a lock older than STALE_LOCK_MS
// (a crashed writer) is broken.
import { createHash } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, rm, stat } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { DEFAULT_MAX_ARCHIVE_BYTES } from "../dir/archive";
import { replaceFile } from "../durable";
import { RelayError } from "../errors";
import type { Blob, BlobStore } from "./blob";

const STALE_LOCK_MS = 30_000;
const LOCK_POLL_MS = 10;

const etagOf = (body: Uint8Array) => createHash("sha256").update(body).digest("hex");

function fsError(display: string, op: string, key: string, err: unknown): RelayError {
  const code = (err as NodeJS.ErrnoException).code ?? "";
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return new RelayError("unauthorized", `${display}: cannot ${op} ${key}: permission denied (${code})`);
  }
  if (code === "ENOSPC" || code === "EIO" || code === "ESTALE") {
    return new RelayError("unreachable", `${display}: cannot ${op} ${key} (${code})`);
  }
  return new RelayError("unreachable", `${display}: cannot ${op} ${key}: ${code || (err as Error).message}`);
}

export class FileStore implements BlobStore {
  constructor(
    private readonly root: string,
    private readonly display: string,
    /** No object the layout holds is larger than an archive may be: refuse more, unread. */
    private readonly maxBytes = DEFAULT_MAX_ARCHIVE_BYTES,
  ) {}

  private path(key: string): string {
    return join(this.root, ...key.split("/"));
  }

  async get(key: string, signal: AbortSignal): Promise<Blob | null> {
    signal.throwIfAborted();
    let handle: FileHandle | undefined;
    try {
      handle = await open(this.path(key), "r");
      // Sized from the open file before reading: a device (/dev/zero) or a huge file is refused.
      const info = await handle.stat();
      if (!info.isFile()) throw new RelayError("integrity", `${this.display}: ${key} is not a regular file`);
      if (info.size > this.maxBytes) {
        throw new RelayError(
          "integrity",
          `${this.display}: ${key} is larger than ${this.maxBytes} bytes; not read`,
        );
      }
      const body = new Uint8Array(await handle.readFile({ signal }));
      if (body.length > this.maxBytes) {
        throw new RelayError(
          "integrity",
          `${this.display}: ${key} grew beyond ${this.maxBytes} bytes while read`,
        );
      }
      return { body, etag: etagOf(body) };
    } catch (err) {
      if (err instanceof RelayError) throw err;
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      if (signal.aborted) throw signal.reason;
      throw fsError(this.display, "read", key, err);
    } finally {
      await handle?.close();
    }
  }

  async exists(key: string, signal: AbortSignal): Promise<boolean> {
    signal.throwIfAborted();
    try {
      await stat(this.path(key));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw fsError(this.display, "stat", key, err);
    }
  }

  async list(folder: string, signal: AbortSignal): Promise<string[]> {
    signal.throwIfAborted();
    try {
      const entries = await readdir(this.path(folder), { withFileTypes: true });
      return entries.filter((e) => e.isFile()).map((e) => e.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw fsError(this.display, "list", folder, err);
    }
  }

  async put(key: string, body: Uint8Array, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const target = this.path(key);
    try {
      await mkdir(dirname(target), { recursive: true });
      await replaceFile(target, body, signal);
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      throw fsError(this.display, "write", key, err);
    }
  }

  async putIfAbsent(key: string, body: Uint8Array, signal: AbortSignal): Promise<boolean> {
    // Archives are content-addressed: a concurrent writer of the same key writes the same bytes,
    // so "exists, then rename" is enough.
    if (await this.exists(key, signal)) return false;
    await this.put(key, body, signal);
    return true;
  }

  async putIfMatch(
    key: string,
    body: Uint8Array,
    expected: string | null,
    signal: AbortSignal,
  ): Promise<boolean> {
    const release = await this.lock(key, signal);
    try {
      const current = await this.get(key, signal);
      if ((current?.etag ?? null) !== expected) return false;
      await this.put(key, body, signal);
      return true;
    } finally {
      await release();
    }
  }

  private async lock(key: string, signal: AbortSignal): Promise<() => Promise<void>> {
    const lockPath = `${this.path(key)}.lock`;
    await mkdir(dirname(lockPath), { recursive: true }).catch((err) => {
      throw fsError(this.display, "create folder for", key, err);
    });
    for (;;) {
      signal.throwIfAborted();
      try {
        const handle = await open(lockPath, "wx");
        await handle.close();
        return () => rm(lockPath, { force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw fsError(this.display, "lock", key, err);
      }
      const age = await stat(lockPath).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) await rm(lockPath, { force: true });
      else await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
  }
}

/** Path separators inside keys are always "/"; refuse a root that is a file system root by mistake. */
export function checkFileRoot(root: string): string {
  if (root === sep || root === "")
    throw new RelayError("input", "file replica path must not be the file system root");
  return root;
}
