// The one place the app names fields of the standard packs, as *preferences*: what the automatic case
// summary and "My work" look for first. Every entry is optional; a field the configuration does not
// have (another pack, hidden from this user) is skipped, and when none of the preferred fields exists
// the summary falls back to the record type's indexed fields. Change this list, not the components.
export interface SummaryPreferences {
  /** Key facts, in this order, when the record type has them (first match per fact group wins). */
  facts: string[][];
  /** The field saying how urgent a record is, and the code that means "high". */
  risk: { field: string; high: string };
  /** A repeating group of follow-ups and its date field: the latest date is "last follow-up". */
  followUps: { rows: string; date: string }[];
  /** A repeating group of referrals: rows whose status is not one of `done` are "open". */
  referrals: { rows: string; status: string; done: string[]; what: string[] }[];
}

export const SUMMARY_PREFERENCES: SummaryPreferences = {
  facts: [
    ["age", "survivor_age", "sought_age"],
    ["sex", "survivor_sex", "sought_sex"],
    ["location", "incident_location", "separation_location"],
    ["risk_level"],
    ["protection_concerns", "incident_type"],
  ],
  risk: { field: "risk_level", high: "high" },
  followUps: [{ rows: "followups", date: "followup_date" }],
  referrals: [
    { rows: "referrals", status: "referral_status", done: ["declined", "completed"], what: ["referral_services", "referral_agency"] },
  ],
};
