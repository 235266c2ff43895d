// Fallback read: the primary (registry) first, then each backup in order; nothing unverified is
// returned (docs/architecture.md, "Apply: data flow").
import { DEFAULT_MAX_ARCHIVE_BYTES, unarchiveDir, validateDir } from "../dir/index";
import type { MigrationDir } from "../dir/types";
import { type ErrorKind, messageOf, RelayError } from "../errors";
import { GrantStore } from "../grant/grant";
import { CloudReplica, describe } from "../replica/cloud";
import { checkTag, checkVersion } from "../replica/names";
import type { Fetched, Replica, StateRef } from "../replica/types";
import { envSecrets, redact } from "../secrets";
import { sha256Digest } from "./state";
import { isEligible, runTarget } from "./target";

export const DEFAULT_PULL_TIMEOUT_MS = 10_000;
/** The next replica is the retry: a refused registry should cost milliseconds, not a backoff. */
export const DEFAULT_PULL_RETRIES = 0;

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

export interface Attempt {
  url: string;
  kind: Replica["kind"];
  outcome: "ok" | "failed";
  error?: string;
  errorKind?: ErrorKind;
  /** Whether the failure allowed moving on to the next replica. */
  eligible?: boolean;
  /** What was verified, or why the replica was used despite the registry being down. */
  note?: string;
  ms: number;
}

export interface PullResult {
  dir: MigrationDir;
  digest: string;
  version: string;
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

/**
 * Digest equals the manifest's (blob replicas), the archive unpacks, atlas.sum validates, and a
 * state asked for by version ends at that version (a replica answering with another state is lying).
 */
function verify(
  fetched: Fetched,
  maxBytes: number,
  ref: StateRef,
): { dir: MigrationDir; digest: string; note: string } {
  if (fetched.archive.length > maxBytes) {
    throw new RelayError(
      "integrity",
      `archive of ${fetched.archive.length} bytes exceeds the ${maxBytes}-byte limit`,
    );
  }
  const digest = sha256Digest(fetched.archive);
  if (fetched.digest && fetched.digest !== digest) {
    throw new RelayError(
      "integrity",
      `archive digest ${digest} does not match the manifest's ${fetched.digest}`,
    );
  }
  let dir: MigrationDir;
  try {
    dir = unarchiveDir(fetched.archive, { maxBytes });
  } catch (err) {
    throw new RelayError("integrity", `archive cannot be read: ${messageOf(err)}`);
  }
  try {
    validateDir(dir);
  } catch (err) {
    throw new RelayError("integrity", `atlas.sum does not validate: ${messageOf(err)}`);
  }
  if ("version" in ref) {
    const last = dir.files.at(-1)?.version ?? "(no files)";
    if (last !== ref.version) {
      throw new RelayError(
        "integrity",
        `asked for version ${ref.version}, got a state whose last version is ${last}`,
      );
    }
  }
  const note = fetched.digest ? "digest verified, atlas.sum valid" : "atlas.sum valid";
  return { dir, digest, note };
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

  for (const replica of replicas) {
    const outcome = await runTarget(replica, limits, secrets, async (signal) =>
      verify(await replica.fetch(ref, signal), maxBytes, ref),
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

    report();
    if (outcome.value) {
      const { dir, digest } = outcome.value;
      return {
        dir,
        digest,
        version: dir.files.at(-1)?.version ?? "",
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
  }
  const kinds = new Set(trail.map((a) => a.errorKind));
  const kind = kinds.size === 1 ? [...kinds][0]! : "unreachable";
  const lines = trail.map((a) => `  ${a.url}: ${a.error}`);
  throw fail(kind, `could not read ${describe(ref)} from any replica:\n${lines.join("\n")}`);
}
