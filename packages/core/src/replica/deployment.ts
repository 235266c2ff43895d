// Deployment reports the registry stores after an apply: the input shapes of ariga/atlas
// cmd/atlas/internal/cloudapi/client.go (ReportMigrationInput, ReportMigrationSetInput and the types
// they hold), field for field; times are ISO strings as Go's time.Time marshals them.

/** How the apply was started, e.g. `{ triggerType: "GITHUB_ACTION", triggerVersion: "v1.2.3" }`. */
export interface DeployContextInput {
  triggerType?: string;
  triggerVersion?: string;
}

export interface DeployedTargetInput {
  id: string;
  schema: string;
  /** The database URL without user info. */
  url: string;
}

export interface StmtErrorInput {
  stmt: string;
  text: string;
}

export interface DeployedFileInput {
  name: string;
  content: string;
  startTime: string;
  endTime: string;
  skipped: number;
  applied: number;
  checks: never[];
  error?: StmtErrorInput;
}

export interface ReportMigrationInput {
  projectName: string;
  envName: string;
  dirName: string;
  atlasVersion: string;
  target: DeployedTargetInput;
  startTime: string;
  endTime: string;
  fromVersion: string;
  toVersion: string;
  currentVersion: string;
  error?: string;
  files: DeployedFileInput[];
  log: string;
  context?: DeployContextInput;
  dryRun?: boolean;
}

export interface ReportStep {
  text: string;
  startTime: string;
  endTime: string;
  error?: boolean;
  log?: { text?: string }[];
}

export interface ReportMigrationSetInput {
  id: string;
  planned: number;
  startTime: string;
  endTime: string;
  error?: string;
  log?: ReportStep[];
  completed?: ReportMigrationInput[];
  context?: DeployContextInput;
}

/** One run that completed (`reportMigration`), or a set: several targets, or none that ran. */
export type DeploymentReport = { one: ReportMigrationInput } | { set: ReportMigrationSetInput };
