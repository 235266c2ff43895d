// Where apply (and status) read a directory: file:// from disk, atlas:// through the relay (the
// registry first, then the env's backups, verified), once per distinct repository even for many
// targets (for_each); a local directory once per path. Shared by the CLI and the apply action.
import type { ResolvedEnv } from "../config/types";
import { readDir } from "../dir/index";
import type { MigrationDir } from "../dir/types";
import { type Attempt, type PullOptions, pull } from "./pull";
import type { Repo } from "./repo";

export interface LoadedDir {
  dir: MigrationDir;
  /** Where it came from when read through the relay (redacted URL). */
  source?: string;
  trail?: Attempt[];
  /** The state's digest, when read through the relay. */
  digest?: string;
}

export interface DirLoaderOptions {
  /** Base of relative file:// paths. */
  cwd: string;
  /** The repository (replicas) an atlas:// directory is read from. */
  repoOf: (dir: string, env: ResolvedEnv | undefined) => Repo;
  /** Pull options besides the ref (grants, timeouts, onAttempt). */
  pull?: Omit<PullOptions, "ref">;
  /** Called before the relay is asked, once per repository. */
  onRead?: (dir: string, repo: Repo) => void;
}

/** Returns a loader; a failed read throws the PullError (a RelayError carrying the trail). */
export function dirLoader(options: DirLoaderOptions) {
  const pulled = new Map<string, Promise<LoadedDir>>();
  return (target: { dir: string; env?: ResolvedEnv }): Promise<LoadedDir> => {
    if (!/^atlas:\/\//i.test(target.dir)) {
      // A local directory is read once too: a fleet of targets shares one copy in memory.
      let reading = pulled.get(target.dir);
      if (!reading) {
        reading = readDir(target.dir, options.cwd).then((dir) => ({ dir }));
        pulled.set(target.dir, reading);
      }
      return reading;
    }
    const key = JSON.stringify([target.dir, target.env?.migration.repo, target.env?.cloud.url]);
    let loading = pulled.get(key);
    if (!loading) {
      loading = (async () => {
        const repo = options.repoOf(target.dir, target.env);
        options.onRead?.(target.dir, repo);
        const result = await pull(repo.replicas, { ...options.pull, ...(repo.ref ? { ref: repo.ref } : {}) });
        return { dir: result.dir, source: result.source, trail: result.trail, digest: result.digest };
      })();
      pulled.set(key, loading);
    }
    return loading;
  };
}
