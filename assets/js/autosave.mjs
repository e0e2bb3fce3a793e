// Saves a long answer to the server as a draft every 30 seconds and when the field loses
// focus, so that a timed-out session or a closed browser loses nothing. The server refuses
// a save based on an older version (someone else saved first) and the page says so.
const INTERVAL_MS = 30_000;

export function initAutosave(root = document) {
  for (const form of root.querySelectorAll("form[data-autosave-url]")) {
    const status = form.querySelector("[data-autosave-status]");
    const version = form.querySelector("input[name=version]");
    const fields = form.querySelectorAll("textarea");
    let lastSaved = [...fields].map((f) => f.value).join("\u0000");

    const save = async () => {
      const current = [...fields].map((f) => f.value).join("\u0000");
      if (current === lastSaved) return;
      const body = new FormData(form);
      try {
        const response = await fetch(form.dataset.autosaveUrl, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" },
          redirect: "error",
        });
        const result = await response.json();
        if (response.ok) {
          document.dispatchEvent(new CustomEvent("safeguard:activity"));
          version.value = result.version;
          lastSaved = current;
          status.textContent = `Saved at ${result.saved_at}.`;
        } else {
          status.textContent = result.error;
        }
      } catch {
        status.textContent = "Not saved: you may have been signed out. Copy your words before leaving this page.";
      }
    };
    fields.forEach((field) => field.addEventListener("blur", save));
    setInterval(save, INTERVAL_MS);
  }
}
