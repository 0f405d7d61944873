// Sending drafts to the server: one function used by the editor (on section change and save) and by
// the outbox replay (when the device comes back online).
import { ApiError, NetworkError, createRecord, getRecord, patchRecord } from "../api/client";
import type { Config, Field, KRecord } from "../api/types";
import { isEditable } from "../forms/access";
import { type FieldIssue, fieldInfo } from "../forms/engine";
import { type Draft, deleteDraft, enqueue, listDrafts, outbox, putDraft } from "./db";
import { signal } from "../lib/signal";
import { takeShortId, topUpAll } from "./shortIds";

export type SendOutcome =
  | { kind: "saved"; record: KRecord }
  | { kind: "conflict"; server: KRecord }
  | { kind: "invalid"; issues: FieldIssue[]; message: string; shortIdRefused?: boolean }
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

/** A new record's draft with a reserved short id (taken from the stock once, and stored with the draft
 * before anything is sent, so every later attempt — after a reload, a crash, a lost answer — sends the
 * same id). Drafts of existing records, drafts already holding an id, and an empty stock: unchanged. */
export async function withReservedShortId(draft: Draft): Promise<Draft> {
  if (draft.recordId || draft.reservedShortId) return draft;
  const reservedShortId = await takeShortId(draft.recordType);
  if (!reservedShortId) return draft;
  const next = { ...draft, reservedShortId };
  await putDraft(next);
  return next;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
const same = (a: unknown, b: unknown) => (isEmpty(a) && isEmpty(b)) || JSON.stringify(a) === JSON.stringify(b);

/** A create answered 409 for the draft's reserved id: an earlier attempt reached the server (its answer
 * was lost). Continue with that record — sending what was typed since as an update — rather than
 * failing or creating it twice. An id the server will not give back (not ours) is dropped from the draft. */
async function alreadyCreated(config: Config, draft: Draft, refusal: ApiError): Promise<SendOutcome> {
  let existing: KRecord;
  try {
    existing = await getRecord(draft.recordType, draft.reservedShortId!);
  } catch (e) {
    if (e instanceof NetworkError || (e instanceof ApiError && e.status >= 502)) return keepForLater(draft, e);
    if (e instanceof ApiError) {
      await putDraft({ ...draft, reservedShortId: undefined });
      return { kind: "invalid", issues: [], message: refusal.message, shortIdRefused: true };
    }
    throw e;
  }
  const dirty = draft.dirty.filter((k) => !same(draft.data[k], existing.data[k]));
  if (!dirty.length || !payloadKeys(config, { ...draft, recordId: existing.id, dirty })) {
    await deleteDraft(draft.key);
    await refreshPending();
    return { kind: "saved", record: existing };
  }
  return sendDraft(config, { ...draft, recordId: existing.id, baseVersion: existing.version, base: existing.data, dirty });
}

const payloadKeys = (config: Config, draft: Draft) => Object.keys(payload(config, draft)).length;

async function keepForLater(draft: Draft, e: unknown): Promise<SendOutcome> {
  await putDraft(draft);
  await enqueue(draft.key, String(e));
  await refreshPending();
  return { kind: "offline" };
}

export async function sendDraft(config: Config, draft: Draft): Promise<SendOutcome> {
  if (draft.recordId && draft.dirty.length === 0) return { kind: "nothing" };
  draft = await withReservedShortId(draft);
  try {
    const record = draft.recordId
      ? await patchRecord(draft.recordType, draft.recordId, draft.baseVersion ?? 1, payload(config, draft))
      : await createRecord(draft.recordType, payload(config, draft), draft.reservedShortId);
    await deleteDraft(draft.key);
    await refreshPending();
    return { kind: "saved", record };
  } catch (e) {
    if (e instanceof NetworkError || (e instanceof ApiError && e.status >= 502)) return keepForLater(draft, e);
    if (e instanceof ApiError && e.status === 409 && !draft.recordId && draft.reservedShortId) return alreadyCreated(config, draft, e);
    if (e instanceof ApiError && e.status === 409 && e.details && typeof e.details === "object" && "data" in (e.details as object)) {
      return { kind: "conflict", server: e.details as KRecord };
    }
    if (e instanceof ApiError) return { kind: "invalid", issues: issuesFrom(e), message: e.message };
    throw e;
  }
}

/** Replay the outbox: send every queued draft; conflicts and refusals stay as drafts for the user. */
export async function replayOutbox(config: Config): Promise<void> {
  // Called at start and on coming back online: also the moment to top up the reserved short ids.
  void topUpAll(config).catch(() => undefined);
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
