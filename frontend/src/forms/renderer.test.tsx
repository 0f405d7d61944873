import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { language } from "../i18n";
import { type Data, initialData, optionsFor, recordTitle, runEngine } from "./engine";
import { FormRenderer } from "./FormRenderer";
import { WIDGETS } from "./fields";
import { testConfig } from "./testConfig";

const NOW = "2026-03-15T10:00:00Z";
const opts = { now: NOW, tz: "UTC" };

describe("form engine", () => {
  it("applies skip-logic: a non-relevant field is cleared", () => {
    const r = runEngine(testConfig, "case", { age_estimated: "yes", date_of_birth: "2015-01-01", estimated_age: 9 }, opts);
    expect(r.relevant.date_of_birth).toBe(false);
    expect(r.relevant.estimated_age).toBe(true);
    expect(r.values.date_of_birth).toBeUndefined();
    expect(r.values.age).toBe(9);
  });

  it("calculates age from the date of birth, and chains into section relevance", () => {
    const r = runEngine(testConfig, "case", { date_of_birth: "2016-03-16" }, opts);
    expect(r.values.age).toBe(9);
    expect(r.relevant.concerns).toBe(true);
    const adult = runEngine(testConfig, "case", { date_of_birth: "2000-01-01" }, opts);
    expect(adult.values.age).toBe(26);
    expect(adult.relevant.concerns).toBe(false);
    expect(adult.warnings.map((w) => w.code)).toContain("age_over_18");
  });

  it("reports required fields and constraint messages", () => {
    const r = runEngine(testConfig, "case", { age_estimated: "yes", estimated_age: 40 }, { ...opts, lang: "en" });
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e]));
    expect(byPath.name_first.code).toBe("required");
    expect(byPath.sex.code).toBe("required");
    expect(byPath.estimated_age.message).toBe("Enter an age between 0 and 25");
    const future = runEngine(testConfig, "case", { date_of_birth: "2030-01-01" }, opts);
    expect(future.errors.find((e) => e.path === "date_of_birth")?.code).toBe("constraint");
  });

  it("flags text typed into a number field", () => {
    const r = runEngine(testConfig, "case", { age_estimated: "yes", estimated_age: "ten" }, opts);
    expect(r.errors.find((e) => e.path === "estimated_age")?.code).toBe("invalid");
  });

  it("evaluates row fields in their row, and aggregates rows", () => {
    const data: Data = { date_of_birth: "2016-01-01", household: [{ member_name: "A", member_age: 40, member_school: "no" }, { member_name: "B", member_age: 10 }, {}] };
    const r = runEngine(testConfig, "case", data, opts);
    expect(r.relevant["household[0].member_school"]).toBe(false);
    expect(r.relevant["household[1].member_school"]).toBe(true);
    expect((r.values.household as Data[])[0].member_school).toBeUndefined();
    expect(r.values.household_size).toBe(3);
    expect(r.errors.map((e) => e.path)).toContain("household[2].member_name");
  });

  it("fills defaults, offers active options plus held retired ones, and builds the title", () => {
    expect(initialData(testConfig, "case", opts)).toEqual({});
    const field = testConfig.forms.reg.sections[0].fields[3];
    expect(optionsFor(testConfig, field, {}, null, null).map((o) => o.code)).toEqual(["f", "m"]);
    expect(optionsFor(testConfig, field, {}, null, "x").map((o) => o.code)).toEqual(["f", "m", "x"]);
    expect(recordTitle(testConfig, "case", { name_first: "Amina", name_last: "K" })).toBe("Amina K");
  });
});

describe("FormRenderer", () => {
  let host: HTMLDivElement;
  beforeEach(() => {
    host = document.createElement("div");
    document.body.appendChild(host);
    language.value = "en";
  });
  afterEach(() => {
    render(null, host);
    host.remove();
  });

  function show(data: Data, sectionId = "identity", lang = "en", attempted = false) {
    const changes: [string, unknown][] = [];
    const result = runEngine(testConfig, "case", data, { ...opts, lang });
    act(() => {
      render(
        <FormRenderer
          config={testConfig}
          form={testConfig.forms.reg}
          sectionId={sectionId}
          data={data}
          result={result}
          lang={lang}
          onChange={(k, v) => changes.push([k, v])}
          showErrors={() => attempted}
          touch={() => undefined}
        />,
        host,
      );
    });
    return changes;
  }

  const field = (key: string) => host.querySelector(`[data-field="${key}"]`);

  it("renders labels, hints, required markers, notes and live calculations", () => {
    show({ date_of_birth: "2016-03-16" });
    expect(field("name_first")?.textContent).toContain("First name");
    expect(field("name_first")?.querySelector(".required")).not.toBeNull();
    expect(field("name_first")?.querySelector(".field-hint")?.textContent).toBe("As the child says it");
    expect(field("intro")?.textContent).toContain("Search first.");
    expect(field("age")?.querySelector("output")?.textContent).toBe("9");
    expect(field("estimated_age")).toBeNull(); // skip-logic
    expect(field("date_of_birth")).not.toBeNull();
  });

  it("shows constraint messages inline and warnings", () => {
    show({ age_estimated: "yes", estimated_age: 30 });
    expect(field("estimated_age")?.querySelector(".field-error")?.textContent).toBe("Enter an age between 0 and 25");
    expect(field("age")?.querySelector(".field-warning")?.textContent).toBe("Age 18 or over in a child case");
    expect(field("date_of_birth")).toBeNull();
  });

  it("hides required errors until the field is touched or a save is attempted", () => {
    show({});
    expect(field("name_first")?.querySelector(".field-error")).toBeNull();
    show({}, "identity", "en", true);
    expect(field("name_first")?.querySelector(".field-error")).not.toBeNull();
  });

  it("reports typed values through onChange", () => {
    const changes = show({});
    const input = field("name_first")!.querySelector("input")!;
    act(() => {
      input.value = "Amina";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    expect(changes).toEqual([["name_first", "Amina"]]);
    const yes = field("age_estimated")!.querySelector<HTMLInputElement>('input[value="yes"]')!;
    act(() => {
      yes.click();
    });
    expect(changes.at(-1)).toEqual(["age_estimated", "yes"]);
  });

  it("renders every widget of the second section: multi-select, cascading location, tick box, subform rows", () => {
    show({ date_of_birth: "2016-01-01", location: "XC-N-1", household: [{ member_name: "A", member_age: 12 }] }, "more");
    expect(field("concerns")?.querySelectorAll('input[type="checkbox"]').length).toBe(2);
    const selects = field("location")!.querySelectorAll("select");
    expect(selects.length).toBe(2); // the single country is implied: province, district
    expect((selects[0] as HTMLSelectElement).value).toBe("XC-N");
    expect((selects[1] as HTMLSelectElement).value).toBe("XC-N-1");
    expect(field("consent")?.querySelector('input[type="checkbox"]')).not.toBeNull();
    expect(field("household")?.textContent).toContain("Row 1: A · 12");
    expect(field("household_size")?.querySelector("output")?.textContent).toBe("1");
  });

  it("uses the user's language with fallback to the default language", () => {
    language.value = "ar";
    show({ age_estimated: "yes", estimated_age: 30 }, "identity", "ar");
    expect(host.querySelector(".section-title")?.textContent).toBe("الطفل");
    expect(field("name_first")?.textContent).toContain("الاسم الأول");
    expect(field("name_last")?.textContent).toContain("Family name"); // no Arabic label: fallback
    expect(field("estimated_age")?.querySelector(".field-error")?.textContent).toBe("أدخل عمراً بين 0 و25 سنة");
    expect(field("sex")?.textContent).toContain("أنثى");
  });
});

describe("FormRenderer: events and frames on a long form", () => {
  let host: HTMLDivElement;
  beforeEach(() => {
    host = document.createElement("div");
    document.body.appendChild(host);
    language.value = "en";
  });
  afterEach(() => {
    render(null, host);
    host.remove();
  });

  function mount(data: Data, sectionId: string, showErrors: (path: string) => boolean, result = runEngine(testConfig, "case", data, opts)) {
    const changes: [string, unknown][] = [];
    act(() => {
      render(
        <FormRenderer
          config={testConfig}
          form={testConfig.forms.reg}
          sectionId={sectionId}
          data={data}
          result={result}
          lang="en"
          onChange={(k, v) => changes.push([k, v])}
          showErrors={showErrors}
          touch={() => undefined}
        />,
        host,
      );
    });
    return { changes, result };
  }
  const field = (key: string) => host.querySelector(`[data-field="${key}"]`)!;

  it("radio groups: one answer per click (on the radio or its label), a second click clears it", () => {
    const { changes } = mount({}, "identity", () => false);
    act(() => field("age_estimated").querySelector<HTMLInputElement>('input[value="yes"]')!.click());
    expect(changes).toEqual([["age_estimated", "yes"]]);
    const byLabel = mount({}, "identity", () => false);
    act(() => field("age_estimated").querySelector<HTMLInputElement>('input[value="no"]')!.closest("label")!.querySelector("span")!.click());
    expect(byLabel.changes).toEqual([["age_estimated", "no"]]);
    const again = mount({ age_estimated: "yes" }, "identity", () => false);
    act(() => field("age_estimated").querySelector<HTMLInputElement>('input[value="yes"]')!.click());
    expect(again.changes).toEqual([["age_estimated", null]]);
  });

  it("multi-select ticks report the codes in the lookup's order", () => {
    const { changes } = mount({ date_of_birth: "2016-01-01", concerns: ["violence"] }, "more", () => false);
    act(() => field("concerns").querySelector<HTMLInputElement>('input[value="neglect"]')!.click());
    expect(changes).toEqual([["concerns", ["neglect", "violence"]]]);
  });

  it("a focused text box or select belongs to a form of its own, which never submits; radios never join", () => {
    mount({ date_of_birth: "2016-01-01", location: "XC-N-1" }, "more", () => false);
    const select = field("location").querySelector("select")!;
    act(() => void select.dispatchEvent(new FocusEvent("focusin", { bubbles: true })));
    const formId = select.getAttribute("form");
    expect(formId).toMatch(/^kinga-focus-form-/);
    expect(host.querySelector(`form#${formId}`)?.childElementCount).toBe(0);
    act(() => void select.dispatchEvent(new FocusEvent("focusout", { bubbles: true })));
    expect(select.hasAttribute("form")).toBe(false);

    mount({}, "identity", () => false);
    const input = field("name_first").querySelector("input")!;
    act(() => void input.dispatchEvent(new FocusEvent("focusin", { bubbles: true })));
    const form = host.querySelector<HTMLFormElement>(`form#${input.getAttribute("form")}`)!;
    expect(form.hidden).toBe(true);
    const submit = new Event("submit", { bubbles: true, cancelable: true });
    act(() => void form.dispatchEvent(submit));
    expect(submit.defaultPrevented).toBe(true);
    const radio = field("sex").querySelector("input")!;
    act(() => void radio.dispatchEvent(new FocusEvent("focusin", { bubbles: true })));
    expect(radio.hasAttribute("form")).toBe(false);
  });

  it("a new result re-renders the frames whose inputs changed (calculations, skip-logic), not the others", () => {
    const renders = new Map<string, number>();
    const TextWidget = WIDGETS.text;
    WIDGETS.text = (p) => {
      renders.set(p.field.key, (renders.get(p.field.key) ?? 0) + 1);
      return <TextWidget {...p} />;
    };
    try {
      const data: Data = { name_first: "A", date_of_birth: "2016-03-16", age_estimated: "no" };
      mount(data, "identity", () => false);
      const nameFrame = field("name_first");
      expect(renders.get("name_first")).toBe(1);
      // The date of birth changes: the calculated age follows; the name fields do not render again.
      mount({ ...data, date_of_birth: "2010-03-16" }, "identity", () => false);
      expect(field("age").querySelector("output")?.textContent).toBe("15"); // 16 tomorrow
      // Skip-logic: the estimated age appears, the date of birth goes.
      mount({ ...data, age_estimated: "yes", estimated_age: 7 }, "identity", () => false);
      expect(field("date_of_birth")).toBeNull();
      expect(field("estimated_age")?.querySelector("input")?.value).toBe("7");
      expect(field("age").querySelector("output")?.textContent).toBe("7");
      expect(field("name_first")).toBe(nameFrame);
      expect(renders.get("name_first")).toBe(1);
      expect(renders.get("name_last")).toBe(1);
      // Typing into the name renders that frame alone.
      mount({ ...data, age_estimated: "yes", estimated_age: 7, name_first: "Am" }, "identity", () => false);
      expect(renders.get("name_first")).toBe(2);
      expect(renders.get("name_last")).toBe(1);
      expect(field("name_first").querySelector("input")?.value).toBe("Am");
    } finally {
      WIDGETS.text = TextWidget;
    }
  });

  it("a subform row's error shows once touched, with the same engine result", () => {
    const data = { date_of_birth: "2016-01-01", household: [{ member_age: 12 }] };
    const { result } = mount(data, "more", () => false);
    expect(field("household").querySelector(".field-error")).toBeNull();
    mount(data, "more", (p) => p === "household[0].member_name", result);
    expect(field("household").querySelector('[data-path="household[0].member_name"] .field-error')?.textContent).toBe("This field is required.");
  });
});
