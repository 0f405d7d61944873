import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { auth, signOutLocally } from "../api/client";
import { language } from "../i18n";
import { Login, groupSecret } from "./Login";

const err = (status: number, code: string, details?: unknown) => new Response(JSON.stringify({ error: { code, message: code, details } }), { status });

describe("Login with a second factor", () => {
  let host: HTMLDivElement;
  let calls: { url: string; body: any; headers: Record<string, string> }[];
  beforeEach(() => {
    host = document.createElement("div");
    document.body.appendChild(host);
    language.value = "en";
    calls = [];
    signOutLocally();
  });
  afterEach(() => {
    render(null, host);
    host.remove();
    vi.unstubAllGlobals();
    signOutLocally();
  });

  function serve(answer: (url: string, body: any) => Response) {
    vi.stubGlobal("fetch", vi.fn(async (url: string, init: RequestInit) => {
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ url: String(url), body, headers: init.headers as Record<string, string> });
      return answer(String(url), body);
    }));
  }
  const flush = () => act(async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0)); });
  const type = (sel: string, value: string) =>
    act(() => {
      const input = host.querySelector(sel) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  const submit = async () => {
    act(() => {
      host.querySelector("form")!.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    });
    await flush();
  };

  it("asks for the app's code when the server says otp_required, and offers a recovery code", async () => {
    const done = vi.fn();
    serve((_url, body) => (!body.otp ? err(401, "otp_required") : body.otp === "123456" ? new Response(JSON.stringify({ token: "tok" })) : err(401, "otp_invalid")));
    act(() => render(<Login onDone={done} />, host));
    type("#username", "supervisor");
    type("#password", "pw");
    await submit();
    expect(host.querySelector("form")?.getAttribute("data-step")).toBe("otp");
    type("#otp", "000000");
    await submit();
    expect(host.querySelector('[role="alert"]')?.textContent).toContain("The code is not valid");
    act(() => (host.querySelector('[data-action="toggle-recovery"]') as HTMLButtonElement).click());
    expect(host.textContent).toContain("Recovery code");
    type("#otp", "123 456");
    await submit();
    expect(calls.at(-1)!.body).toEqual({ username: "supervisor", password: "pw", otp: "123456" });
    expect(done).toHaveBeenCalledOnce();
    expect(auth.value.token).toBe("tok");
  });

  it("walks through enrolment: secret and otpauth link, confirm, recovery codes once, then a fresh code", async () => {
    serve((url, body) => {
      if (url.endsWith("auth/token/")) return body.otp ? new Response(JSON.stringify({ token: "t2" })) : err(403, "2fa_enrolment_required", { enrolment_token: "enrol-key" });
      if (url.endsWith("auth/2fa/setup/")) return new Response(JSON.stringify({ otpauth_uri: "otpauth://totp/Kinga:sup?secret=JBSWY3DPEHPK3PXP", secret: "JBSWY3DPEHPK3PXP" }));
      if (url.endsWith("auth/2fa/confirm/")) return body.code === "654321" ? new Response(JSON.stringify({ recovery_codes: ["aaaa1111", "bbbb2222"] })) : err(400, "otp_invalid");
      return err(404, "nope");
    });
    const done = vi.fn();
    act(() => render(<Login onDone={done} />, host));
    type("#username", "supervisor");
    type("#password", "pw");
    await submit();
    expect(host.querySelector("form")?.getAttribute("data-step")).toBe("enrol");
    const setup = calls.find((c) => c.url.endsWith("auth/2fa/setup/"))!;
    expect(setup.headers.Authorization).toBe("Enrolment enrol-key");
    expect(host.querySelector(".secret code")?.textContent).toBe("JBSW Y3DP EHPK 3PXP");
    expect(host.querySelector(".otpauth-uri")?.getAttribute("href")).toMatch(/^otpauth:\/\/totp\//);
    type("#otp", "111111");
    await submit();
    expect(host.querySelector('[role="alert"]')?.textContent).toContain("The code is not valid");
    type("#otp", "654321");
    await submit();
    expect(calls.at(-1)!.headers.Authorization).toBe("Enrolment enrol-key");
    expect(host.querySelectorAll(".recovery-codes li").length).toBe(2);
    expect(host.textContent).toContain("shown only this once");
    await submit(); // "I have saved them"
    expect(host.querySelector("form")?.getAttribute("data-step")).toBe("otp");
    expect(host.textContent).not.toContain("aaaa1111");
    type("#otp", "777777");
    await submit();
    expect(done).toHaveBeenCalledOnce();
  });

  it("groups the secret in fours", () => {
    expect(groupSecret("ABCDEFGHIJ")).toBe("ABCD EFGH IJ");
  });
});
