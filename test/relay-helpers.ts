// Shared set-up for the relay integration tests: generated migration directories and replicas on
// real loopback services (s3rver through testkit, temp folders, the registry emulator).
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GrantStore,
  hashDir,
  type MigrationDir,
  migrationFile,
  openReplica,
  type Replica,
} from "@migrate-relay/core";
import { type RegistryEmulator, startRegistry, testBucket } from "@migrate-relay/testkit";

/** `count` files `<n>_step.sql`, versions zero-padded so byte order is numeric order. */
export function makeDir(count: number, options: { salt?: string; bytesPerFile?: number } = {}): MigrationDir {
  const files = Array.from({ length: count }, (_, i) => {
    const version = String(i + 1).padStart(6, "0");
    const filler = options.bytesPerFile ? `-- ${"x".repeat(options.bytesPerFile)}\n` : "";
    const sql = `${filler}CREATE TABLE t${i + 1}${options.salt ?? ""} (id int);\n`;
    return migrationFile(`${version}_step.sql`, Buffer.from(sql));
  });
  return { files, sum: hashDir(files) };
}

export const tempDir = (label = "relay") => mkdtemp(join(tmpdir(), `migrate-relay-${label}-`));

export interface Rig {
  registry: RegistryEmulator;
  grantDir: string;
  grants: () => GrantStore;
  s3Url: string;
  s3Url2: string;
  bucket: string;
  bucket2: string;
  fileRoot: string;
  fileUrl: string;
  /** atlas://<slug>, s3, s3, file: the configured order. */
  replicas(slug: string, extra?: { token?: string }): Replica[];
  stop(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const registry = await startRegistry();
  const [b1, b2] = await Promise.all([testBucket(), testBucket()]);
  const grantDir = await tempDir("grants");
  const fileRoot = await tempDir("file");
  const fileUrl = `file://${fileRoot}`;
  return {
    registry,
    grantDir,
    grants: () => new GrantStore({ dir: grantDir }),
    s3Url: b1.url,
    s3Url2: b2.url,
    bucket: b1.bucket,
    bucket2: b2.bucket,
    fileRoot,
    fileUrl,
    replicas(slug, extra = {}) {
      const options = {
        repo: slug,
        cloudUrl: registry.url,
        cloudToken: extra.token ?? registry.token,
        connectTimeoutMs: 1_000,
      };
      return [`atlas://${slug}`, b1.url, b2.url, fileUrl].map((u) => openReplica(u, options));
    },
    stop: () => registry.stop(),
  };
}

let slugCounter = 0;
export const uniqueSlug = (label = "app") => `${label}-${process.pid}-${++slugCounter}`;
