// The one home of secret handling: what counts as a secret, how it is found in URLs, connection
// strings and the environment, and how any text is made safe to print. Every front end routes what it
// prints through `redact` (or a `Secrets` set), so redaction is a property of printing, not of call sites.

import type { ResolvedEnv } from "./config/types";

const HIDDEN = "***";
/** Shorter known values are not replaced in free text (they would mangle ordinary words). */
const MIN_KNOWN = 3;

/** The connection parameters of a PostgreSQL URL (lib/pq's), but the password: their values are shown. */
export const POSTGRES_PARAMS = [
  "sslmode",
  "sslrootcert",
  "sslcert",
  "sslkey",
  "connect_timeout",
  "application_name",
  "host",
  "port",
  "user",
  "dbname",
  "options",
  "search_path",
] as const;

/**
 * Query parameters whose values are shown; every other value is hidden. The union of what the URLs we
 * read take: PostgreSQL (lib/pq), replica URLs (s3://, atlas://) and directory URLs.
 */
const SHOWN_PARAMS = new Set<string>([
  ...POSTGRES_PARAMS,
  "storage_account",
  "plain_http",
  "region",
  "endpoint",
  "use_path_style",
  "s3forcepathstyle",
  "disablessl",
  "profile",
  "awssdk",
  "tag",
  "version",
  "format",
]);

/** Key names (key=value text, JSON) whose values are secrets. */
const SECRET_KEY = /pass|pwd|secret|token|credential|signature|private|api[-_]?key|access[-_]?key|auth/i;
/** Environment variable names whose values are secrets (PWD is the working directory, not a password). */
const SECRET_ENV =
  /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PRIVATE_KEY|ACCESS_KEY|API_KEY|STORAGE_KEY|CONNECTION_STRING|CREDENTIAL/i;
/** Schemes whose whole user info is a credential (a token as user name); elsewhere only the password is. */
const OPAQUE_USERINFO = new Set(["http", "https", "ws", "wss", "ftp"]);

const URL_IN_TEXT = /(?:\b[A-Za-z][A-Za-z0-9+.-]*:)?\/\/[^\s"'`<>]+/g;
const URL_PARTS = /^((?:([A-Za-z][A-Za-z0-9+.-]*):)?\/\/)(?:([^/?#@]*)@)?([^?#]*)(?:\?([^#]*))?(#.*)?$/;
// libpq key/value pairs: `password=x`, `password = 'a \' b'`, `password="x"`.
const KEY_VALUE =
  /(^|[\s;,(&?])([A-Za-z_][\w.-]*)(\s*=\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s'"`,;)&]+)/g;
const JSON_PAIR = /"([\w.-]+)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

/** `***` as printed: plain, Markdown-escaped or percent-encoded; hiding it again would change its form. */
const isHidden = (v: string) => /^(?:\\?\*){3}$|^(?:%2A){3}$/i.test(v);

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

const unquote = (v: string) =>
  /^'.*'$|^".*"$/s.test(v) && v.length >= 2 ? v.slice(1, -1).replace(/\\(.)/g, "$1") : v;

interface UrlFound {
  shown: string;
  secrets: string[];
}

/** One URL (or something URL-shaped), redacted by structure; the secrets it held. */
function redactOneUrl(raw: string): UrlFound {
  const m = URL_PARTS.exec(raw);
  if (!m) return { shown: raw, secrets: [] };
  const [, prefix, scheme, userinfo, path, query, fragment] = m;
  const secrets: string[] = [];
  let out = prefix!;
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(":");
    if (OPAQUE_USERINFO.has((scheme ?? "").toLowerCase())) {
      secrets.push(...userinfo.split(":").flatMap((p) => [p, decode(p)]));
      out += `${HIDDEN}@`;
    } else if (colon !== -1 && !isHidden(userinfo.slice(colon + 1))) {
      const password = userinfo.slice(colon + 1);
      secrets.push(password, decode(password));
      out += `${userinfo.slice(0, colon)}:${HIDDEN}@`;
    } else out += `${userinfo}@`;
  }
  out += path;
  if (query !== undefined) {
    const pairs = query.split("&").map((pair) => {
      const eq = pair.indexOf("=");
      if (eq === -1) return pair;
      const key = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (isHidden(value)) return pair;
      // A Markdown summary escapes "_" in names (use\_path\_style): the name is still allowed.
      if (!SHOWN_PARAMS.has(decode(key).replace(/\\/g, "").toLowerCase())) {
        if (value !== "") secrets.push(value, decode(value));
        return `${key}=${HIDDEN}`;
      }
      // An allowed value may itself be a URL with credentials (endpoint=http://key:secret@host).
      const inner = decode(value);
      if (!inner.includes("//")) return pair;
      const found = redactOneUrl(inner);
      secrets.push(...found.secrets);
      return found.shown === inner ? pair : `${key}=${found.shown}`;
    });
    out += `?${pairs.join("&")}`;
  }
  out += fragment ?? "";
  return { shown: out, secrets };
}

function redactKeyValues(text: string, secrets?: string[]): string {
  const kv = text.replace(KEY_VALUE, (whole, lead: string, key: string, eq: string, value: string) => {
    if (!SECRET_KEY.test(key) || isHidden(value)) return whole;
    secrets?.push(unquote(value));
    return `${lead}${key}${eq}${HIDDEN}`;
  });
  return kv.replace(JSON_PAIR, (whole, key: string, colon: string, value: string) => {
    if (!SECRET_KEY.test(key) || isHidden(value)) return whole;
    secrets?.push(value);
    return `"${key}"${colon}"${HIDDEN}"`;
  });
}

function redactStructure(text: string, secrets?: string[]): string {
  const urls = text.replace(URL_IN_TEXT, (match) => {
    // Punctuation that ends a sentence ends the URL too: `s3://b/p?region=x: ok`.
    const tail = /[:,.;)!?\]]+$/.exec(match)?.[0] ?? "";
    const found = redactOneUrl(match.slice(0, match.length - tail.length));
    secrets?.push(...found.secrets);
    return found.shown + tail;
  });
  return redactKeyValues(urls, secrets);
}

/** The forms a value takes when printed inside a URL, JSON or HTML. */
function printedForms(secret: string): string[] {
  const html = secret
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), html];
}

/**
 * Makes any text safe to print: every known secret (and its escaped forms) becomes ***, then URL
 * passwords, http user info, query values not on the allow-list and key=value secrets are hidden.
 */
export function redact(text: string, known: readonly string[] = []): string {
  let out = text;
  const forms = [...new Set(known.filter((s) => s.length >= MIN_KNOWN).flatMap(printedForms))];
  forms.sort((a, b) => b.length - a.length);
  for (const form of forms) if (form.length >= MIN_KNOWN) out = out.split(form).join(HIDDEN);
  return redactStructure(out);
}

/**
 * A URL or connection string as it is safe to show: `postgres://app:***@db/prod?sslmode=require`,
 * `host=db password=*** dbname=prod`. Shown exactly as written when there is nothing to hide.
 */
export const redactUrl = (raw: string): string => redact(raw);

/** The secret values inside a URL or connection string (raw and percent-decoded), to mask wherever printed. */
export function secretsOf(text: string): string[] {
  const found: string[] = [];
  redactStructure(text, found);
  return [...new Set(found.filter((s) => s !== "" && s !== HIDDEN))];
}

/** Values of the environment that must never be printed: secret-named variables and URL/DSN passwords. */
export function envSecrets(env: Record<string, string | undefined> = process.env): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_ENV.test(name) && name !== "PWD" && name !== "OLDPWD") out.push(value);
    else if (value.includes("//") || value.includes("=")) out.push(...secretsOf(value));
  }
  return [...new Set(out.filter((s) => s.length >= MIN_KNOWN))];
}

/**
 * The secrets one run knows of. `onNew` sees each once (the actions pass core.setSecret, so the
 * runner masks them too); `redact` applies them all plus the structural rules.
 */
export class Secrets {
  readonly list: string[] = [];
  constructor(private readonly onNew?: (secret: string) => void) {}

  add(...values: (string | undefined)[]): this {
    for (const value of values) {
      if (!value || value.length < MIN_KNOWN || this.list.includes(value)) continue;
      this.list.push(value);
      this.onNew?.(value);
    }
    return this;
  }

  /** Adds the secrets inside URLs or connection strings. */
  addFrom(...texts: (string | undefined)[]): this {
    for (const text of texts) if (text) this.add(...secretsOf(text));
    return this;
  }

  /** Adds the token and every URL's secrets of a resolved atlas.hcl env. */
  addEnv(env: ResolvedEnv | undefined): this {
    if (!env) return this;
    const { migration } = env;
    this.add(env.cloud.token);
    return this.addFrom(env.url, env.dev, migration.dir, migration.repo.url, ...migration.repo.backup);
  }

  redact(text: string): string {
    return redact(text, this.list);
  }
}
