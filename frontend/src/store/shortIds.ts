// A stock of short ids reserved on the server (POST /api/v1/records/<type>/short-ids/, see
// docs/records.md "Short ids"), kept per user and record type in IndexedDB, so that a record created
// offline has its id before it reaches the server and a replayed create is recognised (409) instead
// of making a second record. Topping up runs in the background and only online; taking an id removes
// it from the stock in the same transaction, so no id is ever handed out twice.
import { auth, request } from "../api/client";
import type { Config } from "../api/types";
import { canDo } from "../forms/access";
import { db } from "./db";

/** Below this many ids a record type's stock is topped up... */
export const LOW_WATER = 10;
/** ...with a block of this many. */
export const BLOCK = 25;

const owner = (recordType: string, user = auth.value.username ?? "") => `${user}/${recordType}`;

function online(): boolean {
  return typeof navigator === "undefined" || navigator.onLine !== false;
}

export async function stockSize(recordType: string): Promise<number> {
  return (await db()).countFromIndex("shortIds", "byOwner", owner(recordType));
}

/** One reserved id for a new record of this type, removed from the stock; undefined when there is
 * none (the server then mints one, as for any create without short_id). Tops up in the background. */
export async function takeShortId(recordType: string): Promise<string | undefined> {
  let id: string | undefined;
  try {
    const tx = (await db()).transaction("shortIds", "readwrite");
    const cursor = await tx.store.index("byOwner").openCursor(owner(recordType));
    if (cursor) {
      id = cursor.value.shortId;
      await cursor.delete();
    }
    await tx.done;
  } catch {
    id = undefined; // IndexedDB unavailable: no stock
  }
  void topUp(recordType);
  return id;
}

const inFlight = new Map<string, Promise<number>>();

/** Fetch a block when online and the stock is below the low-water mark; answers how many ids were
 * added (0 when offline, stocked, or the server refused). Never throws; one request per stock at a time. */
export function topUp(recordType: string): Promise<number> {
  const key = owner(recordType);
  if (!auth.value.token || !online()) return Promise.resolve(0);
  const running = inFlight.get(key);
  if (running) return running;
  const job = (async () => {
    try {
      if ((await stockSize(recordType)) >= LOW_WATER) return 0;
      const answer = await request<{ record_type: string; short_ids: string[] }>(
        "POST",
        `records/${encodeURIComponent(recordType)}/short-ids/`,
        { count: BLOCK },
      );
      const ids = answer?.short_ids ?? [];
      const tx = (await db()).transaction("shortIds", "readwrite");
      const now = new Date().toISOString();
      // The user signed out meanwhile? The ids were reserved for the user who asked: keep them theirs.
      await Promise.all(ids.map((shortId) => tx.store.put({ shortId, owner: key, reservedAt: now })));
      await tx.done;
      return ids.length;
    } catch {
      return 0; // offline after all, no permission, server trouble: try again next time
    } finally {
      inFlight.delete(key);
    }
  })();
  inFlight.set(key, job);
  return job;
}

/** Top up the stock of every record type the user may create (at start and on coming online). */
export async function topUpAll(config: Config): Promise<void> {
  const types = Object.keys(config.record_types ?? {}).filter((rt) => canDo(config, rt, "create"));
  await Promise.all(types.map((rt) => topUp(rt)));
}
