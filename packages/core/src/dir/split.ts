import type { MigrationFile } from "./types";

const todo = (): never => {
  throw new Error("not implemented yet");
};

/** Atlas's scanner switches; POSTGRES_SPLIT is what apply uses. */
export interface SplitOptions {
  beginEnd: boolean;
  beginAtomic: boolean;
  dollarQuotes: boolean;
  backslashEscapes: boolean;
  escapedStrings: boolean;
  hashComments: boolean;
  /** Statement delimiter; default ";" (kept in the text). A custom one is stripped. */
  delimiter?: string;
}

export const POSTGRES_SPLIT: SplitOptions = {
  beginEnd: true,
  beginAtomic: true,
  dollarQuotes: true,
  backslashEscapes: false,
  escapedStrings: true,
  hashComments: false,
};

export interface Statement {
  text: string;
  /** 1-based line and column where the statement starts in the file. */
  line: number;
  col: number;
}

/** Splits SQL text into statements; errors (unclosed quote, ...) carry line:col. */
export function splitStatements(src: string, options: SplitOptions = POSTGRES_SPLIT): Statement[] {
  return todo();
}

/** The statements of a migration file as apply runs them: PostgreSQL options + the file's delimiter directive. */
export function fileStatements(file: MigrationFile): Statement[] {
  return todo();
}
