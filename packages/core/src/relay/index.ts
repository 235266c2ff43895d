export * from "./health";
export { compareVersions, extendsState, type StateMark } from "./lineage";
export { appliedStateOf, type DirLoaderOptions, dirLoader, type LoadedDir } from "./loader";
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
export { buildState, type StateOptions, sha256Digest } from "./state";
export { envSecrets, isEligible, scrub } from "./target";
export { type Verified, verifyFetched } from "./verify";
