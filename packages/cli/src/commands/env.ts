import { inputError, type ResolvedEnv, redactUrl } from "@migrate-relay/core";
import { str } from "../args";
import type { Command } from "../command";
import { CONFIG_FLAGS, loadEnvsFromFlags } from "../config-flags";

// redactUrl re-serializes (file://migrations -> file://migrations/); show URLs as written unless secret.

/** The env as it is safe to show: URLs redacted, the token reduced to "***". */
export function redactEnv(env: ResolvedEnv): ResolvedEnv {
  const url = (u: string | undefined) => (u === undefined ? undefined : redactUrl(u));
  const { repo } = env.migration;
  // The JSON round trip drops the fields left undefined, so unset settings do not print.
  return JSON.parse(
    JSON.stringify({
      ...env,
      url: url(env.url),
      dev: url(env.dev),
      migration: {
        ...env.migration,
        dir: url(env.migration.dir),
        repo: { ...repo, backup: repo.backup.map(redactUrl), url: url(repo.url) },
      },
      cloud: {
        ...env.cloud,
        token: env.cloud.token === undefined ? undefined : "***",
        url: url(env.cloud.url),
      },
    }),
  ) as ResolvedEnv;
}

/** Text form: one section per instance, one `key: value` line per setting that is set. */
export function formatEnvText(env: ResolvedEnv): string[] {
  const title =
    env.instance === undefined ? `env "${env.name}"` : `env "${env.name}" (instance "${env.instance}")`;
  const m = env.migration;
  const rows: [string, string | undefined][] = [
    ["url", env.url],
    ["dev", env.dev],
    ["migration.dir", m.dir],
    ["migration.format", m.format],
    ["migration.baseline", m.baseline],
    ["migration.exec_order", m.execOrder],
    ["migration.lock_timeout", m.lockTimeout],
    ["migration.revisions_schema", m.revisionsSchema],
    ["migration.repo.name", m.repo.name],
    ["migration.repo.url", m.repo.url],
    ["cloud.url", env.cloud.url],
    ["cloud.project", env.cloud.project],
    ["cloud.token", env.cloud.token],
  ];
  const width = Math.max(...rows.map(([k]) => k.length), "migration.repo.backup".length);
  const lines = [title];
  for (const [key, value] of rows) lines.push(`  ${`${key}:`.padEnd(width + 1)} ${value ?? "(not set)"}`);
  const backups = m.repo.backup;
  lines.push(
    `  ${"migration.repo.backup:".padEnd(width + 1)} ${backups.length === 0 ? "(none)" : ""}`.trimEnd(),
  );
  for (const b of backups) lines.push(`    - ${b}`);
  return lines;
}

export const envCommand: Command = {
  name: "env",
  summary: "Show an env of atlas.hcl as push and apply will use it (secrets redacted).",
  usage: "migrate-relay env --env <name> [--config file://atlas.hcl] [--var key=value ...] [--format json]",
  example: "migrate-relay env --config file://atlas.hcl --env prod --var tenants=acme --format json",
  flags: [
    ...CONFIG_FLAGS,
    { name: "format", type: "string", description: 'output format: "text" or "json"', default: "text" },
  ],
  async run(args, io) {
    const format = str(args.flags, "format") ?? "text";
    if (format !== "text" && format !== "json") {
      throw inputError(`--format ${JSON.stringify(format)}: expected "text" or "json"`);
    }
    if (args.positionals.length > 0)
      throw inputError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    const envs = (await loadEnvsFromFlags(args.flags, io)).map(redactEnv);
    if (format === "json") {
      io.out(JSON.stringify(envs, null, 2));
      return 0;
    }
    envs.forEach((env, i) => {
      if (i > 0) io.out("");
      for (const line of formatEnvText(env)) io.out(line);
    });
    return 0;
  },
};
