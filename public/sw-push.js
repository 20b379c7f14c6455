// Push notices in the service worker, which loads this file with importScripts('/sw-push.js'):
// each message becomes a notification, and tapping it opens (or brings forward) its page.
(function () {
  'use strict';
  self.addEventListener('push', function (event) {
    var data = {};
    try {
      data = event.data ? event.data.json() : {};
    } catch (_) {
      data = {};
    }
    var title = typeof data.title === 'string' && data.title ? data.title : 'Phản ánh hiện trường';
    var options = {
      body: typeof data.body === 'string' ? data.body : '',
      icon: '/favicon.svg',
      data: { case: data.case, url: data.url, receipt: data.receipt === true },
    };
    // Notices of one case replace one another, each still announced.
    if (typeof data.tag === 'string' && data.tag) {
      options.tag = data.tag;
      options.renotify = true;
    }
    event.waitUntil(self.registration.showNotification(title, options));
  });

  self.addEventListener('notificationclick', function (event) {
    event.notification.close();
    var data = event.notification.data || {};
    event.waitUntil(pushTarget(data).then(openOrFocus));
  });

  // `url` on this site, absolute; nothing for an address elsewhere.
  function pushOnSite(url) {
    try {
      var target = new URL(url, self.location.origin);
      return target.origin === self.location.origin ? target.href : null;
    } catch (_) {
      return null;
    }
  }

  // The anonymous reporter's receipt link, which the page kept on this browser when it subscribed.
  function pushReceiptLink(caseId) {
    return new Promise(function (resolve) {
      if (!self.indexedDB) return resolve(null);
      var open = indexedDB.open('hientruong-push', 1);
      open.onupgradeneeded = function () { open.result.createObjectStore('receipts'); };
      open.onerror = function () { resolve(null); };
      open.onsuccess = function () {
        var db = open.result;
        var request = db.transaction('receipts', 'readonly').objectStore('receipts').get(caseId);
        request.onsuccess = function () {
          db.close();
          var path = request.result;
          resolve(typeof path === 'string' && path.indexOf('/receipt/') === 0 ? path : null);
        };
        request.onerror = function () { db.close(); resolve(null); };
      };
    });
  }

  function pushTarget(data) {
    var fallback = pushOnSite(typeof data.url === 'string' ? data.url : '/') || self.location.origin + '/';
    if (!data.receipt || typeof data.case !== 'number') return Promise.resolve(fallback);
    return pushReceiptLink(data.case).then(function (path) { return (path && pushOnSite(path)) || fallback; });
  }

  function openOrFocus(href) {
    return self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === href && 'focus' in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow ? self.clients.openWindow(href) : undefined;
    });
  }
})();
