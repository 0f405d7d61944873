// The records API client: token auth, the error envelope, the cached configuration.
import { language } from "../i18n";
import { signal } from "../lib/signal";
import { cacheRecord, getCachedConfig, putCachedConfig } from "../store/db";
import type { Config, DeadlineReport, DeadlineState, DuplicateCandidate, Issue, KRecord, Page, RecordWorkflow } from "./types";

const TOKEN_KEY = "kinga.token";
const USER_KEY = "kinga.user";
export const API = "/api/v1";

export class ApiError extends Error {
  status: number;
  code: string;
  details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
  /** Field issues of a 400 validation_failed answer. */
  get issues(): Issue[] {
    return Array.isArray(this.details) ? (this.details as Issue[]) : [];
  }
}

/** Thrown when the server cannot be reached at all (offline, DNS, server down). */
export class NetworkError extends Error {}

function storedToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export const auth = signal<{ token: string | null; username: string | null }>({
  token: storedToken(),
  username: (() => {
    try {
      return localStorage.getItem(USER_KEY);
    } catch {
      return null;
    }
  })(),
});

/** Pauses before retrying a read the server failed with 500/503 (e.g. SQLite's "database is locked"
 * when reads that write an audit row meet): reads are safe to repeat; writes never are retried. */
export const READ_RETRIES_MS = [250, 700];

export async function request<T>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestOnce<T>(method, path, body, init);
    } catch (e) {
      const retry = method === "GET" && e instanceof ApiError && (e.status === 500 || e.status === 503) && attempt < READ_RETRIES_MS.length;
      if (!retry) throw e;
      await new Promise((r) => setTimeout(r, READ_RETRIES_MS[attempt]));
    }
  }
}

async function requestOnce<T>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": language.value };
  const token = auth.value.token;
  if (token) headers.Authorization = `Token ${token}`;
  if (body !== undefined && !(body instanceof FormData)) headers["Content-Type"] = "application/json";
  const { headers: extraHeaders, ...rest } = init;
  let response: Response;
  try {
    response = await fetch(path.startsWith("/") ? path : `${API}/${path}`, {
      method,
      headers: { ...headers, ...(extraHeaders as Record<string, string> | undefined) },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
      credentials: "same-origin",
      ...rest,
    });
  } catch (e) {
    throw new NetworkError(String(e));
  }
  if (response.status === 204 || response.status === 304) return undefined as T;
  const text = await response.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const err = json?.error ?? {};
    if (response.status === 401) signOutLocally();
    throw new ApiError(response.status, err.code ?? `http_${response.status}`, err.message ?? response.statusText, err.details);
  }
  return json as T;
}

/** POST /auth/token/. A second factor is asked for with ApiError codes (platform/kinga/api/auth_views.py):
 * 401 otp_required / otp_invalid, 403 2fa_enrolment_required (details.enrolment_token), 429 locked_out. */
export async function login(username: string, password: string, otp?: string): Promise<void> {
  const body: Record<string, string> = { username, password };
  if (otp) body.otp = otp.replace(/\s+/g, "");
  const { token } = await request<{ token: string }>("POST", "auth/token/", body);
  try {
    localStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(USER_KEY, username);
  } catch {
    /* private mode: the token lives for this tab only */
  }
  auth.value = { token, username };
}

export function signOutLocally(): void {
  try {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
  } catch {
    /* ignore */
  }
  auth.value = { token: null, username: null };
}

/** The effective configuration: from IndexedDB at once, refreshed with If-None-Match. */
export async function fetchConfig(lang: string): Promise<Config> {
  const key = `${auth.value.username ?? ""}/${lang}`;
  const cached = await getCachedConfig(key).catch(() => undefined);
  try {
    const headers: Record<string, string> = {};
    if (cached?.etag) headers["If-None-Match"] = cached.etag;
    const token = auth.value.token;
    if (token) headers.Authorization = `Token ${token}`;
    headers["Accept-Language"] = lang;
    let response: Response;
    try {
      response = await fetch(`${API}/config/?lang=${encodeURIComponent(lang)}`, { headers, credentials: "same-origin" });
    } catch (e) {
      throw new NetworkError(String(e));
    }
    if (response.status === 304 && cached) return cached.config;
    if (response.status === 401) {
      signOutLocally();
      throw new ApiError(401, "not_authenticated", "Sign in again.");
    }
    if (!response.ok) throw new ApiError(response.status, `http_${response.status}`, response.statusText);
    const config = (await response.json()) as Config;
    await putCachedConfig({ key, etag: response.headers.get("ETag"), config, fetchedAt: new Date().toISOString() }).catch(
      () => undefined,
    );
    return config;
  } catch (e) {
    if (e instanceof NetworkError && cached) return cached.config;
    throw e;
  }
}

export interface ListParams {
  page?: number;
  page_size?: number;
  q?: string;
  ordering?: string;
  [filter: string]: string | number | undefined;
}

export function listRecords(recordType: string, params: ListParams = {}): Promise<Page<KRecord>> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") qs.set(k, String(v));
  return request<Page<KRecord>>("GET", `records/${encodeURIComponent(recordType)}/?${qs}`);
}

export async function getRecord(recordType: string, id: string): Promise<KRecord> {
  const record = await request<KRecord>("GET", `records/${encodeURIComponent(recordType)}/${encodeURIComponent(id)}/`);
  cacheRecord(record).catch(() => undefined);
  return record;
}

/** shortId: one of the user's reserved ids (store/shortIds.ts); a second create with it answers 409. */
export function createRecord(recordType: string, data: Record<string, unknown>, shortId?: string): Promise<KRecord> {
  return request<KRecord>("POST", `records/${encodeURIComponent(recordType)}/`, shortId ? { data, short_id: shortId } : { data });
}

export function patchRecord(recordType: string, id: string, version: number, data: Record<string, unknown>): Promise<KRecord> {
  return request<KRecord>("PATCH", `records/${encodeURIComponent(recordType)}/${encodeURIComponent(id)}/`, { version, data });
}

/** Upload a file for an attachment field (needs the back end's attachments endpoint). */
export function uploadAttachment(file: File, fieldKey: string): Promise<{ id: string; file_name: string; content_type: string; size: number }> {
  const form = new FormData();
  form.append("file", file);
  form.append("field_key", fieldKey);
  return request("POST", "attachments/", form);
}

// -- two-factor enrolment (the enrolment token is accepted only by these two endpoints) ----------------

const enrolment = (token: string): RequestInit => ({ headers: { Authorization: `Enrolment ${token}` } });

export function startTwoFactor(enrolmentToken: string): Promise<{ otpauth_uri: string; secret: string }> {
  return request("POST", "auth/2fa/setup/", undefined, enrolment(enrolmentToken));
}

export function confirmTwoFactor(enrolmentToken: string, code: string): Promise<{ recovery_codes: string[] }> {
  return request("POST", "auth/2fa/confirm/", { code: code.replace(/\s+/g, "") }, enrolment(enrolmentToken));
}

// -- duplicates (search/api_views.py) ------------------------------------------------------------------

export async function checkDuplicates(recordType: string, data: Record<string, unknown>, signal?: AbortSignal): Promise<DuplicateCandidate[]> {
  const answer = await request<{ candidates: DuplicateCandidate[] }>("POST", "duplicates/check", { record_type: recordType, data }, { signal });
  return answer?.candidates ?? [];
}

export function recordNotDuplicate(recordA: string, recordB: string, note = ""): Promise<unknown> {
  return request("POST", "duplicates/decisions", { record_a: recordA, record_b: recordB, decision: "not_duplicate", note });
}

export function requestAccess(accessRef: string, reason: string): Promise<{ requested: boolean; agency: string; audit_id: number }> {
  return request("POST", "duplicates/request-access", { access_ref: accessRef, reason });
}

// -- workflow (platform/kinga/workflow/api_views.py) ---------------------------------------------------

export function myOverdue(): Promise<{ count: number; items: DeadlineState[] }> {
  return request("GET", "workflow/my-overdue/");
}

export function deadlineReport(recordType: string, state?: string): Promise<DeadlineReport> {
  const qs = new URLSearchParams({ record_type: recordType });
  if (state) qs.set("state", state);
  return request("GET", `workflow/deadlines/?${qs}`);
}

export function recordWorkflow(recordType: string, id: string): Promise<RecordWorkflow> {
  return request("GET", `records/${encodeURIComponent(recordType)}/${encodeURIComponent(id)}/workflow/`);
}
