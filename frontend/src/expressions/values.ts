// Value model and coercions, rule for rule as platform/kinga/formengine/expressions/values.py.
//
// Values are: null, boolean, number, string, plain arrays (a multi-select answer: a list of codes),
// row objects, and NodeSet (one field's values across subform rows, or the rows of a subform).
// Python keeps int and float apart; here every number is a double, and normalize() makes computed
// numbers look the same in both (integral results print without a fraction either way).

import { codePointLength, daysSinceEpoch, formatDate, formatDatetime, isTemporal, parseTemporal } from "./dates";

export type Value = unknown;

/** Values of one field across subform rows (or the rows of a subform). Like Python, a NodeSet is also a list. */
export class NodeSet extends Array<unknown> {
  static of2(items: readonly unknown[]): NodeSet {
    const n = new NodeSet();
    for (const x of items) n.push(x);
    return n;
  }
}

export const MAX_SAFE_INTEGER = 2 ** 53;
const NUMBER_RE = /^[ \t\r\n]*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))[ \t\r\n]*$/;

export const isBool = (v: Value): v is boolean => typeof v === "boolean";
export const isList = (v: Value): v is unknown[] => Array.isArray(v);
export const isRow = (v: Value): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !isTemporal(v);

export function isEmpty(v: Value): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "string") return v.length === 0;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "number") return !Number.isFinite(v);
  return false;
}

/** Computed numbers: non-finite -> null; -0 -> 0. */
export function normalize(x: number | null): number | null {
  if (x === null) return null;
  if (!Number.isFinite(x)) return null;
  return x === 0 ? 0 : x;
}

/** XPath truthiness: empty, 0 and NaN are false; any non-empty string (even 'false') is true. */
export function toBool(v: Value): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return !Number.isNaN(v) && v !== 0;
  if (typeof v === "string") return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** A number, or null when the value is empty or not a number (where XPath would give NaN). */
export function toNumber(v: Value): number | null {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string") {
    const m = NUMBER_RE.exec(v);
    if (m) return Number(m[1]); // as Python's float(): a 400-digit text is infinity
    const t = parseTemporal(v);
    return t !== null ? daysSinceEpoch(t) : null;
  }
  if (v instanceof NodeSet) return v.length ? toNumber(v[0]) : null;
  if (Array.isArray(v)) return toNumber(toStr(v));
  if (isTemporal(v)) return daysSinceEpoch(v);
  return null;
}

/** Shortest round-trip digits in plain positional notation (no exponent), as XPath string(). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return "";
  if (x === 0) return "0";
  const text = String(x);
  const e = text.indexOf("e");
  if (e < 0) return text;
  // Expand "d.ddde±N" into positional notation.
  const negative = text[0] === "-";
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exp = Number(text.slice(e + 1));
  const [int, frac = ""] = mantissa.split(".");
  const digits = int + frac;
  const point = int.length + exp;
  let out: string;
  if (point <= 0) out = "0." + "0".repeat(-point) + digits;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = digits.slice(0, point) + "." + digits.slice(point);
  return (negative ? "-" : "") + out;
}

export function toStr(v: Value): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return v;
  if (v instanceof NodeSet) return v.length ? toStr(v[0]) : "";
  if (Array.isArray(v)) return v.map(toStr).join(" ");
  if (isTemporal(v)) return v.kind === "date" ? formatDate(v) : formatDatetime(v);
  return "";
}

/** The individual values an aggregate sees: a NodeSet's members, a multi-select's codes, or the value itself. */
export function items(v: Value): unknown[] {
  if (Array.isArray(v)) return [...v];
  return [v];
}

/** A data value as the evaluator sees it: a list of row objects becomes a NodeSet of rows. */
export function wrap(v: Value): Value {
  if (v === undefined) return null;
  if (Array.isArray(v) && !(v instanceof NodeSet) && v.length && v.every(isRow)) return NodeSet.of2(v);
  return v;
}

/** Python's ordering of str: by code point (JS compares UTF-16 code units). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

export const strLength = codePointLength;
export { parseTemporal };
