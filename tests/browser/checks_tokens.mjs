// API tokens as a head uses them: from Settings the head opens "API tokens
// for other systems", creates a token that may read figures, and is shown it
// once; another system's call with it as "Authorization: Bearer" works; the
// token's page lists that call; the head revokes it (after ticking the box)
// and the same call is then refused with a 401.
export default async function ({ browser, base, login, check, shot }) {
  const name = `Trust dashboard ${Date.now() % 100000}`;
  const { context, page } = await login(browser, base, "head");
  await page.goto(`${base}/settings`);
  const link = page.locator('main a[href="/settings/api-tokens"]');
  check((await link.count()) === 1, "Settings links to the API tokens page");
  const opened = await page.goto(`${base}/settings/api-tokens`);
  check(opened.status() === 200, `the head opens API tokens: ${opened.status()}`);

  await page.fill("#name", name);
  await page.check("#scope-read-figures");
  await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Create token")')]);
  const shown = page.locator("#new-api-token");
  check((await shown.count()) === 1, "the new token is shown");
  if ((await shown.count()) !== 1) {
    await context.close();
    return;
  }
  const token = await shown.inputValue();
  check(/^rc_[0-9a-f]{64}$/.test(token), `the token looks like one: ${token.slice(0, 6)}…`);
  check((await page.locator("main").innerText()).includes("only time the token is shown"),
        "the page says the token is shown only this once");
  await shot(page, "api-token-created");

  const call = () => fetch(`${base}/api/v1/school/summary`,
                           { headers: { Authorization: `Bearer ${token}` } });
  const first = await call();
  check(first.status === 200, `a call with the token works: ${first.status}`);

  await page.goto(`${base}/settings/api-tokens`);
  check(!(await page.content()).includes(token), "the list never shows the token again");
  const row = page.locator("#api-tokens tbody tr", { hasText: name });
  check((await row.count()) === 1, "the list has the new token");
  check((await row.innerText()).includes("Read school and class figures"),
        `its scope is in words: ${await row.innerText()}`);
  await Promise.all([page.waitForNavigation(), row.locator("a").click()]);
  const uses = await page.locator("#api-token-uses").innerText();
  check(uses.includes("GET /api/v1/school/summary") && uses.includes("200"),
        `the token's page lists the call and its answer: ${uses}`);

  await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Revoke token")')]);
  check((await page.locator(".govuk-error-summary").count()) === 1,
        "revoking without ticking the box is refused");
  await page.check("#confirm-revoke");
  await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Revoke token")')]);
  check(new URL(page.url()).pathname === "/settings/api-tokens",
        `back on the list after revoking: ${page.url()}`);
  check((await page.locator("main").innerText()).includes("Token revoked"),
        "the list says the token was revoked");
  const after = await call();
  const body = await after.json();
  check(after.status === 401 && body.error && body.error.code === "TOKEN_REVOKED",
        `a call with the revoked token is refused: ${after.status} ${JSON.stringify(body)}`);
  await context.close();
}
