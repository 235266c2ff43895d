// Where apply (and status) read a directory: file:// from disk, atlas:// through the relay (the
// registry first, then the env's backups, verified), once per distinct repository even for many
// targets (for_each); a local directory once per path. Shared by the CLI and the apply action.

import type { DirOrigin } from "../apply/result";
import type { AppliedState } from "../apply/types";
import type { ResolvedEnv } from "../config/types";
import { readDir } from "../dir/index";
import type { MigrationDir } from "../dir/types";
import { CloudReplica } from "../replica/cloud";
import { isRegistryUrl } from "../settings";
import { laggingText } from "./health";
import { type PullOptions, type PullResult, pull } from "./pull";
import type { Repo } from "./repo";

/** A directory as read for apply or status; source, trail and state when read through the relay. */
export interface LoadedDir extends DirOrigin {
  dir: MigrationDir;
  /** The state's digest, when read through the relay. */
  digest?: string;
}

/** What apply names as applied: the served state, and the backups found behind it. */
export function appliedStateOf(result: PullResult): AppliedState {
  const lagging = result.lagging?.map(laggingText);
  return { ...result.state, ...(lagging?.length ? { lagging } : {}) };
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

export interface DirLoader {
  (target: { dir: string; env?: ResolvedEnv }): Promise<LoadedDir>;
  /** The registry an atlas:// target is read from (for deployment reports); undefined otherwise. */
  registryOf(target: { dir: string; env?: ResolvedEnv }): CloudReplica | undefined;
}

/** Returns a loader; a failed read throws the PullError (a RelayError carrying the trail). */
export function dirLoader(options: DirLoaderOptions): DirLoader {
  const pulled = new Map<string, Promise<LoadedDir>>();
  const repos = new Map<string, Repo>();
  const keyOf = (target: { dir: string; env?: ResolvedEnv }) =>
    JSON.stringify([target.dir, target.env?.migration.repo, target.env?.cloud.url]);
  const repoOf = (target: { dir: string; env?: ResolvedEnv }) => {
    const key = keyOf(target);
    let repo = repos.get(key);
    if (!repo) {
      repo = options.repoOf(target.dir, target.env);
      repos.set(key, repo);
    }
    return repo;
  };
  const load = (target: { dir: string; env?: ResolvedEnv }): Promise<LoadedDir> => {
    if (!isRegistryUrl(target.dir)) {
      // A local directory is read once too: a fleet of targets shares one copy in memory.
      let reading = pulled.get(target.dir);
      if (!reading) {
        reading = readDir(target.dir, options.cwd).then((dir) => ({ dir }));
        pulled.set(target.dir, reading);
      }
      return reading;
    }
    const key = keyOf(target);
    let loading = pulled.get(key);
    if (!loading) {
      loading = (async () => {
        const repo = repoOf(target);
        options.onRead?.(target.dir, repo);
        const result = await pull(repo.replicas, { ...options.pull, ...(repo.ref ? { ref: repo.ref } : {}) });
        return {
          dir: result.dir,
          source: result.source,
          trail: result.trail,
          digest: result.digest,
          state: appliedStateOf(result),
        };
      })();
      pulled.set(key, loading);
    }
    return loading;
  };
  return Object.assign(load, {
    registryOf(target: { dir: string; env?: ResolvedEnv }) {
      if (!isRegistryUrl(target.dir)) return undefined;
      const primary = repoOf(target).replicas[0];
      return primary instanceof CloudReplica ? primary : undefined;
    },
  });
}
