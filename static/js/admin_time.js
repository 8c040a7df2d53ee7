// Times in this admin are typed in the committee's zone, which each field names with its UTC
// offset. Django's calendar widgets would add "Note: Enter times in the UTC timezone" (the
// server's zone) to every date and time field, contradicting that; they only do so when the
// page carries the server's offset, which this removes before they start (on window load).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    delete document.body.dataset.adminUtcOffset;
  });
})();
