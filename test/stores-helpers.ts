// The cloud stores beyond S3 on loopback, each behind a fault proxy: Azurite (real), the
// distribution registry (real), and the GCS JSON API double (the one stand-in: see testkit/gcs.ts),
// driven through the product's real SDK clients.
import { openReplica, type Replica } from "@migrate-relay/core";
import {
  AZURITE_ACCOUNT,
  AZURITE_KEY,
  type AzuriteServer,
  type FaultProxy,
  type GcsDouble,
  type OciRegistry,
  startAzurite,
  startFaultProxy,
  startGcsDouble,
  startOciRegistry,
} from "@migrate-relay/testkit";

export type StoreKind = "gs" | "azblob" | "oci";
export const STORE_KINDS: StoreKind[] = ["gs", "azblob", "oci"];

export interface Stores {
  azurite: AzuriteServer;
  registry: OciRegistry;
  gcs: GcsDouble;
  proxies: Record<StoreKind, FaultProxy>;
  /** The backup URL of each kind (through its proxy); `bucket` names the bucket/container/repo. */
  url(kind: StoreKind, bucket?: string): string;
  open(kind: StoreKind, slug: string, options?: { bucket?: string }): Replica;
  /** Env the CLI needs for these URLs (Azure connection string, GCS endpoint). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export const azureConnection = (blobEndpoint: string, key = AZURITE_KEY) =>
  `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${key};BlobEndpoint=${blobEndpoint};`;

export async function startStores(): Promise<Stores> {
  const [azurite, registry, gcs] = await Promise.all([startAzurite(), startOciRegistry(), startGcsDouble()]);
  const [az, oci, gs] = await Promise.all([
    startFaultProxy(`http://127.0.0.1:${azurite.port}`),
    startFaultProxy(`http://${registry.host}`),
    startFaultProxy(gcs.endpoint),
  ]);
  gcs.createBucket("relay-backups");
  // Azure containers are created by the test that uses them (the product never creates one).
  const { BlobServiceClient } = await import("@azure/storage-blob");
  await BlobServiceClient.fromConnectionString(azurite.connectionString)
    .getContainerClient("relay-backups")
    .createIfNotExists();
  const env = {
    AZURE_STORAGE_CONNECTION_STRING: azureConnection(`${az.origin}/${AZURITE_ACCOUNT}`),
    STORAGE_EMULATOR_HOST: gs.origin,
  };
  Object.assign(process.env, env);
  const url = (kind: StoreKind, bucket = "relay-backups") =>
    kind === "gs"
      ? `gs://${bucket}/backups`
      : kind === "azblob"
        ? `azureblob://${bucket}/backups?storage_account=${AZURITE_ACCOUNT}`
        : `oci://${registry.username}:${registry.password}@${oci.host}/${bucket}`;
  return {
    azurite,
    registry,
    gcs,
    proxies: { gs, azblob: az, oci },
    url,
    open: (kind, slug, options = {}) =>
      openReplica(url(kind, options.bucket), { repo: slug, connectTimeoutMs: 1_000, callTimeoutMs: 5_000 }),
    env,
    async stop() {
      await Promise.all([az.stop(), oci.stop(), gs.stop()]);
      await Promise.all([azurite.stop(), registry.stop(), gcs.stop()]);
    },
  };
}
