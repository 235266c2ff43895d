export type ExecOrder = "linear" | "linear-skip" | "non-linear";

/** One environment of atlas.hcl, fully evaluated (one per for_each instance). */
export interface ResolvedEnv {
  /** The env block's label, e.g. "prod". */
  name: string;
  /** The for_each key of this instance; undefined for an env without for_each. */
  instance?: string;
  /** Target database URL (`url`). */
  url?: string;
  /** When `url` is written but evaluated empty: why (which getenv() variable was empty). */
  emptyUrl?: string;
  /** Dev database URL (`dev`). */
  dev?: string;
  migration: {
    /** `migration.dir`, e.g. "file://migrations" or "atlas://app". */
    dir?: string;
    format?: string;
    baseline?: string;
    execOrder?: ExecOrder;
    /** Duration text as written, e.g. "10s". */
    lockTimeout?: string;
    revisionsSchema?: string;
    repo: {
      /** Repository name (slug) in the registry and in backup layouts. */
      name?: string;
      /** Backup URLs in the configured order. */
      backup: string[];
      /** Primary repo URL (s3://, gs://, azureblob://, oci:// or file://) replacing the cloud registry ("bring your own storage"). */
      url?: string;
    };
  };
  cloud: { token?: string; url?: string; project?: string };
}

export interface LoadEnvOptions {
  /** `file://atlas.hcl` or a path; relative to cwd. */
  config: string;
  /** The env name to select. */
  env: string;
  /** Input variables (the actions' `vars` JSON, or `--var k=v`). */
  vars?: Record<string, unknown>;
  cwd?: string;
  /** getenv() source; defaults to process.env. */
  getenv?: (name: string) => string | undefined;
}
