// The repository stands on its own: nothing outside docs/ points at a folder beside the checkout,
// and the compatibility vectors the tests read are inside it (testdata/compat, see its README).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { COMPAT, REAL_DIRS, REPO_ROOT, SUM_FOLDERS } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";

// Spelled in pieces so that this file does not name them itself.
const OUTSIDE = [["..", "shared"].join("/"), ["shared", "compat"].join("/")];
const DESIGN_REF = ["DESIGN", "§"].join(" ");

function trackedFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z"], { cwd: REPO_ROOT, maxBuffer: 64 << 20 });
  return out.toString("utf8").split("\0").filter(Boolean);
}

/** `path:line: text` for every line of the tracked files (filtered by `keep`) that contains `needle`. */
function mentions(needle: string, keep: (path: string) => boolean): string[] {
  const hits: string[] = [];
  for (const path of trackedFiles().filter(keep)) {
    const full = join(REPO_ROOT, path);
    if (!existsSync(full)) continue; // deleted in the work tree, not yet committed
    const text = readFileSync(full);
    if (text.includes(0)) continue; // binary (the tar vectors)
    text
      .toString("utf8")
      .split("\n")
      .forEach((line, i) => {
        if (line.includes(needle)) hits.push(`${path}:${i + 1}: ${line.trim()}`);
      });
  }
  return hits;
}

describe("the repository stands on its own", () => {
  it.each(OUTSIDE)("no tracked file outside docs/ names %s", (needle) => {
    expect(mentions(needle, (p) => !p.startsWith("docs/"))).toEqual([]);
  });

  it("code and docs point at docs/architecture.md, not at a design page outside the repository", () => {
    // dist/ is generated from the sources and rebuilt at release; the sources are what counts.
    expect(mentions(DESIGN_REF, (p) => !p.startsWith("dist/"))).toEqual([]);
    expect(existsSync(join(REPO_ROOT, "docs", "architecture.md"))).toBe(true);
  });

  it("the vectors are in the checkout, each with the license its origin asks for", () => {
    for (const folder of SUM_FOLDERS)
      expect(existsSync(join(COMPAT, folder, "atlas.sum")), folder).toBe(true);
    const readme = readFileSync(join(COMPAT, "README.md"), "utf8");
    for (const dir of REAL_DIRS) expect(readme, dir).toContain(`real/${dir}/`);
    for (const license of readme.matchAll(/`(licenses\/[^`]+)`/g)) {
      expect(existsSync(join(COMPAT, license[1] as string)), license[1]).toBe(true);
    }
  });

  it("no test helper lives in the library's source", () => {
    expect(
      trackedFiles().filter((p) => p.startsWith("packages/core/") && p.includes(".test-helpers.")),
    ).toEqual([]);
  });
});
