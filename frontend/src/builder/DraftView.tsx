// One draft: header (name, status, revision), tabs, and the draft's state shared through DraftContext.
import { href, type Route } from "../lib/router";
import * as api from "./api";
import { DraftContext, useDraftState } from "./context";
import { FormsTab } from "./FormsTab";
import { bt, type BuilderKey } from "./i18n";
import { LookupsTab } from "./LookupsTab";
import { PreviewTab } from "./PreviewTab";
import { PublishTab } from "./PublishTab";
import { RolesTab } from "./RolesTab";
import { TranslationsTab } from "./TranslationsTab";
import { ServerRefusal } from "./ui";

export const TABS = ["forms", "options", "translations", "roles", "preview", "publish"] as const;

export function DraftView({ id, tab, route, lang }: { id: number; tab: string; route: Route; lang: string }) {
  const state = useDraftState(id);
  const { draft, loadError, loading } = state;

  if (loading && !draft) return <main class="page b-page"><p class="muted">{bt("loading")}</p></main>;
  if (!draft) {
    return (
      <main class="page b-page">
        {loadError?.status === 403 && (
          <p class="banner banner-error b-forbidden" role="alert">
            <strong>{bt("not_admin")}</strong>
          </p>
        )}
        <ServerRefusal refusal={loadError} />
      </main>
    );
  }
  const discard = async () => {
    if (!confirm(bt("discard_confirm"))) return;
    await api.discardDraft(id).catch(() => undefined);
    await state.reload();
  };
  const current = (TABS as readonly string[]).includes(tab) ? tab : "forms";

  return (
    <DraftContext.Provider value={state}>
      <main class="page b-page b-wide" data-draft={draft.id} data-revision={draft.revision}>
        <div class="page-head">
          <h1>
            {draft.name} <span class={`chip b-status-${draft.status}`}>{bt(`draft_status_${draft.status}` as BuilderKey)}</span>
            <span class="form-subtitle">{bt("draft_meta", { revision: draft.revision, base: draft.base_version ?? "–", by: draft.created_by ?? "–" })}</span>
          </h1>
          {draft.status === "open" && (
            <button type="button" class="button-small danger" onClick={() => void discard()}>
              {bt("discard")}
            </button>
          )}
        </div>
        {draft.structure_error && <p class="banner banner-error">{draft.structure_error}</p>}
        <nav class="b-tabs" aria-label={bt("title")}>
          {TABS.map((t) => (
            <a key={t} href={href(`/drafts/${id}/${t}`, { form: route.query.get("form"), rt: route.query.get("rt") })} class={`b-tab${t === current ? " current" : ""}`} aria-current={t === current ? "page" : undefined} data-tab={t}>
              {bt(`tab_${t}` as BuilderKey)}
            </a>
          ))}
        </nav>
        {current === "forms" && <FormsTab route={route} lang={lang} />}
        {current === "options" && <LookupsTab route={route} lang={lang} />}
        {current === "translations" && <TranslationsTab />}
        {current === "roles" && <RolesTab lang={lang} />}
        {current === "preview" && <PreviewTab lang={lang} initialForm={route.query.get("form") ?? undefined} />}
        {current === "publish" && <PublishTab lang={lang} />}
      </main>
    </DraftContext.Provider>
  );
}
