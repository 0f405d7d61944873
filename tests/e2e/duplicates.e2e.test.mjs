// End-to-end: the duplicate warning at registration (a child already registered by another agency, and
// one of the caseworker's own), "My work" counts against the workflow API, the automatic case summary,
// two-step sign-in (enrolment, recovery code, app code) and masked names for a manager. Real server,
// fresh SQLite database, standard + example packs, demo users. Screenshots go to docs/screenshots/.
//
//   cd frontend && npm run build && node --test ../tests/e2e/
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { CHROMIUM, chromium, DEMO_PASSWORD, REPO, chromiumArgs, startStack } from "./harness.mjs";
import { answerRequiredChoices, chooseLocation } from "./form_helpers.mjs";

const SHOTS = join(REPO, "docs", "screenshots");
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 760 };
// Letters only: a family name no demo child has, so the only candidates are the ones made here.
const FAMILY = `Wekesa${Date.now().toString(36).replace(/[0-9]/g, (d) => "abcdefghij"[d])}`;
const HFC_CAREGIVER = `Halimazeynab ${FAMILY}`;
const HFC_CERTIFICATE = `KV-2015-${String(Date.now()).slice(-6)}`;

let stack;
let context;
let page;
let profile;
let api; // (user) -> helpers bound to that user's token
let hfcRecord; // registered by caseworker_hfc (agency hfc): caseworker may not see it
let ownRecord; // registered by caseworker (agency dsw): a visible candidate
const responses = []; // every API body the browser received, to prove what never reached it

// -- small helpers ---------------------------------------------------------------------------------

function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of text.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const out = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits), as an authenticator app computes it. */
function totp(secret, at = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const h = createHmac("sha1", base32(secret)).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

async function call(method, path, { token, body, auth = "Token" } = {}) {
  const res = await fetch(`${stack.djangoUrl}/api/v1/${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `${auth} ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function tokenFor(username) {
  const r = await call("POST", "auth/token/", { body: { username, password: DEMO_PASSWORD } });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.token;
}

function caseData(extra) {
  return {
    registration_date: "2026-01-10",
    sex: "male",
    location: "KV010101",
    protection_concerns: ["neglect"],
    risk_level: "medium",
    consent_given: "yes",
    consent_date: "2026-01-10",
    consent_by: "caregiver",
    data_sharing_wishes: ["share_with_service_providers"],
    ...extra,
  };
}

const field = (key) => page.locator(`[data-field="${key}"]`);
const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });

async function signIn(username, password = DEMO_PASSWORD) {
  await page.goto(`${stack.baseUrl}/app/`);
  await page.waitForSelector("#username");
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.click('button[type="submit"]');
}

async function signOut() {
  await page.goto(`${stack.baseUrl}/app/#/`);
  const button = page.locator("button.signout");
  if (await button.count()) await button.click();
  else await page.reload(); // a sign-in left half way: start again
  await page.waitForSelector("#username");
}

// -- set-up ----------------------------------------------------------------------------------------

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startStack({ demoSize: 30 });
  // Another agency registered "Mohammed" — the caseworker will type "Muhammad".
  const hfc = await tokenFor("caseworker_hfc");
  const created = await call("POST", "records/case/", {
    token: hfc,
    body: { data: caseData({ name_first: "Mohammed", name_last: FAMILY, date_of_birth: "2015-04-03", caregiver_name: HFC_CAREGIVER, caregiver_relationship: "mother", kv_birth_certificate_number: HFC_CERTIFICATE }) },
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  hfcRecord = created.json;
  // The caseworker's own earlier registration: "Mohamed", day and month of birth swapped; high risk,
  // one follow-up and one referral still pending (for the case summary).
  const mine = await call("POST", "records/case/", {
    token: await tokenFor("caseworker"),
    body: {
      data: caseData({
        name_first: "Mohamed",
        name_last: FAMILY,
        date_of_birth: "2015-03-04",
        risk_level: "high",
        followups: [{ followup_date: "2026-02-01", followup_type: "home_visit", followup_action: "School enrolment" }],
        referrals: [{ referral_services: ["health"], referral_agency: "Lumara Clinic", referral_date: "2026-01-20", referral_consent_checked: "yes", referral_status: "pending" }],
      }),
    },
  });
  assert.equal(mine.status, 201, JSON.stringify(mine.json));
  ownRecord = mine.json;

  profile = mkdtempSync(join(tmpdir(), "kinga-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs(profile).filter((a) => !a.startsWith("--user-data-dir")),
    viewport: DESKTOP,
    locale: "en-GB",
    timezoneId: "UTC",
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  page.on("response", async (res) => {
    if (!res.url().includes("/api/")) return;
    try {
      responses.push(await res.text());
    } catch {
      /* a redirect or an aborted request has no body */
    }
  });
});

let step = 0;
afterEach(async (t) => {
  step += 1;
  if (process.env.KINGA_E2E_DEBUG) console.log(`# after step ${step}: ${page?.url()}`);
  await page?.screenshot({ path: join(tmpdir(), `kinga-e2e-dup-step-${step}.png`) }).catch(() => undefined);
});

after(async () => {
  await context?.close();
  await stack?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

// -- tests -----------------------------------------------------------------------------------------

test("My work: overdue, high-risk and approval counts match the API; one tap to the case", async () => {
  await signIn("caseworker");
  await page.waitForSelector('[data-tile="overdue"] .tile-count:not([data-count=""])');
  await page.waitForSelector('[data-tile="high-risk"] .tile-count:not([data-count=""])');
  await page.waitForSelector('[data-tile="approvals"] .tile-count:not([data-count=""])');
  const token = await tokenFor("caseworker");
  const tile = async (id) => Number(await page.locator(`[data-tile="${id}"] .tile-count`).getAttribute("data-count"));

  const mine = await call("GET", "workflow/my-overdue/", { token });
  assert.equal(await tile("overdue"), mine.json.count);
  assert.ok(mine.json.count > 0, "the demo has overdue work for the caseworker");

  // High risk, open: counted here independently, record by record.
  const high = await call("GET", "records/case/?risk_level=high&page_size=100", { token });
  const openHigh = high.json.results.filter((r) => r.status !== "closed").length;
  assert.equal(await tile("high-risk"), openHigh);
  assert.ok(openHigh >= 1);
  const highIds = await page.locator("#high-risk .record-card a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(highIds.some((h) => h.endsWith(ownRecord.id)), "the caseworker's own high-risk case is listed");

  let waiting = 0;
  for (const status of ["case_plan", "closure_requested"]) waiting += (await call("GET", `records/case/?status=${status}&page_size=1`, { token })).json.count;
  assert.equal(await tile("approvals"), waiting, `approvals tile vs API (${await page.locator('[data-tile="approvals"]').textContent()})`);

  // Overdue across everything visible (the deadline report) is broken down per deadline.
  const report = await call("GET", "workflow/deadlines/?record_type=case&state=overdue", { token });
  const total = report.json.deadlines.reduce((n, d) => n + d.counts.overdue, 0);
  await page.waitForSelector(".overdue-breakdown");
  assert.equal(Number(await page.locator(".overdue-breakdown").getAttribute("data-total")), total);

  // Each overdue record is listed once, with its overdue deadlines, and opens in one tap.
  const records = new Set(mine.json.items.map((i) => i.record_id));
  assert.equal(await page.locator(".overdue-card").count(), Math.min(records.size, 10));
  await shot("desktop-dashboard");
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(150);
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
  await shot("phone-dashboard");
  await page.setViewportSize(DESKTOP);
  const first = mine.json.items[0];
  await page.click(`.overdue-card[data-record="${first.record_id}"] a`);
  await page.waitForURL(new RegExp(`#/records/case/${first.record_id}$`));
  await page.waitForSelector(`.deadline[data-deadline="${first.deadline}"][data-state="overdue"]`);
});

test("the case view opens with an automatic summary from the record and its workflow", async () => {
  await page.goto(`${stack.baseUrl}/app/#/records/case/${ownRecord.id}`);
  await page.waitForSelector('[data-summary="auto"]');
  const fact = (key) => page.locator(`[data-fact="${key}"] dd`).textContent();
  await page.waitForSelector('[data-fact="status"]');
  assert.equal(await fact("status"), "Registered");
  assert.equal(await fact("sex"), "Male");
  assert.equal(await fact("risk_level"), "High");
  assert.equal(await fact("age"), String(ownRecord.data.age));
  assert.match(await fact("protection_concerns"), /Neglect/);
  assert.match(await fact("last_follow_up"), /2026|1\/2|2\/1/);
  assert.match(await page.locator('[data-fact="open_referrals"]').textContent(), /Open referrals \(1\)[\s\S]*Lumara Clinic/);
  // Deadlines from GET /records/case/<id>/workflow/: registered in January, high risk -> the 72-hour
  // initial assessment is overdue.
  const wf = await call("GET", `records/case/${ownRecord.id}/workflow/`, { token: await tokenFor("caseworker") });
  const open = wf.json.deadlines.filter((d) => d.state === "overdue" || d.state === "pending");
  await page.waitForSelector('[data-fact="deadlines"]');
  assert.equal(await page.locator(".deadline").count(), open.length);
  await page.waitForSelector('.deadline[data-deadline="initial_assessment_high_risk"][data-state="overdue"]');
  await shot("desktop-case-summary");
});

test("registering a transliteration variant warns before saving; the other agency's child stays private", async () => {
  await page.goto(`${stack.baseUrl}/app/#/`);
  await page.click("text=Register a case");
  await page.waitForSelector('[data-section="registration"]');
  await page.click('.section-tab:has-text("The child")');
  await page.waitForSelector('[data-section="identity"]');
  await field("name_first").locator("input").fill("Muhammad");
  await field("name_last").locator("input").fill(FAMILY);
  await field("sex").locator('input[value="male"]').check();
  await field("date_of_birth").locator("input").fill("2015-04-03");

  // Debounced check while typing: both earlier registrations come back, best first.
  await page.waitForSelector(".duplicate-panel");
  await page.waitForSelector(`.dup-item[data-record="${ownRecord.id}"] .record-title`);
  const items = page.locator(".dup-item");
  assert.equal(await items.count(), 2);
  const scores = await page.locator(".dup-score").allTextContents();
  const numbers = scores.map((s) => parseInt(s, 10));
  assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a), "ranked by score");

  // The visible one: who it is, the score and the reasons in plain words.
  const own = page.locator(`.dup-item[data-record="${ownRecord.id}"]`);
  assert.match(await own.locator(".record-title").textContent(), new RegExp(`Mohamed ${FAMILY}`));
  assert.match(await own.locator('.dup-reason[data-field="name_first"]').textContent(), /First name: a spelling variant of the same name \(you entered Muhammad\)/);
  assert.match(await own.locator('.dup-reason[data-field="date_of_birth"]').textContent(), /Date of birth: day and month swapped/);
  assert.match(await own.locator('.dup-reason[data-field="sex"]').textContent(), /Sex: the same/);
  assert.equal(await own.locator('[data-action="open-existing"]').getAttribute("href"), `#/records/case/${ownRecord.id}`);

  // The other agency's: only its agency and score. Nothing of the record reached the page or the browser.
  const restricted = page.locator('.dup-item[data-restricted="true"]');
  assert.equal(await restricted.count(), 1);
  assert.match(await restricted.textContent(), /A likely duplicate exists at Hope for Children Kivania/);
  assert.equal(await restricted.locator(".dup-reason").count(), 0);
  const text = await page.locator("body").innerText();
  const html = await page.content();
  assert.ok(!(await page.locator(".duplicate-panel").innerText()).includes("Mohammed"), "the other record's spelling");
  for (const secret of [HFC_CAREGIVER, HFC_CERTIFICATE, hfcRecord.short_id, hfcRecord.id]) {
    assert.ok(!text.includes(secret), `page text shows ${secret}`);
    assert.ok(!html.includes(secret), `page HTML holds ${secret}`);
    assert.ok(!responses.some((body) => body.includes(secret)), `an API response carried ${secret}`);
  }

  await page.locator(".duplicate-panel").evaluate((el) => el.scrollIntoView({ block: "start" }));
  await shot("desktop-duplicate-warning");
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(150);
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
  await page.locator(".duplicate-panel").evaluate((el) => el.scrollIntoView({ block: "start" }));
  await shot("phone-duplicate-warning");
  await page.setViewportSize(DESKTOP);

  // Ask the other agency for access (audited on the server).
  await restricted.locator('[data-action="request-access"]').click();
  await restricted.locator("textarea").fill("Same child may be registered twice; checking before opening a case.");
  await restricted.locator('[data-action="send-access-request"]').click();
  await restricted.locator("text=Access requested from Hope for Children Kivania").waitFor();

  // "Not a duplicate — continue"; the warning goes away and the registration carries on.
  await page.click('[data-action="not-duplicate"]');
  await page.waitForSelector(".duplicate-panel", { state: "detached" });
  await page.click('.section-tab:has-text("Where the child lives")');
  await page.waitForSelector('[data-section="location_contact"]');
  await chooseLocation(page);
  await page.click('.section-tab:has-text("Protection concerns")');
  await page.waitForSelector('[data-section="concerns"]');
  await field("protection_concerns").locator('input[type="checkbox"]').first().check();
  await field("risk_level").locator('input[value="low"]').check();
  await page.click('button:has-text("Save")');
  // The standard pack also requires consent: the server's issues link there (no second warning).
  await page.waitForSelector('.banner-error a:has-text("Consent")');
  assert.equal(await page.locator(".duplicate-panel").count(), 0);
  await page.click('.banner-error a:has-text("Consent")');
  await page.waitForSelector('[data-section="consent"]');
  await field("consent_given").locator('input[value="yes"]').check();
  await answerRequiredChoices(page);
  await page.click('button:has-text("Save")');
  await page.waitForURL(/#\/records\/case\/[0-9a-f-]{36}\/cp_consent/, { timeout: 20_000 });
  await page.waitForSelector('[data-status="saved"]');
  const newId = page.url().match(/records\/case\/([0-9a-f-]{36})/)[1];
  assert.notEqual(newId, ownRecord.id);

  // The answer was recorded: the server no longer proposes the caseworker's own record as a duplicate
  // of the new one; the other agency's still shows as restricted.
  const token = await tokenFor("caseworker");
  let candidates = [];
  for (let i = 0; i < 20; i++) {
    const check = await call("POST", "duplicates/check", { token, body: { record_type: "case", record_id: newId, data: { name_first: "Muhammad", name_last: FAMILY, sex: "male", date_of_birth: "2015-04-03" } } });
    candidates = check.json.candidates;
    if (!candidates.some((c) => c.record_id === ownRecord.id)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(!candidates.some((c) => c.record_id === ownRecord.id), "not_duplicate decision recorded");
  assert.ok(candidates.some((c) => c.restricted && c.agency === "Hope for Children Kivania"));
});

test("two-step sign-in: enrolment with the secret, recovery codes once, then a recovery code and an app code", async () => {
  await signOut();
  await signIn("supervisor");
  await page.waitForSelector('form[data-step="enrol"] .secret');
  const secret = await page.locator(".secret").getAttribute("data-secret");
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  assert.match(await page.locator(".otpauth-uri").getAttribute("href"), /^otpauth:\/\/totp\/.*secret=/);
  await shot("desktop-2fa-enrolment");
  await page.fill("#otp", "000000");
  await page.click('button[type="submit"]');
  await page.waitForSelector('[role="alert"]:has-text("The code is not valid")');
  await page.waitForTimeout(1500); // django-otp throttles the next try for a second after a wrong code
  await page.fill("#otp", totp(secret));
  await page.click('button[type="submit"]');
  await page.waitForSelector('form[data-step="codes"]');
  const codes = await page.locator(".recovery-codes code").allTextContents();
  assert.equal(codes.length, 10);
  await page.click('button[type="submit"]'); // "I have saved them — continue"
  await page.waitForSelector('form[data-step="otp"]');
  assert.equal(await page.locator(".recovery-codes").count(), 0, "recovery codes are shown once");
  await page.click('[data-action="toggle-recovery"]');
  await page.fill("#otp", codes[0]);
  await page.click('button[type="submit"]');
  await page.waitForSelector("text=My work");
  await page.waitForSelector(".tiles");

  // Next time: the code from the app (the next 30-second code: the one used to confirm is spent).
  await signOut();
  await signIn("supervisor");
  await page.waitForSelector('form[data-step="otp"]');
  await page.setViewportSize(PHONE);
  await shot("phone-2fa-code");
  await page.setViewportSize(DESKTOP);
  await page.fill("#otp", totp(secret, Date.now() + 30_000));
  await page.click('button[type="submit"]');
  await page.waitForSelector(".tiles");
  // A supervisor approves: the approvals tile says so.
  assert.match(await page.locator('[data-tile="approvals"]').textContent(), /To approve/);
});

test("a manager sees names masked and the forms read-only, and nothing masked is sent back", async () => {
  // Enrol the manager through the API, as an authenticator app would.
  const first = await call("POST", "auth/token/", { body: { username: "cm_manager", password: DEMO_PASSWORD } });
  assert.equal(first.json.error.code, "2fa_enrolment_required");
  const enrolment = first.json.error.details.enrolment_token;
  const setup = await call("POST", "auth/2fa/setup/", { token: enrolment, auth: "Enrolment" });
  const confirm = await call("POST", "auth/2fa/confirm/", { token: enrolment, auth: "Enrolment", body: { code: totp(setup.json.secret) } });
  assert.equal(confirm.status, 200, JSON.stringify(confirm.json));

  await signOut();
  await signIn("cm_manager");
  await page.waitForSelector('form[data-step="otp"]');
  await page.fill("#otp", totp(setup.json.secret, Date.now() + 30_000));
  await page.click('button[type="submit"]');
  await page.waitForSelector("text=My work");
  assert.equal(await page.locator("text=Register a case").count(), 0, "a manager may not register");

  const requests = [];
  page.on("request", (r) => ["PATCH", "POST"].includes(r.method()) && r.url().includes("/records/") && requests.push(r.postData()));
  await page.goto(`${stack.baseUrl}/app/#/records/case/${ownRecord.id}`);
  await page.waitForSelector('[data-summary="auto"]');
  assert.match(await page.locator("h1").textContent(), /M\*\*\*/);
  assert.ok(!(await page.locator("body").innerText()).includes(`Mohamed ${FAMILY}`));
  await page.goto(`${stack.baseUrl}/app/#/records/case/${ownRecord.id}/cp_registration?section=identity`);
  await page.waitForSelector('[data-section="identity"]');
  assert.equal(await field("name_first").locator("input").count(), 0);
  assert.equal(await field("name_first").locator("output.masked-value").textContent(), "M***");
  await page.waitForSelector('[data-read-only="true"]');
  assert.equal(await page.locator('button:has-text("Save")').count(), 0);
  await shot("desktop-masked-read-only");
  await page.click('.section-tab:has-text("Where the child lives")');
  await page.waitForTimeout(500);
  assert.deepEqual(requests, [], "nothing was sent");
});
