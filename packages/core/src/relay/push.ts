// Push: one archive, every replica at once, one result per target (DESIGN §4).
import type { MigrationDir } from "../dir/types";
import { type ErrorKind, messageOf, RelayError } from "../errors";
import { GrantStore } from "../grant/grant";
import { CloudReplica } from "../replica/cloud";
import type { Replica, State } from "../replica/types";
import { buildState, type StateOptions } from "./state";
import { envSecrets, runTarget, scrub } from "./target";

export const DEFAULT_PUSH_TIMEOUT_MS = 60_000;
export const DEFAULT_PUSH_RETRIES = 2;

export interface PushOptions extends StateOptions {
  /** Per-target time for the whole turn, retries included. */
  timeoutMs?: number;
  retries?: number;
  /** Grant store for atlas:// targets; a default one (MIGRATE_RELAY_HOME) otherwise. */
  grants?: GrantStore;
  /** Extra strings that must never appear in results (tokens, keys). */
  secrets?: string[];
  signal?: AbortSignal;
  /** Called as each target finishes, for live log lines. */
  onTarget?: (target: TargetResult) => void;
}

export interface TargetResult {
  /** Redacted URL. */
  url: string;
  kind: Replica["kind"];
  role: "registry" | "primary" | "backup";
  ok: boolean;
  error?: string;
  errorKind?: ErrorKind;
  ms: number;
  /** Archive bytes sent (0 when the replica had them already). */
  bytes: number;
  skipped?: boolean;
  latestMoved?: boolean;
  note?: string;
  attempts: number;
}

export interface PushResult {
  ok: boolean;
  /** Why the push as a whole failed. */
  error?: string;
  slug: string;
  tag: string;
  digest: string;
  version: string;
  files: number;
  url: string;
  link: string;
  targets: TargetResult[];
  /** A grant file was written or deleted: cache the grant directory again. */
  grantChanged: boolean;
}

/**
 * Publishes `dir` to every replica; the first one is the primary (the registry when atlas://).
 * Without an unexpired grant, the backups wait for the registry: they are written only after it
 * answered, so a token the registry refuses never publishes anywhere.
 */
export async function push(
  dir: MigrationDir,
  replicas: Replica[],
  options: PushOptions,
): Promise<PushResult> {
  if (replicas.length === 0) throw new RelayError("config", "nothing to push to: no registry and no backups");
  const state = buildState(dir, options);
  const limits = {
    timeoutMs: options.timeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS,
    retries: options.retries ?? DEFAULT_PUSH_RETRIES,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const registry = replicas[0] instanceof CloudReplica ? replicas[0] : undefined;
  const grants = registry ? (options.grants ?? new GrantStore()) : undefined;
  const secrets = [...(options.secrets ?? []), ...envSecrets(), ...(registry ? [registry.token] : [])];

  const licensed = registry && grants ? await grants.check(registry.registry, registry.token) : undefined;
  let link = "";
  const publishTo = async (replica: Replica, index: number): Promise<TargetResult> => {
    const outcome = await runTarget(replica, limits, secrets, (signal) => replica.publish(state, { signal }));
    const result: TargetResult = {
      url: replica.display,
      kind: replica.kind,
      role: index > 0 ? "backup" : registry ? "registry" : "primary",
      ok: outcome.value !== undefined,
      ms: Math.round(outcome.ms),
      bytes: outcome.value?.bytes ?? 0,
      attempts: outcome.attempts,
    };
    if (outcome.value) {
      const { skipped, latestMoved, note } = outcome.value;
      if (skipped) result.skipped = true;
      if (latestMoved !== undefined) result.latestMoved = latestMoved;
      if (note) result.note = scrub(note, secrets);
      if (outcome.value.link) link = outcome.value.link;
    }
    if (outcome.error) {
      result.error = outcome.error.message;
      result.errorKind = outcome.error.kind;
      if (replica === registry && outcome.error.kind === "unreachable" && licensed?.ok) {
        result.note = `continuing under the license grant valid until ${licensed.grant.expiresAt}`;
      }
    }
    options.onTarget?.(result);
    return result;
  };

  let targets: TargetResult[];
  let failure: string | undefined;
  if (!registry || licensed?.ok) {
    targets = await Promise.all(replicas.map(publishTo));
  } else {
    const first = await publishTo(registry, 0);
    const cannotReach = first.errorKind === "unreachable";
    const refused = first.errorKind === "unauthorized";
    if ((cannotReach || refused) && licensed && !licensed.ok) {
      failure = refused
        ? `${first.error}; nothing was pushed to the backups`
        : grants!.explain(licensed, registry.registry, first.error ?? "no answer");
      targets = [first, ...replicas.slice(1).map((r) => notAttempted(r, failure!))];
    } else {
      targets = [first, ...(await Promise.all(replicas.slice(1).map((r, i) => publishTo(r, i + 1))))];
    }
  }

  const registryResult = registry ? targets[0] : undefined;
  if (registry && registryResult && grants) {
    if (registryResult.errorKind === "unauthorized") {
      await grants.revoke(registry.registry, registry.token);
      failure ??= `${registryResult.error}; the license grant was deleted`;
    } else if (registryResult.ok || answered(registryResult.errorKind)) {
      const warning = await grants.refresh(registry.registry, registry.token, orgOf(link)).then(
        () => undefined,
        (err: unknown) => `could not record the license grant in ${grants.dir}: ${messageOf(err)}`,
      );
      if (warning) registryResult.note = warning;
    }
  }
  const okCount = targets.filter((t) => t.ok).length;
  if (!failure && okCount === 0) failure = "no target took the push";
  const ok = failure === undefined;
  return {
    ok,
    ...(failure ? { error: scrub(failure, secrets) } : {}),
    slug: state.repo,
    tag: state.tag,
    digest: state.digest,
    version: state.version,
    files: state.files,
    url: registry ? `atlas://${state.repo}?tag=${state.tag}` : replicas[0]!.display,
    link,
    targets,
    grantChanged: grants?.changed ?? false,
  };
}

/** The organization from a registry link, `https://<org>.atlasgo.cloud/dirs/...`. */
function orgOf(link: string): string | undefined {
  return /^https:\/\/([a-z0-9-]+)\.atlasgo\.cloud\//i.exec(link)?.[1];
}

// The registry answered (so it accepted the token) even though the call failed.
const answered = (kind?: ErrorKind) => kind === "not-found" || kind === "integrity" || kind === "conflict";

function notAttempted(replica: Replica, why: string): TargetResult {
  return {
    url: replica.display,
    kind: replica.kind,
    role: "backup",
    ok: false,
    error: `not attempted: ${why}`,
    errorKind: "unauthorized",
    ms: 0,
    bytes: 0,
    attempts: 0,
  };
}

export type { State };
