// The installed app's service worker. The server writes this build's version and app shell into
// it when it serves /sw.js, so a new deployment is a new worker: it caches the new shell, then
// deletes the caches of the old one. Pages are fetched from the network first and kept for when
// it is gone; the built assets, whose names change with their content, come from the cache first,
// and so does the split code of the pages other than the report form once it has been fetched.
'use strict';

const BUILD = '__HIENTRUONG_BUILD__';
const SHELL = __HIENTRUONG_SHELL__;
const SHELL_CACHE = `hientruong-shell-${BUILD}`;
const PAGES_CACHE = `hientruong-pages-${BUILD}`;
const SPLIT_CACHE = `hientruong-split-${BUILD}`;
// The WebAssembly split off for the pages other than the report form: kept once fetched, so that a
// page seen before also works offline, not only reads. Not in the shell: a citizen's phone would
// otherwise download every staff page's code.
const SPLIT_FILE = /^\/pkg\/(chunk|split)_[^/]*\.wasm$/;
// Pages kept for reading offline; the oldest go first.
const KEPT_PAGES = 40;
const OFFLINE_PAGE = '/offline.html';

importScripts('/drafts.js');
if (SHELL.includes('/sw-push.js')) importScripts('/sw-push.js');

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

/**
 * Caches the app shell file by file. A device short of storage keeps what fits and the worker still
 * installs, so the app stays installable, keeps drafts and works online; any other failure (the
 * network) fails the install, which the browser tries again on the next visit.
 */
async function cacheShell() {
  const cache = await caches.open(SHELL_CACHE);
  const results = await Promise.allSettled(SHELL.map((path) => cache.add(new Request(path, { cache: 'reload' }))));
  const refused = results.filter((result) => result.status === 'rejected').map((result) => result.reason);
  const notStorage = refused.find((reason) => !(reason && reason.name === 'QuotaExceededError'));
  if (notStorage) throw notStorage;
  if (refused.length > 0) {
    console.warn(`${refused.length} of the ${SHELL.length} files of the app shell did not fit in this device's storage`);
  }
}

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith('hientruong-') && ![SHELL_CACHE, PAGES_CACHE, SPLIT_CACHE].includes(name))
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

/** Keeps a copy of `response` to `request` among the pages, forgetting the oldest beyond the limit. */
async function keepPage(request, response) {
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(request, response);
  const kept = await cache.keys();
  await Promise.all(kept.slice(0, Math.max(0, kept.length - KEPT_PAGES)).map((old) => cache.delete(old)));
}

/** A page from the network, kept for later; offline, the copy last seen, the shell's, or the offline page. */
async function page(request) {
  try {
    const response = await fetch(request);
    const html = (response.headers.get('Content-Type') || '').startsWith('text/html');
    if (response.ok && response.type === 'basic' && html) await keepPage(request, response.clone());
    return response;
  } catch (error) {
    const url = new URL(request.url);
    const seen =
      (await caches.match(request, { cacheName: PAGES_CACHE, ignoreVary: true })) ||
      (url.search === '' && (await caches.match(url.pathname, { cacheName: SHELL_CACHE })));
    return seen || (await caches.match(OFFLINE_PAGE, { cacheName: SHELL_CACHE })) || Response.error();
  }
}

/** A built asset or site file: the cached copy, else the network (and a copy kept when it is part of the shell). */
async function asset(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  return fetch(request);
}

/** Split code: the copy kept, else the network, keeping a copy; a device short of storage keeps none. */
async function splitFile(request) {
  const cached = await caches.match(request, { cacheName: SPLIT_CACHE, ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    const copy = response.clone();
    caches
      .open(SPLIT_CACHE)
      .then((cache) => cache.put(request, copy))
      .catch(() => {});
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else if (SHELL.includes(url.pathname) && url.pathname !== '/') {
    event.respondWith(asset(request));
  } else if (SPLIT_FILE.test(url.pathname)) {
    event.respondWith(splitFile(request));
  }
});

// Background Sync wakes the worker when the network is back: it sends the waiting drafts. Drafts
// still waiting fail the sync, so the browser tries again later.
self.addEventListener('sync', (event) => {
  if (event.tag !== self.hientruongDrafts.SYNC_TAG) return;
  event.waitUntil(
    self.hientruongDrafts.sendAll().then((waiting) => {
      if (waiting > 0) throw new Error(`${waiting} reports still wait for the network`);
    }),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'send-drafts') event.waitUntil(self.hientruongDrafts.sendAll());
  // A page the router reached without loading it: fetched once, to be kept like pages loaded whole.
  if (event.data && event.data.type === 'keep-page' && typeof event.data.url === 'string') {
    const url = new URL(event.data.url);
    if (url.origin === self.location.origin) {
      event.waitUntil(
        fetch(url.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
          .then((response) => {
            const html = (response.headers.get('Content-Type') || '').startsWith('text/html');
            if (response.ok && html) return keepPage(new Request(url.href), response);
          })
          .catch(() => {}),
      );
    }
  }
  // Signing out: the pages kept for reading offline were the account's own.
  if (event.data && event.data.type === 'forget-pages') event.waitUntil(caches.delete(PAGES_CACHE));
});
