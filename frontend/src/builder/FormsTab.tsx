// Forms of a record type; one form's outline (sections and fields, subform rows nested) with add,
// reorder (buttons or drag and drop), remove; the selected element's editor beside it.
import { useState } from "preact/hooks";
import { navigate, type Route } from "../lib/router";
import type { Op } from "./api";
import { useDraft } from "./context";
import { ExpressionInput } from "./ExpressionInput";
import { FieldEditor } from "./FieldEditor";
import { bt } from "./i18n";
import { afterFor, afterForStep, allKeys, display, findField, formsOfType, isValidId, slug, suggestKey } from "./state";
import type { BField, BForm, BSection, DraftStructure } from "./types";
import { Check, LangTexts, ServerRefusal } from "./ui";

interface Sel {
  rt: string;
  form?: string;
  field?: string;
  section?: string;
  edit?: "form" | "section";
}

function useSelection(route: Route, draftId: number, structure: DraftStructure): [Sel, (s: Partial<Sel>) => void] {
  const q = route.query;
  const rt = q.get("rt") || (structure.record_types.includes("case") ? "case" : structure.record_types[0]);
  const sel: Sel = { rt, form: q.get("form") ?? undefined, field: q.get("field") ?? undefined, section: q.get("section") ?? undefined, edit: (q.get("edit") as Sel["edit"]) ?? undefined };
  const go = (patch: Partial<Sel>) => {
    const next = { ...sel, ...patch };
    navigate(`/drafts/${draftId}/forms`, { rt: next.rt, form: next.form, field: next.field, section: next.section, edit: next.edit }, true);
  };
  return [sel, go];
}

export function FormsTab({ route, lang }: { route: Route; lang: string }) {
  const { structure, draft } = useDraft();
  if (!structure || !draft) return null;
  const [sel, go] = useSelection(route, draft.id, structure);
  const forms = formsOfType(structure, sel.rt);
  const form = forms.find((f) => f.id === sel.form);
  const place = form && sel.field ? findField(structure, sel.field, form.id) : null;
  const section = form && sel.section ? form.sections.find((s) => s.id === sel.section) : undefined;
  const defaultLang = structure.default_language;

  return (
    <div class="b-forms">
      <aside class="b-forms-list card" aria-label={bt("forms_of")}>
        <label class="field-label" for="rt-select">
          {bt("record_type")}
        </label>
        <select id="rt-select" class="input" value={sel.rt} onChange={(e) => go({ rt: (e.currentTarget as HTMLSelectElement).value, form: undefined, field: undefined, section: undefined, edit: undefined })}>
          {structure.record_types.map((rt) => (
            <option key={rt} value={rt}>
              {rt}
            </option>
          ))}
        </select>
        <h2 class="b-small-head">{bt("forms_of")}</h2>
        <ul class="b-nav-list">
          {forms.map((f) => (
            <li key={f.id}>
              <a
                href="#"
                class={f.id === sel.form ? "current" : ""}
                aria-current={f.id === sel.form ? "true" : undefined}
                data-form={f.id}
                onClick={(e) => {
                  e.preventDefault();
                  go({ form: f.id, field: undefined, section: undefined, edit: undefined });
                }}
              >
                {display(f.label, lang, defaultLang) || f.id}
              </a>
            </li>
          ))}
        </ul>
        <NewForm rt={sel.rt} onCreated={(id) => go({ form: id, field: undefined, section: undefined, edit: undefined })} />
      </aside>
      {form ? (
        <Outline form={form} lang={lang} sel={sel} go={go} />
      ) : (
        <p class="muted b-outline">{forms.length ? bt("choose") : ""}</p>
      )}
      {form && place && (
        <div class="b-side">
          <FieldEditor key={`${form.id}/${place.field.key}`} form={form} field={place.field} lang={lang} onClose={() => go({ field: undefined })} />
        </div>
      )}
      {form && !place && sel.edit === "section" && section && (
        <div class="b-side">
          <SectionEditor key={section.id} form={form} section={section} onClose={() => go({ edit: undefined, section: undefined })} />
        </div>
      )}
      {form && !place && sel.edit === "form" && (
        <div class="b-side">
          <FormSettings key={form.id} form={form} onClose={() => go({ edit: undefined })} onRemoved={() => go({ form: undefined, edit: undefined })} />
        </div>
      )}
    </div>
  );
}

function NewForm({ rt, onCreated }: { rt: string; onCreated: (id: string) => void }) {
  const { structure, draft, run: runAt, busy, refusalAt, clearRefusal } = useDraft();
  const run = (ops: Op[]) => runAt(ops, "new-form");
  const refusal = refusalAt("new-form");
  const [open, setOpen] = useState(false);
  const [labelText, setLabelText] = useState("");
  const [id, setId] = useState("");
  const [idTouched, setIdTouched] = useState(false);
  if (!structure || !draft) return null;
  const taken = structure.forms.map((f) => f.id);
  const suggested = suggestKey(labelText, draft.namespace, taken);
  const formId = idTouched ? id : suggested;
  const submit = async (e: Event) => {
    e.preventDefault();
    const label = { [structure.default_language]: labelText.trim() };
    // One batch (all or nothing): the form with its first section, ready for fields.
    const ok = await run([
      { op: "add_form", form: { id: formId, record_type: rt, label } },
      { op: "add_section", form: formId, section: { id: slug(labelText) || "main", label } },
    ]);
    if (!ok) return;
    setOpen(false);
    setLabelText("");
    setIdTouched(false);
    onCreated(formId);
  };
  if (!open)
    return (
      <button type="button" class="button-secondary b-new-form" onClick={() => (clearRefusal(), setOpen(true))}>
        + {bt("new_form")}
      </button>
    );
  return (
    <form class="b-new-form-form" onSubmit={submit}>
      <label class="field-label" for="nf-label">
        {bt("form_label")}
      </label>
      <input id="nf-label" class="input" value={labelText} required onInput={(e) => setLabelText((e.currentTarget as HTMLInputElement).value)} />
      <label class="field-label" for="nf-id">
        {bt("form_id")}
      </label>
      <input
        id="nf-id"
        class="input b-code"
        dir="ltr"
        value={formId}
        aria-invalid={formId && !isValidId(formId) ? true : undefined}
        onInput={(e) => {
          setIdTouched(true);
          setId((e.currentTarget as HTMLInputElement).value);
        }}
      />
      <ServerRefusal refusal={refusal} />
      <div class="b-actions">
        <button type="submit" class="button-primary" disabled={busy || !labelText.trim() || !isValidId(formId)}>
          {bt("add_form")}
        </button>
        <button type="button" class="button-secondary" onClick={() => setOpen(false)}>
          {bt("cancel")}
        </button>
      </div>
    </form>
  );
}

// -- outline ---------------------------------------------------------------------------------------------
type DragItem = { kind: "section"; index: number } | { kind: "field"; container: string; index: number };
let dragging: DragItem | null = null;

function Outline({ form, lang, sel, go }: { form: BForm; lang: string; sel: Sel; go: (s: Partial<Sel>) => void }) {
  const { structure, run: runAt, busy, refusalAt, clearRefusal } = useDraft();
  const run = (ops: Op[]) => runAt(ops, "outline");
  const refusal = refusalAt("outline");
  const [adding, setAdding] = useState<{ section: string; parent?: string } | null>(null);
  if (!structure) return null;
  const defaultLang = structure.default_language;
  const sectionIds = form.sections.map((s) => s.id);

  const moveSection = (index: number, after: string | null) => after && run([{ op: "move_section", form: form.id, section: sectionIds[index], after }]);
  const moveField = (section: BSection, parent: BField | null, list: BField[], index: number, after: string | null) =>
    after &&
    run([
      {
        op: "move_field",
        form: form.id,
        key: list[index].key,
        to_section: section.id,
        after,
        ...(parent ? { parent: parent.key } : {}),
      },
    ]);

  const fieldRows = (section: BSection, parent: BField | null, list: BField[], depth: number) => {
    const container = parent ? `${section.id}/${parent.key}` : section.id;
    const keys = list.map((f) => f.key);
    return (
      <ol class={`b-fields${depth ? " b-rows" : ""}`} data-container={container}>
        {list.map((f, i) => (
          <li key={f.key}>
            <div
              class={`b-field-row${sel.field === f.key ? " current" : ""}${f.hidden ? " b-is-hidden" : ""}`}
              data-key={f.key}
              draggable
              onDragStart={(e) => {
                dragging = { kind: "field", container, index: i };
                e.dataTransfer?.setData("text/plain", f.key);
              }}
              onDragOver={(e) => dragging?.kind === "field" && dragging.container === container && e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                const d = dragging;
                dragging = null;
                if (d?.kind === "field" && d.container === container && d.index !== i) void moveField(section, parent, list, d.index, afterFor(keys, d.index, i));
              }}
            >
              <span class="b-handle" aria-hidden="true" title={bt("drag")}>
                ⋮⋮
              </span>
              <button type="button" class="b-field-open link" onClick={() => go({ field: f.key, edit: undefined, section: undefined })}>
                <span class="b-field-label">{display(f.label, lang, defaultLang) || f.key}</span>
                <code class="b-key" dir="ltr">
                  {f.key}
                </code>
              </button>
              <span class="b-badges">
                <span class="chip chip-muted b-type">{f.type}</span>
                {f.locked_by && (
                  <span class="chip b-lock" title={bt("locked_by", { pack: f.locked_by })}>
                    🔒 {bt("locked")}
                  </span>
                )}
                {f.required === true || typeof f.required === "string" ? <span class="chip chip-muted">{bt("required_badge")}</span> : null}
                {f.relevant ? <span class="chip chip-muted">{bt("conditional_badge")}</span> : null}
                {f.calculation && f.type !== "calculated" ? <span class="chip chip-muted">{bt("calculated_badge")}</span> : null}
                {f.read_only ? <span class="chip chip-muted">{bt("read_only_badge")}</span> : null}
                {f.hidden ? <span class="chip chip-muted">{bt("hidden")}</span> : null}
              </span>
              <span class="b-row-actions">
                <button type="button" class="button-small" disabled={busy || i === 0} aria-label={`${bt("move_up")} ${f.key}`} title={bt("move_up")} onClick={() => void moveField(section, parent, list, i, afterForStep(keys, i, -1))}>
                  ↑
                </button>
                <button
                  type="button"
                  class="button-small"
                  disabled={busy || i === list.length - 1}
                  aria-label={`${bt("move_down")} ${f.key}`}
                  title={bt("move_down")}
                  onClick={() => void moveField(section, parent, list, i, afterForStep(keys, i, 1))}
                >
                  ↓
                </button>
              </span>
            </div>
            {f.type === "subform" && (
              <div class="b-subform">
                <p class="b-small muted">{bt("subform_rows")}</p>
                {fieldRows(section, f, f.fields ?? [], depth + 1)}
                {adding?.section === section.id && adding.parent === f.key ? (
                  <AddField form={form} section={section} parent={f.key} onDone={(key) => (setAdding(null), key && go({ field: key }))} />
                ) : (
                  <button type="button" class="button-small b-add-child" onClick={() => (clearRefusal(), setAdding({ section: section.id, parent: f.key }))}>
                    + {bt("add_child")}
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ol>
    );
  };

  return (
    <div class="b-outline" data-form={form.id}>
      <div class="b-outline-head">
        <h2>
          {display(form.label, lang, defaultLang) || form.id} <code class="b-key">{form.id}</code>
        </h2>
        <button type="button" class="button-small b-form-settings" onClick={() => go({ edit: "form", field: undefined, section: undefined })}>
          {bt("edit")}
        </button>
      </div>
      {!sel.field && !sel.edit && <ServerRefusal refusal={refusal} onClose={clearRefusal} />}
      {form.sections.length === 0 && <p class="muted">{bt("no_sections")}</p>}
      {form.sections.map((s, si) => (
        <section
          key={s.id}
          class={`b-section card${s.hidden ? " b-is-hidden" : ""}`}
          data-section={s.id}
          onDragOver={(e) => dragging?.kind === "section" && e.preventDefault()}
          onDrop={(e) => {
            const d = dragging;
            if (d?.kind !== "section") return;
            e.preventDefault();
            dragging = null;
            if (d.index !== si) void moveSection(d.index, afterFor(sectionIds, d.index, si));
          }}
        >
          <div class="b-section-head" draggable onDragStart={() => (dragging = { kind: "section", index: si })}>
            <span class="b-handle" aria-hidden="true">
              ⋮⋮
            </span>
            <h3>
              {display(s.label, lang, defaultLang) || s.id} <code class="b-key">{s.id}</code>
            </h3>
            {s.relevant && <span class="chip chip-muted">{bt("conditional_badge")}</span>}
            {s.hidden && <span class="chip chip-muted">{bt("hidden")}</span>}
            <span class="b-row-actions">
              <button type="button" class="button-small" disabled={busy || si === 0} aria-label={`${bt("move_up")} ${s.id}`} onClick={() => void moveSection(si, afterForStep(sectionIds, si, -1))}>
                ↑
              </button>
              <button type="button" class="button-small" disabled={busy || si === form.sections.length - 1} aria-label={`${bt("move_down")} ${s.id}`} onClick={() => void moveSection(si, afterForStep(sectionIds, si, 1))}>
                ↓
              </button>
              <button type="button" class="button-small b-edit-section" onClick={() => go({ edit: "section", section: s.id, field: undefined })}>
                {bt("edit")}
              </button>
            </span>
          </div>
          {(s.fields ?? []).length === 0 && <p class="muted b-small">{bt("no_fields")}</p>}
          {fieldRows(s, null, s.fields ?? [], 0)}
          {adding?.section === s.id && !adding.parent ? (
            <AddField form={form} section={s} onDone={(key) => (setAdding(null), key && go({ field: key }))} />
          ) : (
            <button type="button" class="button-secondary b-add-field" onClick={() => (clearRefusal(), setAdding({ section: s.id }))}>
              + {bt("add_field")}
            </button>
          )}
        </section>
      ))}
      <AddSection form={form} />
    </div>
  );
}

function AddField({ form, section, parent, onDone }: { form: BForm; section: BSection; parent?: string; onDone: (key?: string) => void }) {
  const { structure, draft, fieldTypes, run: runAt, busy, refusalAt, keys } = useDraft();
  const run = (ops: Op[]) => runAt(ops, "add-field");
  const refusal = refusalAt("add-field");
  const [type, setType] = useState("text");
  const [labelText, setLabelText] = useState("");
  const [key, setKey] = useState("");
  const [keyTouched, setKeyTouched] = useState(false);
  if (!structure || !draft) return null;
  const taken = new Set([...keys(form.record_type).map((k) => k.key), ...structure.forms.filter((f) => f.record_type === form.record_type).flatMap(allKeys)]);
  const fieldKey = keyTouched ? key : suggestKey(labelText, draft.namespace, taken);
  const submit = async (e: Event) => {
    e.preventDefault();
    const field: Record<string, unknown> = { key: fieldKey, type, label: { [structure.default_language]: labelText.trim() } };
    if (type === "calculated") field.params = { result: "string" };
    const ok = await run([{ op: "add_field", form: form.id, section: section.id, field, ...(parent ? { parent } : {}) }]);
    if (ok) onDone(fieldKey);
  };
  const id = `af-${section.id}-${parent ?? ""}`;
  return (
    <form class="b-add-field-form card" onSubmit={submit}>
      <div class="b-grid">
        <div>
          <label class="field-label" for={`${id}-type`}>
            {bt("field_type")}
          </label>
          <select id={`${id}-type`} class="input b-af-type" value={type} onChange={(e) => setType((e.currentTarget as HTMLSelectElement).value)}>
            {fieldTypes
              .filter((t) => !(parent && t.is_container))
              .map((t) => (
                <option key={t.type} value={t.type}>
                  {t.type}
                </option>
              ))}
          </select>
        </div>
        <div>
          <label class="field-label" for={`${id}-label`}>
            {bt("field_label")}
          </label>
          <input id={`${id}-label`} class="input b-af-label" value={labelText} required onInput={(e) => setLabelText((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <div>
          <label class="field-label" for={`${id}-key`}>
            {bt("field_key")}
          </label>
          <input
            id={`${id}-key`}
            class="input b-code b-af-key"
            dir="ltr"
            value={fieldKey}
            aria-invalid={fieldKey && !isValidId(fieldKey) ? true : undefined}
            onInput={(e) => {
              setKeyTouched(true);
              setKey((e.currentTarget as HTMLInputElement).value);
            }}
          />
          <p class="field-hint">{bt("field_key_help", { ns: draft.namespace || "…" })}</p>
        </div>
      </div>
      <ServerRefusal refusal={refusal} />
      <div class="b-actions">
        <button type="submit" class="button-primary b-af-submit" disabled={busy || !labelText.trim() || !isValidId(fieldKey)}>
          {bt("add_field")}
        </button>
        <button type="button" class="button-secondary" onClick={() => onDone()}>
          {bt("cancel")}
        </button>
      </div>
    </form>
  );
}

function AddSection({ form }: { form: BForm }) {
  const { structure, run: runAt, busy } = useDraft();
  const run = (ops: Op[]) => runAt(ops, "outline");
  const [labelText, setLabelText] = useState("");
  if (!structure) return null;
  const submit = async (e: Event) => {
    e.preventDefault();
    const taken = form.sections.map((s) => s.id);
    const id = suggestKey(labelText, "", taken);
    if (await run([{ op: "add_section", form: form.id, section: { id, label: { [structure.default_language]: labelText.trim() } } }])) setLabelText("");
  };
  return (
    <form class="b-add-section b-row" onSubmit={submit}>
      <label class="visually-hidden" for="as-label">
        {bt("section_label")}
      </label>
      <input id="as-label" class="input" placeholder={bt("section_label")} value={labelText} onInput={(e) => setLabelText((e.currentTarget as HTMLInputElement).value)} />
      <button type="submit" class="button-secondary" disabled={busy || !labelText.trim()}>
        + {bt("add_section")}
      </button>
    </form>
  );
}

function SectionEditor({ form, section, onClose }: { form: BForm; section: BSection; onClose: () => void }) {
  const { structure, run: runAt, busy, refusalAt, clearRefusal } = useDraft();
  const run = (ops: Op[]) => runAt(ops, "section");
  const refusal = refusalAt("section");
  const [labelValue, setLabelValue] = useState(section.label);
  const [relevant, setRelevant] = useState(section.relevant ?? "");
  const [hidden, setHidden] = useState(!!section.hidden);
  if (!structure) return null;
  const save = async (e: Event) => {
    e.preventDefault();
    const changes: Record<string, unknown> = {};
    if (JSON.stringify(labelValue) !== JSON.stringify(section.label)) changes.label = labelValue ?? null;
    if (relevant.trim() !== (section.relevant ?? "")) changes.relevant = relevant.trim() || null;
    if (hidden !== !!section.hidden) changes.hidden = hidden || null;
    if (Object.keys(changes).length) await run([{ op: "update_section", form: form.id, section: section.id, changes }]);
  };
  const remove = async () => {
    if (await run([{ op: "remove_section", form: form.id, section: section.id }])) onClose();
  };
  return (
    <form class="b-editor card" onSubmit={save} data-editing-section={section.id}>
      <div class="b-editor-head">
        <h2>
          {bt("edit_section")} <code class="b-key">{section.id}</code>
        </h2>
        <button type="button" class="link" onClick={onClose}>
          {bt("close")}
        </button>
      </div>
      <ServerRefusal refusal={refusal} onClose={clearRefusal} />
      <LangTexts id="se-label" label={bt("section_label")} value={labelValue} languages={structure.languages} defaultLang={structure.default_language} onChange={(v) => setLabelValue(v ?? undefined)} />
      <ExpressionInput id="se-relevant" label={bt("section_relevant")} value={relevant} onChange={setRelevant} recordType={form.record_type} conditions />
      <Check label={bt("section_hidden")} checked={hidden} onChange={setHidden} />
      <div class="b-actions">
        <button type="submit" class="button-primary" disabled={busy}>
          {bt("save")}
        </button>
        <button type="button" class="button-secondary danger" disabled={busy} onClick={() => void remove()}>
          {bt("remove_section")}
        </button>
      </div>
    </form>
  );
}

function FormSettings({ form, onClose, onRemoved }: { form: BForm; onClose: () => void; onRemoved: () => void }) {
  const { structure, run: runAt, busy, refusalAt, clearRefusal } = useDraft();
  const run = (ops: Op[]) => runAt(ops, "form");
  const refusal = refusalAt("form");
  const [labelValue, setLabelValue] = useState(form.label);
  const [order, setOrder] = useState(String(form.order ?? 100));
  if (!structure) return null;
  const save = async (e: Event) => {
    e.preventDefault();
    const changes: Record<string, unknown> = {};
    if (JSON.stringify(labelValue) !== JSON.stringify(form.label)) changes.label = labelValue ?? {};
    if (Number(order) !== (form.order ?? 100) && order.trim() !== "") changes.order = Number(order);
    if (Object.keys(changes).length) await run([{ op: "update_form", form: form.id, changes }]);
  };
  const remove = async () => {
    if (!confirm(bt("remove_form_confirm", { form: form.id }))) return;
    if (await run([{ op: "remove_form", form: form.id }])) onRemoved();
  };
  return (
    <form class="b-editor card" onSubmit={save} data-editing-form={form.id}>
      <div class="b-editor-head">
        <h2>
          {bt("form_label")} <code class="b-key">{form.id}</code>
        </h2>
        <button type="button" class="link" onClick={onClose}>
          {bt("close")}
        </button>
      </div>
      <ServerRefusal refusal={refusal} onClose={clearRefusal} />
      <LangTexts id="fs-label" label={bt("form_label")} value={labelValue} languages={structure.languages} defaultLang={structure.default_language} onChange={(v) => setLabelValue(v ?? undefined)} />
      <label class="field-label" for="fs-order">
        {bt("form_order")}
      </label>
      <input id="fs-order" class="input input-number" type="number" value={order} onInput={(e) => setOrder((e.currentTarget as HTMLInputElement).value)} />
      <div class="b-actions">
        <button type="submit" class="button-primary" disabled={busy}>
          {bt("save")}
        </button>
        <button type="button" class="button-secondary danger" disabled={busy} onClick={() => void remove()}>
          {bt("remove_form")}
        </button>
      </div>
    </form>
  );
}
