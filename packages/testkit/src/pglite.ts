import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface PgliteOptions {
  /** Keep the database in this directory (default: in memory, gone at stop()). */
  dataDir?: string;
  /** How many clients may stay connected at once (default 1); queries still run one at a time. */
  maxConnections?: number;
}

/** PGlite (PostgreSQL compiled to WASM) behind a loopback wire-protocol socket. */
export interface PgliteServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, for the `pg` driver. */
  url: string;
  port: number;
  db: PGlite;
  stop(): Promise<void>;
}

/**
 * An embedded PostgreSQL for the demo: no server installed, `pg` connects over TCP. PGlite is one
 * single-user backend, so it serves one connection at a time (docs/architecture.md): good for the demo, not for
 * lock or concurrency tests, which use startPostgres().
 */
export async function startPglite(options: PgliteOptions = {}): Promise<PgliteServer> {
  const db = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await db.waitReady;
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: 0,
    maxConnections: options.maxConnections ?? 1,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const port = Number(server.getServerConn().split(":").at(-1));
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    db,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}
