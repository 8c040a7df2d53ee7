// Shows meeting times in the visitor's own time zone.
// Progressive: the server writes every <time data-localtime> in the committee's zone with its
// UTC offset ("Thu 16 Jan 2020, 10:00 EST (UTC−05:00)"), which stays as it is without
// JavaScript. With it, the text becomes the visitor's local time and the committee's time
// moves to the title (shown on hover). Elements marked data-localtime-reveal are hidden until
// this script has something to show in them.
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) {
    return;
  }
  var format;
  try {
    format = new Intl.DateTimeFormat(undefined, {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    });
  } catch (error) {
    return;
  }
  function convert(element) {
    var when = new Date(element.getAttribute("datetime"));
    if (isNaN(when.getTime())) {
      return;
    }
    var committeeTime = element.textContent.trim();
    element.textContent = format.format(when);
    element.setAttribute("title", "Committee time: " + committeeTime);
    element.classList.add("localtime-converted");
  }
  function run() {
    document.querySelectorAll("time[data-localtime]").forEach(convert);
    document.querySelectorAll("[data-localtime-reveal]").forEach(function (element) {
      element.hidden = false;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
