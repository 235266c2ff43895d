// What makes a read state trustworthy, for pull, verify and sync alike: the archive's SHA-256 equals
// the manifest's digest (blob replicas), the archive unpacks, and its atlas.sum validates.
import { digestOf, unarchiveDir, validateDir } from "../dir/index";
import type { MigrationDir } from "../dir/types";
import { messageOf, RelayError } from "../errors";
import type { Fetched, StateRef } from "../replica/types";

export interface Verified {
  dir: MigrationDir;
  /** The archive bytes as read (what sync copies on, unchanged). */
  archive: Uint8Array;
  digest: string;
  /** What was checked, in words (for the trail). */
  note: string;
  /** The manifest it was read through (blob replicas). */
  manifest?: Fetched["manifest"];
}

/**
 * Throws RelayError("integrity") saying what does not hold. A state asked for by version must end at
 * that version (a replica answering with another state is lying).
 */
export function verifyFetched(fetched: Fetched, maxBytes: number, ref?: StateRef): Verified {
  if (fetched.archive.length > maxBytes) {
    throw new RelayError(
      "integrity",
      `archive of ${fetched.archive.length} bytes exceeds the ${maxBytes}-byte limit`,
    );
  }
  const digest = digestOf(fetched.archive);
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
  if (ref && "version" in ref) {
    const last = dir.files.at(-1)?.version ?? "(no files)";
    if (last !== ref.version) {
      throw new RelayError(
        "integrity",
        `asked for version ${ref.version}, got a state whose last version is ${last}`,
      );
    }
  }
  const note = fetched.digest ? "digest verified, atlas.sum valid" : "atlas.sum valid";
  return {
    dir,
    archive: fetched.archive,
    digest,
    note,
    ...(fetched.manifest ? { manifest: fetched.manifest } : {}),
  };
}
