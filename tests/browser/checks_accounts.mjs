// Accounts as a school uses them: the head invites a designated safeguarding
// lead from the Accounts page and is shown a one-time link; the DSL opens it
// in a browser of their own, sets a password, lands logged in, sees a pupil's
// children-missing-education cases and not the settings; the link does not
// work twice.
export default async function ({ browser, base, login, api, check, shot }) {
  const office = await api(base, "office");
  const cases = (await office.get("/api/v1/cme-cases?all")).cme_cases;
  check(cases.length > 0, "the demo has a children-missing-education case");
  if (cases.length === 0) return;
  const pupilId = cases[0].pupil.id;

  const username = `dsl-${Date.now() % 100000}`;
  const { context: headContext, page: head } = await login(browser, base, "head");
  const accounts = await head.goto(`${base}/users`);
  check(accounts.status() === 200, `the head opens Accounts: ${accounts.status()}`);
  check((await head.locator('nav a[href="/users"]').count()) === 1,
        "the head's menu links to Accounts");
  const roles = await head.locator("main tbody tr td:nth-child(3)").allInnerTexts();
  check(roles.includes("Designated safeguarding lead") && roles.includes("SENCO") &&
        roles.includes("Attendance officer"), `roles are in words: ${[...new Set(roles)]}`);
  await head.fill("#staff-display_name", "Ms New Safeguarding");
  await head.fill("#staff-username", username);
  await head.selectOption("#staff-role", "dsl");
  await Promise.all([head.waitForNavigation(),
                     head.locator('form:has(input[name=kind][value=staff]) button[type=submit]')
                       .click()]);
  const linkElement = head.locator("#set-password-link");
  check((await linkElement.count()) === 1, "the invitation shows its link");
  if ((await linkElement.count()) !== 1) {
    await headContext.close();
    return;
  }
  const link = await linkElement.getAttribute("href");
  await shot(head, "accounts-invitation");
  await head.goto(`${base}/users`);
  const row = head.locator("main tbody tr", { hasText: username });
  check((await row.innerText()).includes("Invited — link not used"),
        `the new account waits for its link: ${await row.innerText()}`);
  await headContext.close();

  // The DSL, in a browser that has never logged in.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const opened = await page.goto(base + link);
  check(opened.status() === 200 && (await page.locator("h1").innerText()).includes("Set your password"),
        `the link opens "Set your password": ${opened.status()}`);
  await page.fill("#new_password", "a-safe-password-1");
  await page.fill("#confirm_password", "a-safe-password-1");
  await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
  check(new URL(page.url()).pathname === "/pupils",
        `the DSL lands logged in on the pupils: ${page.url()}`);
  await page.goto(`${base}/pupils/${pupilId}`);
  check((await page.locator("#cme").count()) === 1,
        "the DSL sees the pupil's children-missing-education cases");
  check((await page.locator('nav a[href="/settings"]').count()) === 0,
        "the DSL's menu has no settings");
  const settings = await page.goto(`${base}/settings`);
  check(settings.status() === 403, `the DSL may not open the settings: ${settings.status()}`);
  await context.close();

  // The link worked once.
  const again = await browser.newContext();
  const second = await again.newPage();
  const reopened = await second.goto(base + link);
  check(reopened.status() === 409, `a used link is refused: ${reopened.status()}`);
  await again.close();
}
