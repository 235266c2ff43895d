// Push: one archive, every replica at once, one result per target (docs/architecture.md, "Push: data flow").
import type { MigrationDir } from "../dir/types";
import { type ErrorKind, messageOf, RelayError } from "../errors";
import { type GrantCheck, GrantStore } from "../grant/grant";
import { CloudReplica } from "../replica/cloud";
import type { LatestState, Published, Replica, State } from "../replica/types";
import { envSecrets, redact } from "../secrets";
import { DEFAULT_PUSH_RETRIES, DEFAULT_PUSH_TIMEOUT_MS } from "../settings";
import { decideLatest } from "./latest";
import { buildState, type StateOptions } from "./state";
import { runTurn, type TurnLimits, type TurnOutcome } from "./turn";

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
  /** Whether this target's `latest` now points at the pushed state (absent when not asked to move it). */
  latestMoved?: boolean;
  /** The version `latest` pointed at before the push ("" when it had none), when it was read. */
  latestFrom?: string;
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

const GRANT_NOTE = "continuing under the license grant";

/**
 * Publishes `dir` to every replica; the first one is the primary (the registry when atlas://).
 * Without an unexpired grant, the backups wait for the registry: they are written only after it
 * answered, so a token the registry refuses never publishes anywhere.
 *
 * Moving `latest` (the default), every target's `latest` is read first and one decision is taken:
 * a state that does not extend one of them (an applied file edited, removed or renamed) is
 * published nowhere, unless `force`. The reads overlap the blob targets' archive uploads, which are
 * content-addressed and invisible to readers until a pointer is written after the decision.
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
  const moveLatest = state.latest || state.tag === "latest";

  const licensed = registry && grants ? await grants.check(registry.registry, registry.token) : undefined;
  let link = "";
  const roleOf = (index: number): TargetResult["role"] =>
    index > 0 ? "backup" : registry ? "registry" : "primary";
  const toResult = (replica: Replica, index: number, outcome: TurnOutcome<Published>): TargetResult => {
    const result: TargetResult = {
      url: replica.display,
      kind: replica.kind,
      role: roleOf(index),
      ok: outcome.value !== undefined,
      ms: Math.round(outcome.ms),
      bytes: outcome.value?.bytes ?? 0,
      attempts: outcome.attempts,
    };
    if (outcome.value) {
      const { skipped, latestMoved, note } = outcome.value;
      if (skipped) result.skipped = true;
      if (latestMoved !== undefined) result.latestMoved = latestMoved;
      if (note) result.note = redact(note, secrets);
      if (outcome.value.link) link = outcome.value.link;
    }
    if (outcome.error) {
      result.error = outcome.error.message;
      result.errorKind = outcome.error.kind;
      if (replica === registry && outcome.error.kind === "unreachable" && licensed?.ok) {
        result.note = `${GRANT_NOTE} valid until ${licensed.grant.expiresAt}`;
      }
    }
    return result;
  };
  const finish = (result: TargetResult) => {
    options.onTarget?.(result);
    return result;
  };
  const publishTo = async (replica: Replica, index: number): Promise<TargetResult> => {
    const outcome = await runTurn(replica, limits, secrets, (signal) => replica.publish(state, { signal }));
    return finish(toResult(replica, index, outcome));
  };

  let targets: TargetResult[];
  let failure: string | undefined;
  let registryAnswered = false;
  if (moveLatest) {
    const explain = (error: string) =>
      grants && registry && licensed && !licensed.ok
        ? grants.explain(licensed, registry.registry, error)
        : error;
    const decided = await pushMovingLatest(state, replicas, {
      limits,
      secrets,
      registry,
      licensed,
      toResult,
      explain,
    });
    targets = decided.targets.map(finish);
    failure = decided.failure;
    registryAnswered = decided.registryAnswered;
  } else if (!registry || licensed?.ok) {
    targets = await Promise.all(replicas.map(publishTo));
  } else {
    const first = await publishTo(registry, 0);
    const cannotReach = first.errorKind === "unreachable";
    const refused = first.errorKind === "unauthorized";
    if ((cannotReach || refused) && licensed && !licensed.ok) {
      failure = refused
        ? `${first.error}; nothing was pushed to the backups`
        : grants!.explain(licensed, registry.registry, first.error ?? "no answer");
      targets = [first, ...replicas.slice(1).map((r) => finish(notAttempted(r, failure!, "unauthorized")))];
    } else {
      targets = [first, ...(await Promise.all(replicas.slice(1).map((r, i) => publishTo(r, i + 1))))];
    }
  }

  const registryResult = registry ? targets[0] : undefined;
  if (registry && registryResult && grants) {
    if (registryResult.errorKind === "unauthorized") {
      await grants.revoke(registry.registry, registry.token);
      failure ??= `${registryResult.error}; the license grant was deleted`;
    } else if (registryAnswered || registryResult.ok || answered(registryResult.errorKind)) {
      const warning = await grants.refresh(registry.registry, registry.token, orgOf(link)).then(
        () => undefined,
        (err: unknown) => `could not record the license grant in ${grants.dir}: ${messageOf(err)}`,
      );
      if (warning) registryResult.note = warning;
    }
  }
  const okCount = targets.filter((t) => t.ok).length;
  // The grant lets the backups go on without the registry: with nothing pushed, nothing went on.
  if (okCount === 0 && registryResult?.note?.startsWith(GRANT_NOTE)) delete registryResult.note;
  if (!failure && okCount === 0) failure = "no target took the push";
  if (!failure && moveLatest && !targets.some((t) => t.latestMoved)) {
    const why = targets.map((t) => `${t.url}: ${t.note ?? t.error ?? "not moved"}`).join("; ");
    failure = `latest moved nowhere (${why})`;
  }
  const ok = failure === undefined;
  return {
    ok,
    ...(failure ? { error: redact(failure, secrets) } : {}),
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

interface MovingLatest {
  limits: TurnLimits;
  secrets: string[];
  registry: CloudReplica | undefined;
  licensed: GrantCheck | undefined;
  toResult: (replica: Replica, index: number, outcome: TurnOutcome<Published>) => TargetResult;
  /** Why the registry being unreachable stops the push (no grant), in words. */
  explain: (error: string) => string;
}

/** The gate's answer, once every target's `latest` was read. */
interface Decision {
  /** Why nothing is published anywhere. */
  refused?: { message: string; kind: ErrorKind };
  /** Per target: what `latest` pointed at, or the read's error (that target is not published). */
  reads: TurnOutcome<LatestState | null>[];
}

/** The moving-`latest` push: read every `latest`, decide once, then publish (blob uploads overlap). */
async function pushMovingLatest(
  state: State,
  replicas: Replica[],
  ctx: MovingLatest,
): Promise<{ targets: TargetResult[]; failure?: string; registryAnswered: boolean }> {
  const { limits, secrets, registry, licensed } = ctx;
  const decision: Promise<Decision> = Promise.all(
    replicas.map((r) => runTurn(r, limits, secrets, (signal) => r.readLatest(state.digest, signal))),
  ).then((reads) => {
    const registryRead = registry ? reads[0] : undefined;
    if (registryRead?.error?.kind === "unauthorized") {
      const message = `${registryRead.error.message}; nothing was pushed to the registry or the backups`;
      return { reads, refused: { message, kind: "unauthorized" } };
    }
    if (registryRead?.error?.kind === "unreachable" && !licensed?.ok) {
      return { reads, refused: { message: ctx.explain(registryRead.error.message), kind: "unauthorized" } };
    }
    if (state.force) return { reads };
    // A `latest` that cannot be read cannot be extended knowingly: like a contradiction.
    const unreadable = reads.findIndex((r) => r.error?.kind === "integrity");
    if (unreadable >= 0) {
      const message = `${replicas[unreadable]!.display}: ${reads[unreadable]!.error!.message}; nothing was published (use force to replace its latest)`;
      return { reads, refused: { message, kind: "conflict" } };
    }
    const verdict = decideLatest(
      state,
      reads.flatMap((r, i) =>
        r.value !== undefined ? [{ target: replicas[i]!.display, latest: r.value }] : [],
      ),
    );
    if (verdict.extends) return { reads };
    const message = `${verdict.file}: ${verdict.why}, so the new state does not extend latest of ${verdict.target} (version ${verdict.version || "?"}); nothing was published (use force for a deliberate rewrite)`;
    return { reads, refused: { message, kind: "conflict" } };
  });
  const stop = (index: number, d: Decision) =>
    d.refused
      ? d.refused.message
      : // force replaces a latest that is there but unreadable; an unreachable one is still skipped.
        d.reads[index]?.error && !(state.force && d.reads[index]!.error!.kind === "integrity")
        ? "not published: its latest could not be read"
        : undefined;

  // The turn of a target spans the wait for every read (each bounded by the timeout) and its publish.
  const turn = { ...limits, timeoutMs: 2 * limits.timeoutMs };
  const outcomes = replicas.map((replica, index) =>
    runTurn(replica, turn, secrets, async (signal) => {
      const gate = async () => {
        const d = await decision;
        const why = stop(index, d);
        if (why) throw new RelayError("input", why);
      };
      // A blob target uploads its archive while the reads run, and waits at its first pointer; the
      // registry has nothing to stage, and its diffSyncDir is computed against what it read.
      if (replica.kind !== "cloud") return replica.publish(state, { signal, beforeCommit: gate });
      await gate();
      const current = (await decision).reads[index]?.value ?? null;
      return replica.publish(state, { signal, current });
    }),
  );
  const d = await decision;
  const published = await Promise.all(outcomes);
  const targets = replicas.map((replica, index): TargetResult => {
    const read = d.reads[index]!;
    const readFailed = () =>
      ctx.toResult(replica, index, { error: read.error, attempts: read.attempts, ms: read.ms });
    if (d.refused) {
      if (replica === registry && read.error) return readFailed();
      const role = index > 0 ? "backup" : registry ? "registry" : "primary";
      return notAttempted(replica, d.refused.message, d.refused.kind, role);
    }
    if (read.error && stop(index, d)) return readFailed();
    const result = ctx.toResult(replica, index, published[index]!);
    result.latestFrom = read.value?.version ?? "";
    return result;
  });
  const registryRead = registry ? d.reads[0] : undefined;
  return {
    targets,
    ...(d.refused ? { failure: d.refused.message } : {}),
    registryAnswered:
      !!registryRead && (registryRead.value !== undefined || answered(registryRead.error?.kind)),
  };
}

/** The organization from a registry link, `https://<org>.atlasgo.cloud/dirs/...`. */
function orgOf(link: string): string | undefined {
  return /^https:\/\/([a-z0-9-]+)\.atlasgo\.cloud\//i.exec(link)?.[1];
}

// The registry answered (so it accepted the token) even though the call failed.
const answered = (kind?: ErrorKind) => kind === "not-found" || kind === "integrity" || kind === "conflict";

function notAttempted(
  replica: Replica,
  why: string,
  kind: ErrorKind,
  role: TargetResult["role"] = "backup",
): TargetResult {
  return {
    url: replica.display,
    kind: replica.kind,
    role,
    ok: false,
    error: `not attempted: ${why}`,
    errorKind: kind,
    ms: 0,
    bytes: 0,
    attempts: 0,
  };
}

export type { State };
