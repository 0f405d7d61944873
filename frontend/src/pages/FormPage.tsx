// Editing one form of a record, section by section. Changes are kept on the device as they are typed
// and sent to the server when the user moves to another section or presses Save.
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Config, KRecord } from "../api/types";
import { FormRenderer, visibleSections } from "../forms/FormRenderer";
import { locate, recordTitle } from "../forms/engine";
import { useEditor } from "../forms/useEditor";
import { label, t } from "../i18n";
import { href, navigate, type Route } from "../lib/router";
import { ConflictView, conflictingKeys, mergeableKeys } from "./ConflictView";

export function FormPage({ config, recordType, id, formId, lang, route }: {
  config: Config;
  recordType: string;
  id: string;
  formId: string;
  lang: string;
  route: Route;
}) {
  const form = config.forms[formId];
  const onCreated = (rec: KRecord) => navigate(`/records/${recordType}/${rec.id}/${formId}`, { section: route.query.get("section") }, true);
  const editor = useEditor(config, lang, recordType, id, formId, onCreated);
  const { draft, result } = editor;
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [attempted, setAttempted] = useState(false);

  const sections = useMemo(() => (form && result ? visibleSections(form, result) : []), [form, result]);
  const wanted = route.query.get("section") ?? draft?.sectionId;
  const section = sections.find((s) => s.id === wanted) ?? sections[0];

  // A 409 where nobody else touched the fields I changed merges without asking.
  useEffect(() => {
    if (editor.conflict && draft && conflictingKeys(draft, editor.conflict).length === 0) {
      void editor.resolveConflict(mergeableKeys(draft, editor.conflict));
    }
  }, [editor.conflict]);

  if (!form) return <main class="page"><p>{t("not_found")}</p></main>;
  if (editor.notFound) return <main class="page"><p>{t("not_found")}</p></main>;
  if (editor.loading || !draft || !result) return <main class="page"><p class="muted">{t("loading")}</p></main>;

  const formErrors = result.errors.filter((e) => locate(config, recordType, e.path)?.form === formId);
  const showErrors = (path: string) => attempted || touched.has(path);
  const touch = (path: string) => setTouched((s) => (s.has(path) ? s : new Set(s).add(path)));

  const goSection = async (sectionId: string) => {
    editor.setSection(sectionId);
    navigate(`/records/${recordType}/${id}/${formId}`, { section: sectionId }, true);
    window.scrollTo(0, 0);
    await editor.send();
  };

  const save = async () => {
    setAttempted(true);
    if (formErrors.length) {
      // Go to the first section with an error; a new record stays on the device until it is fixed.
      const first = locate(config, recordType, formErrors[0].path);
      if (first && first.section !== section?.id) navigate(`/records/${recordType}/${id}/${formId}`, { section: first.section }, true);
      if (!draft.recordId) {
        await editor.send();
        return;
      }
    }
    await editor.send({ force: true });
  };

  const index = section ? sections.indexOf(section) : 0;
  const title = recordTitle(config, recordType, result.values) || t("untitled");
  const backTo = draft.recordId ? href(`/records/${recordType}/${draft.recordId}`) : href(`/records/${recordType}`);
  // Issues the server raised about other forms of the record (e.g. a required field elsewhere).
  const elsewhere = editor.serverIssues.filter((i) => i.severity === "error" && locate(config, recordType, i.path)?.form !== formId);
  const fieldLabel = (path: string) => {
    const where = locate(config, recordType, path);
    return where ? `${label(config.forms[where.form]?.label, lang)} › ${label(where.field.label, lang) || where.field.key}` : path;
  };
  const issueHref = (path: string) => {
    const where = locate(config, recordType, path);
    return where ? href(`/records/${recordType}/${id}/${where.form}`, { section: where.section }) : "#";
  };

  return (
    <main class="page page-form">
      <p>
        <a class="link" href={backTo}>
          <span class="back-arrow" aria-hidden="true">←</span> {draft.recordId ? t("back_to_case") : t("back")}
        </a>
      </p>
      <div class="page-head">
        <h1>
          {label(form.label, lang)}
          <span class="form-subtitle">
            <bdi>{title}</bdi>
            {draft.shortId && (
              <>
                {" · "}
                <bdi class="record-id">{draft.shortId}</bdi>
              </>
            )}
          </span>
        </h1>
      </div>
      {editor.restoredAt && (
        <div class="banner banner-info" role="status">
          {t("unsaved_restored", { when: new Date(editor.restoredAt).toLocaleString(lang) })}{" "}
          <button type="button" class="link" onClick={() => void editor.discard()}>
            {t("discard_changes")}
          </button>
        </div>
      )}
      <nav class="section-nav" aria-label={t("sections")}>
        {sections.map((s) => {
          const hasErrors = attempted && result.errors.some((e) => locate(config, recordType, e.path)?.section === s.id);
          return (
            <a
              key={s.id}
              href={href(`/records/${recordType}/${id}/${formId}`, { section: s.id })}
              class={`section-tab${s.id === section?.id ? " current" : ""}${hasErrors ? " has-error" : ""}`}
              aria-current={s.id === section?.id ? "step" : undefined}
              onClick={(e) => {
                e.preventDefault();
                void goSection(s.id);
              }}
            >
              {label(s.label, lang)}
            </a>
          );
        })}
      </nav>
      {attempted && formErrors.length > 0 && (
        <p class="banner banner-error" role="alert">
          {t("fix_errors", { count: formErrors.length })}
        </p>
      )}
      {elsewhere.length > 0 && (
        <div class="banner banner-error" role="alert">
          <p>{t("server_rejected")}</p>
          <ul>
            {elsewhere.map((i) => (
              <li key={`${i.path}-${i.code}`}>
                <a href={issueHref(i.path)}>{fieldLabel(i.path)}</a>: {i.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {section && (
        <FormRenderer
          config={config}
          form={form}
          sectionId={section.id}
          data={draft.data}
          result={result}
          lang={lang}
          onChange={editor.setValue}
          showErrors={showErrors}
          touch={touch}
          serverIssues={editor.serverIssues}
        />
      )}
      <div class="form-actions">
        <button class="button-secondary" type="button" disabled={index <= 0} onClick={() => void goSection(sections[index - 1].id)}>
          {t("previous_section")}
        </button>
        <button class="button-primary" type="button" onClick={() => void save()} disabled={editor.status === "saving"}>
          {editor.status === "saving" ? t("saving") : t("save")}
        </button>
        <button class="button-secondary" type="button" disabled={index >= sections.length - 1} onClick={() => void goSection(sections[index + 1].id)}>
          {t("next_section")}
        </button>
      </div>
      <p class={`save-status status-${editor.status}`} role="status" aria-live="polite" data-status={editor.status}>
        {editor.message || (editor.status === "local" || editor.status === "dirty" ? t("saved_locally") : "")}
      </p>
      {editor.conflict && conflictingKeys(draft, editor.conflict).length > 0 && (
        <ConflictView config={config} draft={draft} server={editor.conflict} lang={lang} onResolve={(keep) => void editor.resolveConflict(keep)} />
      )}
    </main>
  );
}
