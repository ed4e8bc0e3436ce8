// Setting up a school from an empty database, as a head would: `rollcall
// serve` prints the set-up link with its one-time code; the form is filled,
// a term-dates file uploaded, a mistake corrected, and the new head logs in.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const termDates = join(here, "..", "..", "data", "reference",
                       "term_dates_staffordshire_pattern_2025-26_2026-27_moorhill.json");

export default async function (t) {
  const { browser, dir, check, shot, startServe, stopDemo } = t;
  const { proc, base, setupUrl } = await startServe(join(dir, "setup.db"));
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    check(setupUrl !== null, "rollcall serve on an empty database prints the set-up link");
    const page = await context.newPage();
    await page.goto(`${base}/pupils`);
    check(new URL(page.url()).pathname === "/setup" &&
          (await page.locator("form[action='/setup']").count()) === 0,
          `before set-up every page leads to /setup, which wants the code: ${page.url()}`);

    await page.goto(setupUrl);
    await page.fill("#name", "Moorside Primary School");
    await page.fill("#urn", "12345");  // one digit short: corrected below
    await page.fill("#la", "860");
    await page.fill("#estab", "2001");
    await page.selectOption("#phase", "primary");
    await page.fill("#address", "Moor Lane\nStafford");
    await page.fill("#postcode", "ST16 1AA");
    await page.setInputFiles("#term_dates", termDates);
    await page.fill("#closures", "2026-11-05 PM, Polling station");
    await page.fill("#classes", "3A, Year 3, Mrs Jo Smith <jsmith>\nR, Reception, Mr Pat Brown <pbrown>");
    await page.fill("#head_username", "head");
    await page.fill("#head_name", "Mrs Helen Carter");
    await page.fill("#head_password", "a-long-password");
    await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
    const summary = page.locator(".govuk-error-summary");
    check((await summary.count()) === 1 && /URN/.test(await summary.innerText()),
          "a wrong URN is shown in the error summary");
    check((await page.inputValue("#name")) === "Moorside Primary School",
          "the answers are kept when the form comes back");
    check((await page.inputValue("#terms")).includes("Autumn 2025, 2025-09-01, 2025-12-19") &&
          (await page.inputValue("#closures")).includes("2026-05-04, Bank holiday: Early May bank holiday") &&
          (await page.inputValue("#closures")).includes("2026-11-05 PM, Polling station"),
          "the uploaded file's terms and closures are kept as lines, with the typed closure");
    await shot(page, "setup-problem");

    await page.fill("#urn", "123456");
    await page.fill("#head_password", "a-long-password");
    await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
    check(new URL(page.url()).pathname === "/login", `set-up ends at the login page: ${page.url()}`);
    await page.fill("#username", "head");
    await page.fill("#password", "a-long-password");
    await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
    check(new URL(page.url()).pathname !== "/login" &&
          (await page.content()).includes("Moorside Primary School"),
          `the new head logs in to their school: ${page.url()}`);
    await page.goto(`${base}/settings/calendar`);
    check((await page.inputValue("#terms")).includes("Summer 2027, 2027-04-12, 2027-07-21"),
          "the calendar page lists the terms set up");
    await page.goto(setupUrl);
    check(new URL(page.url()).pathname !== "/setup", "the set-up link works once only");
  } finally {
    await context.close();
    await stopDemo(proc);
  }
}
