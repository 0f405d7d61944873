// Option lists (lookups): find one, edit its options, add a new list.
import { useState } from "preact/hooks";
import { navigate, type Route } from "../lib/router";
import { useDraft } from "./context";
import { bt } from "./i18n";
import { OptionsEditor } from "./OptionsEditor";
import { display, findField, isValidId, suggestKey } from "./state";
import { LangTexts, ServerRefusal } from "./ui";

export function LookupsTab({ route, lang }: { route: Route; lang: string }) {
  const { structure, draft, run, busy, refusalAt, clearRefusal } = useDraft();
  const refusal = refusalAt("lookups");
  const [query, setQuery] = useState("");
  const [newLabel, setNewLabel] = useState("");
  if (!structure || !draft) return null;
  const defaultLang = structure.default_language;
  const selected = route.query.get("lookup") ?? "";
  const lookup = structure.lookups.find((l) => l.id === selected);
  const q = query.trim().toLowerCase();
  const shown = structure.lookups.filter((l) => !q || l.id.includes(q) || display(l.label, lang, defaultLang).toLowerCase().includes(q));
  const select = (id: string) => navigate(`/drafts/${draft.id}/options`, { lookup: id }, true);
  const usedBy = lookup
    ? structure.forms.flatMap((f) => f.sections.flatMap((s) => (s.fields ?? []).flatMap((x) => [x, ...(x.fields ?? [])]))).filter((f) => f.lookup === lookup.id).map((f) => f.key)
    : [];

  const add = async (e: Event) => {
    e.preventDefault();
    const id = suggestKey(newLabel, draft.namespace, structure.lookups.map((l) => l.id));
    if (!isValidId(id)) return;
    if (await run([{ op: "add_lookup", lookup: { id, label: { [defaultLang]: newLabel.trim() }, options: [] } }], "lookups")) {
      setNewLabel("");
      select(id);
    }
  };

  return (
    <div class="b-forms">
      <aside class="b-forms-list card" aria-label={bt("lookups")}>
        <label class="field-label" for="lk-filter">
          {bt("lookup_filter")}
        </label>
        <input id="lk-filter" class="input" type="search" value={query} onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)} />
        <ul class="b-nav-list">
          {shown.map((l) => (
            <li key={l.id}>
              <a
                href="#"
                data-lookup={l.id}
                class={l.id === selected ? "current" : ""}
                onClick={(e) => {
                  e.preventDefault();
                  clearRefusal();
                  select(l.id);
                }}
              >
                {display(l.label, lang, defaultLang) || l.id} {l.locked_by ? "🔒" : ""}
              </a>
            </li>
          ))}
        </ul>
        <form class="b-new-lookup" onSubmit={add}>
          <label class="field-label" for="lk-new">
            {bt("new_lookup")}
          </label>
          <input id="lk-new" class="input" placeholder={bt("lookup_label")} value={newLabel} onInput={(e) => setNewLabel((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit" class="button-secondary" disabled={busy || !newLabel.trim()}>
            + {bt("add_lookup")}
          </button>
        </form>
      </aside>
      <div class="b-outline">
        {!lookup && <ServerRefusal refusal={refusal} onClose={clearRefusal} />}
        {lookup ? (
          <div class="card b-card" data-lookup-editor={lookup.id}>
            <h2>
              {display(lookup.label, lang, defaultLang) || lookup.id} <code class="b-key">{lookup.id}</code>
            </h2>
            {usedBy.length > 0 && (
              <p class="muted b-small">
                {bt("used_by", {
                  fields: usedBy.map((k) => `${display(findField(structure, k)?.field.label, lang, defaultLang) || k} (${k})`).join(", "),
                })}
              </p>
            )}
            <LookupLabel key={`${lookup.id}-${draft.revision}`} id={lookup.id} value={lookup.label} />
            <OptionsEditor owner={{ lookup: lookup.id }} options={lookup.options} lockedBy={lookup.locked_by} />
          </div>
        ) : (
          <p class="muted">{bt("choose")}</p>
        )}
      </div>
    </div>
  );
}

function LookupLabel({ id, value }: { id: string; value: import("./types").Text | undefined }) {
  const { structure, run, busy } = useDraft();
  const [label, setLabel] = useState(value);
  if (!structure) return null;
  const dirty = JSON.stringify(label) !== JSON.stringify(value);
  return (
    <form
      class="b-lookup-label"
      onSubmit={(e) => {
        e.preventDefault();
        void run([{ op: "update_lookup", lookup: id, changes: { label: label ?? {} } }], "options");
      }}
    >
      <LangTexts id={`lk-label-${id}`} label={bt("lookup_label")} value={label} languages={structure.languages} defaultLang={structure.default_language} onChange={(v) => setLabel(v ?? undefined)} />
      {dirty && (
        <button type="submit" class="button-small" disabled={busy}>
          {bt("save")}
        </button>
      )}
    </form>
  );
}
