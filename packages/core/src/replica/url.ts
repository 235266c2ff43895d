// Replica URLs, parsed and checked before anything is written (docs/relay.md).
import { isAbsolute, resolve } from "node:path";
import { inputError } from "../errors";
import { redactUrl } from "../secrets";
import { checkSlug, checkTag, checkVersion } from "./names";
import type { S3Location } from "./s3";
import { parseAzblob, parseGs, parseOci, type StoreSpec } from "./store-urls";
import type { StateRef } from "./types";

export type ReplicaSpec =
  | { kind: "cloud"; slug: string; ref?: StateRef }
  | { kind: "s3"; location: S3Location; display: string }
  | StoreSpec
  | { kind: "file"; root: string; display: string };

// gocloud's spellings are accepted beside Atlas's; `awssdk` picks an SDK version there and is moot here.
const S3_PARAMS = [
  "region",
  "endpoint",
  "use_path_style",
  "s3ForcePathStyle",
  "disableSSL",
  "profile",
  "awssdk",
];
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ANY_REGION = /^[a-z0-9][a-z0-9-]*$/;

/** Query parameters, strictly: `k=v` pairs, no repeats, no empty values, valid percent-escapes. */
export function parseQuery(query: string, shown: string, known: string[]): Map<string, string> {
  const params = new Map<string, string>();
  if (query === "") return params;
  for (const pair of query.split("&")) {
    const eq = pair.indexOf("=");
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
      value = eq === -1 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
    } catch {
      throw inputError(`${shown}: malformed query (bad %-escape)`);
    }
    if (!known.includes(key)) {
      throw inputError(`${shown}: unknown parameter "${key}" (known: ${known.join(", ")})`);
    }
    if (value === "") throw inputError(`${shown}: parameter "${key}" needs a value`);
    if (params.has(key)) throw inputError(`${shown}: parameter "${key}" given twice`);
    params.set(key, value);
  }
  return params;
}

export function boolParam(params: Map<string, string>, name: string, shown: string): boolean | undefined {
  const v = params.get(name);
  if (v === undefined) return undefined;
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw inputError(`${shown}: parameter "${name}" takes true or false, got "${v}"`);
}

/** Splits `scheme://authority/path?query#frag` without URL's normalisation (which hides mistakes). */
export function splitUrl(raw: string) {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/.exec(raw);
  if (!m) return undefined;
  return { scheme: m[1]!.toLowerCase(), authority: m[2]!, path: m[3]!, query: m[4] ?? "", fragment: m[5] };
}

export function parseReplicaUrl(raw: string, cwd: string = process.cwd()): ReplicaSpec {
  const shown = redactUrl(raw);
  const parts = splitUrl(raw.trim());
  if (!parts) {
    throw inputError(
      `"${shown}" is not a replica URL: use atlas://<repo>, s3://<bucket>/<prefix>, gs://, azureblob://, oci:// or file://<path>`,
    );
  }
  if (parts.fragment) throw inputError(`${shown}: a replica URL takes no #fragment`);
  switch (parts.scheme) {
    case "atlas":
      return parseAtlas(parts, shown);
    case "s3":
      return parseS3(parts, shown);
    case "gs":
      return parseGs(parts, shown);
    case "azureblob":
    case "azblob":
      return parseAzblob(parts, shown);
    case "oci":
      return parseOci(parts, shown);
    case "file":
      return parseFile(parts, shown, cwd);
    default:
      throw inputError(
        `${shown}: unknown scheme "${parts.scheme}://" (use atlas://, s3://, gs://, azureblob://, oci:// or file://)`,
      );
  }
}

function parseAtlas(parts: NonNullable<ReturnType<typeof splitUrl>>, shown: string): ReplicaSpec {
  if (parts.authority.includes("@"))
    throw inputError(`${shown}: atlas:// URLs take no credentials; pass the token separately`);
  if (parts.path !== "" && parts.path !== "/") throw inputError(`${shown}: use atlas://<repo> (no path)`);
  const slug = checkSlug(parts.authority);
  const params = parseQuery(parts.query, shown, ["tag", "version"]);
  const tag = params.get("tag");
  const version = params.get("version");
  if (tag !== undefined && version !== undefined) throw inputError(`${shown}: give tag or version, not both`);
  const ref =
    tag !== undefined
      ? { tag: checkTag(tag) }
      : version !== undefined
        ? { version: checkVersion(version) }
        : undefined;
  return ref ? { kind: "cloud", slug, ref } : { kind: "cloud", slug };
}

function parseS3(parts: NonNullable<ReturnType<typeof splitUrl>>, shown: string): ReplicaSpec {
  if (parts.authority.includes("@")) {
    throw inputError(
      `${shown}: s3:// URLs take no credentials; use the AWS credential chain (env, profile, role)`,
    );
  }
  const bucket = parts.authority;
  if (bucket === "") throw inputError(`${shown}: missing bucket (s3://<bucket>/<prefix>)`);
  if (!BUCKET.test(bucket) || bucket.includes("..")) {
    throw inputError(
      `${shown}: "${bucket}" is not a valid bucket name (3-63 lowercase letters, digits, "-", ".")`,
    );
  }
  const params = parseQuery(parts.query, shown, S3_PARAMS);
  const endpointRaw = params.get("endpoint");
  const region = params.get("region");
  if (region !== undefined && !(endpointRaw ? ANY_REGION : AWS_REGION).test(region)) {
    throw inputError(`${shown}: "${region}" is not a valid region (e.g. us-east-1)`);
  }
  const pathStyle =
    boolParam(params, "use_path_style", shown) ?? boolParam(params, "s3ForcePathStyle", shown);
  const disableSSL = boolParam(params, "disableSSL", shown) ?? false;
  let endpoint: string | undefined;
  if (endpointRaw !== undefined) {
    const withScheme = /^[a-z]+:\/\//i.test(endpointRaw)
      ? endpointRaw
      : `${disableSSL ? "http" : "https"}://${endpointRaw}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      throw inputError(`${shown}: endpoint "${redactUrl(endpointRaw)}" is not a URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw inputError(`${shown}: endpoint must be http(s)`);
    if (url.username || url.password) throw inputError(`${shown}: the endpoint takes no credentials`);
    endpoint = url.toString().replace(/\/$/, "");
  }
  const location: S3Location = {
    bucket,
    prefix: keyPrefix(parts.path, shown),
    forcePathStyle: pathStyle ?? endpoint !== undefined,
  };
  if (region) location.region = region;
  if (endpoint) location.endpoint = endpoint;
  const profile = params.get("profile");
  if (profile) location.profile = profile;
  return { kind: "s3", location, display: shown };
}

/** A URL path as a key prefix: "" or "a/b/"; no empty, "." or ".." segment. */
export function keyPrefix(path: string, shown: string): string {
  const segments = path.split("/").filter((s, i, all) => !(s === "" && (i === 0 || i === all.length - 1)));
  for (const s of segments) {
    if (s === "" || s === "." || s === "..")
      throw inputError(`${shown}: prefix has an empty, "." or ".." segment`);
  }
  return segments.length ? `${segments.join("/")}/` : "";
}

function parseFile(parts: NonNullable<ReturnType<typeof splitUrl>>, shown: string, cwd: string): ReplicaSpec {
  if (parts.query !== "") throw inputError(`${shown}: file:// URLs take no query`);
  if (parts.authority.includes("@")) throw inputError(`${shown}: file:// URLs take no credentials`);
  // file:///abs has an empty authority; file://rel/path puts "rel" there.
  let path: string;
  try {
    path = decodeURIComponent(
      parts.authority === "" || parts.authority === "localhost" ? parts.path : parts.authority + parts.path,
    );
  } catch {
    throw inputError(`${shown}: malformed path (bad %-escape)`);
  }
  if (path === "" || path === "/")
    throw inputError(`${shown}: needs a folder (file:///abs/path or file://relative/path)`);
  const root = isAbsolute(path) ? path : resolve(cwd, path);
  return { kind: "file", root, display: shown };
}
