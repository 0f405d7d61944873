// Budget check: gzip size of what the browser must download before the app can start (the JS and
// CSS that dist/index.html references), against the 250 KB budget. Run after `npm run build`.
//   node scripts/bundle-size.mjs [--budget-kb 250]
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const budgetArg = process.argv.indexOf("--budget-kb");
const budgetKb = budgetArg > 0 ? Number(process.argv[budgetArg + 1]) : 250;

const html = readFileSync(join(dist, "index.html"), "utf-8");
// Every script and stylesheet the page loads up front, including modulepreload'ed chunks.
const refs = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const base = "/app/";
const rows = [];
let total = 0;
for (const ref of new Set(refs)) {
  const file = join(dist, ref.startsWith(base) ? ref.slice(base.length) : ref.replace(/^\//, ""));
  const bytes = readFileSync(file);
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += gz;
  rows.push([ref, bytes.length, gz]);
}
const lazy = readdirSync(join(dist, "assets")).filter((f) => !refs.some((r) => r.endsWith(f)));
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + " KB";
for (const [ref, raw, gz] of rows) console.log(`${kb(gz)} gzip  ${kb(raw)} raw  ${ref}`);
for (const f of lazy) console.log(`${kb(gzipSync(readFileSync(join(dist, "assets", f)), { level: 9 }).length)} gzip  (loaded later)  /app/assets/${f}`);
const sw = ["sw.js", ...readdirSync(dist).filter((f) => f.startsWith("workbox-"))].filter((f) => statSync(join(dist, f)).isFile());
for (const f of sw) console.log(`${kb(gzipSync(readFileSync(join(dist, f)), { level: 9 }).length)} gzip  (service worker)  /app/${f}`);
console.log(`initial JS+CSS: ${(total / 1024).toFixed(1)} KB gzip (budget ${budgetKb} KB)`);
if (total > budgetKb * 1024) {
  console.error(`over budget by ${((total - budgetKb * 1024) / 1024).toFixed(1)} KB`);
  process.exit(1);
}
