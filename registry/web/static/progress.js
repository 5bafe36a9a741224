// Reload an import report while the import is queued or running (the page works without it).
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || box.getAttribute("data-pending") !== "true") { return; }
  window.setTimeout(function () { window.location.reload(); }, 2000);
})();
