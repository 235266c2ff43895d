// Every URL shown to a person goes through here: passwords and tokens never reach a log.
const SECRET_PARAMS =
  /^(password|pass|pwd|token|secret|access_key|secret_key|sessiontoken|x-amz-security-token|x-amz-credential|x-amz-signature)$/i;

/** `postgres://user:pass@host/db?password=x` -> `postgres://user:***@host/db?password=***`. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not a URL we can parse: still hide anything that looks like userinfo.
    return raw.replace(/\/\/([^/@:]*):[^/@]*@/, "//$1:***@");
  }
  const secretKeys = [...url.searchParams.keys()].filter((key) => SECRET_PARAMS.test(key));
  // Nothing to hide: show the URL exactly as written (URL would add a trailing "/" to some).
  if (!url.password && secretKeys.length === 0) return raw;
  if (url.password) url.password = "***";
  for (const key of secretKeys) url.searchParams.set(key, "***");
  // URL encodes "*" in userinfo as-is and in the query as "%2A"; show both as ***.
  return url.toString().replace(/%2A%2A%2A/g, "***");
}

/** The secrets inside a URL (password, secret query values), to be masked wherever printed. */
export function secretsOfUrl(raw: string): string[] {
  const out: string[] = [];
  try {
    const url = new URL(raw);
    if (url.password) out.push(url.password, decodeURIComponent(url.password));
    for (const [key, value] of url.searchParams) if (SECRET_PARAMS.test(key) && value) out.push(value);
  } catch {
    /* not a URL: nothing to extract */
  }
  return [...new Set(out)];
}
