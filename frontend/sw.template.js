// Kinga service worker (generated into dist/sw.js by the kinga-service-worker plugin in
// vite.config.ts). It keeps the app shell available offline and makes the app installable. It never
// caches the API: the app keeps what it needs (configuration, drafts, outbox) in IndexedDB itself.
const VERSION = "__VERSION__";
const SHELL = `kinga-shell-${VERSION}`;
const PRECACHE = __PRECACHE__;
const SCOPE = new URL(self.registration.scope).pathname; // "/app/"

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      // The shell is cached under the scope URL itself: servers may redirect /app/index.html to
      // /app/, and a redirected response cannot answer a navigation.
      .then((cache) => cache.addAll(PRECACHE.map((f) => (f === "index.html" ? SCOPE : SCOPE + f))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("kinga-shell-") && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) return;
  if (request.mode === "navigate") {
    // The page: fresh from the network when possible, the cached shell when offline.
    event.respondWith(fetch(request).catch(() => caches.match(SCOPE, { cacheName: SHELL })));
    return;
  }
  // Hashed assets and icons: from the cache first.
  event.respondWith(caches.match(request, { cacheName: SHELL }).then((hit) => hit || fetch(request)));
});
