// The builder's state logic, free of the DOM and of the network so Vitest covers it: texts per
// language, keys, positions for move operations, params inputs generated from a type's JSON Schema,
// field changes, expression autocomplete, declared migrations from a diff, and the preview as a role.
// The server stays the judge of everything: these helpers only prepare what is sent.
import type { Config, Field as ConfigField } from "../api/types";
import type {
  BField,
  BForm,
  BOption,
  BRole,
  BSection,
  DiffChange,
  DraftStructure,
  FieldType,
  FunctionSpec,
  KeyInfo,
  Problem,
  Text,
} from "./types";

// -- texts ----------------------------------------------------------------------------------------------
/** One language of a translatable text; a plain string is the pack's default language. */
export function textIn(value: Text | null | undefined, lang: string, defaultLang: string): string {
  if (value == null) return "";
  if (typeof value === "string") return lang === defaultLang ? value : "";
  return value[lang] ?? "";
}

/** The text with one language set (or removed when blank), always as a {lang: text} mapping;
 * null when no language is left (the attribute goes back to its default). */
export function withText(value: Text | null | undefined, lang: string, text: string, defaultLang: string): Record<string, string> | null {
  const out: Record<string, string> = typeof value === "string" ? { [defaultLang]: value } : { ...(value ?? {}) };
  if (text.trim()) out[lang] = text;
  else delete out[lang];
  return Object.keys(out).length ? out : null;
}

/** The best text to show for an element in the UI language. */
export function display(value: Text | null | undefined, lang: string, defaultLang: string): string {
  if (value == null) return "";
  if (typeof value === "string") return value;
  return value[lang] || value[defaultLang] || Object.values(value)[0] || "";
}

// -- keys and ids ---------------------------------------------------------------------------------------
const ID_RE = /^[a-z][a-z0-9_]{0,62}$/;
export const isValidId = (id: string) => ID_RE.test(id);

/** lowercase words joined by _ (accents dropped), starting with a letter. */
export function slug(text: string, max = 40): string {
  const s = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, max)
    .replace(/_+$/g, "");
  return /^[a-z]/.test(s) ? s : s ? `f_${s}` : "";
}

/** A key for a new element from its label: `<namespace>_<slug>`, unique among `taken`. */
export function suggestKey(labelText: string, namespace: string, taken: Iterable<string> = []): string {
  const used = new Set(taken);
  let base = slug(labelText) || "field";
  if (namespace && !base.startsWith(`${namespace}_`)) base = `${namespace}_${base}`;
  base = base.slice(0, 60);
  let key = base;
  for (let n = 2; used.has(key); n++) key = `${base}_${n}`;
  return key;
}

// -- positions ------------------------------------------------------------------------------------------
export const START = "@start";

/** The `after` value that puts the element now at `from` at index `to` of the list once moved. */
export function afterFor(ids: string[], from: number, to: number): string {
  const rest = ids.filter((_id, i) => i !== from);
  const target = Math.max(0, Math.min(to, rest.length));
  return target === 0 ? START : rest[target - 1];
}

/** `after` for moving one step up (-1) or down (+1); null when it cannot move that way. */
export function afterForStep(ids: string[], index: number, delta: -1 | 1): string | null {
  const to = index + delta;
  if (index < 0 || to < 0 || to >= ids.length) return null;
  return afterFor(ids, index, to);
}

/** The list reordered as the server will reorder it (for an optimistic display and for tests). */
export function applyAfter<T>(items: T[], ident: (t: T) => string, id: string, after: string): T[] {
  const item = items.find((t) => ident(t) === id);
  if (item === undefined) return items;
  const rest = items.filter((t) => ident(t) !== id);
  if (after === START) return [item, ...rest];
  const pos = rest.findIndex((t) => ident(t) === after);
  if (pos < 0) return [...rest, item];
  return [...rest.slice(0, pos + 1), item, ...rest.slice(pos + 1)];
}

// -- params generated from a JSON Schema -------------------------------------------------------------------
export type ParamKind = "integer" | "number" | "string" | "boolean" | "enum" | "list" | "json";
export interface ParamSpec {
  name: string;
  kind: ParamKind;
  /** For lists: the kind of each item. */
  item?: "integer" | "number" | "string";
  options?: string[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  description?: string;
}

export function paramSpecs(schema: FieldType["params_schema"] | undefined): ParamSpec[] {
  const props = (schema?.properties ?? {}) as Record<string, any>;
  return Object.entries(props).map(([name, p]) => {
    const base = { name, description: p?.description, minimum: p?.minimum, maximum: p?.maximum, pattern: p?.pattern };
    if (Array.isArray(p?.enum)) return { ...base, kind: "enum" as const, options: p.enum.map(String) };
    switch (p?.type) {
      case "integer":
      case "number":
      case "string":
      case "boolean":
        return { ...base, kind: p.type as ParamKind };
      case "array": {
        const item = p.items?.type;
        if (item === "integer" || item === "number" || item === "string") return { ...base, kind: "list" as const, item };
        return { ...base, kind: "json" as const };
      }
      default:
        return { ...base, kind: "json" as const };
    }
  });
}

/** The text an input shows for a param value. */
export function formatParam(spec: ParamSpec, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (spec.kind === "list" && Array.isArray(value)) return value.join(", ");
  if (spec.kind === "json") return JSON.stringify(value);
  return String(value);
}

/** The value for a param typed in an input: {value} (undefined = not set) or {error: message key}. */
export function parseParam(spec: ParamSpec, raw: string | boolean): { value?: unknown; error?: "number" | "integer" | "min" | "max" | "pattern" | "json" | "choice" } {
  if (spec.kind === "boolean") return { value: raw === true || raw === "true" ? true : raw === false || raw === "false" ? false : undefined };
  const text = String(raw).trim();
  if (text === "") return {};
  const num = (t: string, integer: boolean) => {
    if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(t)) return { error: (integer ? "integer" : "number") as "integer" | "number" };
    const n = Number(t);
    if (integer && !Number.isInteger(n)) return { error: "integer" as const };
    if (spec.minimum !== undefined && n < spec.minimum) return { error: "min" as const };
    if (spec.maximum !== undefined && n > spec.maximum) return { error: "max" as const };
    return { value: n };
  };
  switch (spec.kind) {
    case "integer":
      return num(text, true);
    case "number":
      return num(text, false);
    case "enum":
      return spec.options?.includes(text) ? { value: text } : { error: "choice" };
    case "string":
      if (spec.pattern && !new RegExp(spec.pattern).test(text)) return { error: "pattern" };
      return { value: text };
    case "list": {
      const parts = text.split(",").map((s) => s.trim()).filter(Boolean);
      if (spec.item === "string") return { value: parts };
      const values: number[] = [];
      for (const part of parts) {
        const r = num(part, spec.item === "integer");
        if (r.error) return { error: r.error };
        values.push(r.value as number);
      }
      return { value: values };
    }
    default:
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { error: "json" };
      }
  }
}

/** Params from the inputs' texts: the object to send, or the first error. */
export function paramsFrom(specs: ParamSpec[], raws: Record<string, string | boolean>): { params: Record<string, unknown>; errors: Record<string, string> } {
  const params: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    if (!(spec.name in raws)) continue;
    const r = parseParam(spec, raws[spec.name]);
    if (r.error) errors[spec.name] = r.error;
    else if (r.value !== undefined) params[spec.name] = r.value;
  }
  return { params, errors };
}

// -- field edits ----------------------------------------------------------------------------------------
/** Attributes the field editor edits (the server's form schema decides what is valid). */
export const EDITABLE = [
  "type",
  "label",
  "hint",
  "guidance",
  "required",
  "read_only",
  "hidden",
  "default",
  "relevant",
  "calculation",
  "constraint",
  "constraint_message",
  "choice_filter",
  "lookup",
  "params",
  "keep_when_irrelevant",
  "indexed",
] as const;
export type Editable = (typeof EDITABLE)[number];

const empty = (v: unknown) =>
  v === undefined ||
  v === null ||
  (typeof v === "string" && v.trim() === "") ||
  v === false ||
  (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0);

function same(a: unknown, b: unknown): boolean {
  if (empty(a) && empty(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

const normRequired = (v: unknown) => (v === true ? true : typeof v === "string" && v.trim() ? v.trim() : false);

/** {attr: new value} for what the editor changed; null removes an attribute (back to its default). */
export function fieldChanges(original: Partial<BField>, edited: Partial<BField>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const attr of EDITABLE) {
    const before = (original as any)[attr];
    const after = (edited as any)[attr];
    if (attr === "required") {
      const a = normRequired(before);
      const b = normRequired(after);
      if (a !== b) out.required = b === false ? null : b;
      continue;
    }
    if (same(before, after)) continue;
    out[attr] = empty(after) ? null : typeof after === "string" ? after.trim() : after;
  }
  return out;
}

export type RequiredMode = "no" | "yes" | "when";
export function requiredMode(value: unknown): RequiredMode {
  if (value === true) return "yes";
  // Any text (even blank while it is being typed) means "only when this expression holds".
  if (typeof value === "string") return "when";
  return "no";
}

// -- finding things ---------------------------------------------------------------------------------------
export interface FieldPlace {
  form: BForm;
  section: BSection;
  field: BField;
  /** The subform holding it, or null. */
  parent: BField | null;
  /** The list it sits in (section fields or subform rows). */
  siblings: BField[];
}

export function findField(structure: DraftStructure, key: string, formId?: string): FieldPlace | null {
  for (const form of structure.forms) {
    if (formId && form.id !== formId) continue;
    for (const section of form.sections ?? []) {
      const stack: [BField[], BField | null][] = [[section.fields ?? [], null]];
      while (stack.length) {
        const [list, parent] = stack.shift()!;
        for (const field of list) {
          if (field.key === key) return { form, section, field, parent, siblings: list };
          if (field.fields?.length) stack.push([field.fields, field]);
        }
      }
    }
  }
  return null;
}

/** Forms of a record type in the caseworker's order (order, then id). */
export function formsOfType(structure: DraftStructure, recordType: string): BForm[] {
  return structure.forms
    .filter((f) => f.record_type === recordType)
    .sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.id.localeCompare(b.id));
}

export function allKeys(form: BForm): string[] {
  const out: string[] = [];
  const walk = (fields: BField[]) => {
    for (const f of fields) {
      out.push(f.key);
      if (f.fields) walk(f.fields);
    }
  };
  for (const s of form.sections ?? []) walk(s.fields ?? []);
  return out;
}

export function countFields(form: BForm): number {
  return allKeys(form).length;
}

// -- expression autocomplete -----------------------------------------------------------------------------
export interface Completion {
  kind: "field" | "function";
  /** What the user typed of the name. */
  prefix: string;
  /** Where the replaced text starts (for a field: after "${"). */
  start: number;
}

/** What the caret is in: an unfinished ${field reference or a function name. */
export function completionAt(text: string, caret: number): Completion | null {
  const before = text.slice(0, caret);
  const ref = /\$\{([A-Za-z0-9_]*)$/.exec(before);
  if (ref) return { kind: "field", prefix: ref[1], start: caret - ref[1].length };
  // Inside a string literal: nothing to complete.
  const quotes = (before.match(/'/g)?.length ?? 0) + (before.match(/"/g)?.length ?? 0);
  if (quotes % 2 === 1) return null;
  const word = /(^|[^A-Za-z0-9_$.{-])([a-z][a-z0-9-]*)$/.exec(before);
  if (word && word[2].length >= 1) return { kind: "function", prefix: word[2], start: caret - word[2].length };
  return null;
}

export interface Suggestion {
  value: string;
  label: string;
  detail: string;
}

export function suggestions(c: Completion, keys: KeyInfo[], functions: FunctionSpec[], lang: string, defaultLang: string, limit = 8): Suggestion[] {
  const p = c.prefix.toLowerCase();
  if (c.kind === "field") {
    const starts = keys.filter((k) => k.key.toLowerCase().startsWith(p));
    const contains = keys.filter((k) => !k.key.toLowerCase().startsWith(p) && (k.key.toLowerCase().includes(p) || display(k.label, lang, defaultLang).toLowerCase().includes(p)));
    return [...starts, ...contains].slice(0, limit).map((k) => ({ value: k.key, label: k.key, detail: `${display(k.label, lang, defaultLang)} · ${k.type}` }));
  }
  return functions
    .filter((f) => f.name.startsWith(p))
    .slice(0, limit)
    .map((f) => ({ value: f.name, label: `${f.name}()`, detail: f.description }));
}

/** The text with the suggestion inserted at the completion, and where the caret goes. */
export function applySuggestion(text: string, caret: number, c: Completion, value: string): { text: string; caret: number } {
  const end = caret;
  if (c.kind === "field") {
    const closes = text.slice(end).startsWith("}");
    const insert = closes ? value : `${value}}`;
    const out = text.slice(0, c.start) + insert + text.slice(closes ? end : end);
    return { text: out, caret: c.start + value.length + 1 };
  }
  const opens = text.slice(end).startsWith("(");
  const insert = opens ? value : `${value}(`;
  return { text: text.slice(0, c.start) + insert + text.slice(end), caret: c.start + value.length + 1 };
}

/** The marker line under an expression: spaces then ^ under the 1-based column. */
export function caretLine(column: number | null | undefined): string {
  if (!column || column < 1) return "^";
  return `${" ".repeat(column - 1)}^`;
}

// -- validation problems ---------------------------------------------------------------------------------
/** Where a problem is, for people: form › section › field (file:line). */
export function problemWhere(p: Problem, structure: DraftStructure | null, lang: string): string {
  const parts: string[] = [];
  const defaultLang = structure?.default_language ?? "en";
  if (p.form) {
    const form = structure?.forms.find((f) => f.id === p.form);
    parts.push(form ? display(form.label, lang, defaultLang) || p.form : p.form);
  }
  if (p.section) {
    const form = structure?.forms.find((f) => f.id === p.form);
    const section = form?.sections.find((s) => s.id === p.section);
    parts.push(section ? display(section.label, lang, defaultLang) || p.section : p.section);
  }
  if (p.field) {
    const place = structure ? findField(structure, p.field, p.form ?? undefined) ?? findField(structure, p.field) : null;
    parts.push(place ? `${display(place.field.label, lang, defaultLang) || p.field} (${p.field})` : p.field);
  }
  if (p.lookup) parts.push(p.lookup);
  const file = p.file ? `${p.file}${p.line ? `:${p.line}` : ""}` : "";
  return [parts.join(" › "), file && `(${file})`].filter(Boolean).join(" ");
}

// -- declared migrations ---------------------------------------------------------------------------------
export type MigrationNeed =
  | { kind: "archive_field"; change: string; field: string; reason: string }
  | { kind: "retype_field"; change: string; field: string; from: string; reason: string }
  | { kind: "map_options"; change: string; field: string; code: string; reason: string };

/** The migrations a diff asks for, read from each unsafe change's reason (the server's sentence names
 * the declaration it needs, e.g. "declare `- archive_field: kv_x`"). */
export function migrationNeeds(changes: DiffChange[]): MigrationNeed[] {
  const out: MigrationNeed[] = [];
  for (const c of changes) {
    if (!c.unsafe || c.migration) continue;
    for (const reason of c.unsafe.split("; ")) {
      let m = /archive_field:\s*([a-z][a-z0-9_]*)/.exec(reason);
      if (m) {
        out.push({ kind: "archive_field", change: c.id, field: m[1], reason });
        continue;
      }
      m = /retype_field:\s*\{field:\s*([a-z][a-z0-9_]*),\s*from:\s*([a-z_]+)\}/.exec(reason);
      if (m) {
        out.push({ kind: "retype_field", change: c.id, field: m[1], from: m[2], reason });
        continue;
      }
      m = /option '([^']+)' is stored .* in '([a-z][a-z0-9_]*)'/.exec(reason);
      if (m) out.push({ kind: "map_options", change: c.id, field: m[2], code: m[1], reason });
    }
  }
  return out;
}

export interface MigrationAnswers {
  /** archive_field / retype_field: declared (true) or not. */
  accept: Record<string, boolean>;
  /** map_options: "<field>:<old code>" -> new code. */
  map: Record<string, string>;
}

export const needId = (n: MigrationNeed) => (n.kind === "map_options" ? `${n.kind}:${n.field}:${n.code}` : `${n.kind}:${n.field}`);

/** The `migrations` list to publish with, and the needs still unanswered. */
export function migrationsFrom(needs: MigrationNeed[], answers: MigrationAnswers): { migrations: Record<string, unknown>[]; missing: MigrationNeed[] } {
  const migrations: Record<string, unknown>[] = [];
  const missing: MigrationNeed[] = [];
  const maps = new Map<string, Record<string, string>>();
  for (const n of needs) {
    if (n.kind === "map_options") {
      const target = answers.map[`${n.field}:${n.code}`];
      if (!target) {
        missing.push(n);
        continue;
      }
      const map = maps.get(n.field) ?? {};
      map[n.code] = target;
      maps.set(n.field, map);
    } else if (answers.accept[needId(n)]) {
      migrations.push(n.kind === "archive_field" ? { archive_field: n.field } : { retype_field: { field: n.field, from: n.from } });
    } else missing.push(n);
  }
  for (const [field, map] of maps) migrations.push({ map_options: { field, map } });
  return { migrations, missing };
}

// -- roles ------------------------------------------------------------------------------------------------
export type Level = "hidden" | "masked" | "read" | "edit";

/** The level a role gets by default on a record type's forms: edit / read / hidden (no access). */
export function roleDefault(role: BRole, recordType: string): Level {
  const actions = role.permissions?.[recordType] ?? [];
  if (actions.includes("edit") || actions.includes("create")) return "edit";
  if (actions.includes("view")) return "read";
  return "hidden";
}

/** Fields of a form that the draft has but the preview configuration lacks (hidden from the role
 * the preview is filtered for). */
export function missingFromPreview(config: Config, structure: DraftStructure, formId: string): string[] {
  const form = structure.forms.find((f) => f.id === formId);
  if (!form) return [];
  const shown = new Set<string>();
  const walk = (fields: ConfigField[]) => {
    for (const f of fields) {
      shown.add(f.key);
      if (f.fields) walk(f.fields);
    }
  };
  for (const s of config.forms[formId]?.sections ?? []) walk(s.fields);
  return allKeys(form).filter((k) => !shown.has(k));
}

// -- translations ------------------------------------------------------------------------------------------
export interface TranslationItem {
  file: string;
  path: (string | number)[];
  ref: string;
  owner: string;
  attr: string;
  default: string;
  text: string | null;
  missing: boolean;
}

export function filterTranslations(items: TranslationItem[], opts: { missingOnly?: boolean; file?: string; query?: string }): TranslationItem[] {
  const q = (opts.query ?? "").trim().toLowerCase();
  return items.filter(
    (i) =>
      (!opts.missingOnly || i.missing) &&
      (!opts.file || i.file === opts.file) &&
      (!q || i.owner.toLowerCase().includes(q) || i.default.toLowerCase().includes(q) || (i.text ?? "").toLowerCase().includes(q)),
  );
}

// -- options ---------------------------------------------------------------------------------------------
export const activeOptions = (options: BOption[] | undefined) => (options ?? []).filter((o) => !o.retired);

/** "code = label" lines (one option per line) -> options; for pasting a list. */
export function parseOptionLines(text: string, lang: string): BOption[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^([^=]+?)\s*=\s*(.+)$/.exec(line);
      const labelText = m ? m[2].trim() : line;
      const code = m ? m[1].trim() : slug(line) || line;
      return { code, label: { [lang]: labelText } };
    });
}

// -- small helpers ------------------------------------------------------------------------------------------
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): ((...args: A) => void) & { cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wrapped = (...args: A) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...args);
    }, ms);
  };
  wrapped.cancel = () => timer && clearTimeout(timer);
  return wrapped;
}
