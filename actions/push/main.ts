// The push action: inputs -> core push -> outputs, log lines, job summary; the grant cache around it.
import {
  DEFAULT_DIR,
  DEFAULT_PUSH_TIMEOUT_MS,
  DEFAULT_TAG,
  errorSummary,
  formatMs,
  type GrantStore,
  inputError,
  isRegistryUrl,
  layerRepoConfig,
  openRepo,
  push,
  pushGroupTitle,
  pushOutputs,
  pushStatusText,
  pushSummary,
  pushTargetLine,
  pushTargetTitle,
  type ReplayResult,
  readDir,
  redactUrl,
  replayDir,
  replayLine,
  runContextFromEnv,
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
import { ACTIONS_VOCABULARY, inActionWords } from "../common/vocabulary";

/** The title of the annotation that fails the step. */
const PUSH_FAILED = "migrate-relay push failed";

export async function main(): Promise<void> {
  const secrets = runnerSecrets();
  let grantChanged = false;
  let grants: GrantStore | undefined;
  try {
    secrets.add(input("cloud-token"));
    const backups = listInput("backups");
    secrets.addFrom(input("dev-url"), input("repo-url"), ...backups);
    const cwd = workingDirectory();
    const started = performance.now();

    const envs = await envsFromInputs(cwd);
    const env = envs?.[0];
    secrets.addEnv(env);
    if (env) core.info(`Loaded env "${env.name}" from ${configInput()}`);
    const source = input("dir") || env?.migration.dir || DEFAULT_DIR;
    if (isRegistryUrl(source)) {
      throw inputError(`push reads a local directory: dir ${source} is a registry URL (use file://...)`);
    }
    const config = layerRepoConfig(env, repoOverridesFromInputs(cwd, backups));
    secrets.add(config.cloudToken);
    checkRepoNamed(config);
    const repo = openRepo(config);
    const timeoutMs = durationInput("timeout") ?? DEFAULT_PUSH_TIMEOUT_MS;
    const tag = input("tag") || process.env.GITHUB_SHA || DEFAULT_TAG;
    const latest = boolInput("latest", true);
    const force = boolInput("force", false);

    const read = performance.now();
    const migrations = await readDir(source, cwd);
    core.info(
      `Read ${redactUrl(source)}: ${migrations.files.length} files, last version ${migrations.files.at(-1)?.version ?? "(none)"} (${formatMs(performance.now() - read)})`,
    );

    let replay: ReplayResult | undefined;
    const devUrl = input("dev-url") || env?.dev;
    if (devUrl) {
      secrets.addFrom(devUrl);
      replay = await core.group("Replaying on a scratch database", () => replayDir(devUrl, migrations));
      core.info(replayLine(replay));
    }

    // The registry (and so the grant) is in play only when the primary is atlas:// with a token. The
    // cache is restored once the directory is known good: a bad one fails before any cache call.
    const token = repo.replicas[0]?.kind === "cloud" ? config.cloudToken : undefined;
    const dir = grantDir();
    if (token) await restoreGrantCache(token, dir);
    grants = grantStore(dir);

    // The target lines in one log group; a failed target is also an annotation with a title.
    const context = runContextFromEnv(process.env, input("dir") || source);
    core.startGroup(pushGroupTitle(repo.slug, tag, repo.replicas.length, timeoutMs));
    const result = await push(migrations, repo.replicas, {
      repo: repo.slug,
      tag,
      latest,
      force,
      timeoutMs,
      grants,
      secrets: secrets.list,
      source: {
        ...(process.env.GITHUB_SHA ? { commit: process.env.GITHUB_SHA } : {}),
        ...(process.env.GITHUB_REF ? { ref: process.env.GITHUB_REF } : {}),
        ...(process.env.GITHUB_RUN_ID ? { run: process.env.GITHUB_RUN_ID } : {}),
      },
      ...(context ? { context } : {}),
      onTarget: (t) =>
        t.ok
          ? core.info(pushTargetLine(t, ACTIONS_VOCABULARY))
          : core.warning(pushTargetLine(t, ACTIONS_VOCABULARY), { title: pushTargetTitle(t) }),
    }).finally(() => core.endGroup());
    grantChanged = result.grantChanged || grants.changed;

    setOutputs(pushOutputs(result, { secrets: secrets.list }));
    await writeSummary(
      pushSummary(result, {
        ...(replay ? { replay } : {}),
        secrets: secrets.list,
        vocabulary: ACTIONS_VOCABULARY,
      }),
    );
    const status = pushStatusText(result);
    if (!result.ok) {
      fail(inActionWords(new Error(status)), secrets, PUSH_FAILED);
      return;
    }
    core.info(`${status} in ${formatMs(performance.now() - started)}`);
  } catch (err) {
    const message = fail(inActionWords(err), secrets, PUSH_FAILED);
    await writeSummary(errorSummary("migrate-relay push", message, secrets.list, ACTIONS_VOCABULARY));
  } finally {
    // Whatever happened, post must know whether a grant file was written or deleted.
    recordGrantChange(grantChanged || (grants?.changed ?? false));
  }
}
