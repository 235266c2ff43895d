export const id = 541;
export const ids = [541];
export const modules = {

/***/ 34541:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AzureStore: () => (/* binding */ AzureStore),
/* harmony export */   azureContainer: () => (/* binding */ azureContainer)
/* harmony export */ });
/* harmony import */ var _azure_storage_blob__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(56568);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(37638);
/* harmony import */ var _blob__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(98631);
/* harmony import */ var _fail__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(97672);
// The azblob replica's store: @azure/storage-blob. Credentials, first found wins:
// AZURE_STORAGE_CONNECTION_STRING (e.g. Azurite, or a key from the portal), then
// ?storage_account= (or AZURE_STORAGE_ACCOUNT) with AZURE_STORAGE_KEY, then @azure/identity's
// DefaultAzureCredential (env service principal, workload identity, `az login`: what azure/login
// with OIDC leaves behind), loaded only then. `latest` is compare-and-swap with ETag
// If-Match / If-None-Match: * (Azure answers 412 ConditionNotMet / 409 BlobAlreadyExists).




async function azureContainer(loc, display, env = process.env) {
    // The relay retries whole targets within their deadline; SDK retries would multiply timeouts.
    const options = { retryOptions: { maxTries: 1 } };
    const connection = env.AZURE_STORAGE_CONNECTION_STRING;
    if (connection) {
        try {
            return _azure_storage_blob__WEBPACK_IMPORTED_MODULE_0__/* .BlobServiceClient */ .wS.fromConnectionString(connection, options).getContainerClient(loc.container);
        }
        catch {
            throw (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .configError */ .Fj)(`${display}: AZURE_STORAGE_CONNECTION_STRING is not a valid connection string`);
        }
    }
    const account = loc.account ?? env.AZURE_STORAGE_ACCOUNT;
    if (!account) {
        throw (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .configError */ .Fj)(`${display}: no storage account: add ?storage_account=<name> to the URL or set AZURE_STORAGE_ACCOUNT (or AZURE_STORAGE_CONNECTION_STRING)`);
    }
    const url = `https://${account}.blob.core.windows.net`;
    const key = env.AZURE_STORAGE_KEY;
    if (key) {
        return new _azure_storage_blob__WEBPACK_IMPORTED_MODULE_0__/* .BlobServiceClient */ .wS(url, new _azure_storage_blob__WEBPACK_IMPORTED_MODULE_0__/* .StorageSharedKeyCredential */ .Z3(account, key), options).getContainerClient(loc.container);
    }
    const { DefaultAzureCredential } = await Promise.all(/* import() */[__webpack_require__.e(88), __webpack_require__.e(324), __webpack_require__.e(952)]).then(__webpack_require__.bind(__webpack_require__, 23952));
    return new _azure_storage_blob__WEBPACK_IMPORTED_MODULE_0__/* .BlobServiceClient */ .wS(url, new DefaultAzureCredential(), options).getContainerClient(loc.container);
}
const failure = (err) => err instanceof _azure_storage_blob__WEBPACK_IMPORTED_MODULE_0__/* .RestError */ .pj ? { status: err.statusCode, code: err.code, err } : { err };
async function readAll(stream) {
    if (!stream)
        return new Uint8Array();
    const chunks = [];
    for await (const chunk of stream)
        chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
}
class AzureStore {
    container;
    loc;
    display;
    constructor(container, loc, display) {
        this.container = container;
        this.loc = loc;
        this.display = display;
    }
    blob = (key) => this.container.getBlockBlobClient(`${this.loc.prefix}${key}`);
    error(op, key, err, signal) {
        const f = failure(err);
        if (f.code === "ContainerNotFound")
            return (0,_fail__WEBPACK_IMPORTED_MODULE_3__/* .storeError */ .gl)(`${this.display}: container does not exist`, f, signal);
        return (0,_fail__WEBPACK_IMPORTED_MODULE_3__/* .storeError */ .gl)(`${this.display}: ${op} ${key}`, f, signal);
    }
    async list(folder, signal) {
        const prefix = `${this.loc.prefix}${folder}`;
        const names = [];
        try {
            for await (const item of this.container.listBlobsByHierarchy("/", { prefix, abortSignal: signal })) {
                if (item.kind === "blob")
                    names.push(item.name.slice(prefix.length));
            }
        }
        catch (err) {
            if (!signal.aborted && err instanceof _azure_storage_blob__WEBPACK_IMPORTED_MODULE_0__/* .RestError */ .pj && err.statusCode === 404)
                return names;
            throw this.error("list", folder, err, signal);
        }
        return names;
    }
    async get(key, signal) {
        try {
            const res = await this.blob(key).download(0, undefined, { abortSignal: signal });
            return { body: await readAll(res.readableStreamBody), etag: res.etag ?? "" };
        }
        catch (err) {
            if (!signal.aborted && err instanceof _azure_storage_blob__WEBPACK_IMPORTED_MODULE_0__/* .RestError */ .pj && err.code === "BlobNotFound")
                return null;
            throw this.error("get", key, err, signal);
        }
    }
    async exists(key, signal) {
        try {
            await this.blob(key).getProperties({ abortSignal: signal });
            return true;
        }
        catch (err) {
            // A HEAD has no body, so no error code: 404 on the blob or its container look alike.
            if (!signal.aborted && err instanceof _azure_storage_blob__WEBPACK_IMPORTED_MODULE_0__/* .RestError */ .pj && err.statusCode === 404)
                return false;
            throw this.error("head", key, err, signal);
        }
    }
    put(key, body, signal) {
        return this.upload(key, body, undefined, signal).then(() => undefined);
    }
    putIfAbsent(key, body, signal) {
        return this.upload(key, body, { ifNoneMatch: "*" }, signal);
    }
    putIfMatch(key, body, expected, signal) {
        return this.upload(key, body, expected === null ? { ifNoneMatch: "*" } : { ifMatch: expected }, signal);
    }
    /** False when the condition did not hold (412 ConditionNotMet, 409 BlobAlreadyExists). */
    async upload(key, body, conditions, signal) {
        const blob = this.blob(key);
        const blobHTTPHeaders = {
            blobContentType: key.endsWith(".json") ? "application/json" : "application/x-tar",
        };
        try {
            if (body.length > _blob__WEBPACK_IMPORTED_MODULE_2__/* .MULTIPART_BYTES */ .p) {
                // Blocks of 8 MiB, 4 at a time; the condition applies to the final commit.
                await blob.uploadData(body, {
                    blockSize: 8 * 1024 * 1024,
                    concurrency: 4,
                    maxSingleShotSize: _blob__WEBPACK_IMPORTED_MODULE_2__/* .MULTIPART_BYTES */ .p,
                    blobHTTPHeaders,
                    ...(conditions ? { conditions } : {}),
                    abortSignal: signal,
                });
            }
            else {
                await blob.upload(body, body.length, {
                    blobHTTPHeaders,
                    ...(conditions ? { conditions } : {}),
                    abortSignal: signal,
                });
            }
            return true;
        }
        catch (err) {
            const status = err instanceof _azure_storage_blob__WEBPACK_IMPORTED_MODULE_0__/* .RestError */ .pj ? err.statusCode : undefined;
            if (!signal.aborted && conditions && (status === 412 || status === 409))
                return false;
            throw this.error("put", key, err, signal);
        }
    }
}


/***/ }),

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


/***/ })

};
