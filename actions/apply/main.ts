// The apply action: inputs -> the rollout over the targets (core applyFleet: for_each envs give several,
// in parallel, sharded), the directory read once through the relay -> outputs (atlas-action's names),
// log lines, job summary; the grant cache around it.
import {
  appliedFileLine,
  applyFleet,
  applyOptionsOf,
  applyOutputs,
  applyRunTitle,
  applyStartLine,
  applyStatusText,
  applySummary,
  applyTargetsOf,
  attemptLogLine,
  attemptTitle,
  DEPLOYMENT_TITLE,
  deploymentLine,
  deploymentMarkdown,
  dirLoader,
  errorSummary,
  type FleetRun,
  fleetSettingsOf,
  type GrantStore,
  isRegistryUrl,
  layerRepoConfig,
  openRepo,
  PullError,
  type ResolvedEnv,
  ROLLOUT_STOPPED_TITLE,
  readingLine,
  reportDeployments,
  rolloutStoppedLine,
  targetKey,
} from "@migrate-relay/core";
import { configInput, envsFromInputs } from "../common/env";
import { grantDir, grantStore, recordGrantChange, restoreGrantCache } from "../common/grant-cache";
import {
  boolInput,
  checkRepoNamed,
  durationInput,
  input,
  listInput,
  repoOverridesFromInputs,
  workingDirectory,
} from "../common/inputs";
import { runnerSecrets } from "../common/masking";
// `core`: the runner protocol, under @actions/core's names (common/runner.ts says why not that package).
import * as core from "../common/runner";
import { fail, setOutputs, writeSummary } from "../common/step-result";
import { ACTIONS_VOCABULARY, inActionWords, inputName } from "../common/vocabulary";

/** The title of the annotation that fails the step. */
const APPLY_FAILED = "migrate-relay apply failed";

export async function main(): Promise<void> {
  const secrets = runnerSecrets();
  let grantChanged = false;
  let grants: GrantStore | undefined;
  try {
    secrets.add(input("cloud-token"));
    const backups = listInput("backups");
    // `url` may name several databases, one a line (a fleet without an env).
    secrets.addFrom(...listInput("url"), input("repo-url"), ...backups);
    const cwd = workingDirectory();

    const envs = await envsFromInputs(cwd);
    for (const env of envs ?? []) secrets.addEnv(env);
    if (envs) {
      const names = envs.map((e) => (e.instance === undefined ? e.name : `${e.name}[${e.instance}]`));
      core.info(`Loaded env "${input("env")}" from ${configInput()}: ${names.join(", ")}`);
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
      if (!isRegistryUrl(t.dir)) continue;
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
          a.outcome === "ok"
            ? core.info(attemptLogLine(a, ACTIONS_VOCABULARY))
            : core.warning(attemptLogLine(a, ACTIONS_VOCABULARY), { title: attemptTitle(a) }),
      },
      onRead: (d, repo) => core.info(readingLine(d, repo.replicas.length)),
    });

    const settings = fleetSettingsOf(
      {
        parallelism: input("parallelism"),
        shard: input("shard"),
        canary: input("canary"),
        maxFailures: input("max-failures"),
      },
      inputName,
    );
    // Targets run side by side, so log groups would interleave: each line names its target instead.
    const prefix = (label: string | undefined) => (targets.length > 1 && label ? `${label}: ` : "");
    const fleet = await applyFleet(prepared, {
      ...settings,
      load: async (target) => {
        try {
          return await load(target);
        } catch (err) {
          if (err instanceof PullError && err.grantChanged) grantChanged = true;
          throw err;
        }
      },
      onStart: (target) => core.info(applyStartLine(target)),
      onFile: (target, f) => core.info(`${prefix(target.label)}${appliedFileLine(f)}`),
      onDone: (run) => {
        const line = applyStatusText(run, ACTIONS_VOCABULARY);
        // One annotation per failed target when there are several; setFailed below names the first.
        if (!run.result.error) core.info(line);
        else if (prepared.length > 1) core.error(line, { title: applyRunTitle(run) });
      },
    });
    const runs: FleetRun[] = fleet.runs;
    if (fleet.shard)
      core.info(`Shard ${fleet.shard.index}/${fleet.shard.count}: ${runs.length} of ${fleet.total} targets`);
    if (fleet.stopped) core.warning(rolloutStoppedLine(fleet.stopped), { title: ROLLOUT_STOPPED_TITLE });
    grantChanged = grantChanged || grants.changed;

    setOutputs(applyOutputs(runs, { secrets: secrets.list }));
    // Best effort, as Atlas: a report that fails is a warning and a line in the summary, never a failure.
    const byKey = new Map(prepared.map((p) => [targetKey(p.target), p.target]));
    const deployed = runs
      .filter((r) => r.notStarted === undefined)
      .map((r) => ({ target: byKey.get(r.key)!, result: r.result, startedAt: r.startedAt }));
    const report = await reportDeployments(deployed, load, "GITHUB_ACTION");
    if (report?.error) core.warning(deploymentLine(report), { title: DEPLOYMENT_TITLE });
    else if (report) core.info(deploymentLine(report));
    const reportLine = report ? `\n${deploymentMarkdown(report, secrets.list)}\n` : "";
    const rollout = {
      total: fleet.total,
      ...(fleet.shard ? { shard: fleet.shard } : {}),
      ...(fleet.stopped ? { stopped: fleet.stopped } : {}),
    };
    await writeSummary(
      applySummary(runs, { secrets: secrets.list, rollout, vocabulary: ACTIONS_VOCABULARY }) + reportLine,
    );
    const failed = runs.filter((r) => r.result.error);
    const notStarted = runs.filter((r) => r.notStarted !== undefined).length;
    if (notStarted && !failed.length)
      fail(new Error(`${notStarted} of ${runs.length} targets not started`), secrets, APPLY_FAILED);
    if (failed.length) {
      const first = failed[0]!;
      const who = first.label ? `${first.label}: ` : "";
      fail(
        inActionWords(
          new Error(
            runs.length === 1
              ? first.result.error!.message
              : `${failed.length} of ${runs.length} targets failed${notStarted ? ` (${notStarted} not started)` : ""}; first: ${who}${first.result.error!.message}`,
          ),
        ),
        secrets,
        APPLY_FAILED,
      );
    }
  } catch (err) {
    const message = fail(inActionWords(err), secrets, APPLY_FAILED);
    core.setOutput("error", message); // as atlas-action does when the step stops before any run
    await writeSummary(errorSummary("migrate-relay apply", message, secrets.list, ACTIONS_VOCABULARY));
  } finally {
    // Whatever happened, post must know whether a grant file was written or deleted.
    recordGrantChange(grantChanged || (grants?.changed ?? false));
  }
}
