// Opening the object stores beyond S3. Each SDK (and the OCI client) is loaded on first use, in its
// own chunk of the bundle: a user who never names a gs://, azureblob:// or oci:// URL never loads it.
import type { BlobStore } from "./blob";
import type { StoreSpec } from "./store-urls";

export interface StoreOptions {
  /** The SDK's own call timeout where it takes no AbortSignal (GCS). */
  callTimeoutMs: number;
  /** gs:// client settings beside the defaults (e.g. `apiEndpoint` for a stand-in server). */
  gcs?: { apiEndpoint?: string };
}

/** A BlobStore whose implementation is created on the first call. */
export function lazyStore(load: () => Promise<BlobStore>, listable = true): BlobStore {
  let loading: Promise<BlobStore> | undefined;
  const store = () => {
    loading ??= load();
    // A failed load (bad credentials config) is reported on each call, and tried again next time.
    loading.catch(() => {
      loading = undefined;
    });
    return loading;
  };
  return {
    get: async (key, signal) => (await store()).get(key, signal),
    exists: async (key, signal) => (await store()).exists(key, signal),
    putIfAbsent: async (key, body, signal) => (await store()).putIfAbsent(key, body, signal),
    put: async (key, body, signal) => (await store()).put(key, body, signal),
    putIfMatch: async (key, body, expected, signal) =>
      (await store()).putIfMatch(key, body, expected, signal),
    casCaveat: async (probeKey, signal) => (await store()).casCaveat?.(probeKey, signal),
    ...(listable ? { list: async (folder, signal) => (await store()).list!(folder, signal) } : {}),
  };
}

export function openStore(spec: StoreSpec, options: StoreOptions): BlobStore {
  switch (spec.kind) {
    case "gs":
      return lazyStore(async () => {
        const { GcsStore, gcsBucket } = await import("./gcs");
        return new GcsStore(
          gcsBucket(spec.location, options.callTimeoutMs, options.gcs),
          spec.location,
          spec.display,
        );
      });
    case "azblob":
      return lazyStore(async () => {
        const { AzureStore, azureContainer } = await import("./azure");
        return new AzureStore(await azureContainer(spec.location, spec.display), spec.location, spec.display);
      });
    case "oci":
      return lazyStore(async () => {
        const { OciStore } = await import("./oci");
        return new OciStore(spec.location, spec.display);
      }, false);
  }
}
