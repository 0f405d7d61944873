import "fake-indexeddb/auto";
import { openDB } from "idb";
import { expect, it } from "vitest";
import { DB_NAME, db, getDraft } from "./db";

it("upgrades a version 1 store to version 2, keeping its data and adding the short id stock", async () => {
  const v1 = await openDB(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore("drafts", { keyPath: "key" }).createIndex("byRecordType", "recordType");
      database.createObjectStore("outbox", { keyPath: "id", autoIncrement: true }).createIndex("byDraft", "draftKey");
      database.createObjectStore("config", { keyPath: "key" });
      database.createObjectStore("records", { keyPath: "id" });
    },
  });
  await v1.put("drafts", { key: "case/new:1", recordType: "case", recordId: null, baseVersion: null, base: {}, data: { name_first: "Amina" }, dirty: [], formId: "reg", updatedAt: "" });
  await v1.put("records", { id: "r1", short_id: "CP-1", data: {} });
  v1.close();

  const d = await db();
  expect(d.version).toBe(2);
  expect((await getDraft("case/new:1"))?.data.name_first).toBe("Amina");
  expect((await d.get("records", "r1"))?.short_id).toBe("CP-1");
  await d.put("shortIds", { shortId: "CP-G0000001-X", owner: "amina/case", reservedAt: "" });
  expect(await d.countFromIndex("shortIds", "byOwner", "amina/case")).toBe(1);
});
