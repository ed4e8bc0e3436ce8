// The daily attendance share's page, "What has been shared": reached from
// the office's menu, it lists what the next share will send (in the demo,
// nothing has been shared yet), offers no "Share now" while no destination
// is set, gives the head the form to set one, and refuses a governor.
// Read-only: the shared demo is left as it was.
export default async function ({ browser, base, login, check, shot }) {
  {
    const { context, page } = await login(browser, base, "office");
    const link = page.locator('nav a[href="/share"]');
    check((await link.count()) === 1, "the office's menu links to the daily share");
    if ((await link.count()) === 1) {
      await Promise.all([page.waitForNavigation(), link.click()]);
    } else {
      await page.goto(`${base}/share`);
    }
    check((await page.locator("h1").innerText()).includes("What has been shared"),
          "the page is headed What has been shared");
    const main = await page.locator("main").innerText();
    check(main.includes("What the next share will send") && main.includes("not shared yet"),
          "the page lists the marks the next share will send");
    check(main.includes("Nothing has been shared yet."), "the log says nothing was shared");
    check((await page.locator("main button", { hasText: "Share now" }).count()) === 0,
          "no Share now button while no destination is set");
    check((await page.locator("#share-destination").count()) === 0,
          "the office does not set the destination");
    await shot(page, "share");
    await context.close();
  }
  {
    const { context, page } = await login(browser, base, "head");
    await page.goto(`${base}/share`);
    check((await page.locator("#share-destination").count()) === 1 &&
          (await page.locator("#share-time").inputValue()) === "18:00",
          "the head sets where the share goes, and when (18:00 unless set)");
    await context.close();
  }
  {
    const { context, page } = await login(browser, base, "governor");
    const response = await page.goto(`${base}/share`);
    check(response.status() === 403, `a governor may not see the share: ${response.status()}`);
    await context.close();
  }
}
