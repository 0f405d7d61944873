// Every conformance vector of tests/formengine/expression_vectors.json, run against the TypeScript
// evaluator. ASTs come from the vector file and from vectors.ast.json (exported by the Python parser:
// frontend/scripts/export-asts.py), which must agree.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Ast, evaluate } from "./evaluator";
import { ExpressionError } from "./errors";
import { NodeSet } from "./values";
import exported from "./vectors.ast.json";

interface Vector {
  id: string;
  expr: string;
  ast?: Ast;
  data?: Record<string, unknown>;
  row?: Record<string, unknown> | null;
  parents?: Record<string, string>;
  current?: unknown;
  now: string;
  tz?: string;
  user?: Record<string, unknown>;
  linked?: Record<string, unknown>;
  expect?: unknown;
  error?: string;
  column?: number;
  expected?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const file = resolve(here, "../../../tests/formengine/expression_vectors.json");
const raw = readFileSync(file);
const doc = JSON.parse(raw.toString("utf-8")) as { version: number; vectors: Vector[] };
const asts = (exported as { asts: Record<string, { ast?: Ast; error?: string; column?: number; expected?: string | null }> }).asts;

const TOLERANCE = 1e-9;

/** The vector file's equality: numbers within 1e-9, everything else exact. */
function same(actual: unknown, expected: unknown): boolean {
  if (actual instanceof NodeSet) actual = [...actual];
  if (typeof expected === "boolean" || typeof actual === "boolean") return actual === expected;
  if (typeof expected === "number" && typeof actual === "number") return Math.abs(actual - expected) <= TOLERANCE;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return actual.length === expected.length && actual.every((a, i) => same(a, expected[i]));
  }
  if (expected === null) return actual === null || actual === undefined;
  if (typeof expected === "object" && typeof actual === "object" && actual !== null) {
    return JSON.stringify(actual) === JSON.stringify(expected);
  }
  return actual === expected;
}

describe("expression conformance vectors", () => {
  it("the vector file and the AST export agree", () => {
    expect(doc.version).toBe(1);
    const stale = "vectors.ast.json is stale: run PYTHONPATH=platform .venv/bin/python frontend/scripts/export-asts.py";
    expect((exported as { source: string }).source, stale).toBe(createHash("sha256").update(raw).digest("hex"));
    const missing = doc.vectors.filter((v) => !(v.id in asts)).map((v) => v.id);
    expect(missing, "vectors.ast.json is stale: run frontend/scripts/export-asts.py").toEqual([]);
  });

  for (const vec of doc.vectors) {
    if (vec.error !== undefined) {
      it(`${vec.id}: ${vec.expr} -> parse error ${vec.error}`, () => {
        const out = asts[vec.id];
        expect(out?.error).toBe(vec.error);
        if (vec.column !== undefined) expect(out?.column).toBe(vec.column);
        if (vec.expected !== undefined) expect(out?.expected).toBe(vec.expected);
      });
      continue;
    }
    it(`${vec.id}: ${vec.expr}`, () => {
      const ast = vec.ast ?? asts[vec.id]?.ast;
      expect(ast, "no AST for this vector").toBeTruthy();
      if (vec.ast && asts[vec.id]?.ast) expect(asts[vec.id].ast).toEqual(vec.ast);
      let result: unknown;
      try {
        result = evaluate(ast!, {
          data: vec.data,
          row: vec.row ?? null,
          parents: vec.parents,
          current: vec.current,
          now: vec.now,
          tz: vec.tz,
          user: vec.user,
          linked: vec.linked,
        });
      } catch (e) {
        if (e instanceof ExpressionError) throw new Error(`evaluation failed: ${e.code}: ${e.message}`);
        throw e;
      }
      if (!same(result, vec.expect)) {
        expect.fail(`got ${JSON.stringify(result)}, expected ${JSON.stringify(vec.expect)}`);
      }
    });
  }
});
