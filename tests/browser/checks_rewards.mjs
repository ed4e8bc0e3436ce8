// The rewards page (/rewards): reached from the head's menu, it ranks the
// demo's classes by attendance for each period, downloads the class table
// as CSV, fits a phone, shows a teacher the table without the certificate
// buttons, a governor the figures without names, and refuses a parent.
// Read-only: no certificate is printed, so the shared demo is left as it was.
export default async function ({ browser, base, login, check, shot }) {
  {
    const { context, page } = await login(browser, base, "head");
    const link = page.locator('nav a[href="/rewards"]');
    check((await link.count()) === 1, "the head's menu links to Rewards");
    await page.goto(`${base}/rewards?period=year`);
    check((await page.locator("h1").innerText()).includes("Rewards: this academic year"),
          "the page is headed with its period");
    const rows = await page.locator("#class-table tbody tr").count();
    check(rows >= 2, `the class table lists the demo's classes: ${rows} rows`);
    const first = await page.locator("#class-table tbody tr").first().innerText();
    check(/^1\s/.test(first) && /\d+\.\d%/.test(first),
          `the first class ranks 1 with its attendance: ${first}`);
    check((await page.locator("main h2", { hasText: "100% attendance" }).count()) === 1 &&
          (await page.locator("main h2", { hasText: "Most improved" }).count()) === 1,
          "the head sees the 100% and most-improved lists");
    await shot(page, "rewards");
    for (const period of ["week", "half-term"]) {
      const response = await page.goto(`${base}/rewards?period=${period}`);
      check(response.status() === 200, `the ${period} table: ${response.status()}`);
    }
    const csv = await page.request.get(`${base}/rewards.csv?period=year`);
    const text = await csv.text();
    check(csv.status() === 200 && csv.headers()["content-type"].startsWith("text/csv") &&
          text.startsWith("rank,class,year_group,pupils,"),
          `the class table downloads as CSV: ${csv.status()} ${text.slice(0, 40)}`);
    await context.close();
  }
  {
    const { context, page } = await login(browser, base, "head", 375);
    await page.goto(`${base}/rewards?period=year`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 400, `the rewards page fits a 375 px screen: ${width}px`);
    await context.close();
  }
  {
    const { context, page } = await login(browser, base, "teacher1");
    const response = await page.goto(`${base}/rewards?period=year`);
    check(response.status() === 200, `a teacher sees the class table: ${response.status()}`);
    check((await page.locator("main button", { hasText: "Print certificates" }).count()) === 0,
          "a teacher does not print certificates");
    await context.close();
  }
  {
    const { context, page } = await login(browser, base, "governor");
    const response = await page.goto(`${base}/rewards?period=year`);
    const main = await page.locator("main").innerText();
    check(response.status() === 200 && main.includes("no pupil is named") &&
          !main.includes("100% attendance"),
          "a governor sees the class table and no names");
    await context.close();
  }
  {
    const { context, page } = await login(browser, base, "parent1");
    const response = await page.goto(`${base}/rewards`);
    check(response.status() === 403, `a parent may not see rewards: ${response.status()}`);
    await context.close();
  }
}
