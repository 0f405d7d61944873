// End-to-end: the form builder (frontend/builder.html) against a real server (fresh SQLite database,
// standard + example packs, demo users). An information-management administrator signs in with a
// second factor, adds a NEW form with a select, a conditional field and a calculation, previews it,
// publishes it; a caseworker (another browser context) then sees and fills that form in the caseworker
// app; a change to a locked standard field is refused with the server's words; rollback removes the
// form again. Desktop screenshots go to docs/screenshots/builder-*.png.
//
//   cd frontend && npm run build && node --test ../tests/e2e/builder.e2e.test.mjs
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { CHROMIUM, chromium, DEMO_PASSWORD, REPO, chromiumArgs, startStack } from "./harness.mjs";

const SHOTS = join(REPO, "docs", "screenshots");
const DESKTOP = { width: 1366, height: 900 };
const FORM_LABEL = "School support";
const FORM_ID = "kv_school_support";

// -- TOTP (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits) for the administrator's second factor ---------------
function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/=+$/, "").toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totp(secret, step = 0, now = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30) + step));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

let stack;
let browser;
let admin; // page of the administrator
let worker; // page of the caseworker (another context: another device)
let secret = "";
let otpStep = 1; // a TOTP code is accepted once: each sign-in uses the next step (the server allows one step of drift)
let caseUrl = "";

async function api(path, body, headers = {}) {
  const res = await fetch(`${stack.baseUrl}/api/v1/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
    body: JSON.stringify(body ?? {}),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** im_admin's role requires two-factor authentication: enrol through the API, as a phone app would. */
async function enrolAdmin() {
  const first = await api("auth/token/", { username: "im_admin", password: DEMO_PASSWORD });
  if (first.status === 200) return ""; // 2FA not required (older access rules): nothing to enrol
  assert.equal(first.json?.error?.code, "2fa_enrolment_required", JSON.stringify(first.json));
  const auth = { Authorization: `Enrolment ${first.json.error.details.enrolment_token}` };
  const setup = await api("auth/2fa/setup/", {}, auth);
  assert.equal(setup.status, 200, JSON.stringify(setup.json));
  const confirmed = await api("auth/2fa/confirm/", { code: totp(setup.json.secret) }, auth);
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.json));
  return setup.json.secret;
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startStack({ demoSize: 12 });
  secret = await enrolAdmin();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs("x").filter((a) => !a.startsWith("--user-data-dir")) });
  const options = { viewport: DESKTOP, locale: "en-GB", timezoneId: "UTC" };
  admin = await (await browser.newContext(options)).newPage();
  worker = await (await browser.newContext(options)).newPage();
  for (const p of [admin, worker]) p.setDefaultTimeout(15_000);
});

let step = 0;
afterEach(async () => {
  step += 1;
  await admin?.screenshot({ path: join(tmpdir(), `kinga-builder-e2e-${step}-admin.png`) }).catch(() => undefined);
  await worker?.screenshot({ path: join(tmpdir(), `kinga-builder-e2e-${step}-worker.png`) }).catch(() => undefined);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const shot = (page, name) => page.screenshot({ path: join(SHOTS, `builder-${name}.png`) });
const builderUrl = (hash = "") => `${stack.baseUrl}/app/builder.html${hash}`;
const field = (page, key) => page.locator(`[data-field="${key}"]`);
const row = (key) => admin.locator(`.b-field-row[data-key="${key}"]`);

async function signInAdmin() {
  await admin.goto(builderUrl());
  await admin.fill("#username", "im_admin");
  await admin.fill("#password", DEMO_PASSWORD);
  await admin.click('button[type="submit"]');
  if (secret) {
    await admin.waitForSelector("#otp");
    await admin.fill("#otp", totp(secret, otpStep++));
    await admin.click('button[type="submit"]');
  }
  await admin.waitForSelector(".b-new-draft");
}

async function newDraft(name) {
  await admin.goto(builderUrl("#/"));
  await admin.fill("#draft-name", name);
  await admin.click('.b-new-draft button[type="submit"]');
  await admin.waitForSelector('.b-tab[data-tab="forms"].current');
  return Number(/#\/drafts\/(\d+)\//.exec(admin.url())[1]);
}

/** Add a field to the open form's first section; the field editor opens on it. */
async function addField(type, label, key) {
  await admin.click(".b-section >> nth=0 >> .b-add-field");
  await admin.selectOption(".b-af-type", type);
  await admin.fill(".b-af-label", label);
  if (key) await admin.fill(".b-af-key", key);
  const sent = await admin.locator(".b-af-key").inputValue();
  await admin.click(".b-af-submit");
  await admin.waitForSelector(`[data-editing="${sent}"]`);
  return sent;
}

async function saveField() {
  await admin.click(".b-save-field");
  await admin.waitForSelector('.b-editor [data-save-state="saved"]');
}

test("a caseworker who opens the builder is told clearly that it is for administrators", async () => {
  await worker.goto(builderUrl());
  await worker.fill("#username", "caseworker");
  await worker.fill("#password", DEMO_PASSWORD);
  await worker.click('button[type="submit"]');
  const banner = worker.locator(".b-forbidden");
  await banner.waitFor();
  assert.match(await banner.innerText(), /Only an information-management administrator/);
  assert.match(await banner.innerText(), /manage_configuration/); // the server's own sentence, verbatim
  await shot(worker, "forbidden");
});

test("the administrator signs in with a second factor and starts a draft", async () => {
  await signInAdmin();
  const id = await newDraft("School questions for Kivania");
  assert.ok(id > 0);
  await admin.waitForSelector('.b-nav-list a[data-form="cp_registration"]');
  await admin.click('.b-nav-list a[data-form="cp_registration"]');
  await admin.waitForSelector('.b-outline[data-form="cp_registration"]');
  // Locked standard fields are marked as such in the outline.
  assert.ok(await row("sex").locator(".b-lock").count());
  await shot(admin, "drafts-outline");
});

test("a new form with a select, a conditional field and a calculation", async () => {
  await admin.click(".b-new-form");
  await admin.fill("#nf-label", FORM_LABEL);
  assert.equal(await admin.inputValue("#nf-id"), FORM_ID); // suggested, in the draft's namespace
  await admin.click('.b-new-form-form button[type="submit"]');
  await admin.waitForSelector(`.b-outline[data-form="${FORM_ID}"] .b-section`);

  // A select with inline options (codes + labels).
  await addField("select_one", "Does the child attend school?", "kv_attends");
  for (const [code, text] of [["yes", "Yes"], ["no", "No"], ["sometimes", "Sometimes"]]) {
    await admin.fill(".b-new-code", code);
    await admin.fill(".b-new-label", text);
    await admin.click(".b-add-option-button");
    await admin.waitForSelector(`tr[data-option="${code}"]`);
  }
  // Reorder and translate an option.
  await admin.click('tr[data-option="sometimes"] button[aria-label^="Move up"]');
  await admin.waitForFunction(() => [...document.querySelectorAll("tr[data-option]")].map((r) => r.dataset.option).join() === "yes,sometimes,no");
  await admin.fill('tr[data-option="yes"] input[data-lang="fr"]', "Oui");
  await admin.press('tr[data-option="yes"] input[data-lang="fr"]', "Tab");
  await admin.waitForFunction(() => document.querySelector('tr[data-option="yes"] input[data-lang="fr"]')?.classList.contains("b-missing") === false);

  // A conditional field, its condition made with the point-and-click builder.
  const nameKey = await addField("text", "Name of the school");
  assert.equal(nameKey, "kv_name_of_the_school");
  const relevant = admin.locator('[data-expr="fe-relevant"]');
  await relevant.locator(".b-cond-toggle button").click();
  await admin.selectOption("#cond-field-0", "kv_attends");
  await admin.selectOption("#cond-op-0", "=");
  await admin.selectOption("#cond-value-0", "yes");
  await admin.click(".b-cond-apply");
  await admin.waitForFunction(() => document.querySelector("#fe-relevant")?.value === "${kv_attends} = 'yes'");
  await relevant.locator(".b-expr-ok").waitFor();
  await saveField();
  assert.ok(await row(nameKey).locator("text=conditional").count());

  await addField("integer", "Grade", "kv_grade");

  // A calculation typed with autocomplete; the live check marks the error column with a caret.
  await addField("calculated", "Grade next year", "kv_grade_next");
  const calc = admin.locator("#fe-calculation");
  await calc.click();
  await calc.pressSequentially("${kv_gr");
  await admin.waitForSelector('.b-suggest [data-value="kv_grade"]');
  await calc.press("Enter");
  assert.equal(await calc.inputValue(), "${kv_grade}");
  await calc.pressSequentially(" + ");
  const error = admin.locator('[data-expr="fe-calculation"] .b-expr-error');
  await error.waitFor();
  assert.match(await error.innerText(), /Column 15: Expected a value/);
  assert.match(await error.locator(".b-caret-mark").innerText(), /^ {14}\^$/);
  await shot(admin, "expression-error");
  await calc.pressSequentially("1");
  await admin.locator('[data-expr="fe-calculation"] .b-expr-ok').waitFor();
  await admin.selectOption("#fe-param-result", "integer");
  await saveField();
  assert.ok(await row("kv_grade_next").locator(".b-type:text-is('calculated')").count());
  await row(nameKey).locator(".b-field-open").click();
  await admin.waitForSelector(`[data-editing="${nameKey}"] [data-expr="fe-relevant"] .b-expr-ok`);
  await shot(admin, "form-editor");
});

test("the preview renders the draft form as a caseworker sees it, with skip-logic and calculations", async () => {
  await admin.click('.b-tab[data-tab="preview"]');
  await admin.waitForSelector("#pv-form");
  await admin.selectOption("#pv-form", FORM_ID);
  await admin.waitForSelector(`[data-preview="${FORM_ID}"]`);
  assert.equal(await admin.inputValue("#pv-role"), "caseworker");
  assert.equal(await field(admin, "kv_name_of_the_school").count(), 0);
  await field(admin, "kv_attends").locator('input[value="no"]').check();
  assert.equal(await field(admin, "kv_name_of_the_school").count(), 0);
  await field(admin, "kv_attends").locator('input[value="yes"]').check();
  await field(admin, "kv_name_of_the_school").waitFor();
  await field(admin, "kv_name_of_the_school").locator("input").fill("Lumara Primary");
  await field(admin, "kv_grade").locator("input").fill("3");
  await admin.waitForFunction(() => document.querySelector('[data-field="kv_grade_next"] output')?.textContent === "4");
  await shot(admin, "preview");
});

test("validate, see what changes, publish", async () => {
  await admin.click('.b-tab[data-tab="publish"]');
  await admin.waitForSelector('.b-validation[data-ok="true"]');
  await admin.waitForSelector(`.b-diff [data-change="form:${FORM_ID}"]`);
  assert.ok(await admin.locator('.b-diff [data-change="field:case.kv_attends"]').count());
  await admin.fill("#pub-note", "School questions asked by the Kivania ministry");
  await admin.click(".b-publish-button");
  const done = admin.locator(".b-published");
  await done.waitFor();
  assert.match(await done.innerText(), /Published as configuration v2/);
  await shot(admin, "publish");
});

test("a caseworker on another device sees and fills the new form", async () => {
  await worker.goto(`${stack.baseUrl}/app/`);
  if (await worker.locator("#username").count()) {
    await worker.fill("#username", "caseworker");
    await worker.fill("#password", DEMO_PASSWORD);
    await worker.click('button[type="submit"]');
  }
  await worker.goto(`${stack.baseUrl}/app/#/records/case`);
  await worker.locator(".record-card a").first().click();
  await worker.waitForSelector(".form-list");
  caseUrl = worker.url();
  await worker.click(`.form-link:has-text("${FORM_LABEL}")`);
  await worker.waitForSelector(`[data-field="kv_attends"]`);
  assert.equal(await field(worker, "kv_name_of_the_school").count(), 0);
  await field(worker, "kv_attends").locator('input[value="yes"]').check();
  await field(worker, "kv_name_of_the_school").locator("input").fill("Selvane Secondary");
  await field(worker, "kv_grade").locator("input").fill("7");
  await worker.waitForFunction(() => document.querySelector('[data-field="kv_grade_next"] output')?.textContent === "8");
  await shot(worker, "caseworker-sees-form");
  // Not saved: once records hold values in the new fields, the server refuses a rollback that would
  // orphan them (docs/packs.md); the last test rolls back.
});

test("a change to a locked standard field is refused with the server's reason", async () => {
  await newDraft("Try a change to a standard field");
  await admin.click('.b-nav-list a[data-form="cp_registration"]');
  await row("sex").locator(".b-field-open").click();
  await admin.waitForSelector('[data-editing="sex"] .b-locked-note');
  assert.ok(await admin.locator("#fe-type").isDisabled());
  assert.ok(await admin.locator(".b-remove-field").isDisabled());
  await admin.check('input[name="fe-required"][value="no"]');
  await admin.click(".b-save-field");
  const refusal = admin.locator('.b-editor .b-refusal[data-code="locked_changed"]');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /Field 'sex' is locked in kinga\.standard and cannot have its required changed/);
  await shot(admin, "locked-refusal");
  // What a locked field does allow: a new translation.
  await admin.check('input[name="fe-required"][value="yes"]');
  await admin.fill("#fe-hint-fr", "Tel que déclaré");
  await saveField();
});

test("option lists: retire rather than delete; translations side by side; roles", async () => {
  const draft = /#\/drafts\/(\d+)\//.exec(admin.url())[1];
  await admin.goto(builderUrl(`#/drafts/${draft}/options?lookup=nationality`));
  await admin.waitForSelector('[data-lookup-editor="nationality"]');
  await admin.click('tr[data-option="kv_estarian"] .b-retire');
  await admin.waitForSelector('tr[data-option="kv_estarian"].b-retired');
  await shot(admin, "options");

  await admin.click('.b-tab[data-tab="translations"]');
  await admin.waitForSelector(".b-tr-table");
  await admin.selectOption("#tr-lang", "fr");
  await admin.fill("#tr-q", FORM_LABEL);
  const cell = admin.locator(`tr[data-ref="forms/${FORM_ID}.yaml#label"] input`);
  const before = await admin.locator('[data-missing-lang="fr"]').innerText();
  await cell.fill("Soutien scolaire");
  await cell.press("Tab");
  await admin.waitForFunction((b) => document.querySelector('[data-missing-lang="fr"]')?.textContent !== b, before);
  await admin.fill("#tr-q", "");
  await shot(admin, "translations");

  await admin.click('.b-tab[data-tab="roles"]');
  await admin.waitForSelector(".b-roles-table");
  await admin.selectOption(`select[data-role="cm_manager"][data-target="${FORM_ID}"]`, "hidden");
  await admin.waitForFunction((id) => document.querySelector(`select[data-role="cm_manager"][data-target="${id}"]`)?.value === "hidden", FORM_ID);
  await shot(admin, "roles");
});

test("history shows who published what; one click rolls back and the caseworker no longer sees the form", async () => {
  await admin.goto(builderUrl("#/history"));
  await admin.waitForSelector('.b-history [data-version="2"].b-active');
  assert.match(await admin.locator('.b-history [data-version="2"]').innerText(), /im_admin/);
  await admin.click(".b-undo");
  await admin.waitForSelector(".b-rolled-back");
  await admin.waitForSelector('.b-history [data-version="3"].b-active');
  assert.match(await admin.locator('.b-history [data-version="3"]').innerText(), /rollback to v1/);
  await shot(admin, "history");

  await worker.goto(caseUrl);
  await worker.reload();
  await worker.waitForSelector(".form-list");
  assert.equal(await worker.locator(`.form-link:has-text("${FORM_LABEL}")`).count(), 0);
});

test("the builder in Arabic is laid out right to left", async () => {
  await admin.goto(builderUrl("#/"));
  await admin.selectOption('.topbar select[aria-label="Language"]', "ar");
  await admin.waitForFunction(() => document.documentElement.dir === "rtl");
  await admin.locator(".b-draft-item a").first().click();
  await admin.click('.b-nav-list a[data-form="cp_registration"]');
  await row("sex").locator(".b-field-open").click();
  await admin.waitForSelector('[data-editing="sex"]');
  const wide = await admin.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(wide, false, "no sideways scrolling in RTL");
  await shot(admin, "arabic");
  await admin.selectOption(".topbar select", "en");
});
