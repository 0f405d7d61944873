// The shell: sign-in gate, configuration loading, header (navigation, language, connection) and routes.
import { useEffect, useState } from "preact/hooks";
import { auth, fetchConfig, signOutLocally } from "./api/client";
import type { Config } from "./api/types";
import { LANGUAGE_NAMES, RTL_DEFAULT, fallbackLanguage, language, setLanguage, t } from "./i18n";
import { useSignal } from "./lib/signal";
import { href, navigate, useRoute } from "./lib/router";
import { Dashboard } from "./pages/Dashboard";
import { FormPage } from "./pages/FormPage";
import { Login } from "./pages/Login";
import { RecordListPage } from "./pages/RecordList";
import { RecordView } from "./pages/RecordView";
import { clearAll } from "./store/db";
import { pendingCount, refreshPending, replayOutbox } from "./store/sync";
import { formsOf } from "./forms/engine";

function useOnline(): boolean {
  const [online, setOnline] = useState(typeof navigator === "undefined" ? true : navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
    return () => {
      window.removeEventListener("online", on);
      window.removeEventListener("offline", off);
    };
  }, []);
  return online;
}

/** The record type the caseworker app centres on: `case` when the configuration has it. */
export function primaryRecordType(config: Config): string {
  return config.record_types.case ? "case" : Object.keys(config.record_types)[0];
}

function applyDirection(config: Config | null, lang: string) {
  const rtl = (config?.rtl_languages ?? RTL_DEFAULT).includes(lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = rtl ? "rtl" : "ltr";
}

export function App() {
  const session = useSignal(auth);
  const lang = useSignal(language);
  const pending = useSignal(pendingCount);
  const route = useRoute();
  const online = useOnline();
  const [config, setConfig] = useState<Config | null>(null);
  const [error, setError] = useState("");

  useEffect(() => applyDirection(config, lang), [config, lang]);

  useEffect(() => {
    if (!session.token) return;
    let cancelled = false;
    setError("");
    fetchConfig(lang)
      .then((c) => {
        if (cancelled) return;
        fallbackLanguage.value = c.default_language ?? "en";
        setConfig(c);
      })
      .catch((e) => !cancelled && setError(e?.message || t("network_error")));
    void refreshPending();
    return () => {
      cancelled = true;
    };
  }, [session.token, lang]);

  useEffect(() => {
    if (online && config && session.token) void replayOutbox(config).catch(() => undefined);
  }, [online, config, session.token]);

  if (!session.token) return <Login onDone={() => navigate("/")} />;

  const signOut = async () => {
    await clearAll().catch(() => undefined);
    signOutLocally();
    setConfig(null);
  };

  const languages = config?.languages ?? ["en"];
  const rt = config ? primaryRecordType(config) : "case";

  let body;
  if (error && !config) {
    body = (
      <main class="page">
        <p class="banner banner-error">{error}</p>
        <button class="button-secondary" onClick={() => location.reload()}>
          {t("retry")}
        </button>
      </main>
    );
  } else if (!config) {
    body = <main class="page"><p class="muted">{t("loading")}</p></main>;
  } else {
    const [head, type = rt, id, formId] = route.path;
    if (head === "records" && id === "new") {
      // A new record gets its draft id now, so a reload finds the same draft.
      const firstForm = formsOf(config, type)[0]?.id;
      navigate(`/records/${type}/new:${crypto.randomUUID ? crypto.randomUUID() : String(Date.now())}/${firstForm}`, {}, true);
      body = null;
    } else if (head === "records" && id && formId) {
      body = <FormPage key={`${type}/${formId}`} config={config} recordType={type} id={id} formId={formId} lang={lang} route={route} />;
    } else if (head === "records" && id) {
      // Keyed by record: another record's summary must never show, even for a moment, under this URL.
      body = <RecordView key={`${type}/${id}`} config={config} recordType={type} id={id} lang={lang} />;
    } else if (head === "records") {
      body = <RecordListPage config={config} recordType={type} lang={lang} route={route} />;
    } else {
      body = <Dashboard config={config} recordType={rt} lang={lang} />;
    }
  }

  return (
    <div class="app">
      <header class="topbar">
        <a class="brand" href={href("/")}>
          {t("app_name")}
        </a>
        <nav class="topnav">
          <a href={href("/")} aria-current={route.path.length === 0 ? "page" : undefined}>
            {t("my_work")}
          </a>
          <a href={href(`/records/${rt}`)} aria-current={route.path[0] === "records" ? "page" : undefined}>
            {t("cases")}
          </a>
        </nav>
        <div class="topbar-end">
          <span class={`conn ${online ? "conn-on" : "conn-off"}`} title={online ? t("online") : t("offline")}>
            {online ? "●" : "○"} <span class="conn-text">{online ? t("online") : t("offline")}</span>
          </span>
          {pending > 0 && <span class="chip chip-warning">{t("pending_changes", { count: pending })}</span>}
          <label class="lang">
            <span class="visually-hidden">{t("language")}</span>
            <select class="input input-small" value={lang} onChange={(e) => setLanguage((e.currentTarget as HTMLSelectElement).value)} aria-label={t("language")}>
              {languages.map((l) => (
                <option key={l} value={l}>
                  {LANGUAGE_NAMES[l] ?? l}
                </option>
              ))}
            </select>
          </label>
          <button class="link signout" type="button" onClick={() => void signOut()}>
            {t("sign_out")}
          </button>
        </div>
      </header>
      {body}
    </div>
  );
}
