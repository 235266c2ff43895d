const todo = (): never => {
  throw new Error("not implemented yet");
};

export type TxMode = "none" | "file" | "all";

export interface FileDirectives {
  /** `-- atlas:txmode none|file` from the file header. */
  txmode?: TxMode;
  /** `-- atlas:delimiter X` (escapes decoded). */
  delimiter?: string;
  /** First line carries `atlas:sum ignore`. */
  sumIgnore: boolean;
}

export function fileDirectives(content: string): FileDirectives {
  return todo();
}
