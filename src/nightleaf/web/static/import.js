// nightleaf: upload a wearable export with progress (the form also works without JavaScript).
// The file goes as the raw request body to /api/imports (streamed to disk by the server), with
// the page's CSRF token in a header; the import's own progress is polled from /api/imports/ID.
"use strict";
(function () {
  var form = document.querySelector("form[data-upload]");
  if (!form || !window.XMLHttpRequest) return;
  var input = form.querySelector("input[type=file]");
  var select = form.querySelector("select[name=format]");
  var box = form.querySelector("[data-progress]");
  var upBar = document.getElementById("p-upload");
  var inBar = document.getElementById("p-import");
  var upText = form.querySelector("[data-upload-text]");
  var inText = form.querySelector("[data-import-text]");
  var errorEl = document.getElementById("e-file");
  var button = form.querySelector("button[type=submit]");

  function mb(n) { return (n / 1048576).toFixed(n < 10485760 ? 1 : 0) + " MB"; }
  function fail(message) {
    errorEl.textContent = message;
    errorEl.hidden = false;
    input.setAttribute("aria-invalid", "true");
    button.disabled = false;
    box.hidden = true;
  }
  function poll(id) {
    fetch("/api/imports/" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (job.total_bytes) { inBar.max = job.total_bytes; inBar.value = job.bytes_read; }
        inText.textContent = "read " + mb(job.bytes_read) + (job.total_bytes ? " of " + mb(job.total_bytes) : "")
          + " · " + job.nights_found + " nights found";
        if (job.state === "done") { window.location.assign("/import?job=" + encodeURIComponent(id)); }
        else if (job.state === "failed" || job.error) { fail(job.error || "The import failed."); }
        else { window.setTimeout(function () { poll(id); }, 300); }
      })
      .catch(function () { fail("Lost contact with nightleaf: is it still running?"); });
  }

  form.addEventListener("submit", function (ev) {
    if (!input.files || input.files.length !== 1) return; // the server says what is missing
    ev.preventDefault();
    var file = input.files[0];
    var url = form.getAttribute("data-upload") + "?filename=" + encodeURIComponent(file.name)
      + (select.value ? "&format=" + encodeURIComponent(select.value) : "");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("X-CSRF-Token", form.querySelector("input[name=csrf]").value);
    errorEl.hidden = true;
    input.removeAttribute("aria-invalid");
    button.disabled = true;
    box.hidden = false;
    upBar.max = file.size || 1; upBar.value = 0; inBar.removeAttribute("value");
    upText.textContent = file.name;
    inText.textContent = "starts when the upload is done";
    document.querySelectorAll("[data-result]").forEach(function (el) { el.hidden = true; });
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { upBar.max = e.total; upBar.value = e.loaded; }
      upText.textContent = file.name + ": " + mb(e.loaded) + (e.lengthComputable ? " of " + mb(e.total) : "");
    });
    xhr.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status === 202 && body) { upBar.value = upBar.max; poll(body.id); }
      else { fail((body && body.error) || "The upload was refused (" + xhr.status + ")."); }
    });
    xhr.addEventListener("error", function () { fail("The upload failed: is nightleaf still running?"); });
    xhr.send(file);
  });
})();
