// Options of an option list (lookup) or inline on a field: codes with labels per language, reorder,
// retire (never delete: records keep the code), add. Codes are never renamed.
import { useState } from "preact/hooks";
import { useDraft } from "./context";
import { bt } from "./i18n";
import { afterForStep, parseOptionLines, textIn, withText } from "./state";
import type { BOption } from "./types";
import { langName, ServerRefusal } from "./ui";

export type OptionOwner = { lookup: string } | { field: string; form: string };

export function OptionsEditor({ owner, options, lockedBy }: { owner: OptionOwner; options: BOption[]; lockedBy?: string | null }) {
  const { run: runAt, structure, refusalAt, busy, clearRefusal } = useDraft();
  const run = (ops: import("./api").Op[]) => runAt(ops, "options");
  const [code, setCode] = useState("");
  const [labelText, setLabelText] = useState("");
  const [paste, setPaste] = useState("");
  const [pasting, setPasting] = useState(false);
  if (!structure) return null;
  const languages = structure.languages;
  const defaultLang = structure.default_language;
  const codes = options.map((o) => o.code);
  const ordered = [defaultLang, ...languages.filter((l) => l !== defaultLang)];

  const add = async (e: Event) => {
    e.preventDefault();
    const c = code.trim();
    if (!c) return;
    const text = labelText.trim();
    // Cleared at once (the next option can be typed while this one is sent); restored if refused.
    setCode("");
    setLabelText("");
    const ok = await run([{ op: "add_option", ...owner, option: { code: c, label: { [defaultLang]: text || c } } }]);
    if (!ok) {
      setCode(c);
      setLabelText(text);
    }
  };
  const addMany = async () => {
    const list = parseOptionLines(paste, defaultLang);
    if (!list.length) return;
    if (await run(list.map((option) => ({ op: "add_option", ...owner, option })))) {
      setPaste("");
      setPasting(false);
    }
  };

  return (
    <div class="b-options" data-owner={"lookup" in owner ? owner.lookup : owner.field}>
      {lockedBy && <p class="banner banner-info b-locked-note">🔒 {bt("locked_lookup", { pack: lockedBy })}</p>}
      <p class="muted b-small">{bt("retire_help")}</p>
      <ServerRefusal refusal={refusalAt("options")} onClose={clearRefusal} />
      <div class="b-table-wrap">
        <table class="b-table b-options-table">
          <thead>
            <tr>
              <th scope="col">{bt("option_code")}</th>
              {ordered.map((l) => (
                <th scope="col" key={l}>
                  {bt("option_label", { lang: langName(l) })}
                </th>
              ))}
              <th scope="col">
                <span class="visually-hidden">{bt("edit")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {options.map((o, i) => (
              <tr key={o.code} class={o.retired ? "b-retired" : ""} data-option={o.code}>
                <th scope="row">
                  <code dir="ltr">{o.code}</code>
                  {o.retired && <span class="chip chip-muted">{bt("retired")}</span>}
                </th>
                {ordered.map((l) => {
                  const text = textIn(o.label, l, defaultLang);
                  const missing = !text && l !== defaultLang;
                  return (
                    <td key={l}>
                      <input
                        class={`input input-small${missing ? " b-missing" : ""}`}
                        lang={l}
                        dir="auto"
                        aria-label={`${o.code} ${langName(l)}`}
                        data-lang={l}
                        value={text}
                        onChange={(e) => {
                          const next = (e.currentTarget as HTMLInputElement).value;
                          if (next === text) return;
                          void run([{ op: "update_option", ...owner, code: o.code, changes: { label: withText(o.label, l, next, defaultLang) ?? {} } }]);
                        }}
                      />
                    </td>
                  );
                })}
                <td class="b-row-actions">
                  <button
                    type="button"
                    class="button-small"
                    disabled={busy || i === 0}
                    aria-label={`${bt("move_up")} ${o.code}`}
                    title={bt("move_up")}
                    onClick={() => void run([{ op: "move_option", ...owner, code: o.code, after: afterForStep(codes, i, -1) }])}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    class="button-small"
                    disabled={busy || i === options.length - 1}
                    aria-label={`${bt("move_down")} ${o.code}`}
                    title={bt("move_down")}
                    onClick={() => void run([{ op: "move_option", ...owner, code: o.code, after: afterForStep(codes, i, 1) }])}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    class="button-small b-retire"
                    disabled={busy}
                    onClick={() => void run([{ op: "retire_option", ...owner, code: o.code, retired: !o.retired }])}
                  >
                    {o.retired ? bt("unretire") : bt("retire")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="b-add-option b-row" onSubmit={add}>
        <label class="visually-hidden" for={`new-code-${codes.length}`}>
          {bt("option_code")}
        </label>
        <input id={`new-code-${codes.length}`} class="input b-new-code" dir="ltr" placeholder={bt("option_code")} value={code} onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)} />
        <label class="visually-hidden" for={`new-label-${codes.length}`}>
          {bt("option_label", { lang: langName(defaultLang) })}
        </label>
        <input
          id={`new-label-${codes.length}`}
          class="input b-new-label"
          placeholder={bt("option_label", { lang: langName(defaultLang) })}
          value={labelText}
          onInput={(e) => setLabelText((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit" class="button-secondary b-add-option-button" disabled={busy || !code.trim()}>
          + {bt("add_option")}
        </button>
      </form>
      <button type="button" class="link b-small" aria-expanded={pasting} onClick={() => setPasting((p) => !p)}>
        {bt("paste_options")}
      </button>
      {pasting && (
        <div class="b-paste">
          <textarea class="input" rows={4} dir="auto" value={paste} onInput={(e) => setPaste((e.currentTarget as HTMLTextAreaElement).value)} />
          <button type="button" class="button-secondary" disabled={busy} onClick={() => void addMany()}>
            + {bt("add_option")}
          </button>
        </div>
      )}
    </div>
  );
}
