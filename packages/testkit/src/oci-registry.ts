// The distribution registry (Debian package `docker-registry`, 2.8) on 127.0.0.1 with a config of
// our own (the packaged one listens on every interface) and htpasswd (bcrypt) basic auth. What it
// does here: blobs, OCI manifests with annotations and tags; it ignores If-Match/If-None-Match on a
// manifest PUT (so no tag compare-and-swap), and a manifest GET needs the OCI Accept header.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./postgres";
import { spawnUntil } from "./spawn";

const run = promisify(execFile);

export interface OciRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  username: string;
  password: string;
  /** `oci://user:password@host/<repository>` */
  url(repository: string): string;
  stop(): Promise<void>;
}

export async function startOciRegistry(
  options: { username?: string; password?: string } = {},
): Promise<OciRegistry> {
  const username = options.username ?? "relay";
  const password = options.password ?? `pw-${Math.random().toString(36).slice(2, 10)}`;
  const dir = await mkdtemp(join(tmpdir(), "migrate-relay-oci-"));
  try {
    // -B: bcrypt, the only scheme distribution accepts.
    const { stdout } = await run("htpasswd", ["-Bbn", username, password]);
    await writeFile(join(dir, "htpasswd"), stdout);
    const port = await freePort();
    await writeFile(
      join(dir, "config.yml"),
      [
        "version: 0.1",
        "log: { level: info, accesslog: { disabled: true } }",
        `storage: { filesystem: { rootdirectory: ${JSON.stringify(join(dir, "data"))} }, delete: { enabled: true } }`,
        `http: { addr: "127.0.0.1:${port}", secret: "migrate-relay-test" }`,
        `auth: { htpasswd: { realm: migrate-relay-test, path: ${JSON.stringify(join(dir, "htpasswd"))} } }`,
        "",
      ].join("\n"),
    );
    const server = await spawnUntil(
      "docker-registry",
      "docker-registry",
      ["serve", join(dir, "config.yml")],
      /listening on 127\.0\.0\.1:\d+/,
      { timeoutMs: 15_000 },
    );
    const host = `127.0.0.1:${port}`;
    return {
      host,
      username,
      password,
      url: (repository) => `oci://${username}:${password}@${host}/${repository}`,
      async stop() {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    // The one server npm does not ship: say how to get it rather than fail with a bare ENOENT.
    throw new Error(
      `${(err as Error).message}: the OCI store tests run Debian's distribution registry; install it with apt-get install -y docker-registry apache2-utils (as .ci/run does)`,
    );
  }
}
