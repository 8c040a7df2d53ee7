// "Preview" for the Markdown fields of an admin form (agenda, minutes): each textarea that
// carries data-preview-url gets a button that posts its text (with the form's CSRF token) and
// shows the HTML the server returns, rendered and sanitized as on the public pages
// (meetings/admin_preview.py). Nothing is saved. A file, not inline script: the CSP is strict.
(function () {
  "use strict";

  function csrfToken(textarea) {
    var form = textarea.form || document;
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setUp(textarea) {
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    var name = label ? label.textContent.replace(/:\s*$/, "").trim() : "text";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button preview-button";
    button.textContent = "Preview";
    button.setAttribute("aria-controls", textarea.id + "-preview");
    var panel = document.createElement("div");
    panel.id = textarea.id + "-preview";
    panel.className = "preview-panel";
    panel.hidden = true;
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-live", "polite");
    panel.setAttribute("aria-label", "Preview of the " + name.toLowerCase());
    var anchor = textarea.closest(".flex-container") || textarea;
    anchor.after(button, panel);

    button.addEventListener("click", function () {
      var body = new FormData();
      body.append("text", textarea.value);
      button.disabled = true;
      fetch(textarea.dataset.previewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(textarea), Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (data) {
            if (!response.ok) throw new Error(data.error || "The preview failed.");
            return data;
          });
        })
        .then(function (data) {
          // Sanitized by the server (mwi.lib.markdown), exactly as the meeting page shows it.
          panel.innerHTML = data.html || "<p><em>Nothing to preview.</em></p>";
          if (data.unresolved && data.unresolved.length) {
            var note = document.createElement("p");
            note.className = "preview-warning";
            note.textContent =
              "These mentions match nobody and will show as plain text: " +
              data.unresolved.join(", ") + ".";
            panel.prepend(note);
          }
        })
        .catch(function (error) {
          panel.textContent = error.message || "The preview failed; try again.";
        })
        .finally(function () {
          panel.hidden = false;
          button.disabled = false;
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-preview-url]").forEach(setUp);
  });
})();
