// "My work": a first dashboard fed by the records list: high-risk cases first, then recently
// updated ones, and anything still waiting on this device.
import { useEffect, useState } from "preact/hooks";
import { listRecords } from "../api/client";
import type { Config, KRecord } from "../api/types";
import { t } from "../i18n";
import { href } from "../lib/router";
import { type Draft, listDrafts } from "../store/db";
import { RecordCard } from "./RecordCard";
import { fieldInfo, recordTitle } from "../forms/engine";

export function Dashboard({ config, recordType, lang }: { config: Config; recordType: string; lang: string }) {
  const [high, setHigh] = useState<KRecord[] | null>(null);
  const [recent, setRecent] = useState<KRecord[] | null>(null);
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [error, setError] = useState("");
  const hasRisk = !!fieldInfo(config, recordType, "risk_level");

  useEffect(() => {
    let cancelled = false;
    setError("");
    if (hasRisk) {
      listRecords(recordType, { risk_level: "high", ordering: "-updated_at", page_size: 10 })
        .then((p) => !cancelled && setHigh(p.results))
        .catch(() => !cancelled && (setHigh([]), setError(t("network_error"))));
    }
    listRecords(recordType, { ordering: "-updated_at", page_size: 10 })
      .then((p) => !cancelled && setRecent(hasRisk ? p.results.filter((r) => r.data.risk_level !== "high") : p.results))
      .catch(() => !cancelled && (setRecent([]), setError(t("network_error"))));
    listDrafts(recordType)
      .then((d) => !cancelled && setDrafts(d.filter((x) => x.dirty.length)))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [recordType, lang]);

  return (
    <main class="page">
      <div class="page-head">
        <h1>{t("my_work")}</h1>
        <a class="button-primary" href={href(`/records/${recordType}/new`)}>
          + {t("new_case")}
        </a>
      </div>
      {error && <p class="banner banner-warning">{error}</p>}
      {drafts.length > 0 && (
        <section class="panel">
          <h2>{t("pending_changes", { count: drafts.length })}</h2>
          <ul class="record-list">
            {drafts.map((d) => (
              <li class="record-card card" key={d.key}>
                <a class="record-link" href={href(`/records/${d.recordType}/${d.recordId ?? d.key.split("/")[1]}/${d.formId}`)}>
                  <span class="record-title">{recordTitle(config, d.recordType, d.data) || t("untitled")}</span>
                  <span class="record-id">{d.shortId ?? ""}</span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {hasRisk && (
        <section class="panel" aria-labelledby="high-risk">
          <h2 id="high-risk">{t("high_risk_first")}</h2>
          <RecordList records={high} config={config} lang={lang} />
        </section>
      )}
      <section class="panel" aria-labelledby="recent">
        <h2 id="recent">{t("recently_updated")}</h2>
        <RecordList records={recent} config={config} lang={lang} />
      </section>
    </main>
  );
}

export function RecordList({ records, config, lang }: { records: KRecord[] | null; config: Config; lang: string }) {
  if (records === null) return <p class="muted">{t("loading")}</p>;
  if (!records.length) return <p class="muted">{t("nothing_here")}</p>;
  return (
    <ul class="record-list">
      {records.map((r) => (
        <RecordCard key={r.id} record={r} config={config} lang={lang} />
      ))}
    </ul>
  );
}
