// E2E harness: a fresh SQLite database, `kinga migrate` + `kinga deploy --demo`, the Django server on
// a free port, and a tiny front door that serves frontend/dist under /app/ and forwards /api/ to
// Django (the same URLs Django itself will use once it serves the build; see docs/frontend.md).
// Set KINGA_E2E_DJANGO_SERVES_APP=1 to skip the front door and use Django's own /app/.
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DIST = join(REPO, "frontend", "dist");
const PYTHON_BIN = join(REPO, ".venv", "bin");
// playwright-core is a dev dependency of frontend/ (this folder has no package.json of its own).
export const { chromium } = createRequire(join(REPO, "frontend", "package.json"))("playwright-core");
export const DEMO_PASSWORD = process.env.KINGA_DEMO_PASSWORD || "kinga-demo-2026";

export function freePort() {
  return new Promise((ok, fail) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

function kinga(args, env) {
  const r = spawnSync(join(PYTHON_BIN, "kinga"), args, { cwd: REPO, env, encoding: "utf-8", timeout: 300_000 });
  if (r.status !== 0) throw new Error(`kinga ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function waitFor(url, ms = 60_000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${url}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".webmanifest": "application/manifest+json",
  ".json": "application/json",
};

function frontDoor(djangoPort) {
  return http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname.startsWith("/api/")) {
      const upstream = http.request(
        { host: "127.0.0.1", port: djangoPort, path: req.url, method: req.method, headers: { ...req.headers, host: `127.0.0.1:${djangoPort}` } },
        (up) => {
          res.writeHead(up.statusCode, up.headers);
          up.pipe(res);
        },
      );
      upstream.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
      return;
    }
    if (url.pathname === "/") {
      res.writeHead(302, { Location: "/app/" });
      return res.end();
    }
    if (!url.pathname.startsWith("/app/")) {
      res.writeHead(404);
      return res.end();
    }
    let file = normalize(join(DIST, decodeURIComponent(url.pathname.slice("/app/".length))));
    if (!file.startsWith(DIST)) {
      res.writeHead(403);
      return res.end();
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(DIST, "index.html");
    const headers = { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" };
    if (file.includes(`${DIST}/assets/`)) headers["Cache-Control"] = "public, max-age=31536000, immutable";
    else headers["Cache-Control"] = "no-cache";
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  });
}

/** Start everything; returns {baseUrl, stop()}. */
export async function startStack({ demoSize = 30 } = {}) {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("frontend/dist is missing: run `npm run build` in frontend/");
  const dir = mkdtempSync(join(tmpdir(), "kinga-e2e-"));
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:///${join(dir, "db.sqlite3")}`,
    KINGA_MEDIA_ROOT: join(dir, "media"),
    KINGA_DEMO_PASSWORD: DEMO_PASSWORD,
    KINGA_DEBUG: "0",
  };
  kinga(["migrate", "--noinput"], env);
  kinga(["deploy", "--standard", "--country", "config_packs/example", "--demo", "--demo-size", String(demoSize)], env);
  const djangoPort = await freePort();
  const django = spawn(join(PYTHON_BIN, "kinga"), ["serve", "--port", String(djangoPort)], { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  django.stdout.on("data", (d) => (log += d));
  django.stderr.on("data", (d) => (log += d));
  await waitFor(`http://127.0.0.1:${djangoPort}/api/v1/config/`).catch((e) => {
    django.kill();
    throw new Error(`${e.message}\n${log}`);
  });
  let door = null;
  let baseUrl = `http://127.0.0.1:${djangoPort}`;
  if (!process.env.KINGA_E2E_DJANGO_SERVES_APP) {
    const port = await freePort();
    door = frontDoor(djangoPort);
    await new Promise((ok) => door.listen(port, "127.0.0.1", ok));
    baseUrl = `http://127.0.0.1:${port}`;
  }
  return {
    baseUrl,
    djangoUrl: `http://127.0.0.1:${djangoPort}`,
    log: () => log,
    async stop() {
      if (door) await new Promise((ok) => door.close(ok));
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

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export function chromiumArgs(userDataDir) {
  return [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    `--user-data-dir=${userDataDir}`,
  ];
}
