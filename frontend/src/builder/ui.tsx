// Small shared pieces of the builder UI.
import type { ComponentChildren } from "preact";
import { LANGUAGE_NAMES } from "../i18n";
import type { Refusal } from "./context";
import { bt } from "./i18n";
import { textIn, withText } from "./state";
import type { Text } from "./types";

/** A refusal of the server, in its own words (never rephrased). */
export function ServerRefusal({ refusal, onClose }: { refusal: Refusal | null; onClose?: () => void }) {
  if (!refusal) return null;
  return (
    <div class="banner banner-error b-refusal" role="alert" data-code={refusal.code}>
      <strong>{bt("server_said")}</strong> <span class="b-refusal-text">{refusal.message}</span>
      {refusal.code === "stale_draft" && (
        <button type="button" class="button-small" onClick={() => location.reload()}>
          {bt("reload")}
        </button>
      )}
      {onClose && (
        <button type="button" class="link b-dismiss" onClick={onClose} aria-label={bt("close")}>
          ×
        </button>
      )}
    </div>
  );
}

export const langName = (l: string) => LANGUAGE_NAMES[l] ?? l;

/** One input per language for a translatable text; the default language first. */
export function LangTexts({
  id,
  label,
  value,
  languages,
  defaultLang,
  onChange,
  multiline = false,
  disabled = false,
}: {
  id: string;
  label: string;
  value: Text | null | undefined;
  languages: string[];
  defaultLang: string;
  onChange: (v: Record<string, string> | null) => void;
  multiline?: boolean;
  disabled?: boolean;
}) {
  const ordered = [defaultLang, ...languages.filter((l) => l !== defaultLang)];
  return (
    <fieldset class="b-langs" data-text={id}>
      <legend class="field-label">{label}</legend>
      {ordered.map((l) => {
        const text = textIn(value, l, defaultLang);
        const missing = !text && !!textIn(value, defaultLang, defaultLang) && l !== defaultLang;
        const props = {
          id: `${id}-${l}`,
          class: `input${missing ? " b-missing" : ""}`,
          value: text,
          lang: l,
          dir: "auto" as const,
          disabled,
          "data-lang": l,
          onInput: (e: Event) => onChange(withText(value, l, (e.currentTarget as HTMLInputElement).value, defaultLang)),
        };
        return (
          <div class="b-lang-row" key={l}>
            <label for={`${id}-${l}`} class="b-lang-name">
              {langName(l)}
              {l === defaultLang ? ` (${bt("default_lang")})` : ""}
            </label>
            {multiline ? <textarea rows={2} {...props} /> : <input {...props} />}
          </div>
        );
      })}
    </fieldset>
  );
}

export function Section({ title, children, class: cls = "" }: { title: string; children: ComponentChildren; class?: string }) {
  return (
    <section class={`b-group ${cls}`}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

export function Check({ label, checked, onChange, disabled, name }: { label: string; checked: boolean; onChange: (v: boolean) => void; disabled?: boolean; name?: string }) {
  return (
    <label class="b-check" data-check={name}>
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} /> {label}
    </label>
  );
}
