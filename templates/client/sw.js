/* Hinge Coach service worker {{ version }}: keeps the phone app usable without signal.
 * - App shell (CSS, JS, icons) cache-first; the Today and History pages network-first with
 *   the last good copy as fallback (today's prescription and the form cues are in the page).
 * - Session writes that fail for lack of network go to a Workbox background-sync queue and
 *   are replayed when the connection returns. The page keeps its own IndexedDB outbox as
 *   well, and the server deduplicates by the session's client-made UUID, so a double replay
 *   is harmless.
 */
/* global workbox */
importScripts("{{ workbox_prefix }}/workbox-sw.js");
// Without modulePathPrefix, Workbox loads its modules from a CDN.
workbox.setConfig({ modulePathPrefix: "{{ workbox_prefix }}/", debug: false });
workbox.loadModule("workbox-core");
workbox.loadModule("workbox-background-sync");

const VERSION = "{{ version }}";
const SHELL_CACHE = "hinge-shell-" + VERSION;
const PAGE_CACHE = "hinge-pages";
const SHELL = [{% for url in shell %}"{{ url }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const PAGES = [{% for url in pages %}"{{ url }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const NETWORK_TIMEOUT_MS = 4000;

const queue = new workbox.backgroundSync.Queue("hinge-session-writes", {
  maxRetentionTime: 60 * 24 * 30, // minutes: a month, like the sign-in
});

function isSessionWrite(request, url) {
  return url.origin === self.location.origin && url.pathname.startsWith("/api/v1/sessions/") &&
    (request.method === "PUT" || (request.method === "POST" && url.pathname.endsWith("/sync/")));
}

async function cachePage(url) {
  try {
    const response = await fetch(url, { credentials: "same-origin", redirect: "follow" });
    // A redirect means "signed out": never keep the sign-in page under the Today URL.
    if (response.ok && !response.redirected) {
      await (await caches.open(PAGE_CACHE)).put(url, response);
    }
  } catch (err) {
    /* offline at install: the page is cached on the next visit */
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    await cache.addAll(SHELL);
    await Promise.all(PAGES.map(cachePage));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith("hinge-shell-") && n !== SHELL_CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

// Queue writes one at a time; a PUT replaces any queued PUT of the same session, since each
// carries the whole session (an older body would only come back "stale").
let queueing = Promise.resolve();
function enqueue(request) {
  queueing = queueing.then(async () => {
    if (request.method === "PUT") {
      const kept = [];
      let entry;
      while ((entry = await queue.shiftRequest())) {
        if (!(entry.request.method === "PUT" && entry.request.url === request.url)) kept.push(entry);
      }
      for (const e of kept) await queue.pushRequest(e);
    }
    await queue.pushRequest({ request });
  }).catch(() => undefined);
  return queueing;
}

async function sessionWrite(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (err) {
    await enqueue(copy);
    throw err;
  }
}

async function pageNetworkFirst(request, key) {
  const cache = await caches.open(PAGE_CACHE);
  const network = fetch(request).then(async (response) => {
    if (response.ok && !response.redirected) {
      await cache.put(key, response.clone());
    } else if (response.redirected) {
      await cache.delete(key); // signed out: forget the signed-in page
    }
    return response;
  });
  network.catch(() => undefined); // a late failure after answering from the cache is fine
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS));
  try {
    const first = await Promise.race([network, timeout]);
    if (first) return first;
    // Slow network: answer from the cache, let the fetch refresh it in the background.
    const cached = await cache.match(key);
    return cached || await network;
  } catch (err) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw err;
  }
}

async function shellCacheFirst(request) {
  const cached = await caches.match(request, { ignoreSearch: true });
  if (cached) return cached;
  return fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (isSessionWrite(request, url)) {
    event.respondWith(sessionWrite(request));
    return;
  }
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && PAGES.includes(url.pathname)) {
    event.respondWith(pageNetworkFirst(request, url.pathname));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(shellCacheFirst(request));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "replay") {
    event.waitUntil(queue.replayRequests().catch(() => undefined));
  } else if (data.type === "forget") {
    // Signing out: drop the signed-in pages and any queued writes of this user.
    event.waitUntil((async () => {
      await caches.delete(PAGE_CACHE);
      let entry;
      while ((entry = await queue.shiftRequest())) { /* drain */ }
    })());
  }
});
