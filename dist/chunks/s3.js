export const id = 710;
export const ids = [710];
export const modules = {

/***/ 22358:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { PutObjectCommand, ChecksumAlgorithm, CreateMultipartUploadCommand, AbortMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, PutObjectTaggingCommand } = __webpack_require__(53711);
const { toEndpointV1, getEndpointFromInstructions } = __webpack_require__(62085);
const { extendedEncodeURIComponent } = __webpack_require__(93422);
const { EventEmitter } = __webpack_require__(24434);
const { Buffer } = __webpack_require__(20181);
const { statSync, ReadStream } = __webpack_require__(73024);
const { Readable } = __webpack_require__(2203);

const runtimeConfigShared = {
    statSync: () => { },
    isFileReadStream(f) {
        return false;
    },
};

const runtimeConfig = {
    ...runtimeConfigShared,
    runtime: "node",
    statSync,
    isFileReadStream(f) {
        return f instanceof ReadStream;
    },
};

const byteLength = (input) => {
    if (input == null) {
        return 0;
    }
    if (typeof input === "string") {
        return Buffer.byteLength(input);
    }
    if (typeof input.byteLength === "number") {
        return input.byteLength;
    }
    else if (typeof input.length === "number") {
        return input.length;
    }
    else if (typeof input.size === "number") {
        return input.size;
    }
    else if (typeof input.start === "number" && typeof input.end === "number") {
        return input.end + 1 - input.start;
    }
    else if (runtimeConfig.isFileReadStream(input)) {
        try {
            return runtimeConfig.statSync(input.path).size;
        }
        catch (error) {
            return undefined;
        }
    }
    return undefined;
};

var BYTE_LENGTH_SOURCE;
(function (BYTE_LENGTH_SOURCE) {
    BYTE_LENGTH_SOURCE["EMPTY_INPUT"] = "a null or undefined Body";
    BYTE_LENGTH_SOURCE["CONTENT_LENGTH"] = "the ContentLength property of the params set by the caller";
    BYTE_LENGTH_SOURCE["STRING_LENGTH"] = "the encoded byte length of the Body string";
    BYTE_LENGTH_SOURCE["TYPED_ARRAY"] = "the byteLength of a typed byte array such as Uint8Array";
    BYTE_LENGTH_SOURCE["LENGTH"] = "the value of Body.length";
    BYTE_LENGTH_SOURCE["SIZE"] = "the value of Body.size";
    BYTE_LENGTH_SOURCE["START_END_DIFF"] = "the numeric difference between Body.start and Body.end";
    BYTE_LENGTH_SOURCE["STAT"] = "the size of the file given by Body.path on disk as reported by statSync";
})(BYTE_LENGTH_SOURCE || (BYTE_LENGTH_SOURCE = {}));
const byteLengthSource = (input, override) => {
    if (override != null) {
        return BYTE_LENGTH_SOURCE.CONTENT_LENGTH;
    }
    if (input == null) {
        return BYTE_LENGTH_SOURCE.EMPTY_INPUT;
    }
    if (typeof input === "string") {
        return BYTE_LENGTH_SOURCE.STRING_LENGTH;
    }
    if (typeof input.byteLength === "number") {
        return BYTE_LENGTH_SOURCE.TYPED_ARRAY;
    }
    else if (typeof input.length === "number") {
        return BYTE_LENGTH_SOURCE.LENGTH;
    }
    else if (typeof input.size === "number") {
        return BYTE_LENGTH_SOURCE.SIZE;
    }
    else if (typeof input.start === "number" && typeof input.end === "number") {
        return BYTE_LENGTH_SOURCE.START_END_DIFF;
    }
    else if (runtimeConfig.isFileReadStream(input)) {
        try {
            runtimeConfig.statSync(input.path).size;
            return BYTE_LENGTH_SOURCE.STAT;
        }
        catch (error) {
            return undefined;
        }
    }
    return undefined;
};

async function* getChunkStream(data, partSize, getNextData) {
    let partNumber = 1;
    const currentBuffer = { chunks: [], length: 0 };
    for await (const datum of getNextData(data)) {
        currentBuffer.chunks.push(datum);
        currentBuffer.length += datum.byteLength;
        while (currentBuffer.length > partSize) {
            const dataChunk = currentBuffer.chunks.length > 1 ? Buffer.concat(currentBuffer.chunks) : currentBuffer.chunks[0];
            yield {
                partNumber,
                data: dataChunk.subarray(0, partSize),
            };
            currentBuffer.chunks = [dataChunk.subarray(partSize)];
            currentBuffer.length = currentBuffer.chunks[0].byteLength;
            partNumber += 1;
        }
    }
    yield {
        partNumber,
        data: currentBuffer.chunks.length !== 1 ? Buffer.concat(currentBuffer.chunks) : currentBuffer.chunks[0],
        lastPart: true,
    };
}

async function* getChunkUint8Array(data, partSize) {
    let partNumber = 1;
    let startByte = 0;
    let endByte = partSize;
    while (endByte < data.byteLength) {
        yield {
            partNumber,
            data: data.subarray(startByte, endByte),
        };
        partNumber += 1;
        startByte = endByte;
        endByte = startByte + partSize;
    }
    yield {
        partNumber,
        data: data.subarray(startByte),
        lastPart: true,
    };
}

async function* getDataReadable(data) {
    for await (const chunk of data) {
        if (Buffer.isBuffer(chunk) || chunk instanceof Uint8Array) {
            yield chunk;
        }
        else {
            yield Buffer.from(chunk);
        }
    }
}

async function* getDataReadableStream(data) {
    const reader = data.getReader();
    try {
        while (true) {
            const { done, value } = await reader.read();
            if (done) {
                return;
            }
            if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
                yield value;
            }
            else {
                yield Buffer.from(value);
            }
        }
    }
    catch (e) {
        throw e;
    }
    finally {
        reader.releaseLock();
    }
}

const getChunk = (data, partSize) => {
    if (data instanceof Uint8Array) {
        return getChunkUint8Array(data, partSize);
    }
    if (data instanceof Readable) {
        return getChunkStream(data, partSize, getDataReadable);
    }
    if (data instanceof String || typeof data === "string") {
        return getChunkUint8Array(Buffer.from(data), partSize);
    }
    if (typeof data.stream === "function") {
        return getChunkStream(data.stream(), partSize, getDataReadableStream);
    }
    if (data instanceof ReadableStream) {
        return getChunkStream(data, partSize, getDataReadableStream);
    }
    throw new Error("Body Data is unsupported format, expected data to be one of: string | Uint8Array | Buffer | Readable | ReadableStream | Blob;.");
};

class Upload extends EventEmitter {
    static MIN_PART_SIZE = 1024 * 1024 * 5;
    MAX_PARTS = 10_000;
    queueSize = 4;
    partSize;
    leavePartsOnError = false;
    tags = [];
    client;
    params;
    totalBytes;
    totalBytesSource;
    bytesUploadedSoFar;
    abortController;
    concurrentUploaders = [];
    createMultiPartPromise;
    abortMultipartUploadCommand = null;
    uploadedParts = [];
    uploadEnqueuedPartsCount = 0;
    expectedPartsCount;
    uploadId;
    uploadEvent;
    isMultiPart = true;
    singleUploadResult;
    sent = false;
    constructor(options) {
        super();
        this.queueSize = options.queueSize || this.queueSize;
        this.leavePartsOnError = options.leavePartsOnError || this.leavePartsOnError;
        this.tags = options.tags || this.tags;
        this.client = options.client;
        this.params = options.params;
        if (!this.params) {
            throw new Error(`InputError: Upload requires params to be passed to upload.`);
        }
        this.totalBytes = this.params.ContentLength ?? byteLength(this.params.Body);
        this.totalBytesSource = byteLengthSource(this.params.Body, this.params.ContentLength);
        this.bytesUploadedSoFar = 0;
        this.abortController = options.abortController ?? new AbortController();
        this.partSize =
            options.partSize || Math.max(Upload.MIN_PART_SIZE, Math.ceil((this.totalBytes || 0) / this.MAX_PARTS));
        if (this.totalBytes !== undefined) {
            this.expectedPartsCount = Math.ceil(this.totalBytes / this.partSize);
        }
        this.__validateInput();
    }
    async abort() {
        this.abortController.abort();
    }
    async done() {
        if (this.sent) {
            throw new Error("@aws-sdk/lib-storage: this instance of Upload has already executed .done(). Create a new instance.");
        }
        this.sent = true;
        return await Promise.race([this.__doMultipartUpload(), this.__abortTimeout(this.abortController.signal)]);
    }
    on(event, listener) {
        this.uploadEvent = event;
        return super.on(event, listener);
    }
    async __uploadUsingPut(dataPart) {
        this.isMultiPart = false;
        const params = { ...this.params, Body: dataPart.data };
        const clientConfig = this.client.config;
        const requestHandler = clientConfig.requestHandler;
        const eventEmitter = requestHandler instanceof EventEmitter ? requestHandler : null;
        const uploadEventListener = (event) => {
            this.bytesUploadedSoFar = event.loaded;
            this.totalBytes = event.total;
            this.__notifyProgress({
                loaded: this.bytesUploadedSoFar,
                total: this.totalBytes,
                part: dataPart.partNumber,
                Key: this.params.Key,
                Bucket: this.params.Bucket,
            });
        };
        if (eventEmitter !== null) {
            eventEmitter.on("xhr.upload.progress", uploadEventListener);
        }
        const resolved = await Promise.all([this.client.send(new PutObjectCommand(params)), clientConfig?.endpoint?.()]);
        const putResult = resolved[0];
        let endpoint = resolved[1];
        if (!endpoint) {
            endpoint = toEndpointV1(await getEndpointFromInstructions(params, PutObjectCommand, {
                ...clientConfig,
            }));
        }
        if (!endpoint) {
            throw new Error('Could not resolve endpoint from S3 "client.config.endpoint()" nor EndpointsV2.');
        }
        if (eventEmitter !== null) {
            eventEmitter.off("xhr.upload.progress", uploadEventListener);
        }
        const locationKey = this.params
            .Key.split("/")
            .map((segment) => extendedEncodeURIComponent(segment))
            .join("/");
        const locationBucket = extendedEncodeURIComponent(this.params.Bucket);
        const Location = (() => {
            const endpointHostnameIncludesBucket = endpoint.hostname.startsWith(`${locationBucket}.`);
            const forcePathStyle = this.client.config.forcePathStyle;
            const optionalPort = endpoint.port ? `:${endpoint.port}` : ``;
            if (forcePathStyle) {
                return `${endpoint.protocol}//${endpoint.hostname}${optionalPort}/${locationBucket}/${locationKey}`;
            }
            if (endpointHostnameIncludesBucket) {
                return `${endpoint.protocol}//${endpoint.hostname}${optionalPort}/${locationKey}`;
            }
            return `${endpoint.protocol}//${locationBucket}.${endpoint.hostname}${optionalPort}/${locationKey}`;
        })();
        this.singleUploadResult = {
            ...putResult,
            Bucket: this.params.Bucket,
            Key: this.params.Key,
            Location,
        };
        const totalSize = byteLength(dataPart.data);
        this.__notifyProgress({
            loaded: totalSize,
            total: totalSize,
            part: 1,
            Key: this.params.Key,
            Bucket: this.params.Bucket,
        });
    }
    async __createMultipartUpload() {
        const requestChecksumCalculation = await this.client.config.requestChecksumCalculation();
        if (!this.createMultiPartPromise) {
            const createCommandParams = { ...this.params, Body: undefined };
            if (requestChecksumCalculation === "WHEN_SUPPORTED") {
                createCommandParams.ChecksumAlgorithm = this.params.ChecksumAlgorithm || ChecksumAlgorithm.CRC32;
            }
            this.createMultiPartPromise = this.client
                .send(new CreateMultipartUploadCommand(createCommandParams))
                .then((createMpuResponse) => {
                this.abortMultipartUploadCommand = new AbortMultipartUploadCommand({
                    Bucket: this.params.Bucket,
                    Key: this.params.Key,
                    UploadId: createMpuResponse.UploadId,
                });
                return createMpuResponse;
            });
        }
        return this.createMultiPartPromise;
    }
    async __doConcurrentUpload(dataFeeder) {
        for await (const dataPart of dataFeeder) {
            if (this.uploadEnqueuedPartsCount > this.MAX_PARTS) {
                throw new Error(`Exceeded ${this.MAX_PARTS} parts in multipart upload to Bucket: ${this.params.Bucket} Key: ${this.params.Key}.`);
            }
            if (this.abortController.signal.aborted) {
                return;
            }
            if (dataPart.partNumber === 1 && dataPart.lastPart) {
                return await this.__uploadUsingPut(dataPart);
            }
            if (!this.uploadId) {
                const { UploadId } = await this.__createMultipartUpload();
                this.uploadId = UploadId;
                if (this.abortController.signal.aborted) {
                    return;
                }
            }
            const partSize = byteLength(dataPart.data) || 0;
            const requestHandler = this.client.config.requestHandler;
            const eventEmitter = requestHandler instanceof EventEmitter ? requestHandler : null;
            let lastSeenBytes = 0;
            const uploadEventListener = (event, request) => {
                const requestPartSize = Number(request.query["partNumber"]) || -1;
                if (requestPartSize !== dataPart.partNumber) {
                    return;
                }
                if (event.total && partSize) {
                    this.bytesUploadedSoFar += event.loaded - lastSeenBytes;
                    lastSeenBytes = event.loaded;
                }
                this.__notifyProgress({
                    loaded: this.bytesUploadedSoFar,
                    total: this.totalBytes,
                    part: dataPart.partNumber,
                    Key: this.params.Key,
                    Bucket: this.params.Bucket,
                });
            };
            if (eventEmitter !== null) {
                eventEmitter.on("xhr.upload.progress", uploadEventListener);
            }
            this.uploadEnqueuedPartsCount += 1;
            this.__validateUploadPart(dataPart);
            const partResult = await this.client.send(new UploadPartCommand({
                ...this.params,
                ContentLength: undefined,
                UploadId: this.uploadId,
                Body: dataPart.data,
                PartNumber: dataPart.partNumber,
            }));
            if (eventEmitter !== null) {
                eventEmitter.off("xhr.upload.progress", uploadEventListener);
            }
            if (this.abortController.signal.aborted) {
                return;
            }
            if (!partResult.ETag) {
                throw new Error(`Part ${dataPart.partNumber} is missing ETag in UploadPart response. Missing Bucket CORS configuration for ETag header?`);
            }
            this.uploadedParts.push({
                PartNumber: dataPart.partNumber,
                ETag: partResult.ETag,
                ...(partResult.ChecksumCRC32 && { ChecksumCRC32: partResult.ChecksumCRC32 }),
                ...(partResult.ChecksumCRC32C && { ChecksumCRC32C: partResult.ChecksumCRC32C }),
                ...(partResult.ChecksumCRC64NVME && { ChecksumCRC64NVME: partResult.ChecksumCRC64NVME }),
                ...(partResult.ChecksumSHA1 && { ChecksumSHA1: partResult.ChecksumSHA1 }),
                ...(partResult.ChecksumSHA256 && { ChecksumSHA256: partResult.ChecksumSHA256 }),
            });
            if (eventEmitter === null) {
                this.bytesUploadedSoFar += partSize;
            }
            this.__notifyProgress({
                loaded: this.bytesUploadedSoFar,
                total: this.totalBytes,
                part: dataPart.partNumber,
                Key: this.params.Key,
                Bucket: this.params.Bucket,
            });
        }
    }
    async __doMultipartUpload() {
        const dataFeeder = getChunk(this.params.Body, this.partSize);
        const concurrentUploaderFailures = [];
        for (let index = 0; index < this.queueSize; index++) {
            const currentUpload = this.__doConcurrentUpload(dataFeeder).catch((err) => {
                concurrentUploaderFailures.push(err);
            });
            this.concurrentUploaders.push(currentUpload);
        }
        await Promise.all(this.concurrentUploaders);
        if (concurrentUploaderFailures.length >= 1) {
            await this.markUploadAsAborted();
            throw concurrentUploaderFailures[0];
        }
        if (this.abortController.signal.aborted) {
            await this.markUploadAsAborted();
            throw Object.assign(new Error("Upload aborted."), { name: "AbortError" });
        }
        let result;
        if (this.isMultiPart) {
            const { expectedPartsCount, uploadedParts, totalBytes, totalBytesSource } = this;
            if (totalBytes !== undefined && expectedPartsCount !== undefined && uploadedParts.length !== expectedPartsCount) {
                await this.markUploadAsAborted();
                throw new Error(`Expected ${expectedPartsCount} part(s) but uploaded ${uploadedParts.length} part(s).
The expected part count is based on the byte-count of the input.params.Body,
which was read from ${totalBytesSource} and is ${totalBytes}.
If this is not correct, provide an override value by setting a number
to input.params.ContentLength in bytes.
`);
            }
            this.uploadedParts.sort((a, b) => a.PartNumber - b.PartNumber);
            const uploadCompleteParams = {
                ...this.params,
                Body: undefined,
                UploadId: this.uploadId,
                MultipartUpload: {
                    Parts: this.uploadedParts,
                },
            };
            try {
                result = await this.client.send(new CompleteMultipartUploadCommand(uploadCompleteParams));
            }
            catch (e) {
                await this.markUploadAsAborted().catch((abortError) => {
                    if (e instanceof Error && e.cause === undefined) {
                        e.cause = abortError;
                    }
                });
                throw e;
            }
            if (typeof result?.Location === "string" && result.Location.includes("%2F")) {
                result.Location = result.Location.replace(/%2F/g, "/");
            }
        }
        else {
            result = this.singleUploadResult;
        }
        this.abortMultipartUploadCommand = null;
        if (this.tags.length) {
            await this.client.send(new PutObjectTaggingCommand({
                ...this.params,
                Tagging: {
                    TagSet: this.tags,
                },
            }));
        }
        return result;
    }
    async markUploadAsAborted() {
        if (this.uploadId && !this.leavePartsOnError && null !== this.abortMultipartUploadCommand) {
            await this.client.send(this.abortMultipartUploadCommand);
            this.abortMultipartUploadCommand = null;
        }
    }
    __notifyProgress(progress) {
        if (this.uploadEvent) {
            this.emit(this.uploadEvent, progress);
        }
    }
    async __abortTimeout(abortSignal) {
        return new Promise((resolve, reject) => {
            abortSignal.onabort = () => {
                const abortError = new Error("Upload aborted.");
                abortError.name = "AbortError";
                reject(abortError);
            };
        });
    }
    __validateUploadPart(dataPart) {
        const actualPartSize = byteLength(dataPart.data);
        if (actualPartSize === undefined) {
            throw new Error(`A dataPart was generated without a measurable data chunk size for part number ${dataPart.partNumber}`);
        }
        if (dataPart.partNumber === 1 && dataPart.lastPart) {
            return;
        }
        if (!dataPart.lastPart && actualPartSize !== this.partSize) {
            throw new Error(`The byte size for part number ${dataPart.partNumber}, size ${actualPartSize} does not match expected size ${this.partSize}`);
        }
    }
    __validateInput() {
        if (!this.client) {
            throw new Error(`InputError: Upload requires a AWS client to do uploads with.`);
        }
        if (this.partSize < Upload.MIN_PART_SIZE) {
            throw new Error(`EntityTooSmall: Your proposed upload part size [${this.partSize}] is smaller than the minimum allowed size [${Upload.MIN_PART_SIZE}] (5MB)`);
        }
        if (this.queueSize < 1) {
            throw new Error(`Queue size: Must have at least one uploading queue.`);
        }
    }
}

exports._ = Upload;


/***/ }),

/***/ 77710:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CAS_NOTES: () => (/* binding */ CAS_NOTES),
/* harmony export */   S3Store: () => (/* binding */ S3Store),
/* harmony export */   isUnsupportedCondition: () => (/* binding */ isUnsupportedCondition),
/* harmony export */   s3ClientConfig: () => (/* binding */ s3ClientConfig),
/* harmony export */   s3Error: () => (/* binding */ s3Error)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(53711);
/* harmony import */ var _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(22358);
/* harmony import */ var _dir_archive__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(94607);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(37638);
/* harmony import */ var _blob__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(98631);
// The s3 replica's store: AWS SDK v3 with the default credential chain. Archives use If-None-Match
// (multipart above MULTIPART_BYTES), `latest` uses If-Match compare-and-swap: S3 and compatible
// stores that honour conditional writes never lose an update.
//
// Stores without conditional writes (docs/relay.md: "say so in the result and degrade to
// last-writer-wins") come in two kinds:
// - Those that REJECT the headers. AWS answers 501 NotImplemented ("A header you provided implies
//   functionality that is not implemented") to a condition it does not implement, and so do other
//   S3 implementations (e.g. Versity); older servers may answer 400 InvalidArgument/InvalidRequest
//   naming the header. Such a write is sent again without the condition, and the store is
//   remembered (per endpoint and bucket, per process) as "rejected".
// - Those that silently IGNORE them (s3rver, some gateways). Only a probe tells: once per endpoint
//   and bucket per process, when a push is about to move `latest`, PUT If-None-Match: * on a small
//   scratch key under the repo prefix (`<repo>/.probe/conditional-writes`, outside archives/,
//   versions/ and tags/, so no reader ever follows it). Once the key exists that PUT must fail with
//   412; if it succeeds the store ignores conditions. Cost: one small PUT per process (two the
//   first time ever), run concurrently with the push's first reads, so no added round trip.
// Either way the push result carries CAS_NOTES[...] on that target.





/** Archives above MULTIPART_BYTES go up in parts (lib-storage), 8 MiB each, 4 at a time. */
const PART_BYTES = 8 * 1024 * 1024;
function s3ClientConfig(loc, connectMs) {
    const config = {
        forcePathStyle: loc.forcePathStyle,
        // The relay retries whole targets within their deadline; SDK retries would multiply timeouts.
        maxAttempts: 1,
        requestHandler: { connectionTimeout: connectMs },
    };
    if (loc.region)
        config.region = loc.region;
    else if (loc.endpoint)
        config.region = "us-east-1";
    if (loc.endpoint) {
        config.endpoint = loc.endpoint;
        // S3-compatible servers mishandle the SDK's default streamed checksums (docs/architecture.md, "Tests against real parts").
        config.requestChecksumCalculation = "WHEN_REQUIRED";
        config.responseChecksumValidation = "WHEN_REQUIRED";
    }
    if (loc.profile)
        config.profile = loc.profile;
    return config;
}
function statusOf(err) {
    return err.$metadata?.httpStatusCode;
}
const NETWORK_CODES = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection reset",
    EPIPE: "connection reset",
    ENOTFOUND: "DNS lookup failed",
    EAI_AGAIN: "DNS lookup failed",
    ETIMEDOUT: "connect timeout",
    EHOSTUNREACH: "host unreachable",
};
/** Maps an SDK failure to a RelayError; the SDK's own messages never carry the secret key. */
function s3Error(display, op, key, err, signal) {
    if (err instanceof _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx)
        return err;
    if (signal.aborted) {
        const reason = signal.reason;
        return new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("unreachable", `${display}: ${op} ${key}: ${reason?.message ?? "aborted"}`);
    }
    const e = err;
    const where = `${display}: ${op} ${key}`;
    const network = NETWORK_CODES[e.code ?? ""] ?? (e.name === "TimeoutError" ? "connect timeout" : undefined);
    if (network)
        return new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("unreachable", `${where}: ${network}`);
    if (e.name === "CredentialsProviderError" || (/credential/i.test(e.message ?? "") && !statusOf(err))) {
        return new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("config", `${display}: no AWS credentials (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or a role)`);
    }
    if (/region is missing/i.test(e.message ?? "")) {
        return new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("config", `${display}: no AWS region: add ?region=<region> to the URL or set AWS_REGION`);
    }
    const status = statusOf(err);
    const code = err instanceof _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.S3ServiceException ? err.name : (e.name ?? "error");
    if (status === 401 || status === 403) {
        return new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("unauthorized", `${where}: access denied (${code}, HTTP ${status})`);
    }
    if (code === "NoSuchBucket")
        return new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("not-found", `${display}: bucket does not exist`);
    if (status === 404)
        return new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("not-found", `${where}: not found`);
    if (status !== undefined && (status >= 500 || status === 429)) {
        return new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("unreachable", `${where}: ${code} (HTTP ${status})`);
    }
    if (status !== undefined)
        return new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("input", `${where}: ${code} (HTTP ${status})`);
    return new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("unreachable", `${where}: ${e.message ?? code}`);
}
const isMissing = (err) => {
    const name = err.name;
    return name === "NoSuchKey" || name === "NotFound" || (statusOf(err) === 404 && name !== "NoSuchBucket");
};
/** A lost conditional write: 412 Precondition Failed, or 409 when another write of the key is in flight. */
const isLostRace = (err) => statusOf(err) === 412 || statusOf(err) === 409;
/**
 * The store refused a conditional write because it does not implement the condition: 501 (or the
 * NotImplemented code), or a 400 whose code is InvalidArgument/InvalidRequest/NotImplemented and
 * whose message names the header. Only asked of requests that carried a condition.
 */
function isUnsupportedCondition(err) {
    const status = statusOf(err);
    const e = err;
    const code = e.Code ?? e.name ?? "";
    if (status === 501 || code === "NotImplemented")
        return true;
    if (status !== 400 || !/^(InvalidArgument|InvalidRequest|NotImplemented)$/.test(code))
        return false;
    return /if-(none-)?match|conditional/i.test(`${e.message ?? ""} ${e.Header ?? ""}`);
}
const NO_CAS = "latest written without compare-and-swap: the store";
/** The per-target note when `latest` was written on a store without conditional writes. */
const CAS_NOTES = {
    rejected: `${NO_CAS} does not support conditional writes (last writer wins)`,
    ignored: `${NO_CAS} ignores conditional writes (last writer wins)`,
};
// Per process, per endpoint and bucket: stores known to reject conditions, and probe answers.
const rejecting = new Set();
const probes = new Map();
class S3Store {
    client;
    loc;
    display;
    maxBytes;
    constructor(client, loc, display, 
    /** No object the layout holds is larger than an archive may be: refuse more, unread. */
    maxBytes = _dir_archive__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_MAX_ARCHIVE_BYTES */ .m$) {
        this.client = client;
        this.loc = loc;
        this.display = display;
        this.maxBytes = maxBytes;
    }
    key = (key) => `${this.loc.prefix}${key}`;
    /** Identifies the store for the per-process memory of its conditional-write support. */
    get storeId() {
        return `${this.loc.endpoint ?? `aws:${this.loc.region ?? ""}`}|${this.loc.bucket}`;
    }
    /**
     * Undefined when `latest` writes are compare-and-swap here; else the note for the result. The
     * first call per store and process probes (see the top of this file); later calls are free.
     */
    async casCaveat(probeKey, signal) {
        if (rejecting.has(this.storeId))
            return CAS_NOTES.rejected;
        let probe = probes.get(this.storeId);
        if (!probe) {
            const started = this.probe(probeKey, signal);
            probe = started;
            probes.set(this.storeId, started);
            // A failed probe (timeout, network) decides nothing: the next push asks again.
            started.catch(() => {
                if (probes.get(this.storeId) === started)
                    probes.delete(this.storeId);
            });
        }
        const support = await probe;
        // A write may have met a rejection since the probe answered.
        if (rejecting.has(this.storeId))
            return CAS_NOTES.rejected;
        return support === "honoured" ? undefined : CAS_NOTES[support];
    }
    async probe(key, signal) {
        const body = new TextEncoder().encode('{"probe":"conditional writes"}\n');
        // The first attempt creates the key unless it exists; a store honouring If-None-Match must
        // then refuse the second (or already the first). A rejecting store is noted by send().
        for (let attempt = 0; attempt < 2; attempt++) {
            const created = await this.putIfAbsent(key, body, signal);
            if (rejecting.has(this.storeId))
                return "rejected";
            if (!created)
                return "honoured";
        }
        return "ignored";
    }
    async get(key, signal) {
        try {
            const out = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.GetObjectCommand({ Bucket: this.loc.bucket, Key: this.key(key) }), {
                abortSignal: signal,
            });
            const tooLarge = () => new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("integrity", `${this.display}: ${key} is larger than ${this.maxBytes} bytes; not read`);
            if ((out.ContentLength ?? 0) > this.maxBytes) {
                out.Body?.destroy?.();
                throw tooLarge();
            }
            // Content-Length can lie or be absent: count as the stream comes and cut it at the cap.
            const chunks = [];
            let size = 0;
            for await (const chunk of (out.Body ?? [])) {
                size += chunk.length;
                if (size > this.maxBytes) {
                    out.Body.destroy?.();
                    throw tooLarge();
                }
                chunks.push(chunk);
            }
            return { body: new Uint8Array(Buffer.concat(chunks)), etag: out.ETag ?? "" };
        }
        catch (err) {
            if (err instanceof _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx)
                throw err;
            if (!signal.aborted && isMissing(err))
                return null;
            throw s3Error(this.display, "get", key, err, signal);
        }
    }
    async exists(key, signal) {
        try {
            await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.HeadObjectCommand({ Bucket: this.loc.bucket, Key: this.key(key) }), {
                abortSignal: signal,
            });
            return true;
        }
        catch (err) {
            if (!signal.aborted && isMissing(err))
                return false;
            throw s3Error(this.display, "head", key, err, signal);
        }
    }
    async list(folder, signal) {
        const prefix = this.key(folder);
        const names = [];
        let token;
        try {
            do {
                const out = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.ListObjectsV2Command({
                    Bucket: this.loc.bucket,
                    Prefix: prefix,
                    Delimiter: "/",
                    ...(token ? { ContinuationToken: token } : {}),
                }), { abortSignal: signal });
                for (const o of out.Contents ?? [])
                    if (o.Key)
                        names.push(o.Key.slice(prefix.length));
                token = out.IsTruncated ? out.NextContinuationToken : undefined;
            } while (token);
        }
        catch (err) {
            if (!signal.aborted && isMissing(err))
                return names;
            throw s3Error(this.display, "list", folder, err, signal);
        }
        return names;
    }
    async put(key, body, signal) {
        await this.send(key, body, {}, signal);
    }
    async putIfAbsent(key, body, signal) {
        if (body.length > _blob__WEBPACK_IMPORTED_MODULE_3__/* .MULTIPART_BYTES */ .p) {
            // Multipart: content-addressed, so a concurrent writer would store the very same bytes.
            try {
                const upload = new _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_0__/* .Upload */ ._({
                    client: this.client,
                    params: {
                        Bucket: this.loc.bucket,
                        Key: this.key(key),
                        Body: body,
                        ContentType: "application/x-tar",
                    },
                    partSize: PART_BYTES,
                    queueSize: 4,
                });
                const onAbort = () => void upload.abort();
                signal.addEventListener("abort", onAbort, { once: true });
                try {
                    await upload.done();
                }
                finally {
                    signal.removeEventListener("abort", onAbort);
                }
                return true;
            }
            catch (err) {
                throw s3Error(this.display, "upload", key, err, signal);
            }
        }
        try {
            await this.send(key, body, { IfNoneMatch: "*" }, signal);
            return true;
        }
        catch (err) {
            if (err instanceof _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx && err.kind === "conflict")
                return false;
            throw err;
        }
    }
    async putIfMatch(key, body, expected, signal) {
        try {
            await this.send(key, body, expected === null ? { IfNoneMatch: "*" } : { IfMatch: expected }, signal);
            return true;
        }
        catch (err) {
            if (err instanceof _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx && err.kind === "conflict")
                return false;
            throw err;
        }
    }
    async send(key, body, condition, signal) {
        const conditional = condition.IfMatch !== undefined || condition.IfNoneMatch !== undefined;
        // A store known to reject conditions: write unconditionally (the caller reports the caveat).
        if (conditional && rejecting.has(this.storeId))
            return this.send(key, body, {}, signal);
        try {
            await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.PutObjectCommand({
                Bucket: this.loc.bucket,
                Key: this.key(key),
                Body: body,
                ContentLength: body.length,
                ContentType: key.endsWith(".json") ? "application/json" : "application/x-tar",
                ...condition,
            }), { abortSignal: signal });
        }
        catch (err) {
            if (!signal.aborted && conditional && isUnsupportedCondition(err)) {
                rejecting.add(this.storeId);
                return this.send(key, body, {}, signal);
            }
            if (!signal.aborted && isLostRace(err)) {
                throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .RelayError */ .cx("conflict", `${this.display}: ${key} changed concurrently`);
            }
            throw s3Error(this.display, "put", key, err, signal);
        }
    }
}


/***/ })

};
