// The effective configuration (docs/packs.md, "The effective configuration") and the records API
// shapes. The app renders only from these: it keeps no field list or rule of its own.
import type { CompiledExpr } from "../expressions";

export type I18nText = Record<string, string>;
export type Expr = CompiledExpr | null;

export interface Option {
  code: string;
  label: I18nText;
  retired?: boolean;
  attrs?: Record<string, unknown>;
}

export interface FieldWarning {
  id: string;
  expr: Expr;
  message: I18nText;
}

export interface Field {
  key: string;
  type: string;
  label: I18nText;
  hint?: I18nText | null;
  guidance?: I18nText | null;
  required?: boolean | Expr;
  relevant?: Expr;
  constraint?: Expr;
  constraint_message?: I18nText | null;
  calculation?: Expr;
  default?: Expr;
  choice_filter?: Expr;
  lookup?: string | null;
  options?: Option[] | null;
  params?: Record<string, any>;
  locked?: boolean;
  hidden?: boolean;
  read_only?: boolean;
  keep_when_irrelevant?: boolean;
  indexed?: boolean;
  warnings?: FieldWarning[];
  fields?: Field[];
}

export interface Section {
  id: string;
  label: I18nText;
  relevant?: Expr;
  hidden?: boolean;
  fields: Field[];
}

export interface Form {
  id: string;
  record_type: string;
  label: I18nText;
  order?: number;
  sections: Section[];
}

export interface RecordType {
  id: string;
  module: string;
  label: I18nText;
  id_prefix?: string;
  person?: boolean;
  title?: Expr;
  forms: string[];
}

export interface Lookup {
  id: string;
  label: I18nText;
  options: Option[];
}

export interface LocationItem {
  code: string;
  parent: string | null;
  level: number;
  name: I18nText;
}

export interface Config {
  languages: string[];
  default_language: string;
  rtl_languages?: string[];
  language?: string;
  version?: number;
  content_hash?: string;
  record_types: Record<string, RecordType>;
  forms: Record<string, Form>;
  /** record type -> field key -> where it is (the app builds its own index from `forms`). */
  fields?: Record<string, Record<string, { form: string; section: string; parent: string | null }>>;
  lookups: Record<string, Lookup>;
  locations?: { levels: { level: number; id: string; label: I18nText }[]; items: LocationItem[] };
  workflows?: Record<string, any>;
}

export interface Issue {
  field: string;
  code: string;
  message: string;
  severity?: "error" | "warning";
}

export interface KRecord {
  id: string;
  short_id: string;
  record_type: string;
  module?: string;
  status?: string;
  data: Record<string, unknown>;
  warnings?: Issue[];
  version: number;
  owner?: string | null;
  location?: string;
  created_at?: string;
  updated_at?: string;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}
