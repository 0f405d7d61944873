// The automatic case summary: key facts from the record, its open deadlines, last follow-up and open
// referrals — all found through the configuration (preferences.ts says which fields to prefer).
import type { Config, DeadlineState, Field, RecordWorkflow } from "../api/types";
import { fieldInfo, isEmptyValue, recordTypeFields, type Data } from "../forms/engine";
import { SUMMARY_PREFERENCES, type SummaryPreferences } from "./preferences";

export interface FactField {
  field: Field;
  value: unknown;
}

function topField(config: Config, recordType: string, key: string): Field | null {
  const f = fieldInfo(config, recordType, key)?.field;
  return f && !f.hidden ? f : null;
}

/** The preferred facts the record has (one per group), else its indexed fields as a fallback. */
export function keyFacts(config: Config, recordType: string, data: Data, prefs: SummaryPreferences = SUMMARY_PREFERENCES): FactField[] {
  const out: FactField[] = [];
  let known = false;
  for (const group of prefs.facts) {
    for (const key of group) {
      const field = topField(config, recordType, key);
      if (!field) continue;
      known = true;
      if (!isEmptyValue(data[key])) {
        out.push({ field, value: data[key] });
        break;
      }
    }
  }
  if (known) return out;
  // No preferred field in this configuration: the record type's indexed fields, as the list shows them.
  return recordTypeFields(config, recordType)
    .map((n) => n.field)
    .filter((f) => f.indexed && !f.hidden && f.type !== "subform" && !isEmptyValue(data[f.key]))
    .slice(0, 6)
    .map((field) => ({ field, value: data[field.key] }));
}

/** Is the record high risk, by the preferred risk field? null when the configuration has none. */
export function isHighRisk(config: Config, recordType: string, data: Data, prefs: SummaryPreferences = SUMMARY_PREFERENCES): boolean | null {
  if (!topField(config, recordType, prefs.risk.field)) return null;
  return data[prefs.risk.field] === prefs.risk.high;
}

/** The latest follow-up date (YYYY-MM-DD...), or null (no follow-ups, or no follow-up group). */
export function lastFollowUp(config: Config, recordType: string, data: Data, prefs: SummaryPreferences = SUMMARY_PREFERENCES): { date: string; field: Field } | null {
  let best: { date: string; field: Field } | null = null;
  for (const pref of prefs.followUps) {
    const rows = topField(config, recordType, pref.rows);
    const dateField = rows?.fields?.find((c) => c.key === pref.date);
    const values = data[pref.rows];
    if (!rows || !dateField || !Array.isArray(values)) continue;
    for (const row of values as Data[]) {
      const d = row?.[pref.date];
      if (typeof d === "string" && d && !d.includes("*") && (!best || d > best.date)) best = { date: d, field: dateField };
    }
  }
  return best;
}

export interface OpenReferrals {
  rowsField: Field;
  statusField: Field | undefined;
  what: Field[];
  rows: Data[];
}

/** Referral rows not yet declined or completed (a row without a status counts as open). */
export function openReferrals(config: Config, recordType: string, data: Data, prefs: SummaryPreferences = SUMMARY_PREFERENCES): OpenReferrals | null {
  for (const pref of prefs.referrals) {
    const rowsField = topField(config, recordType, pref.rows);
    if (!rowsField) continue;
    const statusField = rowsField.fields?.find((c) => c.key === pref.status);
    const what = pref.what.map((k) => rowsField.fields?.find((c) => c.key === k)).filter((f): f is Field => !!f);
    const values = Array.isArray(data[pref.rows]) ? (data[pref.rows] as Data[]) : [];
    const rows = values.filter((r) => !pref.done.includes(String(r?.[pref.status] ?? "")));
    return { rowsField, statusField, what, rows };
  }
  return null;
}

const STATE_ORDER: Record<string, number> = { overdue: 0, pending: 1 };

/** Deadlines still to meet: overdue first, then pending, each by due date. */
export function openDeadlines(workflow: RecordWorkflow | null): DeadlineState[] {
  return (workflow?.deadlines ?? [])
    .filter((d) => d.state in STATE_ORDER)
    .sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || String(a.due_at ?? a.due_date ?? "").localeCompare(String(b.due_at ?? b.due_date ?? "")));
}
