// URLs of the cloud object stores beyond S3, in Atlas's spellings (its docs: gs://my-bucket/prefix,
// azureblob://container/prefix?storage_account=NAME, oci://user:token@ghcr.io/org/repo); gocloud's
// azblob:// is accepted beside azureblob://.
import { inputError } from "../errors";
import type { AzureLocation } from "./azure";
import type { GcsLocation } from "./gcs";
import type { OciLocation } from "./oci";
import { boolParam, keyPrefix, parseQuery, type splitUrl } from "./url";

export type StoreSpec =
  | { kind: "gs"; location: GcsLocation; display: string }
  | { kind: "azblob"; location: AzureLocation; display: string }
  | { kind: "oci"; location: OciLocation; display: string };

type Parts = NonNullable<ReturnType<typeof splitUrl>>;

const noCredentials = (parts: Parts, shown: string, instead: string) => {
  if (parts.authority.includes("@")) throw inputError(`${shown}: this URL takes no credentials; ${instead}`);
};

// GCS bucket names: 3-63 lowercase letters, digits, "-", "_", "." (222 with dots; not checked).
const GCS_BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

export function parseGs(parts: Parts, shown: string): StoreSpec {
  noCredentials(
    parts,
    shown,
    "use Application Default Credentials (google-github-actions/auth, GOOGLE_APPLICATION_CREDENTIALS)",
  );
  const bucket = parts.authority;
  if (!GCS_BUCKET.test(bucket) || bucket.includes("..")) {
    throw inputError(`${shown}: "${bucket}" is not a valid bucket name (gs://<bucket>/<prefix>)`);
  }
  parseQuery(parts.query, shown, []);
  return { kind: "gs", location: { bucket, prefix: keyPrefix(parts.path, shown) }, display: shown };
}

const CONTAINER = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;
const ACCOUNT = /^[a-z0-9]{3,24}$/;

export function parseAzblob(parts: Parts, shown: string): StoreSpec {
  noCredentials(parts, shown, "set AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_KEY, or use azure/login");
  const container = parts.authority;
  if (!CONTAINER.test(container)) {
    throw inputError(
      `${shown}: "${container}" is not a valid container name (3-63 lowercase letters, digits and single "-")`,
    );
  }
  const params = parseQuery(parts.query, shown, ["storage_account"]);
  const account = params.get("storage_account");
  if (account !== undefined && !ACCOUNT.test(account)) {
    throw inputError(
      `${shown}: "${account}" is not a valid storage account name (3-24 lowercase letters, digits)`,
    );
  }
  const location: AzureLocation = { container, prefix: keyPrefix(parts.path, shown) };
  if (account) location.account = account;
  return { kind: "azblob", location, display: shown };
}

// The distribution spec's repository name: lowercase components joined by "/".
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const LOOPBACK = /^(localhost|127(?:\.\d+){3}|\[::1\])(:\d+)?$/;

export function parseOci(parts: Parts, shown: string): StoreSpec {
  const at = parts.authority.lastIndexOf("@");
  const userinfo = at === -1 ? undefined : parts.authority.slice(0, at);
  const host = at === -1 ? parts.authority : parts.authority.slice(at + 1);
  if (!/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(host)) {
    throw inputError(`${shown}: "${host}" is not a registry host (oci://[user:token@]host/repository)`);
  }
  const repository = parts.path.replace(/^\/+|\/+$/g, "");
  if (!REPOSITORY.test(repository)) {
    throw inputError(
      `${shown}: "${repository}" is not a repository name (lowercase letters, digits, ".", "_", "-", "/"-separated)`,
    );
  }
  const params = parseQuery(parts.query, shown, ["plain_http"]);
  const location: OciLocation = {
    host: host.toLowerCase(),
    repository,
    // Like docker and oras: plain HTTP for loopback registries, TLS everywhere else unless asked.
    plainHttp: boolParam(params, "plain_http", shown) ?? LOOPBACK.test(host),
  };
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(":");
    try {
      location.username = decodeURIComponent(colon === -1 ? userinfo : userinfo.slice(0, colon));
      if (colon !== -1) location.password = decodeURIComponent(userinfo.slice(colon + 1));
    } catch {
      throw inputError(`${shown}: malformed credentials (bad %-escape)`);
    }
  }
  return { kind: "oci", location, display: shown };
}
