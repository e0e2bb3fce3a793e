// Warns a signed-in user before the idle timeout signs them out, and lets them stay signed
// in. At the timeout the page signs out for real (POST), so the next person at a shared
// computer cannot carry on as them. Saved drafts are kept either way.
const WARNING_SECONDS = 120;

export function initSessionTimeout(root = document) {
  const dialog = root.querySelector("[data-session-timeout]");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const timeout = Number(dialog.dataset.sessionTimeout);
  const warnAfter = timeout - Math.min(WARNING_SECONDS, timeout / 2);
  const signOut = dialog.querySelector("form[data-timeout-sign-out]");
  let warnTimer;
  let endTimer;

  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => dialog.open || dialog.showModal(), warnAfter * 1000);
    endTimer = setTimeout(() => signOut.submit(), timeout * 1000);
  };

  dialog.querySelector("[data-stay-signed-in]").addEventListener("click", async () => {
    const response = await fetch(dialog.dataset.keepAliveUrl, { credentials: "same-origin", redirect: "error" })
      .catch(() => null);
    dialog.close();
    if (response && response.ok) schedule();
    else signOut.submit();
  });
  // Any request the page makes itself (an autosave) also keeps the session alive.
  document.addEventListener("safeguard:activity", schedule);
  schedule();
}
