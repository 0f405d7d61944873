import { describe, expect, it, vi } from "vitest";
import type { Config } from "../api/types";
import {
  afterFor,
  afterForStep,
  applyAfter,
  applySuggestion,
  caretLine,
  completionAt,
  debounce,
  display,
  fieldChanges,
  filterTranslations,
  findField,
  formatParam,
  migrationNeeds,
  migrationsFrom,
  missingFromPreview,
  paramSpecs,
  paramsFrom,
  parseOptionLines,
  parseParam,
  problemWhere,
  requiredMode,
  roleDefault,
  slug,
  suggestKey,
  suggestions,
  textIn,
  withText,
  START,
  type TranslationItem,
} from "./state";
import type { BRole, DiffChange, DraftStructure, KeyInfo } from "./types";

const structure: DraftStructure = {
  pack: { id: "kivania.country", name: "K", version: "1.0.0", extends: null, namespace: null },
  languages: ["en", "fr", "ar"],
  default_language: "en",
  record_types: ["case"],
  roles: [],
  lookups: [{ id: "yes_no_unknown", file: "lookups/a.yaml", options: [{ code: "yes" }, { code: "no" }, { code: "old", retired: true }] }],
  forms: [
    {
      id: "kv_school",
      record_type: "case",
      label: { en: "School", fr: "École" },
      file: "forms/kv_school.yaml",
      order: 100,
      sections: [
        {
          id: "main",
          label: "Schooling",
          fields: [
            { key: "kv_in_school", type: "select_one", label: { en: "In school?" }, lookup: "yes_no_unknown" },
            { key: "kv_school_name", type: "text", label: "School name", relevant: "${kv_in_school} = 'yes'", read_only: true },
            { key: "kv_siblings", type: "subform", label: "Siblings", fields: [{ key: "kv_sib_name", type: "text", label: "Name" }] },
          ],
        },
      ],
    },
    { id: "cp_registration", record_type: "case", label: "Registration", file: "forms/cp_registration.yaml", order: 10, sections: [] },
  ],
};

describe("texts", () => {
  it("reads a plain string as the default language", () => {
    expect(textIn("Sex", "en", "en")).toBe("Sex");
    expect(textIn("Sex", "fr", "en")).toBe("");
    expect(textIn({ en: "Sex", fr: "Sexe" }, "fr", "en")).toBe("Sexe");
    expect(textIn(undefined, "en", "en")).toBe("");
  });
  it("sets one language and removes blanks", () => {
    expect(withText("Sex", "fr", "Sexe", "en")).toEqual({ en: "Sex", fr: "Sexe" });
    expect(withText({ en: "Sex", fr: "Sexe" }, "fr", "  ", "en")).toEqual({ en: "Sex" });
    expect(withText({ en: "Sex" }, "en", "", "en")).toBeNull();
  });
  it("displays the UI language, then the default, then any", () => {
    expect(display({ en: "School", fr: "École" }, "fr", "en")).toBe("École");
    expect(display({ en: "School" }, "ar", "en")).toBe("School");
    expect(display({ fr: "École" }, "ar", "en")).toBe("École");
  });
});

describe("keys", () => {
  it("slugs labels into ids", () => {
    expect(slug("Does the child go to school?")).toBe("does_the_child_go_to_school");
    expect(slug("Écolé n°2")).toBe("ecole_n_2");
    expect(slug("2nd grade")).toBe("f_2nd_grade");
    expect(slug("")).toBe("");
  });
  it("prefixes the namespace and avoids keys in use", () => {
    expect(suggestKey("School name", "kv")).toBe("kv_school_name");
    expect(suggestKey("kv school", "kv")).toBe("kv_school");
    expect(suggestKey("School name", "kv", ["kv_school_name", "kv_school_name_2"])).toBe("kv_school_name_3");
    expect(suggestKey("Grade", "")).toBe("grade");
  });
});

describe("positions", () => {
  const ids = ["a", "b", "c", "d"];
  it("computes `after` for a move to any index", () => {
    expect(afterFor(ids, 2, 0)).toBe(START);
    expect(afterFor(ids, 0, 3)).toBe("d");
    expect(afterFor(ids, 3, 1)).toBe("a");
    expect(afterFor(ids, 1, 2)).toBe("c");
  });
  it("computes one step up or down, or null at the ends", () => {
    expect(afterForStep(ids, 1, -1)).toBe(START);
    expect(afterForStep(ids, 2, -1)).toBe("a");
    expect(afterForStep(ids, 1, 1)).toBe("c");
    expect(afterForStep(ids, 0, -1)).toBeNull();
    expect(afterForStep(ids, 3, 1)).toBeNull();
  });
  it("reorders like the server's `place`", () => {
    const items = ids.map((id) => ({ id }));
    const order = (after: string, id: string) => applyAfter(items, (t) => t.id, id, after).map((t) => t.id).join("");
    for (let from = 0; from < ids.length; from++) {
      for (let to = 0; to < ids.length; to++) {
        const expected = [...ids];
        const [moved] = expected.splice(from, 1);
        expected.splice(to, 0, moved);
        expect(order(afterFor(ids, from, to), ids[from])).toBe(expected.join(""));
      }
    }
  });
});

describe("params from a JSON Schema", () => {
  const schema = {
    type: "object",
    additionalProperties: false,
    properties: {
      max_length: { type: "integer", minimum: 1 },
      min: { type: "number" },
      result: { enum: ["string", "number", "integer"] },
      allow_unknown: { type: "boolean" },
      levels: { type: "array", items: { type: "integer", minimum: 0 } },
      content_types: { type: "array", items: { type: "string" } },
      pattern: { type: "string", format: "regex" },
      min_date: { type: "string", pattern: "^(today|\\d{4}-\\d{2}-\\d{2})$" },
    },
  };
  const specs = paramSpecs(schema);
  const spec = (name: string) => specs.find((s) => s.name === name)!;
  it("generates one input kind per property", () => {
    expect(specs.map((s) => [s.name, s.kind])).toEqual([
      ["max_length", "integer"],
      ["min", "number"],
      ["result", "enum"],
      ["allow_unknown", "boolean"],
      ["levels", "list"],
      ["content_types", "list"],
      ["pattern", "string"],
      ["min_date", "string"],
    ]);
    expect(spec("result").options).toEqual(["string", "number", "integer"]);
  });
  it("parses typed text and reports errors", () => {
    expect(parseParam(spec("max_length"), "120")).toEqual({ value: 120 });
    expect(parseParam(spec("max_length"), "1.5")).toEqual({ error: "integer" });
    expect(parseParam(spec("max_length"), "0")).toEqual({ error: "min" });
    expect(parseParam(spec("min"), "-2.5")).toEqual({ value: -2.5 });
    expect(parseParam(spec("min"), "abc")).toEqual({ error: "number" });
    expect(parseParam(spec("result"), "integer")).toEqual({ value: "integer" });
    expect(parseParam(spec("result"), "bogus")).toEqual({ error: "choice" });
    expect(parseParam(spec("allow_unknown"), "true")).toEqual({ value: true });
    expect(parseParam(spec("allow_unknown"), "")).toEqual({ value: undefined });
    expect(parseParam(spec("levels"), "1, 2,3")).toEqual({ value: [1, 2, 3] });
    expect(parseParam(spec("levels"), "1, x")).toEqual({ error: "integer" });
    expect(parseParam(spec("content_types"), "image/png, application/pdf")).toEqual({ value: ["image/png", "application/pdf"] });
    expect(parseParam(spec("min_date"), "today")).toEqual({ value: "today" });
    expect(parseParam(spec("min_date"), "yesterday")).toEqual({ error: "pattern" });
    expect(parseParam(spec("max_length"), "  ")).toEqual({});
  });
  it("formats values back and collects params", () => {
    expect(formatParam(spec("levels"), [0, 1])).toBe("0, 1");
    expect(formatParam(spec("max_length"), undefined)).toBe("");
    expect(paramsFrom(specs, { max_length: "50", min: "", result: "number" })).toEqual({ params: { max_length: 50, result: "number" }, errors: {} });
    expect(paramsFrom(specs, { max_length: "x" }).errors).toEqual({ max_length: "integer" });
  });
});

describe("field changes", () => {
  it("sends only what changed, null to go back to the default", () => {
    const original = { key: "k", type: "text", label: { en: "A" }, hint: "H", required: true, relevant: "${x} = 1" };
    expect(fieldChanges(original, { ...original })).toEqual({});
    expect(fieldChanges(original, { ...original, label: { en: "A", fr: "B" } })).toEqual({ label: { en: "A", fr: "B" } });
    expect(fieldChanges(original, { ...original, hint: undefined })).toEqual({ hint: null });
    expect(fieldChanges(original, { ...original, relevant: "  " })).toEqual({ relevant: null });
    expect(fieldChanges(original, { ...original, relevant: " ${x} = 2 " })).toEqual({ relevant: "${x} = 2" });
  });
  it("handles required as yes, no or an expression", () => {
    const base = { key: "k", type: "text", required: true };
    expect(fieldChanges(base, { ...base, required: false })).toEqual({ required: null });
    expect(fieldChanges(base, { ...base, required: "${a} = 'yes'" })).toEqual({ required: "${a} = 'yes'" });
    expect(fieldChanges({ key: "k", type: "text" }, { key: "k", type: "text", required: false })).toEqual({});
    expect(fieldChanges({ key: "k", type: "text" }, { key: "k", type: "text", required: " " })).toEqual({});
    expect(requiredMode(true)).toBe("yes");
    expect(requiredMode(false)).toBe("no");
    expect(requiredMode(undefined)).toBe("no");
    expect(requiredMode("")).toBe("when");
  });
  it("treats false booleans and empty params as absent", () => {
    expect(fieldChanges({ key: "k", type: "text" }, { key: "k", type: "text", read_only: false, params: {} })).toEqual({});
    expect(fieldChanges({ key: "k", type: "text", read_only: true }, { key: "k", type: "text", read_only: false })).toEqual({ read_only: null });
    expect(fieldChanges({ key: "k", type: "integer" }, { key: "k", type: "integer", params: { max: 3 } })).toEqual({ params: { max: 3 } });
  });
});

describe("finding fields", () => {
  it("finds top-level and subform fields", () => {
    expect(findField(structure, "kv_school_name")?.section.id).toBe("main");
    const row = findField(structure, "kv_sib_name");
    expect(row?.parent?.key).toBe("kv_siblings");
    expect(row?.siblings.map((f) => f.key)).toEqual(["kv_sib_name"]);
    expect(findField(structure, "nope")).toBeNull();
  });
  it("says where a validation problem is", () => {
    const p = { rule: "r", message: "m", severity: "error" as const, file: "forms/kv_school.yaml", line: 12, path: "", form: "kv_school", section: "main", field: "kv_school_name" };
    expect(problemWhere(p, structure, "fr")).toBe("École › Schooling › School name (kv_school_name) (forms/kv_school.yaml:12)");
  });
});

describe("autocomplete", () => {
  const keys: KeyInfo[] = [
    { key: "kv_in_school", type: "select_one", label: { en: "In school?" }, form: "f", section: "s", parent: null, lookup: null, options: null },
    { key: "age", type: "calculated", label: { en: "Age" }, form: "f", section: "s", parent: null, lookup: null, options: null },
    { key: "date_of_birth", type: "date", label: { en: "Date of birth" }, form: "f", section: "s", parent: null, lookup: null, options: null },
  ];
  const fns = [
    { name: "age", min_args: 1, max_args: 1, arity: "1", returns: "number", description: "age(d)" },
    { name: "today", min_args: 0, max_args: 0, arity: "0", returns: "date", description: "today()" },
  ];
  it("knows when the caret is in a field reference or a function name", () => {
    expect(completionAt("${kv_", 5)).toEqual({ kind: "field", prefix: "kv_", start: 2 });
    expect(completionAt("${age} > to", 11)).toEqual({ kind: "function", prefix: "to", start: 9 });
    expect(completionAt("${age} > 'to", 12)).toBeNull();
    expect(completionAt("${age} > 5", 10)).toBeNull();
    expect(completionAt("${age}", 6)).toBeNull();
  });
  it("suggests keys (prefix first, then label matches) and functions", () => {
    expect(suggestions({ kind: "field", prefix: "a", start: 2 }, keys, fns, "en", "en").map((s) => s.value)).toEqual(["age", "date_of_birth"]);
    expect(suggestions({ kind: "field", prefix: "school", start: 2 }, keys, fns, "en", "en").map((s) => s.value)).toEqual(["kv_in_school"]);
    expect(suggestions({ kind: "field", prefix: "birth", start: 2 }, keys, fns, "en", "en").map((s) => s.value)).toEqual(["date_of_birth"]);
    expect(suggestions({ kind: "function", prefix: "to", start: 0 }, keys, fns, "en", "en").map((s) => s.label)).toEqual(["today()"]);
  });
  it("inserts the suggestion and closes the reference", () => {
    expect(applySuggestion("${kv_ = 'yes'", 5, { kind: "field", prefix: "kv_", start: 2 }, "kv_in_school")).toEqual({ text: "${kv_in_school} = 'yes'", caret: 15 });
    expect(applySuggestion("${kv_}", 5, { kind: "field", prefix: "kv_", start: 2 }, "kv_in_school")).toEqual({ text: "${kv_in_school}", caret: 15 });
    expect(applySuggestion("to", 2, { kind: "function", prefix: "to", start: 0 }, "today")).toEqual({ text: "today(", caret: 6 });
  });
  it("puts the caret under the error column", () => {
    expect(caretLine(1)).toBe("^");
    expect(caretLine(5)).toBe("    ^");
    expect(caretLine(null)).toBe("^");
  });
});

describe("declared migrations", () => {
  const changes: DiffChange[] = [
    {
      op: "-",
      kind: "field",
      id: "case.kv_birth_certificate_number",
      attrs: [],
      unsafe: "1 record(s) hold data in 'kv_birth_certificate_number'; declare `- archive_field: kv_birth_certificate_number` in migrations.yaml to keep it",
      migration: null,
    },
    {
      op: "-",
      kind: "option",
      id: "nationality:kv_norvanian",
      attrs: [],
      unsafe:
        "option 'kv_norvanian' is stored on 3 record(s) in 'nationality'; declare `- map_options: {field: nationality, map: {kv_norvanian: <new code>}}`; option 'kv_norvanian' is stored on 1 record(s) in 'caregiver_nationality'; declare `- map_options: {field: caregiver_nationality, map: {kv_norvanian: <new code>}}`",
      migration: null,
    },
    {
      op: "~",
      kind: "field",
      id: "case.age_text",
      attrs: ["type"],
      unsafe: "type changes from text to integer and 2 record(s) hold data; declare `- retype_field: {field: age_text, from: text}`",
      migration: null,
    },
    { op: "-", kind: "field", id: "case.done", attrs: [], unsafe: "x; declare `- archive_field: done`", migration: "archive_field: done" },
    { op: "+", kind: "form", id: "kv_school", attrs: [], unsafe: null, migration: null },
  ];
  const needs = migrationNeeds(changes);
  it("reads what each unsafe change needs", () => {
    expect(needs.map((n) => [n.kind, n.field, "code" in n ? n.code : "from" in n ? n.from : ""])).toEqual([
      ["archive_field", "kv_birth_certificate_number", ""],
      ["map_options", "nationality", "kv_norvanian"],
      ["map_options", "caregiver_nationality", "kv_norvanian"],
      ["retype_field", "age_text", "text"],
    ]);
  });
  it("builds the migrations list once every need is answered", () => {
    const partial = migrationsFrom(needs, { accept: { "archive_field:kv_birth_certificate_number": true }, map: { "nationality:kv_norvanian": "other" } });
    expect(partial.missing.map((n) => n.field)).toEqual(["caregiver_nationality", "age_text"]);
    const full = migrationsFrom(needs, {
      accept: { "archive_field:kv_birth_certificate_number": true, "retype_field:age_text": true },
      map: { "nationality:kv_norvanian": "other", "caregiver_nationality:kv_norvanian": "national" },
    });
    expect(full.missing).toEqual([]);
    expect(full.migrations).toEqual([
      { archive_field: "kv_birth_certificate_number" },
      { retype_field: { field: "age_text", from: "text" } },
      { map_options: { field: "nationality", map: { kv_norvanian: "other" } } },
      { map_options: { field: "caregiver_nationality", map: { kv_norvanian: "national" } } },
    ]);
  });
});

describe("roles and preview", () => {
  const caseworker: BRole = { id: "caseworker", permissions: { case: ["view", "create", "edit"] }, fields: { kv_school_name: "read" }, forms: {} };
  const manager: BRole = { id: "cm_manager", permissions: { case: ["view", "export"] }, forms: { kv_school: "hidden" } };
  const notifier: BRole = { id: "community_notifier", permissions: { notification: ["create"] } };
  it("works out a role's default level on a record type", () => {
    expect(roleDefault(caseworker, "case")).toBe("edit");
    expect(roleDefault(manager, "case")).toBe("read");
    expect(roleDefault(notifier, "case")).toBe("hidden");
  });
  const field = (key: string, extra = {}) => ({ key, type: "text", label: { en: key }, ...extra });
  const config = {
    languages: ["en"],
    default_language: "en",
    record_types: { case: { id: "case", module: "cp", label: {}, forms: ["kv_school"] } },
    lookups: {},
    forms: {
      kv_school: {
        id: "kv_school",
        record_type: "case",
        label: {},
        sections: [{ id: "main", label: {}, fields: [field("kv_in_school"), field("kv_siblings", { type: "subform", fields: [field("kv_sib_name")] })] }],
      },
    },
  } as unknown as Config;
  it("lists draft fields the preview lacks", () => {
    expect(missingFromPreview(config, structure, "kv_school")).toEqual(["kv_school_name"]);
  });
});

describe("translations and options", () => {
  const items: TranslationItem[] = [
    { file: "forms/a.yaml", path: ["label"], ref: "a#label", owner: "a", attr: "label", default: "School", text: null, missing: true },
    { file: "forms/b.yaml", path: ["label"], ref: "b#label", owner: "b", attr: "label", default: "Grade", text: "Classe", missing: false },
  ];
  it("filters texts", () => {
    expect(filterTranslations(items, { missingOnly: true }).map((i) => i.ref)).toEqual(["a#label"]);
    expect(filterTranslations(items, { file: "forms/b.yaml" }).map((i) => i.ref)).toEqual(["b#label"]);
    expect(filterTranslations(items, { query: "classe" }).map((i) => i.ref)).toEqual(["b#label"]);
  });
  it("reads pasted option lines", () => {
    expect(parseOptionLines("yes = Yes\nno=No\n\nNot sure", "en")).toEqual([
      { code: "yes", label: { en: "Yes" } },
      { code: "no", label: { en: "No" } },
      { code: "not_sure", label: { en: "Not sure" } },
    ]);
  });
});

describe("debounce", () => {
  it("calls once with the last arguments", () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = debounce(fn, 300);
    d("a");
    d("b");
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledExactlyOnceWith("b");
    d("c");
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });
});
