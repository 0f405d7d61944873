// Validate (problems in plain words, with where), diff (what changes; unsafe changes flagged), the
// declared migrations unsafe changes need (archive a field, map option codes, convert a type), then
// publish. A refusal (403 for a user who may not manage the configuration) is shown as the server says it.
import { useEffect, useState } from "preact/hooks";
import { href } from "../lib/router";
import * as api from "./api";
import { refusalOf, useDraft, type Refusal } from "./context";
import { bt } from "./i18n";
import { activeOptions, display, findField, migrationNeeds, migrationsFrom, needId, problemWhere, type MigrationAnswers } from "./state";
import type { Diff, PublishResult, Validation } from "./types";
import { ServerRefusal } from "./ui";

export function PublishTab({ lang }: { lang: string }) {
  const { structure, draft, reload, generation } = useDraft();
  const [validation, setValidation] = useState<Validation | null>(null);
  const [diff, setDiff] = useState<Diff | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const [answers, setAnswers] = useState<MigrationAnswers>({ accept: {}, map: {} });
  const [note, setNote] = useState("");
  const [force, setForce] = useState(false);
  const [result, setResult] = useState<PublishResult | null>(null);

  const check = async () => {
    if (!draft) return;
    setBusy(true);
    setRefusal(null);
    try {
      const v = await api.validateDraft(draft.id);
      setValidation(v);
      setDiff(v.ok ? await api.diffDraft(draft.id) : null);
    } catch (e) {
      setRefusal(refusalOf(e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => void check(), [draft?.id, generation]);

  if (!structure || !draft) return null;
  const defaultLang = structure.default_language;
  const needs = diff ? migrationNeeds(diff.changes) : [];
  const { migrations, missing } = migrationsFrom(needs, answers);
  const closed = draft.status !== "open";

  const publish = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      const r = await api.publishDraft(draft.id, { migrations, note: note.trim(), force });
      setResult(r);
      await reload();
    } catch (e) {
      setRefusal(refusalOf(e));
    } finally {
      setBusy(false);
    }
  };

  const optionsOf = (field: string) => {
    const place = findField(structure, field);
    const lookup = place?.field.lookup ? structure.lookups.find((l) => l.id === place.field.lookup) : null;
    return activeOptions(lookup ? lookup.options : place?.field.options ?? []);
  };

  return (
    <div class="b-publish">
      {closed && !result && <p class="banner banner-info">{bt("draft_closed", { status: bt(`draft_status_${draft.status}` as "draft_status_open") })}</p>}
      <section class="card b-card" aria-labelledby="pub-validate">
        <div class="b-editor-head">
          <h2 id="pub-validate">{bt("validate")}</h2>
          <button type="button" class="button-secondary b-validate" disabled={busy} onClick={() => void check()}>
            {busy ? bt("working") : bt("validate")}
          </button>
        </div>
        {validation && (
          <div class={`banner ${validation.ok ? "banner-info" : "banner-error"} b-validation`} role="status" data-ok={validation.ok}>
            <p>
              <strong>{validation.ok ? `✓ ${bt("valid")}` : validation.summary}</strong>{" "}
              {!validation.ok || validation.warnings ? bt("problems", { errors: validation.errors, warnings: validation.warnings }) : ""}
            </p>
            {validation.problems.length > 0 && (
              <ul class="b-problems">
                {validation.problems.map((p, i) => (
                  <li key={i} class={`b-problem-${p.severity}`} data-rule={p.rule}>
                    <strong>{p.severity === "error" ? "✗" : "!"}</strong> {p.message}
                    <br />
                    <span class="muted b-small">{problemWhere(p, structure, lang)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </section>

      {diff && (
        <section class="card b-card" aria-labelledby="pub-diff">
          <h2 id="pub-diff">{bt("diff")}</h2>
          {diff.changes.length === 0 ? (
            <p class="muted">{bt("no_changes")}</p>
          ) : (
            <ul class="b-diff">
              {diff.changes.map((c) => (
                <li key={`${c.kind}:${c.id}`} class={`b-diff-${c.op === "+" ? "add" : c.op === "-" ? "remove" : "change"}${c.unsafe ? " b-unsafe" : ""}`} data-change={`${c.kind}:${c.id}`}>
                  <code class="b-op">{c.op}</code> {c.kind} <code dir="ltr">{c.id}</code>
                  {c.attrs.length > 0 && <span class="muted">: {c.attrs.join(", ")}</span>}
                  {c.unsafe && (
                    <p class="b-unsafe-reason">
                      <span class="chip chip-warning">⚠ {bt("unsafe")}</span> {c.unsafe}
                      {c.migration && <span class="muted"> — {bt("covered", { migration: c.migration })}</span>}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )}
          <p class="muted b-small">{diff.text.split("\n").slice(-1)[0]}</p>
        </section>
      )}

      {needs.length > 0 && (
        <section class="card b-card b-migrations" aria-labelledby="pub-mig">
          <h2 id="pub-mig">{bt("migrations")}</h2>
          <p>{bt("migration_needed")}</p>
          {needs.map((n) => {
            const id = needId(n);
            const place = findField(structure, n.field);
            const name = `${display(place?.field.label, lang, defaultLang) || n.field} (${n.field})`;
            if (n.kind === "map_options") {
              const key = `${n.field}:${n.code}`;
              return (
                <div class="b-mig" key={id} data-need={id}>
                  <label for={`mig-${key}`}>{bt("map_option", { code: n.code, field: name })}</label>
                  <select
                    id={`mig-${key}`}
                    class="input"
                    value={answers.map[key] ?? ""}
                    onChange={(e) => setAnswers((a) => ({ ...a, map: { ...a.map, [key]: (e.currentTarget as HTMLSelectElement).value } }))}
                  >
                    <option value="">{bt("choose")}</option>
                    {optionsOf(n.field)
                      .filter((o) => o.code !== n.code)
                      .map((o) => (
                        <option key={o.code} value={o.code}>
                          {display(o.label, lang, defaultLang) || o.code} ({o.code})
                        </option>
                      ))}
                  </select>
                </div>
              );
            }
            return (
              <label class="b-check b-mig" key={id} data-need={id}>
                <input type="checkbox" checked={!!answers.accept[id]} onChange={(e) => setAnswers((a) => ({ ...a, accept: { ...a.accept, [id]: (e.currentTarget as HTMLInputElement).checked } }))} />{" "}
                {n.kind === "archive_field" ? bt("archive_field", { field: name }) : bt("retype_field", { field: name, from: n.from })}
              </label>
            );
          })}
        </section>
      )}

      {!closed && (
        <section class="card b-card" aria-labelledby="pub-go">
          <h2 id="pub-go">{bt("publish")}</h2>
          <label class="field-label" for="pub-note">
            {bt("note")}
          </label>
          <input id="pub-note" class="input" value={note} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} />
          {refusal?.code === "stale_draft" && (
            <label class="b-check">
              <input type="checkbox" checked={force} onChange={(e) => setForce((e.currentTarget as HTMLInputElement).checked)} /> {bt("force")}
            </label>
          )}
          <div class="b-actions">
            <button type="button" class="button-primary b-publish-button" disabled={busy || !validation?.ok || missing.length > 0} onClick={() => void publish()}>
              {busy ? bt("working") : bt("publish")}
            </button>
          </div>
        </section>
      )}
      {refusal?.status === 403 && (
        <p class="banner banner-error b-forbidden" role="alert">
          <strong>{bt("not_admin")}</strong>
        </p>
      )}
      <ServerRefusal refusal={refusal} />
      {result && (
        <div class="banner banner-info b-published" role="status" data-version={result.version ?? ""}>
          <p>
            <strong>{result.changed ? `✓ ${bt("published", { version: result.version ?? "" })}` : bt("published_nothing")}</strong>
          </p>
          <pre class="b-pre" dir="ltr">
            {result.text}
          </pre>
          <a href={href("/history")}>{bt("history")}</a>
        </div>
      )}
    </div>
  );
}
