// Polare's service worker: the app shell, and the log pages of the signed-in user's walks
// (yesterday to a week ahead) kept for logging without a signal. Nothing else is cached.
"use strict";

const SHELL_CACHE = "polare-shell-{{ version }}";
const PAGES_CACHE = "polare-pages";
const SHELL = {{ app_shell|tojson }};
const OFFLINE_URL = {{ offline_url|tojson }};
const COPY_HEADER = "X-Polare-Offline-Copy";

importScripts({{ queue_url|tojson }});

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    await cache.addAll(SHELL.filter((url) => url !== OFFLINE_URL));
    // The offline page is fetched signed out: it holds nobody's name or token.
    await cache.put(OFFLINE_URL, await fetch(OFFLINE_URL, { credentials: "omit" }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("polare-shell-") && name !== SHELL_CACHE) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

function isShellFile(url) {
  return url.pathname.startsWith("/static/") || url.pathname.startsWith("/bootstrap/");
}

async function pageOrCopy(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const copy = await caches.match(request, { cacheName: PAGES_CACHE, ignoreSearch: true });
    return copy || (await caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE })) || Response.error();
  }
}

async function shellFile(request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(SHELL_CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    return (await caches.match(request, { cacheName: SHELL_CACHE })) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(pageOrCopy(request));
  } else if (isShellFile(url)) {
    event.respondWith(shellFile(request));
  }
});

async function keepPages(pages) {
  const cache = await caches.open(PAGES_CACHE);
  const wanted = new Set(pages.map((page) => new URL(page, self.location.origin).href));
  for (const request of await cache.keys()) {
    if (!wanted.has(request.url)) {
      await cache.delete(request);
    }
  }
  const kept = [];
  for (const page of wanted) {
    try {
      const response = await fetch(page, {
        credentials: "same-origin", cache: "no-store", headers: { [COPY_HEADER]: "1" },
      });
      if (response.ok && !response.redirected) {
        await cache.put(page, response);
        kept.push(page);
      }
    } catch (error) {
      // No signal now: the copy kept at the last visit stays.
    }
  }
  return kept;
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "keep-pages" && Array.isArray(message.pages)) {
    event.waitUntil(keepPages(message.pages).then((kept) => {
      if (event.source) {
        event.source.postMessage({ type: "pages-kept", pages: kept });
      }
    }));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === self.PolareQueue.SYNC_TAG) {
    event.waitUntil(self.PolareQueue.sendAll().then((result) => {
      if (result.unsent) {
        throw new Error("entries still waiting"); // the browser tries again later
      }
    }));
  }
});
