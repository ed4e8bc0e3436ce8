// rollcall: starts GOV.UK Frontend's components (the menu button on a phone,
// the skip link, error summaries). The library's page template marks the
// body from an inline script, which the Content-Security-Policy does not
// run; a module script runs only where the library is supported, so the
// body is marked here instead. The library is imported from beside this
// file, so a school served under a path prefix loads its own copy.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
