// The seed's scenario with one backup of each kind: push to the registry and to s3, gs, azureblob,
// oci and file backups; the registry goes down; apply reads from each backup in turn as the ones
// before it are made to fail. The demo's atlas.hcl and migrations, through the CLI.
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "@migrate-relay/cli";
import {
  type FaultProxy,
  type RegistryEmulator,
  startFaultProxy,
  startRegistry,
  testBucket,
  testDatabase,
} from "@migrate-relay/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tempDir } from "./relay-helpers";
import { type Stores, startStores } from "./stores-helpers";

let stores: Stores;
let registry: RegistryEmulator;
let s3Proxy: FaultProxy;
let s3Url: string;
beforeAll(async () => {
  [stores, registry] = await Promise.all([startStores(), startRegistry()]);
  const bucket = await testBucket();
  s3Proxy = await startFaultProxy(bucket.endpoint);
  s3Url = bucket.url.replace(bucket.endpoint, s3Proxy.origin);
}, 60_000);
afterAll(async () => {
  await Promise.all([stores?.stop(), registry?.stop(), s3Proxy?.stop()]);
});

it("push to all, registry down, apply from each backup in turn as the earlier ones fail", async () => {
  const cwd = await tempDir("seed");
  await cp(join(import.meta.dirname, "../examples/demo"), cwd, { recursive: true });
  const fileUrl = `file://${join(cwd, "backup")}`;
  const backups = [s3Url, stores.url("gs"), stores.url("azblob"), stores.url("oci"), fileUrl];
  const env = {
    ATLAS_TOKEN: registry.token,
    DEMO_REGISTRY_URL: registry.url,
    DEMO_BACKUPS: backups.join(","),
    MIGRATE_RELAY_HOME: join(cwd, "home"),
    ...stores.env,
  };
  const cli = async (argv: string[], extra: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli([...argv, "--config", "file://atlas.hcl", "--format", "json"], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { ...env, ...extra },
      cwd,
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  const pushed = await cli(["push", "--env", "ci"]);
  expect(pushed.code, pushed.err).toBe(0);
  const json = JSON.parse(pushed.out);
  expect(json.Backups.map((b: { URL: string; Error?: string }) => [b.URL, b.Error])).toEqual(
    backups.map((u) => [u.replace(/:[^:@/]*@/, ":***@"), undefined]),
  );

  await registry.setFault("refuse");
  const failing: FaultProxy[] = [s3Proxy, stores.proxies.gs, stores.proxies.azblob, stores.proxies.oci];
  try {
    for (let i = 0; i < backups.length; i++) {
      const database = `${await testDatabase()}?sslmode=disable`;
      const applied = await cli(["apply", "--env", "prod"], { DATABASE_URL: database });
      expect(applied.code, applied.err).toBe(0);
      // One Atlas apply document for the one target.
      const result = JSON.parse(applied.out);
      expect(result.Source).toBe(backups[i]!.replace(/:[^:@/]*@/, ":***@"));
      expect(result.Applied).toHaveLength(3);
      // Registry first, then every backup that was made to fail, then the one that served.
      expect(result.Trail.map((a: { outcome: string }) => a.outcome)).toEqual([
        ...Array(i + 1).fill("failed"),
        "ok",
      ]);
      // The next apply finds this backup down too.
      await failing[i]?.setFault(i % 2 === 0 ? "refuse" : 503);
    }
  } finally {
    await registry.setFault("none");
    await Promise.all(failing.map((p) => p.setFault("none")));
  }
  expect(pushed.out + pushed.err).not.toContain(stores.registry.password);
}, 120_000);
