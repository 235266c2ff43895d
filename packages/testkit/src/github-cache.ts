import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback } from "./loopback";

/**
 * What the cache server does instead of answering normally:
 * - `"refuse"`: stops listening and drops open connections (the client gets ECONNREFUSED, which
 *   `@actions/cache` does not retry);
 * - a 4xx status (400, 401, 403, 404, 409, 422, 429) or `{ status, msg?, on? }`: that status with a
 *   twirp JSON error body (`{code, msg}`), on the twirp calls (`on: "twirp"`, the default), the blob
 *   calls (`"blob"`) or both (`"all"`);
 * - `"none"`: back to normal.
 * No 5xx shortcut on purpose: `@actions/cache` retries 5xx for ~25 s (5 attempts, 3 s x 1.5^n),
 * which no test wants to wait for. `{ status: 503 }` still works for a test that means it.
 */
export type GitHubCacheFault =
  | "none"
  | "refuse"
  | 400
  | 401
  | 403
  | 404
  | 409
  | 422
  | 429
  | { status: number; msg?: string; on?: "twirp" | "blob" | "all" };

/** One cache entry, as the service holds it. */
export interface GitHubCacheEntry {
  id: number;
  key: string;
  /** The client's version: SHA-256 of the paths, the compression method and a salt. */
  version: string;
  /** Bytes uploaded so far (the archive, once finalized). */
  size: number;
  /** false between CreateCacheEntry and FinalizeCacheEntryUpload; only finalized entries restore. */
  finalized: boolean;
  createdAt: Date;
  /** The archive (tar, zstd or gzip compressed) as uploaded. */
  content: Buffer;
}

/** One request as the server saw it. */
export interface GitHubCacheRequest {
  /** `CreateCacheEntry`, `FinalizeCacheEntryUpload`, `GetCacheEntryDownloadURL`, or the blob call:
   * `PutBlob`, `PutBlock`, `PutBlockList`, `GetBlob`, `HeadBlob`. */
  call: string;
  key?: string;
  status: number;
  fault?: string;
}

export interface GitHubCacheServer {
  /** `http://127.0.0.1:PORT` (ACTIONS_RESULTS_URL is this with a trailing slash). */
  url: string;
  port: number;
  /** The runtime token it accepts as `Authorization: Bearer <token>`. */
  token: string;
  /** What a step needs to reach this server: ACTIONS_CACHE_SERVICE_V2, ACTIONS_RESULTS_URL,
   * ACTIONS_RUNTIME_TOKEN, and GITHUB_SERVER_URL=https://github.com (anything else counts as GHES,
   * where the client falls back to the v1 protocol). */
  env: Record<string, string>;
  /** Entries, oldest first (finalized or not). */
  entries(): GitHubCacheEntry[];
  /** Every request so far, oldest first. */
  readonly requests: GitHubCacheRequest[];
  setFault(fault: GitHubCacheFault, options?: { times?: number }): Promise<void>;
  readonly fault: GitHubCacheFault;
  stop(): Promise<void>;
}

export interface GitHubCacheOptions {
  /** The runtime token to accept; random when not given. */
  token?: string;
  /** Listen on this port (default: any free one). */
  port?: number;
}

const SERVICE = "/twirp/github.actions.results.api.v1.CacheService/";
const BLOB_ACCOUNT = "blob";
const BLOB_CONTAINER = "cache";

const TWIRP_CODES: Record<number, string> = {
  400: "invalid_argument",
  401: "unauthenticated",
  403: "permission_denied",
  404: "not_found",
  409: "already_exists",
  412: "failed_precondition",
  422: "invalid_argument",
  429: "resource_exhausted",
  500: "internal",
  503: "unavailable",
};

/**
 * A loopback server for the GitHub Actions cache service as `@actions/cache` 6 speaks to it (the v2
 * twirp protocol, JSON): `CreateCacheEntry` hands out a signed blob URL (`/blob/cache/<name>?sig=..`,
 * three path segments as the Azure SDK parses an IP-style URL: account/container/blob), the client
 * uploads to it with the Azure Blob SDK (Put Blob below 128 MiB; Put Block + Put Block List above),
 * `FinalizeCacheEntryUpload` commits the entry, and `GetCacheEntryDownloadURL` finds an entry for
 * `key` then each of `restore_keys` (exact key first, else the newest entry whose key starts with it;
 * versions must be equal), answering `{ok:false}` for a miss. Downloads answer GET (with `Range`)
 * and HEAD. Blob calls without the right `sig` get 403, twirp calls without the token 401.
 */
export async function startGitHubCache(options: GitHubCacheOptions = {}): Promise<GitHubCacheServer> {
  const token = options.token ?? `ghs_test_${randomBytes(12).toString("hex")}`;
  const signingKey = randomBytes(32);
  const entries: GitHubCacheEntry[] = [];
  const blobs = new Map<string, { entry: GitHubCacheEntry; blocks: Map<string, Buffer> }>();
  const requests: GitHubCacheRequest[] = [];
  let fault: GitHubCacheFault = "none";
  let faultBudget = Number.POSITIVE_INFINITY;
  let stopped = false;
  let nextId = 1;

  const sign = (name: string) => createHmac("sha256", signingKey).update(name).digest("base64url");

  /** The status fault for a request of this family, consuming one from a budgeted fault. */
  const takeFault = (family: "twirp" | "blob"): { status: number; msg?: string } | undefined => {
    if (fault === "none" || fault === "refuse") return undefined;
    const spec = typeof fault === "number" ? { status: fault } : fault;
    const on = typeof fault === "number" ? "twirp" : (fault.on ?? "twirp");
    if (on !== "all" && on !== family) return undefined;
    faultBudget -= 1;
    if (faultBudget <= 0) {
      fault = "none";
      faultBudget = Number.POSITIVE_INFINITY;
    }
    return spec.msg === undefined ? { status: spec.status } : { status: spec.status, msg: spec.msg };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) twirpError(res, 500, (error as Error).message);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://cache");
    const body = await readBody(req);
    if (url.pathname.startsWith(SERVICE))
      return handleTwirp(req, res, url.pathname.slice(SERVICE.length), body);
    if (url.pathname.startsWith(`/${BLOB_ACCOUNT}/${BLOB_CONTAINER}/`))
      return handleBlob(req, res, url, body);
    const entry: GitHubCacheRequest = { call: `${req.method} ${url.pathname}`, status: 404 };
    requests.push(entry);
    twirpError(res, 404, `no route ${url.pathname}`, "bad_route");
  }

  function handleTwirp(req: IncomingMessage, res: ServerResponse, method: string, body: Buffer) {
    const record: GitHubCacheRequest = { call: method, status: 0 };
    requests.push(record);
    let input: Record<string, unknown> = {};
    try {
      input = JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>;
    } catch {
      record.status = 400;
      return twirpError(res, 400, "request body is not JSON", "malformed");
    }
    if (typeof input.key === "string") record.key = input.key;
    const faulted = takeFault("twirp");
    if (faulted) {
      record.status = faulted.status;
      record.fault = `status ${faulted.status}`;
      return twirpError(res, faulted.status, faulted.msg ?? `fault injected: ${faulted.status}`);
    }
    if (req.method !== "POST") {
      record.status = 405;
      return twirpError(res, 405, "use POST", "bad_route");
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      record.status = 401;
      return twirpError(res, 401, "invalid or missing runtime token");
    }
    const answer = twirpCall(method, input);
    record.status = answer.status;
    if (answer.status !== 200) return twirpError(res, answer.status, String(answer.body));
    sendJson(res, 200, answer.body);
  }

  function twirpCall(method: string, input: Record<string, unknown>): { status: number; body: unknown } {
    const key = typeof input.key === "string" ? input.key : "";
    const version = typeof input.version === "string" ? input.version : "";
    if (!version) return { status: 400, body: "version is required" };
    switch (method) {
      case "CreateCacheEntry": {
        if (!key) return { status: 400, body: "key is required" };
        if (entries.some((e) => e.key === key && e.version === version && e.finalized)) {
          return { status: 409, body: "cache entry with the same key, version, and scope already exists" };
        }
        // An unfinalized entry for the same key and version is replaced (an earlier attempt died).
        const stale = entries.findIndex((e) => e.key === key && e.version === version && !e.finalized);
        if (stale >= 0) entries.splice(stale, 1);
        const entry: GitHubCacheEntry = {
          id: nextId++,
          key,
          version,
          size: 0,
          finalized: false,
          createdAt: new Date(),
          content: Buffer.alloc(0),
        };
        entries.push(entry);
        const name = `${entry.id}-${randomBytes(6).toString("hex")}`;
        blobs.set(name, { entry, blocks: new Map() });
        return { status: 200, body: { ok: true, signed_upload_url: blobUrl(name, "cw") } };
      }
      case "FinalizeCacheEntryUpload": {
        const entry = entries.find((e) => e.key === key && e.version === version && !e.finalized);
        if (!entry) return { status: 404, body: "cache entry not found" };
        const size = Number(input.size_bytes ?? 0);
        if (size !== entry.content.length) {
          return {
            status: 200,
            body: { ok: false, entry_id: "0", message: `size ${size} != uploaded ${entry.content.length}` },
          };
        }
        entry.finalized = true;
        entry.size = size;
        return { status: 200, body: { ok: true, entry_id: String(entry.id) } };
      }
      case "GetCacheEntryDownloadURL": {
        const restoreKeys = Array.isArray(input.restore_keys)
          ? input.restore_keys.filter((k): k is string => typeof k === "string")
          : [];
        const match = lookup([key, ...restoreKeys].filter(Boolean), version);
        if (!match) return { status: 200, body: { ok: false, signed_download_url: "", matched_key: "" } };
        const name = [...blobs.entries()].find(([, blob]) => blob.entry === match)?.[0];
        if (!name) return { status: 200, body: { ok: false, signed_download_url: "", matched_key: "" } };
        return {
          status: 200,
          body: { ok: true, signed_download_url: blobUrl(name, "r"), matched_key: match.key },
        };
      }
      default:
        return { status: 404, body: `no method ${method}` };
    }
  }

  /** For each key in order: the exact key, else the newest entry whose key starts with it. */
  function lookup(keys: string[], version: string): GitHubCacheEntry | undefined {
    const candidates = entries.filter((e) => e.finalized && e.version === version);
    for (const key of keys) {
      const exact = candidates.filter((e) => e.key === key).at(-1);
      if (exact) return exact;
      const prefixed = candidates.filter((e) => e.key.startsWith(key));
      if (prefixed.length > 0) {
        return prefixed.reduce((a, b) => (b.createdAt.getTime() >= a.createdAt.getTime() ? b : a));
      }
    }
    return undefined;
  }

  function blobUrl(name: string, permissions: string): string {
    const expires = new Date(Date.now() + 3_600_000).toISOString();
    const query = new URLSearchParams({ sp: permissions, se: expires, sv: "2024-11-04", sig: sign(name) });
    return `${baseUrl}/${BLOB_ACCOUNT}/${BLOB_CONTAINER}/${name}?${query}`;
  }

  function handleBlob(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) {
    const name = decodeURIComponent(url.pathname.slice(`/${BLOB_ACCOUNT}/${BLOB_CONTAINER}/`.length));
    const comp = url.searchParams.get("comp");
    const call =
      req.method === "PUT"
        ? comp === "block"
          ? "PutBlock"
          : comp === "blocklist"
            ? "PutBlockList"
            : "PutBlob"
        : req.method === "HEAD"
          ? "HeadBlob"
          : "GetBlob";
    const blob = blobs.get(name);
    const record: GitHubCacheRequest = { call, status: 0 };
    if (blob) record.key = blob.entry.key;
    requests.push(record);
    const faulted = takeFault("blob");
    if (faulted) {
      record.status = faulted.status;
      record.fault = `status ${faulted.status}`;
      return blobError(res, faulted.status, "InjectedFault", faulted.msg ?? "fault injected");
    }
    if (!blob || url.searchParams.get("sig") !== sign(name)) {
      record.status = 403;
      return blobError(res, 403, "AuthenticationFailed", "Signature did not match.");
    }
    const { entry } = blob;
    const headers = blobHeaders(entry);
    if (req.method === "PUT") {
      if (entry.finalized) {
        record.status = 409;
        return blobError(res, 409, "BlobImmutable", "The entry is finalized.");
      }
      if (comp === "block") {
        const id = url.searchParams.get("blockid");
        if (!id) {
          record.status = 400;
          return blobError(res, 400, "InvalidQueryParameterValue", "blockid is required");
        }
        blob.blocks.set(id, body);
      } else if (comp === "blocklist") {
        const ids = [...body.toString("utf8").matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map(
          (m) => m[1] ?? "",
        );
        const missing = ids.find((id) => !blob.blocks.has(id));
        if (missing !== undefined) {
          record.status = 400;
          return blobError(res, 400, "InvalidBlockList", `block ${missing} was not staged`);
        }
        entry.content = Buffer.concat(ids.map((id) => blob.blocks.get(id)!));
        entry.size = entry.content.length;
        blob.blocks.clear();
      } else {
        if (req.headers["x-ms-blob-type"] !== "BlockBlob") {
          record.status = 400;
          return blobError(res, 400, "MissingRequiredHeader", "x-ms-blob-type: BlockBlob is required");
        }
        entry.content = body;
        entry.size = body.length;
      }
      record.status = 201;
      res.writeHead(201, { ...blobHeaders(entry), "content-length": 0 });
      return res.end();
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      record.status = 405;
      return blobError(res, 405, "UnsupportedHttpVerb", `${req.method} is not supported`);
    }
    if (!entry.finalized) {
      record.status = 404;
      return blobError(res, 404, "BlobNotFound", "The specified blob does not exist.");
    }
    const content = entry.content;
    const range = parseRange(req.headers["x-ms-range"] ?? req.headers.range, content.length);
    if (range === "invalid") {
      record.status = 416;
      res.writeHead(416, { ...headers, "content-range": `bytes */${content.length}`, "content-length": 0 });
      return res.end();
    }
    const [start, end] = range ?? [0, content.length - 1];
    const part = content.subarray(start, end + 1);
    record.status = range ? 206 : 200;
    res.writeHead(record.status, {
      ...headers,
      "accept-ranges": "bytes",
      "content-type": "application/octet-stream",
      "content-length": part.length,
      ...(range ? { "content-range": `bytes ${start}-${end}/${content.length}` } : {}),
    });
    res.end(req.method === "HEAD" ? undefined : part);
  }

  const loopback = await listenOnLoopback(server, options.port);
  const port = loopback.port;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    port,
    token,
    env: {
      ACTIONS_CACHE_SERVICE_V2: "true",
      ACTIONS_RESULTS_URL: `${baseUrl}/`,
      ACTIONS_RUNTIME_TOKEN: token,
      GITHUB_SERVER_URL: "https://github.com",
    },
    entries: () => [...entries],
    get requests() {
      return requests;
    },
    get fault() {
      return fault;
    },
    async setFault(next, { times } = {}) {
      if (stopped) throw new Error("GitHub cache server is stopped");
      if (next === "refuse" && times !== undefined)
        throw new Error("'refuse' cannot be limited to a number of requests");
      fault = next;
      faultBudget = times ?? Number.POSITIVE_INFINITY;
      if (next === "refuse") await loopback.refuse();
      else await loopback.resume();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await loopback.refuse();
    },
  };
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` -> [start, end] inclusive; undefined when absent. */
function parseRange(
  header: string | string[] | undefined,
  size: number,
): [number, number] | "invalid" | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === "" && m[2] === "")) return "invalid";
  let start: number;
  let end: number;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "invalid";
  return [start, end];
}

function blobHeaders(entry: GitHubCacheEntry): Record<string, string> {
  return {
    etag: `"0x${(entry.id * 0x1000 + entry.size).toString(16).toUpperCase()}"`,
    "last-modified": entry.createdAt.toUTCString(),
    "x-ms-request-id": randomBytes(8).toString("hex"),
    "x-ms-version": "2024-11-04",
    "x-ms-blob-type": "BlockBlob",
    "x-ms-request-server-encrypted": "true",
    date: new Date().toUTCString(),
  };
}

function twirpError(res: ServerResponse, status: number, msg: string, code?: string) {
  sendJson(res, status, { code: code ?? TWIRP_CODES[status] ?? "unknown", msg });
}

function blobError(res: ServerResponse, status: number, code: string, message: string) {
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, {
    "content-type": "application/xml",
    "content-length": Buffer.byteLength(body),
    "x-ms-error-code": code,
    "x-ms-request-id": randomBytes(8).toString("hex"),
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
