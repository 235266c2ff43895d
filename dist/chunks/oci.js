export const id = 775;
export const ids = [775];
export const modules = {

/***/ 97672:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Eu: () => (/* binding */ untilAborted),
/* harmony export */   gl: () => (/* binding */ storeError)
/* harmony export */ });
/* unused harmony export networkFailure */
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37638);
// Failures of the HTTP object stores (gs, azblob, oci) as RelayErrors of the kind fallback reads
// (docs/relay.md "Error classes"): the same classes S3 maps to in s3.ts.

const NETWORK = [
    [/ECONNREFUSED/, "connection refused"],
    [/ECONNRESET|EPIPE|socket hang up|other side closed/i, "connection reset"],
    [/ENOTFOUND|EAI_AGAIN/, "DNS lookup failed"],
    [/ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|Connect Timeout/i, "connect timeout"],
    [/EHOSTUNREACH|ENETUNREACH/, "host unreachable"],
];
/** A network failure in words, from an error's code, message or cause; undefined if not one. */
function networkFailure(err) {
    for (let e = err, depth = 0; e && depth < 4; depth++) {
        const text = `${String(e.code ?? "")} ${String(e.message ?? "")}`;
        for (const [pattern, words] of NETWORK)
            if (pattern.test(text))
                return words;
        e = e.cause;
    }
    return undefined;
}
/**
 * One failed call to a store: `status` is the HTTP status when the store answered, `code` the
 * store's own error code (BlobNotFound, conditionNotMet, ...). Never includes credentials.
 */
function storeError(where, failure, signal) {
    const { status, code, err } = failure;
    if (err instanceof _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx)
        return err;
    if (signal.aborted) {
        const reason = signal.reason;
        return new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("unreachable", `${where}: ${reason?.message ?? "aborted"}`);
    }
    const named = code ? `${code}, HTTP ${status}` : `HTTP ${status}`;
    if (status === undefined) {
        const network = networkFailure(err);
        const message = err.message ?? String(err);
        return new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("unreachable", `${where}: ${network ?? message}`);
    }
    if (status === 401 || status === 403)
        return new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("unauthorized", `${where}: access denied (${named})`);
    if (status === 404)
        return new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("not-found", `${where}: not found (${named})`);
    if (status === 409 || status === 412)
        return new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("conflict", `${where}: changed concurrently (${named})`);
    if (status >= 500 || status === 429)
        return new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("unreachable", `${where}: ${named}`);
    return new _errors__WEBPACK_IMPORTED_MODULE_0__/* .RelayError */ .cx("input", `${where}: ${named}`);
}
/** Runs `work` until `signal` aborts; `cancel` then tears down whatever the SDK left open. */
function untilAborted(signal, work, cancel) {
    // Whatever `work` ends with later is handled here: a rejection must never go unhandled.
    work.catch(() => { });
    if (signal.aborted) {
        cancel?.();
        return Promise.reject(signal.reason);
    }
    return new Promise((resolve, reject) => {
        const onAbort = () => {
            cancel?.();
            reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort, { once: true });
        work.then((v) => {
            signal.removeEventListener("abort", onAbort);
            resolve(v);
        }, (e) => {
            signal.removeEventListener("abort", onAbort);
            reject(e);
        });
    });
}


/***/ }),

/***/ 34775:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   OciStore: () => (/* binding */ OciStore)
/* harmony export */ });
/* unused harmony exports MANIFEST_ANNOTATION, OCI_CAS_NOTE, VERSION_TAG_PREFIX, ociCredentials */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(37638);
/* harmony import */ var _fail__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(97672);
/* harmony import */ var _manifest__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(44465);
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




const MANIFEST_ANNOTATION = "io.github.migrate-relay.state";
const OCI_CAS_NOTE = "latest written without compare-and-swap: the OCI distribution API has none for tags (read back after writing and repaired if a concurrent push overwrote it)";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const ARCHIVE_MEDIA_TYPE = "application/vnd.migrate-relay.archive.v1.tar";
// The OCI image spec's empty descriptor ("{}"), the config of an artifact without one.
const EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
const EMPTY = new TextEncoder().encode("{}");
const EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
const READ_BACK_DELAY_MS = 150;
/** The tag prefix of versions/<v>.json; a user tag may not start with it here. */
const VERSION_TAG_PREFIX = "version-";
/** Credentials from the environment when the URL has none (see docs/relay.md). */
function ociCredentials(loc, env = process.env) {
    if (loc.password !== undefined)
        return { username: loc.username ?? "", password: loc.password };
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
const sha256 = (bytes) => `sha256:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)("sha256").update(bytes).digest("hex")}`;
class OciStore {
    loc;
    display;
    authorization;
    credentials;
    /** Archive sizes seen (uploaded or HEADed): a manifest's layer descriptor needs one. */
    sizes = new Map();
    configs = new Map();
    constructor(loc, display, env = process.env) {
        this.loc = loc;
        this.display = display;
        this.credentials = ociCredentials(loc, env);
    }
    /** The key's place in the registry: blob or tag, in which repository. */
    place(key) {
        const m = /^(?:(.*)\/)?(archives|versions|tags|\.probe)\/([^/]+)$/.exec(key);
        if (!m)
            throw (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .inputError */ .Xu)(`${this.display}: no place for ${key} in an OCI registry`);
        const repository = [this.loc.repository, m[1]].filter(Boolean).join("/").toLowerCase();
        const name = m[3];
        if (m[2] === "archives")
            return { repository, kind: "archive", ref: `sha256:${name.replace(/\.tar$/, "")}` };
        if (m[2] === ".probe")
            return { repository, kind: "probe", ref: name };
        const base = name.replace(/\.json$/, "");
        if (m[2] === "tags" && base.startsWith(VERSION_TAG_PREFIX)) {
            throw (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .inputError */ .Xu)(`${this.display}: tags starting with "${VERSION_TAG_PREFIX}" are kept for versions here`);
        }
        const tag = m[2] === "versions" ? `${VERSION_TAG_PREFIX}${base}` : base;
        if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(tag)) {
            throw (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .inputError */ .Xu)(`${this.display}: "${tag}" is not a valid OCI tag (128 characters at most, no leading "." or "-")`);
        }
        return { repository, kind: "tag", ref: tag };
    }
    url(path) {
        return `${this.loc.plainHttp ? "http" : "https"}://${this.loc.host}/v2/${path}`;
    }
    /** One call, with the registry's auth dance: Basic, or a Bearer token from the challenge's realm. */
    async call(what, method, url, init, signal) {
        const send = () => fetch(url, {
            method,
            headers: { ...init.headers, ...(this.authorization ? { authorization: this.authorization } : {}) },
            ...(init.body ? { body: init.body } : {}),
            signal,
            redirect: "follow",
        });
        let res;
        try {
            const used = this.authorization;
            res = await send();
            // A concurrent call may have answered the challenge meanwhile: then just send again.
            if (res.status === 401 &&
                (this.authorization !== used || (await this.authenticate(res, init.scope, signal)))) {
                await res.body?.cancel();
                res = await send();
            }
        }
        catch (err) {
            throw (0,_fail__WEBPACK_IMPORTED_MODULE_2__/* .storeError */ .gl)(`${this.display}: ${what}`, { err }, signal);
        }
        return res;
    }
    /** Answers a 401 challenge; false when there is nothing more to try. */
    async authenticate(res, scope, signal) {
        const challenge = res.headers.get("www-authenticate") ?? "";
        const creds = this.credentials;
        const basic = creds
            ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`
            : undefined;
        if (/^basic/i.test(challenge)) {
            if (!basic || this.authorization === basic)
                return false;
            this.authorization = basic;
            return true;
        }
        if (!/^bearer/i.test(challenge))
            return false;
        const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1].toLowerCase(), m[2]]));
        if (!params.realm)
            return false;
        const tokenUrl = new URL(params.realm);
        if (params.service)
            tokenUrl.searchParams.set("service", params.service);
        const wanted = params.scope ?? scope;
        if (wanted)
            tokenUrl.searchParams.set("scope", wanted);
        const answer = await fetch(tokenUrl, { headers: basic ? { authorization: basic } : {}, signal });
        if (!answer.ok) {
            await answer.body?.cancel();
            return false;
        }
        const body = (await answer.json());
        const token = body.token ?? body.access_token;
        if (!token || this.authorization === `Bearer ${token}`)
            return false;
        this.authorization = `Bearer ${token}`;
        return true;
    }
    async fail(what, res, signal) {
        let code;
        try {
            code = (await res.json()).errors?.[0]?.code;
        }
        catch {
            /* not the registry's JSON error body */
        }
        if (res.status === 401 && !this.credentials) {
            throw (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .configError */ .Fj)(`${this.display}: the registry wants credentials: put them in the URL (oci://user:token@host/...) or set MIGRATE_RELAY_OCI_TOKEN`);
        }
        throw (0,_fail__WEBPACK_IMPORTED_MODULE_2__/* .storeError */ .gl)(`${this.display}: ${what}`, { status: res.status, ...(code ? { code } : {}), err: undefined }, signal);
    }
    scope = (repository) => `repository:${repository}:pull,push`;
    async get(key, signal) {
        const at = this.place(key);
        if (at.kind === "probe")
            return null;
        if (at.kind === "archive") {
            const res = await this.call(`get ${key}`, "GET", this.url(`${at.repository}/blobs/${at.ref}`), { scope: this.scope(at.repository) }, signal);
            if (res.status === 404) {
                await res.body?.cancel();
                return null;
            }
            if (!res.ok)
                return this.fail(`get ${key}`, res, signal);
            const body = new Uint8Array(await this.read(`get ${key}`, res, signal));
            // The relay checks the archive's digest against the state manifest; nothing more to do here.
            return { body, etag: at.ref };
        }
        const manifest = await this.getManifest(at, key, signal);
        if (!manifest)
            return null;
        return { body: manifest.state, etag: manifest.digest };
    }
    async read(what, res, signal) {
        try {
            return await res.arrayBuffer();
        }
        catch (err) {
            throw (0,_fail__WEBPACK_IMPORTED_MODULE_2__/* .storeError */ .gl)(`${this.display}: ${what}`, { err }, signal);
        }
    }
    /** The manifest a tag points to: its digest (verified) and the state manifest it carries. */
    async getManifest(at, key, signal) {
        const res = await this.call(`get ${key}`, "GET", this.url(`${at.repository}/manifests/${at.ref}`), { headers: { accept: OCI_MANIFEST }, scope: this.scope(at.repository) }, signal);
        if (res.status === 404) {
            await res.body?.cancel();
            return null;
        }
        if (!res.ok)
            return this.fail(`get ${key}`, res, signal);
        const bytes = new Uint8Array(await this.read(`get ${key}`, res, signal));
        const digest = sha256(bytes);
        const stated = res.headers.get("docker-content-digest");
        if (stated && stated !== digest) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .RelayError */ .cx("integrity", `${this.display}: ${key}: manifest digest ${digest} is not the ${stated} the registry states`);
        }
        let state;
        let layer;
        try {
            const parsed = JSON.parse(Buffer.from(bytes).toString("utf8"));
            state = parsed.annotations?.[MANIFEST_ANNOTATION];
            layer = parsed.layers?.[0]?.digest;
        }
        catch {
            /* reported below */
        }
        if (state === undefined) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .RelayError */ .cx("integrity", `${this.display}: ${key}: the manifest tagged ${at.ref} carries no ${MANIFEST_ANNOTATION} annotation`);
        }
        const body = new TextEncoder().encode(state);
        // The layer is what a registry keeps alive; the annotation is what we follow: they must agree.
        if ((0,_manifest__WEBPACK_IMPORTED_MODULE_3__/* .parseManifest */ .Ng)(body, `${this.display} ${key}`).digest !== layer) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .RelayError */ .cx("integrity", `${this.display}: ${key}: the manifest's layer is not the archive its annotation names`);
        }
        return { digest, state: body };
    }
    async exists(key, signal) {
        const at = this.place(key);
        if (at.kind !== "archive")
            return (await this.get(key, signal)) !== null;
        return this.hasBlob(at.repository, at.ref, key, signal);
    }
    async hasBlob(repository, digest, key, signal) {
        const res = await this.call(`head ${key}`, "HEAD", this.url(`${repository}/blobs/${digest}`), { scope: this.scope(repository) }, signal);
        if (res.status === 404)
            return false;
        if (!res.ok)
            return this.fail(`head ${key}`, res, signal);
        const size = Number(res.headers.get("content-length"));
        if (Number.isFinite(size))
            this.sizes.set(`${repository}@${digest}`, size);
        return true;
    }
    /** Upload session then one PUT with the digest (the spec's monolithic upload, in two steps). */
    async pushBlob(repository, digest, body, key, signal) {
        const what = `put ${key}`;
        const started = await this.call(what, "POST", this.url(`${repository}/blobs/uploads/`), { scope: this.scope(repository) }, signal);
        if (started.status !== 202)
            return this.fail(what, started, signal);
        await started.body?.cancel();
        const location = started.headers.get("location");
        if (!location)
            throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .RelayError */ .cx("input", `${this.display}: ${what}: the registry gave no upload location`);
        const target = new URL(location, this.url(""));
        target.searchParams.set("digest", digest);
        const done = await this.call(what, "PUT", target.toString(), { body, headers: { "content-type": "application/octet-stream" }, scope: this.scope(repository) }, signal);
        if (done.status !== 201)
            return this.fail(what, done, signal);
        await done.body?.cancel();
        this.sizes.set(`${repository}@${digest}`, body.length);
    }
    async putIfAbsent(key, body, signal) {
        const at = this.place(key);
        if (at.kind === "probe")
            return true;
        if (at.kind === "tag") {
            if ((await this.getManifest(at, key, signal)) !== null)
                return false;
            await this.put(key, body, signal);
            return true;
        }
        if (await this.hasBlob(at.repository, at.ref, key, signal))
            return false;
        // Content-addressed: a concurrent writer of the same digest stores the same bytes.
        await this.pushBlob(at.repository, at.ref, body, key, signal);
        return true;
    }
    async put(key, body, signal) {
        const at = this.place(key);
        if (at.kind === "probe")
            return;
        if (at.kind === "archive") {
            await this.pushBlob(at.repository, at.ref, body, key, signal);
            return;
        }
        await this.putManifest(at, key, body, signal);
    }
    /** Tags `at.ref` with a manifest whose layer is the state's archive; returns its digest. */
    async putManifest(at, key, state, signal) {
        const parsed = (0,_manifest__WEBPACK_IMPORTED_MODULE_3__/* .parseManifest */ .Ng)(state, `${this.display} ${key}`);
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
        if (!this.sizes.has(sizeKey))
            await this.hasBlob(at.repository, parsed.digest, key, signal);
        const size = this.sizes.get(sizeKey);
        if (size === undefined) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .RelayError */ .cx("integrity", `${this.display}: ${key}: archive ${parsed.digest} is not in ${at.repository}`);
        }
        const manifest = new TextEncoder().encode(JSON.stringify({
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
        }));
        const what = `put ${key}`;
        const res = await this.call(what, "PUT", this.url(`${at.repository}/manifests/${at.ref}`), { body: manifest, headers: { "content-type": OCI_MANIFEST }, scope: this.scope(at.repository) }, signal);
        if (res.status !== 201)
            return this.fail(what, res, signal);
        await res.body?.cancel();
        return sha256(manifest);
    }
    /**
     * No compare-and-swap exists for tags: check, write, wait, read back (see the top of this file).
     * False when the tag moved under us before the write or was overwritten after it.
     */
    async putIfMatch(key, body, expected, signal) {
        const at = this.place(key);
        if (at.kind !== "tag")
            return this.putIfAbsent(key, body, signal);
        const before = await this.getManifest(at, key, signal);
        if ((before?.digest ?? null) !== expected)
            return false;
        const ours = await this.putManifest(at, key, body, signal);
        await new Promise((resolve) => setTimeout(resolve, READ_BACK_DELAY_MS));
        const after = await this.getManifest(at, key, signal);
        return after?.digest === ours;
    }
    async casCaveat() {
        return OCI_CAS_NOTE;
    }
}


/***/ })

};
