// Drop-in for Atlas: the commands and flags of Atlas's migrate docs and of the seed's workflows, run
// through the CLI (in-process) and both actions (the built dist/, through the runner harness), with
// their outputs compared field by field with Atlas's shapes (cmd/atlas/internal/cmdlog/cmdlog.go,
// atlasexec, atlas-action's action.go). `npm run build` first: the action rows run what ships.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@migrate-relay/cli";
import { testDatabase } from "@migrate-relay/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRun, job, LAST_VERSION, type Rig, startRig, uniqueSlug, workspace } from "./actions-helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig?.stop());

interface CliRun {
  code: number;
  out: string;
  err: string;
}

async function cli(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { HOME: cwd, ATLAS_TOKEN: rig.registry.token, ...env },
    cwd,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const LINK = /^https:\/\/testkit\.atlasgo\.cloud\/dirs\/\d+\/tags\/[\w.-]+$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("the CLI, spelled as Atlas's migrate docs spell it", () => {
  let slug = "";
  let cwd = "";
  let db = "";
  // Each row: the command line after `migrate-relay` ({slug}, {db}, {registry}, {backup} filled in),
  // the exit code, and what stdout must be (a function checks it field by field).
  const rows: [string, string[], number, (r: CliRun) => void][] = [
    [
      "push NAME:TAG prints the registry link, as atlasexec reads it",
      [
        "push",
        "{slug}:v1",
        "--dir",
        "file://migrations",
        "--cloud-url",
        "{registry}",
        "--backup",
        "{backup}",
      ],
      0,
      (r) => {
        expect(r.out).toMatch(LINK);
        expect(r.out).toMatch(/\/tags\/v1$/);
        expect(r.err).toMatch(/ok {3}file:\/\//); // per-target progress on stderr
      },
    ],
    [
      "push NAME (the latest tag) with --format '{{ json . }}'",
      ["push", "{slug}", "--cloud-url", "{registry}", "--backup", "{backup}", "--format", "{{ json . }}"],
      0,
      (r) => {
        const json = JSON.parse(r.out);
        // The row above already moved the registry's latest to this state, so nothing is sent to it
        // and it answers no link: Link is left out, as every empty field.
        expect(Object.keys(json)).toEqual(["Slug", "URL", "Tag", "Digest", "Version", "Backups"]);
        expect(json).toMatchObject({ Slug: slug, URL: `atlas://${slug}?tag=latest`, Tag: "latest" });
        expect(json.Backups).toEqual([{ URL: expect.stringMatching(/^file:\/\//) }]); // no Error: it took it
      },
    ],
    [
      "push with field access --format '{{ .URL }}' and the flags atlas-action passes",
      [
        "push",
        "{slug}:v2",
        "--cloud-url",
        "{registry}",
        "--dir-format",
        "atlas",
        "--lock-timeout",
        "10s",
        "--revisions-schema",
        "public",
        "--context",
        '{"repo":"acme/app","branch":"main","commit":"c0ffee"}',
        "--format",
        "{{ .URL }}",
      ],
      0,
      (r) => {
        expect(r.out).toBe(`atlas://${r.out.slice(8, r.out.indexOf("?"))}?tag=v2`);
        expect(r.err).toMatch(/note: --context is accepted/);
        expect(r.err).toMatch(/note: --lock-timeout is accepted for Atlas compatibility and ignored/);
      },
    ],
    [
      "an unsupported template is a clear error naming what is supported",
      ["push", "{slug}", "--cloud-url", "{registry}", "--format", "{{ sql . }}"],
      2,
      (r) => {
        expect(r.out).toBe("");
        expect(r.err).toMatch(
          /"sql" is not a supported function; supported: \{\{ json \. \}\}, \{\{ \. \| json \}\}/,
        );
      },
    ],
    [
      "status --format '{{ json . }}' before apply",
      [
        "status",
        "--url",
        "{db}",
        "--dir",
        "atlas://{slug}",
        "--cloud-url",
        "{registry}",
        "--format",
        "{{ json . }}",
      ],
      0,
      (r) => {
        const json = JSON.parse(r.out);
        expect(json.Env).toMatchObject({
          Driver: "postgres",
          Dir: `atlas://${slug}`,
          URL: { Scheme: "postgres" },
        });
        expect(json).toMatchObject({
          Status: "PENDING",
          Current: "No migration applied yet",
          Next: "20240101000000",
        });
        expect(json.Pending.map((f: { Name: string }) => f.Name)).toEqual([
          "20240101000000_users.sql",
          "20240102000000_orders.sql",
        ]);
        expect(json.Applied).toBeUndefined();
      },
    ],
    [
      "apply 1 (the amount as an argument) prints Atlas's text",
      ["apply", "1", "--url", "{db}", "--dir", "atlas://{slug}", "--cloud-url", "{registry}"],
      0,
      (r) => {
        expect(r.out).toMatch(
          /^Migrating to version 20240101000000 \(1 migrations in total\):\n\n {2}-- migrating version 20240101000000\n {4}-> CREATE TABLE users \(id int PRIMARY KEY, name text\);\n {2}-- ok \([\d.]+(µs|ms|s)\)\n\n {2}-------------------------\n {2}-- [\d.]+(µs|ms|s)\n {2}-- 1 migration\n {2}-- 1 sql statement$/,
        );
      },
    ],
    [
      "apply --format '{{ json . }}' in Atlas's MigrateApply shape",
      [
        "apply",
        "--url",
        "{db}",
        "--dir",
        "atlas://{slug}",
        "--cloud-url",
        "{registry}",
        "--format",
        "{{ json . }}",
      ],
      0,
      (r) => {
        const json = JSON.parse(r.out);
        expect(Object.keys(json)).toEqual([
          "Driver",
          "URL",
          "Dir",
          "Pending",
          "Applied",
          "Current",
          "Target",
          "Start",
          "End",
          "Message",
          "Source",
          "Trail",
          "State",
          "Outcome",
        ]);
        expect(json).toMatchObject({
          Driver: "postgres",
          Current: "20240101000000",
          Target: LAST_VERSION,
          Message: `Migrated to version ${LAST_VERSION} from 20240101000000 (1 migrations in total)`,
        });
        expect(json.Start).toMatch(ISO);
        const [file] = json.Applied;
        expect(file).toMatchObject({
          Name: "20240102000000_orders.sql",
          Version: LAST_VERSION,
          Description: "orders",
        });
        expect(file.Applied).toEqual([
          "CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users(id));",
          "CREATE INDEX orders_user ON orders (user_id);",
        ]);
        expect(file.Error).toBeUndefined();
        expect(file.Start).toMatch(ISO);
      },
    ],
    [
      "apply with nothing pending, '{{ . | json }}'",
      [
        "apply",
        "--url",
        "{db}",
        "--dir",
        "atlas://{slug}",
        "--cloud-url",
        "{registry}",
        "--format",
        "{{ . | json }}",
      ],
      0,
      (r) => {
        const json = JSON.parse(r.out);
        expect(json.Message).toBe("No migration files to execute");
        expect(json.Pending).toBeUndefined();
        expect(json.Applied).toBeUndefined();
      },
    ],
    [
      "status text after apply",
      ["status", "--url", "{db}", "--dir", "atlas://{slug}", "--cloud-url", "{registry}"],
      0,
      (r) => {
        expect(r.out).toBe(
          [
            "Migration Status: OK",
            `  -- Current Version: ${LAST_VERSION}`,
            "  -- Next Version:    Already at latest version",
            "  -- Executed Files:  2",
            "  -- Pending Files:   0",
          ].join("\n"),
        );
      },
    ],
    [
      "--amount with --to-version is refused, as Atlas does",
      ["apply", "--url", "{db}", "--dir", "file://migrations", "--amount", "1", "--to-version", "1"],
      2,
      (r) => expect(r.err).toMatch(/--amount and --to-version are mutually exclusive/),
    ],
    [
      "a getenv() that yields an empty url names the variable",
      ["apply", "--env", "prod"],
      2,
      (r) =>
        expect(r.err).toMatch(
          /env "prod": url = getenv\("DATABASE_URL"\) at atlas\.hcl:\d+:\d+ is empty: the environment variable DATABASE_URL is unset or empty/,
        ),
    ],
    [
      "--dir-format other than atlas is refused with the fix",
      ["apply", "--url", "{db}", "--dir", "file://migrations", "--dir-format", "golang-migrate"],
      2,
      (r) => expect(r.err).toMatch(/only Atlas's own format \(atlas\) is read/),
    ],
  ];

  beforeAll(async () => {
    slug = uniqueSlug("dropin");
    cwd = await workspace(undefined, {
      "atlas.hcl": `env "prod" {\n  url = getenv("DATABASE_URL")\n  migration {\n    dir = "atlas://${slug}"\n  }\n}\n`,
    });
    db = `${await testDatabase()}?sslmode=disable`;
  });

  it.each(rows)("%s", async (_title, argv, code, check) => {
    const filled = argv.map((a) =>
      a
        .replace("{slug}", slug)
        .replace("{db}", db)
        .replace("{registry}", rig.registry.url)
        .replace("{backup}", rig.fileUrl),
    );
    const run = await cli([...filled, ...(filled[0] === "push" ? [] : [])], cwd, { DATABASE_URL: "" });
    expect(run.code, run.err).toBe(code);
    check(run);
    expect(run.out + run.err).not.toContain(rig.registry.token);
  });
});

describe("grant caching out of the box on other CI systems", () => {
  it.each([
    ["GitLab CI", (dir: string) => ({ GITLAB_CI: "true", CI_PROJECT_DIR: dir }), ".migrate-relay/grants"],
    ["CircleCI", () => ({ CIRCLECI: "true" }), ".migrate-relay/grants"],
  ])(
    "on %s the CLI keeps the grant where the documented cache lines hold it",
    async (_name, envOf, under) => {
      const project = await workspace();
      const home = await mkdtemp(join(tmpdir(), "ci-home-"));
      const env = envOf(project) as Record<string, string>;
      const run = await cli(["push", uniqueSlug("ci"), "--cloud-url", rig.registry.url], project, {
        ...env,
        HOME: home,
      });
      expect(run.code, run.err).toBe(0);
      // GitLab caches only paths inside $CI_PROJECT_DIR; CircleCI's save_cache names ~/.migrate-relay.
      const root = env.CI_PROJECT_DIR ?? home;
      expect((await readdir(join(root, under))).some((f) => f.endsWith(".json"))).toBe(true);
      if (env.CI_PROJECT_DIR) expect(existsSync(join(home, ".migrate-relay"))).toBe(false);
    },
  );
});

describe("the actions, with the seed workflows' inputs (dist)", () => {
  it("push: url is the registry link; every declared output set", async () => {
    const slug = uniqueSlug("seed-push");
    const { main } = await job(
      rig,
      "push",
      {
        "dir-name": slug,
        tag: "c0ffee00",
        latest: "true",
        "revisions-schema": "public",
        "cloud-url": rig.registry.url,
        "cloud-token": rig.registry.token,
        backups: rig.fileUrl,
      },
      { cwd: await workspace() },
    );
    expect(main.code, describeRun(main)).toBe(0);
    expect(main.outputs.url).toMatch(LINK);
    expect(main.outputs.url).toMatch(/\/tags\/c0ffee00$/);
  });

  it.each([
    [
      "apply: runs in atlas-action's shape",
      {},
      0,
      (o: Record<string, string>) => {
        expect(o).toMatchObject({
          current: "",
          target: LAST_VERSION,
          pending_count: "2",
          applied_count: "2",
          error: "",
        });
        const [run] = JSON.parse(o.runs!);
        expect(run).toMatchObject({
          current: "",
          target: LAST_VERSION,
          applied_count: 2,
          pending_count: 2,
          pending_files: ["20240101000000_users.sql", "20240102000000_orders.sql"],
        });
      },
    ],
    [
      "apply: amount with to-version is refused, with the error output",
      { amount: "1", "to-version": "20240101000000" },
      1,
      (o: Record<string, string>) =>
        expect(o.error).toMatch(/input "amount" and input "to-version" are mutually exclusive/),
    ],
  ])("%s", async (_title, extra, code, check) => {
    const slug = uniqueSlug("seed-apply");
    const pushed = await job(
      rig,
      "push",
      { "dir-name": slug, "cloud-url": rig.registry.url, "cloud-token": rig.registry.token },
      { cwd: await workspace() },
    );
    expect(pushed.main.code, describeRun(pushed.main)).toBe(0);
    const cwd = await workspace({});
    await writeFile(
      join(cwd, "atlas.hcl"),
      `env "prod" {\n  migration {\n    dir = "atlas://${slug}"\n  }\n}\n`,
    );
    const { main } = await job(
      rig,
      "apply",
      {
        env: "prod",
        url: `${await testDatabase()}?sslmode=disable`,
        "cloud-url": rig.registry.url,
        "cloud-token": rig.registry.token,
        ...extra,
      },
      { cwd },
    );
    expect(main.code, describeRun(main)).toBe(code);
    check(main.outputs);
  });
});
