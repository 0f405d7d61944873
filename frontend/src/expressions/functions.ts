// The expression functions, one for one with the Python lib_* modules (same names, same rules).
// An implementation never throws on unusable arguments: it returns an empty value instead.

import {
  type DateTime,
  type PlainDate,
  type Temporal,
  asInstant,
  civilFromDays,
  dateFromDays,
  dateOf,
  datetimeFromDays,
  dayNumber,
  daysSinceEpoch,
  formatDate,
  formatDatetime,
  localNow,
  parseTemporal,
  strftimeOdk,
} from "./dates";
import type { EvalContext } from "./evaluator";
import { compiledPattern } from "./regex";
import { NodeSet, type Value, formatNumber, isEmpty, items, normalize, strLength, toBool, toNumber, toStr, wrap } from "./values";

export interface FunctionSpec {
  min: number;
  max: number | null; // null: any number
  lazy?: boolean;
  impl: (ctx: EvalContext, ...args: any[]) => Value;
}

export const FUNCTIONS: Record<string, FunctionSpec> = Object.create(null);

function fn(name: string, min: number, max: number | null, impl: FunctionSpec["impl"], lazy = false) {
  FUNCTIONS[name] = { min, max, impl, lazy };
}

type Thunk = () => Value;

// -- context ---------------------------------------------------------------------------------------

fn("user", 1, 1, (ctx, name) => {
  const user = ctx.user ?? {};
  const key = toStr(name);
  return wrap(Object.prototype.hasOwnProperty.call(user, key) ? user[key] : null);
});

fn("linked", 2, 2, (ctx, linkType, key) => {
  const record = (ctx.linked ?? {})[toStr(linkType)];
  if (typeof record !== "object" || record === null || Array.isArray(record)) return null;
  const k = toStr(key);
  return wrap(Object.prototype.hasOwnProperty.call(record, k) ? (record as Record<string, unknown>)[k] : null);
});

// -- logic -----------------------------------------------------------------------------------------

fn("if", 3, 3, (_ctx, cond: Thunk, then: Thunk, otherwise: Thunk) => (toBool(cond()) ? then() : otherwise()), true);
fn(
  "coalesce",
  2,
  null,
  (_ctx, ...thunks: Thunk[]) => {
    let value: Value = null;
    for (const thunk of thunks) {
      value = thunk();
      if (!isEmpty(value)) return value;
    }
    return value;
  },
  true,
);
fn("true", 0, 0, () => true);
fn("false", 0, 0, () => false);
fn("not", 1, 1, (_ctx, v) => !toBool(v));
fn("boolean", 1, 1, (_ctx, v) => toBool(v));
fn("boolean-from-string", 1, 1, (_ctx, v) => ["true", "1"].includes(toStr(v)));
fn("once", 1, 1, (_ctx, v) => v);

// -- numbers ---------------------------------------------------------------------------------------

fn("number", 1, 1, (_ctx, v) => normalize(toNumber(v)));
fn("int", 1, 1, (_ctx, v) => {
  const n = toNumber(v);
  return n === null ? null : normalize(Math.trunc(n));
});

/** Round half away from zero on the shortest decimal form of x (as Python's Decimal(repr(x))). */
export function roundHalfAway(x: number, digits = 0): number {
  digits = Math.max(-400, Math.min(400, digits));
  if (!Number.isFinite(x)) return x;
  const negative = x < 0 || Object.is(x, -0);
  const text = formatNumber(Math.abs(x));
  const [int, frac = ""] = text.split(".");
  let coefficient = BigInt(int + frac); // value = coefficient * 10^-frac.length
  const exponent = -frac.length;
  const target = -digits;
  if (exponent < target) {
    const k = BigInt(target - exponent);
    const scale = 10n ** k;
    const q = coefficient / scale;
    const r = coefficient % scale;
    coefficient = 2n * r >= scale ? q + 1n : q;
    const result = Number(`${coefficient}e${target}`);
    return negative ? -result : result;
  }
  return x;
}

fn("round", 1, 2, (_ctx, v, digits: Value = 0) => {
  const x = toNumber(v);
  const d = toNumber(digits);
  if (x === null || d === null) return null;
  return normalize(roundHalfAway(x, Math.trunc(d)));
});
fn("abs", 1, 1, (_ctx, v) => {
  const x = toNumber(v);
  return x === null ? null : normalize(Math.abs(x));
});
fn("floor", 1, 1, (_ctx, v) => {
  const x = toNumber(v);
  return x === null ? null : normalize(Math.floor(x));
});
fn("ceiling", 1, 1, (_ctx, v) => {
  const x = toNumber(v);
  return x === null ? null : normalize(Math.ceil(x));
});
fn("pow", 2, 2, (_ctx, base, exponent) => {
  const x = toNumber(base);
  const y = toNumber(exponent);
  if (x === null || y === null) return null;
  if (x === 1 || y === 0) return 1; // Python's math.pow(1, y) and pow(x, 0) are always 1
  return normalize(Math.pow(x, y));
});

// -- strings ---------------------------------------------------------------------------------------

fn("string", 1, 1, (_ctx, v) => toStr(v));
fn("concat", 1, null, (_ctx, ...values: Value[]) => {
  const parts: string[] = [];
  for (const v of values) {
    if (v instanceof NodeSet) for (const x of v) parts.push(toStr(x));
    else parts.push(toStr(v));
  }
  return parts.join("");
});
fn("string-length", 1, 1, (_ctx, v) => strLength(toStr(v)));
fn("contains", 2, 2, (_ctx, s, t) => toStr(s).includes(toStr(t)));
fn("starts-with", 2, 2, (_ctx, s, t) => toStr(s).startsWith(toStr(t)));
fn("ends-with", 2, 2, (_ctx, s, t) => toStr(s).endsWith(toStr(t)));

function index(v: Value, length: number): number | null {
  const n = toNumber(v);
  if (n === null) return null;
  let i = Math.trunc(n);
  if (i < 0) i += length;
  return Math.min(Math.max(i, 0), length);
}

fn("substr", 2, 3, (_ctx, s, start, end: Value = undefined) => {
  const chars = Array.from(toStr(s));
  const a = index(start, chars.length);
  const b = end === undefined ? chars.length : index(end, chars.length);
  if (a === null || b === null) return "";
  return chars.slice(a, b).join("");
});

const xpathRound = (x: number) => Math.floor(x + 0.5);

fn("substring", 2, 3, (_ctx, s, start, length: Value = undefined) => {
  const chars = Array.from(toStr(s));
  const a = toNumber(start);
  if (a === null) return "";
  const first = xpathRound(a);
  let last = Infinity;
  if (length !== undefined) {
    const n = toNumber(length);
    if (n === null) return "";
    last = first + xpathRound(n);
  }
  return chars.filter((_ch, i) => first <= i + 1 && i + 1 < last).join("");
});

fn("substring-before", 2, 2, (_ctx, s, t) => {
  const text = toStr(s);
  const i = text.indexOf(toStr(t));
  return i < 0 ? "" : text.slice(0, i);
});
fn("substring-after", 2, 2, (_ctx, s, t) => {
  const text = toStr(s);
  const sep = toStr(t);
  const i = text.indexOf(sep);
  return i < 0 ? "" : text.slice(i + sep.length);
});
fn("translate", 3, 3, (_ctx, s, src, dst) => {
  const from = Array.from(toStr(src));
  const to = Array.from(toStr(dst));
  const out: string[] = [];
  for (const ch of toStr(s)) {
    const i = from.indexOf(ch);
    if (i < 0) out.push(ch);
    else if (i < to.length) out.push(to[i]);
  }
  return out.join("");
});
fn("normalize-space", 1, 1, (_ctx, s) => toStr(s).replace(/[ \t\r\n]+/g, " ").replace(/^ +| +$/g, ""));
fn("lower", 1, 1, (_ctx, s) => toStr(s).toLowerCase());
fn("upper", 1, 1, (_ctx, s) => toStr(s).toUpperCase());

const MAX_REGEX_SUBJECT = 2000;
fn("regex", 2, 2, (_ctx, s, pattern) => {
  const re = compiledPattern(toStr(pattern));
  const text = toStr(s);
  if (re === null || strLength(text) > MAX_REGEX_SUBJECT) return false;
  return re.test(text);
});

// -- multi-select and aggregates -------------------------------------------------------------------

function selection(value: Value): string[] {
  if (value instanceof NodeSet) value = value.length ? value[0] : null;
  if (Array.isArray(value)) return value.filter((x) => !isEmpty(x)).map(toStr);
  // Python's str.split(): runs of whitespace, no empty strings.
  return toStr(value)
    .split(/[\s\u001c-\u001f\u0085]+/u)
    .filter((x) => x.length > 0);
}

fn("selected", 2, 2, (_ctx, v, code) => selection(v).includes(pyStrip(toStr(code))));
fn("count-selected", 1, 1, (_ctx, v) => selection(v).length);
fn("selected-at", 2, 2, (_ctx, v, i) => {
  const codes = selection(v);
  const n = toNumber(i);
  if (n === null || !Number.isInteger(n) || !(n >= 0 && n < codes.length)) return "";
  return codes[n];
});
fn("count", 1, 1, (_ctx, v) => (v instanceof NodeSet ? v.length : isEmpty(v) ? 0 : 1));
fn("count-non-empty", 1, 1, (_ctx, v) => items(v).filter((x) => !isEmpty(x)).length);

function numbers(values: Value[]): number[] | null {
  const out: number[] = [];
  for (const arg of values) {
    for (const v of items(arg)) {
      if (isEmpty(v)) continue;
      const n = toNumber(v);
      if (n === null) return null;
      out.push(n);
    }
  }
  return out;
}

fn("sum", 1, 1, (_ctx, v) => {
  const ns = numbers([v]);
  if (ns === null) return null;
  let total = 0;
  for (const n of ns) total += n;
  return normalize(total);
});
fn("max", 1, null, (_ctx, ...values: Value[]) => {
  const ns = numbers(values);
  return ns && ns.length ? normalize(ns.reduce((a, b) => (b > a ? b : a))) : null;
});
fn("min", 1, null, (_ctx, ...values: Value[]) => {
  const ns = numbers(values);
  return ns && ns.length ? normalize(ns.reduce((a, b) => (b < a ? b : a))) : null;
});
fn("join", 2, null, (_ctx, separator, ...values: Value[]) =>
  values
    .flatMap((arg) => items(arg))
    .map(toStr)
    .join(toStr(separator)),
);

/** Python's str.strip(): Unicode whitespace. */
function pyStrip(s: string): string {
  return s.replace(/^[\s\u001c-\u001f\u0085]+|[\s\u001c-\u001f\u0085]+$/gu, "");
}

// -- dates -----------------------------------------------------------------------------------------

function scalar(v: Value): Value {
  if (v instanceof NodeSet) return v.length ? v[0] : null;
  return v;
}

/** A calendar date from a date, a date-time (its own calendar day) or days since 1970-01-01. */
export function toDate(value: Value): PlainDate | null {
  value = scalar(value);
  if (typeof value === "boolean" || value === null || value === undefined) return null;
  const t = parseTemporal(value);
  if (t !== null) return t.kind === "datetime" ? dateOf(t) : t;
  const n = toNumber(value);
  return n === null ? null : dateFromDays(n);
}

function toDatetime(value: Value): DateTime | null {
  value = scalar(value);
  if (typeof value === "boolean" || value === null || value === undefined) return null;
  const t = parseTemporal(value);
  if (t !== null) return asInstant(t);
  const n = toNumber(value);
  return n === null ? null : datetimeFromDays(n);
}

function nowOf(ctx: EvalContext): DateTime {
  const now: Temporal = ctx.now;
  return localNow(now, ctx.tz || "UTC");
}

const today = (ctx: EvalContext): PlainDate => dateOf(nowOf(ctx));

fn("today", 0, 0, (ctx) => formatDate(today(ctx)));
fn("now", 0, 0, (ctx) => formatDatetime(nowOf(ctx)));
fn("date", 1, 1, (_ctx, v) => {
  const d = toDate(v);
  return d === null ? null : formatDate(d);
});
fn("date-time", 1, 1, (_ctx, v) => {
  const dt = toDatetime(v);
  return dt === null ? null : formatDatetime(dt);
});
fn("decimal-date-time", 1, 1, (_ctx, v) => {
  const dt = toDatetime(v);
  return dt === null ? null : normalize(daysSinceEpoch(dt));
});
fn("decimal-date", 1, 1, (_ctx, v) => {
  const d = toDate(v);
  return d === null ? null : daysSinceEpoch(d);
});

function format(value: Value, pattern: Value): string {
  value = scalar(value);
  let t: Temporal | null = parseTemporal(value);
  if (t === null) t = toDatetime(value);
  if (t === null) return "";
  const dt: DateTime = t.kind === "datetime" ? t : { ...asInstant(t) };
  return strftimeOdk(dt, toStr(pattern));
}

fn("format-date", 2, 2, (_ctx, v, p) => format(v, p));
fn("format-date-time", 2, 2, (_ctx, v, p) => format(v, p));

/** Completed months: the day of the month must have been reached. Negative iff end < start. */
export function monthsBetween(start: PlainDate, end: PlainDate): number {
  return (end.y - start.y) * 12 + (end.m - start.m) - (end.d < start.d ? 1 : 0);
}

fn("age", 1, 1, (ctx, v) => {
  const dob = toDate(v);
  return dob === null ? null : Math.floor(monthsBetween(dob, today(ctx)) / 12);
});
fn("age-months", 1, 1, (ctx, v) => {
  const dob = toDate(v);
  return dob === null ? null : monthsBetween(dob, today(ctx));
});
fn("days-between", 2, 2, (_ctx, start, end) => {
  const a = toDate(start);
  const b = toDate(end);
  return a === null || b === null ? null : dayNumber(b.y, b.m, b.d) - dayNumber(a.y, a.m, a.d);
});
fn("add-days", 2, 2, (_ctx, v, days) => {
  const d = toDate(v);
  const n = toNumber(days);
  if (d === null || n === null) return null;
  const result = civilFromDays(dayNumber(d.y, d.m, d.d) + Math.trunc(n));
  return result.y >= 1 && result.y <= 9999 ? formatDate(result) : null;
});
