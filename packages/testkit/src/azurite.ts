// Azurite, the Azure Storage emulator (npm `azurite`): its blob service on 127.0.0.1, in memory.
// --skipApiVersionCheck: current SDKs send API versions Azurite does not list yet;
// --disableTelemetry: it reports to the internet by default.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { spawnUntil } from "./spawn";

/** Azurite's built-in account (public, documented by Microsoft). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteServer {
  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  blobEndpoint: string;
  port: number;
  /** What AZURE_STORAGE_CONNECTION_STRING takes to reach this server. */
  connectionString: string;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<AzuriteServer> {
  const pkg = createRequire(import.meta.url).resolve("azurite/package.json");
  const main = join(dirname(pkg), "dist/src/blob/main.js");
  const server = await spawnUntil(
    "azurite",
    process.execPath,
    [
      main,
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      "0",
      "--inMemoryPersistence",
      "--skipApiVersionCheck",
      "--disableTelemetry",
      "--silent",
    ],
    /successfully listens on http:\/\/127\.0\.0\.1:(\d+)/,
  );
  const port = Number(server.match[1]);
  const blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  return {
    blobEndpoint,
    port,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${blobEndpoint};`,
    stop: server.stop,
  };
}
