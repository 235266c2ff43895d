// The blob layout and write protocol of DESIGN §4, shared by the s3 and file replicas:
//   <base>archives/<sha256>.tar   immutable, content-addressed
//   <base>versions/<v>.json       manifest of the state whose last file is <v>
//   <base>tags/<tag>.json         manifest for a tag; tags/latest.json is the commit point, last
import { unarchiveDir } from "../dir/index";
import { messageOf, RelayError } from "../errors";
import { describe } from "./cloud";
import { encodeManifest, extendsSum, manifestOf, parseManifest } from "./manifest";
import { checkTag, checkVersion } from "./names";
import type { Fetched, Manifest, Published, PublishOptions, Replica, State, StateRef } from "./types";

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
  /** The names directly under a folder key ending in "/" (no recursion); [] when there is none. */
  list(folder: string, signal: AbortSignal): Promise<string[]>;
  /**
   * Stores that may lack conditional writes (s3): undefined when putIfMatch is a real
   * compare-and-swap, else the note for the result (last writer wins). May write `probeKey`.
   */
  casCaveat?(probeKey: string, signal: AbortSignal): Promise<string | undefined>;
}

const CAS_ATTEMPTS = 8;

export class BlobReplica implements Replica {
  constructor(
    readonly kind: "s3" | "file",
    readonly display: string,
    private readonly store: BlobStore,
    /** Key prefix ending in "/" (or ""): the URL's prefix, then the repo name. */
    private readonly base: string,
  ) {}

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
    // Content-addressed: the same directory is uploaded once, ever.
    const uploaded = present ? false : await this.store.putIfAbsent(archiveKey, state.archive, signal);
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
        let old: Manifest;
        try {
          old = parseManifest(current.body, `${this.display} tags/latest.json`);
        } catch (err) {
          // Some S3-compatible servers (s3rver) let a GET see an object mid-write: read again.
          if (attempt === CAS_ATTEMPTS - 1) throw err;
          await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
          continue;
        }
        if (old.digest === state.digest) return { latestMoved: true };
        if (!state.force) {
          const why = await this.whyNotExtends(old, state, signal);
          if (why) return { latestMoved: false, note: `latest not moved: ${why}` };
        }
      }
      if (await this.store.putIfMatch(key, manifest, current?.etag ?? null, signal)) {
        // Answered from memory: the probe ran with the first reads.
        const caveat = await this.store.casCaveat?.(this.probeKey(), signal);
        return caveat ? { latestMoved: true, note: caveat } : { latestMoved: true };
      }
      // Someone moved latest between our read and write: read again and decide again.
    }
    throw new RelayError(
      "conflict",
      `${this.display}: latest kept changing under ${CAS_ATTEMPTS} attempts; push again`,
    );
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

  async tags(signal: AbortSignal): Promise<string[]> {
    const names = await this.store.list(`${this.base}tags/`, signal);
    // Only finished manifests: temp files and lock files of a write in progress are not tags.
    return names
      .filter((n) => n.endsWith(".json"))
      .map((n) => n.slice(0, -".json".length))
      .sort();
  }

  async fetch(ref: StateRef, signal: AbortSignal): Promise<Fetched> {
    const manifest = await this.manifest(ref, signal);
    if (!manifest) throw new RelayError("not-found", `${this.display}: ${describe(ref)} not found`);
    return this.archiveOf(manifest, describe(ref), signal);
  }
}
