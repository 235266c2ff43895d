// One PostgreSQL cluster and one S3 server for the whole test run, started in parallel. Test files
// reach them through testDatabase()/testBucket(), which read the env vars set here: globalSetup runs
// in vitest's main process before the worker forks start, and the forks inherit process.env.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  findPostgres,
  S3RVER_ACCESS_KEY_ID,
  S3RVER_SECRET_ACCESS_KEY,
  startPostgres,
  startS3,
  TEST_PG_URL_ENV,
  TEST_S3_ENDPOINT_ENV,
} from "@migrate-relay/testkit";

export default async function setup(): Promise<() => Promise<void>> {
  // Every test's temp folder (os.tmpdir() reads TMPDIR) lands in one folder, removed at the end.
  const scratch = await mkdtemp(join(tmpdir(), "migrate-relay-test-run-"));
  process.env.TMPDIR = scratch;
  // Node 20 here, node24 on runners: the SDK's "upgrade Node" notice is noise in every test run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const [postgres, s3] = await Promise.allSettled([startPostgres(), startS3()]);
  if (postgres.status === "rejected" || s3.status === "rejected") {
    if (postgres.status === "fulfilled") await postgres.value.stop();
    if (s3.status === "fulfilled") await s3.value.stop();
    await rm(scratch, { recursive: true, force: true });
    throw postgres.status === "rejected" ? postgres.reason : (s3 as PromiseRejectedResult).reason;
  }
  process.env[TEST_PG_URL_ENV] = postgres.value.adminUrl;
  // Which server this run tests against, for the log (MIGRATE_RELAY_TEST_PG picks another).
  const bin = findPostgres();
  console.log(`Node ${process.version}, PostgreSQL ${bin.major} (${bin.source}: ${bin.dir})`);
  process.env[TEST_S3_ENDPOINT_ENV] = s3.value.endpoint;
  // The SDK's default credential chain finds s3rver's account; no instance-metadata lookups.
  process.env.AWS_ACCESS_KEY_ID = S3RVER_ACCESS_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_SECRET_ACCESS_KEY;
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  return async () => {
    await Promise.all([postgres.value.stop(), s3.value.stop()]);
    await rm(scratch, { recursive: true, force: true });
  };
}
