// Configuration versions (who, when, what changed) and one-click rollback: the chosen version is
// re-installed, unchanged, as a new version (refused, with the server's reason, if it would orphan data).
import { useEffect, useState } from "preact/hooks";
import * as api from "./api";
import { refusalOf, type Refusal } from "./context";
import { bt } from "./i18n";
import type { HistoryEntry } from "./types";
import { ServerRefusal } from "./ui";

export function HistoryPage({ lang }: { lang: string }) {
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ version: number; restored: number } | null>(null);

  const load = () =>
    api
      .history()
      .then((h) => setEntries(h))
      .catch((e) => setRefusal(refusalOf(e)));
  useEffect(() => void load(), []);

  const rollback = async (n: number) => {
    setBusy(true);
    setRefusal(null);
    setDone(null);
    try {
      const r = await api.rollback(n);
      setDone({ version: r.version, restored: r.restored });
      await load();
    } catch (e) {
      setRefusal(refusalOf(e));
    } finally {
      setBusy(false);
    }
  };

  const active = entries?.find((e) => e.active);
  const previous = entries?.find((e) => active && e.number < active.number);

  return (
    <main class="page b-page">
      <div class="page-head">
        <h1>{bt("versions")}</h1>
        {previous && (
          <button type="button" class="button-primary b-undo" disabled={busy} onClick={() => void rollback(previous.number)}>
            {bt("undo_last")} ({bt("rollback_to", { n: previous.number })})
          </button>
        )}
      </div>
      {refusal?.status === 403 && (
        <p class="banner banner-error b-forbidden" role="alert">
          <strong>{bt("not_admin")}</strong>
        </p>
      )}
      <ServerRefusal refusal={refusal} />
      {done && (
        <p class="banner banner-info b-rolled-back" role="status">
          ✓ {bt("rollback_done", { n: done.restored, version: done.version })}
        </p>
      )}
      {!entries && !refusal && <p class="muted">{bt("loading")}</p>}
      <ol class="b-list b-history">
        {(entries ?? []).map((e) => (
          <li key={e.number} class={`card b-card${e.active ? " b-active" : ""}`} data-version={e.number}>
            <div class="b-editor-head">
              <h2>
                {bt("version_n", { n: e.number })} {e.active && <span class="chip chip-warning">{bt("active")}</span>}
                {e.rolled_back_from !== null && <span class="chip chip-muted">{bt("rolled_back_from", { n: e.rolled_back_from })}</span>}
              </h2>
              {!e.active && (
                <button type="button" class="button-secondary b-rollback" disabled={busy} onClick={() => void rollback(e.number)}>
                  {bt("rollback_to", { n: e.number })}
                </button>
              )}
            </div>
            <p class="b-small">
              {bt("by_at", { by: e.by, at: new Date(e.at).toLocaleString(lang) })} ·{" "}
              <span dir="ltr">{bt("summary_counts", { added: e.summary.added, removed: e.summary.removed, changed: e.summary.changed })}</span>
            </p>
            {e.note && <p class="muted">{e.note}</p>}
            <p class="muted b-small" dir="ltr">
              {e.packs} · {e.hash}
            </p>
          </li>
        ))}
      </ol>
    </main>
  );
}
