// The blob layout and write protocol (docs/architecture.md), shared by the s3 and file replicas:
//   <base>archives/<sha256>.tar   immutable, content-addressed
//   <base>versions/<v>.json       manifest of the state whose last file is <v>
//   <base>tags/<tag>.json         manifest for a tag; tags/latest.json is the commit point, last
import { createHash } from "node:crypto";
import { unarchiveDir } from "../dir/index";
import { messageOf, RelayError } from "../errors";
import { refText } from "./cloud";
import { encodeManifest, extendsSum, manifestOf, parseManifest } from "./manifest";
import { checkTag, checkVersion } from "./names";
import type {
  Fetched,
  LatestState,
  Manifest,
  Published,
  PublishOptions,
  Replica,
  State,
  StateRef,
} from "./types";

/** The blob replicas: one layout and write protocol over different stores. */
export type BlobKind = "s3" | "gs" | "azblob" | "oci" | "file";

export interface Blob {
  body: Uint8Array;
  /** A version token of what was read (S3 ETag, a content hash for files) for compare-and-swap. */
  etag: string;
}

/** What a storage backend must offer; every failure is a RelayError of the right kind. */
export interface BlobStore {
  get(key: string, signal: AbortSignal): Promise<Blob | null>;
  exists(key: string, signal: AbortSignal): Promise<boolean>;
  /** Writes unless the key exists; false when it was already there. */
  putIfAbsent(key: string, body: Uint8Array, signal: AbortSignal): Promise<boolean>;
  put(key: string, body: Uint8Array, signal: AbortSignal): Promise<void>;
  /** Writes only if the current etag is `expected` (null: only if absent); false on a lost race. */
  putIfMatch(key: string, body: Uint8Array, expected: string | null, signal: AbortSignal): Promise<boolean>;
  /**
   * The names directly under a folder key ending in "/" (no recursion); [] when there is none.
   * Absent where the store cannot list (oci: tags are manifests, not keys): verify shows no tags.
   */
  list?(folder: string, signal: AbortSignal): Promise<string[]>;
  /**
   * Stores that may lack conditional writes (s3): undefined when putIfMatch is a real
   * compare-and-swap, else the note for the result (last writer wins). May write `probeKey`.
   */
  casCaveat?(probeKey: string, signal: AbortSignal): Promise<string | undefined>;
}

const CAS_ATTEMPTS = 8;
/** Archives above this size are uploaded in parts or blocks by the stores that can. */
export const MULTIPART_BYTES = 16 * 1024 * 1024;

/**
 * Read-back rounds after an unconditional write of latest: delays 50, 100, 200, 400, 800 ms (each
 * jittered ±50%), about 1.5 s in all, which outlasts a racing writer's read-decide-write window.
 */
const REPAIR_ROUNDS = 5;
const REPAIR_DELAY_MS = 50;

export class BlobReplica implements Replica {
  constructor(
    readonly kind: BlobKind,
    readonly display: string,
    private readonly store: BlobStore,
    /** Key prefix ending in "/" (or ""): the URL's prefix, then the repo name. */
    private readonly base: string,
  ) {
    if (!store.list) this.tags = undefined;
  }

  private archiveKey = (digest: string) => `${this.base}archives/${digest.slice("sha256:".length)}.tar`;
  private versionKey = (version: string) => `${this.base}versions/${checkVersion(version)}.json`;
  private tagKey = (tag: string) => `${this.base}tags/${checkTag(tag)}.json`;
  /** Scratch key for the store's conditional-write probe: outside the layout readers follow. */
  private probeKey = () => `${this.base}.probe/conditional-writes`;

  async publish(state: State, options: PublishOptions): Promise<Published> {
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
    if (present && !intact) await this.store.put(archiveKey, state.archive, signal);
    else if (!present) uploaded = await this.store.putIfAbsent(archiveKey, state.archive, signal);
    await options.beforeCommit?.();

    const manifest = encodeManifest(manifestOf(state));
    await Promise.all([
      this.store.put(this.versionKey(state.version), manifest, signal),
      state.tag !== "latest" ? this.store.put(this.tagKey(state.tag), manifest, signal) : undefined,
    ]);
    const result: Published = { bytes: uploaded ? state.archive.length : 0, skipped: !uploaded };
    if (!moveLatest) return result;
    const moved = await this.moveLatest(state, manifest, latestBefore, signal);
    return { ...result, ...moved };
  }

  /** Compare-and-swap loop on tags/latest.json: never backward, never a lost update. */
  private async moveLatest(
    state: State,
    manifest: Uint8Array,
    firstRead: Blob | null,
    signal: AbortSignal,
  ): Promise<{ latestMoved: boolean; note?: string }> {
    const key = this.tagKey("latest");
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const current = attempt === 0 ? firstRead : await this.store.get(key, signal);
      if (current) {
        let old: Manifest | undefined;
        try {
          old = parseManifest(current.body, `${this.display} tags/latest.json`);
        } catch (err) {
          // Some S3-compatible servers (s3rver) let a GET see an object mid-write: read again.
          // One that stays unreadable blocks every push but a forced one, which replaces it.
          if (state.force) old = undefined;
          else if (attempt === CAS_ATTEMPTS - 1) {
            throw new RelayError(
              "integrity",
              `${messageOf(err)}; push with force to replace tags/latest.json with this state`,
            );
          } else {
            await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
            continue;
          }
        }
        if (old?.digest === state.digest) return { latestMoved: true };
        if (old && !state.force) {
          const why = await this.whyNotExtends(old, state, signal);
          if (why) return { latestMoved: false, note: `latest not moved: ${why}` };
        }
      }
      if (await this.store.putIfMatch(key, manifest, current?.etag ?? null, signal)) {
        // Answered from memory: the probe ran with the first reads.
        const caveat = await this.store.casCaveat?.(this.probeKey(), signal);
        if (!caveat) return { latestMoved: true };
        // Best effort: latest was written; a failed read-back only leaves the race as it was.
        const repaired = await this.repairLatest(state, manifest, signal).catch((err) => {
          if (signal.aborted) throw err;
          return `latest not read back (${messageOf(err)})`;
        });
        return { latestMoved: true, note: repaired ? `${caveat}; ${repaired}` : caveat };
      }
      // Someone moved latest between our read and write: read again and decide again.
    }
    throw new RelayError(
      "conflict",
      `${this.display}: latest kept changing under ${CAS_ATTEMPTS} attempts; push again`,
    );
  }

  /** Whether the archive at `key` hashes to `digest` (a bounded read: the archive cap applies). */
  private async archiveIntact(key: string, digest: string, signal: AbortSignal): Promise<boolean> {
    const blob = await this.store.get(key, signal).catch((err) => {
      if (signal.aborted) throw err;
      return null; // unreadable or over the cap: rewrite it
    });
    return !!blob && `sha256:${createHash("sha256").update(blob.body).digest("hex")}` === digest;
  }

  /**
   * Without compare-and-swap a slower writer of an older state can land after us. Read latest back
   * a few times (jittered, so racing writers do not move in step) and put ours again while what is
   * there is a state ours extends; stop when a newer or unrelated state holds it. Bounded: this
   * narrows the window, it cannot close it (docs/relay.md gives the measured figures).
   */
  private async repairLatest(state: State, manifest: Uint8Array, signal: AbortSignal): Promise<string> {
    const key = this.tagKey("latest");
    let repairs = 0;
    for (let round = 0; round < REPAIR_ROUNDS; round++) {
      await new Promise((r) => setTimeout(r, REPAIR_DELAY_MS * 2 ** round * (0.5 + Math.random())));
      signal.throwIfAborted();
      const current = await this.store.get(key, signal);
      let found: Manifest | undefined;
      try {
        found = current ? parseManifest(current.body, `${this.display} tags/latest.json`) : undefined;
      } catch {
        found = undefined; // mid-write or garbage: ours goes back
      }
      if (found?.digest === state.digest) continue;
      // Ours extends what is there: an older state won the race.
      if (found && (await this.whyNotExtends(found, state, signal)) === undefined) {
        await this.store.put(key, manifest, signal);
        repairs++;
      } else if (found)
        break; // a newer (or unrelated) state: not ours to undo
      else {
        await this.store.put(key, manifest, signal);
        repairs++;
      }
    }
    return repairs ? `an older state overwrote latest ${repairs}x during the race and was replaced` : "";
  }

  /** Undefined when the new state extends the one latest points to; else the reason, in words. */
  private async whyNotExtends(old: Manifest, state: State, signal: AbortSignal): Promise<string | undefined> {
    const at = `it points at version ${old.version || "?"} (${old.digest.slice(0, 19)})`;
    let oldSum: string;
    try {
      const blob = await this.store.get(this.archiveKey(old.digest), signal);
      if (!blob) return `${at}, whose archive is missing; use force to move it anyway`;
      const sum = unarchiveDir(blob.body).sum;
      oldSum = sum ? Buffer.from(sum).toString("utf8") : "";
    } catch (err) {
      if (signal.aborted) throw err;
      return `${at}, whose archive cannot be read (${messageOf(err)}); use force to move it anyway`;
    }
    const verdict = extendsSum(oldSum, state.sum);
    return verdict.ok
      ? undefined
      : `${at}, which the new state does not extend (${verdict.why}); use force for a deliberate rewrite`;
  }

  async readLatest(known: string, signal: AbortSignal): Promise<LatestState | null> {
    const key = this.tagKey("latest");
    const blob = await this.store.get(key, signal);
    if (!blob) return null;
    const manifest = parseManifest(blob.body, `${this.display} ${key.slice(this.base.length)}`);
    const latest = { digest: manifest.digest, version: manifest.version };
    if (manifest.digest === known) return latest;
    const archive = await this.store.get(this.archiveKey(manifest.digest), signal);
    if (!archive) {
      throw new RelayError(
        "integrity",
        `${this.display}: latest points at archive ${manifest.digest}, which is missing`,
      );
    }
    let sum: Uint8Array | null;
    try {
      sum = unarchiveDir(archive.body).sum;
    } catch (err) {
      throw new RelayError(
        "integrity",
        `${this.display}: latest's archive cannot be read: ${messageOf(err)}`,
      );
    }
    return { ...latest, sum: sum ? Buffer.from(sum).toString("utf8") : "" };
  }

  async manifest(ref: StateRef, signal: AbortSignal): Promise<Manifest | null> {
    const key = "tag" in ref ? this.tagKey(ref.tag) : this.versionKey(ref.version);
    const blob = await this.store.get(key, signal);
    return blob ? parseManifest(blob.body, `${this.display} ${key.slice(this.base.length)}`) : null;
  }

  fetchManifest(manifest: Manifest, signal: AbortSignal): Promise<Fetched> {
    return this.archiveOf(manifest, `version ${manifest.version || "?"}`, signal);
  }

  private async archiveOf(manifest: Manifest, what: string, signal: AbortSignal): Promise<Fetched> {
    const archive = await this.store.get(this.archiveKey(manifest.digest), signal);
    if (!archive) {
      throw new RelayError("integrity", `${this.display}: archive ${manifest.digest} of ${what} is missing`);
    }
    return { archive: archive.body, digest: manifest.digest, manifest };
  }

  tags?: (signal: AbortSignal) => Promise<string[]> = async (signal) => {
    const names = (await this.store.list?.(`${this.base}tags/`, signal)) ?? [];
    // Only finished manifests: temp files and lock files of a write in progress are not tags.
    return names
      .filter((n) => n.endsWith(".json"))
      .map((n) => n.slice(0, -".json".length))
      .sort();
  };

  async fetch(ref: StateRef, signal: AbortSignal): Promise<Fetched> {
    const manifest = await this.manifest(ref, signal);
    if (!manifest) throw new RelayError("not-found", `${this.display}: ${refText(ref)} not found`);
    return this.archiveOf(manifest, refText(ref), signal);
  }
}
