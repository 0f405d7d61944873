// Front-end benchmark of the caseworker app (prints figures; never fails the build):
//   1. initial load: gzip size of the initial JS+CSS (frontend/scripts/bundle-size.mjs)       budget 250 KB
//   2. first render of a 300-field form (60 relevance conditions, 20 calculations, 3 subforms),
//      Chromium CPU throttled 4x, median of 5 runs                                             budget 300 ms
//   3. typing latency: 30 characters into a text field feeding a calculation and a relevance
//      condition, per keystroke (event timing, long tasks, own keydown->handled timing)         budget 50 ms
//
//   cd frontend && npm run build && npm run bench        (or: node bench/bench_frontend.mjs [--runs 5])
//
// The 300-field form is a real configuration: an overlay pack (namespace `bn`, extends kinga.standard)
// generated into a temp folder, adding the form `bn_big` to the record type `case`; it is deployed with
// `kinga deploy --standard --country <pack> --demo --demo-size 30` on a fresh SQLite database and
// served by `kinga serve` (Django serves frontend/dist at /app/); Chromium and its flags come from
// tests/e2e/harness.mjs. Same shape as bench/bench_records.py: 10 core fields + 29 blocks of 10
// (text, integer, select_one, date, yes_no). Every relevance condition is true on an empty record, so
// all 300 field frames are rendered.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { CHROMIUM, DEMO_PASSWORD, REPO, chromium, chromiumArgs, freePort } from "../tests/e2e/harness.mjs";

const argRuns = process.argv.indexOf("--runs");
const RUNS = argRuns > 0 ? Number(process.argv[argRuns + 1]) : 5;
const THROTTLE = 4;
// --profile: a CPU profile of the throttled typing, top functions by self time (build with
// `npx vite build --minify false` first for readable names).
const PROFILE = process.argv.includes("--profile");
const TYPED = "Amina Wanjiru Otieno Mwangi 12"; // 30 characters (checked below)
const FORM_ID = "bn_big";

// -- the pack ------------------------------------------------------------------------------------------

const opts = (codes) => codes.map((c) => ({ code: c, label: { en: c.toUpperCase() } }));

function bigForm() {
  const f = (key, type, extra = {}) => ({ key, type, label: { en: key.replace(/_/g, " ") }, ...extra });
  const stats = { fields: 0, relevance: 0, calculations: 0, subforms: 0, rowFields: 0 };
  const fields = [
    f("bn_name", "text", { hint: { en: "Typed into by the benchmark" } }),
    f("bn_name_len", "calculated", { params: { result: "integer" }, calculation: "string-length(${bn_name})" }),
    f("bn_age", "integer", { params: { min: 0, max: 120 } }),
    f("bn_sex", "select_one", { options: opts(["bn_f", "bn_m", "bn_x"]) }),
    f("bn_district", "select_one", { options: opts(Array.from({ length: 20 }, (_, i) => `bn_d${i}`)) }),
    f("bn_risk", "select_one", { options: opts(["bn_low", "bn_medium", "bn_high"]) }),
    f("bn_concerns", "select_multiple", { options: opts(["bn_neglect", "bn_violence", "bn_labour", "bn_other"]) }),
    f("bn_reg_date", "date", { default: "today()" }),
    // relevance fed by the typed field (true while typing: the name is never 'zzz')
    f("bn_in_school", "yes_no", { relevant: "not(${bn_age} >= 25) and ${bn_name} != 'zzz'" }),
    f("bn_consent", "tick_box", { relevant: "not(${bn_age} >= 30)" }),
  ];
  stats.relevance += 2;
  stats.calculations += 1;
  for (let s = 0; s < 29; s++) {
    for (let i = 0; i < 10; i++) {
      const key = `bn_s${s}_f${i}`;
      const kind = ["text", "integer", "select_one", "date", "yes_no"][i % 5];
      const extra = {};
      if (kind === "select_one") extra.options = opts(["bn_a", "bn_b", "bn_c"]);
      if (kind === "integer") extra.params = { min: 0, max: 1000 };
      // relevance true on an empty record, so every field is rendered
      if (i === 1) extra.relevant = "not(${bn_age} >= 18)";
      if (i === 3) extra.relevant = `\${bn_s${s}_f0} != 'skip'`;
      if (i === 5 && s % 3 === 0) extra.constraint = ". != 'no' or ${bn_age} > 1";
      if (i === 1 || i === 3) stats.relevance++;
      if (i === 9 && s < 3) {
        fields.push(
          f(`bn_rows${s}`, "subform", {
            fields: [
              f(`bn_rows${s}_name`, "text", { required: true }),
              f(`bn_rows${s}_age`, "integer"),
              f(`bn_rows${s}_school`, "text", { relevant: `\${bn_rows${s}_age} < 18` }),
              f(`bn_rows${s}_rel`, "select_one", { options: opts(["bn_parent", "bn_sibling", "bn_other"]) }),
              f(`bn_rows${s}_note`, "textarea"),
            ],
          }),
        );
        stats.subforms++;
        stats.rowFields += 5;
        continue;
      }
      if (i === 9 && stats.calculations < 20) {
        fields.push(
          f(key, "calculated", {
            params: { result: "integer" },
            // the first calculations also read the typed field, so each keystroke recomputes them
            calculation: s < 8 ? `\${bn_s${s}_f1} + \${bn_age} + string-length(\${bn_name})` : `\${bn_s${s}_f1} + \${bn_age}`,
          }),
        );
        stats.calculations++;
        continue;
      }
      fields.push(f(key, kind, extra));
    }
  }
  stats.fields = fields.length;
  if (stats.fields !== 300 || stats.relevance !== 60 || stats.calculations !== 20 || stats.subforms !== 3) {
    throw new Error(`form shape is off: ${JSON.stringify(stats)}`);
  }
  return {
    form: {
      id: FORM_ID,
      record_type: "case",
      label: { en: "Benchmark: 300 fields" },
      order: 990,
      sections: [{ id: "bn_all", label: { en: "All 300 fields" }, fields }],
    },
    stats,
  };
}

function writePack(dir) {
  const pack = join(dir, "bn_pack");
  mkdirSync(join(pack, "forms"), { recursive: true });
  // JSON is valid YAML: no YAML writer needed.
  writeFileSync(
    join(pack, "pack.yaml"),
    JSON.stringify({
      id: "bench.frontend",
      name: "Front-end benchmark overlay",
      version: "1.0.0",
      extends: "kinga.standard >=1.0,<2",
      namespace: "bn",
      modules: ["child_protection"],
      languages: ["en"],
      default_language: "en",
    }, null, 1),
  );
  const { form, stats } = bigForm();
  writeFileSync(join(pack, "forms", `${FORM_ID}.yaml`), JSON.stringify(form, null, 1));
  return { pack, stats };
}

// -- helpers ----------------------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const f1 = (n) => (n == null ? "–" : n.toFixed(1));
const verdict = (v, budget) => (v <= budget ? "OK" : "OVER");

function bundleSize() {
  const r = spawnSync(process.execPath, [join(REPO, "frontend", "scripts", "bundle-size.mjs")], { encoding: "utf-8" });
  const out = (r.stdout || "") + (r.stderr || "");
  const m = out.match(/initial JS\+CSS: ([\d.]+) KB gzip/);
  return { kb: m ? Number(m[1]) : null, out: out.trim() };
}

async function metrics(cdp) {
  return Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
}
/** Main-thread seconds spent while typing, per kind (Chromium's own counters), in ms per keystroke. */
function diffMetrics(a, b) {
  const per = (k) => ((b[k] - a[k]) * 1000) / TYPED.length;
  return { script: per("ScriptDuration"), style: per("RecalcStyleDuration"), layout: per("LayoutDuration"), task: per("TaskDuration") };
}

function printProfile(profile) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const cf = n.callFrame;
    const k = `${cf.functionName || "(anonymous)"} ${cf.url.split("/").pop()}:${cf.lineNumber + 1}`;
    self.set(k, (self.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\nCPU profile of the throttled typing (${total.toFixed(0)} ms sampled), top self time:`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`   ${v.toFixed(1).padStart(8)} ms  ${k}`);
}

// Installed before every document: when 300 top-level fields of the benchmark form are in the DOM,
// window.__bench300 = performance.now() (time origin = navigation start) and the observer disconnects.
const INIT = `
  window.__benchArm = () => {
    window.__bench300 = null;
    const done = () => document.querySelectorAll('.form-section[data-section="bn_all"] > [data-field]').length >= 300;
    const mo = new MutationObserver(() => {
      if (done()) { window.__bench300 = performance.now(); mo.disconnect(); }
    });
    mo.observe(document, { childList: true, subtree: true });
    return mo;
  };
  window.__benchArm();
`;

async function main() {
  const { pack, stats } = writePack(mkdtempSync(join(tmpdir(), "kinga-bench-pack-")));
  if (TYPED.length !== 30) throw new Error("typed text must be 30 characters");

  console.log("Kinga front-end benchmark");
  const size = bundleSize();
  console.log("\n1. Initial load (frontend/scripts/bundle-size.mjs)\n" + size.out.replace(/^/gm, "   "));

  const stack = await startStackWith(pack);
  const profile = mkdtempSync(join(tmpdir(), "kinga-bench-chromium-"));
  // A persistent context on a fresh profile directory (playwright passes it as --user-data-dir).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs(profile).filter((a) => !a.startsWith("--user-data-dir")),
    viewport: { width: 1280, height: 900 },
    locale: "en-GB",
    timezoneId: "UTC",
  });
  const chromiumVersion = context.browser()?.version() ?? spawnSync(CHROMIUM, ["--version"], { encoding: "utf-8" }).stdout.trim();
  const results = {};
  try {
    await context.addInitScript(INIT);
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);

    // A case the caseworker may edit (the demo data's own cases).
    const token = (await (await fetch(`${stack.djangoUrl}/api/v1/auth/token/`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: "caseworker", password: DEMO_PASSWORD }),
    })).json()).token;
    const list = await (await fetch(`${stack.djangoUrl}/api/v1/records/case/?page_size=5`, { headers: { Authorization: `Token ${token}` } })).json();
    const caseId = list.results?.[0]?.id;
    if (!caseId) throw new Error(`no case visible to the caseworker: ${JSON.stringify(list).slice(0, 300)}`);
    const formHash = `#/records/case/${caseId}/${FORM_ID}`;

    await page.goto(`${stack.baseUrl}/app/`);
    await page.fill("#username", "caseworker");
    await page.fill("#password", DEMO_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector("text=My work");
    // Warm-up (unthrottled): configuration cached, form visited once.
    await page.evaluate((h) => (location.hash = h), formHash);
    await page.waitForFunction(() => window.__bench300, null, { timeout: 60_000 });
    const rendered = await page.evaluate(() => ({
      top: document.querySelectorAll('.form-section[data-section="bn_all"] > [data-field]').length,
      inputs: document.querySelectorAll('.form-section[data-section="bn_all"] input, .form-section[data-section="bn_all"] select, .form-section[data-section="bn_all"] textarea').length,
      nodes: document.querySelectorAll("*").length,
    }));
    const configBytes = await page.evaluate(async () => {
      const t = localStorage.getItem("kinga.token");
      const r = await fetch("/api/v1/config/", { headers: { Authorization: `Token ${t}` } });
      return (await r.text()).length;
    });

    await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLE });

    // 2a. In-app navigation: from the case's page (#/records/case/<id>) to the form route.
    const nav = [];
    const navPaint = [];
    for (let i = 0; i < RUNS; i++) {
      await page.evaluate((id) => (location.hash = `#/records/case/${id}`), caseId);
      await page.waitForSelector('.form-section[data-section="bn_all"]', { state: "detached", timeout: 60_000 });
      await page.waitForTimeout(500);
      const t = await page.evaluate(
        (h) =>
          new Promise((ok) => {
            window.__benchArm();
            const t0 = performance.now();
            location.hash = h;
            const poll = () => {
              if (window.__bench300) {
                const dom = window.__bench300 - t0;
                // and the frame that shows it
                requestAnimationFrame(() => setTimeout(() => ok({ dom, paint: performance.now() - t0 }), 0));
              } else setTimeout(poll, 5);
            };
            poll();
          }),
        formHash,
      );
      nav.push(t.dom);
      navPaint.push(t.paint);
    }
    results.nav = nav;
    results.navPaint = navPaint;

    // 2b. Full page load of the form URL (signed in, configuration in the browser's cache):
    //     navigation start -> 300 fields in the DOM.
    const load = [];
    for (let i = 0; i < RUNS; i++) {
      await page.goto("about:blank");
      await page.goto(`${stack.baseUrl}/app/${formHash}`);
      await page.waitForFunction(() => window.__bench300, null, { timeout: 60_000, polling: 50 });
      load.push(await page.evaluate(() => window.__bench300));
    }
    results.load = load;

    // 3. Typing latency, throttled 4x.
    await page.waitForTimeout(1000);
    const input = page.locator('[data-field="bn_name"] input');
    await input.click();
    await page.evaluate(() => {
      const b = (window.__typing = { events: [], long: [], own: [] });
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) b.events.push({ name: e.name, duration: e.duration, processing: e.processingEnd - e.processingStart, start: e.startTime });
      }).observe({ type: "event", durationThreshold: 16, buffered: false });
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) b.long.push(e.duration);
      }).observe({ type: "longtask", buffered: false });
      b.mutations = { added: 0, removed: 0, attributes: 0, text: 0, attrNames: {} };
      new MutationObserver((list) => {
        for (const m of list) {
          if (m.type === "childList") (b.mutations.added += m.addedNodes.length), (b.mutations.removed += m.removedNodes.length);
          else if (m.type === "attributes") b.mutations.attributes++, (b.mutations.attrNames[m.attributeName] = (b.mutations.attrNames[m.attributeName] ?? 0) + 1);
          else {
            b.mutations.text++;
            if (m.oldValue === m.target.data) b.mutations.textSame = (b.mutations.textSame ?? 0) + 1;
            const where = (m.target.parentElement?.className || m.target.parentElement?.tagName || "?") + "";
            b.mutations.textWhere = b.mutations.textWhere ?? {};
            b.mutations.textWhere[where] = (b.mutations.textWhere[where] ?? 0) + 1;
          }
        }
      }).observe(document, { childList: true, subtree: true, attributes: true, characterData: true, characterDataOldValue: true });
      let t0 = 0;
      window.addEventListener("keydown", () => (t0 = performance.now()), true);
      window.addEventListener(
        "input",
        () => {
          // after this task (handlers + Preact's microtask render + engine): own handling time
          const ch = new MessageChannel();
          ch.port1.onmessage = () => b.own.push(performance.now() - t0);
          ch.port2.postMessage(0);
        },
        true,
      );
    });
    if (PROFILE) await cdp.send("Profiler.enable"), await cdp.send("Profiler.start");
    await cdp.send("Performance.enable");
    const before4 = await metrics(cdp);
    await input.pressSequentially(TYPED, { delay: 120 });
    await page.waitForTimeout(1500);
    results.metrics4 = diffMetrics(before4, await metrics(cdp));
    if (PROFILE) printProfile((await cdp.send("Profiler.stop")).profile);
    const typing = await page.evaluate(() => window.__typing);
    const typedBack = await input.inputValue();
    const calc = await page.locator('[data-field="bn_name_len"]').innerText();
    results.typing = typing;
    results.typedOk = typedBack === TYPED;
    results.calc = calc.replace(/\s+/g, " ").trim();

    // Same typing unthrottled, for reference.
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
    await input.fill("");
    await page.waitForTimeout(500);
    await page.evaluate(() => {
      window.__typing.events = [];
      window.__typing.long = [];
      window.__typing.own = [];
    });
    const before1 = await metrics(cdp);
    await input.pressSequentially(TYPED, { delay: 60 });
    await page.waitForTimeout(1000);
    results.metrics1 = diffMetrics(before1, await metrics(cdp));
    results.typing1x = await page.evaluate(() => window.__typing);

    results.rendered = rendered;
    results.configBytes = configBytes;
    results.caseCount = list.count;
  } finally {
    await context.close();
    await stack.stop();
    rmSync(profile, { recursive: true, force: true });
    rmSync(join(pack, ".."), { recursive: true, force: true });
  }

  // -- report -----------------------------------------------------------------------------------------------
  const keyOf = (t) => {
    const own = t.own;
    const byEvent = t.events.filter((e) => ["keydown", "keypress", "input", "keyup", "beforeinput"].includes(e.name));
    return {
      ownMax: Math.max(...own),
      ownP95: pct(own, 95),
      ownMedian: median(own),
      n: own.length,
      evMax: byEvent.length ? Math.max(...byEvent.map((e) => e.duration)) : null,
      evOver16: byEvent.length,
      procMax: byEvent.length ? Math.max(...byEvent.map((e) => e.processing)) : null,
      longMax: t.long.length ? Math.max(...t.long) : null,
      longN: t.long.length,
    };
  };
  const k4 = keyOf(results.typing);
  const k1 = keyOf(results.typing1x);
  const mNav = median(results.nav);
  const mLoad = median(results.load);

  console.log(`
Machine and data
   CPU threads (nproc)        ${os.availableParallelism?.() ?? os.cpus().length}   (${os.cpus()[0]?.model ?? "?"})
   Chromium                   ${chromiumVersion}  (${CHROMIUM}, headless, CPU throttling ${THROTTLE}x for 2 and 3)
   Node                       ${process.version}
   load average (1/5/15 min)  ${os.loadavg().map((x) => x.toFixed(2)).join(" / ")} at the end (other work on the machine inflates every figure)
   form ${FORM_ID}              ${stats.fields} fields in one section (${stats.relevance} relevance, ${stats.calculations} calculations, ${stats.subforms} subforms of ${stats.rowFields / stats.subforms} row fields)
   rendered                   ${results.rendered.top} field frames, ${results.rendered.inputs} inputs/selects, ${results.rendered.nodes} DOM elements on the page
   GET /api/v1/config/        ${(results.configBytes / 1024).toFixed(0)} KB (standard pack + the overlay), ${results.caseCount} cases visible to the caseworker

2. First render of the 300-field form, CPU ${THROTTLE}x (${RUNS} runs)
   in-app navigation, hash change -> 300 fields in DOM   ${results.nav.map(f1).join(", ")} ms   median ${f1(mNav)} ms
   ... -> next frame                                      ${results.navPaint.map(f1).join(", ")} ms   median ${f1(median(results.navPaint))} ms
   full page load of the form URL -> 300 fields in DOM   ${results.load.map(f1).join(", ")} ms   median ${f1(mLoad)} ms

3. Typing ${TYPED.length} characters into bn_name (read by 6 calculations and 1 relevance condition)${results.typedOk ? "" : "  [typed text did not arrive intact!]"}
   calculated field afterwards: ${results.calc}
                                        CPU ${THROTTLE}x            CPU 1x
   keydown -> handled+rendered: max     ${f1(k4.ownMax).padStart(7)} ms      ${f1(k1.ownMax).padStart(7)} ms
                                p95     ${f1(k4.ownP95).padStart(7)} ms      ${f1(k1.ownP95).padStart(7)} ms
                                median  ${f1(k4.ownMedian).padStart(7)} ms      ${f1(k1.ownMedian).padStart(7)} ms   (n=${k4.n}/${k1.n})
   event timing (>=16 ms) entries       ${String(k4.evOver16).padStart(7)}         ${String(k1.evOver16).padStart(7)}
              max duration (to paint)   ${f1(k4.evMax).padStart(7)} ms      ${f1(k1.evMax).padStart(7)} ms
              max processing            ${f1(k4.procMax).padStart(7)} ms      ${f1(k1.procMax).padStart(7)} ms
   main thread per keystroke: script    ${f1(results.metrics4.script).padStart(7)} ms      ${f1(results.metrics1.script).padStart(7)} ms
                              style     ${f1(results.metrics4.style).padStart(7)} ms      ${f1(results.metrics1.style).padStart(7)} ms
                              layout    ${f1(results.metrics4.layout).padStart(7)} ms      ${f1(results.metrics1.layout).padStart(7)} ms
                              all tasks ${f1(results.metrics4.task).padStart(7)} ms      ${f1(results.metrics1.task).padStart(7)} ms
   DOM mutations while typing (4x run): ${JSON.stringify(results.typing.mutations)}
   long tasks (>50 ms)                  ${String(k4.longN).padStart(7)}         ${String(k1.longN).padStart(7)}   max ${f1(k4.longMax)} / ${f1(k1.longMax)} ms

Budgets (measured)
   initial JS+CSS gzip          ${size.kb} KB / 250 KB                  ${size.kb == null ? "?" : verdict(size.kb, 250)}
   300-field form first render  median ${f1(mNav)} ms (in-app), ${f1(mLoad)} ms (page load) / 300 ms at ${THROTTLE}x   ${verdict(mNav, 300)} / ${verdict(mLoad, 300)}
   keystroke never blocks >50ms max ${f1(k4.ownMax)} ms, p95 ${f1(k4.ownP95)} ms at ${THROTTLE}x; max ${f1(k1.ownMax)} ms at 1x   ${verdict(k4.ownMax, 50)} (${THROTTLE}x) / ${verdict(k1.ownMax, 50)} (1x)
`);
}

/** Like the e2e harness's startStack, with the benchmark overlay as the country pack; Django serves /app/. */
async function startStackWith(pack) {
  const dir = mkdtempSync(join(tmpdir(), "kinga-bench-db-"));
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:///${join(dir, "db.sqlite3")}`,
    KINGA_MEDIA_ROOT: join(dir, "media"),
    KINGA_DEMO_PASSWORD: DEMO_PASSWORD,
    KINGA_DEBUG: "0",
  };
  const kinga = join(REPO, ".venv", "bin", "kinga");
  const run = (args) => {
    const r = spawnSync(kinga, args, { cwd: REPO, env, encoding: "utf-8", timeout: 300_000 });
    if (r.status !== 0) throw new Error(`kinga ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  run(["migrate", "--noinput"]);
  run(["deploy", "--standard", "--country", pack, "--demo", "--demo-size", "30"]);
  const port = await freePort();
  const django = spawn(kinga, ["serve", "--port", String(port)], { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  django.stdout.on("data", (d) => (log += d));
  django.stderr.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/v1/config/`)).status < 500) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) {
      django.kill();
      throw new Error(`kinga serve did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl: url,
    djangoUrl: url,
    log: () => log,
    async stop() {
      django.kill("SIGTERM");
      await new Promise((ok) => {
        if (django.exitCode !== null) return ok();
        django.once("exit", ok);
        setTimeout(ok, 5000);
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
