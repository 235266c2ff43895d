import { describe, expect, it } from "vitest";
import { checkTag } from "./names";
import { parseReplicaUrl } from "./url";

describe("parseReplicaUrl", () => {
  it("parses s3 URLs with Atlas and gocloud parameters", () => {
    const spec = parseReplicaUrl("s3://my-bucket/a/b/?region=eu-central-1&s3ForcePathStyle=true&profile=ci");
    expect(spec).toEqual({
      kind: "s3",
      display: "s3://my-bucket/a/b/?region=eu-central-1&s3ForcePathStyle=true&profile=ci",
      location: {
        bucket: "my-bucket",
        prefix: "a/b/",
        region: "eu-central-1",
        forcePathStyle: true,
        profile: "ci",
      },
    });
    const local = parseReplicaUrl("s3://b42/p?endpoint=127.0.0.1:9000&disableSSL=true&region=garage");
    expect(local.kind === "s3" && local.location).toMatchObject({
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
      region: "garage",
    });
  });

  it("parses file URLs, absolute and relative", () => {
    expect(parseReplicaUrl("file:///mnt/backups")).toMatchObject({ kind: "file", root: "/mnt/backups" });
    expect(parseReplicaUrl("file://backups/x", "/work")).toMatchObject({
      kind: "file",
      root: "/work/backups/x",
    });
  });

  it("parses atlas URLs with a tag or a version", () => {
    expect(parseReplicaUrl("atlas://app")).toEqual({ kind: "cloud", slug: "app" });
    expect(parseReplicaUrl("atlas://app?tag=v1.2")).toEqual({
      kind: "cloud",
      slug: "app",
      ref: { tag: "v1.2" },
    });
    expect(parseReplicaUrl("atlas://app?version=20240101")).toEqual({
      kind: "cloud",
      slug: "app",
      ref: { version: "20240101" },
    });
  });

  it.each([
    [
      "ftp://bucket/x",
      /unknown scheme "ftp:\/\/" \(use atlas:\/\/, s3:\/\/, gs:\/\/, azureblob:\/\/, oci:\/\/ or file:\/\/\)/,
    ],
    ["s3:///prefix?region=us-east-1", /missing bucket/],
    ["s3://Bad_Bucket/x", /not a valid bucket name/],
    ["s3://bucket/x?region=mars", /not a valid region/],
    ["s3://bucket/x?region", /needs a value/],
    ["s3://bucket/x?region=us-east-1&region=us-east-2", /given twice/],
    ["s3://bucket/x?regoin=us-east-1", /unknown parameter "regoin"/],
    ["s3://bucket/x?region=%zz", /bad %-escape/],
    ["s3://bucket/x?use_path_style=yes", /takes true or false/],
    ["s3://bucket/a/../b", /segment/],
    ["atlas://app?tag=a&version=1", /not both/],
    ["atlas://app?tag=bad/tag", /may contain only/],
    ["atlas://my app", /may contain only/],
    ["atlas://app/extra", /no path/],
    ["file://", /needs a folder/],
    ["file:///x?y=1", /no query/],
    ["migrations", /not a replica URL/],
  ])("refuses %s", (url, message) => {
    expect(() => parseReplicaUrl(url)).toThrow(message);
  });

  it("never shows credentials from a refused URL", () => {
    let message = "";
    try {
      parseReplicaUrl("s3://AKIAXXXX:supersecretkey@bucket/x");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/take no credentials/);
    expect(message).not.toContain("supersecretkey");
  });
});

describe("checkTag", () => {
  it("allows letters, digits, - _ . up to 128 characters", () => {
    expect(checkTag("a".repeat(128))).toHaveLength(128);
    expect(checkTag("v1.0_rc-2")).toBe("v1.0_rc-2");
    expect(() => checkTag("a".repeat(129))).toThrow(/longer than 128/);
    expect(() => checkTag("..")).toThrow(/may contain only/);
    expect(() => checkTag("")).toThrow(/empty/);
  });
});
