// Where apply and status read a directory: file:// from disk, atlas:// through the relay (registry
// first, then the backups, verified), with the repository flags push and pull use.
import { type Attempt, pull, readDir } from "@migrate-relay/core";
import type { FlagSpec, ParsedFlags } from "../args";
import type { Io } from "../command";
import type { LoadedDir, Target } from "./apply-targets";
import { attemptLine } from "./pull";
import { grantsFromFlags, REPO_FLAGS, repoFromFlags } from "./push-common";

/** The repository flags (registry, backups, grant), minus those TARGET_FLAGS already has. */
export const RELAY_FLAGS: FlagSpec[] = REPO_FLAGS.filter(
  (f) => !["config", "env", "var", "format"].includes(f.name),
);

/**
 * Reads the directory a target names: `file://` from disk; `atlas://` through the relay (the registry
 * first, then the env's backups, verified), once per distinct repository even for many targets.
 */
export function dirLoader(flags: ParsedFlags, io: Io, options: { log: boolean }) {
  const pulled = new Map<string, Promise<LoadedDir>>();
  return (target: Target): Promise<LoadedDir> => {
    if (!/^atlas:\/\//i.test(target.dir)) return readDir(target.dir, io.cwd).then((dir) => ({ dir }));
    const key = JSON.stringify([target.dir, target.env?.migration.repo, target.env?.cloud.url]);
    let loading = pulled.get(key);
    if (!loading) {
      loading = pullDir(flags, io, target, options.log);
      pulled.set(key, loading);
    }
    return loading;
  };
}

async function pullDir(flags: ParsedFlags, io: Io, target: Target, log: boolean): Promise<LoadedDir> {
  const repo = repoFromFlags(flags, io, target.env, target.dir);
  if (log) io.out(`Reading ${target.dir}: the primary, then ${repo.replicas.length - 1} backup(s)`);
  // A PullError (a RelayError carrying the trail) reaches the command, which reports it per target.
  const result = await pull(repo.replicas, {
    ...(repo.ref ? { ref: repo.ref } : {}),
    grants: grantsFromFlags(flags, io),
    ...(log ? { onAttempt: (a: Attempt) => (a.outcome === "ok" ? io.out : io.err)(attemptLine(a)) } : {}),
  });
  return { dir: result.dir, source: result.source, trail: result.trail };
}
