// PostgreSQL URLs as Atlas users write them -> pg client config, and connection errors a user can act on.
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import pg from "pg";
import { configError, RelayError } from "../errors";
import { POSTGRES_PARAMS, redact, redactUrl, secretsOf } from "../secrets";
import { DEFAULT_PG_CONNECT_TIMEOUT_MS } from "../settings";

export type SslMode = "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full";
const SSL_MODES: readonly SslMode[] = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

export interface PostgresTarget {
  /** For pg.Client, without ssl (chosen per attempt from sslMode). */
  config: pg.ClientConfig;
  sslMode: SslMode;
  ssl: ConnectionOptions;
  /** The URL's `search_path` (first schema), which Atlas treats as the connected schema. */
  schema?: string;
  database: string;
  /** Redacted URL for messages. */
  display: string;
  /** Values that must never appear in a message (password, secret query values). */
  secrets: string[];
}

// Query parameters that configure the connection itself; any other is sent as a server setting, as lib/pq does.
const CLIENT_PARAMS = new Set<string>([...POSTGRES_PARAMS, "password"]);

/** Parses `postgres://user:pass@host:port/db?search_path=s&sslmode=disable`. Throws a config error. */
export function parsePostgresUrl(raw: string): PostgresTarget {
  const display = redactUrl(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configError(`database URL ${display} is not a URL; expected postgres://user:pass@host:5432/db`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw configError(`database URL ${display}: unsupported scheme "${url.protocol}"; expected postgres://`);
  }
  const q = url.searchParams;
  const sslMode = (q.get("sslmode") ?? "prefer") as SslMode;
  if (!SSL_MODES.includes(sslMode)) {
    throw configError(`database URL ${display}: sslmode "${sslMode}" is not one of ${SSL_MODES.join(", ")}`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || q.get("dbname") || "";
  const searchPath = q.get("search_path") ?? undefined;
  const settings: string[] = [];
  if (searchPath) settings.push(`-c search_path=${escapeOption(searchPath)}`);
  for (const [key, value] of q) {
    if (!CLIENT_PARAMS.has(key)) settings.push(`-c ${key}=${escapeOption(value)}`);
  }
  if (q.get("options")) settings.unshift(q.get("options") as string);
  const timeout = q.get("connect_timeout");
  const config: pg.ClientConfig = {
    host: url.hostname
      ? decodeURIComponent(url.hostname).replace(/^\[|\]$/g, "")
      : (q.get("host") ?? undefined),
    port: Number(url.port || q.get("port") || 5432),
    user: decodeURIComponent(url.username) || q.get("user") || undefined,
    password: url.password ? decodeURIComponent(url.password) : (q.get("password") ?? undefined),
    database: database || undefined,
    application_name: q.get("application_name") ?? "migrate-relay",
    connectionTimeoutMillis: timeout ? Number(timeout) * 1000 : DEFAULT_PG_CONNECT_TIMEOUT_MS,
    options: settings.length ? settings.join(" ") : undefined,
  };
  const ssl: ConnectionOptions = {};
  // require/prefer/allow encrypt without verifying the certificate, as libpq does without a root cert.
  if (sslMode === "require" || sslMode === "prefer" || sslMode === "allow") ssl.rejectUnauthorized = false;
  if (sslMode === "verify-ca") ssl.checkServerIdentity = () => undefined;
  for (const [param, key] of [
    ["sslrootcert", "ca"],
    ["sslcert", "cert"],
    ["sslkey", "key"],
  ] as const) {
    const path = q.get(param);
    if (!path) continue;
    try {
      ssl[key] = readFileSync(path, "utf8");
    } catch (err) {
      throw configError(`database URL ${display}: cannot read ${param} ${path}: ${(err as Error).message}`);
    }
  }
  const schema = searchPath
    ?.split(",")[0]
    ?.trim()
    .replace(/^"(.*)"$/, "$1");
  return {
    config,
    sslMode,
    ssl,
    schema: schema || undefined,
    database: database || config.user || "",
    display,
    secrets: secretsOf(raw),
  };
}

// libpq's `options` splits on spaces; a backslash keeps one.
const escapeOption = (value: string) => value.replace(/\\/g, "\\\\").replace(/ /g, "\\ ");

/**
 * Opens a connection. sslmode follows libpq: prefer (the default) tries TLS then plain, allow the
 * reverse, require/verify-* insist on TLS. Errors become RelayErrors naming the redacted URL.
 */
export async function connect(
  target: PostgresTarget,
  extra: Partial<pg.ClientConfig> = {},
): Promise<pg.Client> {
  const attempts: (false | ConnectionOptions)[] =
    target.sslMode === "disable"
      ? [false]
      : target.sslMode === "allow"
        ? [false, target.ssl]
        : target.sslMode === "prefer"
          ? [target.ssl, false]
          : [target.ssl];
  let last: unknown;
  for (const [i, ssl] of attempts.entries()) {
    const client = new pg.Client({ ...target.config, ...extra, ssl });
    // A backend killed while idle surfaces as an 'error' event; without a listener Node would crash.
    client.on("error", () => undefined);
    try {
      await client.connect();
      return client;
    } catch (err) {
      last = err;
      await client.end().catch(() => undefined);
      // Fall back to the other transport only when TLS itself was the problem.
      const retryable = i + 1 < attempts.length && isTransportError(err);
      if (!retryable) break;
    }
  }
  throw connectionError(last, target);
}

function isTransportError(err: unknown): boolean {
  const message = (err as Error)?.message ?? "";
  const code = (err as { code?: string })?.code ?? "";
  return (
    /does not support SSL|SSL|TLS|certificate|EPROTO|ECONNRESET/i.test(message) ||
    /^ERR_TLS|^ERR_SSL|EPROTO|ECONNRESET/.test(code) ||
    code === "28000" // pg_hba rejects this transport ("no pg_hba.conf entry ... SSL off/on")
  );
}

/** Maps a pg/socket error during connect to a RelayError with an actionable, secret-free message. */
export function connectionError(err: unknown, target: PostgresTarget): RelayError {
  const e = err as { code?: string; message?: string };
  const raw = redact(e?.message ?? String(err), target.secrets);
  const where = target.display;
  const user = target.config.user ?? "(default user)";
  const wrap = (kind: ConstructorParameters<typeof RelayError>[0], message: string) =>
    new RelayError(kind, message, { cause: err });
  switch (e?.code) {
    case "28P01":
      return wrap("unauthorized", `password authentication failed for user "${user}" at ${where}`);
    case "28000":
      return wrap("unauthorized", `the server at ${where} refused the connection: ${raw}`);
    case "3D000":
      return wrap(
        "not-found",
        `database "${target.database}" does not exist on the server at ${where}; create it or fix the URL`,
      );
    case "ECONNREFUSED":
      return wrap("unreachable", `cannot connect to ${where}: connection refused (is the server running?)`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return wrap("unreachable", `cannot connect to ${where}: host "${target.config.host}" not found`);
    case "ETIMEDOUT":
      return wrap("unreachable", `cannot connect to ${where}: timed out`);
  }
  if (/client password must be a string|password.*(required|must be)/i.test(raw) && !target.config.password) {
    return wrap(
      "unauthorized",
      `the server at ${where} asks for a password for user "${user}" but the URL has none; add it as postgres://${user}:PASSWORD@...`,
    );
  }
  if (/does not support SSL/i.test(raw)) {
    return wrap(
      "unreachable",
      `the server at ${where} does not accept TLS but sslmode=${target.sslMode} requires it; use sslmode=disable or prefer, or enable SSL on the server`,
    );
  }
  if (/timeout/i.test(raw)) return wrap("unreachable", `cannot connect to ${where}: ${raw}`);
  if (/certificate|self.signed|unable to verify/i.test(raw)) {
    return wrap("unreachable", `TLS certificate of ${where} rejected (sslmode=${target.sslMode}): ${raw}`);
  }
  return wrap("unreachable", `cannot connect to ${where}: ${raw}`);
}

/** Ends a client without throwing (the connection may already be gone). */
export async function closeQuietly(client: pg.Client | undefined): Promise<void> {
  if (!client) return;
  await Promise.race([client.end().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
}
