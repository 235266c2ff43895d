// status: where a database stands against a directory, read-only (no lock, no table created).
import type pg from "pg";
import type { MigrationDir } from "../dir/types";
import { configError, messageOf, RelayError } from "../errors";
import type { Attempt } from "../replica/types";
import { redact } from "../secrets";
import { closeQuietly, connect, parsePostgresUrl } from "./connection";
import { planPending } from "./plan";
import { emptyStatus } from "./result";
import { readRevisions, revisionsSchemaFor, tableState } from "./revisions";
import type { Revision } from "./types";

export interface StatusOptions {
  url: string;
  revisionsSchema?: string;
  /** As apply would use it on a first run. */
  baseline?: string;
  source?: string;
  trail?: Attempt[];
}

export interface StatusResult {
  /** Redacted database URL. */
  url: string;
  /** "OK" when nothing is pending, else "PENDING". */
  status: "OK" | "PENDING";
  /** Last revision's version ("" when none). */
  current: string;
  /** Version of the next pending file ("" when none). */
  next: string;
  /** Revisions recorded (baseline included). */
  executed: number;
  /** Pending files in the order apply would run them (out-of-order files included). */
  pending: string[];
  /** The last file stopped part-way (tx-mode none): what ran and why it stopped. */
  partial?: { version: string; applied: number; total: number; error?: string; errorStmt?: string };
  revisionsSchema: string;
  /** The rows of atlas_schema_revisions (Atlas's status `Applied`). */
  revisions?: Revision[];
  /** The directory's files (Atlas's status `Available`). */
  available?: string[];
  error?: { kind: string; message: string };
  source?: string;
  trail?: Attempt[];
}

export async function dirStatus(dir: MigrationDir, options: StatusOptions): Promise<StatusResult> {
  if (!options.url) throw configError("no database URL: pass --url or set `url` in the env block");
  const target = parsePostgresUrl(options.url);
  const schema = revisionsSchemaFor(options.revisionsSchema, target.schema);
  const result = emptyStatus(target.display, schema, options);
  let client: pg.Client | undefined;
  try {
    client = await connect(target);
    const { tableExists } = await tableState(client, schema);
    const revisions = await readRevisions(client, schema, tableExists);
    const last = revisions[revisions.length - 1];
    // Out-of-order files count as pending here; apply decides (per exec-order) what to do with them.
    const plan = planPending({
      files: dir.files,
      revisions,
      notClean: null,
      baseline: options.baseline,
      execOrder: "non-linear",
    });
    result.revisions = revisions;
    result.available = dir.files.map((f) => f.name);
    result.current = last?.version ?? "";
    result.executed = revisions.length;
    result.pending = plan.pending.map((f) => f.name);
    result.next = plan.pending[0]?.version ?? "";
    result.status = plan.pending.length ? "PENDING" : "OK";
    if (last && last.applied !== last.total) {
      result.partial = {
        version: last.version,
        applied: last.applied,
        total: last.total,
        ...(last.error ? { error: last.error, errorStmt: last.errorStmt } : {}),
      };
    }
  } catch (err) {
    const kind = err instanceof RelayError ? err.kind : "unreachable";
    result.error = { kind, message: redact(messageOf(err), target.secrets) };
  } finally {
    await closeQuietly(client);
  }
  return result;
}
