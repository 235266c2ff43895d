// Atlas's URL functions run Go's net/url: parse, change one part, String(). WHATWG URL (Node's URL)
// normalizes differently (hosts, special schemes), so the few Go rules they rely on are written here.

const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*:)?(\/\/[^/?#]*)?([^?#]*)(\?[^#]*)?(#.*)?$/s;

interface GoUrl {
  scheme: string; // with ":" or ""
  authority: string; // with "//" or ""
  path: string; // escaped, as written
  query: string; // without "?"; undefined-like "" when absent
  hasQuery: boolean;
  fragment: string; // with "#" or ""
}

function split(raw: string): GoUrl | undefined {
  const m = URL_PARTS.exec(raw);
  if (!m) return undefined;
  return {
    scheme: m[1] ?? "",
    authority: m[2] ?? "",
    path: m[3] ?? "",
    query: (m[4] ?? "").slice(1),
    hasQuery: m[4] !== undefined,
    fragment: m[5] ?? "",
  };
}

const join = (u: GoUrl): string =>
  `${u.scheme}${u.authority}${u.path}${u.hasQuery && u.query !== "" ? `?${u.query}` : ""}${u.fragment}`;

const hex = (b: number): string => `%${b.toString(16).toUpperCase().padStart(2, "0")}`;

/** Go's url.QueryEscape: unreserved bytes stay, space becomes "+", everything else %XX. */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += hex(b);
  }
  return out;
}

/** Go's path escaping (url.URL.EscapedPath): also keeps the sub-delimiters a path may hold. */
function pathEscape(s: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c) ? c : hex(b);
  }
  return out;
}

function queryUnescape(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/** urlsetpath(url, path): replaces the path; a host-relative path gains its leading "/" as in Go. */
export function urlSetPath(raw: string, path: string): string | undefined {
  const u = split(raw);
  if (!u) return undefined;
  let escaped = pathEscape(path);
  if (escaped !== "" && !escaped.startsWith("/") && u.authority !== "") escaped = `/${escaped}`;
  return join({ ...u, path: escaped });
}

/** urlqueryset(url, key, value): sets one parameter; Go re-encodes the query with keys sorted. */
export function urlQuerySet(raw: string, key: string, value: string): string | undefined {
  const u = split(raw);
  if (!u) return undefined;
  const params = new Map<string, string[]>();
  for (const pair of u.query.split("&")) {
    if (pair === "" || pair.includes(";")) continue; // Go drops these pairs
    const eq = pair.indexOf("=");
    const k = queryUnescape(eq === -1 ? pair : pair.slice(0, eq));
    const v = queryUnescape(eq === -1 ? "" : pair.slice(eq + 1));
    if (k === undefined || v === undefined) continue;
    params.set(k, [...(params.get(k) ?? []), v]);
  }
  params.set(key, [value]);
  const query = [...params.keys()]
    .sort()
    .flatMap((k) => params.get(k)!.map((v) => `${queryEscape(k)}=${queryEscape(v)}`))
    .join("&");
  return join({ ...u, query, hasQuery: true });
}
