// One field: texts per language, type (from the server's list), params generated from the type's
// params_schema, options, required (yes/no/expression), read-only, hidden, default and the logic.
// Save sends one update_field with only what changed; the server judges (locks included) and its
// refusal is shown verbatim.
import { useEffect, useMemo, useState } from "preact/hooks";
import { useDraft } from "./context";
import { ExpressionInput } from "./ExpressionInput";
import { bt } from "./i18n";
import { OptionsEditor } from "./OptionsEditor";
import { display, fieldChanges, formatParam, paramSpecs, paramsFrom, requiredMode, type ParamSpec, type RequiredMode } from "./state";
import type { BField, BForm } from "./types";
import { Check, LangTexts, Section, ServerRefusal } from "./ui";

export function FieldEditor({ form, field, lang, onClose }: { form: BForm; field: BField; lang: string; onClose: () => void }) {
  const { structure, fieldTypes, run, refusalAt, busy, clearRefusal, generation } = useDraft();
  const [edited, setEdited] = useState<BField>(field);
  const [rawParams, setRawParams] = useState<Record<string, string | boolean>>({});
  const [saved, setSaved] = useState(false);
  const rt = form.record_type;

  const type = fieldTypes.find((t) => t.type === edited.type);
  const specs = useMemo(() => paramSpecs(type?.params_schema), [type]);

  // A fresh copy whenever the server's version of the field changes (after a save or a reload).
  useEffect(() => {
    setEdited(field);
    const raws: Record<string, string | boolean> = {};
    for (const spec of paramSpecs(fieldTypes.find((t) => t.type === field.type)?.params_schema)) {
      const v = field.params?.[spec.name];
      raws[spec.name] = spec.kind === "boolean" ? (v === true ? "true" : v === false ? "false" : "") : formatParam(spec, v);
    }
    setRawParams(raws);
  }, [field.key, generation, fieldTypes.length]);

  if (!structure) return null;
  const languages = structure.languages;
  const defaultLang = structure.default_language;
  const locked = field.locked_by;
  const { params, errors: paramErrors } = paramsFrom(specs, rawParams);
  const withParams: BField = { ...edited, params: Object.keys(params).length ? params : undefined };
  const changes = fieldChanges(field, withParams);
  const dirty = Object.keys(changes).length > 0;
  const set = (patch: Partial<BField>) => {
    setSaved(false);
    setEdited((f) => ({ ...f, ...patch }));
  };
  const mode = requiredMode(edited.required);
  const setMode = (m: RequiredMode) => set({ required: m === "yes" ? true : m === "no" ? false : typeof edited.required === "string" ? edited.required : " " });

  const save = async (e?: Event) => {
    e?.preventDefault();
    if (!dirty || Object.keys(paramErrors).length) return;
    clearRefusal();
    const ok = await run([{ op: "update_field", form: form.id, key: field.key, changes }], "field");
    setSaved(ok);
  };

  const remove = async () => {
    if (!confirm(bt("remove_field_confirm", { key: field.key }))) return;
    if (await run([{ op: "remove_field", form: form.id, key: field.key }], "field")) onClose();
  };

  const expr = (attr: "relevant" | "calculation" | "constraint" | "default" | "choice_filter", labelText: string, conditions = false) => (
    <ExpressionInput
      id={`fe-${attr}`}
      label={labelText}
      value={(edited[attr] as string | null | undefined) ?? ""}
      onChange={(v) => set({ [attr]: v } as Partial<BField>)}
      recordType={rt}
      field={attr === "choice_filter" ? field.key : undefined}
      conditions={conditions}
    />
  );

  const lookup = structure.lookups.find((l) => l.id === edited.lookup);
  return (
    <form class="b-editor card" onSubmit={save} aria-labelledby="fe-title" data-editing={field.key}>
      <div class="b-editor-head">
        <h2 id="fe-title">
          {display(field.label, lang, defaultLang) || field.key} <code class="b-key" dir="ltr">{field.key}</code>
        </h2>
        <button type="button" class="link" onClick={onClose}>
          {bt("close")}
        </button>
      </div>
      {locked && (
        <p class="banner banner-info b-locked-note" data-locked-by={locked}>
          🔒 {bt("locked_by", { pack: locked })}
        </p>
      )}

      <Section title={bt("texts")}>
        <LangTexts id="fe-label" label={bt("field_label")} value={edited.label} languages={languages} defaultLang={defaultLang} onChange={(v) => set({ label: v ?? undefined })} />
        <LangTexts id="fe-hint" label={bt("hint")} value={edited.hint} languages={languages} defaultLang={defaultLang} onChange={(v) => set({ hint: v ?? undefined })} />
        <LangTexts id="fe-guidance" label={bt("guidance")} value={edited.guidance} languages={languages} defaultLang={defaultLang} multiline onChange={(v) => set({ guidance: v ?? undefined })} />
      </Section>

      <Section title={bt("field_type")}>
        <label class="visually-hidden" for="fe-type">
          {bt("field_type")}
        </label>
        <select id="fe-type" class="input" value={edited.type} disabled={!!locked} onChange={(e) => set({ type: (e.currentTarget as HTMLSelectElement).value })}>
          {fieldTypes.map((t) => (
            <option key={t.type} value={t.type}>
              {t.type}
            </option>
          ))}
        </select>
        <ParamsInputs specs={specs} raws={rawParams} errors={paramErrors} type={edited.type} onChange={(name, v) => (setSaved(false), setRawParams((r) => ({ ...r, [name]: v })))} />
      </Section>

      {type?.uses_options && (
        <Section title={bt("options_source")}>
          <div class="b-row">
            <label class="b-check">
              <input type="radio" name="fe-source" checked={!edited.lookup} onChange={() => set({ lookup: null })} /> {bt("options_inline")}
            </label>
            <label class="b-check">
              <input type="radio" name="fe-source" checked={!!edited.lookup || edited.lookup === ""} onChange={() => set({ lookup: structure.lookups[0]?.id ?? "" })} /> {bt("options_lookup")}
            </label>
          </div>
          {edited.lookup !== null && edited.lookup !== undefined ? (
            <select class="input" aria-label={bt("options_lookup")} value={edited.lookup} onChange={(e) => set({ lookup: (e.currentTarget as HTMLSelectElement).value })}>
              {structure.lookups.map((l) => (
                <option key={l.id} value={l.id}>
                  {display(l.label, lang, defaultLang) || l.id} ({l.id})
                </option>
              ))}
            </select>
          ) : null}
          {field.lookup && lookup && edited.lookup === field.lookup ? (
            <OptionsEditor owner={{ lookup: lookup.id }} options={lookup.options} lockedBy={lookup.locked_by} />
          ) : !field.lookup && !edited.lookup ? (
            <OptionsEditor owner={{ field: field.key, form: form.id }} options={field.options ?? []} lockedBy={locked} />
          ) : (
            <p class="muted">{bt("unsaved")}</p>
          )}
        </Section>
      )}

      <Section title={bt("behaviour")}>
        <fieldset class="b-radios" data-text="required">
          <legend class="field-label">{bt("required")}</legend>
          {(["no", "yes", "when"] as RequiredMode[]).map((m) => (
            <label class="b-check" key={m}>
              <input type="radio" name="fe-required" value={m} checked={mode === m} onChange={() => setMode(m)} /> {bt(`required_${m}` as "required_no")}
            </label>
          ))}
        </fieldset>
        {mode === "when" && (
          <ExpressionInput id="fe-required" label={bt("required_when")} value={typeof edited.required === "string" ? edited.required.trim() : ""} onChange={(v) => set({ required: v || " " })} recordType={rt} conditions />
        )}
        <Check name="read_only" label={bt("read_only")} checked={!!edited.read_only} onChange={(v) => set({ read_only: v })} />
        <Check name="hidden" label={bt("hidden_field")} checked={!!edited.hidden} onChange={(v) => set({ hidden: v })} />
        <Check name="keep_when_irrelevant" label={bt("keep_when_irrelevant")} checked={!!edited.keep_when_irrelevant} onChange={(v) => set({ keep_when_irrelevant: v })} />
        {expr("default", bt("default_value"))}
      </Section>

      <Section title={bt("logic")}>
        {expr("relevant", bt("relevant"), true)}
        {(edited.type === "calculated" || edited.calculation) && expr("calculation", bt("calculation"))}
        {type?.stores_value !== false && expr("constraint", bt("constraint"), true)}
        {(edited.constraint || edited.constraint_message) && (
          <LangTexts
            id="fe-constraint-message"
            label={bt("constraint_message")}
            value={edited.constraint_message}
            languages={languages}
            defaultLang={defaultLang}
            onChange={(v) => set({ constraint_message: v ?? undefined })}
          />
        )}
        {type?.uses_options && expr("choice_filter", bt("choice_filter"))}
      </Section>

      <div class="b-sticky">
      {/* The refusal sits by the Save button, where the user acted (the editor may be scrolled). */}
      <ServerRefusal refusal={refusalAt("field")} onClose={clearRefusal} />
      <div class="b-actions">
        <button type="submit" class="button-primary b-save-field" disabled={busy || !dirty || Object.keys(paramErrors).length > 0}>
          {busy ? bt("working") : bt("save")}
        </button>
        <span class="muted" role="status" data-save-state={dirty ? "dirty" : saved ? "saved" : ""}>
          {dirty ? bt("unsaved") : saved ? `✓ ${bt("saved")}` : ""}
        </span>
        <button type="button" class="button-secondary danger b-remove-field" disabled={busy || !!locked} title={locked ? bt("locked") : undefined} onClick={() => void remove()}>
          {bt("remove")}
        </button>
      </div>
      </div>
    </form>
  );
}

function ParamsInputs({
  specs,
  raws,
  errors,
  type,
  onChange,
}: {
  specs: ParamSpec[];
  raws: Record<string, string | boolean>;
  errors: Record<string, string>;
  type: string;
  onChange: (name: string, v: string) => void;
}) {
  if (!specs.length) return <p class="muted b-small">{bt("no_params")}</p>;
  return (
    <fieldset class="b-params" data-params={type}>
      <legend class="field-label">{bt("params", { type })}</legend>
      {specs.map((s) => {
        const id = `fe-param-${s.name}`;
        const value = String(raws[s.name] ?? "");
        const err = errors[s.name];
        return (
          <div class="b-param" key={s.name} data-param={s.name}>
            <label for={id}>
              <code dir="ltr">{s.name}</code>
              {s.kind === "list" && <span class="muted b-small"> · {bt("param_list_help")}</span>}
            </label>
            {s.kind === "enum" || s.kind === "boolean" ? (
              <select id={id} class="input" value={value} onChange={(e) => onChange(s.name, (e.currentTarget as HTMLSelectElement).value)}>
                <option value="">{bt("unset")}</option>
                {(s.kind === "enum" ? s.options ?? [] : ["true", "false"]).map((o) => (
                  <option key={o} value={o}>
                    {s.kind === "boolean" ? (o === "true" ? bt("yes") : bt("no")) : o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                class="input"
                dir="ltr"
                inputMode={s.kind === "integer" || s.kind === "number" ? "decimal" : undefined}
                min={s.minimum}
                max={s.maximum}
                value={value}
                aria-invalid={err ? true : undefined}
                onInput={(e) => onChange(s.name, (e.currentTarget as HTMLInputElement).value)}
              />
            )}
            {err && <p class="field-error">{bt(`param_${err}` as "param_number")}</p>}
          </div>
        );
      })}
    </fieldset>
  );
}
