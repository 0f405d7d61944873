// Evaluation of a parsed AST against one record: the TypeScript twin of
// platform/kinga/formengine/expressions/evaluator.py (see docs/expressions.md for every rule).
// The browser never parses: the server compiles every expression to {"src", "ast"} on pack apply.

import { type Temporal, compareInstants, parseTemporal } from "./dates";
import { ExpressionError } from "./errors";
import { FUNCTIONS } from "./functions";
import { NodeSet, type Value, compareStrings, isBool, isEmpty, normalize, toBool, toNumber, toStr, wrap } from "./values";

export type Ast =
  | { op: "lit"; value: string | number | boolean | null }
  | { op: "ref"; key: string }
  | { op: "cur" }
  | { op: "neg"; arg: Ast }
  | { op: "bin"; fn: string; left: Ast; right: Ast }
  | { op: "and" | "or"; args: Ast[] }
  | { op: "call"; fn: string; args: Ast[] };

/** An expression as it appears in the effective configuration. */
export interface CompiledExpr {
  src: string;
  ast: Ast;
}

type Row = Record<string, unknown>;

export interface EvalContext {
  data: Row;
  row: Row | null;
  /** field key -> key of the subform it belongs to (for fields inside subforms). */
  parents: Record<string, string>;
  current: Value;
  now: Temporal;
  tz: string;
  user: Record<string, unknown>;
  linked: Record<string, unknown>;
}

export interface EvalContextInit {
  data?: Row;
  row?: Row | null;
  parents?: Record<string, string>;
  current?: Value;
  now?: Temporal | string | Date;
  tz?: string;
  user?: Record<string, unknown>;
  linked?: Record<string, unknown>;
}

function nowFrom(now: EvalContextInit["now"]): Temporal {
  if (now === undefined) now = new Date();
  if (now instanceof Date) now = now.toISOString();
  const t = parseTemporal(now);
  if (t === null) throw new ExpressionError(`Not a date-time: ${String(now)}`, "bad_context");
  return t.kind === "date" ? { ...t, kind: "datetime", h: 0, mi: 0, s: 0, us: 0, offset: 0 } : t;
}

export function makeContext(init: EvalContextInit = {}): EvalContext {
  return {
    data: init.data ?? {},
    row: init.row ?? null,
    parents: init.parents ?? {},
    current: init.current ?? null,
    now: nowFrom(init.now),
    tz: init.tz ?? "UTC",
    user: init.user ?? {},
    linked: init.linked ?? {},
  };
}

const MAX_DEPTH = 400;

/** Evaluate a parsed expression. Throws ExpressionError only for a malformed AST or context. */
export function evaluate(ast: Ast, ctx: EvalContext | EvalContextInit = {}): Value {
  const context = "now" in ctx && typeof ctx.now === "object" && ctx.now !== null && "kind" in ctx.now
    ? (ctx as EvalContext)
    : makeContext(ctx as EvalContextInit);
  return evalNode(ast, context, 0);
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function evalNode(node: unknown, ctx: EvalContext, depth: number): Value {
  if (depth > MAX_DEPTH) throw new ExpressionError("The expression is nested too deeply", "too_deep");
  if (typeof node !== "object" || node === null || Array.isArray(node)) {
    throw new ExpressionError("Malformed expression: expected a node", "bad_ast");
  }
  const n = node as Record<string, any>;
  const need = (k: string) => {
    if (!has(n, k)) throw new ExpressionError(`Malformed expression: node is missing '${k}'`, "bad_ast");
    return n[k];
  };
  switch (n.op) {
    case "lit":
      return need("value");
    case "ref":
      return resolve(ctx, need("key"));
    case "cur":
      return wrap(ctx.current);
    case "neg": {
      const x = toNumber(evalNode(need("arg"), ctx, depth + 1));
      return x === null ? null : normalize(-x);
    }
    case "bin": {
      const fn = need("fn");
      const a = evalNode(need("left"), ctx, depth + 1);
      const b = evalNode(need("right"), ctx, depth + 1);
      if (["+", "-", "*", "div", "mod"].includes(fn)) return arithmetic(fn, a, b);
      if (["=", "!=", "<", "<=", ">", ">="].includes(fn)) return compare(fn, a, b);
      throw new ExpressionError(`Malformed expression: unknown operator '${fn}'`, "bad_ast");
    }
    case "and":
      return (need("args") as unknown[]).every((arg) => toBool(evalNode(arg, ctx, depth + 1)));
    case "or":
      return (need("args") as unknown[]).some((arg) => toBool(evalNode(arg, ctx, depth + 1)));
    case "call": {
      const name = need("fn");
      const args = need("args") as unknown[];
      const spec = has(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
      if (spec === undefined) throw new ExpressionError(`Unknown function '${name}'`, "unknown_function");
      if (args.length < spec.min || (spec.max !== null && args.length > spec.max)) {
        throw new ExpressionError(`Function '${name}' was given ${args.length} arguments`, "arity");
      }
      if (spec.lazy) return spec.impl(ctx, ...args.map((arg) => () => evalNode(arg, ctx, depth + 1)));
      return spec.impl(ctx, ...args.map((arg) => evalNode(arg, ctx, depth + 1)));
    }
    default:
      throw new ExpressionError(`Malformed expression: unknown node '${String(n.op)}'`, "bad_ast");
  }
}

// -- references -------------------------------------------------------------------------------------

/** ${key}: the current row first, then the record, then the column of a subform field. */
export function resolve(ctx: EvalContext, key: string): Value {
  const row = ctx.row;
  if (row !== null) {
    if (has(row, key)) return wrap(row[key]);
    const subform = has(ctx.parents, key) ? ctx.parents[key] : undefined;
    if (subform !== undefined && subform === rowSubform(ctx)) return null; // a blank field of this row
  }
  if (has(ctx.data, key)) return wrap(ctx.data[key]);
  if (has(ctx.parents, key)) return NodeSet.of2(column(ctx, key, 0));
  return null;
}

function rowSubform(ctx: EvalContext): string | null {
  for (const k of Object.keys(ctx.row ?? {})) if (has(ctx.parents, k)) return ctx.parents[k];
  return null;
}

function column(ctx: EvalContext, key: string, depth: number): unknown[] {
  if (depth > 20) return []; // a cycle in ctx.parents
  const values: unknown[] = [];
  for (const row of rows(ctx, ctx.parents[key], depth + 1)) {
    const v = has(row, key) ? row[key] : null;
    if (Array.isArray(v) && v.length && v.every((x) => typeof x === "object" && x !== null && !Array.isArray(x))) {
      values.push(...v); // the rows of a nested subform
    } else values.push(v);
  }
  return values;
}

function rows(ctx: EvalContext, subform: string, depth: number): Row[] {
  let list: unknown;
  if (has(ctx.data, subform)) list = ctx.data[subform];
  else if (has(ctx.parents, subform)) list = column(ctx, subform, depth);
  else list = [];
  return Array.isArray(list) ? (list.filter((r) => typeof r === "object" && r !== null && !Array.isArray(r)) as Row[]) : [];
}

// -- operators --------------------------------------------------------------------------------------

export function arithmetic(fn: string, a: Value, b: Value): Value {
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === null || y === null) return null;
  let r: number;
  if (fn === "+") r = x + y;
  else if (fn === "-") r = x - y;
  else if (fn === "*") r = x * y;
  else if (y === 0) return null; // div and mod by zero
  else if (fn === "div") r = x / y;
  else r = x % y; // XPath mod: the result has the sign of the dividend (C fmod)
  return normalize(r);
}

function order(fn: string, c: number): boolean {
  switch (fn) {
    case "=":
      return c === 0;
    case "!=":
      return c !== 0;
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    default:
      return c >= 0;
  }
}

function scalarCompare(fn: string, a: Value, b: Value): boolean {
  if ((fn === "=" || fn === "!=") && (isBool(a) || isBool(b))) return (toBool(a) === toBool(b)) === (fn === "=");
  const ea = isEmpty(a);
  const eb = isEmpty(b);
  if (ea || eb) {
    if (fn === "=") return ea && eb;
    if (fn === "!=") return !(ea && eb);
    return false;
  }
  const ta = parseTemporal(a);
  const tb = parseTemporal(b);
  if (ta !== null && tb !== null) return order(fn, compareInstants(ta, tb));
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === null || y === null) return order(fn, compareStrings(toStr(a), toStr(b)));
  // Numbers compare as numbers (NaN cannot occur: toNumber gives null instead).
  return order(fn, x === y ? 0 : x < y ? -1 : 1);
}

function members(v: Value): unknown[] {
  if (v instanceof NodeSet) return v.length ? [...v] : [null];
  return [v];
}

/** XPath comparison: a boolean operand makes =/!= compare truthiness; a subform column matches if
 * any of its values matches (so both = and != can be true). */
export function compare(fn: string, a: Value, b: Value): boolean {
  if ((fn === "=" || fn === "!=") && (isBool(a) || isBool(b))) return (toBool(a) === toBool(b)) === (fn === "=");
  for (const x of members(a)) for (const y of members(b)) if (scalarCompare(fn, x, y)) return true;
  return false;
}
