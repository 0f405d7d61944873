// Sending drafts to the server: one function used by the editor (on section change and save) and by
// the outbox replay (when the device comes back online).
import { ApiError, NetworkError, createRecord, patchRecord } from "../api/client";
import type { Config, Field, KRecord } from "../api/types";
import { isEditable } from "../forms/access";
import { type FieldIssue, fieldInfo } from "../forms/engine";
import { type Draft, deleteDraft, enqueue, listDrafts, outbox, putDraft } from "./db";
import { signal } from "../lib/signal";

export type SendOutcome =
  | { kind: "saved"; record: KRecord }
  | { kind: "conflict"; server: KRecord }
  | { kind: "invalid"; issues: FieldIssue[]; message: string }
  | { kind: "offline" }
  | { kind: "nothing" };

/** How many drafts wait for the network (shown in the header). */
export const pendingCount = signal(0);

export async function refreshPending(): Promise<void> {
  try {
    pendingCount.value = (await outbox()).length;
  } catch {
    /* IndexedDB unavailable */
  }
}

function storesNothing(config: Config, recordType: string, key: string): boolean {
  const f: Field | undefined = fieldInfo(config, recordType, key)?.field;
  return !!f && (f.type === "calculated" || f.type === "note" || f.type === "section" || !!f.calculation);
}

/** Fields the user may only read or sees masked: their values (a mask, a copy of the server's) are
 * never sent back. */
function notMine(config: Config, recordType: string, key: string): boolean {
  return !isEditable(fieldInfo(config, recordType, key)?.field);
}

/** The body a draft sends: everything on create, only the changed keys (null clears) on update;
 * never calculated, read-only or masked fields. */
export function payload(config: Config, draft: Draft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = draft.recordId ? draft.dirty : Object.keys(draft.data);
  for (const key of keys) {
    if (storesNothing(config, draft.recordType, key) || notMine(config, draft.recordType, key)) continue;
    const v = draft.data[key];
    const empty = v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
    if (empty) {
      if (draft.recordId) out[key] = null;
    } else out[key] = v;
  }
  return out;
}

function issuesFrom(e: ApiError): FieldIssue[] {
  return e.issues.map((i) => ({ path: i.field, code: i.code, message: i.message, severity: i.severity === "warning" ? "warning" : "error" }));
}

export async function sendDraft(config: Config, draft: Draft): Promise<SendOutcome> {
  if (draft.recordId && draft.dirty.length === 0) return { kind: "nothing" };
  try {
    const record = draft.recordId
      ? await patchRecord(draft.recordType, draft.recordId, draft.baseVersion ?? 1, payload(config, draft))
      : await createRecord(draft.recordType, payload(config, draft));
    await deleteDraft(draft.key);
    await refreshPending();
    return { kind: "saved", record };
  } catch (e) {
    if (e instanceof NetworkError || (e instanceof ApiError && e.status >= 502)) {
      await putDraft(draft);
      await enqueue(draft.key, String(e));
      await refreshPending();
      return { kind: "offline" };
    }
    if (e instanceof ApiError && e.status === 409 && e.details && typeof e.details === "object" && "data" in (e.details as object)) {
      return { kind: "conflict", server: e.details as KRecord };
    }
    if (e instanceof ApiError) return { kind: "invalid", issues: issuesFrom(e), message: e.message };
    throw e;
  }
}

/** Replay the outbox: send every queued draft; conflicts and refusals stay as drafts for the user. */
export async function replayOutbox(config: Config): Promise<void> {
  const entries = await outbox();
  const drafts = new Map((await listDrafts()).map((d) => [d.key, d]));
  for (const entry of entries) {
    const draft = drafts.get(entry.draftKey);
    if (!draft) continue;
    const outcome = await sendDraft(config, draft);
    if (outcome.kind === "offline") break;
  }
  await refreshPending();
}
