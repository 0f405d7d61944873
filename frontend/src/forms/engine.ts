// The browser side of the form engine: relevance (skip-logic), calculations, required, constraints
// and warnings, evaluated live from the configuration's compiled ASTs with the same evaluator
// semantics as the server (platform/kinga/formengine/engine.py). The server stays the judge on save.
import type { Config, Field, Form, Option, Section } from "../api/types";
import { type CompiledExpr, type EvalContext, ExpressionError, evaluate, makeContext, toBool } from "../expressions";
import { label } from "../i18n";

export type Data = Record<string, unknown>;
type Expr = CompiledExpr | null | undefined;

/** A field with where it sits. Row fields of a subform have `parent`. */
export interface FieldNode {
  field: Field;
  form: Form;
  section: Section;
  parent: string | null;
}

export interface FieldIssue {
  path: string;
  code: string;
  message: string;
  severity: "error" | "warning";
}

export interface EngineResult {
  /** The values the server would store: cleaned, calculations applied, non-relevant cleared. */
  values: Data;
  /** path -> relevance ("key" or "subform[2].key"); absent means relevant. */
  relevant: Record<string, boolean>;
  /** path -> whether required (true/false or a live expression) */
  required: Record<string, boolean>;
  errors: FieldIssue[];
  warnings: FieldIssue[];
}

export interface EngineOptions {
  now?: Date | string;
  tz?: string;
  user?: Record<string, unknown>;
  linked?: Record<string, unknown>;
  lang?: string;
  /** UI messages for the engine's own checks (translated by the caller). */
  messages?: Partial<Record<"required" | "invalid" | "integer" | "number", string>>;
}

export const STORES_NOTHING = new Set(["note", "section"]);

export const isEmptyValue = (v: unknown) =>
  v === null ||
  v === undefined ||
  v === "" ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0);

/** Top-level fields of every form of a record type, in form order (the server validates them all). */
export function recordTypeFields(config: Config, recordType: string): FieldNode[] {
  const out: FieldNode[] = [];
  for (const form of formsOf(config, recordType)) {
    for (const section of form.sections) {
      for (const field of section.fields) out.push({ field, form, section, parent: null });
    }
  }
  return out;
}

export function formsOf(config: Config, recordType: string): Form[] {
  const rt = config.record_types[recordType];
  const ids = rt?.forms?.length
    ? rt.forms
    : Object.values(config.forms)
        .filter((f) => f.record_type === recordType)
        .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
        .map((f) => f.id);
  return ids.map((id) => config.forms[id]).filter(Boolean);
}

/** field key -> subform key, for every row field (the evaluator's row scoping). */
export function parentsOf(config: Config): Record<string, string> {
  const parents: Record<string, string> = {};
  const walk = (fields: Field[], parent: string | null) => {
    for (const f of fields) {
      if (parent) parents[f.key] = parent;
      if (f.fields?.length) walk(f.fields, f.key);
    }
  };
  for (const form of Object.values(config.forms)) for (const s of form.sections) walk(s.fields, null);
  return parents;
}

/** A value as the server stores it (type clean), or `undefined` when it cannot be read. */
export function cleanValue(field: Field, raw: unknown): unknown {
  if (isEmptyValue(raw)) return null;
  switch (field.type) {
    case "text":
    case "textarea":
      return typeof raw === "string" ? raw.trim() || null : raw;
    case "integer":
      if (typeof raw === "number") return Number.isInteger(raw) ? raw : undefined;
      if (typeof raw === "string" && /^\s*-?\d+\s*$/.test(raw)) return Number(raw.trim());
      return undefined;
    case "decimal":
      if (typeof raw === "number") return Number.isFinite(raw) ? raw : undefined;
      if (typeof raw === "string" && /^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/.test(raw)) return Number(raw.trim());
      return undefined;
    default:
      return raw;
  }
}

export class Evaluator {
  ctx: EvalContext;
  constructor(config: Config, opts: EngineOptions) {
    this.ctx = makeContext({
      parents: cachedParents(config),
      now: opts.now ?? new Date(),
      tz: opts.tz ?? localTimeZone(),
      user: opts.user ?? {},
      linked: opts.linked ?? {},
    });
  }
  eval(expr: Expr, data: Data, row: Data | null = null, current: unknown = null): unknown {
    if (!expr || typeof expr !== "object" || !("ast" in expr)) return null;
    this.ctx.data = data;
    this.ctx.row = row;
    this.ctx.current = current;
    try {
      return evaluate(expr.ast, this.ctx);
    } catch (e) {
      if (e instanceof ExpressionError) {
        console.warn("expression failed", expr.src, e.message);
        return null;
      }
      throw e;
    } finally {
      this.ctx.row = null;
      this.ctx.current = null;
    }
  }
  truthy(expr: boolean | Expr, data: Data, row: Data | null = null, current: unknown = null, fallback = true): boolean {
    if (expr === null || expr === undefined) return fallback;
    if (typeof expr === "boolean") return expr;
    return toBool(this.eval(expr, data, row, current));
  }
}

// An Evaluator is made per engine run (per keystroke) and per filtered select: the parents walk and
// the time-zone lookup (Intl.DateTimeFormat is costly to construct) are computed once.
const parentsCache = new WeakMap<Config, Record<string, string>>();
export function cachedParents(config: Config): Record<string, string> {
  let p = parentsCache.get(config);
  if (!p) parentsCache.set(config, (p = parentsOf(config)));
  return p;
}

let zone: string | null = null;
export function localTimeZone(): string {
  if (zone) return zone;
  try {
    return (zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  } catch {
    return "UTC";
  }
}

/** Calculated values are stored as the field's `result` kind (calculated.py). */
function calcResult(field: Field, v: unknown): unknown {
  if (v === null || v === undefined || v === "") return null;
  const kind = field.params?.result;
  if (kind === "number" || kind === "integer") {
    const n = typeof v === "number" ? v : Number(v);
    return Number.isFinite(n) ? (kind === "integer" ? Math.trunc(n) : n) : null;
  }
  if (kind === "boolean") return toBool(v);
  if (kind === "string") return String(v);
  return v;
}

/** Run the computation and check passes over a record's data (the full evaluation: every expression
 *  of every field, each time). The form editor uses `FormEngine`, which gives the same result and
 *  re-evaluates only what an edit can change. */
export function runEngine(config: Config, recordType: string, raw: Data, opts: EngineOptions = {}): EngineResult {
  const ev = new Evaluator(config, opts);
  const nodes = recordTypeFields(config, recordType);
  const msg = messagesOf(opts);

  // Computation to a fixpoint: each pass evaluates every expression against the previous pass's
  // values, so a chain of calculations settles whatever order the form lists them in.
  let values: Data = seed(nodes, raw);
  let relevant: Record<string, boolean> = {};
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    relevant = {};
    const next: Data = {};
    for (const node of nodes) {
      const v = computeField(ev, node.field, node.section, raw, values, null, node.field.key, relevant);
      if (!isEmptyValue(v)) next[node.field.key] = v;
    }
    const settled = JSON.stringify(next) === JSON.stringify(values);
    values = next;
    if (settled) break;
  }

  // Check pass, on the final values.
  const out: CheckOut = { required: {}, errors: [], warnings: [] };
  const checks: CheckEnv = { ev, values, relevantAt: (path) => relevant[path], msg, lang: opts.lang };
  for (const node of nodes) checkField(checks, out, node.field, node.section, values, null, node.field.key, raw);

  return { values, relevant, required: out.required, errors: out.errors, warnings: out.warnings };
}

export const MAX_PASSES = 8;

export type Messages = Record<"required" | "invalid" | "integer" | "number", string>;

export function messagesOf(opts: EngineOptions): Messages {
  return {
    required: "This field is required.",
    invalid: "The value is not valid.",
    integer: "Enter a whole number.",
    number: "Enter a number.",
    ...opts.messages,
  };
}

/** One field's value in one computation pass (and its relevance, and its rows' relevance, into `rel`):
 *  reads `rawScope[f.key]`, the previous pass's `data` (only through the expressions' refs and, for a
 *  subform, `data[f.key]`), and `row`. */
export function computeField(
  ev: Evaluator,
  f: Field,
  section: Section | null,
  rawScope: Data,
  data: Data,
  row: Data | null,
  path: string,
  rel: Record<string, boolean>,
): unknown {
  const isRel = (section ? ev.truthy(section.relevant, data, row) : true) && ev.truthy(f.relevant, data, row);
  rel[path] = isRel;
  if (STORES_NOTHING.has(f.type)) return null;
  const incoming = rawScope[f.key];
  if (!isRel) {
    if (f.keep_when_irrelevant && !isEmptyValue(incoming)) return cleanOrNull(f, incoming);
    return null;
  }
  if (f.calculation) return calcResult(f, ev.eval(f.calculation, data, row));
  if (f.type === "subform") {
    if (!Array.isArray(incoming)) return null;
    const prevRows = Array.isArray(data[f.key]) ? (data[f.key] as Data[]) : [];
    return incoming.map((rawRow, i) => {
      const rowIn = (rawRow ?? {}) as Data;
      const prev = prevRows[i] ?? seed((f.fields ?? []).map((c) => ({ field: c })), rowIn);
      const outRow: Data = {};
      for (const child of f.fields ?? []) {
        const v = computeField(ev, child, null, rowIn, data, prev, `${path}[${i}].${child.key}`, rel);
        if (!isEmptyValue(v)) outRow[child.key] = v;
      }
      return outRow;
    });
  }
  return cleanOrNull(f, incoming);
}

export interface CheckEnv {
  ev: Evaluator;
  /** The final values. */
  values: Data;
  relevantAt: (path: string) => boolean | undefined;
  msg: Messages;
  lang: string | undefined;
}

export interface CheckOut {
  required: Record<string, boolean>;
  errors: FieldIssue[];
  warnings: FieldIssue[];
}

/** The check pass for one field (and its rows): required, type checks, constraint, warnings. */
export function checkField(env: CheckEnv, out: CheckOut, f: Field, section: Section | null, scope: Data, row: Data | null, path: string, rawScope: Data) {
  const { ev, values, msg } = env;
  if (env.relevantAt(path) === false || STORES_NOTHING.has(f.type)) return;
  const value = scope[f.key];
  const hidden = f.hidden || section?.hidden;
  const req = !f.calculation && ev.truthy(f.required ?? null, values, row, null, false);
  out.required[path] = req;
  const rawValue = rawScope[f.key];
  if (!isEmptyValue(rawValue) && cleanValue(f, rawValue) === undefined) {
    out.errors.push({ path, code: "invalid", message: f.type === "integer" ? msg.integer : msg.number, severity: "error" });
  } else if (isEmptyValue(value) && !hidden && req) {
    out.errors.push({ path, code: "required", message: msg.required, severity: "error" });
    return;
  }
  if (f.type === "subform") {
    const rows = Array.isArray(value) ? (value as Data[]) : [];
    const rawRows = Array.isArray(rawValue) ? (rawValue as Data[]) : [];
    rows.forEach((r, i) => {
      for (const child of f.fields ?? []) checkField(env, out, child, null, r, r, `${path}[${i}].${child.key}`, rawRows[i] ?? {});
    });
  } else if (!isEmptyValue(value)) {
    for (const problem of typeChecks(f, value)) out.errors.push({ path, code: problem[0], message: problem[1], severity: "error" });
    if (f.constraint && !ev.truthy(f.constraint, values, row, value)) {
      out.errors.push({ path, code: "constraint", message: label(f.constraint_message, env.lang) || msg.invalid, severity: "error" });
    }
  }
  for (const w of f.warnings ?? []) {
    if (ev.truthy(w.expr, values, row, value ?? null, false)) {
      out.warnings.push({ path, code: w.id, message: label(w.message, env.lang) || w.id, severity: "warning" });
    }
  }
}

export function seed(nodes: { field: Field }[], raw: Data): Data {
  const out: Data = {};
  for (const { field } of nodes) {
    const v = cleanOrNull(field, raw[field.key]);
    if (!isEmptyValue(v)) out[field.key] = v;
  }
  return out;
}

function cleanOrNull(f: Field, raw: unknown): unknown {
  const v = cleanValue(f, raw);
  return v === undefined ? null : v;
}

/** The type checks the browser can make without the server (ranges, lengths). */
function typeChecks(f: Field, value: unknown): [string, string][] {
  const p = f.params ?? {};
  const out: [string, string][] = [];
  if (typeof value === "number") {
    if (p.min != null && value < p.min) out.push(["min_value", `≥ ${p.min}`]);
    if (p.max != null && value > p.max) out.push(["max_value", `≤ ${p.max}`]);
  }
  if (typeof value === "string" && (f.type === "text" || f.type === "textarea")) {
    const n = Array.from(value).length;
    if (p.max_length != null && n > p.max_length) out.push(["max_length", `≤ ${p.max_length}`]);
    if (p.min_length != null && n < p.min_length) out.push(["min_length", `≥ ${p.min_length}`]);
  }
  return out;
}

/** Values for a new record: each field's `default` expression (server does the same on create). */
export function initialData(config: Config, recordType: string, opts: EngineOptions = {}): Data {
  const ev = new Evaluator(config, opts);
  const data: Data = {};
  for (const { field } of recordTypeFields(config, recordType)) {
    if (field.default && !field.calculation) {
      const v = ev.eval(field.default, data);
      if (!isEmptyValue(v)) data[field.key] = v;
    }
  }
  return data;
}

/** The options a select offers: active ones passing the choice_filter, plus codes already held. */
export function optionsFor(config: Config, field: Field, values: Data, row: Data | null, held: unknown, opts: EngineOptions = {}): Option[] {
  const all = field.options ?? (field.lookup ? config.lookups[field.lookup]?.options : undefined) ?? [];
  const heldCodes = new Set(Array.isArray(held) ? held.map(String) : held ? [String(held)] : []);
  const ev = field.choice_filter ? new Evaluator(config, opts) : null;
  return all.filter((o) => {
    if (heldCodes.has(o.code)) return true;
    if (o.retired) return false;
    if (ev && field.choice_filter) {
      const scope = { ...(row ?? {}), ...(o.attrs ?? {}), code: o.code };
      return ev.truthy(field.choice_filter, values, scope, o.code);
    }
    return true;
  });
}

/** The record's title line from the record type's `title` expression. */
export function recordTitle(config: Config, recordType: string, data: Data): string {
  const rt = config.record_types[recordType];
  if (!rt?.title) return "";
  const ev = new Evaluator(config, {});
  const v = ev.eval(rt.title, data);
  return typeof v === "string" ? v.trim() : v == null ? "" : String(v);
}

/** Where a top-level field of a record type sits, and its definition (index built from the forms). */
export interface FieldInfo {
  form: string;
  section: string;
  field: Field;
}

const indexes = new WeakMap<Config, Map<string, Map<string, FieldInfo>>>();

export function fieldInfo(config: Config, recordType: string, key: string): FieldInfo | null {
  let perType = indexes.get(config);
  if (!perType) indexes.set(config, (perType = new Map()));
  let index = perType.get(recordType);
  if (!index) {
    index = new Map();
    for (const node of recordTypeFields(config, recordType)) {
      index.set(node.field.key, { form: node.form.id, section: node.section.id, field: node.field });
    }
    perType.set(recordType, index);
  }
  return index.get(key) ?? null;
}

/** Where the field of an issue path ("key" or "subform[2].key") sits. */
export function locate(config: Config, recordType: string, path: string): FieldInfo | null {
  return fieldInfo(config, recordType, path.split(/[[.]/)[0]);
}
