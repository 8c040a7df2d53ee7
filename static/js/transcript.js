/* The transcript beside a meeting's recording: a cue's time link (#t=SECONDS) seeks the
   player there and plays; while it plays, the cue being said is highlighted (aria-current).
   Opening the page at #t=SECONDS (a search result, a person's "spoke at") seeks there too.
   Without this script the transcript is a list of time links to its cues. No inline script:
   the page's Content-Security-Policy allows only the site's own files. */
(function () {
  "use strict";
  var list = document.querySelector("[data-transcript]");
  var player = document.querySelector("[data-call-player]");
  if (!list || !player) {
    return;
  }
  var cues = Array.prototype.slice.call(list.querySelectorAll("li[data-start]"));
  var current = null;

  function secondsOf(hash) {
    var match = /^#t=(\d+(?:\.\d+)?)$/.exec(hash || "");
    return match ? parseFloat(match[1]) : null;
  }

  function seek(seconds, play) {
    if (player.preload === "none") {
      player.preload = "metadata";
    }
    player.currentTime = seconds;
    if (play) {
      var started = player.play();
      if (started && started.catch) {
        started.catch(function () {});
      }
    }
  }

  function highlight(time) {
    var found = null;
    for (var i = 0; i < cues.length; i++) {
      var start = parseFloat(cues[i].getAttribute("data-start"));
      if (start > time) {
        break;
      }
      if (time < parseFloat(cues[i].getAttribute("data-end"))) {
        found = cues[i];
      }
    }
    if (found === current) {
      return;
    }
    if (current) {
      current.classList.remove("cue-current");
      current.removeAttribute("aria-current");
    }
    current = found;
    if (current) {
      current.classList.add("cue-current");
      current.setAttribute("aria-current", "true");
      var box = list.getBoundingClientRect();
      var row = current.getBoundingClientRect();
      if (row.top < box.top || row.bottom > box.bottom) {
        list.scrollTop += row.top - box.top - box.height / 3;
      }
    }
  }

  list.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#t=']");
    if (!link) {
      return;
    }
    event.preventDefault();
    var row = link.closest("li[data-start]");
    var seconds = row ? parseFloat(row.getAttribute("data-start")) : secondsOf(link.getAttribute("href"));
    history.replaceState(null, "", link.getAttribute("href"));
    seek(seconds, true);
    highlight(seconds);
  });
  player.addEventListener("timeupdate", function () {
    highlight(player.currentTime);
  });
  player.addEventListener("seeked", function () {
    highlight(player.currentTime);
  });
  window.addEventListener("hashchange", function () {
    var seconds = secondsOf(location.hash);
    if (seconds !== null) {
      seek(seconds, false);
      highlight(seconds);
    }
  });
  var initial = secondsOf(location.hash);
  if (initial !== null) {
    seek(initial, false);
    highlight(initial);
  }
})();
