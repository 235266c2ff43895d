import { archiveDir, digestOf, validateDir } from "../dir/index";
import type { MigrationDir } from "../dir/types";
import { inputError } from "../errors";
import { checkSlug, checkTag } from "../replica/names";
import type { RunContext, State, StateSource } from "../replica/types";

export interface StateOptions {
  repo: string;
  tag?: string;
  latest?: boolean;
  force?: boolean;
  source?: StateSource;
  /** Where the push runs (relay/run-context), sent with the registry's diffSyncDir. */
  context?: RunContext;
}

/** Validates the directory and builds the one archive every target receives. */
export function buildState(dir: MigrationDir, options: StateOptions): State {
  const repo = checkSlug(options.repo);
  const tag = checkTag(options.tag ?? "latest");
  const last = dir.files.at(-1);
  if (!last) throw inputError("nothing to push: the migration directory has no .sql files");
  validateDir(dir);
  const archive = archiveDir(dir);
  return {
    repo,
    archive,
    digest: digestOf(archive),
    version: last.version,
    sum: dir.sum ? Buffer.from(dir.sum).toString("utf8") : "",
    files: dir.files.length,
    tag,
    latest: options.latest ?? true,
    force: options.force ?? false,
    ...(options.source ? { source: options.source } : {}),
    ...(options.context ? { context: options.context } : {}),
  };
}
