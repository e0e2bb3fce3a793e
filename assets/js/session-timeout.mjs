// Warns a signed-in user two minutes before the idle timeout signs them out, and lets them
// stay signed in. Answers already saved as drafts on the server are kept either way.
const WARNING_SECONDS = 120;

export function initSessionTimeout(root = document) {
  const dialog = root.querySelector("[data-session-timeout]");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const timeout = Number(dialog.dataset.sessionTimeout);
  const keepAliveUrl = dialog.dataset.keepAliveUrl;
  const signedOutUrl = dialog.dataset.signedOutUrl;
  let warnTimer;
  let endTimer;

  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => dialog.showModal(), Math.max(timeout - WARNING_SECONDS, 1) * 1000);
    endTimer = setTimeout(() => window.location.assign(signedOutUrl), timeout * 1000);
  };

  dialog.querySelector("[data-stay-signed-in]").addEventListener("click", async () => {
    const response = await fetch(keepAliveUrl, { credentials: "same-origin" });
    dialog.close();
    if (response.ok) schedule();
    else window.location.assign(signedOutUrl);
  });
  schedule();
}
