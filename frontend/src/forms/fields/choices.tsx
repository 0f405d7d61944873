// Choice widgets: yes_no, select_one, select_multiple, tick_box. Options come from the field's
// lookup (or inline options), filtered by its choice_filter, in the user's language.
import { label, t } from "../../i18n";
import { optionsFor } from "../engine";
import type { FieldProps } from "./types";

const RADIO_LIMIT = 6;

/** The radio (or checkbox) an event of a choice group came from; null for its labels' own clicks. */
export function choiceInput(e: Event, type: string): HTMLInputElement | null {
  const input = e.target as HTMLInputElement | null;
  return input && input.tagName === "INPUT" && input.type === type ? input : null;
}

// One handler per group, not per radio (change, click and focusout bubble): a long form has hundreds
// of radios, and every listener is work on its first render.
function Radios({ name, options, value, onChange, disabled, describedBy, onBlur }: {
  name: string;
  options: { code: string; text: string }[];
  value: unknown;
  onChange: (v: unknown) => void;
  disabled: boolean;
  describedBy?: string;
  onBlur: () => void;
}) {
  return (
    <div
      class="choices"
      role="radiogroup"
      aria-describedby={describedBy}
      onChange={(e) => {
        const input = choiceInput(e, "radio");
        if (input) onChange(input.value);
      }}
      onClick={(e) => {
        // A second click on the chosen option clears the answer.
        const input = choiceInput(e, "radio");
        if (input && value === input.value) onChange(null);
      }}
      onFocusOut={onBlur}
    >
      {options.map((o) => (
        <label class="choice" key={o.code}>
          <input type="radio" name={name} value={o.code} checked={value === o.code} disabled={disabled} />
          <span>{o.text}</span>
        </label>
      ))}
    </div>
  );
}

export function YesNo({ field, value, onChange, id, ctx, path, describedBy }: FieldProps) {
  const options = [
    { code: "yes", text: t("yes") },
    { code: "no", text: t("no") },
    ...(field.params?.allow_unknown ? [{ code: "unknown", text: t("unknown") }] : []),
  ];
  return (
    <Radios
      name={id}
      options={options}
      value={value}
      onChange={onChange}
      disabled={ctx.readOnly || !!field.read_only}
      describedBy={describedBy}
      onBlur={() => ctx.touch(path)}
    />
  );
}

export function SelectOne({ field, value, onChange, id, ctx, path, row, describedBy, invalid }: FieldProps) {
  const options = optionsFor(ctx.config, field, ctx.values, row, value).map((o) => ({ code: o.code, text: label(o.label, ctx.lang) || o.code }));
  const disabled = ctx.readOnly || !!field.read_only;
  if (options.length <= RADIO_LIMIT) {
    return <Radios name={id} options={options} value={value} onChange={onChange} disabled={disabled} describedBy={describedBy} onBlur={() => ctx.touch(path)} />;
  }
  return (
    <select
      id={id}
      class="input"
      value={typeof value === "string" ? value : ""}
      disabled={disabled}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value || null)}
      onBlur={() => ctx.touch(path)}
    >
      <option value="">{t("choose")}</option>
      {options.map((o) => (
        <option key={o.code} value={o.code}>
          {o.text}
        </option>
      ))}
    </select>
  );
}

export function SelectMultiple({ field, value, onChange, ctx, path, row, describedBy }: FieldProps) {
  const chosen = Array.isArray(value) ? (value as string[]) : [];
  const options = optionsFor(ctx.config, field, ctx.values, row, chosen);
  const disabled = ctx.readOnly || !!field.read_only;
  const toggle = (code: string, on: boolean) => {
    // Keep the option order of the lookup, whatever order they were ticked in.
    const next = options.map((o) => o.code).filter((c) => (c === code ? on : chosen.includes(c)));
    onChange(next.length ? next : null);
  };
  return (
    <div
      class="choices choices-multi"
      role="group"
      aria-describedby={describedBy}
      onChange={(e) => {
        const input = choiceInput(e, "checkbox");
        if (input) toggle(input.value, input.checked);
      }}
      onFocusOut={() => ctx.touch(path)}
    >
      {options.map((o) => (
        <label class="choice" key={o.code}>
          <input type="checkbox" value={o.code} checked={chosen.includes(o.code)} disabled={disabled} />
          <span>{label(o.label, ctx.lang) || o.code}</span>
        </label>
      ))}
    </div>
  );
}

export function TickBox({ field, value, onChange, id, ctx, path, describedBy }: FieldProps) {
  return (
    <label class="choice tick">
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        disabled={ctx.readOnly || !!field.read_only}
        aria-describedby={describedBy}
        onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked ? true : null)}
        onBlur={() => ctx.touch(path)}
      />
      <span>{label(field.label, ctx.lang)}</span>
    </label>
  );
}
