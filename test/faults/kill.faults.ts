// SIGKILL of a push at random points (the bundled CLI, dist/cli.js, in a child process): whatever
// moment it dies, a reader sees the previous state or the new one, verified, never a broken one;
// and the next push completes.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openReplica, pull, push, writeDir } from "@migrate-relay/core";
import { describe, expect, it } from "vitest";
import { makeDir, tempDir, uniqueSlug } from "../relay-helpers";
import { record, rng, SCALE, SEED } from "./table";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const KILLS = 50 * SCALE;

function pushThenKill(cwd: string, args: string[], afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "push", ...args], { cwd, stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), afterMs);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe("SIGKILL of a push", () => {
  it.skipIf(!existsSync(CLI))(
    `at ${KILLS} random points: readers see the old or the new state, the next push completes`,
    async () => {
      const r = rng(SEED + 7);
      const cwd = await tempDir("kill");
      const root = await tempDir("kill-store");
      let held = 0;
      const lost: string[] = [];
      for (let i = 0; i < KILLS; i++) {
        const slug = uniqueSlug("kill");
        const replica = openReplica(`file://${root}`, { repo: slug });
        const before = await push(makeDir(2, { bytesPerFile: 200_000 }), [replica], { repo: slug });
        await writeDir(join(cwd, "migrations"), makeDir(3, { bytesPerFile: 200_000 }));
        const args = ["--dir", "file://migrations", "--dir-name", slug, "--repo-url", `file://${root}`];
        await pushThenKill(cwd, args, r.int(600));
        const seen = await pull([replica]).catch((e: unknown) => e as Error);
        const after = await push(makeDir(3, { bytesPerFile: 200_000 }), [replica], { repo: slug });
        const final = await pull([replica]).catch((e: unknown) => e as Error);
        const readable =
          !(seen instanceof Error) && (seen.digest === before.digest || seen.digest === after.digest);
        if (readable && after.ok && !(final instanceof Error) && final.digest === after.digest) held++;
        else
          lost.push(
            `kill ${i}: ${seen instanceof Error ? seen.message : seen.digest} ${JSON.stringify(after.targets)} ${final instanceof Error ? final.message : final.digest}`,
          );
      }
      record("SIGKILL of a push at random points (file store, dist/cli.js)", KILLS, held);
      expect(lost).toEqual([]);
    },
  );
});
