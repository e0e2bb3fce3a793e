// Starts GOV.UK Frontend's components and Safeguard's own. Loaded as a module so that
// browsers without module support get the plain HTML pages, which work on their own.
import { initAll } from "./govuk/govuk-frontend.min.js";
import { initAutosave } from "./autosave.mjs";
import { initSessionTimeout } from "./session-timeout.mjs";

initAll();
initSessionTimeout();
initAutosave();
