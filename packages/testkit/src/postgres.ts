const todo = (): never => {
  throw new Error("not implemented yet");
};

/** A throwaway PostgreSQL cluster on 127.0.0.1 (data in /dev/shm), started with initdb/pg_ctl. */
export interface PostgresCluster {
  host: string;
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth; see createRole for password tests). */
  adminUrl: string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresCluster> {
  return todo();
}

/** In a test: a fresh database on the run's cluster (started by test/global-setup.ts). */
export async function testDatabase(): Promise<string> {
  return todo();
}
