// How the evaluator calls a function: the interpreter's side of the function table (the functions
// themselves are Atlas's set, in ../functions.ts and ../stdlib.ts).
import type { Value } from "./values";

export interface FunctionCall {
  name: string;
  args: Value[];
  /** Throws a positioned error, at the argument when given. */
  fail(message: string, argIndex?: number): never;
}

export interface HclFunction {
  params: string[];
  /** Name of the repeated trailing parameter, when the function takes any number of extra arguments. */
  variadic?: string;
  impl(call: FunctionCall): Value;
}
