// Duplicate warning at registration: what to send to POST /api/v1/duplicates/check, when there is
// enough to send, and how to say the server's reasons in plain words. The identifying fields are the
// record type's duplicate rules (duplicates.yaml, `duplicate_rules` in the configuration): the app
// keeps no field list of its own. Only those fields are sent (data minimisation).
import type { Config, DuplicateCandidate, DuplicateReason, DuplicateRules, Field } from "../api/types";
import { isMaskedValue } from "../forms/access";
import { fieldInfo, isEmptyValue, type Data } from "../forms/engine";
import { label, t, type UiKey } from "../i18n";

/** The record type's rules when it is a person record type with rules; null otherwise. */
export function rulesFor(config: Config, recordType: string): DuplicateRules | null {
  if (!config.record_types[recordType]?.person) return null;
  const rules = config.duplicate_rules?.[recordType];
  return rules && Array.isArray(rules.fields) && rules.fields.length ? rules : null;
}

/** The person's own name fields: those marked `blocking: true`, else the name fields of the highest
 * weight (what the server blocks candidates on, search/README.md). */
export function nameKeys(rules: DuplicateRules): string[] {
  const names = rules.fields.filter((f) => f.method === "name");
  const marked = names.filter((f) => f.blocking === true);
  if (marked.length) return marked.map((f) => f.key);
  const top = Math.max(...names.filter((f) => f.blocking !== false).map((f) => f.weight ?? 1), -Infinity);
  return names.filter((f) => f.blocking !== false && (f.weight ?? 1) === top).map((f) => f.key);
}

/** Share of the rules' total weight that must be filled before a check is worth asking for. */
export const ENOUGH_WEIGHT = 1 / 3;

/**
 * The body's `data` for a check: the identifying fields that have a value (computed values, so an age
 * calculated from the date of birth counts), or null while there is not enough to identify anyone —
 * at least one of the person's names, and a third of the rules' weight.
 */
export function checkData(config: Config, recordType: string, values: Data): Data | null {
  const rules = rulesFor(config, recordType);
  if (!rules) return null;
  const out: Data = {};
  let filled = 0;
  let total = 0;
  for (const rule of rules.fields) {
    const weight = rule.weight ?? 1;
    total += weight;
    const v = values[rule.key];
    if (isEmptyValue(v) || (typeof v === "string" && !v.trim())) continue;
    if (isMaskedValue(fieldInfo(config, recordType, rule.key)?.field, v)) continue;
    out[rule.key] = typeof v === "string" ? v.trim() : v;
    filled += weight;
  }
  const names = nameKeys(rules);
  if (!names.some((k) => k in out)) return null;
  if (total > 0 && filled / total < ENOUGH_WEIGHT - 1e-9) return null;
  return out;
}

/** A stable text for a check body: the same data is checked once. */
export function dataKey(data: Data | null): string {
  if (!data) return "";
  return JSON.stringify(Object.keys(data).sort().map((k) => [k, data[k]]));
}

/** How a candidate is remembered once the user said "not a duplicate". A restricted candidate has no
 * id (its access_ref is re-signed on every check), so its agency stands for it. */
export function candidateKey(c: DuplicateCandidate): string {
  return c.restricted ? `restricted:${c.agency}` : c.record_id;
}

/** Best first; the server already ranks, but keep it so whatever the order received. */
export function ranked(candidates: DuplicateCandidate[]): DuplicateCandidate[] {
  return [...candidates].sort((a, b) => b.score - a.score);
}

export function unacknowledged(candidates: DuplicateCandidate[], acknowledged: Set<string>): DuplicateCandidate[] {
  return candidates.filter((c) => !acknowledged.has(candidateKey(c)));
}

export const percent = (score: number) => `${Math.round(Math.max(0, Math.min(1, score)) * 100)} %`;

// The server's reason details (search/matching/names.py, dates.py, scoring.py) in the user's words.
const DETAILS: Record<string, UiKey> = {
  same: "dup_same",
  "spelling variant": "dup_spelling_variant",
  "sounds alike": "dup_sounds_alike",
  "similar spelling": "dup_similar_spelling",
  "same name in another language": "dup_other_language",
  different: "dup_different",
  missing: "dup_missing",
  "same (estimated)": "dup_same_estimated",
  "day and month swapped": "dup_day_month_swapped",
  "same age": "dup_same_age",
  "age differs by one year": "dup_age_one_year",
  "age differs by two years": "dup_age_two_years",
  "same place": "dup_same_place",
  "one place lies within the other": "dup_place_within",
  "neighbouring places (same parent area)": "dup_place_neighbour",
  "same wider area": "dup_place_wider",
  "different places": "dup_place_different",
  "within a year": "dup_within_year",
  "within a year (estimated)": "dup_within_year",
  "within two years (estimated)": "dup_within_two_years",
  "same day and year, month differs": "dup_month_differs",
  "same day and month, year differs by one": "dup_year_differs",
  "same year (one date is partial)": "dup_same_year_partial",
  "year differs by one (one date is partial)": "dup_year_differs_partial",
};

export type Strength = "strong" | "partial" | "weak";

export function strength(score: number): Strength {
  return score >= 0.85 ? "strong" : score >= 0.5 ? "partial" : "weak";
}

export interface ReasonText {
  field: string;
  fieldLabel: string;
  text: string;
  strength: Strength;
  /** What this user entered for the field (their own data, never the other record's), raw. */
  mine: unknown;
}

function fieldLabel(config: Config, recordType: string, key: string, lang: string): string {
  const f: Field | undefined = fieldInfo(config, recordType, key)?.field;
  return (f && label(f.label, lang)) || key;
}

/** One reason in plain words: "First name: spelling variant". Details the app does not know (e.g.
 * "3 days apart") are shown as the server wrote them; "(written as name_last)" names the field. */
export function describeReason(config: Config, recordType: string, reason: DuplicateReason, lang: string, mine: Data = {}): ReasonText {
  let detail = reason.detail ?? "";
  let suffix = "";
  const written = /\s*\(written as ([\w.]+)\)$/.exec(detail);
  if (written) {
    detail = detail.slice(0, written.index);
    suffix = ` (${t("dup_written_as", { field: fieldLabel(config, recordType, written[1], lang) })})`;
  }
  const key = DETAILS[detail];
  const text = (key ? t(key) : detail) + suffix;
  return {
    field: reason.field,
    fieldLabel: fieldLabel(config, recordType, reason.field, lang),
    text,
    strength: strength(reason.score),
    mine: mine[reason.field],
  };
}
