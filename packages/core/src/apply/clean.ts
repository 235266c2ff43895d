// Atlas's CheckClean for PostgreSQL: may the first run start here without baseline or allow-dirty?
import type pg from "pg";
import { REVISIONS_TABLE } from "./revisions";

/**
 * Schemas (with their tables) the way Atlas inspects a realm (sql/postgres/inspect.go schemasQuery and
 * tablesQuery): system and temp schemas left out; tables from information_schema.tables, so only those
 * the user owns or holds a privilege on, and not partitions nor tables that belong to an extension
 * (PostGIS's spatial_ref_sys in public does not make a database dirty).
 */
async function schemas(client: pg.Client, only?: string): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ schema: string; tables: string[] }>(
    `SELECT n.nspname AS schema,
            coalesce(array_agg(t.name ORDER BY t.name) FILTER (WHERE t.name IS NOT NULL), '{}')::text[] AS tables
       FROM pg_namespace n
       LEFT JOIN (
         SELECT t1.table_schema::text AS schema, t1.table_name::text AS name
           FROM information_schema.tables t1
           JOIN pg_namespace t2 ON t2.nspname = t1.table_schema
           JOIN pg_class t3 ON t3.relnamespace = t2.oid AND t3.relname = t1.table_name
           LEFT JOIN pg_depend t5 ON t5.objid = t3.oid AND t5.deptype = 'e'
          WHERE t1.table_type = 'BASE TABLE' AND NOT coalesce(t3.relispartition, false) AND t5.objid IS NULL
       ) t ON t.schema = n.nspname
      WHERE n.nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast', 'crdb_internal', 'pg_extension')
        AND n.nspname NOT LIKE 'pg_%temp_%'
        AND ($1::text IS NULL OR n.nspname = $1)
      GROUP BY n.nspname ORDER BY n.nspname`,
    [only ?? null],
  );
  return new Map(rows.map((r) => [r.schema, r.tables]));
}

/**
 * Why the database is not clean, or null when it is. With a schema-bound URL only that schema counts;
 * otherwise every schema: only an empty `public` and the revisions table's own schema are allowed.
 */
export async function notCleanReason(
  client: pg.Client,
  connectedSchema: string | undefined,
  revisionsSchema: string,
): Promise<string | null> {
  if (connectedSchema) {
    const tables = (await schemas(client, connectedSchema)).get(connectedSchema) ?? [];
    const onlyRevisions =
      tables.length === 1 && tables[0] === REVISIONS_TABLE && connectedSchema === revisionsSchema;
    if (tables.length === 0 || onlyRevisions) return null;
    return `found table "${tables[0]}" in schema "${connectedSchema}"`;
  }
  for (const [name, tables] of await schemas(client)) {
    if (tables.length === 0 && name === "public") continue;
    if (tables.length === 0 || name !== revisionsSchema) return `found schema "${name}"`;
    if (tables.length > 1) return `found ${tables.length} tables in schema "${name}"`;
    if (tables[0] !== REVISIONS_TABLE) return `found table "${tables[0]}" in schema "${name}"`;
  }
  return null;
}
