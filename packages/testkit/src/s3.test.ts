import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { s3ClientFor, testBucket } from "./s3";

let client: S3Client;
let bucket: string;

beforeAll(async () => {
  const b = await testBucket();
  bucket = b.bucket;
  client = s3ClientFor({ endpoint: b.endpoint });
});
afterAll(() => client?.destroy());

async function get(key: string): Promise<Buffer> {
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

const put = (key: string, body: string, conditions: { IfMatch?: string; IfNoneMatch?: string } = {}) =>
  client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...conditions }));

/** The SDK error's HTTP status, or "ok". */
async function status(p: Promise<unknown>): Promise<number | "ok"> {
  try {
    await p;
    return "ok";
  } catch (error) {
    return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? -1;
  }
}

describe("s3 server", () => {
  it("gives an s3:// replica URL naming the bucket and endpoint", async () => {
    const b = await testBucket({ prefix: "p" });
    const url = new URL(b.url);
    expect(url.protocol).toBe("s3:");
    expect(url.host).toBe(b.bucket);
    expect(url.pathname).toBe("/p");
    expect(url.searchParams.get("endpoint")).toBe(b.endpoint);
    expect(url.searchParams.get("use_path_style")).toBe("true");
  });

  it("puts, gets and lists, including a truncated ListObjectsV2", async () => {
    for (const key of ["list/a", "list/b", "list/c"]) await put(key, `body of ${key}`);
    expect((await get("list/b")).toString()).toBe("body of list/b");

    const first = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: "list/", MaxKeys: 2 }),
    );
    expect(first.IsTruncated).toBe(true);
    expect(first.Contents?.map((o) => o.Key)).toEqual(["list/a", "list/b"]);
    const rest = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: "list/",
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    expect(rest.IsTruncated).toBe(false);
    expect(rest.Contents?.map((o) => o.Key)).toEqual(["list/c"]);
  });

  it("refuses If-None-Match: * on an existing key and accepts it on a new one", async () => {
    expect(await status(put("cond/new", "one", { IfNoneMatch: "*" }))).toBe("ok");
    expect(await status(put("cond/new", "two", { IfNoneMatch: "*" }))).toBe(412);
    expect((await get("cond/new")).toString()).toBe("one");
  });

  it("refuses If-Match with a stale ETag (412) or on a missing key (404), accepts the current ETag", async () => {
    const v1 = await put("cond/cas", "v1");
    const v2 = await put("cond/cas", "v2", { IfMatch: v1.ETag! });
    expect(v2.ETag).toBeDefined();
    expect(await status(put("cond/cas", "v3", { IfMatch: v1.ETag! }))).toBe(412);
    expect((await get("cond/cas")).toString()).toBe("v2");
    expect(await status(put("cond/missing", "x", { IfMatch: v1.ETag! }))).toBe(404);
    const error = await put("cond/cas", "v4", { IfMatch: '"0000"' }).catch((e: Error) => e);
    expect((error as Error).name).toBe("PreconditionFailed");
  });

  it("lets exactly one of many racing compare-and-swaps win", async () => {
    const base = await put("cond/race", "base");
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => status(put("cond/race", `writer ${i}`, { IfMatch: base.ETag! }))),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r === 412)).toHaveLength(7);
    const winner = results.indexOf("ok");
    expect((await get("cond/race")).toString()).toBe(`writer ${winner}`);
  });

  it("applies conditions to deletes", async () => {
    const v = await put("cond/delete", "x");
    expect(
      await status(
        client.send(new DeleteObjectCommand({ Bucket: bucket, Key: "cond/delete", IfMatch: '"stale"' })),
      ),
    ).toBe(412);
    expect(
      await status(
        client.send(new DeleteObjectCommand({ Bucket: bucket, Key: "cond/delete", IfMatch: v.ETag! })),
      ),
    ).toBe("ok");
    expect(await status(client.send(new HeadObjectCommand({ Bucket: bucket, Key: "cond/delete" })))).toBe(
      404,
    );
  });

  it("refuses If-None-Match: * on CompleteMultipartUpload when the key exists", async () => {
    const multipart = async (key: string, body: string) => {
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
      const part = await client.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: body }),
      );
      return client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          IfNoneMatch: "*",
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag! }] },
        }),
      );
    };
    expect(await status(multipart("cond/multipart", "first"))).toBe("ok");
    expect(await status(multipart("cond/multipart", "second"))).toBe(412);
    expect((await get("cond/multipart")).toString()).toBe("first");
  });

  it("reads back a streamed multipart upload byte for byte", async () => {
    const data = randomBytes(12 * 1024 * 1024 + 123);
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024);
      })(),
    );
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: "big/archive", Body: body },
      partSize: 5 * 1024 * 1024,
    });
    await upload.done();
    const back = await get("big/archive");
    expect(back.length).toBe(data.length);
    expect(createHash("sha256").update(back).digest("hex")).toBe(
      createHash("sha256").update(data).digest("hex"),
    );
  });

  it("reads back a streamed single PutObject byte for byte", async () => {
    const data = randomBytes(300 * 1024);
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "stream/one",
        Body: Readable.from([data]),
        ContentLength: data.length,
      }),
    );
    expect((await get("stream/one")).equals(data)).toBe(true);
  });
});
