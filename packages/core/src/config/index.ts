export { configPath, loadEnv, parseVarFlags } from "./load";
export { type ResolveOptions, resolveEnvFromSource } from "./resolve";
export * from "./types";
