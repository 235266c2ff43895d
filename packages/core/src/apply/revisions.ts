// atlas_schema_revisions exactly as Atlas (its ent schema) creates and writes it on PostgreSQL.
import type pg from "pg";
import type { Revision } from "./types";

/** Written to operator_version; a unit test keeps it equal to packages/core/package.json. */
export const OPERATOR_VERSION = "migrate-relay 0.1.0";

export const REVISIONS_TABLE = "atlas_schema_revisions";
/** Atlas's default schema for the table when the URL names no schema. */
export const DEFAULT_REVISIONS_SCHEMA = "atlas_schema_revisions";
/** Atlas Cloud's row that identifies the table; never a migration. */
const CLOUD_IDENTIFIER = ".atlas_cloud_identifier";

const quote = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

/** `"schema"."atlas_schema_revisions"`. */
export const tableName = (schema: string) => `${quote(schema)}.${quote(REVISIONS_TABLE)}`;

/** The revisions schema: explicit option, else the URL's search_path, else Atlas's default. */
export function revisionsSchemaFor(option: string | undefined, urlSchema: string | undefined): string {
  return option || urlSchema || DEFAULT_REVISIONS_SCHEMA;
}

/** The DDL ent generates for Atlas's Revision schema (column names, types, defaults, nullability). */
export function createTableSql(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS ${tableName(schema)} (
  "version" character varying NOT NULL,
  "description" character varying NOT NULL,
  "type" bigint NOT NULL DEFAULT 2,
  "applied" bigint NOT NULL DEFAULT 0,
  "total" bigint NOT NULL DEFAULT 0,
  "executed_at" timestamptz NOT NULL,
  "execution_time" bigint NOT NULL,
  "error" text NULL,
  "error_stmt" text NULL,
  "hash" character varying NOT NULL,
  "partial_hashes" jsonb NULL,
  "operator_version" character varying NOT NULL,
  PRIMARY KEY ("version")
)`;
}

export interface TableState {
  schemaExists: boolean;
  tableExists: boolean;
}

export async function tableState(client: pg.Client, schema: string): Promise<TableState> {
  const { rows } = await client.query<{ s: boolean; t: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS s,
            EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')) AS t`,
    [schema, REVISIONS_TABLE],
  );
  return { schemaExists: rows[0]?.s === true, tableExists: rows[0]?.t === true };
}

/** Creates the schema and table when missing (checking first: CREATE SCHEMA needs a privilege even with IF NOT EXISTS). */
export async function ensureRevisionsTable(
  client: pg.Client,
  schema: string,
  state?: TableState,
): Promise<void> {
  const { schemaExists, tableExists } = state ?? (await tableState(client, schema));
  if (tableExists) return;
  if (!schemaExists) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`);
  await client.query(createTableSql(schema));
}

/** A row of atlas_schema_revisions as `pg` returns it (bigint columns as strings). */
export interface RevisionRow {
  version: string;
  description: string;
  type: string;
  applied: string;
  total: string;
  executed_at: Date;
  execution_time: string;
  error: string | null;
  error_stmt: string | null;
  hash: string;
  partial_hashes: string[] | null;
  operator_version: string;
}

/** All revisions in version order (byte order, as Atlas compares versions); [] when the table is missing. */
export async function readRevisions(
  client: pg.Client,
  schema: string,
  exists?: boolean,
): Promise<Revision[]> {
  if (exists === false) return [];
  if (exists === undefined && !(await tableState(client, schema)).tableExists) return [];
  const { rows } = await client.query<RevisionRow>(`SELECT * FROM ${tableName(schema)} WHERE version <> $1`, [
    CLOUD_IDENTIFIER,
  ]);
  return rows
    .map(
      (r): Revision => ({
        version: r.version,
        description: r.description,
        type: Number(r.type),
        applied: Number(r.applied),
        total: Number(r.total),
        executedAt: r.executed_at,
        executionTime: BigInt(r.execution_time),
        error: r.error ?? "",
        errorStmt: r.error_stmt ?? "",
        hash: r.hash,
        partialHashes: Array.isArray(r.partial_hashes) ? r.partial_hashes : [],
        operatorVersion: r.operator_version,
      }),
    )
    .sort((a, b) => compareBytes(a.version, b.version));
}

/** Go's strings.Compare: by UTF-8 bytes, not locale. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The revision's mutable state, as written after a step. */
export interface RevisionWrite {
  version: string;
  description: string;
  type: number;
  applied: number;
  total: number;
  error: string;
  errorStmt: string;
  hash: string;
  partialHashes: string[];
  /**
   * Who times the file: "tx" (the server: the file's own transaction started with it, tx-mode file),
   * "marked" (the server, from FILE_CLOCK_SQL at the file's start, tx-mode all), or client values.
   */
  clock: "tx" | "marked" | { executedAt: Date; executionTimeNs: bigint };
}

/** Marks a file's start inside the run's transaction (tx-mode all), for the server to time it. */
export const FILE_CLOCK_SQL =
  "SELECT set_config('migrate_relay.file_started', clock_timestamp()::text, false)";
const MARKED_START = "current_setting('migrate_relay.file_started')::timestamptz";

const elapsedNs = (start: string) =>
  `(extract(epoch FROM clock_timestamp() - ${start}) * 1000000000)::bigint`;

/**
 * The upsert Atlas's ent client does (ON CONFLICT ... UpdateNewValues): every column but the immutable
 * version, description and executed_at is overwritten.
 */
export function upsertRevision(schema: string, w: RevisionWrite): { text: string; values: unknown[] } {
  const values: unknown[] = [
    w.version,
    w.description,
    w.type,
    w.applied,
    w.total,
    w.error,
    w.errorStmt,
    w.hash,
    // ent stores a nil []string as JSON null.
    JSON.stringify(w.partialHashes.length ? w.partialHashes : null),
    OPERATOR_VERSION,
  ];
  let executedAt = "now()";
  let executionTime = elapsedNs("now()");
  if (w.clock === "marked") {
    executedAt = MARKED_START;
    executionTime = elapsedNs(MARKED_START);
  } else if (w.clock !== "tx") {
    values.push(w.clock.executedAt.toISOString(), String(w.clock.executionTimeNs));
    executedAt = "$11::timestamptz";
    executionTime = "$12::bigint";
  }
  const text = `INSERT INTO ${tableName(schema)}
  ("version", "description", "type", "applied", "total", "executed_at", "execution_time",
   "error", "error_stmt", "hash", "partial_hashes", "operator_version")
VALUES ($1, $2, $3, $4, $5, ${executedAt}, ${executionTime}, $6, $7, $8, $9::jsonb, $10)
ON CONFLICT ("version") DO UPDATE SET
  "type" = EXCLUDED."type", "applied" = EXCLUDED."applied", "total" = EXCLUDED."total",
  "execution_time" = EXCLUDED."execution_time", "error" = EXCLUDED."error",
  "error_stmt" = EXCLUDED."error_stmt", "hash" = EXCLUDED."hash",
  "partial_hashes" = EXCLUDED."partial_hashes", "operator_version" = EXCLUDED."operator_version"`;
  return { text, values };
}

/** The same query with its values written in as literals, to travel inside a multi-statement message. */
export function inlineQuery(q: { text: string; values: unknown[] }): string {
  return q.text.replace(/\$(\d+)/g, (_, n: string) => {
    const v = q.values[Number(n) - 1];
    return typeof v === "number" ? String(v) : escapeLiteral(String(v));
  });
}

/** PostgreSQL string literal; E'' form when backslashes are present (as pg's escapeLiteral). */
function escapeLiteral(text: string): string {
  const quoted = `'${text.replace(/'/g, "''").replace(/\\/g, "\\\\")}'`;
  return text.includes("\\") ? ` E${quoted}` : quoted;
}
