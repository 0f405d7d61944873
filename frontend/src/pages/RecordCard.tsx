// One record in a list: its title (the record type's title expression), short id and the values of
// the record type's indexed choice fields (as the configuration labels them).
import type { Config, Field, KRecord } from "../api/types";
import { recordTitle, recordTypeFields } from "../forms/engine";
import { label, t } from "../i18n";
import { href } from "../lib/router";

/** Indexed single-choice fields: what lists show as chips and offer as filters (a bare yes/no chip
 * would say nothing without its question). */
export function chipFields(config: Config, recordType: string): Field[] {
  return recordTypeFields(config, recordType)
    .map((n) => n.field)
    .filter((f) => f.indexed && !f.hidden && f.type === "select_one");
}

export function optionLabel(config: Config, field: Field, code: unknown, lang: string): string {
  if (typeof code !== "string") return "";
  if (field.type === "yes_no") return code === "yes" ? t("yes") : code === "no" ? t("no") : t("unknown");
  const options = field.options ?? (field.lookup ? config.lookups[field.lookup]?.options : []) ?? [];
  return label(options.find((o) => o.code === code)?.label, lang) || code;
}

export function RecordCard({ config, record, lang }: { config: Config; record: KRecord; lang: string }) {
  const title = recordTitle(config, record.record_type, record.data) || t("untitled");
  const chips = chipFields(config, record.record_type).filter((f) => record.data[f.key]);
  const computed = recordTypeFields(config, record.record_type)
    .map((n) => n.field)
    .filter((f) => f.indexed && f.type === "calculated" && record.data[f.key] != null);
  return (
    <li class="record-card card" data-risk={String(record.data.risk_level ?? "")}>
      <a href={href(`/records/${record.record_type}/${record.id}`)} class="record-link">
        <bdi class="record-title">{title}</bdi>
        <bdi class="record-id">{record.short_id}</bdi>
      </a>
      <div class="chips">
        {computed.map((f) => (
          <span class="chip" key={f.key}>
            {label(f.label, lang)}: {String(record.data[f.key])}
          </span>
        ))}
        {chips.map((f) => (
          <span class={`chip chip-${f.key}-${String(record.data[f.key])}`} key={f.key} title={label(f.label, lang)}>
            {optionLabel(config, f, record.data[f.key], lang)}
          </span>
        ))}
        {record.updated_at && <span class="chip chip-muted">{new Date(record.updated_at).toLocaleDateString(lang)}</span>}
      </div>
    </li>
  );
}
