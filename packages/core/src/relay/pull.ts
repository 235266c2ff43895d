// Fallback read: the primary (registry) first, then each backup in order; nothing unverified is
// returned (docs/architecture.md, "Apply: data flow").
import { DEFAULT_MAX_ARCHIVE_BYTES } from "../dir/index";
import type { MigrationDir } from "../dir/types";
import { type ErrorKind, messageOf, RelayError } from "../errors";
import { GrantStore } from "../grant/grant";
import { CloudReplica, refText } from "../replica/cloud";
import { checkTag, checkVersion } from "../replica/names";
import type { Attempt, Replica, StateRef } from "../replica/types";
import { envSecrets, redact } from "../secrets";
import { DEFAULT_PULL_RETRIES, DEFAULT_PULL_TIMEOUT_MS } from "../settings";
import { type FallbackPlan, type LaggingReplica, laggingText, planFallback } from "./health";
import { isEligible, runTurn, type TurnOutcome } from "./turn";
import { type Verified, verifyFetched as verify } from "./verify";

export interface PullOptions {
  /** Tag or version; default the primary URL's own (`atlas://app?tag=x`), else `latest`. */
  ref?: StateRef;
  /** Per-replica time for the whole turn (read + verify), retries included. */
  timeoutMs?: number;
  retries?: number;
  grants?: GrantStore;
  secrets?: string[];
  signal?: AbortSignal;
  maxArchiveBytes?: number;
  onAttempt?: (attempt: Attempt) => void;
}

/** The state a read served, named so a user can find it again (tag, version, digest, commit, time). */
export interface ServedState {
  /** The tag asked for (`latest`), when read by tag. */
  tag?: string;
  version: string;
  digest: string;
  /** From the manifest (blob replicas); the registry's answer carries neither. */
  commit?: string;
  pushedAt?: string;
}

export interface PullResult {
  dir: MigrationDir;
  digest: string;
  version: string;
  state: ServedState;
  /** Backups found behind the state served (fallback read of `latest` only). */
  lagging?: LaggingReplica[];
  /** Redacted URL of the replica the directory came from. */
  source: string;
  ref: StateRef;
  trail: Attempt[];
  grantChanged: boolean;
}

/** Every replica failed, or one failed in a way that forbids falling back. */
export class PullError extends RelayError {
  constructor(
    kind: ErrorKind,
    message: string,
    readonly trail: Attempt[],
    readonly grantChanged: boolean,
  ) {
    super(kind, message);
    this.name = "PullError";
  }
}

export async function pull(replicas: Replica[], options: PullOptions = {}): Promise<PullResult> {
  if (replicas.length === 0)
    throw new RelayError("config", "nothing to read from: no registry and no backups");
  const ref = options.ref ?? replicas[0]!.ref ?? { tag: "latest" };
  if ("tag" in ref) checkTag(ref.tag);
  else checkVersion(ref.version);
  const limits = {
    timeoutMs: options.timeoutMs ?? DEFAULT_PULL_TIMEOUT_MS,
    retries: options.retries ?? DEFAULT_PULL_RETRIES,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const maxBytes = options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
  const registry = replicas[0] instanceof CloudReplica ? replicas[0] : undefined;
  const grants = registry ? (options.grants ?? new GrantStore()) : undefined;
  const secrets = [...(options.secrets ?? []), ...envSecrets(), ...(registry ? [registry.token] : [])];
  const trail: Attempt[] = [];
  const fail = (kind: ErrorKind, message: string) =>
    new PullError(kind, redact(message, secrets), trail, grants?.changed ?? false);

  // Once the primary failed, a read of `latest` asks every backup's manifest at once and serves the
  // newest state, naming the backups that lag (a backup down during a push keeps an older latest).
  const queue = [...replicas];
  let plan: FallbackPlan | undefined;
  while (queue.length > 0) {
    const replica = queue.shift()!;
    const preloaded = plan?.preloaded?.replica === replica ? plan.preloaded.verified : undefined;
    // The plan read this backup's latest manifest already: go straight to the archive it names.
    const manifest = plan?.manifests.get(replica);
    const outcome: TurnOutcome<Verified> = preloaded
      ? { value: preloaded, attempts: 0, ms: 0 }
      : await runTurn(replica, limits, secrets, async (signal) =>
          verify(
            await (manifest && replica.fetchManifest
              ? replica.fetchManifest(manifest, signal)
              : replica.fetch(ref, signal)),
            maxBytes,
            ref,
          ),
        );
    const attempt: Attempt = {
      url: replica.display,
      kind: replica.kind,
      outcome: outcome.value ? "ok" : "failed",
      ms: Math.round(outcome.ms),
    };
    if (outcome.value) attempt.note = outcome.value.note;
    const error = outcome.error;
    if (error) {
      attempt.error = error.message;
      attempt.errorKind = error.kind;
      attempt.eligible = isEligible(error);
    }
    trail.push(attempt);
    let reported = false;
    const report = () => {
      if (!reported) options.onAttempt?.(attempt);
      reported = true;
    };

    if (replica === registry && grants) {
      if (error?.kind === "unauthorized") {
        await grants.revoke(registry.registry, registry.token);
        report();
        throw fail(
          "unauthorized",
          `${error.message}; not falling back to the backups (a refused token must not deploy), and the license grant was deleted`,
        );
      }
      if (error?.kind === "unreachable") {
        // Without the registry, only an unexpired grant for this token lets the backups stand in.
        const check = await grants.check(registry.registry, registry.token);
        if (!check.ok) {
          report();
          throw fail("unauthorized", grants.explain(check, registry.registry, error.message));
        }
        attempt.note = `license grant valid until ${check.grant.expiresAt}`;
      } else if (!error || error.kind === "not-found" || error.kind === "integrity") {
        // A grant that cannot be written costs the next offline run, not this read: warn only.
        await grants.refresh(registry.registry, registry.token).catch((err: unknown) => {
          attempt.note = `could not record the license grant in ${grants.dir}: ${messageOf(err)}`;
        });
      }
    }

    if (outcome.value && plan) {
      // A backup whose latest the plan could not read, and that was not tried again (it was queued
      // last), goes on the trail before the one that served: the reader sees why it was passed over.
      for (const u of plan.unreadable) {
        if (trail.some((a) => a.url === u.replica.display)) continue;
        const passed: Attempt = {
          url: u.replica.display,
          kind: u.replica.kind,
          outcome: "failed",
          ms: u.ms,
          error: u.message,
          errorKind: u.kind,
          eligible: isEligible(u),
        };
        trail.splice(trail.length - 1, 0, passed);
        options.onAttempt?.(passed);
      }
      const lagging = plan.lagging.filter((l) => l.url !== replica.display);
      if (plan.conflict) attempt.note += `; ${plan.conflict}, so the configured order decided`;
      else if (lagging.length)
        attempt.note += `; newest of the backups (their latest manifests read at once in ${Math.round(plan.ms)} ms); lagging: ${lagging.map(laggingText).join(", ")}`;
    }
    report();
    if (outcome.value) {
      const { dir, digest, manifest } = outcome.value;
      const version = dir.files.at(-1)?.version ?? "";
      const lagging = plan?.lagging.filter((l) => l.url !== replica.display);
      return {
        dir,
        digest,
        version,
        state: {
          ...("tag" in ref ? { tag: ref.tag } : {}),
          version,
          digest,
          ...(manifest?.source.commit ? { commit: manifest.source.commit } : {}),
          ...(manifest?.pushedAt ? { pushedAt: manifest.pushedAt } : {}),
        },
        ...(lagging?.length ? { lagging } : {}),
        source: replica.display,
        ref,
        trail,
        grantChanged: grants?.changed ?? false,
      };
    }
    if (error && !isEligible(error)) {
      throw fail(
        error.kind,
        `${replica.display}: ${error.message}; not falling back (fix this replica's configuration)`,
      );
    }
    if (!plan && replica === replicas[0] && queue.length > 1 && "tag" in ref && ref.tag === "latest") {
      plan = await planFallback(queue, { limits, secrets, maxBytes });
      queue.splice(0, queue.length, ...plan.order);
    }
  }
  const kinds = new Set(trail.map((a) => a.errorKind));
  const kind = kinds.size === 1 ? [...kinds][0]! : "unreachable";
  const lines = trail.map((a) => `  ${a.url}: ${a.error}`);
  throw fail(kind, `could not read ${refText(ref)} from any replica:\n${lines.join("\n")}`);
}
