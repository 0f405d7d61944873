import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { auth } from "../api/client";
import type { KRecord } from "../api/types";
import { testConfig } from "../forms/testConfig";
import { type Draft, db, draftKey, getDraft, outbox, putDraft, resetDbForTests } from "./db";
import { BLOCK, LOW_WATER, stockSize, takeShortId, topUp, topUpAll } from "./shortIds";
import { sendDraft } from "./sync";

type Call = { method: string; url: string; body: any };
let calls: Call[];
let online: boolean;
let serial: number;
/** What the fake server answers, by "METHOD url"; defaults: short-id blocks are minted. */
let answers: Record<string, (c: Call) => Response | Promise<Response>>;

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
const block = (n: number) => Array.from({ length: n }, () => `CP-G${String(++serial).padStart(7, "0")}-X`);

beforeEach(async () => {
  calls = [];
  online = true;
  serial = 0;
  answers = {};
  auth.value = { token: "tok", username: "amina" };
  Object.defineProperty(navigator, "onLine", { configurable: true, get: () => online });
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit) => {
      const call = { method: init.method ?? "GET", url, body: init.body ? JSON.parse(String(init.body)) : undefined };
      calls.push(call);
      if (!online) throw new TypeError("Failed to fetch");
      const answer = answers[`${call.method} ${url}`];
      if (answer) return answer(call);
      const m = url.match(/records\/(\w+)\/short-ids\/$/);
      if (call.method === "POST" && m) return json(201, { record_type: m[1], short_ids: block(call.body.count) });
      return json(404, { error: { code: "not_found", message: "No such record." } });
    }),
  );
  const d = await db();
  await d.clear("shortIds");
  await d.clear("drafts");
  await d.clear("outbox");
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const reservations = () => calls.filter((c) => c.url.endsWith("/short-ids/"));

describe("reserved short id stock", () => {
  it("fetches a block when the stock is below the low-water mark, not when it is full", async () => {
    expect(await topUp("case")).toBe(BLOCK);
    expect(reservations()).toEqual([{ method: "POST", url: "/api/v1/records/case/short-ids/", body: { count: BLOCK } }]);
    expect(await stockSize("case")).toBe(BLOCK);
    expect(await topUp("case")).toBe(0); // stocked: no request
    expect(reservations().length).toBe(1);

    // Take down to below the mark: the take itself starts a top-up in the background.
    for (let i = 0; i < BLOCK - LOW_WATER + 1; i++) await takeShortId("case");
    await topUp("case"); // joins the background request (or finds the stock full)
    expect(reservations().length).toBe(2);
    expect(await stockSize("case")).toBe(LOW_WATER - 1 + BLOCK);
  });

  it("tops up every record type the user may create, and only those", async () => {
    const config = { ...testConfig, access: { case: ["view", "create"], incident: ["view"] }, record_types: { ...testConfig.record_types, incident: { id: "incident" } as never } };
    await topUpAll(config);
    expect(reservations().map((c) => c.url)).toEqual(["/api/v1/records/case/short-ids/"]);
  });

  it("does not fetch offline, and an empty stock gives undefined (the server mints)", async () => {
    online = false;
    expect(await topUp("case")).toBe(0);
    expect(await takeShortId("case")).toBeUndefined();
    await topUp("case");
    expect(calls).toEqual([]);
    expect(await stockSize("case")).toBe(0);
  });

  it("never hands out an id twice, even to concurrent takers, and keeps stocks per user", async () => {
    await topUp("case");
    online = false; // no refill: exactly BLOCK ids exist
    const taken = await Promise.all(Array.from({ length: BLOCK + 5 }, () => takeShortId("case")));
    const ids = taken.filter((x): x is string => !!x);
    expect(ids.length).toBe(BLOCK);
    expect(new Set(ids).size).toBe(BLOCK);
    expect(taken.filter((x) => x === undefined).length).toBe(5);

    online = true;
    await topUp("case");
    auth.value = { token: "tok2", username: "bruno" };
    expect(await stockSize("case")).toBe(0); // amina's stock is not bruno's
    auth.value = { token: "tok", username: "amina" };
    const again = await takeShortId("case");
    expect(again).toBeDefined();
    expect(ids).not.toContain(again);
  });
});

const newDraft = (over: Partial<Draft> = {}): Draft => ({
  key: draftKey("case", "new:abc"),
  recordType: "case",
  recordId: null,
  baseVersion: null,
  base: {},
  data: { name_first: "Amina" },
  dirty: ["name_first"],
  formId: "reg",
  updatedAt: "",
  ...over,
});

const serverRecord = (shortId: string, data: Record<string, unknown>, version = 1): KRecord =>
  ({ id: "0b7c6a1e-0000-4000-8000-000000000001", short_id: shortId, record_type: "case", version, data, status: "open" }) as unknown as KRecord;

describe("creating with a reserved short id", () => {
  it("a draft keeps its id across a lost answer and a reload; the retry sends the same id", async () => {
    await topUp("case");
    const before = await stockSize("case");
    // The create reaches nobody (offline): the draft is kept, queued, with its id.
    answers["POST /api/v1/records/case/"] = () => {
      throw new TypeError("Failed to fetch");
    };
    expect((await sendDraft(testConfig, newDraft())).kind).toBe("offline");
    const first = calls.find((c) => c.url === "/api/v1/records/case/")!;
    expect(first.body.short_id).toMatch(/^CP-G/);
    expect(first.body.data).toEqual({ name_first: "Amina" });

    resetDbForTests(); // reload: a new connection reads what was stored
    const stored = await getDraft("case/new:abc");
    expect(stored?.reservedShortId).toBe(first.body.short_id);
    expect((await outbox()).length).toBe(1);

    answers["POST /api/v1/records/case/"] = (c) => json(201, serverRecord(c.body.short_id, c.body.data));
    const outcome = await sendDraft(testConfig, stored!);
    const creates = calls.filter((c) => c.url === "/api/v1/records/case/");
    expect(creates.length).toBe(2);
    expect(creates[1].body.short_id).toBe(first.body.short_id);
    expect(outcome.kind === "saved" && outcome.record.short_id).toBe(first.body.short_id);
    expect(await stockSize("case")).toBe(before - 1); // one id used, by both attempts
    expect(await getDraft("case/new:abc")).toBeUndefined();
  });

  it("without stock the create goes without short_id (the server mints one)", async () => {
    online = false;
    await sendDraft(testConfig, newDraft());
    online = true;
    answers["POST /api/v1/records/case/"] = (c) => json(201, serverRecord("CP-1234", c.body.data));
    await sendDraft(testConfig, newDraft());
    const create = calls.find((c) => c.url === "/api/v1/records/case/")!;
    expect(create.body).toEqual({ data: { name_first: "Amina" } });
  });

  it("a 409 for the draft's own id resolves to the record the first attempt created", async () => {
    await putDraft(newDraft({ reservedShortId: "CP-GAAAAAAA-1" }));
    answers["POST /api/v1/records/case/"] = () => json(409, { error: { code: "conflict", message: "A record with short id CP-GAAAAAAA-1 already exists." } });
    answers["GET /api/v1/records/case/CP-GAAAAAAA-1/"] = () => json(200, serverRecord("CP-GAAAAAAA-1", { name_first: "Amina" }));
    const outcome = await sendDraft(testConfig, (await getDraft("case/new:abc"))!);
    expect(outcome.kind).toBe("saved");
    expect(outcome.kind === "saved" && outcome.record.short_id).toBe("CP-GAAAAAAA-1");
    expect(calls.filter((c) => c.method === "POST" && c.url === "/api/v1/records/case/").length).toBe(1);
    expect(calls.some((c) => c.method === "PATCH")).toBe(false); // nothing typed since
    expect(await getDraft("case/new:abc")).toBeUndefined();
  });

  it("after a 409 replay, what was typed since the first attempt goes as an update", async () => {
    const draft = newDraft({ reservedShortId: "CP-GAAAAAAA-1", data: { name_first: "Amina", name_last: "Ali" }, dirty: ["name_first", "name_last"] });
    answers["POST /api/v1/records/case/"] = () => json(409, { error: { code: "conflict", message: "exists" } });
    answers["GET /api/v1/records/case/CP-GAAAAAAA-1/"] = () => json(200, serverRecord("CP-GAAAAAAA-1", { name_first: "Amina" }, 3));
    answers["PATCH /api/v1/records/case/0b7c6a1e-0000-4000-8000-000000000001/"] = (c) => json(200, serverRecord("CP-GAAAAAAA-1", { name_first: "Amina", ...c.body.data }, 4));
    const outcome = await sendDraft(testConfig, draft);
    const patch = calls.find((c) => c.method === "PATCH")!;
    expect(patch.body).toEqual({ version: 3, data: { name_last: "Ali" } });
    expect(outcome.kind === "saved" && outcome.record.version).toBe(4);
  });

  it("a 409 for an id the server does not give back is an error, and the id is dropped", async () => {
    await putDraft(newDraft({ reservedShortId: "CP-GBBBBBBB-2" }));
    answers["POST /api/v1/records/case/"] = () => json(409, { error: { code: "conflict", message: "Short id CP-GBBBBBBB-2 is reserved for another user or record type." } });
    const outcome = await sendDraft(testConfig, (await getDraft("case/new:abc"))!);
    expect(outcome).toMatchObject({ kind: "invalid", shortIdRefused: true });
    expect((await getDraft("case/new:abc"))?.reservedShortId).toBeUndefined();
  });
});
