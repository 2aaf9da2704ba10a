// Registers the service worker that lets the installed app open offline to a clear
// "journal unreachable" page (static/sw.js; it caches the shell only, never your data).
"use strict";
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  });
}
