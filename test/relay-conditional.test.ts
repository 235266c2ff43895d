// Stores without conditional writes (docs/relay.md): `latest` is still written, last writer wins, and the
// result says so. testkit's proxy emulates a store that rejects If-Match/If-None-Match (501) and one
// that ignores them; the run's shared server honours them as S3 does.
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { runCli } from "@migrate-relay/cli";
import { atlasPushJson, openReplica, pull, push, writeDir } from "@migrate-relay/core";
import { type S3Server, s3ClientFor, s3ReplicaUrl, startS3, testBucket } from "@migrate-relay/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isUnsupportedCondition } from "../packages/core/src/replica/s3";
import { makeDir, tempDir, uniqueSlug } from "./relay-helpers";

const NO_CAS =
  /^latest written without compare-and-swap: the store (does not support|ignores) conditional writes \(last writer wins\)$/;

let rejecting: S3Server;
let ignoring: S3Server;
beforeAll(async () => {
  [rejecting, ignoring] = await Promise.all([
    startS3({ conditional: "reject-conditional" }),
    startS3({ conditional: "ignore-conditional" }),
  ]);
});
afterAll(async () => {
  await Promise.all([rejecting?.stop(), ignoring?.stop()]);
});

async function bucketUrl(server: S3Server): Promise<string> {
  return s3ReplicaUrl(await server.createBucket(), server.endpoint);
}

async function cli(argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, cwd });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function readLatest(server: { endpoint: string }, bucket: string, slug: string) {
  const out = await s3ClientFor(server).send(
    new GetObjectCommand({ Bucket: bucket, Key: `backups/${slug}/tags/latest.json` }),
  );
  return JSON.parse(await out.Body!.transformToString()) as { digest: string; version: string };
}

describe("testkit's emulated stores", () => {
  it("reject-conditional answers 501 NotImplemented; ignore-conditional lets If-None-Match: * overwrite", async () => {
    const put = (server: S3Server, bucket: string, body: string, IfNoneMatch?: string) =>
      s3ClientFor(server).send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "k",
          Body: body,
          ...(IfNoneMatch ? { IfNoneMatch } : {}),
        }),
      );
    const rb = await rejecting.createBucket();
    const refused = (await put(rejecting, rb, "a", "*").catch((e) => e)) as {
      name: string;
      $metadata: { httpStatusCode: number };
    };
    expect(refused.name).toBe("NotImplemented");
    expect(refused.$metadata.httpStatusCode).toBe(501);
    await put(rejecting, rb, "a"); // unconditional writes work

    const ib = await ignoring.createBucket();
    await put(ignoring, ib, "first", "*");
    await put(ignoring, ib, "second", "*"); // S3 would answer 412 here
    const read = await s3ClientFor(ignoring).send(new GetObjectCommand({ Bucket: ib, Key: "k" }));
    expect(await read.Body!.transformToString()).toBe("second");
  });
});

describe("what counts as a store rejecting a condition", () => {
  const sdkError = (status: number, name: string, message: string) =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
  it.each([
    [501, "NotImplemented", "A header you provided implies functionality that is not implemented", true],
    [400, "InvalidArgument", "If-None-Match is not supported", true],
    [400, "InvalidRequest", "Conditional writes are not supported", true],
    [400, "InvalidArgument", "Invalid storage class", false],
    [400, "BadDigest", "If-Match", false],
    [412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", false],
    [500, "InternalError", "We encountered an internal error", false],
  ] as const)("HTTP %i %s (%s): %s", (status, name, message, expected) => {
    expect(isUnsupportedCondition(sdkError(status, name, message))).toBe(expected);
  });
});

describe("push to a store that rejects conditional writes", () => {
  it("succeeds, writes latest without compare-and-swap, and says so in the line and the JSON", async () => {
    const url = await bucketUrl(rejecting);
    const bucket = new URL(url).host;
    const slug = uniqueSlug("reject");
    const cwd = await tempDir("cond");
    await writeDir(`${cwd}/migrations`, makeDir(2));
    const base = ["push", "--dir", "file://migrations", "--dir-name", slug, "--repo-url", url];

    const text = await cli(base, cwd);
    expect(text.err).not.toMatch(/FAIL|Error/); // progress lines are on stderr, the URL on stdout
    expect(text.code).toBe(0);
    const line = text.err.split("\n").find((l) => l.includes(url));
    expect(line).toMatch(/^ok {3}s3:/);
    expect(line).toContain(
      "latest written without compare-and-swap: the store does not support conditional writes (last writer wins)",
    );
    expect(await readLatest(rejecting, bucket, slug)).toMatchObject({ version: "000002" });

    // A second push extends the first: latest moves again (still unconditionally), JSON carries it.
    await writeDir(`${cwd}/migrations`, makeDir(3));
    const json = await cli([...base, "--format", "json"], cwd);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out) as { Note?: string; Version: string; Digest: string };
    expect(parsed.Version).toBe("000003");
    expect(parsed.Note).toMatch(/does not support conditional writes/);
    expect(await readLatest(rejecting, bucket, slug)).toMatchObject({
      version: "000003",
      digest: parsed.Digest,
    });
    const read = await pull([openReplica(url, { repo: slug })]);
    expect(read.digest).toBe(parsed.Digest);
  });

  it("still refuses a state that does not extend latest, and publishes nothing", async () => {
    const url = await bucketUrl(rejecting);
    const slug = uniqueSlug("reject-back");
    const replica = openReplica(url, { repo: slug });
    const ahead = await push(makeDir(3), [replica], { repo: slug });
    expect(ahead.targets[0]).toMatchObject({
      ok: true,
      latestMoved: true,
      note: expect.stringMatching(NO_CAS),
    });
    const behind = await push(makeDir(3, { salt: "x" }), [replica], { repo: slug, tag: "other" });
    expect(behind.ok).toBe(false);
    expect(behind.targets[0]).toMatchObject({ ok: false, errorKind: "conflict" });
    expect(behind.error).toMatch(/^000001_step\.sql: 000001_step\.sql was edited/);
    expect((await pull([replica])).digest).toBe(ahead.digest);
    await expect(pull([replica], { ref: { tag: "other" } })).rejects.toThrow(/not found/);
  });
});

describe("push to a store that ignores conditional writes", () => {
  it("succeeds and the probe makes the result say so, as a backup in Atlas's JSON", async () => {
    const url = await bucketUrl(ignoring);
    const slug = uniqueSlug("ignore");
    const fileRoot = await tempDir("cond-file");
    const replicas = [openReplica(`file://${fileRoot}`, { repo: slug }), openReplica(url, { repo: slug })];
    const result = await push(makeDir(2), replicas, { repo: slug });
    expect(result.ok).toBe(true);
    const [file, s3] = result.targets;
    expect(file!.note).toBeUndefined();
    expect(s3).toMatchObject({ ok: true, latestMoved: true });
    expect(s3!.note).toBe(
      "latest written without compare-and-swap: the store ignores conditional writes (last writer wins)",
    );
    expect(atlasPushJson(result).Backups).toEqual([{ URL: url, Note: s3!.note }]);
    expect(atlasPushJson(result).Note).toBeUndefined();
    expect((await pull([replicas[1]!])).digest).toBe(result.digest);
  });
});

describe("push to a store that honours conditional writes", () => {
  it("has no caveat, and its compare-and-swap is real", async () => {
    const { url, bucket, endpoint } = await testBucket();
    const slug = uniqueSlug("honour");
    const replica = openReplica(url, { repo: slug });
    for (const n of [1, 2]) {
      const result = await push(makeDir(n), [replica], { repo: slug });
      expect(result.targets[0]).toMatchObject({ ok: true, latestMoved: true });
      expect(result.targets[0]!.note).toBeUndefined();
      expect(atlasPushJson(result).Note).toBeUndefined();
    }
    // The probe's scratch key stays outside what readers follow, and the store refuses to overwrite it.
    const overwrite = await s3ClientFor({ endpoint })
      .send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `backups/${slug}/.probe/conditional-writes`,
          Body: "x",
          IfNoneMatch: "*",
        }),
      )
      .catch((e: { $metadata: { httpStatusCode: number } }) => e.$metadata.httpStatusCode);
    expect(overwrite).toBe(412);
  });
});
