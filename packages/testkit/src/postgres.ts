import { execFile, execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { appendFile, chmod, chown, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { uniqueName } from "./names";

const run = promisify(execFile);

/** The env var global setup publishes the run's admin URL in (see test/global-setup.ts). */
export const TEST_PG_URL_ENV = "MIGRATE_RELAY_TEST_PG_URL";

/** A throwaway PostgreSQL cluster on 127.0.0.1 (data in /dev/shm), started with initdb/pg_ctl. */
export interface PostgresCluster {
  host: string;
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth; see createRole for password tests). */
  adminUrl: string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /**
   * Creates a login role that must authenticate with its password (scram-sha-256; only the
   * `postgres` role is trusted). With `database`, the role becomes that database's owner (so it may
   * create tables in `public`). Returns a URL with the password for `database` (default `postgres`).
   */
  createRole(name: string, password: string, options?: CreateRoleOptions): Promise<string>;
  stop(): Promise<void>;
}

export interface CreateRoleOptions {
  /** A database (name or URL from createDatabase) the role should own. */
  database?: string;
  superuser?: boolean;
}

export interface StartPostgresOptions {
  /** Extra `postgresql.conf` settings, e.g. `{ max_locks_per_transaction: "128" }`. */
  settings?: Record<string, string>;
}

// Durability off, room for parallel test files; none of this is meant for real data.
const TEST_SETTINGS: Record<string, string> = {
  listen_addresses: "'127.0.0.1'",
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
  max_connections: "200",
  shared_buffers: "64MB",
  password_encryption: "'scram-sha-256'",
  log_min_messages: "warning",
  log_line_prefix: "'%m [%p] %d '",
};

// `postgres` stays trusted (admin URL has no password); every other role must send its password.
const PG_HBA = [
  "local all postgres trust",
  "local all all scram-sha-256",
  "host all postgres 127.0.0.1/32 trust",
  "host all all 127.0.0.1/32 scram-sha-256",
  "",
].join("\n");

/** Where initdb and pg_ctl live: PATH first, then the highest /usr/lib/postgresql/<v>/bin. */
export function findPostgresBin(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const pgCtl = join(dir, "pg_ctl");
    if (!existsSync(pgCtl)) continue;
    // Debian links only some tools into PATH; the real dir has initdb and postgres side by side.
    const real = dirname(realpathSync(pgCtl));
    if (existsSync(join(real, "initdb")) && existsSync(join(real, "postgres"))) return real;
  }
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "pg_ctl")))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  if (versions[0]) return join(root, versions[0], "bin");
  throw new Error("PostgreSQL server binaries not found (no pg_ctl on PATH or under /usr/lib/postgresql)");
}

interface Account {
  uid: number;
  gid: number;
}

function postgresAccount(): Account {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  const fields = line?.split(":");
  if (!fields?.[2] || !fields[3])
    throw new Error("running as root but there is no 'postgres' user to run initdb");
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** A port the kernel just handed out; a small race remains, so startPostgres retries on a clash. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function scratchRoot(): string {
  return existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  const isRoot = process.getuid?.() === 0;
  const account = isRoot ? postgresAccount() : undefined;
  // initdb/pg_ctl refuse root, so they run as `postgres`, which must own everything they touch.
  const command = (tool: string, args: string[]): [string, string[]] =>
    isRoot ? ["runuser", ["-u", "postgres", "--", join(bin, tool), ...args]] : [join(bin, tool), args];
  const asOwner = (tool: string, args: string[]) => run(...command(tool, args));

  const base = await mkdtemp(join(scratchRoot(), "migrate-relay-pg-"));
  const dataDir = join(base, "data");
  const socketDir = base;
  const logFile = join(base, "postgres.log");
  if (account) await chown(base, account.uid, account.gid);
  await chmod(base, 0o700);

  const cleanup = () => rm(base, { recursive: true, force: true });
  try {
    await asOwner("initdb", [
      "-D",
      dataDir,
      "--no-sync",
      "--auth=trust",
      "-U",
      "postgres",
      "--encoding=UTF8",
      "--locale=C",
    ]);
    await writeFile(join(dataDir, "pg_hba.conf"), PG_HBA);
    if (account) await chown(join(dataDir, "pg_hba.conf"), account.uid, account.gid);
    const settings = { ...TEST_SETTINGS, unix_socket_directories: `'${socketDir}'`, ...options.settings };
    const conf = Object.entries(settings)
      .map(([k, v]) => `${k} = ${v}`)
      .join("\n");
    await appendFile(join(dataDir, "postgresql.conf"), `\n# migrate-relay testkit\n${conf}\n`);

    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await asOwner("pg_ctl", [
          "start",
          "-D",
          dataDir,
          "-w",
          "-t",
          "60",
          "-l",
          logFile,
          "-o",
          `-p ${port}`,
        ]);
        break;
      } catch (error) {
        const log = await readFile(logFile, "utf8").catch(() => "");
        // Another process took the port between freePort() and bind(): try a new one.
        if (attempt < 5 && /could not (bind|create listen)/i.test(log)) continue;
        throw new Error(`pg_ctl start failed: ${(error as Error).message}\n${log.slice(-2000)}`);
      }
    }

    const host = "127.0.0.1";
    const adminUrl = `postgres://postgres@${host}:${port}/postgres`;
    const admin = attachPostgres(adminUrl);
    // A run that dies without calling stop() should not leave a server and a tmpfs dir behind.
    const stopOnExit = () => {
      try {
        execFileSync(...command("pg_ctl", ["stop", "-D", dataDir, "-m", "immediate"]), { stdio: "ignore" });
      } catch {}
      rmSync(base, { recursive: true, force: true });
    };
    process.once("exit", stopOnExit);
    let stopped = false;
    return {
      ...admin,
      async stop() {
        if (stopped) return;
        stopped = true;
        process.off("exit", stopOnExit);
        await asOwner("pg_ctl", ["stop", "-D", dataDir, "-m", "immediate", "-w"]).catch(() => undefined);
        await cleanup();
      },
    };
  } catch (error) {
    await asOwner("pg_ctl", ["stop", "-D", dataDir, "-m", "immediate"]).catch(() => undefined);
    await cleanup();
    throw error;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

function databaseName(nameOrUrl: string): string {
  return /^postgres(ql)?:\/\//.test(nameOrUrl)
    ? decodeURIComponent(new URL(nameOrUrl).pathname.slice(1))
    : nameOrUrl;
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A handle on a cluster someone else started (global setup): createDatabase and createRole work,
 * stop() does nothing.
 */
export function attachPostgres(adminUrl: string): PostgresCluster {
  const u = new URL(adminUrl);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    adminUrl,
    async createDatabase(name = uniqueName("test")) {
      await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
      return withDatabase(adminUrl, name);
    },
    async createRole(name, password, options = {}) {
      const database = options.database ? databaseName(options.database) : "postgres";
      await withAdmin(adminUrl, async (c) => {
        const role = c.escapeIdentifier(name);
        const superuser = options.superuser ? " SUPERUSER" : "";
        await c.query(`CREATE ROLE ${role} LOGIN${superuser} PASSWORD ${c.escapeLiteral(password)}`);
        if (options.database)
          await c.query(`ALTER DATABASE ${c.escapeIdentifier(database)} OWNER TO ${role}`);
      });
      const url = new URL(withDatabase(adminUrl, database));
      url.username = encodeURIComponent(name);
      url.password = encodeURIComponent(password);
      return url.toString();
    },
    async stop() {},
  };
}

/** In a test: the run's cluster (started by test/global-setup.ts). */
export function testCluster(): PostgresCluster {
  const adminUrl = process.env[TEST_PG_URL_ENV];
  if (!adminUrl)
    throw new Error(`${TEST_PG_URL_ENV} is not set: run tests through vitest (test/global-setup.ts)`);
  return attachPostgres(adminUrl);
}

/** In a test: a fresh database on the run's cluster (started by test/global-setup.ts). */
export async function testDatabase(): Promise<string> {
  return testCluster().createDatabase();
}
