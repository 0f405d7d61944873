export { evaluate, makeContext, resolve, type Ast, type CompiledExpr, type EvalContext, type EvalContextInit } from "./evaluator";
export { ExpressionError } from "./errors";
export { FUNCTIONS } from "./functions";
export { NodeSet, isEmpty, toBool, toNumber, toStr } from "./values";
