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

  // Date inputs follow the browser's locale (mm/dd/yyyy in en-US): spell the day out beside
  // each one ("Tue 24 Nov 2026") so no reader can take 12/01 for the 12th of January.
  var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function spell(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
    if (!m) return "";
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return DAYS[d.getUTCDay()] + " " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }
  document.querySelectorAll("input[type=date]").forEach(function (input) {
    var echo = input.id && document.querySelector("[data-date-echo='" + input.id + "']");
    if (!echo) {
      echo = document.createElement("small");
      echo.className = "date-echo";
      input.insertAdjacentElement("afterend", echo);
    }
    var update = function () { echo.textContent = spell(input.value); };
    input.addEventListener("input", update);
    input.addEventListener("change", update);
    update();
  });
})();

// After a refused form, the first field in error gets the focus (and is scrolled into view),
// so the message beside it is read out and seen; the page works the same without this.
(function () {
  var bad = document.querySelector("[aria-invalid=true]");
  if (bad) { bad.focus(); bad.scrollIntoView({ block: "center" }); return; }
  var general = document.querySelector("main .error[role=alert]");
  if (general) { general.setAttribute("tabindex", "-1"); general.focus(); }
})();

// The phone menu is one row that scrolls sideways: bring the current page's link into view.
(function () {
  var here = document.querySelector(".top nav a[aria-current=page]");
  var row = here && here.closest("ul");
  if (row && row.scrollWidth > row.clientWidth) {
    row.scrollLeft = here.offsetLeft - (row.clientWidth - here.offsetWidth) / 2;
  }
})();
