import { useState } from "preact/hooks";
import { ApiError, NetworkError, login } from "../api/client";
import { t } from "../i18n";

export function Login({ onDone }: { onDone: () => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      await login(username.trim(), password);
      onDone();
    } catch (err) {
      setError(err instanceof NetworkError ? t("network_error") : err instanceof ApiError && err.status < 500 ? t("login_failed") : t("network_error"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit}>
        <h1>{t("login_title")}</h1>
        <label class="field-label" for="username">
          {t("username")}
        </label>
        <input id="username" class="input" name="username" autoComplete="username" value={username} onInput={(e) => setUsername((e.currentTarget as HTMLInputElement).value)} required />
        <label class="field-label" for="password">
          {t("password")}
        </label>
        <input id="password" class="input" name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)} required />
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        <button class="button-primary" type="submit" disabled={busy}>
          {busy ? t("loading") : t("sign_in")}
        </button>
      </form>
    </main>
  );
}
