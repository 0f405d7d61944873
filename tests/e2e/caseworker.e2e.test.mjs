// End-to-end: a caseworker registers, saves, reopens, edits and finds a case in the real app against a
// real server (fresh SQLite database, standard + example packs, demo users). Screenshots of the
// desktop (1280 px) and phone (360 px) layouts go to docs/screenshots/.
//
//   cd frontend && npm run build && node --test ../tests/e2e/
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { CHROMIUM, chromium, DEMO_PASSWORD, REPO, chromiumArgs, startStack } from "./harness.mjs";
import { answerRequiredChoices, chooseLocation } from "./form_helpers.mjs";

const SHOTS = join(REPO, "docs", "screenshots");
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 760 };
const FAMILY = `Testcase${Date.now().toString(36)}`;

let stack;
let context;
let page;
let profile;
let caseUrl;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startStack({ demoSize: 30 });
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
});

// The last screen of every test, for diagnosing failures (not committed).
let step = 0;
afterEach(async () => {
  step += 1;
  await page?.screenshot({ path: join(tmpdir(), `kinga-e2e-step-${step}.png`) }).catch(() => undefined);
});

after(async () => {
  await context?.close();
  await stack?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const field = (key) => page.locator(`[data-field="${key}"]`);
const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });

function ageOn(dob, today = new Date()) {
  const [y, m, d] = dob.split("-").map(Number);
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) age -= 1;
  return age;
}

test("sign in as the caseworker and see My work", async () => {
  await page.goto(`${stack.baseUrl}/app/`);
  await page.fill("#username", "caseworker");
  await page.fill("#password", DEMO_PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector("text=My work");
  await page.waitForSelector(".record-card");
  await shot("desktop-my-work");
});

test("register a case through cp_registration: skip-logic, calculation, constraint, warning, auto-save", async () => {
  await page.click("text=Register a case");
  await page.waitForSelector('[data-section="registration"]');
  assert.match(page.url(), /#\/records\/case\/new:[^/]+\/cp_registration/);
  // default: today()
  assert.equal(await field("registration_date").locator("input").inputValue(), new Date().toISOString().slice(0, 10));

  await page.click('.section-tab:has-text("The child")');
  await page.waitForSelector('[data-section="identity"]');
  await field("name_first").locator("input").fill("Amina");
  await field("name_last").locator("input").fill(FAMILY);
  await field("sex").locator('input[value="female"]').check();

  // Skip-logic: the date of birth by default; the estimated age when it is unknown.
  assert.equal(await field("date_of_birth").count(), 1);
  assert.equal(await field("estimated_age").count(), 0);
  await field("age_estimated").locator('input[value="yes"]').check();
  await field("estimated_age").waitFor();
  assert.equal(await field("date_of_birth").count(), 0);

  // Constraint message inline, live calculation and a data-quality warning.
  await field("estimated_age").locator("input").fill("30");
  await field("estimated_age").locator(".field-error").waitFor();
  assert.match(await field("estimated_age").locator(".field-error").textContent(), /between 0 and 25/);
  assert.equal(await field("age").locator("output").textContent(), "30");
  assert.match(await field("age").locator(".field-warning").textContent(), /18 or over/);
  await field("estimated_age").evaluate((el) => el.scrollIntoView({ block: "center" }));
  await shot("desktop-form-constraint-warning");

  // Back to a real date of birth: age is calculated from it as the user types.
  await field("age_estimated").locator('input[value="no"]').check();
  await field("date_of_birth").locator("input").fill("2016-05-01");
  assert.equal(await field("age").locator("output").textContent(), String(ageOn("2016-05-01")));
  assert.equal(await field("age").locator(".field-warning").count(), 0);

  // Auto-save: the draft survives a reload.
  await page.waitForTimeout(900);
  await page.reload();
  await page.waitForSelector('[data-section="identity"]');
  assert.equal(await field("name_first").locator("input").inputValue(), "Amina");
  assert.equal(await field("name_last").locator("input").inputValue(), FAMILY);
  await page.waitForSelector("text=Unsaved changes");

  await page.click('.section-tab:has-text("Where the child lives")');
  await page.waitForSelector('[data-section="location_contact"]');
  await chooseLocation(page);
  await field("child_phone").locator("input").fill("not a phone");
  await field("child_phone").locator(".field-error").waitFor();
  await field("child_phone").locator("input").fill("+256 700 123456");
  assert.equal(await field("child_phone").locator(".field-error").count(), 0);

  await page.click('.section-tab:has-text("Protection concerns")');
  await page.waitForSelector('[data-section="concerns"]');
  await field("protection_concerns").locator('input[type="checkbox"]').first().check();
  await field("risk_level").locator('input[value="high"]').check();
  await shot("desktop-form-concerns");
});

test("save creates the case; reopen and edit it", async () => {
  await page.click('button:has-text("Save")');
  // The server judges the whole record: the standard pack also requires the consent form. Its issues
  // are listed with links to the fields.
  await page.waitForSelector('.banner-error a:has-text("Consent")');
  await shot("desktop-server-issues");
  await page.click('.banner-error a:has-text("Consent")');
  await page.waitForSelector('[data-section="consent"]');
  assert.equal(await field("name_first").count(), 0);
  await field("consent_given").locator('input[value="yes"]').check();
  await answerRequiredChoices(page);
  await page.click('button:has-text("Save")');
  await page.waitForURL(/#\/records\/case\/[0-9a-f-]{36}\/cp_consent/, { timeout: 20_000 });
  await page.waitForSelector('[data-status="saved"]');
  const id = page.url().match(/records\/case\/([0-9a-f-]{36})/)[1];
  caseUrl = `${stack.baseUrl}/app/#/records/case/${id}`;

  await page.goto(caseUrl);
  await page.waitForSelector(`h1:has-text("Amina ${FAMILY}")`);
  assert.match(await page.locator('[data-field="risk_level"] dd').textContent(), /High/);
  await shot("desktop-case-view");

  await page.click('.form-link:has-text("Registration")');
  await page.click('.section-tab:has-text("The child")');
  await field("name_other").locator("input").fill("Mina");
  await page.click('button:has-text("Save")');
  await page.waitForSelector('[data-status="saved"]');
  await page.goto(caseUrl);
  await page.reload();
  await page.waitForSelector(`h1:has-text("Amina ${FAMILY}")`);
  assert.match(await page.locator('[data-field="name_other"] dd').textContent(), /Mina/);
});

test("find it in the list by a filter and by search", async () => {
  await page.goto(`${stack.baseUrl}/app/#/records/case`);
  await page.waitForSelector(".record-card");
  await page.selectOption('select[name="risk_level"]', "high");
  await page.waitForURL(/risk_level=high/);
  await page.waitForSelector(".result-count");
  await page.fill('input[type="search"]', FAMILY);
  await page.click('form[role="search"] button[type="submit"]');
  await page.waitForURL(new RegExp(`q=${FAMILY}`));
  await page.waitForSelector(`.record-card:has-text("${FAMILY}")`);
  assert.equal(await page.locator(".record-card").count(), 1);
  await page.selectOption('select[name="sex"]', "male");
  await page.waitForSelector(".result-count:has-text('0')");
  assert.equal(await page.locator(".record-card").count(), 0);
  await page.selectOption('select[name="sex"]', "female");
  await page.waitForSelector(`.record-card:has-text("${FAMILY}")`);
  await page.goto(`${stack.baseUrl}/app/#/records/case`);
  await page.waitForSelector(".record-card");
  await shot("desktop-case-list");
});

test("Arabic renders right-to-left", async () => {
  await page.goto(`${caseUrl}/cp_registration?section=identity`);
  await page.waitForSelector('[data-section="identity"]');
  await page.selectOption(".lang select", "ar");
  await page.waitForSelector('html[dir="rtl"][lang="ar"]');
  await page.waitForSelector('.section-title:has-text("الطفل")');
  const box = await field("name_first").locator("input").boundingBox();
  const label = await field("name_first").locator("label").boundingBox();
  // In RTL the label starts at the right edge of the field.
  assert.ok(label.x + label.width > box.x + box.width - 40, "label should be right-aligned");
  await shot("desktop-form-arabic");
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(200);
  await shot("phone-form-arabic");
  await page.selectOption(".lang select", "en");
  await page.waitForSelector('html[dir="ltr"]');
  await page.setViewportSize(DESKTOP);
});

test("usable at 360 px: no sideways scrolling on list and form", async () => {
  await page.setViewportSize(PHONE);
  for (const [name, url] of [
    ["phone-my-work", `${stack.baseUrl}/app/#/`],
    ["phone-case-list", `${stack.baseUrl}/app/#/records/case`],
    ["phone-form", `${caseUrl}/cp_registration?section=identity`],
    ["phone-case-view", caseUrl],
  ]) {
    await page.goto(url);
    await page.waitForSelector(".record-card, [data-section], .summary");
    await page.waitForTimeout(150);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `${name}: page is ${width}px wide`);
    await shot(name);
  }
  await page.setViewportSize(DESKTOP);
});

test("a conflicting save shows both versions to merge field by field", async () => {
  // Someone else changes the case through the API while this user edits the same field.
  const token = await (
    await fetch(`${stack.djangoUrl}/api/v1/auth/token/`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: "caseworker", password: DEMO_PASSWORD }),
    })
  ).json();
  await page.goto(`${caseUrl}/cp_registration?section=identity`);
  await page.waitForSelector('[data-section="identity"]');
  const id = caseUrl.split("/").pop();
  const current = await (await fetch(`${stack.djangoUrl}/api/v1/records/case/${id}/`, { headers: { Authorization: `Token ${token.token}` } })).json();
  const res = await fetch(`${stack.djangoUrl}/api/v1/records/case/${id}/`, {
    method: "PATCH",
    headers: { Authorization: `Token ${token.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ version: current.version, data: { name_other: "Minah" } }),
  });
  assert.equal(res.status, 200);
  await field("name_other").locator("input").fill("Aminata");
  await page.click('button:has-text("Save")');
  await page.waitForSelector(".conflict");
  assert.match(await page.locator('.conflict-row[data-field="name_other"]').textContent(), /Aminata[\s\S]*Minah/);
  await shot("desktop-conflict");
  await page.click('button:has-text("Apply and save")');
  await page.waitForSelector('[data-status="saved"]');
  const after = await (await fetch(`${stack.djangoUrl}/api/v1/records/case/${id}/`, { headers: { Authorization: `Token ${token.token}` } })).json();
  assert.equal(after.data.name_other, "Aminata");
});

test("installable, and the shell opens offline from the service worker", async () => {
  await page.goto(`${stack.baseUrl}/app/#/`);
  await page.waitForSelector("text=My work");
  assert.equal(await page.locator('link[rel="manifest"]').getAttribute("href"), "/app/manifest.webmanifest");
  const manifest = await (await fetch(`${stack.baseUrl}/app/manifest.webmanifest`)).json();
  assert.equal(manifest.start_url, "/app/");
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.match(scope, /\/app\/$/);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null || location.reload());
  await page.waitForSelector("text=My work");
  await context.setOffline(true);
  try {
    await page.reload();
    await page.waitForSelector("text=My work");
    await page.waitForSelector(".conn-off");
    await shot("desktop-offline");
  } finally {
    await context.setOffline(false);
  }
});
