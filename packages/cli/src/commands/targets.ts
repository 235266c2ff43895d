// Which target databases (and their directory) a command line selects; shared by apply and status.
// Explicit flags (--url --dir ...) win over the env block of atlas.hcl (--config --env).
import { type ApplyTarget, applyTargetsOf } from "@migrate-relay/core";
import { type FlagSpec, type ParsedFlags, str } from "../args";
import { ATLAS_COMPAT_FLAGS, FORMAT_FLAG } from "../atlas-flags";
import type { Io } from "../command";
import { CONFIG_FLAGS, hasEnvFlag, loadEnvsFromFlags } from "../config-flags";

export const TARGET_FLAGS: FlagSpec[] = [
  ...CONFIG_FLAGS,
  {
    name: "url",
    type: "string",
    description: "the target database URL, e.g. postgres://user:pass@host:5432/db",
  },
  {
    name: "dir",
    type: "string",
    description: "the migration directory: file://path, or atlas://repo read through the relay",
  },
  {
    name: "revisions-schema",
    type: "string",
    description:
      "schema of atlas_schema_revisions (default: the URL's search_path, else atlas_schema_revisions)",
  },
  FORMAT_FLAG,
  ...ATLAS_COMPAT_FLAGS,
];

/** One target per env instance (for_each), or the single one --url/--dir name. */
export async function selectTargets(flags: ParsedFlags, io: Io): Promise<ApplyTarget[]> {
  const explicit = { url: str(flags, "url"), dir: str(flags, "dir") };
  if (!hasEnvFlag(flags)) return applyTargetsOf(undefined, explicit);
  return applyTargetsOf(await loadEnvsFromFlags(flags, io), explicit);
}
