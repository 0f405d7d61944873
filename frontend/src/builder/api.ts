// The builder API (/api/v1/builder/..., form_builder/api_urls.py) over the caseworker app's client:
// same token, same error envelope ({error: {code, message, details}} -> ApiError).
import { request } from "../api/client";
import type { Config } from "../api/types";
import type {
  Clause,
  Diff,
  Draft,
  DraftSummary,
  ExpressionCheck,
  FieldType,
  FunctionSpec,
  HistoryEntry,
  KeyInfo,
  OpResult,
  PublishResult,
  Validation,
} from "./types";
import type { TranslationItem } from "./state";

const B = "builder";
const enc = encodeURIComponent;

// Sign-in and two-factor enrolment are the caseworker app's (same token, same storage): one sign-in
// for both pages.
export { confirmTwoFactor, login as signIn, startTwoFactor } from "../api/client";

export const listDrafts = (status?: string) => request<DraftSummary[]>("GET", `${B}/drafts/${status ? `?status=${enc(status)}` : ""}`);
export const createDraft = (name: string) => request<DraftSummary>("POST", `${B}/drafts/`, { name });
export const getDraft = (id: number) => request<Draft>("GET", `${B}/drafts/${id}/?files=false`);
export const renameDraft = (id: number, name: string) => request<DraftSummary>("PATCH", `${B}/drafts/${id}/`, { name });
export const discardDraft = (id: number) => request<void>("DELETE", `${B}/drafts/${id}/`);

export type Op = Record<string, unknown> & { op: string };
export const applyOps = (id: number, ops: Op[], revision?: number) =>
  request<OpResult>("POST", `${B}/drafts/${id}/ops/`, revision === undefined ? { ops } : { ops, revision });

export const validateDraft = (id: number) => request<Validation>("POST", `${B}/drafts/${id}/validate/`);
export const diffDraft = (id: number) => request<Diff>("GET", `${B}/drafts/${id}/diff/`);
export const publishDraft = (id: number, body: { migrations?: unknown[]; note?: string; force?: boolean }) =>
  request<PublishResult>("POST", `${B}/drafts/${id}/publish/`, body);
export const draftKeys = (id: number, recordType: string) =>
  request<{ record_type: string; fields: KeyInfo[] }>("GET", `${B}/drafts/${id}/keys/?record_type=${enc(recordType)}`);
export const draftTranslations = (id: number, lang: string) =>
  request<{ language: string; default_language: string; languages: string[]; missing: Record<string, number>; total: number; items: TranslationItem[] }>(
    "GET",
    `${B}/drafts/${id}/translations/?lang=${enc(lang)}`,
  );
/** The draft's effective configuration; with `role`, filtered as a user holding that role sees it. */
export const previewConfig = (id: number, lang: string, role?: string) =>
  request<Config & { preview: true }>("GET", `${B}/drafts/${id}/preview-config/?lang=${enc(lang)}${role ? `&role=${enc(role)}` : ""}`);

export const history = () => request<HistoryEntry[]>("GET", `${B}/history/`);
export const rollback = (version?: number, note = "") =>
  request<{ version: number; restored: number; diff: Diff }>("POST", `${B}/rollback/`, version === undefined ? { note } : { version, note });

export const checkExpression = (body: { expr: string; record_type?: string; draft?: number; field?: string }, signal?: AbortSignal) =>
  request<ExpressionCheck>("POST", `${B}/expressions/check/`, body, { signal });
export const functions = () => request<FunctionSpec[]>("GET", `${B}/functions/`);
export const fieldTypes = () => request<FieldType[]>("GET", `${B}/field-types/`);
export const buildCondition = (body: { clauses: Clause[]; join: "and" | "or"; record_type?: string; draft?: number }) =>
  request<{ expr: string; check: ExpressionCheck }>("POST", `${B}/conditions/build/`, body);
export const parseCondition = (expr: string) =>
  request<{ simple: boolean; join?: "and" | "or"; clauses?: Clause[]; error?: { message: string; column: number | null } }>(
    "POST",
    `${B}/conditions/parse/`,
    { expr },
  );
