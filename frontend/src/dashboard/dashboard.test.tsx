import { render } from "preact";
import { act } from "preact/test-utils";
import { describe, expect, it } from "vitest";
import type { Config, DeadlineReport, Field, Page, RecordWorkflow } from "../api/types";
import { actionable, canDo, isEditable, isMaskedValue } from "../forms/access";
import { runEngine } from "../forms/engine";
import { FormRenderer } from "../forms/FormRenderer";
import { testConfig } from "../forms/testConfig";
import { language } from "../i18n";
import { payload } from "../store/sync";
import { isHighRisk, keyFacts, lastFollowUp, openDeadlines, openReferrals } from "../summary/summary";
import { approvalStatuses, closedStatuses, daysOverdue, groupOverdue, openCount, overdueByDeadline, overdueTotal, statusLabel } from "./logic";

const workflows: Config["workflows"] = {
  case: {
    statuses: [
      { id: "open", label: { en: "Registered" }, initial: true },
      { id: "case_plan", label: { en: "Case planning" } },
      { id: "closure_requested", label: { en: "Closure requested" } },
      { id: "closed", label: { en: "Closed" }, closed: true },
    ],
    transitions: [
      { id: "approve_case_plan", from: ["case_plan"], to: "implementation", requires_approval: true },
      { id: "request_closure", from: ["open", "case_plan"], to: "closure_requested" },
      { id: "approve_closure", from: ["closure_requested"], to: "closed", requires_approval: true },
      { id: "reopen", from: ["closed"], to: "open" },
    ],
    deadlines: [{ id: "case_plan" }],
  },
};

const page = (count: number): Page<unknown> => ({ count, next: null, previous: null, results: [] });

describe("My work: derived from the configuration's workflow", () => {
  const config: Config = { ...testConfig, workflows };

  it("finds closed statuses and the statuses waiting on an approval", () => {
    expect(closedStatuses(config, "case")).toEqual(["closed"]);
    expect(approvalStatuses(config, "case")).toEqual(["case_plan", "closure_requested"]);
    expect(approvalStatuses(testConfig, "case")).toEqual([]); // no workflow: no approvals tile
    expect(statusLabel(config, "case", "closure_requested", "en")).toBe("Closure requested");
    expect(statusLabel(config, "case", "unknown_status", "en")).toBe("unknown_status");
  });

  it("counts open high-risk records as all minus closed, from the server's counts", () => {
    expect(openCount(page(12), [page(3)])).toBe(9);
    expect(openCount(page(2), [page(5)])).toBe(0);
  });

  it("sums overdue deadlines of the report and groups my overdue items by record", () => {
    const report: DeadlineReport = {
      record_type: "case",
      computed_at: "",
      truncated: false,
      items: [],
      deadlines: [
        { id: "a", label: "Initial assessment", counts: { overdue: 1, pending: 4 } },
        { id: "b", label: "Case plan", counts: { overdue: 2 } },
        { id: "c", label: "Review", counts: { overdue: 0 } },
      ],
    };
    expect(overdueByDeadline(report).map((d) => d.id)).toEqual(["a", "b"]);
    expect(overdueTotal(report)).toBe(3);
    expect(overdueTotal(null)).toBe(0);
    const grouped = groupOverdue(
      [
        { record_id: "r1", short_id: "CP-1", record_type: "case", deadline: "a", label: "Initial assessment", state: "overdue", due_at: "2025-08-30T23:59:59+00:00", due_date: "2025-08-30", completed_at: null },
        { record_id: "r1", short_id: "CP-1", record_type: "case", deadline: "b", label: "Case plan", state: "overdue", due_at: null, due_date: "2025-09-10", completed_at: null },
        { record_id: "r2", short_id: "CP-2", deadline: "b", state: "overdue", due_at: "2026-01-01T10:00:00+00:00", due_date: null, completed_at: null },
      ],
      "case",
    );
    expect(grouped.map((g) => [g.short_id, g.deadlines.length, g.oldest])).toEqual([
      ["CP-1", 2, "2025-08-30"],
      ["CP-2", 1, "2026-01-01T10:00:00+00:00"],
    ]);
    expect(grouped[1].record_type).toBe("case");
    expect(grouped[1].deadlines[0].label).toBe("b"); // no label: the deadline id
    expect(daysOverdue("2026-03-10", new Date(2026, 2, 15, 9))).toBe(5);
    expect(daysOverdue("2026-03-20", new Date(2026, 2, 15))).toBe(0);
  });
});

describe("automatic case summary", () => {
  const followups: Field = { key: "followups", type: "subform", label: { en: "Follow-ups" }, fields: [{ key: "followup_date", type: "date", label: { en: "Date" } }] };
  const referrals: Field = {
    key: "referrals",
    type: "subform",
    label: { en: "Referrals" },
    fields: [
      { key: "referral_services", type: "select_multiple", label: { en: "Services" }, options: [{ code: "health", label: { en: "Health" } }] },
      { key: "referral_agency", type: "text", label: { en: "Agency" } },
      { key: "referral_status", type: "select_one", label: { en: "Status" }, options: [{ code: "pending", label: { en: "Pending" } }] },
    ],
  };
  const risk: Field = { key: "risk_level", type: "select_one", label: { en: "Risk" }, options: [{ code: "high", label: { en: "High" } }] };
  const config: Config = JSON.parse(JSON.stringify(testConfig));
  config.forms.reg.sections[1].fields.push(followups, referrals, risk);

  it("takes the preferred facts the configuration and the record have, in preference order", () => {
    const facts = keyFacts(config, "case", { age: 9, sex: "f", location: "XC-N-1", concerns: ["neglect"], risk_level: "high" });
    expect(facts.map((f) => f.field.key)).toEqual(["age", "sex", "location", "risk_level"]); // "concerns" is not a preferred key
    expect(isHighRisk(config, "case", { risk_level: "high" })).toBe(true);
    expect(isHighRisk(testConfig, "case", { risk_level: "high" })).toBeNull(); // no risk field: no claim
  });

  it("falls back to indexed fields when no preferred field exists", () => {
    const bare: Config = JSON.parse(JSON.stringify(testConfig));
    for (const s of bare.forms.reg.sections) s.fields = s.fields.filter((f) => !["age", "sex", "location"].includes(f.key));
    bare.forms.reg.sections[0].fields.push({ key: "tribe_code", type: "text", label: { en: "Code" }, indexed: true });
    expect(keyFacts(bare, "case", { tribe_code: "Z1", name_first: "A" }).map((f) => f.field.key)).toEqual(["tribe_code"]);
  });

  it("finds the last follow-up and the open referrals", () => {
    const data = {
      followups: [{ followup_date: "2026-01-05" }, { followup_date: "2026-02-10" }, {}],
      referrals: [
        { referral_services: ["health"], referral_agency: "Clinic", referral_status: "pending" },
        { referral_agency: "School", referral_status: "completed" },
        { referral_agency: "Police", referral_status: "declined" },
        { referral_agency: "Shelter" },
      ],
    };
    expect(lastFollowUp(config, "case", data)?.date).toBe("2026-02-10");
    expect(lastFollowUp(testConfig, "case", data)).toBeNull();
    const open = openReferrals(config, "case", data)!;
    expect(open.rows.map((r) => r.referral_agency)).toEqual(["Clinic", "Shelter"]);
    expect(open.what.map((f) => f.key)).toEqual(["referral_services", "referral_agency"]);
  });

  it("lists open deadlines overdue first", () => {
    const wf: RecordWorkflow = {
      id: "x",
      short_id: "CP-X",
      status: "open",
      status_label: "Registered",
      version: 1,
      transitions: [],
      deadlines: [
        { deadline: "review", state: "pending", due_at: "2026-05-01T00:00:00+00:00", due_date: "2026-05-01", completed_at: null },
        { deadline: "plan", state: "met", due_at: null, due_date: null, completed_at: "2026-01-01" },
        { deadline: "assess", state: "overdue", due_at: "2026-02-01T00:00:00+00:00", due_date: "2026-02-01", completed_at: null },
        { deadline: "x", state: "not_applicable", due_at: null, due_date: null, completed_at: null },
      ],
    };
    expect(openDeadlines(wf).map((d) => d.deadline)).toEqual(["assess", "review"]);
    expect(openDeadlines(null)).toEqual([]);
  });
});

describe("masked and read-only fields", () => {
  const config: Config = JSON.parse(JSON.stringify(testConfig));
  const fields = config.forms.reg.sections[0].fields;
  fields.find((f) => f.key === "name_first")!.access = "masked";
  Object.assign(fields.find((f) => f.key === "name_last")!, { access: "read", read_only: true });
  config.access = { case: ["view", "edit"] };

  it("knows what the user may change and do", () => {
    expect(isEditable(fields.find((f) => f.key === "name_first"))).toBe(false);
    expect(isEditable(fields.find((f) => f.key === "name_last"))).toBe(false);
    expect(isEditable(fields.find((f) => f.key === "sex"))).toBe(true);
    expect(isMaskedValue(fields.find((f) => f.key === "name_first"), "A***")).toBe(true);
    expect(canDo(config, "case", "edit")).toBe(true);
    expect(canDo(config, "case", "create")).toBe(false);
    expect(canDo(testConfig, "case", "create")).toBe(true); // no `access`: the server decides
  });

  it("never sends masked or read-only values back, and does not block on their errors", () => {
    const draft = { key: "case/1", recordType: "case", recordId: "1", baseVersion: 3, base: {}, data: { name_first: "A***", name_last: "Kamau", sex: "f" }, dirty: ["name_first", "name_last", "sex"], formId: "reg", updatedAt: "" };
    expect(payload(config, draft)).toEqual({ sex: "f" });
    expect(payload(config, { ...draft, recordId: null, dirty: [] })).toEqual({ sex: "f" });
    const result = runEngine(config, "case", { name_first: "", name_last: "" });
    expect(result.errors.map((e) => e.path)).toContain("name_first"); // required in the form...
    const lookup = (k: string) => fields.find((f) => f.key === k);
    expect(actionable(result.errors, lookup).map((e) => e.path)).not.toContain("name_first"); // ...but not the user's to fix
  });

  it("renders a masked value as masked (no input) and read-only fields as read-only", () => {
    language.value = "en";
    const host = document.createElement("div");
    document.body.appendChild(host);
    const data = { name_first: "A***", name_last: "Kamau" };
    act(() => {
      render(
        <FormRenderer config={config} form={config.forms.reg} sectionId="identity" data={data} result={runEngine(config, "case", data)} lang="en" onChange={() => undefined} showErrors={() => true} touch={() => undefined} />,
        host,
      );
    });
    const first = host.querySelector('[data-field="name_first"]')!;
    expect(first.querySelector("input")).toBeNull();
    expect(first.querySelector("output.masked-value")?.textContent).toBe("A***");
    expect(first.querySelector(".badge-lock")?.textContent).toBe("Masked");
    expect(first.querySelector(".required")).toBeNull();
    expect(first.querySelector(".field-error")).toBeNull();
    const last = host.querySelector('[data-field="name_last"]')!;
    expect(last.querySelector("input")?.readOnly).toBe(true);
    expect(last.querySelector(".badge-lock")?.textContent).toBe("Read only");
    render(null, host);
    host.remove();
  });
});
