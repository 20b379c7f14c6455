// Reports kept on the device until they can be sent: IndexedDB holds each draft (its photos as
// blobs) and the reports sent from this device; the page and the service worker both send drafts,
// one at a time across every tab, each with the idempotency key it was drafted with, so a report
// sent twice is still one case. Loaded by the page (which also registers the service worker) and
// by the service worker itself.
(function (scope) {
  'use strict';

  const DATABASE = 'hientruong-offline';
  const DRAFTS = 'drafts';
  const SENT = 'sent';
  const CHANNEL = 'hientruong-drafts';
  const SYNC_TAG = 'hientruong-send-drafts';
  // Reports sent from this device that the list keeps; older ones are still on the server.
  const KEPT_SENT = 50;
  // The pages reached inside the app that the worker keeps for reading offline.
  const KEPT_PATHS = /^\/($|receipt\/|my\/|cases\/\d+$|account$)/;

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(DRAFTS)) db.createObjectStore(DRAFTS, { keyPath: 'key' });
        if (!db.objectStoreNames.contains(SENT)) db.createObjectStore(SENT, { keyPath: 'key' });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  /** Runs `work(store)` in one transaction on `storeName` and resolves with its result once committed. */
  async function withStore(storeName, mode, work) {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const transaction = db.transaction(storeName, mode);
        let result;
        transaction.oncomplete = () => resolve(result);
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
        const outcome = work(transaction.objectStore(storeName));
        if (outcome && 'onsuccess' in outcome) outcome.onsuccess = () => (result = outcome.result);
        else result = outcome;
      });
    } finally {
      db.close();
    }
  }

  function announce() {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage({ changed: true });
    channel.close();
  }

  /** Runs `work` while holding lock `name` across every tab and the worker; `ifAvailable` skips it when held. */
  function withLock(name, options, work) {
    if (scope.navigator && scope.navigator.locks) return scope.navigator.locks.request(name, options, work);
    // Without Web Locks the server's idempotency keys still keep a twice-sent report one case.
    return work({ name });
  }

  // Drafts being edited in this page hold their lock until the edit ends.
  const releases = new Map();

  const drafts = {
    /** Keeps `draft` ({ key, input, fromApp, lang, photos: [{ name, id } | { name, blob }] }), replacing one of the same key. */
    async save(draft) {
      const kept = { ...draft, savedAt: Date.now(), problem: null };
      await withStore(DRAFTS, 'readwrite', (store) => store.put(kept));
      announce();
      requestSync();
      return kept.key;
    },

    /** Every draft, oldest first, without the photos' bytes. */
    async list() {
      const all = (await withStore(DRAFTS, 'readonly', (store) => store.getAll())) || [];
      return all
        .sort((a, b) => a.savedAt - b.savedAt)
        .map((draft) => ({
          key: draft.key,
          title: draft.input.title || '',
          category: draft.input.category || '',
          saved_at: draft.savedAt,
          photos: (draft.photos || []).length,
          problem: draft.problem || null,
        }));
    },

    async remove(key) {
      await withStore(DRAFTS, 'readwrite', (store) => store.delete(key));
      drafts.release(key);
      announce();
    },

    /** The reports sent from this device, newest first. */
    async sent() {
      const all = (await withStore(SENT, 'readonly', (store) => store.getAll())) || [];
      return all.sort((a, b) => b.sent_at - a.sent_at);
    },

    /** Records a report sent from the form itself, so the device lists it beside those sent from drafts. */
    async remember(report) {
      await rememberSent(report);
      announce();
    },

    /**
     * Opens draft `key` for editing: holds its lock so no tab or worker sends it meanwhile, and
     * answers the whole draft (photos with their bytes), or null if it is gone or being sent.
     */
    hold(key) {
      return new Promise((resolve, reject) => {
        withLock(`hientruong-draft-${key}`, { ifAvailable: true }, async (lock) => {
          if (!lock) return resolve(null);
          const draft = await withStore(DRAFTS, 'readonly', (store) => store.get(key));
          if (!draft) return resolve(null);
          await new Promise((released) => {
            releases.set(key, released);
            resolve(draft);
          });
        }).catch(reject);
      });
    },

    /** Ends the edit of draft `key`, if this page holds it. */
    release(key) {
      const released = releases.get(key);
      releases.delete(key);
      if (released) released();
    },

    /**
     * Sends every draft that is not being edited, one at a time, stopping when the network fails.
     * Resolves with how many drafts still wait for the network or the server.
     */
    sendAll() {
      return withLock('hientruong-send', {}, async () => {
        const keys = ((await withStore(DRAFTS, 'readonly', (store) => store.getAllKeys())) || []).slice();
        let waiting = 0;
        for (const [index, key] of keys.entries()) {
          const outcome = await withLock(`hientruong-draft-${key}`, { ifAvailable: true }, (lock) =>
            lock ? sendDraft(key) : 'held',
          );
          if (outcome === 'later') waiting += 1;
          if (outcome === 'offline') return waiting + keys.length - index;
        }
        return waiting;
      });
    },

    /** Forgets the pages kept for reading offline (on signing out: they were the account's own). */
    async forgetPages() {
      if (!scope.caches) return;
      const names = await scope.caches.keys();
      await Promise.all(names.filter((name) => name.startsWith('hientruong-pages-')).map((name) => scope.caches.delete(name)));
    },

    /**
     * Asks the worker to keep the page at `path`, which the router reached without loading it:
     * the report form, the citizen's own pages, receipts and cases, for reading offline.
     */
    keepPage(path) {
      const controller = scope.navigator.serviceWorker && scope.navigator.serviceWorker.controller;
      const url = new URL(path, scope.location.origin);
      if (controller && url.origin === scope.location.origin && KEPT_PATHS.test(url.pathname)) {
        controller.postMessage({ type: 'keep-page', url: url.href });
      }
    },

    /** Calls `listener` whenever drafts or sent reports change, in this or another tab or the worker. */
    onChange(listener) {
      if (typeof BroadcastChannel === 'undefined') return;
      new BroadcastChannel(CHANNEL).onmessage = () => listener();
    },
  };

  async function rememberSent(report) {
    await withStore(SENT, 'readwrite', (store) => store.put({ ...report, sent_at: Date.now() }));
    const all = (await withStore(SENT, 'readonly', (store) => store.getAll())) || [];
    const stale = all.sort((a, b) => b.sent_at - a.sent_at).slice(KEPT_SENT);
    if (stale.length) await withStore(SENT, 'readwrite', (store) => stale.forEach((old) => store.delete(old.key)));
  }

  /** The first refusal's message of a 4xx answer, or a generic one. */
  async function refusal(response) {
    try {
      const body = await response.json();
      const details = body && body.details;
      if (Array.isArray(details) && details[0] && details[0].message) return details[0].message;
      if (body && Array.isArray(body.errors) && body.errors[0]) return body.errors[0].message;
    } catch (_) {
      // Not JSON: the status says enough.
    }
    return `HTTP ${response.status}`;
  }

  async function markProblem(key, problem) {
    await withStore(DRAFTS, 'readwrite', (store) => {
      const request = store.get(key);
      request.onsuccess = () => {
        if (request.result) store.put({ ...request.result, problem });
      };
    });
    announce();
  }

  /**
   * Sends draft `key`: its photos still on the device first (each id kept as soon as it is stored,
   * so a retry uploads nothing twice), then the report. A refusal marks the draft for the citizen to
   * edit; a lost connection or a server failure leaves it for the next attempt.
   */
  async function sendDraft(key) {
    const draft = await withStore(DRAFTS, 'readonly', (store) => store.get(key));
    if (!draft || draft.problem) return 'skipped';
    const headers = { 'Accept-Language': draft.lang || 'vi' };
    try {
      const photos = draft.photos || [];
      for (let index = 0; index < photos.length; index++) {
        if (photos[index].id) continue;
        const upload = await fetch(`/api/v1/photos?name=${encodeURIComponent(photos[index].name)}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/octet-stream' },
          body: photos[index].blob,
          credentials: 'same-origin',
        });
        if (upload.status >= 400 && upload.status < 500 && upload.status !== 429) {
          await markProblem(key, await refusal(upload));
          return 'refused';
        }
        if (upload.status !== 201) return 'later';
        photos[index] = { name: photos[index].name, id: (await upload.json()).id };
        await withStore(DRAFTS, 'readwrite', (store) => store.put({ ...draft, photos }));
      }
      const input = { ...draft.input, photos: photos.map((photo) => photo.id) };
      const response = await fetch('/api/submit_case', {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ input, from_app: !!draft.fromApp }),
        credentials: 'same-origin',
      });
      if (response.ok) {
        const answer = await response.json();
        await rememberSent({ key, id: answer.id, receipt: answer.receipt || null, title: input.title });
        await withStore(DRAFTS, 'readwrite', (store) => store.delete(key));
        announce();
        notifySent(answer.id, input.title, draft.lang);
        return 'sent';
      }
      if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        await markProblem(key, await refusal(response));
        return 'refused';
      }
      return 'later';
    } catch (_) {
      return 'offline';
    }
  }

  /** From the worker, with no page open, the citizen learns that a report went out. */
  function notifySent(id, title, lang) {
    if (!scope.registration || !scope.Notification || scope.Notification.permission !== 'granted') return;
    const heading = lang === 'en' ? `Report #${id} sent` : `Đã gửi phản ánh #${id}`;
    scope.registration.showNotification(heading, { body: title, tag: `sent-${id}`, data: { url: `/cases/${id}` } });
  }

  /** Asks the browser to wake the worker when the network is back, where it can (Background Sync). */
  function requestSync() {
    if (!scope.navigator || !scope.navigator.serviceWorker || typeof window === 'undefined') return;
    scope.navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register(SYNC_TAG))
      .catch(() => {});
  }

  drafts.SYNC_TAG = SYNC_TAG;
  scope.hientruongDrafts = drafts;

  if (typeof window !== 'undefined' && window.document) {
    // The page: install the worker, and send waiting drafts now and whenever the network returns.
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch(() => {});
    }
    const sendWhenOnline = () => {
      if (navigator.onLine) drafts.sendAll().catch(() => {});
    };
    window.addEventListener('online', sendWhenOnline);
    window.addEventListener('load', sendWhenOnline);
  }
})(self);
