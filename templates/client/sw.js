{% load static %}/* Hinge Coach service worker {{ version }}: keeps the phone app usable without signal.
 * Workbox's modules (vendored under static/vendor/workbox/) do the work:
 * - precaching: the app shell (CSS, JS, icons), served cache-first, refreshed by version;
 * - routing + strategies: the Today and History pages network-first (4 s), with the last
 *   signed-in copy as fallback (today's prescription and the form cues are in the page).
 * - Session writes are not touched here: the page's IndexedDB outbox (outbox.js) is the one
 *   retry queue. Background Sync's `sync` event asks the open pages to flush it.
 */
/* global workbox */
importScripts("{% static 'vendor/workbox/workbox-sw.js' %}");
// Without modulePathPrefix, Workbox loads its modules from a CDN.
workbox.setConfig({ modulePathPrefix: "{{ workbox_prefix }}/", debug: false });
workbox.loadModule("workbox-core");
workbox.loadModule("workbox-routing");
workbox.loadModule("workbox-strategies");
workbox.loadModule("workbox-precaching");

const VERSION = "{{ version }}";
const PAGE_CACHE = "hinge-pages";
const SHELL = [{% for name in shell %}"{% static name %}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const PAGES = [{% for url in pages %}"{{ url }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const NETWORK_TIMEOUT_SECONDS = 4;
const SYNC_TAG = "hinge-outbox";
const FLUSH_WAIT_MS = 20000;

workbox.precaching.precacheAndRoute(SHELL.map((url) => ({ url, revision: VERSION })), {
  ignoreURLParametersMatching: [/.*/],
});
workbox.precaching.cleanupOutdatedCaches();

// A redirect means "signed out": never keep the sign-in page under the Today URL, and forget
// the signed-in copy. The key is the path, whatever the query.
const signedInPages = {
  cacheKeyWillBeUsed: async ({ request }) => new URL(request.url).pathname,
  cacheWillUpdate: async ({ response }) => (response.ok && !response.redirected ? response : null),
  fetchDidSucceed: async ({ request, response }) => {
    if (response.redirected) await (await caches.open(PAGE_CACHE)).delete(new URL(request.url).pathname);
    return response;
  },
};
const pages = new workbox.strategies.NetworkFirst({
  cacheName: PAGE_CACHE,
  networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
  plugins: [signedInPages],
});
workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin && PAGES.includes(url.pathname),
  pages,
);

self.addEventListener("install", (event) => {
  // Keep the pages too, so the first offline visit works (offline at install: the next visit).
  event.waitUntil(Promise.all(PAGES.map((url) => pages.handleAll({ event, request: new Request(url, { credentials: "same-origin" }) })[0]
    .catch((err) => console.warn("Hinge Coach: page not kept for offline use", url, err)))).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // The shell caches of the versions before Workbox's precaching.
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith("hinge-shell-")).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

// Background Sync: ask each open page to flush its outbox. A page still holding writes (or
// none open) fails the event, so the browser tries again later.
function askToFlush(client) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(-1), FLUSH_WAIT_MS);
    channel.port1.onmessage = (message) => { clearTimeout(timer); resolve(message.data.waiting); };
    client.postMessage({ type: "flush" }, [channel.port2]);
  });
}
self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window" });
    const waiting = await Promise.all(windows.map(askToFlush));
    if (!windows.length || waiting.some((n) => n !== 0)) throw new Error("the outbox still holds writes");
  })());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "forget") {
    // Signing out: drop the signed-in pages.
    event.waitUntil(caches.delete(PAGE_CACHE));
  }
});

// Only a page of this site is opened from a notification ("//elsewhere" is not one).
function sameSitePath(value) {
  try {
    const url = new URL(typeof value === "string" ? value : "", self.location.origin);
    if (url.origin === self.location.origin) return url.pathname + url.search;
  } catch (err) { /* not a URL: Today */ }
  return "{{ pages.0 }}";
}

// Web Push (coaching/push/): the server's message is JSON {title, body, url}. A message sent
// twice (a retried send) replaces its notification: the URL is the tag.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (err) {
    message = { body: event.data ? event.data.text() : "" };
  }
  const url = sameSitePath(message.url);
  event.waitUntil(self.registration.showNotification(message.title || "Hinge Coach", {
    body: message.body || "",
    tag: url,
    data: { url },
    icon: "{% static 'client/icon-192.png' %}",
    badge: "{% static 'client/icon-192.png' %}",
  }));
});

// Tapping it focuses a phone tab already on that page, else opens one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(sameSitePath(event.notification.data && event.notification.data.url), self.location.origin);
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const same = windows.find((w) => new URL(w.url).pathname === target.pathname);
    if (same) return same.focus();
    return self.clients.openWindow(target.href);
  })());
});
