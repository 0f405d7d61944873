// Dates and date-times, mirroring platform/kinga/formengine/expressions/dates.py.
//
// Canonical text forms (identical in both evaluators):
//   date      YYYY-MM-DD
//   date-time YYYY-MM-DDTHH:MM:SS.mmm+HH:MM   (always milliseconds, always a numeric offset)
// A date on its own stands for midnight UTC when it has to become an instant or a number of days.
// Years are limited to 1..9999 as in Python; anything outside is "not a date".

import { ExpressionError } from "./errors";

export interface PlainDate {
  kind: "date";
  y: number;
  m: number;
  d: number;
}

/** An aware date-time: wall-clock fields in its own UTC offset, plus microseconds. */
export interface DateTime {
  kind: "datetime";
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  us: number; // microseconds 0..999999
  offset: number; // seconds east of UTC
}

export type Temporal = PlainDate | DateTime;

const US_PER_DAY = 86_400_000_000;
// Python's \d (without re.ASCII) matches any Unicode decimal digit; so do these.
const DATE_RE = /^(\p{Nd}{4})-(\p{Nd}{2})-(\p{Nd}{2})$/u;
const DATETIME_RE =
  /^(\p{Nd}{4})-(\p{Nd}{2})-(\p{Nd}{2})T(\p{Nd}{2}):(\p{Nd}{2})(?::(\p{Nd}{2})(?:\.(\p{Nd}{1,9}))?)?(Z|[+-]\p{Nd}{2}:?\p{Nd}{2})?$/u;
const ND = /^\p{Nd}$/u;

/** int() of a run of Unicode decimal digits. */
function digitsValue(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let start = cp;
    // Decimal digits come in contiguous runs of ten starting at zero.
    while (start > 0 && cp - start < 60 && ND.test(String.fromCodePoint(start - 1))) start -= 1;
    n = n * 10 + ((cp - start) % 10);
  }
  return n;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (exact integer arithmetic). */
export function dayNumber(y: number, m: number, d: number): number {
  // Howard Hinnant's days_from_civil.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: number): PlainDate {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { kind: "date", y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function validDate(y: number, m: number, d: number): boolean {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function parseOffset(text: string | undefined): number | null {
  if (text === undefined || text === "Z") return 0;
  const t = text.replace(":", "");
  const chars = Array.from(t);
  const hours = digitsValue(chars.slice(1, 3).join(""));
  const minutes = digitsValue(chars.slice(3, 5).join(""));
  if (hours > 23 || minutes > 59) return null;
  const secs = hours * 3600 + minutes * 60;
  return t[0] === "-" ? -secs : secs;
}

/** A date or an aware date-time from an ISO string (or a Temporal); null otherwise. */
export function parseTemporal(value: unknown): Temporal | null {
  if (isTemporal(value)) return value;
  if (typeof value !== "string") return null;
  const length = codePointLength(value);
  if (length < 10 || length > 40) return null;
  let m = DATE_RE.exec(value);
  if (m) {
    const [y, mo, d] = [digitsValue(m[1]), digitsValue(m[2]), digitsValue(m[3])];
    return validDate(y, mo, d) ? { kind: "date", y, m: mo, d } : null;
  }
  m = DATETIME_RE.exec(value);
  if (!m) return null;
  const offset = parseOffset(m[8]);
  if (offset === null) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => digitsValue(m![i] ?? "0"));
  const us = digitsValue(Array.from(m[7] ?? "0").slice(0, 6).join("").padEnd(6, "0"));
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  // Python's datetime refuses offsets of a day or more, which the regex already excludes.
  return { kind: "datetime", y, m: mo, d, h, mi, s, us, offset };
}

export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) n++;
    else {
      const c2 = s.charCodeAt(i + 1);
      if (c2 >= 0xdc00 && c2 <= 0xdfff) i++;
      n++;
    }
  }
  return n;
}

export function isTemporal(v: unknown): v is Temporal {
  return typeof v === "object" && v !== null && ((v as Temporal).kind === "date" || (v as Temporal).kind === "datetime") && "y" in v;
}

/** Microseconds since the epoch as [days, microseconds within the day] (exact). */
export function instantParts(t: Temporal): [number, number] {
  if (t.kind === "date") return [dayNumber(t.y, t.m, t.d), 0];
  let day = dayNumber(t.y, t.m, t.d);
  let us = ((t.h * 60 + t.mi) * 60 + t.s - t.offset) * 1_000_000 + t.us;
  const shift = Math.floor(us / US_PER_DAY);
  day += shift;
  us -= shift * US_PER_DAY;
  return [day, us];
}

export function compareInstants(a: Temporal, b: Temporal): number {
  const [da, ua] = instantParts(a);
  const [db, ub] = instantParts(b);
  return da !== db ? da - db : ua - ub;
}

export function asInstant(t: Temporal): DateTime {
  if (t.kind === "datetime") return t;
  return { kind: "datetime", y: t.y, m: t.m, d: t.d, h: 0, mi: 0, s: 0, us: 0, offset: 0 };
}

export function daysSinceEpoch(t: Temporal): number {
  if (t.kind === "date") return dayNumber(t.y, t.m, t.d);
  const [day, us] = instantParts(t);
  return (day * US_PER_DAY + us) / US_PER_DAY;
}

export function dateFromDays(days: number): PlainDate | null {
  const d = civilFromDays(Math.floor(days));
  return d.y >= 1 && d.y <= 9999 ? d : null;
}

/** A UTC date-time from (fractional) days since the epoch, rounded to microseconds like timedelta. */
export function datetimeFromDays(days: number): DateTime | null {
  if (!Number.isFinite(days) || Math.abs(days) > 4_000_000) return null;
  let day = Math.floor(days);
  let us = roundHalfEven((days - day) * US_PER_DAY);
  if (us >= US_PER_DAY) {
    day += 1;
    us -= US_PER_DAY;
  }
  return fromUtcParts(day, us, 0);
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A date-time with the given offset for the instant [day, us] (UTC). Null outside years 1..9999. */
export function fromUtcParts(day: number, us: number, offset: number): DateTime | null {
  let local = us + offset * 1_000_000;
  let d = day;
  const shift = Math.floor(local / US_PER_DAY);
  d += shift;
  local -= shift * US_PER_DAY;
  const date = civilFromDays(d);
  if (date.y < 1 || date.y > 9999) return null;
  const secs = Math.floor(local / 1_000_000);
  return {
    kind: "datetime",
    y: date.y,
    m: date.m,
    d: date.d,
    h: Math.floor(secs / 3600),
    mi: Math.floor((secs % 3600) / 60),
    s: secs % 60,
    us: local % 1_000_000,
    offset,
  };
}

/** The calendar date of a date-time in its own offset. */
export function dateOf(t: Temporal): PlainDate {
  return { kind: "date", y: t.y, m: t.m, d: t.d };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export function formatDate(d: { y: number; m: number; d: number }): string {
  return `${pad(d.y, 4)}-${pad(d.m)}-${pad(d.d)}`;
}

export function formatDatetime(t: DateTime): string {
  const sign = t.offset < 0 ? "-" : "+";
  const minutes = Math.floor(Math.abs(Math.trunc(t.offset)) / 60);
  return (
    `${formatDate(t)}T${pad(t.h)}:${pad(t.mi)}:${pad(t.s)}.${pad(Math.floor(t.us / 1000), 3)}` +
    `${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
  );
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(tz: string): Intl.DateTimeFormat {
  let f = zoneFormatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: tz,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
        era: "short",
      });
    } catch {
      throw new ExpressionError(`Unknown time zone '${tz}'`, "bad_timezone");
    }
    zoneFormatters.set(tz, f);
  }
  return f;
}

/** `now` seen in time zone `tz` (an IANA name), as Python's astimezone(ZoneInfo(tz)). */
export function localNow(now: Temporal, tz: string): DateTime {
  const [day, us] = instantParts(now);
  const zone = tz || "UTC";
  if (zone === "UTC") return fromUtcParts(day, us, 0)!;
  const f = zoneFormatter(zone);
  const ms = day * 86_400_000 + Math.floor(us / 1000);
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === "BC" || parts.era === "B") year = 1 - year;
  const localSecs =
    dayNumber(year, Number(parts.month), Number(parts.day)) * 86400 +
    Number(parts.hour) * 3600 +
    Number(parts.minute) * 60 +
    Number(parts.second);
  const utcSecs = Math.floor(ms / 1000);
  const offset = localSecs - utcSecs;
  return fromUtcParts(day, us, offset)!;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** ODK format-date directives; English names; unknown directives are copied as written. */
export function strftimeOdk(t: DateTime, pattern: string): string {
  const chars = Array.from(pattern);
  const out: string[] = [];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i];
    if (ch !== "%" || i + 1 >= chars.length) {
      out.push(ch);
      i += 1;
      continue;
    }
    const d = chars[i + 1];
    i += 2;
    const weekday = (((dayNumber(t.y, t.m, t.d) + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday (3)
    const table: Record<string, string> = {
      Y: pad(t.y, 4),
      y: pad(t.y % 100),
      m: pad(t.m),
      n: String(t.m),
      b: MONTHS[t.m - 1],
      d: pad(t.d),
      e: String(t.d),
      H: pad(t.h),
      h: String(t.h),
      M: pad(t.mi),
      S: pad(t.s),
      "3": pad(Math.floor(t.us / 1000), 3),
      a: DAYS[weekday],
      "%": "%",
    };
    out.push(Object.prototype.hasOwnProperty.call(table, d) ? table[d] : "%" + d);
  }
  return out.join("");
}
