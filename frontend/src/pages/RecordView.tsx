// The case view: a summary (the record's indexed fields, as the configuration marks key data) and
// every form of the record type by section, each opening the form editor at that section.
import { useEffect, useState } from "preact/hooks";
import { getRecord } from "../api/client";
import type { Config, KRecord } from "../api/types";
import { formsOf, recordTitle, recordTypeFields, runEngine } from "../forms/engine";
import { visibleSections } from "../forms/FormRenderer";
import { label, t } from "../i18n";
import { href } from "../lib/router";
import { getCachedRecord, getDraft, draftKey } from "../store/db";
import { isMaskedValue } from "../forms/access";
import { CaseSummary } from "./CaseSummary";
import { formatValue } from "../forms/format";

export { formatValue };

export function RecordView({ config, recordType, id, lang }: { config: Config; recordType: string; id: string; lang: string }) {
  const [record, setRecord] = useState<KRecord | null>(null);
  const [missing, setMissing] = useState(false);
  const [hasDraft, setHasDraft] = useState(false);
  useEffect(() => {
    let cancelled = false;
    getRecord(recordType, id)
      .catch(async () => (await getCachedRecord(id)) ?? null)
      .then((r) => {
        if (cancelled) return;
        if (r) setRecord(r);
        else setMissing(true);
      });
    getDraft(draftKey(recordType, id)).then((d) => !cancelled && setHasDraft(!!d?.dirty.length)).catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [recordType, id, lang]);

  if (missing) return <main class="page"><p>{t("not_found")}</p></main>;
  if (!record) return <main class="page"><p class="muted">{t("loading")}</p></main>;
  const result = runEngine(config, recordType, record.data, { lang });
  const summary = recordTypeFields(config, recordType)
    .map((n) => n.field)
    .filter((f) => f.indexed && !f.hidden && record.data[f.key] !== undefined && record.data[f.key] !== null);
  const title = recordTitle(config, recordType, record.data) || t("untitled");
  return (
    <main class="page">
      <p>
        <a class="link" href={href(`/records/${recordType}`)}>
          <span class="back-arrow" aria-hidden="true">←</span> {t("cases")}
        </a>
      </p>
      <div class="page-head">
        <h1>
          <bdi>{title}</bdi> <bdi class="record-id">{record.short_id}</bdi>
        </h1>
      </div>
      {hasDraft && <p class="banner banner-info">{t("saved_locally")}</p>}
      <section class="panel" aria-labelledby="summary">
        <h2 id="summary">{t("summary")}</h2>
        <CaseSummary config={config} record={record} lang={lang} />
        <h3 class="summary-sub">{t("key_data")}</h3>
        <dl class="summary">
          {summary.map((f) => (
            <div class={`summary-item${isMaskedValue(f, record.data[f.key]) ? " is-masked" : ""}`} key={f.key} data-field={f.key}>
              <dt>{label(f.label, lang)}</dt>
              <dd>{formatValue(config, f, record.data[f.key], lang)}</dd>
            </div>
          ))}
        </dl>
        {(record.warnings ?? []).length > 0 && (
          <div class="warnings">
            <h3>{t("warnings")}</h3>
            <ul>
              {record.warnings!.map((w) => (
                <li class="field-warning" key={`${w.field}-${w.code}`}>
                  {w.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
      <section class="panel" aria-labelledby="forms">
        <h2 id="forms">{t("forms")}</h2>
        <ul class="form-list">
          {formsOf(config, recordType).map((form) => (
            <li class="form-item" key={form.id}>
              <a class="form-link" href={href(`/records/${recordType}/${record.id}/${form.id}`)}>
                {label(form.label, lang)}
              </a>
              <ul class="section-links">
                {visibleSections(form, result).map((s) => (
                  <li key={s.id}>
                    <a href={href(`/records/${recordType}/${record.id}/${form.id}`, { section: s.id })}>{label(s.label, lang)}</a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
