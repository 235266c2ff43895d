// Atlas's CheckClean for PostgreSQL: may the first run start here without baseline or allow-dirty?
import type pg from "pg";
import { REVISIONS_TABLE } from "./revisions";

/** Schemas (with their tables) the way Atlas inspects a realm: system and temp schemas left out. */
async function schemas(client: pg.Client, only?: string): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ schema: string; tables: string[] }>(
    `SELECT n.nspname AS schema,
            coalesce(array_agg(c.relname::text ORDER BY c.relname) FILTER (WHERE c.relname IS NOT NULL), '{}')::text[] AS tables
       FROM pg_namespace n
       LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      WHERE n.nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast', 'crdb_internal', 'pg_extension')
        AND n.nspname NOT LIKE 'pg\\_%temp\\_%'
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
