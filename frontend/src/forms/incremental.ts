// The form editor's engine: the same result as runEngine (engine.ts), re-evaluating on each run only
// the expressions whose inputs changed since an earlier run.
//
// A dependency index built once from the configuration's ASTs (`ref` nodes name the field keys an
// expression reads; a row field's key also reads its subform, the column) gives every field two input
// lists: what its computation reads (section and field relevance, calculation, and for a subform its
// rows' relevance and calculations and its own previous rows) and what its checks read (required,
// constraint, warnings, for a subform those of its rows). Each field keeps its last few evaluations
// keyed by those inputs (its own raw value by identity, the other values structurally).
//
// The passes are runEngine's own: seed, computation passes until the values settle (at most
// MAX_PASSES), then the check pass in form order. Only a field's evaluation is skipped when its
// inputs are those of a kept evaluation, so the result is runEngine's in every case, including a
// cycle or a chain longer than the passes, which a single topologically ordered pass would not
// reproduce. An edit of field X re-evaluates X and the fields that read X, then (next pass) those that
// read them, and so on: the transitive dependents of X, in dependency order, and nothing else; the
// other fields cost a comparison of their inputs per pass. The clock is an input too: of
// expressions calling today(), age() or age-months() the local date, of now() the instant.
// forms/incremental.test.ts checks the result against runEngine over random edits.
import type { Config, Field, Section } from "../api/types";
import { dateOf, formatDate, localNow } from "../expressions/dates";
import {
  type CheckEnv,
  type CheckOut,
  type Data,
  type EngineOptions,
  type EngineResult,
  Evaluator,
  type FieldNode,
  MAX_PASSES,
  type Messages,
  cachedParents,
  checkField,
  computeField,
  isEmptyValue,
  messagesOf,
  recordTypeFields,
  seed,
} from "./engine";

/** The expression functions that read the clock (ctx.now): those of DAY_FUNCTIONS only the local
 *  date (in the engine's time zone), `now` the instant. incremental.test.ts checks that no other
 *  function's result changes with the time, and these others not within a day. */
export const DAY_FUNCTIONS: ReadonlySet<string> = new Set(["today", "age", "age-months"]);
export const INSTANT_FUNCTIONS: ReadonlySet<string> = new Set(["now"]);
export const CLOCK_FUNCTIONS: ReadonlySet<string> = new Set([...DAY_FUNCTIONS, ...INSTANT_FUNCTIONS]);

/** What of the clock an expression reads. */
const enum Clock {
  None = 0,
  Day = 1,
  Instant = 2,
}

/** Evaluations kept per field: one per distinct input (a run has two or three passes). */
const KEPT = 4;

interface Inputs {
  /** Top-level keys of this record type read by the expressions (other keys are never in the data). */
  keys: string[];
  clock: Clock;
}

interface Node {
  node: FieldNode;
  key: string;
  compute: Inputs;
  check: Inputs;
}

interface Computed {
  raw: unknown;
  deps: unknown[];
  now: string | null;
  value: unknown;
  empty: boolean;
  /** The relevance it found, of the field and its rows' fields, in the order found. */
  relPaths: string[];
  relValues: boolean[];
}

interface Checked {
  raw: unknown;
  value: unknown;
  deps: unknown[];
  now: string | null;
  /** The relevance the check read. */
  relPaths: string[];
  relSeen: (boolean | undefined)[];
  reqPaths: string[];
  reqValues: boolean[];
  errors: EngineResult["errors"];
  warnings: EngineResult["warnings"];
}

export interface RunStats {
  passes: number;
  /** Field computations evaluated / taken from an earlier evaluation, over all passes. */
  computed: number;
  reused: number;
  /** The fields computed at least once. */
  computedKeys: Set<string>;
  /** Field checks evaluated / reused. */
  checked: number;
  checkReused: number;
}

export class FormEngine {
  readonly config: Config;
  readonly recordType: string;
  private readonly opts: EngineOptions;
  private readonly msg: Messages;
  private readonly nodes: Node[];
  private readonly fieldNodes: FieldNode[];
  private readonly computedAt: Computed[][];
  private readonly checkedAt: Checked[][];
  private readonly seeds: ({ raw: unknown; value: unknown; present: boolean } | undefined)[] = [];
  /** What the last run evaluated (tests, bench). */
  stats: RunStats = { passes: 0, computed: 0, reused: 0, computedKeys: new Set(), checked: 0, checkReused: 0 };

  constructor(config: Config, recordType: string, opts: EngineOptions = {}) {
    this.config = config;
    this.recordType = recordType;
    this.opts = opts;
    this.msg = messagesOf(opts);
    const fieldNodes = (this.fieldNodes = recordTypeFields(config, recordType));
    const topKeys = new Set(fieldNodes.map((n) => n.field.key));
    const parents = cachedParents(config);
    this.nodes = fieldNodes.map((node) => ({
      node,
      key: node.field.key,
      compute: inputsOf(computeExprs(node.field, node.section), node.field.type === "subform" ? [node.field.key] : [], topKeys, parents),
      check: inputsOf(checkExprs(node.field), [], topKeys, parents),
    }));
    this.computedAt = this.nodes.map(() => []);
    this.checkedAt = this.nodes.map(() => []);
  }

  /** runEngine's seed (each value cleaned), cleaning again only the values that changed. */
  private seed(raw: Data): Data {
    const out: Data = {};
    const { nodes, seeds } = this;
    for (let i = 0; i < nodes.length; i++) {
      const rawValue = raw[nodes[i].key];
      let c = seeds[i];
      if (!c || c.raw !== rawValue) {
        const value = seed([this.fieldNodes[i]], { [nodes[i].key]: rawValue })[nodes[i].key];
        seeds[i] = c = { raw: rawValue, value, present: value !== undefined };
      }
      if (c.present) out[nodes[i].key] = c.value;
    }
    return out;
  }

  /** The engine result for `raw`: equal to runEngine(config, recordType, raw, opts) at the same time. */
  run(raw: Data, at?: { now?: Date | string }): EngineResult {
    const now = at?.now ?? this.opts.now ?? new Date();
    const ev = new Evaluator(this.config, { ...this.opts, now });
    // The clock as the expressions read it: the instant (now()) or the local date (today(), age()).
    const instant = typeof now === "string" ? now : now.toISOString();
    const day = formatDate(dateOf(localNow(ev.ctx.now, ev.ctx.tz)));
    const stats: RunStats = { passes: 0, computed: 0, reused: 0, computedKeys: new Set(), checked: 0, checkReused: 0 };
    const { nodes } = this;
    const clocks = [null, day, instant];

    // Computation passes (runEngine's): the evaluations each field used in the last pass.
    let values: Data = this.seed(raw);
    const used: Computed[] = new Array(nodes.length);
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      stats.passes++;
      const next: Data = {};
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i];
        const rawValue = raw[n.key];
        const nowFor = clocks[n.compute.clock];
        let c = find(this.computedAt[i], rawValue, nowFor, n.compute.keys, values);
        if (c) stats.reused++;
        else {
          stats.computed++;
          stats.computedKeys.add(n.key);
          const rel: Record<string, boolean> = {};
          const value = computeField(ev, n.node.field, n.node.section, raw, values, null, n.key, rel);
          const relPaths = Object.keys(rel);
          c = { raw: rawValue, deps: n.compute.keys.map((k) => values[k]), now: nowFor, value, empty: isEmptyValue(value), relPaths, relValues: relPaths.map((p) => rel[p]) };
          keep(this.computedAt[i], c);
        }
        used[i] = c;
        if (!c.empty) next[n.key] = c.value;
      }
      const settled = sameJson(next, values);
      values = next;
      if (settled) break;
    }
    // The relevance the last pass found (runEngine keeps that pass's).
    const relevant: Record<string, boolean> = {};
    for (let i = 0; i < nodes.length; i++) {
      const c = used[i];
      for (let j = 0; j < c.relPaths.length; j++) relevant[c.relPaths[j]] = c.relValues[j];
    }

    const required: Record<string, boolean> = {};
    const errors: EngineResult["errors"] = [];
    const warnings: EngineResult["warnings"] = [];
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      const rawValue = raw[n.key];
      const value = values[n.key];
      const nowFor = clocks[n.check.clock];
      let c: Checked | undefined;
      const kept = this.checkedAt[i];
      for (let k = 0; k < kept.length; k++) {
        const e = kept[k];
        if (e.raw === rawValue && e.now === nowFor && (e.value === value || same(e.value, value)) && sameRelevance(e, relevant) && sameInputs(e.deps, n.check.keys, values)) {
          c = e;
          break;
        }
      }
      if (c) stats.checkReused++;
      else {
        stats.checked++;
        const relPaths: string[] = [];
        const relSeen: (boolean | undefined)[] = [];
        const env: CheckEnv = {
          ev,
          values,
          relevantAt: (p) => {
            relPaths.push(p);
            relSeen.push(relevant[p]);
            return relevant[p];
          },
          msg: this.msg,
          lang: this.opts.lang,
        };
        const out: CheckOut = { required: {}, errors: [], warnings: [] };
        checkField(env, out, n.node.field, n.node.section, values, null, n.key, raw);
        const reqPaths = Object.keys(out.required);
        c = { raw: rawValue, value, deps: n.check.keys.map((k) => values[k]), now: nowFor, relPaths, relSeen, reqPaths, reqValues: reqPaths.map((p) => out.required[p]), errors: out.errors, warnings: out.warnings };
        keep(kept, c);
      }
      for (let j = 0; j < c.reqPaths.length; j++) required[c.reqPaths[j]] = c.reqValues[j];
      for (let j = 0; j < c.errors.length; j++) errors.push(c.errors[j]);
      for (let j = 0; j < c.warnings.length; j++) warnings.push(c.warnings[j]);
    }
    this.stats = stats;
    return { values, relevant, required, errors, warnings };
  }
}

const engines = new WeakMap<Config, Map<string, FormEngine>>();

/** The engine of a configuration, record type and language (made with `opts()` the first time):
 *  the dependency index is built once, and evaluations are kept from one form page to the next. */
export function engineFor(config: Config, recordType: string, lang: string, opts: () => EngineOptions): FormEngine {
  let byType = engines.get(config);
  if (!byType) engines.set(config, (byType = new Map()));
  const key = `${recordType}\u0000${lang}`;
  let engine = byType.get(key);
  if (!engine) byType.set(key, (engine = new FormEngine(config, recordType, opts())));
  return engine;
}

function keep<T>(list: T[], entry: T) {
  list.unshift(entry);
  if (list.length > KEPT) list.length = KEPT;
}

function sameRelevance(e: Checked, relevant: Record<string, boolean>): boolean {
  for (let j = 0; j < e.relPaths.length; j++) if (relevant[e.relPaths[j]] !== e.relSeen[j]) return false;
  return true;
}

function sameInputs(seen: unknown[], keys: string[], data: Data): boolean {
  for (let j = 0; j < keys.length; j++) {
    const a = seen[j];
    const b = data[keys[j]];
    if (a !== b && !same(a, b)) return false;
  }
  return true;
}

/** A kept computation whose inputs are these. */
function find(kept: Computed[], raw: unknown, now: string | null, keys: string[], data: Data): Computed | undefined {
  for (let k = 0; k < kept.length; k++) {
    const e = kept[k];
    if (e.raw === raw && e.now === now && sameInputs(e.deps, keys, data)) return e;
  }
  return undefined;
}

/** Equal as data: the same primitive, or arrays / plain objects (same prototype, same keys in the
 *  same order) whose members are equal. Anything else only by identity. */
export function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const proto = Object.getPrototypeOf(a);
  if (proto !== Object.getPrototypeOf(b)) return false;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    if (a.length !== y.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], y[i])) return false;
    return true;
  }
  if (proto !== Object.prototype && proto !== null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || !same((a as Data)[ka[i]], (b as Data)[kb[i]])) return false;
  }
  return true;
}

/** JSON.stringify(a) === JSON.stringify(b) for two value maps (no undefined members), without
 *  serialising the members that are the same object. */
function sameJson(a: Data, b: Data): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    const x = a[ka[i]];
    const y = b[kb[i]];
    if (x !== y && JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

// -- the dependency index ------------------------------------------------------------------------------

/** What computeField evaluates for a field: section and field relevance, calculation, and for a
 *  subform (at any depth) its row fields' relevance and calculations. */
function computeExprs(f: Field, section: Section | null): unknown[] {
  const out: unknown[] = [section?.relevant, f.relevant, f.calculation];
  for (const child of f.fields ?? []) out.push(...computeExprs(child, null));
  return out;
}

/** What checkField evaluates: required, constraint, warnings, and those of the rows' fields. */
function checkExprs(f: Field): unknown[] {
  const out: unknown[] = [typeof f.required === "object" ? f.required : null, f.constraint, ...(f.warnings ?? []).map((w) => w.expr)];
  for (const child of f.fields ?? []) out.push(...checkExprs(child));
  return out;
}

function inputsOf(exprs: unknown[], extra: string[], topKeys: Set<string>, parents: Record<string, string>): Inputs {
  const refs = new Set<string>(extra);
  const found = { clock: Clock.None };
  for (const e of exprs) walk(e, refs, found);
  // ${key} reads data[key]; a row field's key also reads its subform's rows (the column), and a
  // nested one the subforms above it (evaluator.ts resolve/column).
  const keys = new Set<string>();
  for (const k of refs) {
    let key: string | undefined = k;
    for (let guard = 0; key !== undefined && guard < 50; guard++) {
      if (topKeys.has(key)) keys.add(key);
      key = Object.prototype.hasOwnProperty.call(parents, key) ? parents[key] : undefined;
    }
  }
  return { keys: [...keys], clock: found.clock };
}

function walk(node: unknown, refs: Set<string>, found: { clock: Clock }) {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const x of node) walk(x, refs, found);
    return;
  }
  const n = node as Record<string, unknown>;
  if (n.op === "ref" && typeof n.key === "string") refs.add(n.key);
  if (n.op === "call" && typeof n.fn === "string") {
    if (INSTANT_FUNCTIONS.has(n.fn)) found.clock = Clock.Instant;
    else if (DAY_FUNCTIONS.has(n.fn) && found.clock === Clock.None) found.clock = Clock.Day;
  }
  for (const k in n) walk(n[k], refs, found);
}
