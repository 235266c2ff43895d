// One `latest` everywhere: before a push writes anything, each target's `latest` is read once and one
// decision is taken over all of them. Also the rule verify/sync use to compare two states.
import { extendsSum } from "../replica/manifest";
import type { LatestState } from "../replica/types";

/** What one target's `latest` pointed at (null: nothing yet). */
export interface LatestRead {
  /** The target as shown (redacted URL). */
  target: string;
  latest: LatestState | null;
}

export type LatestVerdict =
  | { extends: true }
  | {
      extends: false;
      /** The target whose `latest` the new state contradicts (the first, in the configured order). */
      target: string;
      /** The version that `latest` points at there. */
      version: string;
      /** The applied file edited, removed or renamed. */
      file: string;
      why: string;
    };

/**
 * Whether the state `next` (its digest and whole atlas.sum) extends the `latest` of every target
 * read: the same state, or one whose atlas.sum keeps every file of the old one unchanged and in place
 * (atlas.sum hashes are cumulative). The first contradiction otherwise.
 */
export function decideLatest(next: { digest: string; sum: string }, reads: LatestRead[]): LatestVerdict {
  for (const { target, latest } of reads) {
    if (!latest || latest.digest === next.digest) continue;
    const verdict = extendsSum(latest.sum ?? "", next.sum);
    if (!verdict.ok) {
      return { extends: false, target, version: latest.version, file: verdict.file, why: verdict.why };
    }
  }
  return { extends: true };
}
