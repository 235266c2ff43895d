import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { compareNames, parseName } from "@migrate-relay/core";

/** One pushed directory state, as the registry emulator keeps it. */
export interface RegistryState {
  slug: string;
  /** The tag it was pushed with; a push without a tag is only reachable as `latest`. */
  tag?: string;
  driver: string;
  /** The archive bytes exactly as pushed. */
  content: Buffer;
  /** `sha256:<hex>` of content. */
  digest: string;
  /** The highest migration version in the archive, when its entries could be read. */
  version?: string;
  pushedAt: string;
}

interface SlugRecord {
  id: number;
  /** Every push, oldest first. */
  history: RegistryState[];
  tags: Map<string, RegistryState>;
  latest?: RegistryState;
}

// On disk: <dir>/<slug>/index.json (metadata, archives referenced by digest) and
// <dir>/<slug>/archives/<hex>.tar; written temp-then-rename so a crash leaves the old index.
interface SlugIndex {
  id: number;
  history: Array<Omit<RegistryState, "content">>;
  tags: Record<string, string>;
  latest?: string;
}

/** The emulator's store: in memory, mirrored to a directory when one is given. */
export class RegistryStore {
  private readonly slugs = new Map<string, SlugRecord>();
  private nextId = 1;

  private constructor(private readonly directory?: string) {}

  static async open(directory?: string): Promise<RegistryStore> {
    const store = new RegistryStore(directory);
    if (directory) await store.load(directory);
    return store;
  }

  /**
   * Stores a state: under its tag when given (`pushDir`), and as `latest` when `latest` is set
   * (`diffSyncDir`). As Atlas Cloud: a tagged push alone does not move `latest`.
   */
  async push(input: {
    slug: string;
    tag?: string;
    latest: boolean;
    driver: string;
    content: Buffer;
  }): Promise<RegistryState> {
    const record = this.record(input.slug);
    const state: RegistryState = {
      slug: input.slug,
      ...(input.tag ? { tag: input.tag } : {}),
      driver: input.driver,
      content: input.content,
      digest: `sha256:${createHash("sha256").update(input.content).digest("hex")}`,
      ...versionOf(input.content),
      pushedAt: new Date().toISOString(),
    };
    record.history.push(state);
    if (input.tag) record.tags.set(input.tag, state);
    if (input.latest) record.latest = state;
    await this.save(record, state);
    return state;
  }

  /** The state for a tag (`latest` or none: what `latest` points at), or the last push of a version. */
  find(slug: string, by: { tag?: string; version?: string }): RegistryState | undefined {
    const record = this.slugs.get(slug);
    if (!record) return undefined;
    if (by.tag && by.tag !== "latest") return record.tags.get(by.tag);
    if (by.version) return record.history.findLast((s) => s.version === by.version);
    return record.latest;
  }

  /** Every push for a slug, oldest first. */
  states(slug: string): RegistryState[] {
    return [...(this.slugs.get(slug)?.history ?? [])];
  }

  /** The numeric id the emulator gives a slug (it appears in push URLs). */
  idOf(slug: string): number {
    return this.record(slug).id;
  }

  private record(slug: string): SlugRecord {
    let record = this.slugs.get(slug);
    if (!record) {
      record = { id: this.nextId++, history: [], tags: new Map() };
      this.slugs.set(slug, record);
    }
    return record;
  }

  private async save(record: SlugRecord, state: RegistryState) {
    if (!this.directory) return;
    const dir = join(this.directory, encodeURIComponent(state.slug));
    await mkdir(join(dir, "archives"), { recursive: true });
    const archive = join(dir, "archives", `${state.digest.slice("sha256:".length)}.tar`);
    if (!existsSync(archive)) await writeAtomically(archive, state.content);
    const index: SlugIndex = {
      id: record.id,
      history: record.history.map(({ content: _content, ...meta }) => meta),
      tags: Object.fromEntries([...record.tags].map(([tag, s]) => [tag, s.digest])),
      ...(record.latest ? { latest: record.latest.digest } : {}),
    };
    await writeAtomically(join(dir, "index.json"), JSON.stringify(index, null, 2));
  }

  private async load(directory: string) {
    await mkdir(directory, { recursive: true });
    for (const entry of await readdir(directory)) {
      const indexFile = join(directory, entry, "index.json");
      if (!existsSync(indexFile)) continue;
      const slug = decodeURIComponent(entry);
      const index = JSON.parse(await readFile(indexFile, "utf8")) as SlugIndex;
      const contents = new Map<string, Buffer>();
      const contentOf = async (digest: string) => {
        let content = contents.get(digest);
        if (!content) {
          content = await readFile(
            join(directory, entry, "archives", `${digest.slice("sha256:".length)}.tar`),
          );
          contents.set(digest, content);
        }
        return content;
      };
      const history: RegistryState[] = [];
      for (const meta of index.history) history.push({ ...meta, content: await contentOf(meta.digest) });
      // Tags and latest point at the last push with that digest (and tag, for tags).
      const byDigest = (digest: string, tag?: string) =>
        history.findLast((s) => s.digest === digest && (tag === undefined || s.tag === tag));
      const tags = new Map<string, RegistryState>();
      for (const [tag, digest] of Object.entries(index.tags)) {
        const state = byDigest(digest, tag);
        if (state) tags.set(tag, state);
      }
      const latest = index.latest ? byDigest(index.latest) : undefined;
      this.slugs.set(slug, { id: index.id, history, tags, ...(latest ? { latest } : {}) });
      this.nextId = Math.max(this.nextId, index.id + 1);
    }
  }
}

async function writeAtomically(path: string, data: string | Buffer) {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, data);
  await rename(temp, path);
}

/**
 * The highest migration version named in a tar archive. Walks the 512-byte headers only (names and
 * sizes), so a push of bytes that are not an archive is still stored, just without a version.
 */
export function versionOf(archive: Buffer): { version?: string } {
  const names: string[] = [];
  for (let offset = 0; offset + 512 <= archive.length; ) {
    const header = archive.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    if (!name) break;
    const size = Number.parseInt(
      header.subarray(124, 136).toString("ascii").replace(/\0.*$/s, "").trim() || "0",
      8,
    );
    if (!Number.isFinite(size)) break;
    if (name.endsWith(".sql")) names.push(name);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  const last = names.sort(compareNames).at(-1);
  return last ? { version: parseName(last).version } : {};
}
