// Subform: repeating rows (household members, services...). Each row is a card of the row fields,
// collapsed to a one-line summary when not being edited; rows can be added and removed.
import { useState } from "preact/hooks";
import { label, t } from "../../i18n";
import type { Data } from "../engine";
import { displayValue } from "./misc";
import type { FieldProps } from "./types";

export function Subform({ field, value, onChange, path, ctx }: FieldProps) {
  const rows = Array.isArray(value) ? (value as Data[]) : [];
  const [open, setOpen] = useState<number | null>(rows.length ? null : null);
  const max: number | undefined = field.params?.max_rows;
  const children = field.fields ?? [];
  // A read-only subform (or one with a masked column: the server makes it read-only) adds and removes nothing.
  const locked = ctx.readOnly || !!field.read_only || (field.access !== undefined && field.access !== "edit");
  const summaryFields = children.filter((c) => !["note", "section", "subform", "attachment"].includes(c.type)).slice(0, 3);

  const setRow = (i: number, key: string, v: unknown) => {
    const next = rows.map((r, j) => (j === i ? { ...r, [key]: v } : r));
    if (v === null || v === undefined) delete next[i][key];
    onChange(next);
  };
  const add = () => {
    onChange([...rows, {}]);
    setOpen(rows.length);
  };
  const remove = (i: number) => {
    const next = rows.filter((_r, j) => j !== i);
    onChange(next.length ? next : null);
    setOpen(null);
  };

  return (
    <div class="subform">
      {rows.length === 0 && <p class="muted">{t("no_rows")}</p>}
      {rows.map((r, i) => {
        const rowPath = `${path}[${i}]`;
        const summary = summaryFields.map((c) => displayValue(r[c.key])).filter((s) => s !== "—").join(" · ");
        const expanded = open === i || ctx.result.errors.some((e) => e.path.startsWith(rowPath + ".") && ctx.showErrors(e.path));
        return (
          <div class="subform-row card" key={i}>
            <div class="subform-row-head">
              <button type="button" class="link" aria-expanded={expanded} onClick={() => setOpen(expanded ? null : i)}>
                {t("row_n", { n: i + 1 })}
                {summary ? `: ${summary}` : ""}
              </button>
              {!locked && (
                <button type="button" class="button-small danger" onClick={() => remove(i)}>
                  {t("remove_row")}
                </button>
              )}
            </div>
            {expanded && (
              <div class="subform-row-body">
                {children.map((c) => ctx.renderField(c, r[c.key], (v) => setRow(i, c.key, v), `${rowPath}.${c.key}`, r))}
              </div>
            )}
          </div>
        );
      })}
      {!locked && (max === undefined || rows.length < max) && (
        <button type="button" class="button-secondary" onClick={add}>
          + {t("add_row")} {label(field.label, ctx.lang)}
        </button>
      )}
    </div>
  );
}
