// Atlas's RunContext (sent with the registry's diffSyncDir) from the CI system's environment, filled
// the way ariga/atlas-action does for each system: atlasaction/github.go, gitlab.go, bitbucket.go and
// azure.go (GetTriggerContext) and action.go (GetRunContext). Unknown CI: no context at all.
import type { RunContext } from "../replica/types";

type Env = Record<string, string | undefined>;

const compact = (context: RunContext): RunContext =>
  Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined && v !== "")) as RunContext;

/** The run context of this CI job, `path` being the migration directory as configured. */
export function runContextFromEnv(env: Env, path?: string): RunContext | undefined {
  let context: RunContext | undefined;
  if (env.GITHUB_ACTIONS === "true") {
    const server = env.GITHUB_SERVER_URL || "https://github.com";
    context = {
      scmType: "GITHUB",
      repo: env.GITHUB_REPOSITORY,
      ...(env.GITHUB_REPOSITORY ? { url: `${server}/${env.GITHUB_REPOSITORY}` } : {}),
      // A pull request's head branch; on a push, the branch pushed to.
      branch: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME,
      commit: env.GITHUB_SHA,
      username: env.GITHUB_ACTOR,
      userID: env.GITHUB_ACTOR_ID,
    };
  } else if (env.GITLAB_CI === "true") {
    context = {
      scmType: "GITLAB",
      repo: env.CI_PROJECT_NAME,
      url: env.CI_PROJECT_URL,
      branch: env.CI_COMMIT_REF_NAME,
      commit: env.CI_COMMIT_SHA,
      username: env.GITLAB_USER_NAME,
      userID: env.GITLAB_USER_ID,
    };
  } else if (env.BITBUCKET_BUILD_NUMBER !== undefined || env.BITBUCKET_COMMIT !== undefined) {
    context = {
      scmType: "BITBUCKET",
      repo: env.BITBUCKET_REPO_FULL_NAME,
      url: env.BITBUCKET_GIT_HTTP_ORIGIN,
      branch: env.BITBUCKET_BRANCH,
      commit: env.BITBUCKET_COMMIT,
    };
  } else if (env.TF_BUILD === "True" || env.TF_BUILD === "true") {
    // Azure Pipelines exposes Build.Repository.Uri as BUILD_REPOSITORY_URI, and so on.
    const pr = env.SYSTEM_PULLREQUEST_SOURCECOMMITID;
    context = {
      scmType: env.BUILD_REPOSITORY_PROVIDER === "GitHub" ? "GITHUB" : "AZURE_DEVOPS",
      repo: env.BUILD_REPOSITORY_NAME,
      url: env.BUILD_REPOSITORY_URI,
      branch: pr ? env.SYSTEM_PULLREQUEST_SOURCEBRANCH : env.BUILD_SOURCEBRANCH,
      commit: pr || env.BUILD_SOURCEVERSION,
      username: env.BUILD_REQUESTEDFOR,
    };
  }
  return context ? compact({ ...context, ...(path ? { path } : {}) }) : undefined;
}
