// The observer page's service worker: network first (so a new deploy is seen at once),
// the cache when the network fails. The API and Socket.IO never go through the cache.

const CACHE = "lessonstudy-observe-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/socket.io/")) return;
  const cacheable = /^\/teachings\/[^/]+\/(observe|facilitate)$/.test(url.pathname)
    || url.pathname.startsWith("/static/") || url.pathname.startsWith("/vendor/");
  if (!cacheable) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(async () => (await caches.match(request, { ignoreVary: true })) ?? Response.error()),
  );
});
