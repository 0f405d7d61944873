/// <reference types="vitest/config" />
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Plugin, defineConfig } from "vite";
import preact from "@preact/preset-vite";

type Output = { type: string; isEntry?: boolean; facadeModuleId?: string | null; imports?: string[]; dynamicImports?: string[]; viteMetadata?: { importedCss?: Set<string> } };

/** Files reachable from the entry chunk built from `html` (its static and lazy imports and their CSS). */
function reachable(bundle: Record<string, Output>, html: string): Set<string> {
  const seen = new Set<string>();
  const entry = Object.entries(bundle).find(([, c]) => c.type === "chunk" && c.isEntry && c.facadeModuleId?.endsWith(html));
  const stack = entry ? [entry[0]] : [];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const chunk = bundle[name];
    if (!chunk || chunk.type !== "chunk") continue;
    for (const css of chunk.viteMetadata?.importedCss ?? []) seen.add(css);
    stack.push(...(chunk.imports ?? []), ...(chunk.dynamicImports ?? []));
  }
  return seen;
}

/** Writes dist/sw.js from sw.template.js with the list of built files to precache (a hand-written
 * worker instead of a PWA plugin: fewer dependencies, and nothing but the app shell is cached).
 * The form builder (builder.html, a second page for administrators) is left out: caseworkers' devices
 * never download it. */
function serviceWorker(): Plugin {
  return {
    name: "kinga-service-worker",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      const publicDir = fileURLToPath(new URL("./public", import.meta.url));
      const outputs = bundle as unknown as Record<string, Output>;
      const app = reachable(outputs, "/index.html");
      const builderOnly = new Set([...reachable(outputs, "/builder.html")].filter((f) => !app.has(f)));
      const files = [...new Set([...Object.keys(bundle), ...readdirSync(publicDir), "index.html"])]
        .filter((f) => !f.endsWith(".map") && f !== "sw.js" && f !== "builder.html" && !builderOnly.has(f))
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
// /app/assets/, the service worker at /app/sw.js so its scope covers the whole app. Two pages: the
// caseworker app (index.html) and the form builder (builder.html, docs/form_builder_ui.md); modules
// both use go into shared chunks, so the builder adds nothing to the caseworker's first download.
export default defineConfig({
  base: "/app/",
  plugins: [preact(), serviceWorker()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    target: "es2020",
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL("./index.html", import.meta.url)),
        builder: fileURLToPath(new URL("./builder.html", import.meta.url)),
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
