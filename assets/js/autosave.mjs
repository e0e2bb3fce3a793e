// Saves a long answer to the server as a draft every 30 seconds and when the box loses
// focus, so that a timed-out session or a closed browser loses nothing.
//
// Saves go one at a time, each with the version the one before it got back, and "Save and
// return" waits for a save in flight before the form is sent: the page's own saves never
// race each other. (The server also accepts a save from this page based on a version this
// page wrote, for a save the browser gave up on but the server finished.) A save refused
// because someone else saved stops the autosave: the button then shows both versions.
const INTERVAL_MS = 30_000;
const TIMEOUT_MS = 10_000;

export function initAutosave(root = document) {
  for (const form of root.querySelectorAll("form[data-autosave-url]")) {
    const status = form.querySelector("[data-autosave-status]");
    const version = form.querySelector("input[name=version]");
    const fields = [...form.querySelectorAll("textarea")];
    const words = () => fields.map((f) => f.value).join("\u0000");
    let lastSaved = words();
    let pending = Promise.resolve();
    let stopped = false; // after a refusal: only the button saves now
    let submitting = false;

    // Said only when it is true: without this script, only the button saves.
    status.textContent = [status.textContent.trim(), status.dataset.autosaveIntro].filter(Boolean).join(" ");

    const saveOnce = async () => {
      const current = words();
      if (stopped || current === lastSaved) return;
      const body = new FormData(form); // read now, so it carries the latest version
      try {
        const response = await fetch(form.dataset.autosaveUrl, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" },
          redirect: "error",
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const result = await response.json();
        if (response.ok) {
          document.dispatchEvent(new CustomEvent("safeguard:activity"));
          version.value = result.version;
          lastSaved = current;
          status.textContent = `Saved at ${result.saved_at}.`;
        } else {
          if (response.status === 409) stopped = true;
          status.textContent = result.error;
        }
      } catch {
        status.textContent = status.dataset.autosaveOffline;
      }
    };
    const save = () => {
      pending = pending.then(saveOnce);
      return pending;
    };

    fields.forEach((field) => field.addEventListener("blur", save));
    const timer = setInterval(save, INTERVAL_MS);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (submitting) return;
      submitting = true;
      clearInterval(timer);
      // Leaving the box (to press the button) has just queued a save: let it finish, so the
      // form is sent with the version it got back. form.submit() sends no second event.
      pending.then(() => form.submit());
    });
  }
}
