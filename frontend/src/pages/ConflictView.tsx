// A 409 on save: the server has a newer version. Show both versions side by side for every field the
// user changed and let them choose, field by field, which value to keep.
import { useState } from "preact/hooks";
import type { Config, Field, KRecord } from "../api/types";
import { label, t } from "../i18n";
import type { Draft } from "../store/db";
import { fieldInfo } from "../forms/engine";
import { formatValue } from "./RecordView";

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Fields both sides changed to different values: the user must choose. */
export function conflictingKeys(draft: Draft, server: KRecord): string[] {
  return draft.dirty.filter((k) => !same(draft.data[k], server.data[k]) && !same(server.data[k], draft.base[k]));
}

/** Fields only this user changed: kept without asking. */
export function mergeableKeys(draft: Draft, server: KRecord): string[] {
  return draft.dirty.filter((k) => !same(draft.data[k], server.data[k]) && same(server.data[k], draft.base[k]));
}

export function ConflictView({ config, draft, server, lang, onResolve }: {
  config: Config;
  draft: Draft;
  server: KRecord;
  lang: string;
  onResolve: (keepMine: string[]) => void;
}) {
  const keys = conflictingKeys(draft, server);
  const [choice, setChoice] = useState<Record<string, "mine" | "theirs">>(() => Object.fromEntries(keys.map((k) => [k, "mine"])));
  const fieldOf = (key: string): Field => fieldInfo(config, draft.recordType, key)?.field ?? ({ key, type: "text", label: { en: key } } as Field);
  return (
    <div class="conflict" role="dialog" aria-modal="true" aria-labelledby="conflict-title">
      <div class="conflict-box card">
        <h2 id="conflict-title">{t("conflict_title")}</h2>
        <p>{t("conflict_help")}</p>
        <div class="conflict-grid">
          <div class="conflict-head" />
          <div class="conflict-head">{t("mine")}</div>
          <div class="conflict-head">{t("theirs")}</div>
          {keys.map((k) => {
            const f = fieldOf(k);
            return (
              <fieldset class="conflict-row" key={k} data-field={k}>
                <legend class="conflict-label">{label(f.label, lang) || k}</legend>
                <label class={`conflict-choice${choice[k] === "mine" ? " chosen" : ""}`}>
                  <input type="radio" name={`c-${k}`} checked={choice[k] === "mine"} onChange={() => setChoice({ ...choice, [k]: "mine" })} />
                  <span class="sr-label">{t("keep_mine")}</span>
                  <span class="conflict-value">{formatValue(config, f, draft.data[k], lang)}</span>
                </label>
                <label class={`conflict-choice${choice[k] === "theirs" ? " chosen" : ""}`}>
                  <input type="radio" name={`c-${k}`} checked={choice[k] === "theirs"} onChange={() => setChoice({ ...choice, [k]: "theirs" })} />
                  <span class="sr-label">{t("keep_theirs")}</span>
                  <span class="conflict-value">{formatValue(config, f, server.data[k], lang)}</span>
                </label>
              </fieldset>
            );
          })}
        </div>
        <button class="button-primary" type="button" onClick={() => onResolve([...mergeableKeys(draft, server), ...keys.filter((k) => choice[k] === "mine")])}>
          {t("apply_and_save")}
        </button>
      </div>
    </div>
  );
}
