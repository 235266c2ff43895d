// The syntax tree of an HCL file: bodies of attributes and blocks, and expressions.
import type { Span } from "./source";
import type { Value } from "./values";

export type Expr = Span &
  (
    | { type: "literal"; value: Value }
    | { type: "template"; parts: (string | Expr)[] }
    | { type: "variable"; name: string }
    | { type: "getattr"; object: Expr; name: string; nameSpan: Span }
    | { type: "index"; object: Expr; key: Expr }
    | { type: "splat"; object: Expr; each: Expr }
    | { type: "call"; name: string; args: Expr[]; expandLast: boolean }
    | { type: "tuple"; items: Expr[] }
    | { type: "object"; items: { key: Expr; value: Expr }[] }
    | { type: "unary"; op: "!" | "-"; operand: Expr }
    | { type: "binary"; op: string; left: Expr; right: Expr }
    | { type: "conditional"; cond: Expr; then: Expr; else: Expr }
    | {
        type: "for";
        object: boolean;
        keyVar?: string;
        valueVar: string;
        collection: Expr;
        key?: Expr;
        value: Expr;
        grouping: boolean;
        cond?: Expr;
      }
  );

/** The placeholder a splat's `each` expression starts from (the current element). */
export const SPLAT_ITEM = "\u0000splat";

export interface Attribute extends Span {
  name: string;
  expr: Expr;
}

export interface Block extends Span {
  type: string;
  labels: string[];
  /** Where each label was written, for messages about a label. */
  labelSpans: Span[];
  body: Body;
}

export interface Body {
  attributes: Attribute[];
  blocks: Block[];
}
