// Reads are sized before they are made and cut at the cap: an oversized or endless object costs
// neither memory nor time (issue 11: a 700 MB object took 1.5 GB, an archive linked to /dev/zero 1.3 GB).
import { mkdir, symlink, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { isRelayError } from "@migrate-relay/core";
import { s3ClientFor, testBucket } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";
import { FileStore } from "../packages/core/src/replica/file";
import { S3Store, s3ClientConfig } from "../packages/core/src/replica/s3";
import { parseReplicaUrl } from "../packages/core/src/replica/url";
import { tempDir } from "./relay-helpers";

const signal = () => new AbortController().signal;

describe("bounded reads", () => {
  it("the file store refuses a 700 MB (sparse) object by its size, and a link to /dev/zero by its type", async () => {
    const root = await tempDir("bounded");
    await mkdir(join(root, "archives"));
    const big = join(root, "archives", "big.tar");
    await writeFile(big, "");
    await truncate(big, 700 * 1024 * 1024);
    await symlink("/dev/zero", join(root, "archives", "zero.tar"));
    const store = new FileStore(root, "file://test");
    const before = process.memoryUsage().rss;
    for (const key of ["archives/big.tar", "archives/zero.tar"]) {
      const err = await store.get(key, signal()).catch((e: unknown) => e);
      expect(isRelayError(err, "integrity")).toBe(true);
      expect((err as Error).message).toMatch(/larger than|not a regular file/);
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it("the s3 store refuses an object above its cap from Content-Length, before reading the body", async () => {
    const { bucket, url } = await testBucket();
    const spec = parseReplicaUrl(url);
    if (spec.kind !== "s3") throw new Error("expected s3");
    const server = { endpoint: spec.location.endpoint! };
    await s3ClientFor(server).send(
      new PutObjectCommand({ Bucket: bucket, Key: `${spec.location.prefix}k`, Body: Buffer.alloc(2048, 1) }),
    );
    const store = new S3Store(new S3Client(s3ClientConfig(spec.location, 3000)), spec.location, url, 1024);
    const err = await store.get("k", signal()).catch((e: unknown) => e);
    expect(isRelayError(err, "integrity")).toBe(true);
    expect((err as Error).message).toMatch(/larger than 1024 bytes/);
    const ok = new S3Store(new S3Client(s3ClientConfig(spec.location, 3000)), spec.location, url, 4096);
    expect((await ok.get("k", signal()))!.body.length).toBe(2048);
  });
});
