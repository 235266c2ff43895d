// npm run demo: the main job on an embedded default, with nothing installed but node_modules.
// It starts a registry emulator (the test double of the hosted registry), an S3 protocol server, a
// backup folder and an embedded PostgreSQL (PGlite), all on 127.0.0.1, then runs the bundled CLI
// (dist/cli.js, what users run) against examples/demo: push everywhere, lose the registry, apply from
// the first backup that answers, apply again, show the status.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Node 20 here, node24 on runners: the AWS SDK's "upgrade Node" notice is noise. Set before it loads.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const { S3RVER_ACCESS_KEY_ID, S3RVER_SECRET_ACCESS_KEY, startPglite, startRegistry, startS3 } = await import(
  "@migrate-relay/testkit"
);

const root = join(import.meta.dirname, "..");
const example = join(root, "examples/demo");
const cli = join(root, "dist/cli.js");

function step(title: string) {
  console.log(`\n=== ${title}`);
}

/** Runs the bundled CLI as a user would, printing what it prints; returns its exit code. */
function migrateRelay(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  console.log(`$ migrate-relay ${args.map((a) => (/[\s?&]/.test(a) ? `'${a}'` : a)).join(" ")}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: example, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

const work = await mkdtemp(join(tmpdir(), "migrate-relay-demo-"));
// A token of your own (ATLAS_TOKEN) or a random one; either way it is never printed.
const registry = await startRegistry(process.env.ATLAS_TOKEN ? { token: process.env.ATLAS_TOKEN } : {});
const s3 = await startS3();
const pglite = await startPglite({ maxConnections: 2 });
try {
  const bucket = await s3.createBucket("demo-backups");
  const backups = [
    `s3://${bucket}/atlas?region=us-east-1&endpoint=${s3.endpoint}&use_path_style=true`,
    `file://${join(work, "backup")}`,
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ATLAS_TOKEN: registry.token,
    AWS_ACCESS_KEY_ID: S3RVER_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: S3RVER_SECRET_ACCESS_KEY,
    AWS_EC2_METADATA_DISABLED: "true",
    MIGRATE_RELAY_HOME: join(work, "home"),
    DEMO_REGISTRY_URL: registry.url,
    DEMO_BACKUPS: backups.join(","),
    DATABASE_URL: `${pglite.url}?sslmode=disable`,
  };
  const failures: string[] = [];
  const run = async (title: string, args: string[], expected = 0) => {
    step(title);
    const code = await migrateRelay(args, env);
    if (code !== expected) failures.push(`${title}: exit ${code}, expected ${expected}`);
  };

  console.log(`registry emulator (test double): ${registry.url}`);
  console.log(`backups:                        ${backups.join("\n                                ")}`);
  console.log(`database (PGlite):              ${env.DATABASE_URL}`);
  await run("push: the registry and both backups at once (env ci)", [
    "push",
    "--env",
    "ci",
    "--tag",
    "demo-1",
  ]);
  registry.setFault("refuse");
  console.log("\n(the registry now refuses every connection)");
  await run("apply: registry down, the first backup answers (env prod)", ["apply", "--env", "prod"]);
  await run("apply again: nothing pending", ["apply", "--env", "prod"]);
  await run("status", ["status", "--env", "prod"]);

  step(failures.length ? "demo FAILED" : "demo done: every step behaved as expected");
  for (const f of failures) console.log(`  ${f}`);
  process.exitCode = failures.length ? 1 : 0;
} finally {
  await Promise.allSettled([pglite.stop(), s3.stop(), registry.stop()]);
  await rm(work, { recursive: true, force: true });
}
