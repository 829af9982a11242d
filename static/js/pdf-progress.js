// The progress of a PDF being prepared: asks the status URL every second, updates the
// bar and the stage (an aria-live region), and opens the PDF as soon as it is ready.
(function () {
  "use strict";
  var box = document.querySelector(".pdf-progress[data-status-url]");
  if (!box || box.hasAttribute("data-failed")) return;
  var bar = box.querySelector("progress");
  var percent = box.querySelector(".pdf-percent");
  var stage = box.querySelector(".pdf-stage");
  var error = box.querySelector(".pdf-error");
  var template = percent ? percent.textContent.replace(/\d+/, "{n}") : "{n}%";
  var lastStage = null;

  function show(data) {
    var value = Math.max(0, Math.min(100, Number(data.progress) || 0));
    if (bar) { bar.value = value; bar.textContent = value + "%"; }
    if (percent) percent.textContent = template.replace("{n}", value);
    // Only a new stage is worth announcing: the live region is not refreshed every second.
    if (stage && data.stage && data.stage !== lastStage) { stage.textContent = data.stage; lastStage = data.stage; }
  }

  function poll() {
    fetch(box.getAttribute("data-status-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(poll, 3000); return; }
        show(data);
        if (data.status === "ready" && data.url) { window.location.assign(data.url); return; }
        if (data.status === "failed") { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
