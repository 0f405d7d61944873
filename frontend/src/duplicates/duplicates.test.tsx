import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Config, DuplicateCandidate } from "../api/types";
import { testConfig } from "../forms/testConfig";
import { language } from "../i18n";
import { DuplicatePanel } from "./DuplicatePanel";
import { candidateKey, checkData, dataKey, describeReason, nameKeys, percent, ranked, rulesFor, unacknowledged } from "./logic";

const config: Config = {
  ...testConfig,
  record_types: { case: { ...testConfig.record_types.case, person: true } },
  duplicate_rules: {
    case: {
      threshold: 0.75,
      fields: [
        { key: "name_first", method: "name", weight: 3 },
        { key: "name_last", method: "name", weight: 3 },
        { key: "sex", method: "exact", weight: 2 },
        { key: "date_of_birth", method: "date", weight: 2 },
        { key: "age", method: "age", weight: 1 },
        { key: "location", method: "location", weight: 1 },
      ],
    },
  },
};

const visible: DuplicateCandidate = {
  record_id: "11111111-1111-1111-1111-111111111111",
  short_id: "CP-AAAA-BBBB-1",
  record_type: "case",
  score: 0.912,
  same_person: false,
  reasons: [
    { field: "name_first", method: "name", score: 0.95, detail: "spelling variant" },
    { field: "name_last", method: "name", score: 0.95, detail: "same (written as name_first)" },
    { field: "sex", method: "exact", score: 1, detail: "same" },
    { field: "date_of_birth", method: "date", score: 0.9, detail: "day and month swapped" },
    { field: "age", method: "age", score: 0.7, detail: "age 11 vs date of birth (age 11)" },
  ],
};
const restricted: DuplicateCandidate = { restricted: true, agency: "Hope for Children", score: 0.955, access_ref: "signed-token-abc" };

describe("duplicate check: what is sent and when", () => {
  it("applies only to person record types with rules", () => {
    expect(rulesFor(config, "case")).not.toBeNull();
    expect(rulesFor(testConfig, "case")).toBeNull(); // not a person record type
    expect(rulesFor({ ...config, duplicate_rules: {} }, "case")).toBeNull();
  });

  it("blocks on the person's highest-weight names unless the rules say otherwise", () => {
    expect(nameKeys(config.duplicate_rules!.case)).toEqual(["name_first", "name_last"]);
    expect(nameKeys({ fields: [{ key: "a", method: "name", weight: 1 }, { key: "b", method: "name", weight: 1, blocking: true }] })).toEqual(["b"]);
  });

  it("waits for a name and a third of the weight, and sends only identifying fields", () => {
    expect(checkData(config, "case", { name_first: "Amina" })).toBeNull(); // 3/12
    expect(checkData(config, "case", { sex: "f", date_of_birth: "2015-01-01" })).toBeNull(); // no name
    const data = checkData(config, "case", { name_first: " Amina ", sex: "f", consent: true, household: [{ member_name: "X" }] });
    expect(data).toEqual({ name_first: "Amina", sex: "f" }); // 5/12, trimmed, nothing else
    expect(dataKey(data)).toBe(dataKey({ sex: "f", name_first: "Amina" }));
  });

  it("never sends a masked value", () => {
    const masked: Config = JSON.parse(JSON.stringify(config));
    masked.forms.reg.sections[0].fields.find((f) => f.key === "name_last")!.access = "masked";
    expect(checkData(masked, "case", { name_first: "Amina", name_last: "K***", sex: "f" })).toEqual({ name_first: "Amina", sex: "f" });
  });

  it("ranks, keys and filters answered candidates (restricted ones by agency: their ref changes)", () => {
    expect(ranked([visible, restricted])[0]).toBe(restricted);
    expect(candidateKey(visible)).toBe(visible.record_id);
    expect(candidateKey(restricted)).toBe("restricted:Hope for Children");
    expect(unacknowledged([visible, { ...restricted, access_ref: "other" }], new Set(["restricted:Hope for Children"]))).toEqual([visible]);
    expect(percent(0.912)).toBe("91 %");
  });

  it("says reasons in plain words, naming the field a name was written in", () => {
    language.value = "en";
    const r = describeReason(config, "case", visible.reasons[0], "en", { name_first: "Muhammad" });
    expect(r).toMatchObject({ fieldLabel: "First name", text: "a spelling variant of the same name", strength: "strong", mine: "Muhammad" });
    expect(describeReason(config, "case", visible.reasons[1], "en").text).toBe("the same (written as First name)");
    expect(describeReason(config, "case", visible.reasons[3], "en").text).toBe("day and month swapped");
    // A detail the app does not know is shown as the server wrote it.
    expect(describeReason(config, "case", visible.reasons[4], "en")).toMatchObject({ text: "age 11 vs date of birth (age 11)", strength: "partial" });
    language.value = "fr";
    expect(describeReason(config, "case", visible.reasons[0], "fr")).toMatchObject({ fieldLabel: "Prénom", text: "une variante orthographique du même nom" });
    language.value = "en";
  });
});

describe("DuplicatePanel", () => {
  let host: HTMLDivElement;
  const fetchMock = vi.fn();
  beforeEach(() => {
    host = document.createElement("div");
    document.body.appendChild(host);
    language.value = "en";
    fetchMock.mockReset();
    fetchMock.mockImplementation(async (url: string, init: RequestInit) => {
      if (String(url).includes("/records/case/")) {
        return new Response(JSON.stringify({ id: visible.record_id, short_id: "CP-AAAA-BBBB-1", record_type: "case", data: { name_first: "Mohamed", name_last: "Ali" }, version: 1 }), { status: 200 });
      }
      if (String(url).endsWith("duplicates/request-access")) {
        return new Response(JSON.stringify({ requested: true, agency: "Hope for Children", audit_id: 7, body: JSON.parse(String(init.body)) }), { status: 201 });
      }
      return new Response("{}", { status: 404 });
    });
    vi.stubGlobal("fetch", fetchMock);
  });
  afterEach(() => {
    render(null, host);
    host.remove();
    vi.unstubAllGlobals();
  });

  const flush = () => act(async () => { await new Promise((r) => setTimeout(r, 0)); });

  it("lists ranked candidates with score, reasons, and the actions", async () => {
    const onContinue = vi.fn();
    act(() => {
      render(<DuplicatePanel config={config} recordType="case" lang="en" candidates={ranked([visible, restricted])} mine={{ name_first: "Muhammad", sex: "m" }} onContinue={onContinue} />, host);
    });
    await flush();
    const items = host.querySelectorAll(".dup-item");
    expect(items.length).toBe(2);
    expect(items[0].getAttribute("data-restricted")).toBe("true"); // 0.955 first
    expect(host.querySelector("h2")?.textContent).toBe("Possible duplicates (2)");
    const item = host.querySelector(`[data-record="${visible.record_id}"]`)!;
    expect(item.querySelector(".dup-score")?.textContent).toBe("91 %");
    expect(item.querySelector(".record-title")?.textContent).toBe("Mohamed Ali"); // fetched: the user may see it
    const first = item.querySelector('.dup-reason[data-field="name_first"]')!;
    expect(first.textContent).toContain("First name: a spelling variant of the same name");
    expect(first.textContent).toContain("you entered Muhammad");
    expect(item.querySelector('.dup-reason[data-field="sex"]')?.textContent).toContain("you entered Male");
    expect(item.querySelector('[data-action="open-existing"]')?.getAttribute("href")).toBe(`#/records/case/${visible.record_id}`);
    expect(item.querySelector('[data-action="open-existing"]')?.textContent).toBe("Open existing case");
    act(() => (host.querySelector('[data-action="not-duplicate"]') as HTMLButtonElement).click());
    expect(onContinue).toHaveBeenCalledOnce();
  });

  it("shows a restricted candidate's agency and score only, and requests access with a reason", async () => {
    act(() => {
      render(<DuplicatePanel config={config} recordType="case" lang="en" candidates={[restricted]} mine={{}} onContinue={() => undefined} />, host);
    });
    const item = host.querySelector(".dup-restricted")!;
    expect(item.textContent).toContain("A likely duplicate exists at Hope for Children");
    expect(item.textContent).toContain("96 %");
    expect(item.textContent).not.toContain("signed-token-abc");
    expect(item.querySelector(".dup-reasons")).toBeNull();
    expect(item.querySelector("a")).toBeNull(); // nothing to open
    act(() => (item.querySelector('[data-action="request-access"]') as HTMLButtonElement).click());
    const send = item.querySelector('[data-action="send-access-request"]') as HTMLButtonElement;
    expect(send.disabled).toBe(true); // a reason is required
    const reason = item.querySelector("textarea")!;
    act(() => {
      reason.value = "Same child referred by the school";
      reason.dispatchEvent(new Event("input", { bubbles: true }));
    });
    act(() => {
      (item.querySelector("form") as HTMLFormElement).dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    });
    await flush();
    const call = fetchMock.mock.calls.find(([u]) => String(u).endsWith("duplicates/request-access"))!;
    expect(JSON.parse(String(call[1].body))).toEqual({ access_ref: "signed-token-abc", reason: "Same child referred by the school" });
    expect(item.textContent).toContain("Access requested from Hope for Children");
    // No request for the restricted record itself was ever made.
    expect(fetchMock.mock.calls.every(([u]) => !String(u).includes("/records/"))).toBe(true);
  });

  it("renders nothing without candidates", () => {
    act(() => {
      render(<DuplicatePanel config={config} recordType="case" lang="en" candidates={[]} mine={{}} onContinue={() => undefined} />, host);
    });
    expect(host.innerHTML).toBe("");
  });
});
