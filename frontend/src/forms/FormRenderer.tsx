// Renders any form of the effective configuration: sections as steps, every field type through the
// widget registry, with skip-logic, calculations, constraints, required markers, hints, guidance and
// warnings evaluated live from the configuration's compiled expressions.
import type { JSX } from "preact";
import type { Config, Field, Form, Section } from "../api/types";
import { label, t } from "../i18n";
import type { Data, EngineResult, FieldIssue } from "./engine";
import { isEditable, isMaskedValue } from "./access";
import { GROUPED, widgetFor } from "./fields";
import { Masked } from "./fields/misc";
import type { RenderContext } from "./fields/types";

export interface FormRendererProps {
  config: Config;
  form: Form;
  sectionId: string;
  /** Raw (as typed) record data: top-level field key -> value. */
  data: Data;
  result: EngineResult;
  lang: string;
  onChange: (key: string, value: unknown) => void;
  showErrors: (path: string) => boolean;
  touch: (path: string) => void;
  serverIssues?: FieldIssue[];
  readOnly?: boolean;
}

export function visibleSections(form: Form, result: EngineResult): Section[] {
  return form.sections.filter((s) => !s.hidden && s.fields.some((f) => result.relevant[f.key] !== false && !f.hidden));
}

const domId = (path: string) => `f-${path.replace(/[^a-zA-Z0-9_-]/g, "-")}`;

export function FormRenderer(props: FormRendererProps) {
  const { config, form, sectionId, data, result, lang, onChange, readOnly = false } = props;
  const section = form.sections.find((s) => s.id === sectionId) ?? form.sections[0];
  const serverIssues = props.serverIssues ?? [];

  const ctx: RenderContext = {
    config,
    lang,
    result,
    values: result.values,
    showErrors: props.showErrors,
    touch: props.touch,
    serverIssues,
    readOnly,
    renderField: (field, value, change, path, row) => renderField(field, value, change, path, row),
  };

  function renderField(field: Field, value: unknown, change: (v: unknown) => void, path: string, row: Data | null): JSX.Element | null {
    if (field.hidden) return null;
    if (result.relevant[path] === false) return null;
    const masked = isMaskedValue(field, value);
    const Widget = masked ? Masked : widgetFor(field.type);
    const id = domId(path);
    const errors = [
      ...(isEditable(field) ? result.errors : []).filter((e) => e.path === path && (e.code !== "required" || props.showErrors(path))),
      ...serverIssues.filter((e) => e.path === path && e.severity !== "warning"),
    ];
    // One message per field is enough: the first.
    const error = errors[0];
    const warnings = [...result.warnings, ...serverIssues.filter((e) => e.severity === "warning")].filter((w) => w.path === path);
    const uniqueWarnings = warnings.filter((w, i) => warnings.findIndex((x) => x.code === w.code) === i);
    const hint = label(field.hint, lang);
    const guidance = label(field.guidance, lang);
    const required = isEditable(field) && (result.required[path] ?? field.required === true);
    const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
    const text = label(field.label, lang) || field.key;
    const kind = field.type;

    if (kind === "section") {
      return (
        <h3 class="field-subheading" key={path}>
          {text}
        </h3>
      );
    }
    const grouped = !masked && GROUPED.has(kind);
    const locked = !isEditable(field) && kind !== "calculated" && kind !== "note";
    const Tag = grouped ? "fieldset" : "div";
    return (
      <Tag
        class={`field field-${kind}${error ? " has-error" : ""}${locked ? " is-read-only" : ""}`}
        key={path}
        data-field={field.key}
        data-path={path}
        data-access={field.access}
      >
        {kind === "tick_box" ? null : grouped ? (
          <legend class="field-label">
            {text}
            {required && <RequiredMark />}
            {locked && <span class="badge badge-lock">{t("read_only")}</span>}
          </legend>
        ) : kind === "note" ? (
          <p class="field-label note-label">{text}</p>
        ) : (
          <label class="field-label" for={id}>
            {text}
            {required && <RequiredMark />}
            {kind === "calculated" && <span class="badge">{t("calculated")}</span>}
            {locked && <span class="badge badge-lock">{masked ? t("masked") : t("read_only")}</span>}
          </label>
        )}
        {/* `cond ? … : null`, not `text && …`: an empty label would leave an empty text node that Preact
            writes again on every render, invalidating the layout of the whole form per keystroke
            (bench/bench_frontend.mjs). */}
        {hint ? (
          <p class="field-hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
        <Widget
          field={field}
          value={value}
          onChange={change}
          path={path}
          id={id}
          ctx={ctx}
          row={row}
          describedBy={describedBy}
          invalid={!!error}
        />
        {guidance ? (
          kind === "note" ? (
            <p class="field-guidance">{guidance}</p>
          ) : (
            <details class="field-guidance">
              <summary>?</summary>
              <p>{guidance}</p>
            </details>
          )
        ) : null}
        {error && (
          <p class="field-error" id={`${id}-error`} role="alert">
            {error.message}
          </p>
        )}
        {uniqueWarnings.map((w) => (
          <p class="field-warning" key={w.code} role="status">
            {w.message}
          </p>
        ))}
      </Tag>
    );
  }

  if (!section) return null;
  return (
    <div class="form-section" data-section={section.id}>
      <h2 class="section-title">{label(section.label, lang)}</h2>
      {section.fields.map((f) => renderField(f, data[f.key], (v) => onChange(f.key, v), f.key, null))}
    </div>
  );
}

function RequiredMark() {
  return (
    <span class="required" title={t("required")} aria-label={t("required")}>
      {" *"}
    </span>
  );
}
