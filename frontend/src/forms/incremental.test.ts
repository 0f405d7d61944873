// The incremental form engine (incremental.ts) against the full evaluation (runEngine): the same
// result after every edit of random edit sequences, on the test configurations and on random ones
// (cycles, long chains, subforms and nested subforms, clock functions included); and it evaluates
// only what an edit can change.
import { describe, expect, it } from "vitest";
import type { Config, Field, Section } from "../api/types";
import { FUNCTIONS, makeContext } from "../expressions";
import { NodeSet } from "../expressions/values";
import { type Data, type EngineOptions, type EngineResult, runEngine } from "./engine";
import { CLOCK_FUNCTIONS, DAY_FUNCTIONS, FormEngine, INSTANT_FUNCTIONS, engineFor, same } from "./incremental";
import { bigConfig, testConfig } from "./testConfig";

const NOW = "2026-03-15T10:00:00Z";
const OPTS: EngineOptions = { now: NOW, tz: "UTC", lang: "en" };

/** A small seeded generator (mulberry32), so a failure names the seed that reproduces it. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

function expectSame(inc: EngineResult, full: EngineResult, where: string) {
  // Key order too (the settle check and the renderer's indexes see it), and NodeSet vs Array.
  expect(JSON.stringify(inc), where).toBe(JSON.stringify(full));
  expect(inc, where).toStrictEqual(full);
}

// -- values an edit may set, per field type (valid, invalid and empty) ----------------------------------

const POOL: Record<string, unknown[]> = {
  text: ["a", "zzz", " padded ", "12", "2020-01-01", "skip", "", "Amina"],
  textarea: ["line", "", "x y"],
  integer: [0, 5, 17, 18, 30, 120, -3, "7", "x", "1.5", 1.5],
  decimal: [0, 2.5, "3.25", "abc", -1],
  yes_no: ["yes", "no", "unknown"],
  select_one: ["a", "b", "c", "bn_a", "f", "m"],
  select_multiple: [["a"], ["a", "b"], [], ["neglect"]],
  date: ["2010-05-06", "2016-03-16", "2030-01-01", "2000-01-01", "bad"],
  tick_box: [true, false],
  location: ["XC-N", "XC-N-1", "nowhere"],
  calculated: [1, "stale", 99],
  note: ["ignored"],
};

function randomValue(r: Rng, f: Field, depth = 0): unknown {
  if (r.chance(0.12)) return null; // cleared
  if (f.type === "subform") {
    if (depth > 2) return null;
    const n = r.int(4);
    return Array.from({ length: n }, () => {
      const row: Data = {};
      for (const c of f.fields ?? []) if (r.chance(0.7)) {
        const v = randomValue(r, c, depth + 1);
        if (v !== null) row[c.key] = v;
      }
      return row;
    });
  }
  return r.pick(POOL[f.type] ?? POOL.text);
}

/** Top-level fields (with their row fields) of a record type, for picking edits. */
function topFields(config: Config, recordType: string): Field[] {
  return config.record_types[recordType].forms.flatMap((id) => config.forms[id].sections.flatMap((s) => s.fields));
}

/** Apply `steps` random edits, comparing incremental and full evaluation after each one. */
function runEdits(config: Config, recordType: string, seed: number, steps: number, start: Data = {}, clocks?: string[]) {
  const r = rng(seed);
  const engine = new FormEngine(config, recordType, OPTS);
  // With `clocks`, each step runs at one of these times (the same for both evaluations).
  const full = (data: Data, now: string) => runEngine(config, recordType, data, { ...OPTS, now });
  const fields = topFields(config, recordType);
  const history: Data[] = [start];
  let data: Data = start;
  expectSame(engine.run(data), full(data, NOW), `seed ${seed} start`);
  for (let step = 0; step < steps; step++) {
    if (r.chance(0.1)) {
      data = r.pick(history); // back to an earlier state (undo, a restored draft)
    } else {
      const f = r.pick(fields);
      const v = randomValue(r, f);
      data = { ...data };
      if (v === null) delete data[f.key];
      else data[f.key] = v;
      // Sometimes edit a single row in place of the rows, the way the subform widget does.
      if (f.type === "subform" && Array.isArray(v) && v.length && r.chance(0.5)) {
        const rows = v as Data[];
        const i = r.int(rows.length);
        data[f.key] = rows.map((row, j) => (j === i ? { ...row, ...(randomValue(r, f) as Data[] | null)?.[0] } : row));
      }
      history.push(data);
    }
    const now = clocks ? r.pick(clocks) : NOW;
    expectSame(engine.run(data, { now }), full(data, now), `seed ${seed} step ${step} at ${now}: ${JSON.stringify(data)}`);
  }
}

describe("incremental engine = full evaluation", () => {
  it("on the test configuration, over random edits", () => {
    for (let seed = 1; seed <= 40; seed++) runEdits(testConfig, "case", seed, 40);
  });

  it("on the benchmark's 300-field form, over random edits", () => {
    const config = bigConfig();
    for (let seed = 1; seed <= 4; seed++) runEdits(config, "case", seed, 60);
  });

  it("on random configurations (cycles, long chains, nested subforms, clock functions)", () => {
    for (let seed = 1; seed <= 150; seed++) {
      const config = randomConfig(seed);
      runEdits(config, "case", seed * 7919, 25);
    }
  });

  it("on random configurations while the clock moves (within a day, across days)", () => {
    const clocks = ["2026-03-15T10:00:00Z", "2026-03-15T10:00:00.001Z", "2026-03-15T23:59:59Z", "2026-03-16T00:00:00Z", "2030-01-01T00:00:00Z"];
    for (let seed = 1; seed <= 60; seed++) runEdits(randomConfig(seed + 1000), "case", seed, 20, {}, clocks);
    for (let seed = 1; seed <= 10; seed++) runEdits(testConfig, "case", seed + 500, 30, {}, clocks);
  });

  it("when the time moves between runs (clock functions are evaluated again)", () => {
    const engine = new FormEngine(testConfig, "case", { tz: "UTC" });
    const data = { date_of_birth: "2008-03-15", name_first: "A" };
    for (const now of ["2026-03-14T23:59:59Z", "2026-03-15T00:00:00Z", "2026-03-15T00:00:01Z", "2027-01-01T00:00:00Z"]) {
      const inc = engine.run(data, { now });
      expectSame(inc, runEngine(testConfig, "case", data, { tz: "UTC", now }), now);
    }
    // A calculation reading the instant, and the date in the engine's time zone.
    const clockConfig: Config = {
      ...testConfig,
      forms: {
        reg: {
          ...testConfig.forms.reg,
          sections: [
            {
              id: "clock",
              label: { en: "Clock" },
              fields: [
                { key: "stamp", type: "calculated", label: { en: "Now" }, calculation: { src: "now()", ast: { op: "call", fn: "now", args: [] } } },
                { key: "day", type: "calculated", label: { en: "Today" }, calculation: { src: "today()", ast: { op: "call", fn: "today", args: [] } } },
              ],
            },
          ],
        },
      },
    };
    const nairobi = new FormEngine(clockConfig, "case", { tz: "Africa/Nairobi" });
    for (const now of ["2026-03-14T20:00:00Z", "2026-03-14T20:59:59Z", "2026-03-14T21:00:00Z", "2026-03-14T21:00:01Z"]) {
      const inc = nairobi.run({}, { now });
      expectSame(inc, runEngine(clockConfig, "case", {}, { tz: "Africa/Nairobi", now }), now);
    }
    expect(nairobi.run({}, { now: "2026-03-14T20:59:59Z" }).values.day).toBe("2026-03-14");
    expect(nairobi.run({}, { now: "2026-03-14T21:00:00Z" }).values.day).toBe("2026-03-15");
    // 17 the day before the 18th birthday, 18 on it: the section "More" closes.
    expect(engine.run(data, { now: "2026-03-14T12:00:00Z" }).values.age).toBe(17);
    expect(engine.run(data, { now: "2026-03-15T12:00:00Z" }).values.age).toBe(18);
  });
});

describe("incremental engine evaluates only what an edit can change", () => {
  it("a keystroke in bn_name: the name and the 7 expressions that read it", () => {
    const config = bigConfig();
    const engine = new FormEngine(config, "case", OPTS);
    let data: Data = { bn_age: 7 };
    engine.run(data);
    const fields = topFields(config, "case").length;
    expect(fields).toBe(300);
    expect(engine.stats.computed).toBeGreaterThanOrEqual(fields);
    const readers = ["bn_name", "bn_name_len", "bn_in_school", "bn_s3_f9", "bn_s4_f9", "bn_s5_f9", "bn_s6_f9", "bn_s7_f9"];
    for (const text of ["A", "Am", "Ami", "Amin", "Amina"]) {
      data = { ...data, bn_name: text };
      const r = engine.run(data);
      expect(r.values.bn_name_len).toBe(text.length);
      // Pass 1 evaluates the name, its length, the 5 calculations adding the length and bn_in_school's
      // relevance; pass 2 (the values settle) finds every field's inputs seen before.
      expect([...engine.stats.computedKeys].sort()).toEqual(readers.sort());
      expect(engine.stats.computed).toBe(readers.length);
      expect(engine.stats.reused).toBe(engine.stats.passes * fields - readers.length);
      // Checks: bn_name and bn_name_len, whose values changed.
      expect(engine.stats.checked).toBe(2);
      expectSame(r, runEngine(config, "case", data, OPTS), text);
    }
  });

  it("an edit nothing reads re-evaluates that field alone", () => {
    const engine = new FormEngine(testConfig, "case", OPTS);
    const data: Data = { name_first: "A", date_of_birth: "2016-03-16", household: [{ member_name: "B", member_age: 4 }] };
    engine.run(data);
    engine.run({ ...data, name_last: "K" });
    expect(engine.stats.computed).toBe(1);
    expect(engine.stats.checked).toBe(1);
  });

  it("a subform row edit re-evaluates the subform and what reads its column", () => {
    const engine = new FormEngine(testConfig, "case", OPTS);
    const data: Data = { date_of_birth: "2016-03-16", household: [{ member_name: "B", member_age: 4 }] };
    engine.run(data);
    const next = { ...data, household: [{ member_name: "B", member_age: 40 }] };
    const r = engine.run(next);
    expect(r.relevant["household[0].member_school"]).toBe(false);
    // household itself (in each pass its inputs are new) and household_size (count of its rows).
    expect([...engine.stats.computedKeys].sort()).toEqual(["household", "household_size"]);
    expectSame(r, runEngine(testConfig, "case", next, OPTS), "row edit");
  });

  it("one engine per configuration, record type and language, kept from one form page to the next", () => {
    const opts = () => OPTS;
    const a = engineFor(testConfig, "case", "en", opts);
    expect(engineFor(testConfig, "case", "en", opts)).toBe(a);
    expect(engineFor(testConfig, "case", "fr", opts)).not.toBe(a);
    expect(engineFor({ ...testConfig }, "case", "en", opts)).not.toBe(a);
    const data: Data = { name_first: "A", date_of_birth: "2016-03-16" };
    a.run(data);
    a.run({ ...data }); // the same values again (another page, the same draft): nothing to evaluate
    expect(a.stats.computed).toBe(0);
    expect(a.stats.checked).toBe(0);
  });

  it("same(): equal data, not equal look-alikes", () => {
    expect(same([1, { a: 2 }], [1, { a: 2 }])).toBe(true);
    expect(same({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false); // key order counts
    expect(same(NodeSet.of2([1]), [1])).toBe(false);
    expect(same(0, -0)).toBe(false);
    expect(same(new Date(0), new Date(0))).toBe(false);
    expect(same(null, undefined)).toBe(false);
  });
});

describe("CLOCK_FUNCTIONS", () => {
  // The incremental engine keeps an evaluation until its inputs change; the time is an input only
  // of expressions calling one of CLOCK_FUNCTIONS. Any other function must not read ctx.now.
  const SAMPLES: unknown[] = [null, "", "2020-02-29", "2020-02-29T10:30:00+02:00", 3, -1.5, "abc", "1", true, NodeSet.of2(["a", "b"]), NodeSet.of2([])];
  const at = (now: string) => makeContext({ now, tz: "Africa/Nairobi" });
  const call = (name: string, args: unknown[], ctx: ReturnType<typeof at>) => {
    const spec = FUNCTIONS[name];
    try {
      const v = spec.lazy ? spec.impl(ctx, ...args.map((a) => () => a)) : spec.impl(ctx, ...args);
      return JSON.stringify(v instanceof NodeSet ? ["nodeset", ...v] : v) ?? "undefined";
    } catch (e) {
      return `throws ${(e as Error).message}`;
    }
  };

  /** The functions whose result differs between the two clocks for some arguments. */
  function differing(nowA: string, nowB: string): string[] {
    const r = rng(11);
    const a = at(nowA);
    const b = at(nowB);
    const out: string[] = [];
    for (const name of Object.keys(FUNCTIONS)) {
      const spec = FUNCTIONS[name];
      const max = spec.max === null ? spec.min + 3 : spec.max;
      for (let trial = 0; trial < 80; trial++) {
        const n = spec.min + r.int(max - spec.min + 1);
        const args = Array.from({ length: n }, () => r.pick(SAMPLES));
        if (call(name, args, a) !== call(name, args, b)) {
          out.push(name);
          break;
        }
      }
    }
    return out.sort();
  }

  it("lists every function whose result depends on the time", () => {
    expect(differing("2026-03-15T10:00:00Z", "2031-11-02T23:30:00Z")).toEqual([...CLOCK_FUNCTIONS].sort());
  });

  it("within one local day only INSTANT_FUNCTIONS change (the others read the date)", () => {
    // 2026-03-15 in Nairobi (UTC+3): from 00:00 to 23:59 local time.
    expect(differing("2026-03-14T21:00:00Z", "2026-03-15T20:59:59Z")).toEqual([...INSTANT_FUNCTIONS].sort());
    expect([...DAY_FUNCTIONS, ...INSTANT_FUNCTIONS].sort()).toEqual([...CLOCK_FUNCTIONS].sort());
  });
});

// -- random configurations --------------------------------------------------------------------------------

const TYPES = ["text", "integer", "decimal", "yes_no", "select_one", "select_multiple", "date", "calculated", "calculated", "tick_box", "note", "subform"];
const ROW_TYPES = ["text", "integer", "yes_no", "date", "calculated", "select_one"];
const CALL_SPECS: [string, number][] = [
  ["if", 3],
  ["coalesce", 2],
  ["string-length", 1],
  ["concat", 2],
  ["count", 1],
  ["sum", 1],
  ["not", 1],
  ["today", 0],
  ["age", 1],
  ["selected", 2],
  ["count-selected", 1],
  ["number", 1],
  ["int", 1],
  ["max", 2],
  ["boolean", 1],
  ["days-between", 2],
];

/** A random expression AST over `keys` (top-level keys, the row's keys in a row, an unknown key). */
function randomAst(r: Rng, keys: string[], withCur: boolean, depth = 0): unknown {
  const leaf = depth >= 3 || r.chance(0.35);
  if (leaf) {
    const k = r.next();
    if (k < 0.55 && keys.length) return { op: "ref", key: r.pick(keys) };
    if (k < 0.62) return { op: "ref", key: "no_such_field" };
    if (withCur && k < 0.75) return { op: "cur" };
    return { op: "lit", value: r.pick([0, 1, 5, 18, "yes", "a", "", "2016-01-01", true] as const) };
  }
  const k = r.next();
  if (k < 0.35) {
    return { op: "bin", fn: r.pick(["+", "-", "*", "div", "mod", "=", "!=", "<", "<=", ">", ">="]), left: randomAst(r, keys, withCur, depth + 1), right: randomAst(r, keys, withCur, depth + 1) };
  }
  if (k < 0.45) return { op: r.pick(["and", "or"] as const), args: [randomAst(r, keys, withCur, depth + 1), randomAst(r, keys, withCur, depth + 1)] };
  if (k < 0.5) return { op: "neg", arg: randomAst(r, keys, withCur, depth + 1) };
  const [fn, n] = r.pick(CALL_SPECS);
  return { op: "call", fn, args: Array.from({ length: n }, () => randomAst(r, keys, withCur, depth + 1)) };
}

const ex = (ast: unknown) => ({ src: JSON.stringify(ast), ast: ast as any });

function randomConfig(seed: number): Config {
  const r = rng(seed);
  const n = 6 + r.int(14);
  const topKeys = Array.from({ length: n }, (_, i) => `f${i}`);
  const fields: Field[] = [];
  const rowKeysOf: string[] = [];

  const decorate = (f: Field, keys: string[]) => {
    if (f.type === "calculated") {
      f.calculation = ex(randomAst(r, keys, false));
      if (r.chance(0.6)) f.params = { result: r.pick(["integer", "number", "string", "boolean"]) };
    }
    if (r.chance(0.35)) f.relevant = ex(randomAst(r, keys, false));
    if (f.type !== "calculated" && f.type !== "note") {
      if (r.chance(0.2)) f.required = true;
      else if (r.chance(0.15)) f.required = ex(randomAst(r, keys, false));
      if (r.chance(0.25)) f.constraint = ex(randomAst(r, keys, true));
    }
    if (r.chance(0.15)) f.warnings = [{ id: `w_${f.key}`, expr: ex(randomAst(r, keys, true)), message: { en: `Check ${f.key}` } }];
    if (r.chance(0.1)) f.keep_when_irrelevant = true;
    if (r.chance(0.05)) f.hidden = true;
    if (f.type === "integer" && r.chance(0.3)) f.params = { min: 0, max: 20 };
    if (f.type === "text" && r.chance(0.2)) f.params = { max_length: 3 };
  };

  const subforms: Field[] = [];
  for (const key of topKeys) {
    const type = r.pick(TYPES);
    const f: Field = { key, type, label: { en: key } };
    if (type === "subform") {
      const m = 1 + r.int(3);
      f.fields = Array.from({ length: m }, (_, j) => ({ key: `${key}_c${j}`, type: r.pick(ROW_TYPES), label: { en: `${key} ${j}` } }));
      if (r.chance(0.3)) {
        // a nested subform
        f.fields.push({ key: `${key}_sub`, type: "subform", label: { en: "nested" }, fields: [{ key: `${key}_sub_x`, type: r.pick(ROW_TYPES), label: { en: "x" } }] });
      }
      subforms.push(f);
      for (const c of f.fields) {
        rowKeysOf.push(c.key);
        for (const g of c.fields ?? []) rowKeysOf.push(g.key);
      }
    }
    fields.push(f);
  }
  const allKeys = [...topKeys, ...rowKeysOf];
  for (const f of fields) {
    decorate(f, allKeys);
    if (f.type === "subform") {
      const own = [...(f.fields ?? []).map((c) => c.key), ...topKeys];
      for (const c of f.fields ?? []) {
        decorate(c, own);
        for (const g of c.fields ?? []) decorate(g, [...own, g.key]);
      }
    }
  }
  // Two forms, the first with two sections (one conditional).
  const cut = Math.max(1, Math.floor(fields.length / 3));
  const sections: Section[] = [
    { id: "s1", label: { en: "One" }, fields: fields.slice(0, cut) },
    { id: "s2", label: { en: "Two" }, fields: fields.slice(cut, 2 * cut), relevant: r.chance(0.5) ? ex(randomAst(r, topKeys, false)) : undefined, hidden: r.chance(0.1) },
  ];
  return {
    languages: ["en"],
    default_language: "en",
    record_types: { case: { id: "case", module: "child_protection", label: { en: "Case" }, forms: ["a", "b"] } },
    forms: {
      a: { id: "a", record_type: "case", label: { en: "A" }, sections },
      b: { id: "b", record_type: "case", label: { en: "B" }, sections: [{ id: "s3", label: { en: "Three" }, fields: fields.slice(2 * cut) }] },
    },
    lookups: {},
  };
}
