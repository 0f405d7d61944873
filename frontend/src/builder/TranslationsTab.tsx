// Every translatable text side by side with its translation; missing ones highlighted and counted
// per language (GET drafts/<id>/translations?lang=). A change is one set_translation operation.
import { useEffect, useState } from "preact/hooks";
import * as api from "./api";
import { refusalOf, useDraft, type Refusal } from "./context";
import { bt } from "./i18n";
import { filterTranslations, type TranslationItem } from "./state";
import { langName, ServerRefusal } from "./ui";

const PAGE = 100;

export function TranslationsTab() {
  const { structure, draft, run, refusalAt, clearRefusal, generation } = useDraft();
  const refusal = refusalAt("translations");
  const others = structure ? structure.languages.filter((l) => l !== structure.default_language) : [];
  const [lang, setLang] = useState(others[0] ?? structure?.default_language ?? "en");
  const [data, setData] = useState<{ missing: Record<string, number>; total: number; items: TranslationItem[] } | null>(null);
  const [error, setError] = useState<Refusal | null>(null);
  const [missingOnly, setMissingOnly] = useState(true);
  const [file, setFile] = useState("");
  const [query, setQuery] = useState("");
  const [limit, setLimit] = useState(PAGE);

  useEffect(() => {
    if (!draft) return;
    api
      .draftTranslations(draft.id, lang)
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e) => setError(refusalOf(e)));
  }, [draft?.id, lang, generation]);

  if (!structure || !draft) return null;
  const defaultLang = structure.default_language;
  const items = data ? filterTranslations(data.items, { missingOnly, file, query }) : [];
  const files = data ? [...new Set(data.items.map((i) => i.file))] : [];

  return (
    <div class="b-translations">
      <div class="b-toolbar card">
        <div>
          <label class="field-label" for="tr-lang">
            {bt("translate_to")}
          </label>
          <select id="tr-lang" class="input" value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value)}>
            {structure.languages.map((l) => (
              <option key={l} value={l}>
                {langName(l)}
                {data ? ` — ${bt("missing_count", { count: data.missing[l] ?? 0 })}` : ""}
              </option>
            ))}
          </select>
        </div>
        <div class="b-counts" aria-live="polite">
          {data &&
            structure.languages.map((l) => (
              <span key={l} class={`chip ${data.missing[l] ? "chip-warning" : "chip-muted"}`} data-missing-lang={l}>
                {langName(l)}: {bt("missing_count", { count: data.missing[l] ?? 0 })}
              </span>
            ))}
        </div>
        <div>
          <label class="field-label" for="tr-file">
            {bt("file_filter")}
          </label>
          <select id="tr-file" class="input" value={file} onChange={(e) => (setFile((e.currentTarget as HTMLSelectElement).value), setLimit(PAGE))}>
            <option value="">{bt("all_files")}</option>
            {files.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label class="field-label" for="tr-q">
            {bt("search")}
          </label>
          <input id="tr-q" class="input" type="search" value={query} onInput={(e) => (setQuery((e.currentTarget as HTMLInputElement).value), setLimit(PAGE))} />
        </div>
        <label class="b-check">
          <input type="checkbox" checked={missingOnly} onChange={(e) => setMissingOnly((e.currentTarget as HTMLInputElement).checked)} /> {bt("missing_only")}
        </label>
      </div>
      <ServerRefusal refusal={error ?? refusal} onClose={clearRefusal} />
      {!data && !error && <p class="muted">{bt("loading")}</p>}
      {data && (
        <>
          <p class="muted b-small">{bt("translations_total", { shown: items.length, total: data.total })}</p>
          <div class="b-table-wrap">
            <table class="b-table b-tr-table">
              <thead>
                <tr>
                  <th scope="col">{bt("where")}</th>
                  <th scope="col">{langName(defaultLang)}</th>
                  <th scope="col">{langName(lang)}</th>
                </tr>
              </thead>
              <tbody>
                {items.slice(0, limit).map((item) => (
                  <tr key={item.ref} class={item.missing ? "b-missing-row" : ""} data-ref={item.ref}>
                    <td class="b-small">
                      <bdi>{item.owner}</bdi> · {item.attr}
                    </td>
                    <td lang={defaultLang} dir="auto">
                      {item.default}
                    </td>
                    <td>
                      <input
                        class={`input input-small${item.missing ? " b-missing" : ""}`}
                        lang={lang}
                        dir="auto"
                        aria-label={`${item.owner} ${item.attr} (${langName(lang)})`}
                        value={item.text ?? ""}
                        onChange={(e) => {
                          const text = (e.currentTarget as HTMLInputElement).value;
                          if (text === (item.text ?? "")) return;
                          void run([{ op: "set_translation", file: item.file, path: item.path, lang, text: text || null }], "translations");
                        }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {items.length > limit && (
            <button type="button" class="button-secondary" onClick={() => setLimit((l) => l + PAGE)}>
              {bt("show_more", { count: Math.min(PAGE, items.length - limit) })}
            </button>
          )}
        </>
      )}
    </div>
  );
}
