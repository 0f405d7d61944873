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
