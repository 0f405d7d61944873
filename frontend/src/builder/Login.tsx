// Sign-in for the builder: password, then the second factor when the role requires it (im_admin does).
// A user without a device yet is walked through enrolment with the server's one-time enrolment key.
import { useState } from "preact/hooks";
import { ApiError, NetworkError } from "../api/client";
import { confirmTwoFactor, signIn, startTwoFactor } from "./api";
import { bt } from "./i18n";

type Step = "password" | "otp" | "enrol" | "recovery";

export function Login() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [otp, setOtp] = useState("");
  const [step, setStep] = useState<Step>("password");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [enrolment, setEnrolment] = useState<{ token: string; secret: string; uri: string } | null>(null);
  const [codes, setCodes] = useState<string[]>([]);

  const fail = (e: unknown) => {
    if (e instanceof NetworkError) setError(bt("network_error"));
    else if (e instanceof ApiError && e.code === "invalid_credentials") setError(bt("login_failed"));
    else if (e instanceof ApiError) setError(e.message);
    else setError(bt("network_error"));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      if (step === "enrol" && enrolment) {
        const r = await confirmTwoFactor(enrolment.token, otp);
        setCodes(r.recovery_codes);
        setOtp("");
        setStep("recovery");
        return;
      }
      if (step === "recovery") {
        setStep("otp");
        return;
      }
      await signIn(username.trim(), password, step === "otp" ? otp : undefined);
    } catch (err) {
      if (err instanceof ApiError && err.code === "otp_required") {
        setStep("otp");
      } else if (err instanceof ApiError && err.code === "2fa_enrolment_required") {
        const token = (err.details as { enrolment_token?: string })?.enrolment_token ?? "";
        try {
          const setup = await startTwoFactor(token);
          setEnrolment({ token, secret: setup.secret, uri: setup.otpauth_uri });
          setStep("enrol");
        } catch (e2) {
          fail(e2);
        }
      } else fail(err);
    } finally {
      setBusy(false);
    }
  };

  const input = (id: string, value: string, set: (v: string) => void, props: Record<string, unknown> = {}) => (
    <input id={id} class="input" value={value} onInput={(e) => set((e.currentTarget as HTMLInputElement).value)} required {...props} />
  );

  return (
    <main class="login">
      <form class="card login-card b-login" onSubmit={submit}>
        <h1>{step === "enrol" || step === "recovery" ? bt("enrol_title") : bt("sign_in_title")}</h1>
        {step === "password" || step === "otp" ? (
          <>
            <label class="field-label" for="username">
              {bt("username")}
            </label>
            {input("username", username, setUsername, { autoComplete: "username", name: "username", disabled: step === "otp" })}
            <label class="field-label" for="password">
              {bt("password")}
            </label>
            {input("password", password, setPassword, { type: "password", autoComplete: "current-password", name: "password", disabled: step === "otp" })}
          </>
        ) : null}
        {step === "enrol" && enrolment && (
          <>
            <p>{bt("enrol_help")}</p>
            <p>
              {bt("enrol_key")}: <code class="b-secret" dir="ltr">{enrolment.secret}</code>
            </p>
            <p>
              <a href={enrolment.uri} dir="ltr" class="b-wrap">
                {enrolment.uri}
              </a>
            </p>
          </>
        )}
        {step === "recovery" && (
          <>
            <p>{bt("enrol_done")}</p>
            <ul class="b-codes" dir="ltr">
              {codes.map((c) => (
                <li key={c}>
                  <code>{c}</code>
                </li>
              ))}
            </ul>
          </>
        )}
        {(step === "otp" || step === "enrol") && (
          <>
            <label class="field-label" for="otp">
              {bt("otp")}
            </label>
            {input("otp", otp, setOtp, { inputMode: "numeric", autoComplete: "one-time-code", name: "otp", autoFocus: true, dir: "ltr" })}
            {step === "otp" && <p class="field-hint">{bt("otp_help")}</p>}
          </>
        )}
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        <button class="button-primary" type="submit" disabled={busy}>
          {busy ? bt("working") : step === "enrol" ? bt("enrol_confirm") : step === "recovery" ? bt("enrol_continue") : bt("sign_in")}
        </button>
      </form>
    </main>
  );
}
