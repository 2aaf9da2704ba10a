// nightleaf: small niceties on top of pages that work without JavaScript.
"use strict";
(function () {
  // Routine ticks save as soon as a box changes (the form still works with its button).
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    var status = form.querySelector("[data-status]");
    form.querySelectorAll("[data-nojs]").forEach(function (b) { b.hidden = true; });
    form.addEventListener("change", function () {
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (r) { if (status) status.textContent = r.ok ? "Saved" : "Not saved: reload the page"; })
        .catch(function () { if (status) status.textContent = "Not saved: is nightleaf still running?"; });
    });
  });
})();
