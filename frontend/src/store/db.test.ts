import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { type Draft, deleteDraft, draftKey, enqueue, getDraft, listDrafts, outbox, putDraft } from "./db";
import { payload } from "./sync";
import { testConfig } from "../forms/testConfig";

const draft = (over: Partial<Draft> = {}): Draft => ({
  key: draftKey("case", "new:1"),
  recordType: "case",
  recordId: null,
  baseVersion: null,
  base: {},
  data: { name_first: "Amina", age: 9 },
  dirty: ["name_first"],
  formId: "reg",
  updatedAt: "",
  ...over,
});

describe("local store", () => {
  it("keeps drafts and one outbox entry per draft", async () => {
    await putDraft(draft());
    expect((await getDraft("case/new:1"))?.data.name_first).toBe("Amina");
    expect((await listDrafts("case")).length).toBe(1);
    await enqueue("case/new:1");
    await enqueue("case/new:1", "offline");
    const entries = await outbox();
    expect(entries.length).toBe(1);
    expect(entries[0].attempts).toBe(1);
    await deleteDraft("case/new:1");
    expect(await getDraft("case/new:1")).toBeUndefined();
    expect((await outbox()).length).toBe(0);
  });

  it("sends everything but calculated fields on create, only changed keys on update", () => {
    expect(payload(testConfig, draft())).toEqual({ name_first: "Amina" });
    const update = draft({ recordId: "id-1", baseVersion: 3, data: { name_first: "Amina", sex: "f" }, dirty: ["sex", "name_last"] });
    expect(payload(testConfig, update)).toEqual({ sex: "f", name_last: null });
  });
});
