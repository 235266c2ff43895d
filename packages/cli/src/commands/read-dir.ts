// Where apply and status read a directory: file:// from disk, atlas:// through the relay (registry
// first, then the backups, verified), with the repository flags push and pull use. Progress lines go
// to stderr: stdout carries the command's result only.
import { type Attempt, attemptLogLine, dirLoader as coreDirLoader, readingLine } from "@migrate-relay/core";
import type { FlagSpec, ParsedFlags } from "../args";
import type { Io } from "../command";
import { grantsFromFlags, REPO_FLAGS, repoFromFlags } from "./repo-flags";

/** The repository flags (registry, backups, grant), minus those TARGET_FLAGS already has. */
export const RELAY_FLAGS: FlagSpec[] = REPO_FLAGS.filter(
  (f) => !["config", "env", "var", "format"].includes(f.name),
);

/**
 * Reads the directory a target names: `file://` from disk; `atlas://` through the relay (the registry
 * first, then the env's backups, verified), once per distinct repository even for many targets.
 * A PullError (a RelayError carrying the trail) reaches the command, which reports it per target.
 */
export function dirLoader(flags: ParsedFlags, io: Io, options: { log: boolean }) {
  const load = coreDirLoader({
    cwd: io.cwd,
    repoOf: (dir, env) => repoFromFlags(flags, io, env, dir),
    pull: {
      grants: grantsFromFlags(flags, io),
      ...(options.log ? { onAttempt: (a: Attempt) => io.err(attemptLogLine(a)) } : {}),
    },
    ...(options.log
      ? {
          onRead: (dir: string, repo: { replicas: unknown[] }) =>
            io.err(readingLine(dir, repo.replicas.length)),
        }
      : {}),
  });
  return load;
}
