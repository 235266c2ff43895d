// A TEST DOUBLE of the Google Cloud Storage JSON API: no local server can stand in for GCS here
// (the firebase-tools emulator needs Java 21, downloads a rules runtime at start and ignores
// generation preconditions). It follows Google's public reference
// (cloud.google.com/storage/docs/json_api/v1: objects get/insert/list/delete, media and multipart
// uploads, generation preconditions, the error body) for what the product's real
// @google-cloud/storage client sends; it is driven through that client in the tests.
// Objects live in memory; buckets exist only once created (404 otherwise, as GCS answers).
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type Loopback, listenOnLoopback } from "./loopback";

interface StoredObject {
  body: Buffer;
  generation: number;
  metageneration: number;
  contentType: string;
  updated: string;
}

export interface GcsDouble {
  /** `http://127.0.0.1:<port>`: the client's apiEndpoint (or STORAGE_EMULATOR_HOST). */
  endpoint: string;
  createBucket(name: string): void;
  /** The bytes stored under a name, for tests that tamper behind the product's back. */
  objects(bucket: string): Map<string, StoredObject>;
  /** Every request line seen, for tests that check what the client sent. */
  requests: string[];
  stop(): Promise<void>;
}

// CRC32C (Castagnoli), as GCS reports in x-goog-hash and the client validates.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32c(bytes: Buffer): string {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString("base64");
}
const md5 = (bytes: Buffer) => createHash("md5").update(bytes).digest("base64");

function fail(res: ServerResponse, code: number, reason: string, message: string) {
  res.writeHead(code, { "content-type": "application/json; charset=UTF-8" });
  res.end(JSON.stringify({ error: { code, message, errors: [{ domain: "global", reason, message }] } }));
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** multipart/related: the first part is the JSON metadata, the second the media. */
function splitMultipart(body: Buffer, contentType: string): { meta: Record<string, unknown>; media: Buffer } {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) throw new Error("no boundary");
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next === -1) break;
    parts.push(body.subarray(at + delimiter.length, next));
    at = next;
  }
  const content = (part: Buffer) => {
    const start = part.indexOf("\r\n\r\n");
    // Strip the CRLF before the next delimiter.
    return part.subarray(start + 4, part.length - 2);
  };
  if (parts.length < 2) throw new Error("expected two parts");
  return { meta: JSON.parse(content(parts[0]!).toString("utf8")), media: content(parts[1]!) };
}

export async function startGcsDouble(): Promise<GcsDouble> {
  const buckets = new Map<string, Map<string, StoredObject>>();
  const requests: string[] = [];
  let clock = 1_700_000_000_000_000;
  let endpoint = "";

  const resource = (bucket: string, name: string, o: StoredObject) => ({
    kind: "storage#object",
    id: `${bucket}/${name}/${o.generation}`,
    selfLink: `${endpoint}/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}`,
    mediaLink: `${endpoint}/download/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}?generation=${o.generation}&alt=media`,
    name,
    bucket,
    generation: String(o.generation),
    metageneration: String(o.metageneration),
    contentType: o.contentType,
    storageClass: "STANDARD",
    size: String(o.body.length),
    md5Hash: md5(o.body),
    crc32c: crc32c(o.body),
    etag: `CP${o.generation}`,
    timeCreated: o.updated,
    updated: o.updated,
  });

  /** The generation preconditions of the JSON API; false after answering 412 (or 304). */
  const preconditions = (res: ServerResponse, q: URLSearchParams, o: StoredObject | undefined): boolean => {
    const match = q.get("ifGenerationMatch");
    const notMatch = q.get("ifGenerationNotMatch");
    const metaMatch = q.get("ifMetagenerationMatch");
    const generation = o?.generation ?? 0;
    const ok =
      (match === null || Number(match) === generation) &&
      (notMatch === null || Number(notMatch) !== generation) &&
      (metaMatch === null || (o !== undefined && Number(metaMatch) === o.metageneration));
    if (!ok)
      fail(res, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
    return ok;
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://x");
      const q = url.searchParams;
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      const m =
        /^\/(upload\/|download\/)?(?:storage\/v1\/)?b(?:\/([^/]+)(?:\/o(?:\/(.+))?)?)?$/.exec(url.pathname) ??
        undefined;
      if (!m) return fail(res, 404, "notFound", "Not Found");
      const [, kind, bucketName, rawName] = m;
      if (!bucketName) {
        if (req.method !== "POST") return fail(res, 405, "methodNotAllowed", "Method not allowed");
        const meta = JSON.parse((await bodyOf(req)).toString("utf8") || "{}") as { name?: string };
        if (!meta.name) return fail(res, 400, "required", "Required");
        if (buckets.has(meta.name))
          return fail(
            res,
            409,
            "conflict",
            "Your previous request to create the named bucket succeeded and you already own it.",
          );
        buckets.set(meta.name, new Map());
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ kind: "storage#bucket", name: meta.name, id: meta.name }));
      }
      const bucket = buckets.get(bucketName);
      if (!bucket) return fail(res, 404, "notFound", "The specified bucket does not exist.");
      const name = rawName === undefined ? undefined : decodeURIComponent(rawName);

      if (kind === "upload/") {
        if (req.method !== "POST" || name !== undefined)
          return fail(res, 405, "methodNotAllowed", "Method not allowed");
        const body = await bodyOf(req);
        const type = q.get("uploadType");
        let objectName = q.get("name") ?? undefined;
        let media: Buffer;
        let contentType = req.headers["content-type"] ?? "application/octet-stream";
        if (type === "multipart") {
          const parts = splitMultipart(body, contentType);
          media = parts.media;
          objectName = (parts.meta.name as string | undefined) ?? objectName;
          contentType = (parts.meta.contentType as string | undefined) ?? "application/octet-stream";
        } else if (type === "media") {
          media = body;
        } else {
          return fail(res, 400, "invalidArgument", `uploadType ${type} is not supported by this double`);
        }
        if (!objectName) return fail(res, 400, "required", "Required: name");
        if (!preconditions(res, q, bucket.get(objectName))) return;
        const stored: StoredObject = {
          body: Buffer.from(media),
          generation: ++clock,
          metageneration: 1,
          contentType,
          updated: new Date().toISOString(),
        };
        bucket.set(objectName, stored);
        res.writeHead(200, { "content-type": "application/json; charset=UTF-8" });
        return res.end(JSON.stringify(resource(bucketName, objectName, stored)));
      }

      if (name === undefined) {
        if (req.method !== "GET") return fail(res, 405, "methodNotAllowed", "Method not allowed");
        const prefix = q.get("prefix") ?? "";
        const items = [...bucket.keys()]
          .filter((k) => k.startsWith(prefix))
          .sort()
          .map((k) => resource(bucketName, k, bucket.get(k)!));
        res.writeHead(200, { "content-type": "application/json; charset=UTF-8" });
        return res.end(JSON.stringify({ kind: "storage#objects", items }));
      }

      const found = bucket.get(name);
      const wanted = q.get("generation");
      if (!found || (wanted !== null && Number(wanted) !== found.generation)) {
        return fail(res, 404, "notFound", `No such object: ${bucketName}/${name}`);
      }
      if (req.method === "DELETE") {
        if (!preconditions(res, q, found)) return;
        bucket.delete(name);
        res.writeHead(204);
        return res.end();
      }
      if (req.method !== "GET") return fail(res, 405, "methodNotAllowed", "Method not allowed");
      if (!preconditions(res, q, found)) return;
      if (q.get("alt") === "media") {
        res.writeHead(200, {
          "content-type": found.contentType,
          "content-length": String(found.body.length),
          "x-goog-generation": String(found.generation),
          "x-goog-metageneration": String(found.metageneration),
          "x-goog-hash": `crc32c=${crc32c(found.body)},md5=${md5(found.body)}`,
          "x-goog-stored-content-length": String(found.body.length),
          etag: `CP${found.generation}`,
        });
        return res.end(found.body);
      }
      res.writeHead(200, { "content-type": "application/json; charset=UTF-8" });
      return res.end(JSON.stringify(resource(bucketName, name, found)));
    } catch (err) {
      fail(res, 400, "invalid", `bad request: ${(err as Error).message}`);
    }
  });
  const loopback: Loopback = await listenOnLoopback(server);
  endpoint = `http://127.0.0.1:${loopback.port}`;
  return {
    endpoint,
    createBucket(name) {
      if (!buckets.has(name)) buckets.set(name, new Map());
    },
    objects(bucket) {
      const found = buckets.get(bucket);
      if (!found) throw new Error(`no bucket ${bucket}`);
      return found;
    },
    requests,
    stop: () => loopback.refuse(),
  };
}
