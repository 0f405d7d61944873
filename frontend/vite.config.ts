/// <reference types="vitest/config" />
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Plugin, defineConfig } from "vite";
import preact from "@preact/preset-vite";

/** Writes dist/sw.js from sw.template.js with the list of built files to precache (a hand-written
 * worker instead of a PWA plugin: fewer dependencies, and nothing but the app shell is cached). */
function serviceWorker(): Plugin {
  return {
    name: "kinga-service-worker",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      const publicDir = fileURLToPath(new URL("./public", import.meta.url));
      const files = [...new Set([...Object.keys(bundle), ...readdirSync(publicDir), "index.html"])]
        .filter((f) => !f.endsWith(".map") && f !== "sw.js")
        .sort();
      const version = createHash("sha256")
        .update(files.map((f) => `${f}:${(bundle[f] as { code?: string })?.code?.length ?? ""}`).join("\n"))
        .digest("hex")
        .slice(0, 12);
      const template = readFileSync(fileURLToPath(new URL("./sw.template.js", import.meta.url)), "utf-8");
      const source = template.replace("__VERSION__", version).replace("__PRECACHE__", JSON.stringify(files));
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}

// The app is served by Django under /app/ (see docs/frontend.md): index.html at /app/, hashed assets at
// /app/assets/, the service worker at /app/sw.js so its scope covers the whole app.
export default defineConfig({
  base: "/app/",
  plugins: [preact(), serviceWorker()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, target: "es2020" },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
