// Push notices in the page: the "get notifications" switch asks for permission, subscribes this
// browser with the server's key and hands the subscription to the server, or turns it off. Each
// call answers one word the page shows a sentence for: on, off, unsupported, denied or failed.
(function () {
  'use strict';

  // The site's page registers the service worker; one that is not ready by then never will be.
  var READY_WAIT_MS = 8000;
  var FLAG = 'hientruong_push:';
  var SUBSCRIPTIONS = '/api/v1/push/subscriptions';

  function supported() {
    return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  }

  function ready() {
    return Promise.race([
      navigator.serviceWorker.ready,
      new Promise(function (_, reject) {
        setTimeout(function () { reject(new Error('no service worker')); }, READY_WAIT_MS);
      }),
    ]);
  }

  function bytes(base64url) {
    var base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(base64 + '==='.slice((base64.length + 3) % 4));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function sameKey(buffer, key) {
    if (!buffer) return false;
    var held = new Uint8Array(buffer);
    if (held.length !== key.length) return false;
    for (var i = 0; i < key.length; i++) if (held[i] !== key[i]) return false;
    return true;
  }

  // Which owners (an account, a receipt's case) asked on this browser: one browser subscription serves them all.
  function remember(scope, on) {
    try {
      if (on) localStorage.setItem(FLAG + scope, '1');
      else localStorage.removeItem(FLAG + scope);
    } catch (_) { /* storage off: the switch shows off next time */ }
  }

  function remembered(scope) {
    try { return localStorage.getItem(FLAG + scope) === '1'; } catch (_) { return false; }
  }

  // The receipt link of a case, kept where the service worker reads it: the server never holds it.
  function keepReceipt(caseId, path) {
    return new Promise(function (resolve) {
      if (!window.indexedDB) return resolve();
      var open = indexedDB.open('hientruong-push', 1);
      open.onupgradeneeded = function () { open.result.createObjectStore('receipts'); };
      open.onerror = function () { resolve(); };
      open.onsuccess = function () {
        var db = open.result;
        var tx = db.transaction('receipts', 'readwrite');
        tx.objectStore('receipts').put(path, caseId);
        tx.oncomplete = tx.onerror = tx.onabort = function () { db.close(); resolve(); };
      };
    });
  }

  function tell(method, body) {
    return fetch(SUBSCRIPTIONS, {
      method: method,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(function (response) { return response.ok; });
  }

  function current() {
    return navigator.serviceWorker.getRegistration().then(function (registration) {
      return registration ? registration.pushManager.getSubscription() : null;
    });
  }

  function state(scope) {
    if (!supported()) return Promise.resolve('unsupported');
    if (Notification.permission === 'denied') return Promise.resolve('denied');
    if (!remembered(scope)) return Promise.resolve('off');
    return current().then(function (subscription) { return subscription ? 'on' : 'off'; }, function () { return 'off'; });
  }

  function turnOn(scope, receipt, caseId) {
    if (!supported()) return Promise.resolve('unsupported');
    var asked = Notification.permission === 'default'
      ? Notification.requestPermission().catch(function () { return 'denied'; })
      : Promise.resolve(Notification.permission);
    return asked.then(function (permission) {
      if (permission !== 'granted') return 'denied';
      return Promise.all([ready(), fetch('/api/v1/push/key').then(function (r) {
        if (!r.ok) throw new Error('no key');
        return r.json();
      })]).then(function (found) {
        var registration = found[0];
        var key = bytes(found[1].key);
        return registration.pushManager.getSubscription().then(function (held) {
          // A subscription made with another server key cannot carry this server's messages.
          if (held && !sameKey(held.options && held.options.applicationServerKey, key)) {
            return held.unsubscribe().then(function () { return null; });
          }
          return held;
        }).then(function (held) {
          return held || registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
        });
      }).then(function (subscription) {
        var body = subscription.toJSON();
        if (receipt) body.receipt = receipt;
        return tell('POST', body);
      }).then(function (kept) {
        if (!kept) return 'failed';
        remember(scope, true);
        return receipt && caseId ? keepReceipt(caseId, location.pathname).then(function () { return 'on'; }) : 'on';
      });
    }).catch(function () { return 'failed'; });
  }

  function turnOff(scope, receipt) {
    remember(scope, false);
    if (!supported()) return Promise.resolve('off');
    return current().then(function (subscription) {
      if (!subscription) return 'off';
      var body = { endpoint: subscription.endpoint };
      if (receipt) body.receipt = receipt;
      return tell('DELETE', body).then(function (done) { return done ? 'off' : 'failed'; });
    }).catch(function () { return 'failed'; });
  }

  window.hientruongPush = { state: state, turnOn: turnOn, turnOff: turnOff };
})();
