// Editing one form of a record, section by section. Changes are kept on the device as they are typed
// and sent to the server when the user moves to another section or presses Save.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { recordNotDuplicate } from "../api/client";
import type { Config, KRecord } from "../api/types";
import { DuplicatePanel } from "../duplicates/DuplicatePanel";
import { rulesFor } from "../duplicates/logic";
import { type DuplicateCheck, useDuplicateCheck } from "../duplicates/useDuplicateCheck";
import { FormRenderer, visibleSections } from "../forms/FormRenderer";
import { actionable, canDo, isEditable } from "../forms/access";
import { fieldInfo, locate, recordTitle } from "../forms/engine";
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
  const dupRef = useRef<DuplicateCheck | null>(null);
  const onCreated = (rec: KRecord) => {
    // "Not a duplicate — continue": now that the record has an id, tell the server, so neither the
    // check nor the scan proposes the pair again.
    for (const other of dupRef.current?.declined() ?? []) {
      void recordNotDuplicate(rec.id, other, "Registration: checked, not the same person").catch(() => undefined);
    }
    navigate(`/records/${recordType}/${rec.id}/${formId}`, { section: route.query.get("section") }, true);
  };
  const editor = useEditor(config, lang, recordType, id, formId, onCreated);
  const { draft, result } = editor;
  // Likely duplicates, before a new person record is first saved.
  const dup = useDuplicateCheck(config, recordType, `${recordType}/${id}`, result?.values ?? null, id.startsWith("new:") && !draft?.recordId && !!rulesFor(config, recordType));
  dupRef.current = dup;
  const [dupBlocking, setDupBlocking] = useState(false);
  const dupPanel = useRef<HTMLDivElement>(null);
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

  const userErrors = actionable(result.errors, (k) => fieldInfo(config, recordType, k)?.field);
  const formErrors = userErrors.filter((e) => locate(config, recordType, e.path)?.form === formId);
  const showErrors = (path: string) => attempted || touched.has(path);
  const touch = (path: string) => setTouched((s) => (s.has(path) ? s : new Set(s).add(path)));

  /** May a new record go to the server now? Not while likely duplicates wait for an answer. */
  const duplicatesAnswered = async (): Promise<boolean> => {
    if (draft.recordId || !dup.enabled) return true;
    const pending = await dup.checkNow();
    return pending.length === 0;
  };

  const goSection = async (sectionId: string) => {
    editor.setSection(sectionId);
    navigate(`/records/${recordType}/${id}/${formId}`, { section: sectionId }, true);
    window.scrollTo(0, 0);
    await editor.send({ keepLocal: !(await duplicatesAnswered()) });
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
    if (!(await duplicatesAnswered())) {
      setDupBlocking(true);
      window.setTimeout(() => dupPanel.current?.scrollIntoView({ block: "start", behavior: "smooth" }), 30);
      return;
    }
    setDupBlocking(false);
    await editor.send({ force: true });
  };

  const notDuplicate = () => {
    dup.acknowledge();
    if (dupBlocking) void save();
  };

  // Read-only: the user may not change this record (or create one), or every field of the form is read-only.
  const mayWrite = draft.recordId ? canDo(config, recordType, "edit") : canDo(config, recordType, "create");
  const formWritable = form.sections.some((s) => s.fields.some((f) => isEditable(f) && !["note", "section", "calculated"].includes(f.type)));
  const readOnly = !mayWrite || !formWritable;

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
          const hasErrors = attempted && userErrors.some((e) => locate(config, recordType, e.path)?.section === s.id);
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
      {readOnly && (
        <p class="banner banner-info" data-read-only="true">
          {t("read_only_form")}
        </p>
      )}
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
          readOnly={readOnly}
        />
      )}
      {dup.enabled && (
        <div ref={dupPanel} class="dup-slot">
          {dup.status === "checking" && (
            <p class="muted dup-status" role="status">
              {t("dup_checking")}
            </p>
          )}
          {dup.status === "unavailable" && (
            <p class="muted dup-status" role="status">
              {t("dup_unavailable")}
            </p>
          )}
          <DuplicatePanel
            config={config}
            recordType={recordType}
            lang={lang}
            candidates={dup.pending}
            mine={result.values}
            onContinue={notDuplicate}
            blocking={dupBlocking}
          />
        </div>
      )}
      <div class="form-actions">
        <button class="button-secondary" type="button" disabled={index <= 0} onClick={() => void goSection(sections[index - 1].id)}>
          {t("previous_section")}
        </button>
        {!readOnly && (
          <button class="button-primary" type="button" onClick={() => void save()} disabled={editor.status === "saving"}>
            {editor.status === "saving" ? t("saving") : t("save")}
          </button>
        )}
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
