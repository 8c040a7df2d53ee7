// Small progressive enhancements; every page works without this file.

// "Copy" buttons next to read-only addresses (the calendar subscription link): shown only
// where the clipboard API exists, and they announce the result to screen readers.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  if (!field || !navigator.clipboard) return;
  const status = document.getElementById(`${button.dataset.copy}-status`);
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      button.textContent = "Copied";
      if (status) status.textContent = "Address copied to the clipboard.";
    } catch {
      field.select();
      if (status) status.textContent = "Select the address and copy it.";
    }
  });
});
