// Replica health: what each replica holds (its `latest` and its tags), which state is the newest,
// which replicas lag, and sync, which copies to each replica the states it lacks. Reads are small
// (manifests) and concurrent; archives are read only to decide between disagreeing replicas, with
// `deep`, or to copy. docs/relay.md, "Replica health", has the choices made.
import { DEFAULT_MAX_ARCHIVE_BYTES, sumTotal } from "../dir/index";
import type { ErrorKind } from "../errors";
import { CloudReplica } from "../replica/cloud";
import type { Manifest, Replica, State } from "../replica/types";
import { envSecrets, redact } from "../secrets";
import { DEFAULT_HEALTH_RETRIES, DEFAULT_HEALTH_TIMEOUT_MS, DEFAULT_SYNC_RETRIES } from "../settings";
import { compareVersions, extendsState } from "./lineage";
import { runTurn, type TurnLimits } from "./turn";
import { type Verified, verifyFetched } from "./verify";

/** Tag manifests read at once per replica (a repository tagged per commit holds many). */
const TAG_READS_AT_ONCE = 8;

/** One state, named the way a user can find it again. */
export interface StateInfo {
  digest: string;
  version: string;
  files: number;
  /** The `h1:` total of its atlas.sum ("" when the manifest did not record it). */
  sum: string;
  /** ISO 8601; unknown for the registry (it keeps no manifest we can read). */
  pushedAt?: string;
  commit?: string;
}

/**
 * current: holds the newest state as latest. lagging: its latest is an older state the newest
 * extends. empty: holds no latest. diverged: its latest is not on the newest state's history (or no
 * state extends all the others). corrupt: what it holds does not read or verify. unreachable /
 * refused: it could not be asked / refused our credentials.
 */
export type ReplicaStatus =
  | "current"
  | "lagging"
  | "empty"
  | "diverged"
  | "corrupt"
  | "unreachable"
  | "refused";

export interface ReplicaHealth {
  /** Redacted URL. */
  url: string;
  kind: Replica["kind"];
  role: "registry" | "primary" | "backup";
  status: ReplicaStatus;
  latest?: StateInfo;
  /** Tag -> digest, `latest` excluded; absent where the replica cannot list tags (the registry). */
  tags?: Record<string, string>;
  /** Tags another replica holds that this one lacks. */
  missingTags: string[];
  /** Everything wrong with this replica, in words. */
  problems: string[];
  errorKind?: ErrorKind;
  ms: number;
}

export interface HealthReport {
  /** Every replica answered, none is corrupt, all hold the newest latest and every tag. */
  ok: boolean;
  /** The state every latest should point to: the newest one that extends all the others. */
  newest?: StateInfo & { tag?: string };
  /** Why there is no newest state although replicas hold one. */
  conflict?: string;
  deep: boolean;
  replicas: ReplicaHealth[];
}

export interface HealthOptions {
  /** Also download and verify every archive each replica's latest and tags point to. */
  deep?: boolean;
  /** Per replica, for the whole read. */
  timeoutMs?: number;
  retries?: number;
  signal?: AbortSignal;
  secrets?: string[];
  maxArchiveBytes?: number;
}

/** What one replica was found to hold, with what was learnt on the way. */
interface Head {
  replica: Replica;
  health: ReplicaHealth;
  /** Manifests by tag (`latest` included), blob replicas only. */
  manifests: Map<string, Manifest>;
  /** Archives read and verified, by digest. */
  verified: Map<string, Verified>;
}

interface Context {
  limits: TurnLimits;
  secrets: string[];
  maxBytes: number;
}

const roleOf = (replicas: Replica[], i: number): ReplicaHealth["role"] =>
  i > 0 ? "backup" : replicas[0] instanceof CloudReplica ? "registry" : "primary";

const infoOfManifest = (m: Manifest): StateInfo => ({
  digest: m.digest,
  version: m.version,
  files: m.files,
  sum: m.sum,
  ...(m.pushedAt ? { pushedAt: m.pushedAt } : {}),
  ...(m.source.commit ? { commit: m.source.commit } : {}),
});

const infoOfVerified = (v: Verified): StateInfo => ({
  digest: v.digest,
  version: v.dir.files.at(-1)?.version ?? "",
  files: v.dir.files.length,
  sum: v.dir.sum ? sumTotal(v.dir.sum) : "",
  ...(v.manifest ? infoOfManifest(v.manifest) : {}),
});

const short = (digest: string) => digest.slice(0, 19);

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return out;
}

const statusOfError = (kind: ErrorKind): ReplicaStatus =>
  kind === "unauthorized" || kind === "config" ? "refused" : kind === "integrity" ? "corrupt" : "unreachable";

/** Reads one replica's latest and tags (manifests only; the registry answers with the archive). */
async function readHead(
  replica: Replica,
  role: ReplicaHealth["role"],
  ctx: Context,
  read: { deep: boolean; tags: boolean },
) {
  const health: ReplicaHealth = {
    url: replica.display,
    kind: replica.kind,
    role,
    status: "current",
    missingTags: [],
    problems: [],
    ms: 0,
  };
  const head: Head = { replica, health, manifests: new Map(), verified: new Map() };
  const outcome = await runTurn(replica, ctx.limits, ctx.secrets, async (signal) => {
    if (!replica.manifest || !replica.tags) {
      // The registry keeps no manifests: its latest is the archive itself, verified here.
      try {
        const v = verifyFetched(await replica.fetch({ tag: "latest" }, signal), ctx.maxBytes);
        head.verified.set(v.digest, v);
        health.latest = infoOfVerified(v);
      } catch (err) {
        if ((err as { kind?: string }).kind !== "not-found") throw err;
      }
      return;
    }
    const [latest, names] = await Promise.all([
      replica.manifest({ tag: "latest" }, signal).catch((err: unknown) => problem(err, "latest")),
      read.tags ? replica.tags(signal) : undefined,
    ]);
    if (latest) {
      head.manifests.set("latest", latest);
      health.latest = infoOfManifest(latest);
    }
    if (!names) return;
    health.tags = {};
    const tags = names.filter((t) => t !== "latest");
    const found: (Manifest | null)[] = await inBatches(tags, TAG_READS_AT_ONCE, (tag) =>
      replica.manifest!({ tag }, signal).catch((err: unknown) => problem(err, `tag ${tag}`)),
    );
    tags.forEach((tag, i) => {
      const m = found[i];
      if (!m) return;
      head.manifests.set(tag, m);
      health.tags![tag] = m.digest;
    });
    if (read.deep) await verifyArchives(head, signal, ctx);
  });
  // A manifest that does not parse is this replica's problem, not a reason to stop reading it.
  function problem(err: unknown, what: string): null {
    if ((err as { kind?: string }).kind !== "integrity") throw err;
    health.status = "corrupt";
    health.problems.push(`${what}: ${redact((err as Error).message, ctx.secrets)}`);
    return null;
  }
  health.ms = Math.round(outcome.ms);
  if (outcome.error) {
    health.status = statusOfError(outcome.error.kind);
    health.errorKind = outcome.error.kind;
    health.problems.push(outcome.error.message);
  }
  return head;
}

/** --deep: every archive the replica's manifests name, downloaded and verified once per digest. */
async function verifyArchives(head: Head, signal: AbortSignal, ctx: Context): Promise<void> {
  const byDigest = new Map<string, { manifest: Manifest; names: string[] }>();
  for (const [tag, m] of head.manifests) {
    const entry = byDigest.get(m.digest) ?? { manifest: m, names: [] };
    entry.names.push(tag);
    byDigest.set(m.digest, entry);
  }
  await inBatches([...byDigest.values()], TAG_READS_AT_ONCE, async ({ manifest, names }) => {
    try {
      const v = verifyFetched(await head.replica.fetchManifest!(manifest, signal), ctx.maxBytes);
      head.verified.set(v.digest, v);
    } catch (err) {
      if (signal.aborted) throw err;
      head.health.status = "corrupt";
      const message = redact((err as Error).message, ctx.secrets).replace(`${head.replica.display}: `, "");
      head.health.problems.push(`${names.join(", ")} (${short(manifest.digest)}): ${message}`);
    }
  });
}

/** A verified copy of `digest`, from the first replica that holds it and reads back intact. */
async function verifiedState(heads: Head[], digest: string, ctx: Context): Promise<Verified | undefined> {
  for (const head of heads) {
    const known = head.verified.get(digest);
    if (known) return known;
  }
  for (const head of heads) {
    const manifest = [...head.manifests.values()].find((m) => m.digest === digest);
    if (!manifest || !head.replica.fetchManifest || head.health.status === "unreachable") continue;
    const outcome = await runTurn(head.replica, ctx.limits, ctx.secrets, async (signal) =>
      verifyFetched(await head.replica.fetchManifest!(manifest, signal), ctx.maxBytes),
    );
    if (outcome.value) {
      head.verified.set(digest, outcome.value);
      return outcome.value;
    }
    if (outcome.error?.kind === "integrity") {
      head.health.status = "corrupt";
      head.health.problems.push(`${short(digest)}: ${outcome.error.message}`);
    }
  }
  return undefined;
}

interface Decision {
  newest?: { info: StateInfo; verified?: Verified };
  conflict?: string;
}

/**
 * The newest state that extends every other replica's latest: candidates by version, highest first
 * (the configured order breaks ties); the first whose atlas.sum contains each other latest wins.
 * With one distinct latest nothing is downloaded.
 */
async function decideNewest(heads: Head[], ctx: Context): Promise<Decision> {
  const states: StateInfo[] = [];
  for (const h of heads) {
    const latest = h.health.latest;
    if (latest && !states.some((s) => s.digest === latest.digest)) states.push(latest);
  }
  if (states.length === 0) return {};
  if (states.length === 1) return { newest: { info: states[0]! } };
  const candidates = [...states].sort((a, b) => compareVersions(b.version, a.version));
  for (const candidate of candidates) {
    const verified = await verifiedState(heads, candidate.digest, ctx);
    if (!verified?.dir.sum) continue;
    const sum = Buffer.from(verified.dir.sum).toString("utf8");
    if (states.every((s) => extendsState(candidate, sum, s))) {
      return { newest: { info: { ...infoOfVerified(verified), ...candidate }, verified } };
    }
  }
  const list = states.map((s) => `version ${s.version || "?"} (${short(s.digest)})`).join(", ");
  return { conflict: `the replicas' latest states do not extend one another: ${list}` };
}

/** Reads every replica at once and says which hold the newest state, which lag and what is wrong. */
export async function inspect(replicas: Replica[], options: HealthOptions = {}): Promise<HealthReport> {
  const { report } = await inspectHeads(replicas, options);
  return report;
}

async function inspectHeads(replicas: Replica[], options: HealthOptions) {
  const registry = replicas[0] instanceof CloudReplica ? replicas[0] : undefined;
  const ctx: Context = {
    limits: {
      timeoutMs: options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS,
      retries: options.retries ?? DEFAULT_HEALTH_RETRIES,
      ...(options.signal ? { signal: options.signal } : {}),
    },
    secrets: [...(options.secrets ?? []), ...envSecrets(), ...(registry ? [registry.token] : [])],
    maxBytes: options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES,
  };
  const deep = options.deep === true;
  const heads = await Promise.all(
    replicas.map((r, i) => readHead(r, roleOf(replicas, i), ctx, { deep, tags: true })),
  );
  const answered = heads.filter((h) => h.health.status !== "unreachable" && h.health.status !== "refused");
  const decision = await decideNewest(answered, ctx);
  const newest = decision.newest;
  const newestSum = newest?.verified?.dir.sum ? Buffer.from(newest.verified.dir.sum).toString("utf8") : "";

  for (const { health } of answered) {
    const latest = health.latest;
    if (!latest) {
      if (health.status === "current") health.status = "empty";
      if (newest) health.problems.push(`holds no latest; the newest is version ${newest.info.version}`);
      continue;
    }
    if (!newest) {
      if (health.status === "current") health.status = "diverged";
      continue;
    }
    if (latest.digest === newest.info.digest) continue;
    const behind = extendsState(newest.info, newestSum, latest);
    if (health.status === "current") health.status = behind ? "lagging" : "diverged";
    health.problems.push(
      behind
        ? `latest is version ${latest.version || "?"}, behind the newest ${newest.info.version}`
        : `latest is version ${latest.version || "?"} (${short(latest.digest)}), not on the history of the newest ${newest.info.version}`,
    );
  }
  markTags(answered);
  const tag = newest ? tagOf(heads, newest.info.digest) : undefined;
  const named = newest ? manifestFor(heads, newest.info.digest) : undefined;
  if (newest && named) newest.info = { ...newest.info, ...infoOfManifest(named) };
  const report: HealthReport = {
    ok: heads.every((h) => h.health.status === "current" && h.health.problems.length === 0),
    ...(newest ? { newest: { ...newest.info, ...(tag ? { tag } : {}) } } : {}),
    ...(decision.conflict ? { conflict: decision.conflict } : {}),
    deep,
    replicas: heads.map((h) => h.health),
  };
  return { report, heads, ctx, ...(newest?.verified ? { newestVerified: newest.verified } : {}) };
}

/** Tags one replica lacks, and tags that name different states on different replicas. */
function markTags(heads: Head[]): void {
  const first = new Map<string, { digest: string; url: string }>();
  for (const { health } of heads) {
    for (const [tag, digest] of Object.entries(health.tags ?? {})) {
      const seen = first.get(tag);
      if (!seen) first.set(tag, { digest, url: health.url });
      else if (seen.digest !== digest)
        health.problems.push(
          `tag ${tag} is ${short(digest)} here but ${short(seen.digest)} on ${seen.url}: tags are not rewritten, fix by hand`,
        );
    }
  }
  for (const { health } of heads) {
    if (!health.tags) continue;
    health.missingTags = [...first.keys()].filter((t) => !(t in health.tags!)).sort();
    if (health.missingTags.length)
      health.problems.push(
        `missing ${health.missingTags.length} tag(s): ${health.missingTags.slice(0, 5).join(", ")}${health.missingTags.length > 5 ? ", ..." : ""}`,
      );
  }
}

/** A tag other than latest that names the state (configured order, then name order). */
function tagOf(heads: Head[], digest: string): string | undefined {
  for (const { health } of heads) {
    const names = Object.entries(health.tags ?? {})
      .filter(([, d]) => d === digest)
      .map(([t]) => t)
      .sort();
    if (names[0]) return names[0];
  }
  return undefined;
}

export interface SyncStep {
  url: string;
  role: ReplicaHealth["role"];
  /** The tag written (`latest` when the newest state has no other name). */
  tag: string;
  version: string;
  digest: string;
  /** This step moves the replica's latest (to the newest state). */
  latest: boolean;
  ok?: boolean;
  error?: string;
  note?: string;
  ms?: number;
}

export interface SyncResult {
  ok: boolean;
  /** Why sync as a whole did nothing or did not finish. */
  error?: string;
  dryRun: boolean;
  /** The replicas as found before anything was written. */
  before: HealthReport;
  steps: SyncStep[];
}

export interface SyncOptions extends HealthOptions {
  /** Repository name (slug), for the states written. */
  repo: string;
  /** Show the plan; write nothing. */
  dryRun?: boolean;
  onStep?: (step: SyncStep) => void;
}

/**
 * Copies to each lagging replica the states it lacks, read from the others and verified first, with
 * push's write protocol: missing tags, then latest (which moves only forward; a diverged replica is
 * left alone and named). The registry gets the newest latest only (it lists no tags).
 */
export async function sync(replicas: Replica[], options: SyncOptions): Promise<SyncResult> {
  const { report, heads, ctx } = await inspectHeads(replicas, options);
  const dryRun = options.dryRun === true;
  const fail = (error: string): SyncResult => ({ ok: false, error, dryRun, before: report, steps: [] });
  const refused = report.replicas.find((r) => r.status === "refused");
  if (refused) return fail(`${refused.url}: ${refused.problems[0] ?? "refused"}; nothing was copied`);
  if (report.conflict)
    return fail(`${report.conflict}; nothing was copied (push the right state with force)`);

  const tagDigest = new Map<string, string>();
  for (const r of report.replicas) {
    for (const [tag, digest] of Object.entries(r.tags ?? {}))
      if (!tagDigest.has(tag)) tagDigest.set(tag, digest);
  }
  const versionOf = (digest: string) =>
    heads.flatMap((h) => [...h.manifests.values()]).find((m) => m.digest === digest)?.version ??
    (report.newest?.digest === digest ? report.newest.version : "");
  const newest = report.newest;
  const plans = new Map<Head, SyncStep[]>();
  for (const head of heads) {
    const r = head.health;
    if (r.status === "unreachable" || r.status === "refused") continue;
    const steps: SyncStep[] = r.missingTags.map((tag) => {
      const digest = tagDigest.get(tag)!;
      return { url: r.url, role: r.role, tag, version: versionOf(digest), digest, latest: false };
    });
    if (newest && (r.status === "lagging" || r.status === "empty")) {
      const tag = newest.tag ?? "latest";
      const same = steps.find((s) => s.tag === tag);
      if (same) same.latest = true;
      else
        steps.push({
          url: r.url,
          role: r.role,
          tag,
          version: newest.version,
          digest: newest.digest,
          latest: true,
        });
      // Latest is the commit point: written after the tags.
      steps.sort((a, b) => Number(a.latest) - Number(b.latest));
    }
    if (steps.length) plans.set(head, steps);
  }
  const steps = [...plans.values()].flat();
  const diverged = report.replicas.filter((r) => r.status === "diverged").map((r) => r.url);
  const leftAlone = diverged.length
    ? `${diverged.join(", ")}: latest is not on the newest state's history; sync does not rewrite it (push with force)`
    : undefined;
  const down = report.replicas.filter((r) => r.status === "unreachable").map((r) => r.url);
  const unreached = down.length
    ? `${down.join(", ")}: unreachable, not repaired (run sync again)`
    : undefined;
  if (dryRun) {
    const why = [leftAlone, unreached].filter(Boolean).join("; ");
    return { ok: !why, ...(why ? { error: why } : {}), dryRun, before: report, steps };
  }

  const states = new Map<string, Promise<Verified | undefined>>();
  const stateOf = (digest: string) => {
    let loading = states.get(digest);
    if (!loading) {
      loading = verifiedState(heads, digest, ctx);
      states.set(digest, loading);
    }
    return loading;
  };
  const limits = { ...ctx.limits, retries: options.retries ?? DEFAULT_SYNC_RETRIES };
  await Promise.all(
    [...plans].map(async ([head, planned]) => {
      for (const step of planned) {
        const started = performance.now();
        const verified = await stateOf(step.digest);
        if (!verified) {
          step.ok = false;
          step.error = `no replica holds ${short(step.digest)} intact`;
        } else {
          const state = stateFor(verified, manifestFor(heads, step.digest, step.tag), step, options.repo);
          const outcome = await runTurn(head.replica, limits, ctx.secrets, (signal) =>
            head.replica.publish(state, { signal }),
          );
          step.ok = outcome.value !== undefined && outcome.value.latestMoved !== false;
          if (outcome.error) step.error = outcome.error.message;
          else if (outcome.value?.latestMoved === false)
            step.error = outcome.value.note ?? "latest not moved";
          else if (outcome.value?.note) step.note = redact(outcome.value.note, ctx.secrets);
        }
        step.ms = Math.round(performance.now() - started);
        options.onStep?.(step);
        if (!step.ok) break; // latest never moves past a tag that failed to land
      }
    }),
  );
  const failed = steps.filter((s) => s.ok === false).length;
  const error = [failed ? `${failed} of ${steps.length} copies failed` : "", leftAlone ?? "", unreached ?? ""]
    .filter(Boolean)
    .join("; ");
  return { ok: !error, ...(error ? { error } : {}), dryRun, before: report, steps };
}

/** A manifest of the state (the tag's first, else any): the original push's commit and time. */
function manifestFor(heads: Head[], digest: string, tag?: string): Manifest | undefined {
  const all = heads.flatMap((h) => [...h.manifests]);
  return (all.find(([t, m]) => t === tag && m.digest === digest) ??
    all.find(([, m]) => m.digest === digest))?.[1];
}

/** The state to publish, as the original push published it (commit, push time). */
function stateFor(v: Verified, manifest: Manifest | undefined, step: SyncStep, repo: string): State {
  const source = manifest?.source;
  return {
    repo,
    archive: v.archive,
    digest: v.digest,
    version: v.dir.files.at(-1)?.version ?? "",
    sum: v.dir.sum ? Buffer.from(v.dir.sum).toString("utf8") : "",
    files: v.dir.files.length,
    tag: step.tag,
    latest: step.latest,
    force: false,
    ...(source && Object.keys(source).length ? { source } : {}),
    ...(manifest?.pushedAt ? { pushedAt: manifest.pushedAt } : {}),
  };
}

/**
 * How long the fallback read waits for the later backups once the configured order's first useful
 * answer is in (every backup before it answered), plus the time that took: a slow later backup must
 * not cost the read its timeout. The backups before it are waited for, as the plain read would.
 */
const FALLBACK_GRACE_MS = 1_000;

/** The reads finished when the grace after the first useful one in order ends (or all), in order. */
async function withGrace<T>(reads: Promise<T>[], useful: (value: T) => boolean): Promise<T[]> {
  const started = performance.now();
  const done: (T | undefined)[] = reads.map(() => undefined);
  let release = () => {};
  const graceOver = new Promise<void>((resolve) => {
    release = resolve;
  });
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    for (const value of done) {
      if (value === undefined) return; // an earlier backup is still reading: wait for it
      if (useful(value)) break;
    }
    timer ??= setTimeout(release, FALLBACK_GRACE_MS + (performance.now() - started));
  };
  const all = Promise.all(
    reads.map((read, i) =>
      read.then((value) => {
        done[i] = value;
        check();
      }),
    ),
  );
  await Promise.race([all, graceOver]);
  clearTimeout(timer);
  return done.filter((v): v is T => v !== undefined);
}

/** A backup whose latest is not the state served, found by the fallback read of `latest`. */
export interface LaggingReplica {
  url: string;
  /** Its latest's version ("" when it holds none). */
  version: string;
  status: "lagging" | "empty" | "corrupt";
}

/** `s3://b/p (at 000002)`, `file:///x (no latest)`. */
export const laggingText = (l: LaggingReplica) =>
  `${l.url} (${l.status === "empty" ? "no latest" : l.status === "corrupt" ? "unreadable latest" : `at ${l.version}`})`;

export interface FallbackPlan {
  /** The backups to try, in order: those holding the newest state first, unreadable ones last. */
  order: Replica[];
  /** The newest state's archive, already read and verified while deciding, and where from. */
  preloaded?: { replica: Replica; verified: Verified };
  /** The latest manifest each backup answered with: the read goes straight to its archive. */
  manifests: Map<Replica, Manifest>;
  newest?: StateInfo;
  /** Backups whose latest is not the newest state, with what they hold. */
  lagging: LaggingReplica[];
  /** Backups that failed when their latest was read: still tried (after those that answered), and
   * named on the trail when another served first. */
  unreadable: { replica: Replica; kind: ErrorKind; message: string; ms: number }[];
  /** The backups' latest states do not extend one another: the configured order decides. */
  conflict?: string;
  ms: number;
}

/**
 * For a fallback read of `latest`: every backup's latest manifest at once, and the order to read
 * them in so the newest state is served (pull). Reads no tags; downloads an archive only when the
 * backups disagree (and then serves that very copy).
 */
export async function planFallback(
  backups: Replica[],
  options: { limits: TurnLimits; secrets: string[]; maxBytes: number },
): Promise<FallbackPlan> {
  const started = performance.now();
  const ctx: Context = options;
  const heads = await withGrace(
    backups.map((r) => readHead(r, "backup", ctx, { deep: false, tags: false })),
    (h) => h.health.latest !== undefined,
  );
  const answered = heads.filter((h) => h.health.latest);
  const decision = await decideNewest(answered, ctx);
  const newest = decision.newest?.info;
  const holds = (h: Head) => newest !== undefined && h.health.latest?.digest === newest.digest;
  const order = [
    ...heads.filter(holds),
    ...heads.filter((h) => !holds(h) && h.health.latest),
    ...heads.filter((h) => !h.health.latest),
  ].map((h) => h.replica);
  for (const r of backups) if (!order.includes(r)) order.push(r); // not answered within the grace
  const verified = newest ? decision.newest?.verified : undefined;
  const holder = verified ? heads.find((h) => holds(h) && h.verified.has(newest!.digest)) : undefined;
  const lagging = heads
    .filter((h) => newest && !holds(h) && h.health.status !== "unreachable" && h.health.status !== "refused")
    .map(
      (h): LaggingReplica => ({
        url: h.health.url,
        version: h.health.latest?.version ?? "",
        status: !h.health.latest ? "empty" : h.health.status === "corrupt" ? "corrupt" : "lagging",
      }),
    );
  const unreadable = heads
    .filter((h) => h.health.errorKind)
    .map((h) => ({
      replica: h.replica,
      kind: h.health.errorKind!,
      message: h.health.problems.at(-1) ?? "",
      ms: h.health.ms,
    }));
  const manifests = new Map<Replica, Manifest>();
  for (const h of heads) {
    const m = h.manifests.get("latest");
    if (m) manifests.set(h.replica, m);
  }
  return {
    order,
    manifests,
    ...(holder && verified ? { preloaded: { replica: holder.replica, verified } } : {}),
    ...(newest ? { newest } : {}),
    lagging,
    unreadable,
    ...(decision.conflict ? { conflict: decision.conflict } : {}),
    ms: performance.now() - started,
  };
}
