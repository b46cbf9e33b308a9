// Lets the observer page open again without a network (a reload in a Wi-Fi dead spot):
// a service worker serves this page and its scripts from a cache when the network fails.
// The page fills the cache itself with what it loaded, because the first load happens
// before the worker is in control.

const CACHE = "lessonstudy-observe-v1";

export async function keepForOffline() {
  if (!("serviceWorker" in navigator) || !("caches" in window)) return;
  try {
    await navigator.serviceWorker.register("/teachings/observe-sw.js", { scope: "/teachings/" });
    await navigator.serviceWorker.ready;
    const mine = (url) => new URL(url).origin === location.origin;
    const assets = performance
      .getEntriesByType("resource")
      .map((entry) => entry.name)
      .filter((url) => mine(url) && !url.includes("/socket.io/") && !url.includes("/api/"));
    const cache = await caches.open(CACHE);
    await cache.addAll([location.pathname, ...new Set(assets)]);
    document.body.dataset.offlineReady = "yes";
  } catch {
    document.body.dataset.offlineReady = "no"; // the page still works online
  }
}
