// Widgets that show rather than ask: calculated values, notes; and file attachments.
import { useState } from "preact/hooks";
import { uploadAttachment } from "../../api/client";
import { label, t } from "../../i18n";
import type { FieldProps } from "./types";

export function displayValue(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? t("yes") : t("no");
  if (Array.isArray(v)) return v.map(displayValue).join(", ");
  if (typeof v === "object") return (v as { file_name?: string }).file_name ?? JSON.stringify(v);
  return String(v);
}

/** Live, read-only: the value the calculation gives now (the server recomputes it on save). */
export function Calculated({ id, path, ctx, describedBy }: FieldProps) {
  const value = valueAt(ctx.result.values, path);
  return (
    <output id={id} class="calculated" aria-live="polite" aria-describedby={describedBy} data-path={path}>
      {displayValue(value)}
    </output>
  );
}

/** The value at a path like "household[1].age" in computed values. */
export function valueAt(values: Record<string, unknown>, path: string): unknown {
  let cur: unknown = values;
  for (const part of path.split(".")) {
    const m = /^(.+?)\[(\d+)\]$/.exec(part);
    if (m) {
      cur = (cur as Record<string, unknown> | undefined)?.[m[1]];
      cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    } else cur = (cur as Record<string, unknown> | undefined)?.[part];
  }
  return cur;
}

export function Note() {
  return null; // label and guidance are rendered by the field frame
}

export function Attachment({ field, value, onChange, id, ctx, describedBy }: FieldProps) {
  const [state, setState] = useState<"idle" | "uploading" | "failed">("idle");
  const current = value as { id?: string; file_name?: string; size?: number } | null;
  const accept = (field.params?.content_types as string[] | undefined)?.join(",");
  const upload = async (file: File) => {
    setState("uploading");
    try {
      const meta = await uploadAttachment(file, field.key);
      onChange({ id: meta.id, file_name: meta.file_name ?? file.name, content_type: meta.content_type ?? file.type, size: meta.size ?? file.size });
      setState("idle");
    } catch {
      setState("failed");
    }
  };
  return (
    <div class="attachment" aria-describedby={describedBy}>
      {current?.id ? (
        <p class="attachment-current">
          <span>{current.file_name ?? current.id}</span>
          {!ctx.readOnly && (
            <button type="button" class="link" onClick={() => onChange(null)}>
              {t("attachment_remove")}
            </button>
          )}
        </p>
      ) : null}
      {!ctx.readOnly && (
        <input
          id={id}
          type="file"
          accept={accept}
          aria-label={label(field.label, ctx.lang)}
          onChange={(e) => {
            const file = (e.currentTarget as HTMLInputElement).files?.[0];
            if (file) void upload(file);
          }}
        />
      )}
      {state === "uploading" && <p class="muted">{t("attachment_uploading")}</p>}
      {state === "failed" && <p class="field-error">{t("attachment_failed")}</p>}
    </div>
  );
}

/** A value the user may see only masked ("A***"): shown as the server sent it, never editable. */
export function Masked({ id, value, describedBy }: FieldProps) {
  const shown = value === null || value === undefined || value === "" ? "—" : Array.isArray(value) ? value.map(String).join(", ") : String(value);
  return (
    <output id={id} class="masked-value" aria-describedby={describedBy} data-masked="true">
      {shown}
    </output>
  );
}
