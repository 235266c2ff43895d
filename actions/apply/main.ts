// The apply action: inputs -> one apply per target (for_each envs give several), the directory read
// through the relay -> outputs (atlas-action's names), log lines, job summary; the grant cache around it.
import * as core from "@actions/core";
import {
  type ApplyOptions,
  type ApplyResult,
  type ApplyRun,
  appliedFileLine,
  applyDir,
  applyOptionsOf,
  applyOutputs,
  applyStatusText,
  applySummary,
  applyTargetsOf,
  attemptLogLine,
  deploymentLine,
  deploymentMarkdown,
  dirLoader,
  errorSummary,
  type GrantStore,
  isRelayError,
  layerRepoConfig,
  messageOf,
  openRepo,
  PullError,
  type ResolvedEnv,
  redactUrl,
  reportDeployments,
} from "@migrate-relay/core";
import {
  boolInput,
  checkRepoNamed,
  durationInput,
  envsFromInputs,
  fail,
  grantDir,
  grantStore,
  input,
  inputName,
  listInput,
  recordGrantChange,
  repoOverridesFromInputs,
  restoreGrantCache,
  runnerSecrets,
  workingDirectory,
  writeSummary,
} from "../common/github";

export async function main(): Promise<void> {
  const secrets = runnerSecrets();
  let grantChanged = false;
  let grants: GrantStore | undefined;
  try {
    secrets.add(input("cloud-token"));
    const backups = listInput("backups");
    secrets.addFrom(input("url"), input("repo-url"), ...backups);
    const cwd = workingDirectory();

    const envs = await envsFromInputs(cwd);
    for (const env of envs ?? []) secrets.addEnv(env);
    if (envs) {
      const names = envs.map((e) => (e.instance === undefined ? e.name : `${e.name}[${e.instance}]`));
      core.info(
        `Loaded env "${input("env")}" from ${input("config") || "file://atlas.hcl"}: ${names.join(", ")}`,
      );
    }
    const targets = applyTargetsOf(envs, { url: input("url"), dir: input("dir") }, inputName);
    for (const t of targets) secrets.addFrom(t.url, t.dir);
    // Every target's options are checked before any database is touched.
    const prepared = targets.map((target) => ({
      target,
      options: applyOptionsOf(
        target.url,
        {
          txMode: input("tx-mode"),
          execOrder: input("exec-order"),
          baseline: input("baseline"),
          allowDirty: boolInput("allow-dirty", false),
          amount: input("amount"),
          toVersion: input("to-version"),
          dryRun: boolInput("dry-run", false),
          revisionsSchema: input("revisions-schema"),
          lockTimeout: input("lock-timeout"),
        },
        target.env,
        inputName,
      ),
    }));

    const overrides = repoOverridesFromInputs(cwd, backups);
    const repoOf = (dir: string, env: ResolvedEnv | undefined) => {
      const config = layerRepoConfig(env, { ...overrides, dir });
      secrets.add(config.cloudToken);
      checkRepoNamed(config);
      return { config, repo: openRepo(config) };
    };
    // The grant (and its cache) is in play when a directory is read from the atlas:// registry.
    let token: string | undefined;
    for (const t of targets) {
      if (!/^atlas:\/\//i.test(t.dir)) continue;
      const { config, repo } = repoOf(t.dir, t.env);
      if (repo.replicas[0]?.kind === "cloud" && config.cloudToken) token ??= config.cloudToken;
    }
    const dir = grantDir();
    if (token) await restoreGrantCache(token, dir);
    grants = grantStore(dir);
    const timeoutMs = durationInput("timeout");

    const load = dirLoader({
      cwd,
      repoOf: (d, env) => repoOf(d, env).repo,
      pull: {
        grants,
        secrets: secrets.list,
        ...(timeoutMs ? { timeoutMs } : {}),
        onAttempt: (a) =>
          a.outcome === "ok" ? core.info(attemptLogLine(a)) : core.warning(attemptLogLine(a)),
      },
      onRead: (d, repo) =>
        core.info(`Reading ${redactUrl(d)}: the primary, then ${repo.replicas.length - 1} backup(s)`),
    });

    const runs: ApplyRun[] = [];
    for (const { target, options } of prepared) {
      const startedAt = new Date();
      const where = `${redactUrl(target.url)}${target.label ? ` (env ${target.label})` : ""}`;
      const result = await core.group(`Apply ${redactUrl(target.dir)} to ${where}`, () =>
        applyOne(target, options, load),
      );
      if (result.grantChanged) grantChanged = true;
      const run: ApplyRun = {
        ...(target.label ? { label: target.label } : {}),
        dir: target.dir,
        result: result.result,
        startedAt,
      };
      runs.push(run);
      const line = applyStatusText(run);
      // One annotation per failed target when there are several; setFailed below names the first.
      if (!result.result.error) core.info(line);
      else if (prepared.length > 1) core.error(line);
    }
    grantChanged = grantChanged || grants.changed;

    for (const [name, value] of Object.entries(applyOutputs(runs, { secrets: secrets.list }))) {
      core.setOutput(name, value);
    }
    // Best effort, as Atlas: a report that fails is a warning and a line in the summary, never a failure.
    const deployed = prepared.map(({ target }, i) => ({
      target,
      result: runs[i]!.result,
      startedAt: runs[i]!.startedAt,
    }));
    const report = await reportDeployments(deployed, load, "GITHUB_ACTION");
    if (report) (report.error ? core.warning : core.info)(deploymentLine(report));
    const reportLine = report ? `\n${deploymentMarkdown(report, secrets.list)}\n` : "";
    await writeSummary(applySummary(runs, { secrets: secrets.list }) + reportLine);
    const failed = runs.filter((r) => r.result.error);
    if (failed.length) {
      const first = failed[0]!;
      const who = first.label ? `${first.label}: ` : "";
      fail(
        new Error(
          runs.length === 1
            ? first.result.error!.message
            : `${failed.length} of ${runs.length} targets failed; first: ${who}${first.result.error!.message}`,
        ),
        secrets,
      );
    }
  } catch (err) {
    const message = fail(err, secrets);
    core.setOutput("error", message); // as atlas-action does when the step stops before any run
    await writeSummary(errorSummary("migrate-relay apply", message, secrets.list));
  } finally {
    // Whatever happened, post must know whether a grant file was written or deleted.
    recordGrantChange(grantChanged || (grants?.changed ?? false));
  }
}

/** Reads the directory and applies it; a failure past the inputs becomes this target's result. */
async function applyOne(
  target: { url: string; dir: string; env?: ResolvedEnv },
  options: ApplyOptions,
  load: ReturnType<typeof dirLoader>,
): Promise<{ result: ApplyResult; grantChanged: boolean }> {
  try {
    const loaded = await load(target);
    const result = await applyDir(loaded.dir, {
      ...options,
      ...(loaded.source ? { source: loaded.source } : {}),
      ...(loaded.trail ? { trail: loaded.trail } : {}),
      ...(loaded.state ? { state: loaded.state } : {}),
      onFile: (f) => core.info(appliedFileLine(f)),
    });
    return { result, grantChanged: false };
  } catch (err) {
    // Bad usage stops the step; anything else (registry and backups down, ...) is this target's failure.
    if (!isRelayError(err) || err.kind === "config" || err.kind === "input") throw err;
    return {
      result: {
        url: redactUrl(target.url),
        current: "",
        target: "",
        pending: [],
        applied: [],
        dryRun: options.dryRun === true,
        ms: 0,
        error: { kind: err.kind, message: messageOf(err) },
        ...(err instanceof PullError ? { trail: err.trail } : {}),
      },
      grantChanged: err instanceof PullError && err.grantChanged,
    };
  }
}
