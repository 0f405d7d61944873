// Shapes of the builder API (form_builder/api_views.py). Draft files are pack YAML parsed by the
// server: texts may be a plain string (the default language) or {lang: text}; expressions are text.
export type Text = string | Record<string, string>;

export interface BOption {
  code: string;
  label?: Text;
  retired?: boolean;
  attrs?: Record<string, unknown>;
  origin?: string;
}

export interface BField {
  key: string;
  type: string;
  label?: Text;
  hint?: Text;
  guidance?: Text;
  required?: boolean | string;
  relevant?: string | null;
  constraint?: string | null;
  constraint_message?: Text;
  calculation?: string | null;
  default?: string | null;
  choice_filter?: string | null;
  lookup?: string | null;
  options?: BOption[] | null;
  params?: Record<string, unknown>;
  locked?: boolean;
  hidden?: boolean;
  read_only?: boolean;
  keep_when_irrelevant?: boolean;
  indexed?: boolean;
  origin?: string;
  /** The pack that locked this field (the server's judgement), or null. */
  locked_by?: string | null;
  fields?: BField[];
}

export interface BSection {
  id: string;
  label?: Text;
  relevant?: string | null;
  hidden?: boolean;
  fields: BField[];
}

export interface BForm {
  id: string;
  record_type: string;
  label?: Text;
  order?: number;
  origin?: string;
  file: string;
  sections: BSection[];
}

export interface BLookup {
  id: string;
  label?: Text;
  file: string;
  locked?: boolean;
  locked_by?: string | null;
  origin?: string;
  options: BOption[];
}

export interface BRole {
  id: string;
  label?: Text;
  module?: string | null;
  scope?: string;
  permissions?: Record<string, string[]>;
  forms?: Record<string, string>;
  fields?: Record<string, string>;
}

export interface DraftSummary {
  id: number;
  name: string;
  status: "open" | "published" | "discarded";
  revision: number;
  namespace: string;
  base_version: number | null;
  published_version: number | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface DraftStructure {
  pack: { id: string; name: string; version: string; extends: string | null; namespace: string | null };
  languages: string[];
  default_language: string;
  record_types: string[];
  forms: BForm[];
  lookups: BLookup[];
  roles: BRole[];
}

export type Draft = DraftSummary & Partial<DraftStructure> & { structure_error?: string };

export interface FieldType {
  type: string;
  params_schema: { type?: string; properties?: Record<string, unknown>; additionalProperties?: boolean };
  uses_options: boolean;
  is_container: boolean;
  stores_value: boolean;
  value_kind: string;
}

export interface FunctionSpec {
  name: string;
  min_args: number;
  max_args: number | null;
  arity: string;
  returns: string;
  description: string;
}

export interface KeyInfo {
  key: string;
  type: string;
  /** What the expression language sees (a calculated field's result kind): number, date, string... */
  kind?: string;
  label: Record<string, string>;
  form: string;
  section: string;
  parent: string | null;
  lookup: string | null;
  options: { code: string; label: Text; attrs: Record<string, unknown>; retired: boolean }[] | null;
}

export interface ExpressionCheck {
  ok: boolean;
  ast: unknown;
  error: { message: string; column: number | null; expected: string | null; code: string } | null;
  references: string[];
  functions: string[];
  unknown_fields: string[];
}

export type ClauseOp = "=" | "!=" | "<" | "<=" | ">" | ">=" | "selected" | "not_selected" | "empty" | "not_empty";
export interface Clause {
  field: string;
  op: ClauseOp;
  value?: unknown;
}

export interface Problem {
  rule: string;
  message: string;
  severity: "error" | "warning";
  file: string;
  line: number | null;
  path: string;
  form?: string | null;
  section?: string | null;
  field?: string | null;
  lookup?: string | null;
  text?: string;
}

export interface Validation {
  ok: boolean;
  errors: number;
  warnings: number;
  problems: Problem[];
  summary: string;
}

export interface DiffChange {
  op: "+" | "-" | "~";
  kind: string;
  id: string;
  attrs: string[];
  unsafe: string | null;
  migration: string | null;
}

export interface Diff {
  changes: DiffChange[];
  summary: { added: number; removed: number; changed: number; unsafe: number; blocking: number };
  text: string;
}

export interface PublishResult {
  changed: boolean;
  version: number | null;
  content_hash: string | null;
  diff: Diff;
  migrations: unknown[];
  text: string;
}

export interface HistoryEntry {
  number: number;
  active: boolean;
  packs: string;
  hash: string;
  by: string;
  at: string;
  summary: { added: number; removed: number; changed: number; unsafe: number; blocking: number };
  note: string;
  rolled_back_from: number | null;
}

export interface OpResult {
  revision: number;
  results: { op: string; summary: string; note?: string; archive_if_data?: string[] }[];
}
