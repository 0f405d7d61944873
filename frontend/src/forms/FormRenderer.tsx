// Renders any form of the effective configuration: sections as steps, every field type through the
// widget registry, with skip-logic, calculations, constraints, required markers, hints, guidance and
// warnings evaluated live from the configuration's compiled expressions.
import { Component, type JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Config, Field, Form, Section } from "../api/types";
import { label, t } from "../i18n";
import { type Data, type EngineResult, type FieldIssue, optionsFor } from "./engine";
import { isEditable, isMaskedValue } from "./access";
import { GROUPED, widgetFor } from "./fields";
import { Masked, valueAt } from "./fields/misc";
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

const NO_ISSUES: FieldIssue[] = [];

/** Issues by path, built once per engine result (not filtered per field per render). */
function indexIssues(list: FieldIssue[], into: Map<string, FieldIssue[]>) {
  for (const i of list) {
    const at = into.get(i.path);
    if (at) at.push(i);
    else into.set(i.path, [i]);
  }
}

/** What a field frame shows besides its widget; `dep` is what the widget reads from the shared
 *  context (a calculated value, the codes a choice_filter lets through), so an unchanged frame can
 *  skip rendering. */
interface FrameProps {
  field: Field;
  value: unknown;
  change: (v: unknown) => void;
  path: string;
  row: Data | null;
  config: Config;
  lang: string;
  readOnly: boolean;
  required: boolean;
  error: FieldIssue | undefined;
  warnings: FieldIssue[];
  warnKey: string;
  dep: unknown;
  /** Read by the widget; not compared (what the widget uses of it is in the other props). */
  ctx: RenderContext;
}

// Compared by identity (strings by value); `ctx` and `warnings` (mirrored by `warnKey`) are not.
// `change` is compared: top-level fields get a stable handler, subform row fields a fresh closure
// over the current rows (so they re-render, and never hold a stale `rows`).
const COMPARED: (keyof FrameProps)[] = ["field", "value", "change", "path", "row", "config", "lang", "readOnly", "required", "warnKey", "dep"];

class FieldFrame extends Component<FrameProps> {
  shouldComponentUpdate(next: FrameProps) {
    const prev = this.props;
    for (const k of COMPARED) if (prev[k] !== next[k]) return true;
    return (prev.error?.message ?? null) !== (next.error?.message ?? null);
  }
  render() {
    return frame(this.props);
  }
}

function frame({ field, value, change, path, row, lang, required, error, warnings, ctx }: FrameProps): JSX.Element {
  const masked = isMaskedValue(field, value);
  const Widget = masked ? Masked : widgetFor(field.type);
  const id = domId(path);
  const hint = label(field.hint, lang);
  const guidance = label(field.guidance, lang);
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  const text = label(field.label, lang) || field.key;
  const kind = field.type;

  if (kind === "section") {
    return <h3 class="field-subheading">{text}</h3>;
  }
  const grouped = !masked && GROUPED.has(kind);
  const locked = !isEditable(field) && kind !== "calculated" && kind !== "note";
  const Tag = grouped ? "fieldset" : "div";
  return (
    <Tag
      class={`field field-${kind}${error ? " has-error" : ""}${locked ? " is-read-only" : ""}`}
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
      {warnings.map((w) => (
        <p class="field-warning" key={w.code} role="status">
          {w.message}
        </p>
      ))}
    </Tag>
  );
}

/** A long section can render its first fields at once and the rest in the next frames (the engine
 *  still evaluates every field; only the DOM arrives in chunks). Off: measured with
 *  bench/bench_frontend.mjs it made "all 300 frames in the DOM" later (median 771 ms vs 412 ms at 4x)
 *  and the next paint no sooner; kept behind this switch for forms where first paint matters more. */
export const FIRST_CHUNK = 60;
const CHUNK = 80;
const CHUNKED = false;

export function FormRenderer(props: FormRendererProps) {
  const { config, form, sectionId, data, result, lang, readOnly = false } = props;
  const section = form.sections.find((s) => s.id === sectionId) ?? form.sections[0];
  const serverIssues = props.serverIssues ?? NO_ISSUES;

  // Stable callbacks: the frames keep their handlers across renders and call the latest props.
  const live = useRef(props);
  live.current = props;
  const handlers = useRef<Map<string, (v: unknown) => void>>(new Map());
  const changeFor = (key: string) => {
    let h = handlers.current.get(key);
    if (!h) handlers.current.set(key, (h = (v: unknown) => live.current.onChange(key, v)));
    return h;
  };
  const stable = useMemo(
    () => ({
      touch: (path: string) => live.current.touch(path),
      showErrors: (path: string) => live.current.showErrors(path),
    }),
    [],
  );

  const { errorsAt, warningsAt } = useMemo(() => {
    const errorsAt = new Map<string, FieldIssue[]>();
    const warningsAt = new Map<string, FieldIssue[]>();
    indexIssues(result.errors, errorsAt);
    indexIssues(result.warnings, warningsAt);
    indexIssues(
      serverIssues.filter((i) => i.severity === "warning"),
      warningsAt,
    );
    return { errorsAt, warningsAt };
  }, [result, serverIssues]);
  const serverErrorsAt = useMemo(() => {
    const m = new Map<string, FieldIssue[]>();
    indexIssues(
      serverIssues.filter((i) => i.severity !== "warning"),
      m,
    );
    return m;
  }, [serverIssues]);

  // Chunked first render of a long section (per section: a section change starts again).
  const total = section?.fields.length ?? 0;
  const first = CHUNKED && total > FIRST_CHUNK + CHUNK ? FIRST_CHUNK : Infinity;
  const [chunk, setChunk] = useState<{ id: string | undefined; n: number }>({ id: section?.id, n: first });
  const limit = chunk.id === section?.id ? chunk.n : first;
  useEffect(() => {
    if (limit >= total) return;
    const id = section?.id;
    const h = requestAnimationFrame(() => setChunk({ id, n: limit + CHUNK }));
    return () => cancelAnimationFrame(h);
  }, [limit, total, section?.id]);

  const ctx: RenderContext = {
    config,
    lang,
    result,
    values: result.values,
    showErrors: stable.showErrors,
    touch: stable.touch,
    serverIssues,
    readOnly,
    renderField: (field, value, change, path, row) => renderField(field, value, change, path, row),
  };

  function renderField(field: Field, value: unknown, change: (v: unknown) => void, path: string, row: Data | null): JSX.Element | null {
    if (field.hidden) return null;
    if (result.relevant[path] === false) return null;
    const editable = isEditable(field);
    let error: FieldIssue | undefined;
    if (editable) error = errorsAt.get(path)?.find((e) => e.code !== "required" || props.showErrors(path));
    if (!error) error = serverErrorsAt.get(path)?.[0];
    // One message per field is enough: the first. One warning per code.
    const all = warningsAt.get(path) ?? NO_ISSUES;
    const warnings = all.length > 1 ? all.filter((w, i) => all.findIndex((x) => x.code === w.code) === i) : all;
    const warnKey = warnings.length ? warnings.map((w) => `${w.code}\u0001${w.message}`).join("\u0002") : "";
    const required = editable && (result.required[path] ?? field.required === true);
    return (
      <FieldFrame
        key={path}
        field={field}
        value={value}
        change={change}
        path={path}
        row={row}
        config={config}
        lang={lang}
        readOnly={readOnly}
        required={required}
        error={error}
        warnings={warnings}
        warnKey={warnKey}
        dep={depOf(field, path, value, row, ctx)}
        ctx={ctx}
      />
    );
  }

  if (!section) return null;
  const fields = limit < total ? section.fields.slice(0, limit) : section.fields;
  return (
    <div class="form-section" data-section={section.id}>
      <h2 class="section-title">{label(section.label, lang)}</h2>
      {fields.map((f) => renderField(f, data[f.key], changeFor(f.key), f.key, null))}
    </div>
  );
}

/** What a widget reads from the shared context, as a value compared between renders. */
function depOf(field: Field, path: string, value: unknown, row: Data | null, ctx: RenderContext): unknown {
  switch (field.type) {
    case "calculated": {
      const v = valueAt(ctx.result.values, path);
      return v !== null && typeof v === "object" ? JSON.stringify(v) : v;
    }
    case "select_one":
    case "select_multiple":
      if (!field.choice_filter) return null;
      return optionsFor(ctx.config, field, ctx.values, row, value)
        .map((o) => o.code)
        .join("\u0001");
    case "subform":
      return ctx.result; // rows, their relevance and errors: re-rendered with every result
    default:
      return null;
  }
}

function RequiredMark() {
  return (
    <span class="required" title={t("required")} aria-label={t("required")}>
      {" *"}
    </span>
  );
}
