export const id = 689;
export const ids = [689];
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

/***/ 83689:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GcsStore: () => (/* binding */ GcsStore),
/* harmony export */   gcsBucket: () => (/* binding */ gcsBucket)
/* harmony export */ });
/* harmony import */ var _google_cloud_storage__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73665);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(37638);
/* harmony import */ var _fail__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(97672);



function gcsBucket(loc, callTimeoutMs, extra = {}) {
    const storage = new _google_cloud_storage__WEBPACK_IMPORTED_MODULE_0__/* .Storage */ .wc({
        // The relay retries whole targets within their deadline; SDK retries would multiply timeouts.
        retryOptions: { autoRetry: false, maxRetries: 0 },
        // The SDK takes no AbortSignal: this bounds a request the relay has given up on.
        timeout: callTimeoutMs,
        ...extra,
    });
    return storage.bucket(loc.bucket);
}
function failure(err) {
    const e = err;
    const status = typeof e.code === "number" ? e.code : undefined;
    return {
        ...(status ? { status } : {}),
        ...(e.errors?.[0]?.reason ? { code: e.errors[0].reason } : {}),
        err,
    };
}
const isNoCredentials = (err) => /could not load the default credentials|Unable to detect a Project Id/i.test(err.message ?? "");
class GcsStore {
    bucket;
    loc;
    display;
    constructor(bucket, loc, display) {
        this.bucket = bucket;
        this.loc = loc;
        this.display = display;
    }
    file = (key) => this.bucket.file(`${this.loc.prefix}${key}`);
    error(op, key, err, signal) {
        if (!signal.aborted && isNoCredentials(err)) {
            return (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .configError */ .Fj)(`${this.display}: no Google Cloud credentials (run google-github-actions/auth, set GOOGLE_APPLICATION_CREDENTIALS, or gcloud auth application-default login)`);
        }
        // The client checks the bytes it read against the CRC32C/MD5 GCS states for the object.
        if (!signal.aborted && err.code === "CONTENT_DOWNLOAD_MISMATCH") {
            return new _errors__WEBPACK_IMPORTED_MODULE_1__/* .RelayError */ .cx("integrity", `${this.display}: ${op} ${key}: content does not match its stored checksum`);
        }
        const f = failure(err);
        if (f.status === 404 && /bucket/i.test(err.message ?? "")) {
            return (0,_fail__WEBPACK_IMPORTED_MODULE_2__/* .storeError */ .gl)(`${this.display}: bucket does not exist`, f, signal);
        }
        return (0,_fail__WEBPACK_IMPORTED_MODULE_2__/* .storeError */ .gl)(`${this.display}: ${op} ${key}`, f, signal);
    }
    async list(folder, signal) {
        const prefix = `${this.loc.prefix}${folder}`;
        try {
            const [files] = await (0,_fail__WEBPACK_IMPORTED_MODULE_2__/* .untilAborted */ .Eu)(signal, this.bucket.getFiles({ prefix, delimiter: "/", autoPaginate: true }));
            return files.map((f) => f.name.slice(prefix.length));
        }
        catch (err) {
            throw this.error("list", folder, err, signal);
        }
    }
    async get(key, signal) {
        try {
            const read = new Promise((resolve, reject) => {
                let generation = "";
                const chunks = [];
                const stream = this.file(key).createReadStream();
                stream.on("response", (res) => {
                    generation = res.headers["x-goog-generation"] ?? "";
                });
                stream.on("data", (chunk) => chunks.push(chunk));
                stream.on("error", reject);
                stream.on("end", () => resolve({ body: Buffer.concat(chunks), etag: generation }));
            });
            // Not destroyed on abort: the SDK would then report the request's own timeout as an uncaught
            // error. It ends by itself within the client's timeout, its error handled here.
            return await (0,_fail__WEBPACK_IMPORTED_MODULE_2__/* .untilAborted */ .Eu)(signal, read);
        }
        catch (err) {
            if (!signal.aborted &&
                err.code === 404 &&
                !/bucket/i.test(err.message ?? "")) {
                return null;
            }
            throw this.error("get", key, err, signal);
        }
    }
    async exists(key, signal) {
        try {
            const [found] = await (0,_fail__WEBPACK_IMPORTED_MODULE_2__/* .untilAborted */ .Eu)(signal, this.file(key).exists());
            return found;
        }
        catch (err) {
            throw this.error("head", key, err, signal);
        }
    }
    async put(key, body, signal) {
        await this.upload(key, body, undefined, signal);
    }
    putIfAbsent(key, body, signal) {
        return this.upload(key, body, 0, signal);
    }
    putIfMatch(key, body, expected, signal) {
        return this.upload(key, body, expected === null ? 0 : expected, signal);
    }
    /** False when the generation precondition did not hold (412). */
    async upload(key, body, ifGenerationMatch, signal) {
        try {
            await (0,_fail__WEBPACK_IMPORTED_MODULE_2__/* .untilAborted */ .Eu)(signal, this.file(key).save(Buffer.from(body.buffer, body.byteOffset, body.length), {
                // One multipart request (GCS takes up to 5 TiB so): no resumable session to leave behind.
                resumable: false,
                contentType: key.endsWith(".json") ? "application/json" : "application/x-tar",
                ...(ifGenerationMatch !== undefined ? { preconditionOpts: { ifGenerationMatch } } : {}),
            }));
            return true;
        }
        catch (err) {
            if (!signal.aborted && ifGenerationMatch !== undefined && err.code === 412)
                return false;
            throw this.error("put", key, err, signal);
        }
    }
}


/***/ })

};
