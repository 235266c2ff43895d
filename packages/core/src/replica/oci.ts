// The oci replica's store: the OCI distribution API (docker registry v2, ghcr.io, ...) over fetch,
// the blob layout of blob.ts mapped onto a repository per migration repo (<url path>/<repo>):
//   archives/<hex>.tar  -> the blob sha256:<hex> (the archive digest is its OCI digest)
//   tags/<tag>.json     -> an OCI image manifest tagged <tag>
//   versions/<v>.json   -> the same, tagged version-<v>
// Each manifest has the archive as its one layer and our state manifest (manifest.ts) as the
// annotation MANIFEST_ANNOTATION, so one GET by tag reads the pointer; its bytes are checked against
// the Docker-Content-Digest the registry states. Reference: the OCI distribution spec
// (github.com/opencontainers/distribution-spec, spec.md) and image spec (manifest.md).
//
// Compare-and-swap: the distribution API has none for tags (the registry ignores If-Match and
// If-None-Match on a manifest PUT). The best it allows: check the tag still points where we read it,
// PUT, wait a moment, and read back; a tag that then points elsewhere is a lost race, and the blob
// replica's loop reads again and decides again (moves it forward or leaves the newer state). Racing
// pushes converge on the newest state unless one PUT lands more than READ_BACK_DELAY_MS after
// another writer's read-back; the result notes it (OCI_CAS_NOTE).
import { createHash } from "node:crypto";
import { configError, inputError, RelayError } from "../errors";
import type { Blob, BlobStore } from "./blob";
import { storeError } from "./fail";
import { parseManifest } from "./manifest";

export interface OciLocation {
  /** host[:port] */
  host: string;
  /** Repository path from the URL (`org/atlas-registry`); the migration repo is appended. */
  repository: string;
  username?: string;
  password?: string;
  /** http:// instead of https:// (loopback hosts, or ?plain_http=true). */
  plainHttp: boolean;
}

export const MANIFEST_ANNOTATION = "io.github.migrate-relay.state";
export const OCI_CAS_NOTE =
  "latest written without compare-and-swap: the OCI distribution API has none for tags (read back after writing and repaired if a concurrent push overwrote it)";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const ARCHIVE_MEDIA_TYPE = "application/vnd.migrate-relay.archive.v1.tar";
// The OCI image spec's empty descriptor ("{}"), the config of an artifact without one.
const EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
const EMPTY = new TextEncoder().encode("{}");
const EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
const READ_BACK_DELAY_MS = 150;
/** The tag prefix of versions/<v>.json; a user tag may not start with it here. */
export const VERSION_TAG_PREFIX = "version-";

/** Credentials from the environment when the URL has none (see docs/relay.md). */
export function ociCredentials(
  loc: OciLocation,
  env: Record<string, string | undefined> = process.env,
): { username: string; password: string } | undefined {
  if (loc.password !== undefined) return { username: loc.username ?? "", password: loc.password };
  if (env.MIGRATE_RELAY_OCI_TOKEN) {
    return {
      username: loc.username ?? env.MIGRATE_RELAY_OCI_USER ?? "migrate-relay",
      password: env.MIGRATE_RELAY_OCI_TOKEN,
    };
  }
  // ghcr.io takes the workflow's token (any user name) when the job passes it as GITHUB_TOKEN.
  if (loc.host === "ghcr.io" && env.GITHUB_TOKEN) {
    return { username: loc.username ?? env.GITHUB_ACTOR ?? "migrate-relay", password: env.GITHUB_TOKEN };
  }
  return undefined;
}

const sha256 = (bytes: Uint8Array) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

interface Place {
  repository: string;
  kind: "archive" | "tag" | "probe";
  /** The blob digest (archive) or the tag. */
  ref: string;
}

export class OciStore implements BlobStore {
  private authorization: string | undefined;
  private readonly credentials: { username: string; password: string } | undefined;
  /** Archive sizes seen (uploaded or HEADed): a manifest's layer descriptor needs one. */
  private readonly sizes = new Map<string, number>();
  private readonly configs = new Map<string, Promise<void>>();

  constructor(
    private readonly loc: OciLocation,
    private readonly display: string,
    env: Record<string, string | undefined> = process.env,
  ) {
    this.credentials = ociCredentials(loc, env);
  }

  /** The key's place in the registry: blob or tag, in which repository. */
  private place(key: string): Place {
    const m = /^(?:(.*)\/)?(archives|versions|tags|\.probe)\/([^/]+)$/.exec(key);
    if (!m) throw inputError(`${this.display}: no place for ${key} in an OCI registry`);
    const repository = [this.loc.repository, m[1]].filter(Boolean).join("/").toLowerCase();
    const name = m[3]!;
    if (m[2] === "archives")
      return { repository, kind: "archive", ref: `sha256:${name.replace(/\.tar$/, "")}` };
    if (m[2] === ".probe") return { repository, kind: "probe", ref: name };
    const base = name.replace(/\.json$/, "");
    if (m[2] === "tags" && base.startsWith(VERSION_TAG_PREFIX)) {
      throw inputError(
        `${this.display}: tags starting with "${VERSION_TAG_PREFIX}" are kept for versions here`,
      );
    }
    const tag = m[2] === "versions" ? `${VERSION_TAG_PREFIX}${base}` : base;
    if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(tag)) {
      throw inputError(
        `${this.display}: "${tag}" is not a valid OCI tag (128 characters at most, no leading "." or "-")`,
      );
    }
    return { repository, kind: "tag", ref: tag };
  }

  private url(path: string): string {
    return `${this.loc.plainHttp ? "http" : "https"}://${this.loc.host}/v2/${path}`;
  }

  /** One call, with the registry's auth dance: Basic, or a Bearer token from the challenge's realm. */
  private async call(
    what: string,
    method: string,
    url: string,
    init: { body?: Uint8Array; headers?: Record<string, string>; scope?: string },
    signal: AbortSignal,
  ): Promise<Response> {
    const send = () =>
      fetch(url, {
        method,
        headers: { ...init.headers, ...(this.authorization ? { authorization: this.authorization } : {}) },
        ...(init.body ? { body: init.body } : {}),
        signal,
        redirect: "follow",
      });
    let res: Response;
    try {
      const used = this.authorization;
      res = await send();
      // A concurrent call may have answered the challenge meanwhile: then just send again.
      if (
        res.status === 401 &&
        (this.authorization !== used || (await this.authenticate(res, init.scope, signal)))
      ) {
        await res.body?.cancel();
        res = await send();
      }
    } catch (err) {
      throw storeError(`${this.display}: ${what}`, { err }, signal);
    }
    return res;
  }

  /** Answers a 401 challenge; false when there is nothing more to try. */
  private async authenticate(
    res: Response,
    scope: string | undefined,
    signal: AbortSignal,
  ): Promise<boolean> {
    const challenge = res.headers.get("www-authenticate") ?? "";
    const creds = this.credentials;
    const basic = creds
      ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`
      : undefined;
    if (/^basic/i.test(challenge)) {
      if (!basic || this.authorization === basic) return false;
      this.authorization = basic;
      return true;
    }
    if (!/^bearer/i.test(challenge)) return false;
    const params = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]),
    );
    if (!params.realm) return false;
    const tokenUrl = new URL(params.realm);
    if (params.service) tokenUrl.searchParams.set("service", params.service);
    const wanted = params.scope ?? scope;
    if (wanted) tokenUrl.searchParams.set("scope", wanted);
    const answer = await fetch(tokenUrl, { headers: basic ? { authorization: basic } : {}, signal });
    if (!answer.ok) {
      await answer.body?.cancel();
      return false;
    }
    const body = (await answer.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token || this.authorization === `Bearer ${token}`) return false;
    this.authorization = `Bearer ${token}`;
    return true;
  }

  private async fail(what: string, res: Response, signal: AbortSignal): Promise<never> {
    let code: string | undefined;
    try {
      code = ((await res.json()) as { errors?: { code?: string }[] }).errors?.[0]?.code;
    } catch {
      /* not the registry's JSON error body */
    }
    if (res.status === 401 && !this.credentials) {
      throw configError(
        `${this.display}: the registry wants credentials: put them in the URL (oci://user:token@host/...) or set MIGRATE_RELAY_OCI_TOKEN`,
      );
    }
    throw storeError(
      `${this.display}: ${what}`,
      { status: res.status, ...(code ? { code } : {}), err: undefined },
      signal,
    );
  }

  private scope = (repository: string) => `repository:${repository}:pull,push`;

  async get(key: string, signal: AbortSignal): Promise<Blob | null> {
    const at = this.place(key);
    if (at.kind === "probe") return null;
    if (at.kind === "archive") {
      const res = await this.call(
        `get ${key}`,
        "GET",
        this.url(`${at.repository}/blobs/${at.ref}`),
        { scope: this.scope(at.repository) },
        signal,
      );
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) return this.fail(`get ${key}`, res, signal);
      const body = new Uint8Array(await this.read(`get ${key}`, res, signal));
      // The relay checks the archive's digest against the state manifest; nothing more to do here.
      return { body, etag: at.ref };
    }
    const manifest = await this.getManifest(at, key, signal);
    if (!manifest) return null;
    return { body: manifest.state, etag: manifest.digest };
  }

  private async read(what: string, res: Response, signal: AbortSignal): Promise<ArrayBuffer> {
    try {
      return await res.arrayBuffer();
    } catch (err) {
      throw storeError(`${this.display}: ${what}`, { err }, signal);
    }
  }

  /** The manifest a tag points to: its digest (verified) and the state manifest it carries. */
  private async getManifest(
    at: Place,
    key: string,
    signal: AbortSignal,
  ): Promise<{ digest: string; state: Uint8Array } | null> {
    const res = await this.call(
      `get ${key}`,
      "GET",
      this.url(`${at.repository}/manifests/${at.ref}`),
      { headers: { accept: OCI_MANIFEST }, scope: this.scope(at.repository) },
      signal,
    );
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) return this.fail(`get ${key}`, res, signal);
    const bytes = new Uint8Array(await this.read(`get ${key}`, res, signal));
    const digest = sha256(bytes);
    const stated = res.headers.get("docker-content-digest");
    if (stated && stated !== digest) {
      throw new RelayError(
        "integrity",
        `${this.display}: ${key}: manifest digest ${digest} is not the ${stated} the registry states`,
      );
    }
    let state: string | undefined;
    let layer: string | undefined;
    try {
      const parsed = JSON.parse(Buffer.from(bytes).toString("utf8")) as {
        annotations?: Record<string, string>;
        layers?: { digest?: string }[];
      };
      state = parsed.annotations?.[MANIFEST_ANNOTATION];
      layer = parsed.layers?.[0]?.digest;
    } catch {
      /* reported below */
    }
    if (state === undefined) {
      throw new RelayError(
        "integrity",
        `${this.display}: ${key}: the manifest tagged ${at.ref} carries no ${MANIFEST_ANNOTATION} annotation`,
      );
    }
    const body = new TextEncoder().encode(state);
    // The layer is what a registry keeps alive; the annotation is what we follow: they must agree.
    if (parseManifest(body, `${this.display} ${key}`).digest !== layer) {
      throw new RelayError(
        "integrity",
        `${this.display}: ${key}: the manifest's layer is not the archive its annotation names`,
      );
    }
    return { digest, state: body };
  }

  async exists(key: string, signal: AbortSignal): Promise<boolean> {
    const at = this.place(key);
    if (at.kind !== "archive") return (await this.get(key, signal)) !== null;
    return this.hasBlob(at.repository, at.ref, key, signal);
  }

  private async hasBlob(
    repository: string,
    digest: string,
    key: string,
    signal: AbortSignal,
  ): Promise<boolean> {
    const res = await this.call(
      `head ${key}`,
      "HEAD",
      this.url(`${repository}/blobs/${digest}`),
      { scope: this.scope(repository) },
      signal,
    );
    if (res.status === 404) return false;
    if (!res.ok) return this.fail(`head ${key}`, res, signal);
    const size = Number(res.headers.get("content-length"));
    if (Number.isFinite(size)) this.sizes.set(`${repository}@${digest}`, size);
    return true;
  }

  /** Upload session then one PUT with the digest (the spec's monolithic upload, in two steps). */
  private async pushBlob(
    repository: string,
    digest: string,
    body: Uint8Array,
    key: string,
    signal: AbortSignal,
  ) {
    const what = `put ${key}`;
    const started = await this.call(
      what,
      "POST",
      this.url(`${repository}/blobs/uploads/`),
      { scope: this.scope(repository) },
      signal,
    );
    if (started.status !== 202) return this.fail(what, started, signal);
    await started.body?.cancel();
    const location = started.headers.get("location");
    if (!location)
      throw new RelayError("input", `${this.display}: ${what}: the registry gave no upload location`);
    const target = new URL(location, this.url(""));
    target.searchParams.set("digest", digest);
    const done = await this.call(
      what,
      "PUT",
      target.toString(),
      { body, headers: { "content-type": "application/octet-stream" }, scope: this.scope(repository) },
      signal,
    );
    if (done.status !== 201) return this.fail(what, done, signal);
    await done.body?.cancel();
    this.sizes.set(`${repository}@${digest}`, body.length);
  }

  async putIfAbsent(key: string, body: Uint8Array, signal: AbortSignal): Promise<boolean> {
    const at = this.place(key);
    if (at.kind === "probe") return true;
    if (at.kind === "tag") {
      if ((await this.getManifest(at, key, signal)) !== null) return false;
      await this.put(key, body, signal);
      return true;
    }
    if (await this.hasBlob(at.repository, at.ref, key, signal)) return false;
    // Content-addressed: a concurrent writer of the same digest stores the same bytes.
    await this.pushBlob(at.repository, at.ref, body, key, signal);
    return true;
  }

  async put(key: string, body: Uint8Array, signal: AbortSignal): Promise<void> {
    const at = this.place(key);
    if (at.kind === "probe") return;
    if (at.kind === "archive") {
      await this.pushBlob(at.repository, at.ref, body, key, signal);
      return;
    }
    await this.putManifest(at, key, body, signal);
  }

  /** Tags `at.ref` with a manifest whose layer is the state's archive; returns its digest. */
  private async putManifest(at: Place, key: string, state: Uint8Array, signal: AbortSignal): Promise<string> {
    const parsed = parseManifest(state, `${this.display} ${key}`);
    let config = this.configs.get(at.repository);
    if (!config) {
      config = (async () => {
        if (!(await this.hasBlob(at.repository, EMPTY_DIGEST, key, signal))) {
          await this.pushBlob(at.repository, EMPTY_DIGEST, EMPTY, key, signal);
        }
      })();
      this.configs.set(at.repository, config);
      config.catch(() => this.configs.delete(at.repository));
    }
    await config;
    const sizeKey = `${at.repository}@${parsed.digest}`;
    if (!this.sizes.has(sizeKey)) await this.hasBlob(at.repository, parsed.digest, key, signal);
    const size = this.sizes.get(sizeKey);
    if (size === undefined) {
      throw new RelayError(
        "integrity",
        `${this.display}: ${key}: archive ${parsed.digest} is not in ${at.repository}`,
      );
    }
    const manifest = new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: EMPTY_MEDIA_TYPE, digest: EMPTY_DIGEST, size: EMPTY.length },
        layers: [
          {
            mediaType: ARCHIVE_MEDIA_TYPE,
            digest: parsed.digest,
            size,
            annotations: { "org.opencontainers.image.title": "migrations.tar" },
          },
        ],
        annotations: {
          [MANIFEST_ANNOTATION]: Buffer.from(state).toString("utf8"),
          "org.opencontainers.image.version": parsed.version,
          "org.opencontainers.image.created": parsed.pushedAt,
        },
      }),
    );
    const what = `put ${key}`;
    const res = await this.call(
      what,
      "PUT",
      this.url(`${at.repository}/manifests/${at.ref}`),
      { body: manifest, headers: { "content-type": OCI_MANIFEST }, scope: this.scope(at.repository) },
      signal,
    );
    if (res.status !== 201) return this.fail(what, res, signal);
    await res.body?.cancel();
    return sha256(manifest);
  }

  /**
   * No compare-and-swap exists for tags: check, write, wait, read back (see the top of this file).
   * False when the tag moved under us before the write or was overwritten after it.
   */
  async putIfMatch(
    key: string,
    body: Uint8Array,
    expected: string | null,
    signal: AbortSignal,
  ): Promise<boolean> {
    const at = this.place(key);
    if (at.kind !== "tag") return this.putIfAbsent(key, body, signal);
    const before = await this.getManifest(at, key, signal);
    if ((before?.digest ?? null) !== expected) return false;
    const ours = await this.putManifest(at, key, body, signal);
    await new Promise((resolve) => setTimeout(resolve, READ_BACK_DELAY_MS));
    const after = await this.getManifest(at, key, signal);
    return after?.digest === ours;
  }

  async casCaveat(): Promise<string | undefined> {
    return OCI_CAS_NOTE;
  }
}
