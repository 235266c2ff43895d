// For apply tests: in-memory migration directories and direct reads of a test database.
import { hashDir, type MigrationDir, migrationFile, type RevisionRow } from "@migrate-relay/core";
import pg from "pg";

export type { RevisionRow };

/** A directory from `{name: sql}`, with the atlas.sum Atlas would write for it. */
export function memDir(files: Record<string, string>): MigrationDir {
  const list = Object.keys(files)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((name) => migrationFile(name, new TextEncoder().encode(files[name])));
  return { files: list, sum: hashDir(list) };
}

export async function query<T extends pg.QueryResultRow = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export const revisionRows = (url: string, schema = "atlas_schema_revisions") =>
  query<RevisionRow>(url, `SELECT * FROM "${schema}".atlas_schema_revisions ORDER BY version`);

/** Names of the tables in `public`. */
export const publicTables = async (url: string) =>
  (
    await query<{ t: string }>(
      url,
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
  ).map((r) => r.t);
