// A small fake effective configuration for unit tests. The ASTs are what the server's parser produces
// (see docs/expressions.md); written by hand here so the tests need no server.
import type { Config } from "../api/types";

const ref = (key: string) => ({ op: "ref", key }) as const;
const lit = (value: string | number) => ({ op: "lit", value }) as const;
const call = (fn: string, ...args: any[]) => ({ op: "call", fn, args });
const bin = (fn: string, left: any, right: any) => ({ op: "bin", fn, left, right });
const expr = (src: string, ast: any) => ({ src, ast });

export const testConfig: Config = {
  languages: ["en", "fr", "ar"],
  default_language: "en",
  rtl_languages: ["ar"],
  record_types: {
    case: { id: "case", module: "child_protection", label: { en: "Case" }, forms: ["reg"], title: expr("concat(${name_first}, ' ', ${name_last})", call("concat", ref("name_first"), lit(" "), ref("name_last"))) },
  },
  forms: {
    reg: {
      id: "reg",
      record_type: "case",
      label: { en: "Registration", ar: "التسجيل" },
      sections: [
        {
          id: "identity",
          label: { en: "The child", ar: "الطفل" },
          fields: [
            { key: "intro", type: "note", label: { en: "Before you start" }, guidance: { en: "Search first." } },
            { key: "name_first", type: "text", label: { en: "First name", fr: "Prénom", ar: "الاسم الأول" }, hint: { en: "As the child says it" }, required: true },
            { key: "name_last", type: "text", label: { en: "Family name" } },
            { key: "sex", type: "select_one", lookup: "sex", label: { en: "Sex", ar: "الجنس" }, required: true, indexed: true },
            { key: "age_estimated", type: "yes_no", label: { en: "Is the date of birth unknown?" } },
            {
              key: "date_of_birth",
              type: "date",
              label: { en: "Date of birth" },
              relevant: expr("${age_estimated} != 'yes'", bin("!=", ref("age_estimated"), lit("yes"))),
              constraint: expr(". <= today()", bin("<=", { op: "cur" }, call("today"))),
              constraint_message: { en: "The date of birth cannot be in the future" },
            },
            {
              key: "estimated_age",
              type: "integer",
              label: { en: "Estimated age" },
              relevant: expr("${age_estimated} = 'yes'", bin("=", ref("age_estimated"), lit("yes"))),
              required: true,
              constraint: expr(". >= 0 and . <= 25", { op: "and", args: [bin(">=", { op: "cur" }, lit(0)), bin("<=", { op: "cur" }, lit(25))] }),
              constraint_message: { en: "Enter an age between 0 and 25", ar: "أدخل عمراً بين 0 و25 سنة" },
            },
            {
              key: "age",
              type: "calculated",
              label: { en: "Age (years)" },
              calculation: expr("coalesce(age(${date_of_birth}), ${estimated_age})", call("coalesce", call("age", ref("date_of_birth")), ref("estimated_age"))),
              indexed: true,
              warnings: [{ id: "age_over_18", expr: expr("${age} >= 18", bin(">=", ref("age"), lit(18))), message: { en: "Age 18 or over in a child case" } }],
            },
          ],
        },
        {
          id: "more",
          label: { en: "More" },
          relevant: expr("${age} < 18", bin("<", ref("age"), lit(18))),
          fields: [
            { key: "concerns", type: "select_multiple", lookup: "concern", label: { en: "Concerns" } },
            { key: "location", type: "location", label: { en: "Location" } },
            { key: "consent", type: "tick_box", label: { en: "Consent given" } },
            {
              key: "household",
              type: "subform",
              label: { en: "Household" },
              fields: [
                { key: "member_name", type: "text", label: { en: "Name" }, required: true },
                { key: "member_age", type: "integer", label: { en: "Age" } },
                {
                  key: "member_school",
                  type: "yes_no",
                  label: { en: "In school?" },
                  relevant: expr("${member_age} < 18", bin("<", ref("member_age"), lit(18))),
                },
              ],
            },
            {
              key: "household_size",
              type: "calculated",
              label: { en: "Household size" },
              calculation: expr("count(${household})", call("count", ref("household"))),
            },
          ],
        },
      ],
    },
  },
  fields: {
    case: {
      name_first: { form: "reg", section: "identity", parent: null },
      name_last: { form: "reg", section: "identity", parent: null },
      sex: { form: "reg", section: "identity", parent: null },
      age_estimated: { form: "reg", section: "identity", parent: null },
      date_of_birth: { form: "reg", section: "identity", parent: null },
      estimated_age: { form: "reg", section: "identity", parent: null },
      age: { form: "reg", section: "identity", parent: null },
      concerns: { form: "reg", section: "more", parent: null },
      location: { form: "reg", section: "more", parent: null },
      consent: { form: "reg", section: "more", parent: null },
      household: { form: "reg", section: "more", parent: null },
      member_name: { form: "reg", section: "more", parent: "household" },
      member_age: { form: "reg", section: "more", parent: "household" },
      member_school: { form: "reg", section: "more", parent: "household" },
      household_size: { form: "reg", section: "more", parent: null },
    },
  },
  lookups: {
    sex: {
      id: "sex",
      label: { en: "Sex" },
      options: [
        { code: "f", label: { en: "Female", ar: "أنثى" } },
        { code: "m", label: { en: "Male", ar: "ذكر" } },
        { code: "x", label: { en: "Retired option" }, retired: true },
      ],
    },
    concern: {
      id: "concern",
      label: { en: "Concern" },
      options: [
        { code: "neglect", label: { en: "Neglect" } },
        { code: "violence", label: { en: "Violence" } },
      ],
    },
  },
  locations: {
    levels: [
      { level: 0, id: "country", label: { en: "Country" } },
      { level: 1, id: "province", label: { en: "Province" } },
      { level: 2, id: "district", label: { en: "District" } },
    ],
    items: [
      { code: "XC", parent: null, level: 0, name: { en: "Exampleland" } },
      { code: "XC-N", parent: "XC", level: 1, name: { en: "North" } },
      { code: "XC-S", parent: "XC", level: 1, name: { en: "South" } },
      { code: "XC-N-1", parent: "XC-N", level: 2, name: { en: "North One" } },
    ],
  },
};

/** The shape of bench/bench_frontend.mjs's `bn_big` form (300 fields in one section: 60 relevance
 *  conditions, 20 calculations, 3 subforms), with the ASTs the server's parser gives its expressions. */
export function bigConfig(): Config {
  const cur = { op: "cur" } as const;
  const f = (key: string, type: string, extra: Record<string, unknown> = {}) => ({ key, type, label: { en: key.replace(/_/g, " ") }, ...extra });
  const opts = (codes: string[]) => codes.map((c) => ({ code: c, label: { en: c.toUpperCase() } }));
  const fields: any[] = [
    f("bn_name", "text", { hint: { en: "Typed into by the benchmark" } }),
    f("bn_name_len", "calculated", { params: { result: "integer" }, calculation: expr("string-length(${bn_name})", call("string-length", ref("bn_name"))) }),
    f("bn_age", "integer", { params: { min: 0, max: 120 } }),
    f("bn_sex", "select_one", { options: opts(["bn_f", "bn_m", "bn_x"]) }),
    f("bn_district", "select_one", { options: opts(Array.from({ length: 20 }, (_, i) => `bn_d${i}`)) }),
    f("bn_risk", "select_one", { options: opts(["bn_low", "bn_medium", "bn_high"]) }),
    f("bn_concerns", "select_multiple", { options: opts(["bn_neglect", "bn_violence", "bn_labour", "bn_other"]) }),
    f("bn_reg_date", "date", { default: expr("today()", call("today")) }),
    f("bn_in_school", "yes_no", {
      relevant: expr("not(${bn_age} >= 25) and ${bn_name} != 'zzz'", { op: "and", args: [call("not", bin(">=", ref("bn_age"), lit(25))), bin("!=", ref("bn_name"), lit("zzz"))] }),
    }),
    f("bn_consent", "tick_box", { relevant: expr("not(${bn_age} >= 30)", call("not", bin(">=", ref("bn_age"), lit(30)))) }),
  ];
  let calculations = 1;
  for (let s = 0; s < 29; s++) {
    for (let i = 0; i < 10; i++) {
      const key = `bn_s${s}_f${i}`;
      const kind = ["text", "integer", "select_one", "date", "yes_no"][i % 5];
      const extra: Record<string, unknown> = {};
      if (kind === "select_one") extra.options = opts(["bn_a", "bn_b", "bn_c"]);
      if (kind === "integer") extra.params = { min: 0, max: 1000 };
      if (i === 1) extra.relevant = expr("not(${bn_age} >= 18)", call("not", bin(">=", ref("bn_age"), lit(18))));
      if (i === 3) extra.relevant = expr(`\${bn_s${s}_f0} != 'skip'`, bin("!=", ref(`bn_s${s}_f0`), lit("skip")));
      if (i === 5 && s % 3 === 0) extra.constraint = expr(". != 'no' or ${bn_age} > 1", { op: "or", args: [bin("!=", cur, lit("no")), bin(">", ref("bn_age"), lit(1))] });
      if (i === 9 && s < 3) {
        const p = `bn_rows${s}`;
        fields.push(
          f(p, "subform", {
            fields: [
              f(`${p}_name`, "text", { required: true }),
              f(`${p}_age`, "integer"),
              f(`${p}_school`, "text", { relevant: expr(`\${${p}_age} < 18`, bin("<", ref(`${p}_age`), lit(18))) }),
              f(`${p}_rel`, "select_one", { options: opts(["bn_parent", "bn_sibling", "bn_other"]) }),
              f(`${p}_note`, "textarea"),
            ],
          }),
        );
        continue;
      }
      if (i === 9 && calculations < 20) {
        calculations++;
        const sum = bin("+", ref(`bn_s${s}_f1`), ref("bn_age"));
        fields.push(
          f(key, "calculated", {
            params: { result: "integer" },
            calculation:
              s < 8
                ? expr(`\${bn_s${s}_f1} + \${bn_age} + string-length(\${bn_name})`, bin("+", sum, call("string-length", ref("bn_name"))))
                : expr(`\${bn_s${s}_f1} + \${bn_age}`, sum),
          }),
        );
        continue;
      }
      fields.push(f(key, kind, extra));
    }
  }
  return {
    languages: ["en"],
    default_language: "en",
    record_types: { case: { id: "case", module: "child_protection", label: { en: "Case" }, forms: ["bn_big"] } },
    forms: { bn_big: { id: "bn_big", record_type: "case", label: { en: "Benchmark: 300 fields" }, sections: [{ id: "bn_all", label: { en: "All 300 fields" }, fields }] } },
    lookups: {},
  };
}
