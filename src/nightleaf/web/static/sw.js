// nightleaf's service worker: caches the app's shell only (style, scripts, icons, the offline
// page), never a page or an API answer. Offline, a page request gets the "journal unreachable"
// page, so no stale plan, finding or figure is ever shown as current.
"use strict";
var SHELL = "nightleaf-shell-v1";
var FILES = ["/static/offline.html", "/static/style.css", "/static/app.js", "/static/favicon.svg",
             "/static/icons/icon.svg", "/static/icons/icon-192.png", "/static/manifest.webmanifest"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (c) { return c.addAll(FILES); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== SHELL; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
  if (req.mode === "navigate") {  // pages: always from the journal; offline: the shell's notice
    event.respondWith(fetch(req).catch(function () {
      return caches.match("/static/offline.html");
    }));
    return;
  }
  var path = new URL(req.url).pathname;
  if (FILES.indexOf(path) >= 0) {  // the shell: the network when it answers, else the cache
    event.respondWith(fetch(req).catch(function () { return caches.match(req); }));
  }
});
