// The records API client: token auth, the error envelope, the cached configuration.
import { language } from "../i18n";
import { signal } from "../lib/signal";
import { cacheRecord, getCachedConfig, putCachedConfig } from "../store/db";
import type { Config, Issue, KRecord, Page } from "./types";

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

export async function request<T>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": language.value };
  const token = auth.value.token;
  if (token) headers.Authorization = `Token ${token}`;
  if (body !== undefined && !(body instanceof FormData)) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path.startsWith("/") ? path : `${API}/${path}`, {
      method,
      headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
      credentials: "same-origin",
      ...init,
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

export async function login(username: string, password: string): Promise<void> {
  const { token } = await request<{ token: string }>("POST", "auth/token/", { username, password });
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

export function createRecord(recordType: string, data: Record<string, unknown>): Promise<KRecord> {
  return request<KRecord>("POST", `records/${encodeURIComponent(recordType)}/`, { data });
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
