export * from "./pull";
export * from "./push";
export { openRepo, type Repo, type RepoConfig, repoConfigOf } from "./repo";
export { buildState, type StateOptions, sha256Digest } from "./state";
export { isEligible, scrub } from "./target";
