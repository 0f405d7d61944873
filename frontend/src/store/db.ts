// The local store (IndexedDB), laid out for full offline sync later:
//   drafts   one per record being edited (key "<record_type>/<id>" or "<record_type>/new:<uuid>"):
//            the server's copy it started from (base + baseVersion) and the local data; the set of
//            changed keys is what goes to the server, and what a conflict is merged on.
//   outbox   requests waiting for the network, in order (autoIncrement id); today one entry per
//            draft that must be sent; later the sync engine replays them.
//   config   the effective configuration with its ETag (GET /api/v1/config/ answers 304 when unchanged).
//   records  server copies of records seen recently (for reading offline); keyed by id.
//   shortIds short ids reserved on the server for this device's offline creates (v2): one row per id,
//            indexed by "<user>/<record_type>"; an id is deleted as it is taken, so never used twice.
import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { Config, KRecord } from "../api/types";

export interface Draft {
  key: string;
  recordType: string;
  recordId: string | null; // null until the server has created it
  shortId?: string; // the record's id as the server knows it (shown on the form)
  /** A new record's reserved short id (store/shortIds.ts), sent with every create attempt so a
   * replayed create is recognised (409) instead of making a second record. */
  reservedShortId?: string;
  baseVersion: number | null;
  base: Record<string, unknown>;
  data: Record<string, unknown>;
  dirty: string[];
  formId: string;
  sectionId?: string;
  updatedAt: string;
}

export interface OutboxEntry {
  id?: number;
  draftKey: string;
  createdAt: string;
  attempts: number;
  lastError?: string;
}

export interface CachedConfig {
  key: string; // "<user>/<lang>"
  etag: string | null;
  config: Config;
  fetchedAt: string;
}

export interface StockedShortId {
  shortId: string;
  owner: string; // "<user>/<record_type>"
  reservedAt: string;
}

interface KingaDB extends DBSchema {
  drafts: { key: string; value: Draft; indexes: { byRecordType: string } };
  outbox: { key: number; value: OutboxEntry; indexes: { byDraft: string } };
  config: { key: string; value: CachedConfig };
  records: { key: string; value: KRecord & { cachedAt: string } };
  shortIds: { key: string; value: StockedShortId; indexes: { byOwner: string } };
}

export const DB_NAME = "kinga";
const DB_VERSION = 2;

let dbPromise: Promise<IDBPDatabase<KingaDB>> | null = null;

export function db(): Promise<IDBPDatabase<KingaDB>> {
  if (!dbPromise) {
    dbPromise = openDB<KingaDB>(DB_NAME, DB_VERSION, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          const drafts = database.createObjectStore("drafts", { keyPath: "key" });
          drafts.createIndex("byRecordType", "recordType");
          const outbox = database.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
          outbox.createIndex("byDraft", "draftKey");
          database.createObjectStore("config", { keyPath: "key" });
          database.createObjectStore("records", { keyPath: "id" });
        }
        if (oldVersion < 2) {
          // Added in v2; version 1 stores are left as they are.
          database.createObjectStore("shortIds", { keyPath: "shortId" }).createIndex("byOwner", "owner");
        }
      },
    });
  }
  return dbPromise;
}

/** For tests: forget the open connection. */
export function resetDbForTests(): void {
  dbPromise = null;
}

export const draftKey = (recordType: string, id: string) => `${recordType}/${id}`;

export async function getDraft(key: string): Promise<Draft | undefined> {
  return (await db()).get("drafts", key);
}

export async function putDraft(draft: Draft): Promise<void> {
  await (await db()).put("drafts", { ...draft, updatedAt: new Date().toISOString() });
}

export async function deleteDraft(key: string): Promise<void> {
  const d = await db();
  const tx = d.transaction(["drafts", "outbox"], "readwrite");
  await tx.objectStore("drafts").delete(key);
  const outbox = tx.objectStore("outbox");
  for (const id of await outbox.index("byDraft").getAllKeys(key)) await outbox.delete(id);
  await tx.done;
}

export async function listDrafts(recordType?: string): Promise<Draft[]> {
  const d = await db();
  return recordType ? d.getAllFromIndex("drafts", "byRecordType", recordType) : d.getAll("drafts");
}

/** Queue a draft for sending (once: a draft has at most one outbox entry). */
export async function enqueue(key: string, error?: string): Promise<void> {
  const d = await db();
  const tx = d.transaction("outbox", "readwrite");
  const existing = await tx.store.index("byDraft").get(key);
  if (existing) await tx.store.put({ ...existing, attempts: existing.attempts + 1, lastError: error });
  else await tx.store.add({ draftKey: key, createdAt: new Date().toISOString(), attempts: 0, lastError: error });
  await tx.done;
}

export async function outbox(): Promise<OutboxEntry[]> {
  return (await db()).getAll("outbox");
}

export async function getCachedConfig(key: string): Promise<CachedConfig | undefined> {
  return (await db()).get("config", key);
}

export async function putCachedConfig(entry: CachedConfig): Promise<void> {
  await (await db()).put("config", entry);
}

export async function cacheRecord(record: KRecord): Promise<void> {
  await (await db()).put("records", { ...record, cachedAt: new Date().toISOString() });
}

export async function getCachedRecord(id: string): Promise<KRecord | undefined> {
  return (await db()).get("records", id);
}

/** Everything local goes on sign-out: the next person on a shared device must not see it. (Reserved
 * short ids stay: they are kept per user, say nothing about anyone, and are the next sign-in's
 * offline stock.) */
export async function clearAll(): Promise<void> {
  const d = await db();
  const tx = d.transaction(["drafts", "outbox", "config", "records"], "readwrite");
  await Promise.all([
    tx.objectStore("drafts").clear(),
    tx.objectStore("outbox").clear(),
    tx.objectStore("config").clear(),
    tx.objectStore("records").clear(),
  ]);
  await tx.done;
}
