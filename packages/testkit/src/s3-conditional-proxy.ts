import { randomBytes } from "node:crypto";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP proxy in front of s3rver that adds what it lacks: conditional writes (testkit README, trap 3).
 * PUT (and CompleteMultipartUpload, DELETE) with `If-None-Match: *` answers 412 when the key exists;
 * with `If-Match: <etag>` answers 404 when the key is missing and 412 when its ETag differs, as S3
 * does. Writes to one key are serialized, so a check-then-write is atomic (a compare-and-swap).
 * Everything else is forwarded untouched (headers included, so SigV4 signatures still verify).
 *
 * Two other modes emulate S3-compatible stores without conditional writes:
 * - "reject-conditional": any request carrying If-Match/If-None-Match is answered 501 NotImplemented
 *   with S3's XML error body ("A header you provided implies functionality that is not
 *   implemented"), as AWS itself and e.g. Versity answer a condition they do not implement.
 * - "ignore-conditional": conditions are not evaluated; the write goes through as if the header were
 *   absent (last writer wins). The headers are forwarded rather than stripped because the SDK signs
 *   them (SigV4 SignedHeaders): s3rver ignores them anyway, which is exactly the store being emulated.
 */
export type ConditionalMode = "honour" | "reject-conditional" | "ignore-conditional";

export interface ConditionalProxy {
  endpoint: string;
  mode: ConditionalMode;
  close(): Promise<void>;
}

export async function startConditionalProxy(
  upstreamPort: number,
  options: { mode?: ConditionalMode } = {},
): Promise<ConditionalProxy> {
  const mode = options.mode ?? "honour";
  const locks = new KeyLocks();
  const server = createServer((req, res) => {
    handle(req, res, upstreamPort, locks, mode).catch((error: unknown) => {
      if (!res.headersSent)
        sendError(res, 502, "BadGateway", `testkit proxy: ${(error as Error).message}`, "");
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, mode, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Which requests write an object (and so take the key's lock), and which carry a condition. */
function classify(req: IncomingMessage): { key?: string; conditional: boolean } {
  const url = new URL(req.url ?? "/", "http://proxy");
  const segments = url.pathname.split("/");
  // Path style: /<bucket>/<key...>; bucket-level calls have no key.
  const hasKey = segments.length > 2 && segments.slice(2).join("/") !== "";
  const q = url.searchParams;
  const objectWrite =
    hasKey &&
    ((req.method === "PUT" && !q.has("partNumber") && !q.has("acl") && !q.has("tagging")) ||
      (req.method === "POST" && q.has("uploadId")) ||
      (req.method === "DELETE" && !q.has("uploadId")));
  if (!objectWrite) return { conditional: false };
  const conditional = req.headers["if-match"] !== undefined || req.headers["if-none-match"] !== undefined;
  return { key: url.pathname, conditional };
}

const hasCondition = (req: IncomingMessage) =>
  req.headers["if-match"] !== undefined || req.headers["if-none-match"] !== undefined;

const NOT_IMPLEMENTED = "A header you provided implies functionality that is not implemented";

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  upstreamPort: number,
  locks: KeyLocks,
  mode: ConditionalMode,
) {
  if (mode === "reject-conditional" && hasCondition(req)) {
    await drain(req);
    const header = req.headers["if-match"] !== undefined ? "If-Match" : "If-None-Match";
    const path = new URL(req.url ?? "/", "http://proxy").pathname;
    return sendError(res, 501, "NotImplemented", NOT_IMPLEMENTED, path, undefined, header);
  }
  if (mode === "ignore-conditional") return forward(req, res, upstreamPort);
  const { key, conditional } = classify(req);
  if (!key) return forward(req, res, upstreamPort);
  const release = await locks.acquire(key);
  // A client that hung up while queued would never fire "close" again: release now.
  if (res.closed || req.socket.destroyed) return release();
  res.on("close", release);
  if (conditional) {
    const refusal = checkCondition(req, await currentEtag(upstreamPort, key));
    if (refusal) {
      await drain(req);
      return sendError(res, refusal.status, refusal.code, refusal.message, key, refusal.condition);
    }
  }
  return forward(req, res, upstreamPort);
}

interface Refusal {
  status: number;
  code: string;
  message: string;
  condition?: string;
}

const PRECONDITION = "At least one of the pre-conditions you specified did not hold";

const stripEtag = (etag: string) => etag.trim().replace(/^W\//, "").replace(/"/g, "");

function checkCondition(req: IncomingMessage, etag: string | undefined): Refusal | undefined {
  const ifNoneMatch = req.headers["if-none-match"];
  const ifMatch = req.headers["if-match"];
  if (ifNoneMatch !== undefined && etag !== undefined) {
    const matches = ifNoneMatch.split(",").some((v) => v.trim() === "*" || stripEtag(v) === etag);
    if (matches)
      return { status: 412, code: "PreconditionFailed", message: PRECONDITION, condition: "If-None-Match" };
  }
  if (ifMatch !== undefined) {
    if (etag === undefined) {
      return { status: 404, code: "NoSuchKey", message: "The specified key does not exist." };
    }
    const matches = ifMatch.split(",").some((v) => v.trim() === "*" || stripEtag(v) === etag);
    if (!matches)
      return { status: 412, code: "PreconditionFailed", message: PRECONDITION, condition: "If-Match" };
  }
  return undefined;
}

/** The object's ETag (unquoted), or undefined when it does not exist. s3rver allows anonymous HEAD. */
function currentEtag(upstreamPort: number, path: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const head = httpRequest({ host: "127.0.0.1", port: upstreamPort, method: "HEAD", path }, (res) => {
      res.resume();
      const etag = res.headers.etag;
      if (res.statusCode === 200 && etag) resolve(stripEtag(etag));
      else if (res.statusCode === 404) resolve(undefined);
      else reject(new Error(`HEAD ${path} answered ${res.statusCode}`));
    });
    head.on("error", reject);
    head.end();
  });
}

function forward(req: IncomingMessage, res: ServerResponse, upstreamPort: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      { host: "127.0.0.1", port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
        upstreamRes.on("end", resolve);
        upstreamRes.on("error", reject);
      },
    );
    upstream.on("error", reject);
    req.on("aborted", () => upstream.destroy());
    req.pipe(upstream);
  });
}

/** Reads the body before answering, so the client is not cut off mid-upload (and retrying). */
async function drain(req: IncomingMessage): Promise<void> {
  req.resume();
  await new Promise((resolve) => req.once("end", resolve).once("error", resolve));
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  resource: string,
  condition?: string,
  header?: string,
) {
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>`,
    condition ? `<Condition>${condition}</Condition>` : "",
    header ? `<Header>${header}</Header>` : "",
    `<Resource>${escapeXml(resource)}</Resource>`,
    `<RequestId>${randomBytes(8).toString("hex").toUpperCase()}</RequestId></Error>`,
  ].join("");
  res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** One FIFO queue per key: acquire() resolves when every earlier holder has released. */
class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => held);
    this.tails.set(key, tail);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
