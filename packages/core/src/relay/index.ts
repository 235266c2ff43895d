export * from "./deployment";
export * from "./health";
export { decideLatest, type LatestRead, type LatestVerdict } from "./latest";
export { compareVersions, extendsState, type StateMark } from "./lineage";
export { appliedStateOf, type DirLoader, type DirLoaderOptions, dirLoader, type LoadedDir } from "./loader";
export * from "./pull";
export * from "./push";
export {
  layerRepoConfig,
  openRepo,
  type Repo,
  type RepoConfig,
  type RepoOverrides,
  repoConfigOf,
} from "./repo";
export { runContextFromEnv } from "./run-context";
export { buildState, type StateOptions } from "./state";
export { isEligible } from "./turn";
export { type Verified, verifyFetched } from "./verify";
