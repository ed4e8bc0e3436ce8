// Setting up a school from an empty database, as a head would: `rollcall
// serve` prints the set-up link with its one-time code; the form is filled,
// a term-dates file uploaded, a mistake corrected, and the new head logs in,
// admits a pupil and takes their class's first register. The server's clock
// is a school morning of the uploaded calendar, whatever the real time.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const termDates = join(here, "..", "..", "data", "reference",
                       "term_dates_staffordshire_pattern_2025-26_2026-27_moorhill.json");

export default async function (t) {
  const { browser, dir, check, shot, startServe, stopDemo } = t;
  const { proc, base, setupUrl } = await startServe(join(dir, "setup.db"), "2026-12-02T08:50");
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

    // To a taken register: a pupil admitted into 3A, then 3A's register for
    // the session open now.
    await page.goto(`${base}/pupils/new`);
    await page.fill("#upn", "F860200126001");  // a UPN with its check letter
    await page.fill("#legal_given_name", "Ada");
    await page.fill("#legal_family_name", "Example");
    await page.check("#sex-F");
    for (const [part, value] of [["day", "14"], ["month", "3"], ["year", "2019"]]) {
      await page.locator(`input[name=date_of_birth-${part}]`).fill(value);
    }
    await page.selectOption("#year_group", "3");
    const classId = await page.locator("#class_id option", { hasText: "3A" }).getAttribute("value");
    await page.selectOption("#class_id", classId);
    await page.fill("#contact1_name", "Grace Example");
    await page.fill("#contact1_relationship", "Mother");
    await page.fill("#contact1_phone", "07700 900101");
    await page.fill("#contact1_address", "4 Example Road\nStafford");
    await page.fill("#contact1_postcode", "ST16 2AB");
    for (const box of ["parental_responsibility", "lives_with", "emergency"]) {
      await page.check(`#contact1_${box}`);
    }
    await Promise.all([page.waitForNavigation(),
                       page.getByRole("button", { name: "Admit the pupil" }).click()]);
    check(/^\/pupils\/\d+$/.test(new URL(page.url()).pathname),
          `the head admits a pupil into 3A: ${page.url()}`);
    await page.goto(`${base}/register?class=${classId}`);
    const markAll = page.getByRole("button", { name: "Mark everyone not yet marked present" });
    check((await markAll.count()) === 1 &&
          (await page.locator("#progress").innerText()) === "0 of 1 marked",
          "3A's register is open at 08:50, with the new pupil not yet marked");
    await Promise.all([page.waitForNavigation(), markAll.click()]);
    await page.reload();
    check((await page.locator("#progress").innerText()) === "1 of 1 marked" &&
          (await page.locator("table.register").innerText()).includes("Ada Example"),
          "the register is taken and saved");
    await shot(page, "setup-first-register");
  } finally {
    await context.close();
    await stopDemo(proc);
  }
}
