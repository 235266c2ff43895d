// The README's first command: the demo runs the bundled CLI (dist/cli.js) end to end.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const TOKEN = "atlas_demo_token_7f3a9c";

it("npm run demo pushes everywhere, survives the registry going down, and applies from a backup", () => {
  const run = spawnSync(join(root, "node_modules/.bin/vite-node"), ["scripts/demo.ts"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ATLAS_TOKEN: TOKEN },
    timeout: 120_000,
  });
  const out = run.stdout + run.stderr;
  expect(out, out).toContain("demo done: every step behaved as expected");
  expect(run.status).toBe(0);
  expect(out).toMatch(/Pushed demo-shop:demo-1 .* to 3 of 3 targets/);
  // Registry refused, so the first backup served the directory, verified.
  expect(out).toMatch(/FAIL atlas:\/\/demo-shop .*connection refused/);
  expect(out).toMatch(/ok {3}s3:\/\/demo-backups\/atlas.*digest verified, atlas\.sum valid/);
  expect(out).toContain("Migrated to version 20250103000000 from (empty) (3 files, 6 statements");
  expect(out).toContain("No migration files to execute (database at 20250103000000)");
  // The registry token never reaches the output.
  expect(out).not.toContain(TOKEN);
}, 150_000);
