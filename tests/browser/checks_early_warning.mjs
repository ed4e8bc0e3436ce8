// The early-warning list: reached from the office's menu, every pupil with a
// forecast shown highest chance first with the reasons in words, a pupil's
// page showing the same chance, and a class teacher refused. Read-only: the
// shared demo is left as it was.
export default async function ({ browser, base, login, check, shot }) {
  {
    const { context, page } = await login(browser, base, "office");
    const link = page.locator('nav a[href="/early-warning"]');
    check((await link.count()) === 1, "the office's menu links to the early warning");
    await page.goto(`${base}/early-warning?all=yes`);
    check((await page.locator("h1").innerText()).includes("Early warning"),
          "the page is headed Early warning");
    const rows = page.locator("main tbody tr");
    const count = await rows.count();
    check(count > 0, "everyone with a forecast is listed");
    const chances = await rows.evaluateAll((trs) =>
      trs.map((tr) => parseFloat(tr.querySelectorAll("td")[2].textContent)));
    check(chances.every((c, i) => i === 0 || chances[i - 1] >= c),
          `highest chance first: ${chances.slice(0, 10).join(", ")}`);
    const first = await rows.first().innerText();
    check(/Missed \d+% of sessions|absences on Mondays or Fridays|no reason accepted|last year/.test(first),
          `the pupil most at risk has reasons in words: "${first}"`);
    await shot(page, "early-warning");
    const href = await rows.first().locator("a").getAttribute("href");
    await page.goto(base + href);
    const section = await page.locator("main").innerText();
    check(section.includes(`by the end of the year: ${chances[0]}%`),
          `the pupil's page shows the same chance (${chances[0]}%)`);
    await context.close();
  }
  {
    const { context, page } = await login(browser, base, "teacher1");
    const response = await page.goto(`${base}/early-warning`);
    check(response.status() === 403, `a class teacher may not see the list: ${response.status()}`);
    await context.close();
  }
}
