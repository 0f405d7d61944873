// Sign in, with the second factor when the server asks for it (platform/kinga/api/auth_views.py):
//   401 otp_required / otp_invalid     -> a one-time code from the authenticator app, or a recovery code
//   403 2fa_enrolment_required         -> set-up: the otpauth URI and the secret to type into the app,
//                                         a code to confirm, then the recovery codes, shown once
//   429 locked_out                     -> the server's message (try again later)
import { useState } from "preact/hooks";
import { ApiError, NetworkError, confirmTwoFactor, login, startTwoFactor } from "../api/client";
import { t } from "../i18n";

type Step =
  | { kind: "password" }
  | { kind: "otp"; recovery: boolean }
  | { kind: "enrol"; token: string; uri?: string; secret?: string }
  | { kind: "codes"; codes: string[] };

/** The secret in groups of four, as authenticator apps show it. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, "").replace(/(.{4})/g, "$1 ").trim();
}

export function Login({ onDone }: { onDone: () => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [step, setStep] = useState<Step>({ kind: "password" });
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const explain = (err: unknown): string => {
    if (err instanceof NetworkError) return t("network_error");
    if (err instanceof ApiError) {
      if (err.code === "otp_invalid") return t("otp_invalid");
      if (err.code === "locked_out") return err.message || t("locked_out");
      if (err.code === "invalid_credentials" || err.status === 400) return t("login_failed");
      if (err.status < 500) return err.message || t("login_failed");
    }
    return t("network_error");
  };

  const enrol = async (token: string) => {
    setStep({ kind: "enrol", token });
    try {
      const { otpauth_uri, secret } = await startTwoFactor(token);
      setStep({ kind: "enrol", token, uri: otpauth_uri, secret });
    } catch (err) {
      setError(explain(err));
    }
  };

  const signIn = async (otp?: string) => {
    try {
      await login(username.trim(), password, otp);
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.code === "otp_required") {
        setCode("");
        setStep({ kind: "otp", recovery: false });
        return;
      }
      if (err instanceof ApiError && err.code === "2fa_enrolment_required") {
        const token = (err.details as { enrolment_token?: string } | undefined)?.enrolment_token;
        if (token) {
          setCode("");
          await enrol(token);
          return;
        }
      }
      setError(explain(err));
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      if (step.kind === "password") await signIn();
      else if (step.kind === "otp") await signIn(code.trim());
      else if (step.kind === "enrol") {
        try {
          const { recovery_codes } = await confirmTwoFactor(step.token, code.trim());
          setCode("");
          setStep({ kind: "codes", codes: recovery_codes });
        } catch (err) {
          setError(err instanceof ApiError && err.code === "otp_invalid" ? t("otp_invalid") : explain(err));
        }
      } else if (step.kind === "codes") {
        // The code used to confirm cannot be used again: sign in with the next one.
        setStep({ kind: "otp", recovery: false });
      }
    } finally {
      setBusy(false);
    }
  };

  const back = () => {
    setStep({ kind: "password" });
    setCode("");
    setError("");
  };

  const codeInput = (labelText: string, recovery: boolean) => (
    <>
      <label class="field-label" for="otp">
        {labelText}
      </label>
      <input
        key={recovery ? "recovery" : "app"}
        id="otp"
        class="input input-code"
        name="otp"
        value={code}
        onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
        autoComplete="one-time-code"
        inputMode={recovery ? "text" : "numeric"}
        maxLength={32}
        required
        autoFocus
      />
    </>
  );

  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit} data-step={step.kind}>
        <h1>{step.kind === "password" ? t("login_title") : step.kind === "otp" ? t("otp_title") : step.kind === "enrol" ? t("enrol_title") : t("recovery_title")}</h1>
        {step.kind === "password" && (
          <>
            <label class="field-label" for="username">
              {t("username")}
            </label>
            <input id="username" class="input" name="username" autoComplete="username" value={username} onInput={(e) => setUsername((e.currentTarget as HTMLInputElement).value)} required />
            <label class="field-label" for="password">
              {t("password")}
            </label>
            <input id="password" class="input" name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)} required />
          </>
        )}
        {step.kind === "otp" && (
          <>
            <p class="muted">{step.recovery ? t("otp_recovery_help") : t("otp_help")}</p>
            {codeInput(step.recovery ? t("recovery_code") : t("otp_code"), step.recovery)}
            <button
              type="button"
              class="link"
              data-action="toggle-recovery"
              onClick={() => {
                setCode("");
                setError("");
                setStep({ kind: "otp", recovery: !step.recovery });
              }}
            >
              {step.recovery ? t("use_app_code") : t("use_recovery_code")}
            </button>
          </>
        )}
        {step.kind === "enrol" && (
          <>
            <p>{t("enrol_help")}</p>
            {step.secret ? (
              <>
                <p class="field-label">{t("enrol_secret")}</p>
                <p class="secret" data-secret={step.secret}>
                  <code>{groupSecret(step.secret)}</code>
                </p>
                <details class="otpauth">
                  <summary>{t("enrol_uri")}</summary>
                  <p>
                    <a href={step.uri} class="otpauth-uri" data-uri={step.uri}>
                      {t("enrol_open_app")}
                    </a>
                  </p>
                  <code class="otpauth-text">{step.uri}</code>
                </details>
                {codeInput(t("enrol_confirm_code"), false)}
              </>
            ) : (
              !error && <p class="muted">{t("loading")}</p>
            )}
          </>
        )}
        {step.kind === "codes" && (
          <>
            <p>{t("recovery_help")}</p>
            <ol class="recovery-codes">
              {step.codes.map((c) => (
                <li key={c}>
                  <code>{c}</code>
                </li>
              ))}
            </ol>
            <p class="banner banner-warning">{t("recovery_once")}</p>
          </>
        )}
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        <button class="button-primary" type="submit" disabled={busy || (step.kind === "enrol" && !step.secret)}>
          {busy ? t("loading") : step.kind === "password" ? t("sign_in") : step.kind === "codes" ? t("recovery_saved") : step.kind === "enrol" ? t("enrol_confirm") : t("otp_verify")}
        </button>
        {step.kind !== "password" && (
          <button type="button" class="link" onClick={back}>
            {t("back")}
          </button>
        )}
      </form>
    </main>
  );
}
