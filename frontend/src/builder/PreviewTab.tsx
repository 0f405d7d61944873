// The draft form as a caseworker sees it: the draft's compiled configuration (GET preview-config, the
// same shape as /config/, filtered by the server for the chosen role) rendered by the caseworker app's
// own FormRenderer and engine, fillable, with skip-logic, calculations and checks running. Nothing is
// saved.
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import type { Config } from "../api/types";
import { initialData, runEngine, type Data } from "../forms/engine";
import { FormRenderer, visibleSections } from "../forms/FormRenderer";
import { fallbackLanguage, label, t } from "../i18n";
import * as api from "./api";
import { refusalOf, useDraft, type Refusal } from "./context";
import { bt } from "./i18n";
import { display, formsOfType, missingFromPreview, problemWhere, roleDefault } from "./state";
import type { Problem } from "./types";
import { ServerRefusal } from "./ui";

export function PreviewTab({ lang, initialForm }: { lang: string; initialForm?: string }) {
  const { structure, draft, generation } = useDraft();
  const [config, setConfig] = useState<Config | null>(null);
  const [error, setError] = useState<Refusal | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const editors = structure?.roles.filter((r) => roleDefault(r, "case") === "edit") ?? [];
  const [roleId, setRoleId] = useState(editors.find((r) => r.id === "caseworker")?.id ?? editors[0]?.id ?? "");
  const [formId, setFormId] = useState(initialForm ?? "");
  const [sectionId, setSectionId] = useState("");
  const [data, setData] = useState<Data>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());

  useEffect(() => {
    if (!draft) return;
    api
      .previewConfig(draft.id, lang, roleId || undefined)
      .then((c) => {
        fallbackLanguage.value = c.default_language ?? "en";
        setConfig(c);
        setError(null);
        setProblems([]);
      })
      .catch((e) => {
        setError(refusalOf(e));
        const details = e instanceof ApiError ? (e.details as { problems?: Problem[] } | undefined) : undefined;
        setProblems((details?.problems ?? []).filter((p) => p.severity === "error"));
      });
  }, [draft?.id, lang, generation, roleId]);

  const shown = config;
  const form = shown && formId ? shown.forms[formId] : undefined;
  const rt = form?.record_type ?? "case";

  // Defaults apply as for a new record; restart when the form or role changes.
  useEffect(() => {
    if (shown && form) {
      setData(initialData(shown, rt, { lang }));
      setTouched(new Set());
    }
  }, [shown, formId]);

  const result = useMemo(
    () =>
      shown && form
        ? runEngine(shown, rt, data, { lang, messages: { required: t("required_message"), invalid: t("invalid_value"), integer: t("whole_number"), number: t("a_number") } })
        : null,
    [shown, form, data, lang],
  );

  if (!structure || !draft) return null;
  const defaultLang = structure.default_language;
  const formChoices = structure.record_types.flatMap((r) => formsOfType(structure, r));
  const sections = form && result ? visibleSections(form, result) : [];
  const section = sections.find((s) => s.id === sectionId) ?? sections[0];
  const hiddenFromMe = config && formId ? missingFromPreview(config, structure, formId) : [];

  return (
    <div class="b-preview">
      <p class="muted">{bt("preview_help")}</p>
      <div class="b-toolbar card">
        <div>
          <label class="field-label" for="pv-form">
            {bt("preview_form")}
          </label>
          <select id="pv-form" class="input" value={formId} onChange={(e) => (setFormId((e.currentTarget as HTMLSelectElement).value), setSectionId(""))}>
            <option value="">{bt("choose")}</option>
            {formChoices.map((f) => (
              <option key={f.id} value={f.id}>
                {display(f.label, lang, defaultLang) || f.id} ({f.record_type})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label class="field-label" for="pv-role">
            {bt("preview_as")}
          </label>
          <select id="pv-role" class="input" value={roleId} onChange={(e) => setRoleId((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{bt("preview_admin")}</option>
            {structure.roles.map((r) => (
              <option key={r.id} value={r.id}>
                {display(r.label, lang, defaultLang) || r.id}
              </option>
            ))}
          </select>
        </div>
        <button type="button" class="button-secondary" onClick={() => shown && form && (setData(initialData(shown, rt, { lang })), setTouched(new Set()))}>
          {bt("preview_reset")}
        </button>
      </div>
      {error && (
        <div>
          {problems.length > 0 ? (
            <div class="banner banner-error" role="alert">
              <p>{bt("preview_invalid")}</p>
              <ul>
                {problems.map((p, i) => (
                  <li key={i}>
                    {p.text ?? p.message} <span class="muted">{problemWhere(p, structure, lang)}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <ServerRefusal refusal={error} />
          )}
        </div>
      )}
      {!config && !error && <p class="muted">{bt("loading")}</p>}
      {config && formId && !form && <p class="banner banner-info">{bt("preview_no_sections")}</p>}
      {hiddenFromMe.length > 0 && <p class="banner banner-warning b-small">{bt("preview_missing", { fields: hiddenFromMe.join(", ") })}</p>}
      {shown && form && result && (
        <div class="b-phone" data-preview={form.id}>
          <h1 class="b-preview-title">{label(form.label, lang)}</h1>
          {sections.length === 0 && <p class="muted">{bt("preview_no_sections")}</p>}
          <nav class="section-nav" aria-label={t("sections")}>
            {sections.map((s) => (
              <a
                key={s.id}
                href="#"
                class={`section-tab${s.id === section?.id ? " current" : ""}`}
                aria-current={s.id === section?.id ? "step" : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  setSectionId(s.id);
                }}
              >
                {label(s.label, lang)}
              </a>
            ))}
          </nav>
          {section && (
            <FormRenderer
              config={shown}
              form={form}
              sectionId={section.id}
              data={data}
              result={result}
              lang={lang}
              onChange={(k, v) => setData((d) => ({ ...d, [k]: v }))}
              showErrors={(p) => touched.has(p)}
              touch={(p) => setTouched((s) => (s.has(p) ? s : new Set(s).add(p)))}
            />
          )}
        </div>
      )}
    </div>
  );
}
