// The builder's shell: sign-in gate, header (drafts, history, language, user) and hash routes:
//   #/                         drafts
//   #/drafts/<id>/<tab>        one draft (tabs: forms, options, translations, roles, preview, publish)
//   #/history                  configuration versions and rollback
import { useEffect, useState } from "preact/hooks";
import { auth, request, signOutLocally } from "../api/client";
import { LANGUAGE_NAMES, RTL_DEFAULT, language, setLanguage } from "../i18n";
import { useSignal } from "../lib/signal";
import { href, navigate, useRoute } from "../lib/router";
import * as api from "./api";
import { refusalOf, type Refusal } from "./context";
import { DraftView } from "./DraftView";
import { HistoryPage } from "./History";
import { bt } from "./i18n";
import { Login } from "./Login";
import type { DraftSummary } from "./types";
import { ServerRefusal } from "./ui";

const UI_LANGUAGES = ["en", "fr", "ar"];

export function Builder() {
  const session = useSignal(auth);
  const lang = useSignal(language);
  const route = useRoute();

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = RTL_DEFAULT.includes(lang) ? "rtl" : "ltr";
  }, [lang]);

  if (!session.token) return <Login />;

  const signOut = async () => {
    await request("POST", "auth/logout/").catch(() => undefined);
    signOutLocally();
  };
  const [head, id, tab] = route.path;

  let body;
  if (head === "drafts" && id) body = <DraftView key={id} id={Number(id)} tab={tab ?? "forms"} route={route} lang={lang} />;
  else if (head === "history") body = <HistoryPage lang={lang} />;
  else body = <DraftsPage lang={lang} />;

  return (
    <div class="app builder" data-lang={lang}>
      <header class="topbar">
        <a class="brand" href={href("/")}>
          Kinga · {bt("title")}
        </a>
        <nav class="topnav">
          <a href={href("/")} aria-current={!head || head === "drafts" ? "page" : undefined}>
            {bt("drafts")}
          </a>
          <a href={href("/history")} aria-current={head === "history" ? "page" : undefined}>
            {bt("history")}
          </a>
          <a href={`${import.meta.env.BASE_URL}`}>{bt("caseworker_app")}</a>
        </nav>
        <div class="topbar-end">
          <span class="b-user">{bt("signed_in_as", { user: session.username ?? "" })}</span>
          <label class="lang">
            <span class="visually-hidden">{bt("language")}</span>
            <select class="input input-small" value={lang} aria-label={bt("language")} onChange={(e) => setLanguage((e.currentTarget as HTMLSelectElement).value)}>
              {UI_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {LANGUAGE_NAMES[l] ?? l}
                </option>
              ))}
            </select>
          </label>
          <button class="link signout" type="button" onClick={() => void signOut()}>
            {bt("sign_out")}
          </button>
        </div>
      </header>
      {body}
    </div>
  );
}

function DraftsPage({ lang }: { lang: string }) {
  const [drafts, setDrafts] = useState<DraftSummary[] | null>(null);
  const [error, setError] = useState<Refusal | null>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [showClosed, setShowClosed] = useState(false);

  const load = () =>
    api
      .listDrafts()
      .then((d) => {
        setDrafts(d);
        setError(null);
      })
      .catch((e) => setError(refusalOf(e)));
  useEffect(() => void load(), []);

  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const d = await api.createDraft(name.trim());
      navigate(`/drafts/${d.id}/forms`);
    } catch (err) {
      setError(refusalOf(err));
    } finally {
      setBusy(false);
    }
  };

  if (error && error.status === 403) {
    return (
      <main class="page b-page">
        <div class="banner banner-error b-forbidden" role="alert">
          <p>
            <strong>{bt("not_admin")}</strong>
          </p>
          <p>{error.message}</p>
        </div>
      </main>
    );
  }
  const shown = (drafts ?? []).filter((d) => showClosed || d.status === "open");
  return (
    <main class="page b-page">
      <div class="page-head">
        <h1>{bt("drafts")}</h1>
      </div>
      {error && <ServerRefusal refusal={error} />}
      <form class="card b-card b-new-draft" onSubmit={create}>
        <h2>{bt("new_draft")}</h2>
        <label class="field-label" for="draft-name">
          {bt("draft_name")}
        </label>
        <div class="b-row">
          <input id="draft-name" class="input" value={name} placeholder={bt("draft_name_placeholder")} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
          <button class="button-primary" type="submit" disabled={busy}>
            {busy ? bt("working") : bt("create")}
          </button>
        </div>
      </form>
      {drafts === null && !error && <p class="muted">{bt("loading")}</p>}
      {drafts && shown.length === 0 && <p class="muted">{bt("no_drafts")}</p>}
      <ul class="b-list">
        {shown.map((d) => (
          <li key={d.id} class="card b-card b-draft-item" data-draft={d.id}>
            <a href={href(`/drafts/${d.id}/forms`)} class="b-draft-name">
              {d.name}
            </a>{" "}
            <span class={`chip b-status-${d.status}`}>{bt(`draft_status_${d.status}` as "draft_status_open")}</span>
            <p class="muted b-small">
              {bt("draft_meta", { revision: d.revision, base: d.base_version ?? "–", by: d.created_by ?? "–" })} · {new Date(d.updated_at).toLocaleString(lang)}
              {d.published_version ? ` · ${bt("published", { version: d.published_version })}` : ""}
            </p>
          </li>
        ))}
      </ul>
      {drafts && drafts.some((d) => d.status !== "open") && (
        <label class="b-check">
          <input type="checkbox" checked={showClosed} onChange={(e) => setShowClosed((e.currentTarget as HTMLInputElement).checked)} /> {bt("show_closed")}
        </label>
      )}
    </main>
  );
}


