import { describe, expect, it } from "vitest";
import { ociCredentials } from "./oci";
import { parseReplicaUrl } from "./url";

describe("gs://, azureblob:// and oci:// URLs", () => {
  it("parses Atlas's documented spellings", () => {
    expect(parseReplicaUrl("gs://my-bucket/atlas-registry")).toEqual({
      kind: "gs",
      display: "gs://my-bucket/atlas-registry",
      location: { bucket: "my-bucket", prefix: "atlas-registry/" },
    });
    expect(parseReplicaUrl("azureblob://my-container/atlas-registry?storage_account=myaccount")).toEqual({
      kind: "azblob",
      display: "azureblob://my-container/atlas-registry?storage_account=myaccount",
      location: { container: "my-container", prefix: "atlas-registry/", account: "myaccount" },
    });
    expect(parseReplicaUrl("azblob://c0ntainer")).toMatchObject({
      kind: "azblob",
      location: { container: "c0ntainer", prefix: "" },
    });
    expect(parseReplicaUrl("oci://user:ghp_token123@ghcr.io/org/atlas-registry")).toEqual({
      kind: "oci",
      display: "oci://user:***@ghcr.io/org/atlas-registry",
      location: {
        host: "ghcr.io",
        repository: "org/atlas-registry",
        username: "user",
        password: "ghp_token123",
        plainHttp: false,
      },
    });
    expect(parseReplicaUrl("oci://127.0.0.1:5000/backups")).toMatchObject({
      location: { host: "127.0.0.1:5000", plainHttp: true },
    });
    expect(parseReplicaUrl("oci://registry.internal:5000/b?plain_http=true")).toMatchObject({
      location: { plainHttp: true },
    });
  });

  it.each([
    ["gs://Bad_Bucket/x", /not a valid bucket name/],
    ["gs://bucket/x?region=us", /unknown parameter "region"/],
    ["gs://user:pw@bucket/x", /takes no credentials/],
    ["gs://bucket/a//b", /empty, "\." or "\.\." segment/],
    ["azureblob://Container/x", /not a valid container name/],
    ["azureblob://c-1/x?storage_account=Not_Valid", /not a valid storage account/],
    ["azureblob://key@container/x", /takes no credentials/],
    ["oci://ghcr.io", /not a repository name/],
    ["oci://ghcr.io/Org/Repo", /not a repository name/],
    ["oci://ghcr.io/org/repo?tag=x", /unknown parameter "tag"/],
  ])("rejects %s", (url, why) => {
    expect(() => parseReplicaUrl(url)).toThrow(why);
  });

  it("never shows the OCI token, even in an error", () => {
    expect(() => parseReplicaUrl("oci://u:s3cret-token@ghcr.io/Bad")).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("s3cret-token") }),
    );
  });

  it("finds OCI credentials: the URL, then MIGRATE_RELAY_OCI_TOKEN, then GITHUB_TOKEN on ghcr.io only", () => {
    const at = (url: string) => {
      const spec = parseReplicaUrl(url);
      if (spec.kind !== "oci") throw new Error("not oci");
      return spec.location;
    };
    const env = { MIGRATE_RELAY_OCI_TOKEN: "t1", GITHUB_TOKEN: "gh", GITHUB_ACTOR: "octo" };
    expect(ociCredentials(at("oci://u:p@ghcr.io/o/r"), env)).toEqual({ username: "u", password: "p" });
    expect(ociCredentials(at("oci://ghcr.io/o/r"), env)).toEqual({
      username: "migrate-relay",
      password: "t1",
    });
    expect(ociCredentials(at("oci://ghcr.io/o/r"), { GITHUB_TOKEN: "gh", GITHUB_ACTOR: "octo" })).toEqual({
      username: "octo",
      password: "gh",
    });
    expect(ociCredentials(at("oci://quay.io/o/r"), { GITHUB_TOKEN: "gh" })).toBeUndefined();
  });
});
