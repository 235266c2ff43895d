// The license grant (docs/architecture.md, "The grant"): the record of the last time the registry accepted this token.
// While the registry cannot be reached, atlas:// work goes on only under an unexpired grant for the
// same token and registry. Only a hash prefix of the token is kept, never the token.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { CLI_HINTS, type Hints } from "../hints";
import { DEFAULT_GRANT_TTL_MS } from "../settings";

/** How far in the future a grant's verifiedAt may lie (runners' clocks differ) before it is refused. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface Grant {
  /** The registry endpoint, credentials redacted. */
  registry: string;
  /** First 16 hex digits of SHA-256(token). */
  tokenSha256: string;
  org?: string;
  verifiedAt: string;
  expiresAt: string;
}

export type GrantCheck =
  | { ok: true; grant: Grant }
  | { ok: false; reason: "missing" | "expired" | "unreadable"; grant?: Grant };

export interface GrantStoreOptions {
  /** The grant directory; default `$MIGRATE_RELAY_HOME/grants`, else `~/.migrate-relay/grants`. */
  dir?: string;
  ttlMs?: number;
  env?: Record<string, string | undefined>;
  now?: () => Date;
  /** The front end's words for how the grant directory is kept (default the CLI's). */
  hints?: Pick<Hints, "keepGrants">;
}

/**
 * The folder the actions cache and other CI systems keep between runs: `$MIGRATE_RELAY_HOME/grants`
 * when set; on GitLab CI `$CI_PROJECT_DIR/.migrate-relay/grants` (GitLab caches only paths inside the
 * project directory, so `cache: { paths: [.migrate-relay/] }` is all a pipeline needs); elsewhere
 * (CircleCI, Bitbucket, a laptop) `~/.migrate-relay/grants`, which their cache steps can name as is.
 */
export function defaultGrantDir(env: Record<string, string | undefined> = process.env): string {
  const home =
    env.MIGRATE_RELAY_HOME ||
    (env.GITLAB_CI === "true" && env.CI_PROJECT_DIR
      ? join(env.CI_PROJECT_DIR, ".migrate-relay")
      : join(env.HOME || homedir(), ".migrate-relay"));
  return join(home, "grants");
}

/** The token's public identity: first 16 hex of its SHA-256 (also the actions' cache key part). */
export const tokenSha256 = (token: string): string =>
  createHash("sha256").update(token).digest("hex").slice(0, 16);

export class GrantStore {
  readonly dir: string;
  readonly ttlMs: number;
  private readonly now: () => Date;
  private readonly hints: Pick<Hints, "keepGrants">;
  /** Whether any grant file was written or deleted: the actions save their cache only then. */
  changed = false;

  constructor(options: GrantStoreOptions = {}) {
    this.dir = options.dir ?? defaultGrantDir(options.env);
    this.ttlMs = options.ttlMs ?? DEFAULT_GRANT_TTL_MS;
    this.now = options.now ?? (() => new Date());
    this.hints = options.hints ?? CLI_HINTS;
  }

  private file(registry: string, token: string): string {
    const registryId = createHash("sha256").update(registry).digest("hex").slice(0, 16);
    return join(this.dir, `${tokenSha256(token)}-${registryId}.json`);
  }

  async check(registry: string, token: string): Promise<GrantCheck> {
    let grant: Grant;
    try {
      grant = JSON.parse(await readFile(this.file(registry, token), "utf8")) as Grant;
    } catch (err) {
      return {
        ok: false,
        reason: (err as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "unreadable",
      };
    }
    const verified = Date.parse(grant.verifiedAt);
    // A hand-edited expiry is not believed: a grant lasts at most ttl from its verification, and a
    // verification in the future (beyond clock skew between runners) is no verification at all.
    const expires = Math.min(Date.parse(grant.expiresAt), verified + this.ttlMs);
    // The file name already binds token and registry; the fields guard against a copied file.
    if (
      grant.registry !== registry ||
      grant.tokenSha256 !== tokenSha256(token) ||
      Number.isNaN(expires) ||
      verified > this.now().getTime() + MAX_CLOCK_SKEW_MS
    ) {
      return { ok: false, reason: "unreadable" };
    }
    if (expires <= this.now().getTime())
      return {
        ok: false,
        reason: "expired",
        grant: { ...grant, expiresAt: new Date(expires).toISOString() },
      };
    return { ok: true, grant };
  }

  /** Records a successful authenticated registry call. */
  async refresh(registry: string, token: string, org?: string): Promise<Grant> {
    const now = this.now();
    const grant: Grant = {
      registry,
      tokenSha256: tokenSha256(token),
      ...(org ? { org } : {}),
      verifiedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.ttlMs).toISOString(),
    };
    const path = this.file(registry, token);
    const temp = `${path}.tmp-${randomBytes(6).toString("hex")}`;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFile(temp, `${JSON.stringify(grant, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, path);
    this.changed = true;
    return grant;
  }

  /** The registry refused the token (401/403): no grant may outlive that. */
  async revoke(registry: string, token: string): Promise<boolean> {
    const path = this.file(registry, token);
    try {
      await rm(path);
      this.changed = true;
      return true;
    } catch {
      return false;
    }
  }

  /** Why atlas:// work cannot go on without the registry, and how to fix it. */
  explain(check: Exclude<GrantCheck, { ok: true }>, registry: string, cause: string): string {
    const state =
      check.reason === "expired"
        ? `the license grant expired at ${check.grant?.expiresAt}`
        : check.reason === "unreadable"
          ? "the license grant file is unreadable"
          : "there is no license grant for this token";
    const reason = cause.startsWith(`registry ${registry}: `) ? cause.slice(registry.length + 11) : cause;
    return (
      `registry ${registry} cannot be reached (${reason}) and ${state} in ${this.dir}: ` +
      `run once while the registry is reachable to record a grant, and keep the grant directory (${this.hints.keepGrants})`
    );
  }
}
