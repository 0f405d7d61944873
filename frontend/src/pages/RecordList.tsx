// The case list: free-text search (q), filters on the record type's indexed choice fields, paging.
// State lives in the URL so a list can be bookmarked and "back" returns to the same page.
import { useEffect, useState } from "preact/hooks";
import { listRecords } from "../api/client";
import type { Config, KRecord } from "../api/types";
import { label, t } from "../i18n";
import { href, navigate, type Route } from "../lib/router";
import { optionsFor } from "../forms/engine";
import { RecordList as Records } from "./Dashboard";
import { chipFields, optionLabel } from "./RecordCard";

const PAGE_SIZE = 20;
const MAX_FILTERS = 4;

export function RecordListPage({ config, recordType, lang, route }: { config: Config; recordType: string; lang: string; route: Route }) {
  const filters = chipFields(config, recordType).slice(0, MAX_FILTERS);
  const q = route.query.get("q") ?? "";
  const page = Math.max(1, Number(route.query.get("page") ?? 1) || 1);
  const active: Record<string, string> = {};
  for (const f of filters) {
    const v = route.query.get(f.key);
    if (v) active[f.key] = v;
  }
  const [records, setRecords] = useState<KRecord[] | null>(null);
  const [count, setCount] = useState(0);
  const [error, setError] = useState("");
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);

  const go = (changes: Record<string, string | number | undefined>) => {
    navigate(`/records/${recordType}`, { q, ...active, page, ...changes }, true);
  };

  useEffect(() => {
    let cancelled = false;
    setRecords(null);
    setError("");
    listRecords(recordType, { q, page, page_size: PAGE_SIZE, ordering: "-updated_at", ...active })
      .then((p) => {
        if (cancelled) return;
        setRecords(p.results);
        setCount(p.count);
      })
      .catch((e) => {
        if (cancelled) return;
        setRecords([]);
        setError(e?.message || t("network_error"));
      });
    return () => {
      cancelled = true;
    };
  }, [route.query.toString(), recordType, lang]);

  const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
  const rt = config.record_types[recordType];
  return (
    <main class="page">
      <div class="page-head">
        <h1>{label(rt?.label, lang) || t("cases")}</h1>
        <a class="button-primary" href={href(`/records/${recordType}/new`)}>
          + {t("new_case")}
        </a>
      </div>
      <form
        class="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: text.trim() || undefined, page: 1 });
        }}
      >
        <input class="input search" type="search" name="q" aria-label={t("search")} placeholder={t("search_placeholder")} value={text} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
        <button class="button-secondary" type="submit">
          {t("search")}
        </button>
        {filters.map((f) => (
          <label class="filter" key={f.key}>
            <span class="sub-label">{label(f.label, lang)}</span>
            <select class="input" name={f.key} value={active[f.key] ?? ""} onChange={(e) => go({ [f.key]: (e.currentTarget as HTMLSelectElement).value || undefined, page: 1 })}>
              <option value="">{t("filter_any")}</option>
              {(f.type === "yes_no" ? [{ code: "yes" }, { code: "no" }] : optionsFor(config, f, {}, null, null)).map((o) => (
                <option key={o.code} value={o.code}>
                  {optionLabel(config, f, o.code, lang)}
                </option>
              ))}
            </select>
          </label>
        ))}
        {(q || Object.keys(active).length > 0) && (
          <a class="link" href={href(`/records/${recordType}`)}>
            {t("clear_filters")}
          </a>
        )}
      </form>
      {error && <p class="banner banner-warning">{error}</p>}
      {records !== null && <p class="muted result-count">{t("results", { count })}</p>}
      <Records records={records} config={config} lang={lang} />
      {pages > 1 && (
        <nav class="pager" aria-label={t("page_of", { page, pages })}>
          <button class="button-secondary" disabled={page <= 1} onClick={() => go({ page: page - 1 })}>
            {t("previous")}
          </button>
          <span>{t("page_of", { page, pages })}</span>
          <button class="button-secondary" disabled={page >= pages} onClick={() => go({ page: page + 1 })}>
            {t("next")}
          </button>
        </nav>
      )}
    </main>
  );
}
