import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultGrantDir, GrantStore, tokenSha256 } from "./grant";

const REGISTRY = "http://127.0.0.1:1/query";
const TOKEN = "atlas_secret_token_value";

describe("GrantStore", () => {
  it("records a grant without the token and honours it until it expires", async () => {
    const dir = await mkdtemp(join(tmpdir(), "grant-"));
    let now = new Date("2026-01-01T00:00:00Z");
    const grants = new GrantStore({ dir, ttlMs: 60_000, now: () => now });
    expect(await grants.check(REGISTRY, TOKEN)).toEqual({ ok: false, reason: "missing" });
    expect(grants.changed).toBe(false);

    await grants.refresh(REGISTRY, TOKEN, "acme");
    expect(grants.changed).toBe(true);
    const [file] = await readdir(dir);
    const text = await readFile(join(dir, file!), "utf8");
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text)).toEqual({
      registry: REGISTRY,
      tokenSha256: tokenSha256(TOKEN),
      org: "acme",
      verifiedAt: "2026-01-01T00:00:00.000Z",
      expiresAt: "2026-01-01T00:01:00.000Z",
    });
    expect((await grants.check(REGISTRY, TOKEN)).ok).toBe(true);
    expect((await grants.check(REGISTRY, "another-token")).ok).toBe(false);
    expect((await grants.check("http://other/query", TOKEN)).ok).toBe(false);

    now = new Date("2026-01-01T00:01:00Z");
    const expired = await grants.check(REGISTRY, TOKEN);
    expect(expired).toMatchObject({ ok: false, reason: "expired" });
    if (!expired.ok)
      expect(grants.explain(expired, REGISTRY, "connection refused")).toMatch(
        /expired at .*run once while the registry is reachable/,
      );
  });

  it("believes no hand-edited expiry: expiresAt is capped at verifiedAt + ttl, a future verifiedAt is refused", async () => {
    const dir = await mkdtemp(join(tmpdir(), "grant-"));
    let now = new Date("2026-01-01T00:00:00Z");
    const grants = new GrantStore({ dir, ttlMs: 60_000, now: () => now });
    await grants.refresh(REGISTRY, TOKEN);
    const [file] = await readdir(dir);
    const path = join(dir, file!);
    const grant = JSON.parse(await readFile(path, "utf8"));
    await writeFile(path, JSON.stringify({ ...grant, expiresAt: "2099-01-01T00:00:00.000Z" }));
    now = new Date("2026-01-01T00:01:00Z");
    expect(await grants.check(REGISTRY, TOKEN)).toMatchObject({ ok: false, reason: "expired" });

    await writeFile(
      path,
      JSON.stringify({
        ...grant,
        verifiedAt: "2098-12-31T00:00:00.000Z",
        expiresAt: "2098-12-31T00:01:00.000Z",
      }),
    );
    expect(await grants.check(REGISTRY, TOKEN)).toMatchObject({ ok: false, reason: "unreadable" });
  });

  it("deletes the grant on revoke and reports the change", async () => {
    const dir = await mkdtemp(join(tmpdir(), "grant-"));
    await new GrantStore({ dir }).refresh(REGISTRY, TOKEN);
    const grants = new GrantStore({ dir });
    expect(await grants.revoke(REGISTRY, TOKEN)).toBe(true);
    expect(grants.changed).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it("lives under MIGRATE_RELAY_HOME when set", () => {
    expect(defaultGrantDir({ MIGRATE_RELAY_HOME: "/cache/relay" })).toBe("/cache/relay/grants");
  });

  it.each([
    [
      "GitLab CI",
      { GITLAB_CI: "true", CI_PROJECT_DIR: "/builds/acme/app", HOME: "/root" },
      "/builds/acme/app/.migrate-relay/grants",
    ],
    ["CircleCI", { CIRCLECI: "true", HOME: "/home/circleci" }, "/home/circleci/.migrate-relay/grants"],
    [
      "GitLab CI with MIGRATE_RELAY_HOME",
      { GITLAB_CI: "true", CI_PROJECT_DIR: "/b", MIGRATE_RELAY_HOME: "/m" },
      "/m/grants",
    ],
  ])("on %s keeps grants where the system's cache can hold them", (_name, env, dir) => {
    expect(defaultGrantDir(env)).toBe(dir);
  });
});
