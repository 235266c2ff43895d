import { describe, expect, it } from "vitest";
import { decideLatest } from "./latest";
import { runContextFromEnv } from "./run-context";

const sum = (...lines: string[]) => `h1:total\n${lines.join("\n")}\n`;
const next = { digest: "sha256:new", sum: sum("1_a.sql h1:a", "2_b.sql h1:b", "3_c.sql h1:c") };

describe("decideLatest", () => {
  it("extends empty targets, the same state and every prefix", () => {
    expect(
      decideLatest(next, [
        { target: "atlas://app", latest: null },
        { target: "s3://b", latest: { digest: "sha256:new", version: "3" } },
        {
          target: "file:///x",
          latest: { digest: "sha256:old", version: "2", sum: sum("1_a.sql h1:a", "2_b.sql h1:b") },
        },
      ]),
    ).toEqual({ extends: true });
  });

  it("names the first target contradicted, its version and the file", () => {
    expect(
      decideLatest(next, [
        {
          target: "atlas://app",
          latest: { digest: "sha256:old", version: "2", sum: sum("1_a.sql h1:a", "2_b.sql h1:b") },
        },
        {
          target: "s3://b",
          latest: { digest: "sha256:x", version: "2", sum: sum("1_a.sql h1:a", "2_b.sql h1:EDITED") },
        },
        {
          target: "file:///x",
          latest: { digest: "sha256:y", version: "4", sum: sum("1_a.sql h1:a", "4_d.sql h1:d") },
        },
      ]),
    ).toEqual({ extends: false, target: "s3://b", version: "2", file: "2_b.sql", why: "2_b.sql was edited" });
    expect(
      decideLatest(next, [
        {
          target: "file:///x",
          latest: {
            digest: "sha256:y",
            version: "4",
            sum: sum("1_a.sql h1:a", "2_b.sql h1:b", "3_c.sql h1:c", "4_d.sql h1:d"),
          },
        },
      ]),
    ).toMatchObject({ extends: false, file: "4_d.sql", why: "the new state lacks 4_d.sql" });
  });
});

describe("runContextFromEnv", () => {
  it("fills Atlas's RunContext from GitHub, GitLab, Bitbucket and Azure Pipelines, nothing elsewhere", () => {
    expect(
      runContextFromEnv(
        {
          GITHUB_ACTIONS: "true",
          GITHUB_REPOSITORY: "o/r",
          GITHUB_HEAD_REF: "feature",
          GITHUB_REF_NAME: "12/merge",
          GITHUB_SHA: "s",
          GITHUB_ACTOR: "u",
          GITHUB_ACTOR_ID: "7",
        },
        "file://migrations",
      ),
    ).toEqual({
      scmType: "GITHUB",
      repo: "o/r",
      url: "https://github.com/o/r",
      branch: "feature",
      commit: "s",
      username: "u",
      userID: "7",
      path: "file://migrations",
    });
    expect(
      runContextFromEnv({
        GITLAB_CI: "true",
        CI_PROJECT_NAME: "r",
        CI_PROJECT_URL: "https://gitlab.com/o/r",
        CI_COMMIT_REF_NAME: "main",
        CI_COMMIT_SHA: "s",
        GITLAB_USER_NAME: "u",
        GITLAB_USER_ID: "9",
      }),
    ).toEqual({
      scmType: "GITLAB",
      repo: "r",
      url: "https://gitlab.com/o/r",
      branch: "main",
      commit: "s",
      username: "u",
      userID: "9",
    });
    expect(
      runContextFromEnv({ BITBUCKET_COMMIT: "s", BITBUCKET_BRANCH: "main", BITBUCKET_REPO_FULL_NAME: "o/r" }),
    ).toEqual({ scmType: "BITBUCKET", repo: "o/r", branch: "main", commit: "s" });
    expect(
      runContextFromEnv({
        TF_BUILD: "True",
        BUILD_REPOSITORY_PROVIDER: "TfsGit",
        BUILD_REPOSITORY_NAME: "r",
        BUILD_REPOSITORY_URI: "https://dev.azure.com/o/p/_git/r",
        BUILD_SOURCEBRANCH: "refs/heads/main",
        BUILD_SOURCEVERSION: "s",
        BUILD_REQUESTEDFOR: "U",
      }),
    ).toEqual({
      scmType: "AZURE_DEVOPS",
      repo: "r",
      url: "https://dev.azure.com/o/p/_git/r",
      branch: "refs/heads/main",
      commit: "s",
      username: "U",
    });
    expect(runContextFromEnv({ CI: "true", JENKINS_URL: "http://j" })).toBeUndefined();
  });
});
