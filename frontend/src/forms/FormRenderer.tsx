// Renders any form of the effective configuration: sections as steps, every field type through the
// widget registry, with skip-logic, calculations, constraints, required markers, hints, guidance and
// warnings evaluated live from the configuration's compiled expressions.
import { Component, type JSX } from "preact";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
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

function frameChanged(prev: FrameProps, next: FrameProps): boolean {
  for (const k of COMPARED) if (prev[k] !== next[k]) return true;
  return (prev.error?.message ?? null) !== (next.error?.message ?? null);
}

/** A subform row's field frame (rendered by the subform widget through ctx.renderField). */
class FieldFrame extends Component<FrameProps> {
  shouldComponentUpdate(next: FrameProps) {
    return frameChanged(this.props, next);
  }
  render() {
    return frame(this.props);
  }
}

/** The section's field frames take their props from here. On each render FormRenderer works out
 *  every frame's props and re-renders only the frames whose props changed, rather than handing 300
 *  new elements to Preact to compare (a keystroke changes one or a few). */
class Frames {
  props = new Map<string, FrameProps>();
  mounted = new Map<string, LiveFrame>();
  /** Frames to re-render once the section has rendered. */
  changed: string[] = [];
}

class LiveFrame extends Component<{ fieldKey: string; frames: Frames }> {
  componentDidMount() {
    this.props.frames.mounted.set(this.props.fieldKey, this);
  }
  componentWillUnmount() {
    const { mounted } = this.props.frames;
    if (mounted.get(this.props.fieldKey) === this) mounted.delete(this.props.fieldKey);
  }
  shouldComponentUpdate() {
    return false; // FormRenderer re-renders a frame whose props changed (forceUpdate)
  }
  render() {
    const props = this.props.frames.props.get(this.props.fieldKey);
    return props ? frame(props) : null;
  }
}

/** The list of frames: rendered again only when the set of fields shown changes. */
class FrameList extends Component<{ keys: string; frames: Frames }> {
  shouldComponentUpdate(next: { keys: string; frames: Frames }) {
    return next.keys !== this.props.keys || next.frames !== this.props.frames;
  }
  render() {
    const { keys, frames } = this.props;
    return keys ? keys.split("\u0001").map((k) => <LiveFrame key={k} fieldKey={k} frames={frames} />) : null;
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
      style={OWN_LAYER}
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

/** While a text box or select has the focus it belongs to a form of its own (the `form` attribute,
 *  set on focus, removed on blur; the form is an empty one after the section). Chromium's autofill
 *  (on in headless Chromium too) reads, after every keystroke, every control of the form the typed-in
 *  control belongs to, and for a control outside any form every such control of the page: on the
 *  benchmark's 300-field form about 700 controls, a forced style update each, 45 ms per keystroke at
 *  4x CPU. With the form it reads one. (A <form> around every field did the same, but its 190 forms
 *  made the first render's script 110 ms longer at 4x.) Radios and checkboxes never join (a radio
 *  group is per form). The form is never submitted (Enter in a lone text box would). */
const NOT_JOINING = new Set(["radio", "checkbox", "file", "button", "submit", "reset", "image"]);
const joinsForm = (el: EventTarget | null): el is HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement =>
  el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && !NOT_JOINING.has(el.type));
let focusForms = 0;

/** Each field frame is positioned, so Chromium paints it as a layer of its own and, after a
 *  keystroke, repaints the frame that changed and reuses the others' recorded paint: on the
 *  benchmark's 300-field form paint, pre-paint and compositing inputs went from 25 to 5 ms per
 *  keystroke at 4x CPU. No offset, so nothing moves; no field has absolutely positioned content.
 *  (A rule `.field { position: relative }` in styles.css would do the same.) */
const OWN_LAYER = "position:relative";
const noSubmit = (e: Event) => e.preventDefault();

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
  const issuesBySubform = useMemo(() => issuesUnder(result, serverIssues), [result, serverIssues]);
  const serverErrorsAt = useMemo(() => {
    const m = new Map<string, FieldIssue[]>();
    indexIssues(
      serverIssues.filter((i) => i.severity !== "warning"),
      m,
    );
    return m;
  }, [serverIssues]);

  const frames = useMemo(() => new Frames(), []);
  const focusForm = useMemo(() => `kinga-focus-form-${++focusForms}`, []);
  const join = (e: FocusEvent) => {
    if (joinsForm(e.target)) e.target.setAttribute("form", focusForm);
  };
  const leave = (e: FocusEvent) => {
    if (joinsForm(e.target) && e.target.getAttribute("form") === focusForm) e.target.removeAttribute("form");
  };

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
    const p = frameProps(field, value, change, path, row);
    return p ? <FieldFrame key={path} {...p} /> : null;
  }

  /** A frame's props, or null when the field is not shown (hidden, or not relevant). */
  function frameProps(field: Field, value: unknown, change: (v: unknown) => void, path: string, row: Data | null): FrameProps | null {
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
    const dep = field.type === "subform" ? subformDep(field, path, value, ctx, issuesBySubform) : depOf(field, path, value, row, ctx);
    return { field, value, change, path, row, config, lang, readOnly, required, error, warnings, warnKey, dep, ctx };
  }

  // The section's frames: new props kept for the frames whose props changed (the others keep theirs,
  // as a frame that skips a render does), re-rendered after this render (useLayoutEffect below).
  const shown: string[] = [];
  if (section) {
    const fields = limit < total ? section.fields.slice(0, limit) : section.fields;
    const changed: string[] = [];
    const seen = new Set<string>();
    for (const f of fields) {
      const p = frameProps(f, data[f.key], changeFor(f.key), f.key, null);
      if (!p) continue;
      shown.push(f.key);
      seen.add(f.key);
      const prev = frames.props.get(f.key);
      if (!prev || frameChanged(prev, p)) {
        frames.props.set(f.key, p);
        if (prev) changed.push(f.key);
      }
    }
    for (const k of [...frames.props.keys()]) if (!seen.has(k)) frames.props.delete(k);
    frames.changed = changed;
  }
  useLayoutEffect(() => {
    const { changed, mounted } = frames;
    frames.changed = [];
    for (const k of changed) mounted.get(k)?.forceUpdate();
  });

  if (!section) return null;
  return (
    <>
      <div class="form-section" data-section={section.id} onFocusIn={join} onFocusOut={leave}>
        <h2 class="section-title">{label(section.label, lang)}</h2>
        <FrameList keys={shown.join("\u0001")} frames={frames} />
      </div>
      <form id={focusForm} hidden onSubmit={noSubmit} />
    </>
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
    default:
      return null;
  }
}

/** Per engine result: the issues (engine and server) under each top-level subform, by its key. */
function issuesUnder(result: EngineResult, serverIssues: FieldIssue[]): Map<string, FieldIssue[]> {
  const under = new Map<string, FieldIssue[]>();
  for (const list of [result.errors, result.warnings, serverIssues]) {
    for (const i of list) {
      const at = i.path.indexOf("[");
      if (at < 0) continue;
      const key = i.path.slice(0, at);
      const found = under.get(key);
      if (found) found.push(i);
      else under.set(key, [i]);
    }
  }
  return under;
}

/** A subform frame's `dep`: what its rows show besides their raw values (the frame's `value`): the
 *  computed rows, each row field's relevance and required flag, the issues under it and which of its
 *  errors are shown (touched). With a choice_filter in its rows (options read the whole record) it
 *  re-renders with every result. */
function subformDep(field: Field, path: string, rawRows: unknown, ctx: RenderContext, issues: Map<string, FieldIssue[]>): unknown {
  if (path.includes("[") || hasChoiceFilter(field)) return ctx.result;
  const { relevant, required } = ctx.result;
  const parts: string[] = [JSON.stringify(ctx.result.values[path] ?? null)];
  const rows = (f: Field, p: string, list: unknown) => {
    if (!Array.isArray(list)) return;
    list.forEach((row, i) => {
      for (const c of f.fields ?? []) {
        const cp = `${p}[${i}].${c.key}`;
        parts.push(`${relevant[cp]}${required[cp]}`);
        if (c.type === "subform") rows(c, cp, (row as Data | null)?.[c.key]);
      }
    });
  };
  rows(field, path, rawRows);
  for (const i of issues.get(path) ?? []) {
    parts.push(`${i.path}\u0001${i.severity}\u0001${i.code}\u0001${i.message}\u0001${i.severity === "error" && ctx.showErrors(i.path)}`);
  }
  return parts.join("\u0002");
}

const hasChoiceFilter = (f: Field): boolean => !!f.choice_filter || (f.fields ?? []).some(hasChoiceFilter);

function RequiredMark() {
  return (
    <span class="required" title={t("required")} aria-label={t("required")}>
      {" *"}
    </span>
  );
}
