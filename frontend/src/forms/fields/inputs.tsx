// Free-entry widgets: text, textarea, integer, decimal, date, datetime.
import type { FieldProps } from "./types";

const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));

export function TextInput({ field, value, onChange, id, ctx, path, describedBy, invalid }: FieldProps) {
  const max = field.params?.max_length;
  return (
    <input
      id={id}
      type="text"
      class="input"
      value={str(value)}
      maxLength={max}
      readOnly={ctx.readOnly || field.read_only}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value || null)}
      onBlur={() => ctx.touch(path)}
      autoComplete="off"
    />
  );
}

export function TextArea({ field, value, onChange, id, ctx, path, describedBy, invalid }: FieldProps) {
  return (
    <textarea
      id={id}
      class="input"
      rows={3}
      value={str(value)}
      maxLength={field.params?.max_length}
      readOnly={ctx.readOnly || field.read_only}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      onInput={(e) => onChange((e.currentTarget as HTMLTextAreaElement).value || null)}
      onBlur={() => ctx.touch(path)}
    />
  );
}

/** Numbers are kept as typed until they read as a number, so "1." or "-" can be typed. */
function numberFrom(text: string, integer: boolean): unknown {
  const t = text.trim();
  if (t === "") return null;
  if (integer ? /^-?\d+$/.test(t) : /^-?(\d+(\.\d*)?|\.\d+)$/.test(t)) return Number(t);
  return text;
}

function NumberInput({ field, value, onChange, id, ctx, path, describedBy, invalid, integer }: FieldProps & { integer: boolean }) {
  return (
    <input
      id={id}
      type="text"
      inputMode={integer ? "numeric" : "decimal"}
      class="input input-number"
      value={str(value)}
      readOnly={ctx.readOnly || field.read_only}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      onInput={(e) => onChange(numberFrom((e.currentTarget as HTMLInputElement).value, integer))}
      onBlur={() => ctx.touch(path)}
      autoComplete="off"
    />
  );
}

export const IntegerInput = (p: FieldProps) => <NumberInput {...p} integer />;
export const DecimalInput = (p: FieldProps) => <NumberInput {...p} integer={false} />;

export function DateInput({ field, value, onChange, id, ctx, path, describedBy, invalid }: FieldProps) {
  return (
    <input
      id={id}
      type="date"
      class="input input-date"
      value={str(value).slice(0, 10)}
      readOnly={ctx.readOnly || field.read_only}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value || null)}
      onBlur={() => ctx.touch(path)}
    />
  );
}

/** Stored in UTC ("YYYY-MM-DDTHH:MM:SSZ"), shown and typed in the device's local time. */
export function toLocalInput(iso: unknown): string {
  if (typeof iso !== "string" || !iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(text: string): string | null {
  if (!text) return null;
  const d = new Date(text); // a datetime-local value is read in local time
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function DateTimeInput({ field, value, onChange, id, ctx, path, describedBy, invalid }: FieldProps) {
  return (
    <input
      id={id}
      type="datetime-local"
      class="input input-date"
      value={toLocalInput(value)}
      readOnly={ctx.readOnly || field.read_only}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      onInput={(e) => onChange(fromLocalInput((e.currentTarget as HTMLInputElement).value))}
      onBlur={() => ctx.touch(path)}
    />
  );
}
