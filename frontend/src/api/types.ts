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
  /** What the user may do with this field (kinga.records.access.visible_config): "edit", "read" or
   * "masked" (the server sends the value masked, e.g. "A***"). Absent: edit. */
  access?: "edit" | "read" | "masked" | string;
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
  workflows?: Record<string, Workflow>;
  /** Duplicate rules per person record type (duplicates.yaml): which fields identify a person. */
  duplicate_rules?: Record<string, DuplicateRules>;
  /** The actions the user holds per record type ("view", "create", "edit", "approve"...). */
  access?: Record<string, string[]>;
}

export interface WorkflowStatus {
  id: string;
  label?: I18nText;
  initial?: boolean;
  closed?: boolean;
}

export interface WorkflowTransition {
  id: string;
  label?: I18nText;
  from: string[];
  to: string;
  requires_approval?: boolean;
  requires_reason?: boolean;
  permission?: string;
}

export interface Workflow {
  status_field?: string;
  statuses?: WorkflowStatus[];
  transitions?: WorkflowTransition[];
  deadlines?: { id: string; label?: I18nText }[];
}

export interface DuplicateRules {
  threshold?: number;
  fields: { key: string; method: string; weight?: number; blocking?: boolean }[];
}

/** One reason of a duplicate score, as the server explains it (search/matching/scoring.py). */
export interface DuplicateReason {
  field: string;
  method: string;
  score: number;
  detail: string;
}

export interface VisibleCandidate {
  record_id: string;
  short_id: string;
  record_type: string;
  score: number;
  same_person: boolean;
  reasons: DuplicateReason[];
  restricted?: undefined;
}

/** A likely duplicate the user may not see: only the agency and the score, never a name or an id. */
export interface RestrictedCandidate {
  restricted: true;
  agency: string;
  score: number;
  access_ref: string;
}

export type DuplicateCandidate = VisibleCandidate | RestrictedCandidate;

/** One deadline of one record (workflow/deadlines.py DeadlineState.as_dict). */
export interface DeadlineState {
  deadline: string;
  state: "not_applicable" | "pending" | "overdue" | "met" | "late" | string;
  due_at: string | null;
  due_date: string | null;
  completed_at: string | null;
  label?: string;
  record_id?: string;
  short_id?: string;
  record_type?: string;
}

export interface DeadlineReport {
  record_type: string;
  computed_at: string;
  deadlines: { id: string; label: string; counts: Record<string, number> }[];
  items: DeadlineState[];
  truncated: boolean;
}

export interface RecordWorkflow {
  id: string;
  short_id: string;
  status: string;
  status_label: string;
  version: number;
  transitions: { id: string; label: string; to: string; requires_approval: boolean }[];
  deadlines: DeadlineState[];
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
  agency?: string | null;
}

export interface Page<T> {
  count: number;
  count_exact?: boolean;
  next: string | null;
  previous: string | null;
  results: T[];
}
