// Which files are pending: Atlas's Executor.Pending plus amount / to-version, as a pure function.

import type { ExecOrder } from "../config/types";
import { directiveOf, headerComments } from "../dir/directives";
import type { MigrationFile } from "../dir/types";
import { RelayError } from "../errors";
import { DEFAULT_EXEC_ORDER } from "../settings";
import { compareBytes } from "./revisions";
import type { Revision } from "./types";

export interface PlanInput {
  files: readonly MigrationFile[];
  /** Revisions in version order. */
  revisions: readonly Revision[];
  /** Only consulted on the first run (no revisions): why the database is not clean, or null when it is. */
  notClean: string | null;
  baseline?: string;
  allowDirty?: boolean;
  execOrder?: ExecOrder;
  amount?: number;
  toVersion?: string;
}

export interface Plan {
  /** Everything pending before amount/to-version cut it. */
  pending: MigrationFile[];
  /** What this run executes. */
  run: MigrationFile[];
  /** First run with a baseline: the file to record as the baseline revision. */
  baseline?: MigrationFile;
  /** The last revision is partially applied (a `none` file stopped mid-way). */
  partial?: Revision;
}

const lastIndex = <T>(list: readonly T[], pred: (x: T) => boolean) => {
  for (let i = list.length - 1; i >= 0; i--) if (pred(list[i]!)) return i;
  return -1;
};

const decoder = new TextDecoder();

/** A checkpoint file (`atlas migrate checkpoint`): its header carries `atlas:checkpoint [tag]`. */
export function isCheckpoint(file: MigrationFile): boolean {
  const first = file.content[0];
  if (first !== 0x23 && first !== 0x2d) return false; // no header: neither `#` nor `--` first
  return headerComments(decoder.decode(file.content)).some((c) => directiveOf(c)?.name === "checkpoint");
}

/** Checks options Atlas refuses before touching anything. */
export function checkPlanOptions(opts: { baseline?: string; allowDirty?: boolean; amount?: number }): void {
  if (opts.baseline && opts.allowDirty) {
    throw new RelayError("input", "baseline and allow-dirty are mutually exclusive; pass only one");
  }
  if (opts.amount !== undefined && (!Number.isInteger(opts.amount) || opts.amount < 1)) {
    throw new RelayError(
      "input",
      `cannot apply '${opts.amount}' migration files; amount must be a whole number >= 1`,
    );
  }
}

export function planPending(input: PlanInput): Plan {
  checkPlanOptions(input);
  const { revisions } = input;
  const all = input.files;
  // Atlas's Pending works on the directory without its checkpoint files, except where noted.
  const files = all.filter((f) => !isCheckpoint(f));
  const order = input.execOrder ?? DEFAULT_EXEC_ORDER;
  let pending: MigrationFile[];
  let baseline: MigrationFile | undefined;
  let partial: Revision | undefined;

  if (revisions.length === 0) {
    if (input.notClean !== null && !input.allowDirty && !input.baseline) {
      throw new RelayError(
        "conflict",
        `connected database is not clean: ${input.notClean}. baseline version or allow-dirty is required`,
      );
    }
    if (input.baseline) {
      const at = lastIndex(files, (f) => f.version === input.baseline);
      if (at === -1)
        throw new RelayError("input", `baseline version "${input.baseline}" not found in the directory`);
      baseline = files[at];
      pending = files.slice(at + 1);
    } else {
      // A first run starts at the last checkpoint (included), when there is one.
      const ck = lastIndex(all, isCheckpoint);
      pending = ck === -1 ? [...all] : all.slice(ck);
    }
  } else {
    const last = revisions[revisions.length - 1]!;
    const partially = last.applied !== last.total;
    if (partially) partial = last;
    const ck = partially ? all.find((f) => f.version === last.version && isCheckpoint(f)) : undefined;
    if (ck) {
      // A checkpoint stopped part-way: it, then everything after it.
      pending = [ck, ...all.slice(all.indexOf(ck) + 1).filter((f) => !isCheckpoint(f))];
    } else if (files.length === 0) {
      pending = [];
    } else {
      pending = pendingAfter(files, revisions, last, partially, order);
    }
  }

  let run = pending;
  if (input.toVersion !== undefined) {
    const to = lastIndex(pending, (f) => f.version === input.toVersion);
    if (to !== -1) run = pending.slice(0, to + 1);
    else if (all.some((f) => f.version === input.toVersion))
      run = []; // already applied (or skipped)
    else
      throw new RelayError("input", `migration with version "${input.toVersion}" not found in the directory`);
  }
  if (input.amount !== undefined) run = run.slice(0, input.amount);
  return { pending, run, baseline, partial };
}

/** Atlas's Pending once revisions exist: after the last one (or at it, when partial), per exec-order. */
function pendingAfter(
  files: readonly MigrationFile[],
  revisions: readonly Revision[],
  last: Revision,
  partially: boolean,
  order: ExecOrder,
): MigrationFile[] {
  const at = lastIndex(files, (f) =>
    partially ? f.version === last.version : compareBytes(f.version, last.version) <= 0,
  );
  if (at === -1) {
    if (partially) {
      const name = last.description ? `${last.version}_${last.description}.sql` : `${last.version}.sql`;
      throw new RelayError(
        "conflict",
        `missing migration: revision "${name}" is partially applied but its file is not in the directory`,
      );
    }
    return [...files];
  }
  const next = partially ? at : at + 1;
  const pending = files.slice(next);
  // Files between the first revision and the last one that never ran were added out of order.
  const first = files.findIndex((f) => compareBytes(f.version, revisions[0]!.version) >= 0);
  if (first === -1 || first >= next || order === "linear-skip") return pending;
  const applied = new Set(revisions.map((r) => r.version));
  const skipped = files.slice(first, next).filter((f) => !applied.has(f.version));
  if (skipped.length === 0) return pending;
  if (order === "non-linear") return [...skipped, ...pending];
  const names = skipped.map((f) => f.name).join(", ");
  throw new RelayError(
    "conflict",
    `migration ${skipped.length === 1 ? `file ${names} was` : `files ${names} were`} added out of order; ` +
      "apply with exec-order non-linear to run it, or linear-skip to skip it. See: https://atlasgo.io/versioned/apply#non-linear-error",
  );
}
