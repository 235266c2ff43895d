export { applyDir, checkApplyOptions } from "./apply";
export type { PostgresTarget, SslMode } from "./connection";
export { parsePostgresUrl } from "./connection";
export {
  applyFleet,
  FLEET_OUTCOMES,
  type FleetDir,
  type FleetInputs,
  type FleetOptions,
  type FleetOutcome,
  type FleetResult,
  type FleetRun,
  type FleetSettings,
  fleetSettingsOf,
  outcomeOf,
  type PreparedTarget,
  parseShard,
  type Shard,
  shardOf,
  targetKey,
} from "./fleet";
export { type ApplyInputs, type ApplyTarget, applyOptionsOf, applyTargetsOf } from "./inputs";
export { APPLY_LOCK_KEY, APPLY_LOCK_NAME } from "./lock";
export type { Plan, PlanInput } from "./plan";
export { planPending } from "./plan";
export type { ReplayResult } from "./replay";
export { replayDir } from "./replay";
export {
  type DirOrigin,
  emptyResult,
  emptyStatus,
  type Failure,
  failedResult,
  failedStatus,
  failureOf,
  originOf,
} from "./result";
export type { RevisionRow } from "./revisions";
export { createTableSql, DEFAULT_REVISIONS_SCHEMA, OPERATOR_VERSION, REVISIONS_TABLE } from "./revisions";
export type { StatusOptions, StatusResult } from "./status";
export { dirStatus } from "./status";
export * from "./types";
