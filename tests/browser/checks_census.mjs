// The school census attendance module (docs/census.md): the head reaches
// /census from the menu, sees the term returned, the checks and the totals by
// year group, downloads the XML, and then sees it among the returns
// downloaded; a teacher may not open the page.
export default async function ({ browser, base, login, check, shot }) {
  {
    const { context, page } = await login(browser, base, "head");
    const link = page.locator("nav a[href='/census']");
    check((await link.count()) === 1, "the head's menu has School census");
    if ((await link.count()) === 1) {
      await Promise.all([page.waitForNavigation(), link.click()]);
    } else {
      await page.goto(`${base}/census`);
    }
    check((await page.locator("h1").innerText()).includes("School census: attendance"),
          "the census page has its heading");
    // The spring census that returns this academic year's autumn term, the
    // term the demo's registers cover, chosen with the page's form.
    const now = new Date();
    const year = now.getMonth() >= 7 ? now.getFullYear() + 1 : now.getFullYear();
    await page.selectOption("#census", "spring");
    await page.fill("#year", String(year));
    await Promise.all([page.waitForNavigation(),
                       page.locator("main form[action='/census'] button").click()]);
    const main = await page.locator("main").innerText();
    check(/census \d{4} \(census day \d{1,2} [A-Z][a-z]+ \d{4}\) returns/.test(main),
          "the page says which census and census day, in words");
    check(main.includes("Checks"), "the page shows the checks");
    check((await page.locator("main table tbody tr").count()) >= 2,
          "the page shows the totals by year group and for the school");
    await shot(page, "census");
    const button = page.locator("main form[action='/census/return.xml'] button");
    check((await button.count()) === 1, "the page offers the XML download");
    if ((await button.count()) === 1) {
      const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
      check(/^census-(spring|summer|autumn)-\d{4}\.xml$/.test(download.suggestedFilename()),
            `the return downloads as census-CENSUS-YEAR.xml: ${download.suggestedFilename()}`);
      await page.reload();
      const after = await page.locator("main").innerText();
      check(after.includes("Returns downloaded") && !after.includes("No return has been downloaded yet"),
            "the download is listed among the returns downloaded");
    }
    await context.close();
  }
  {
    const { context, page } = await login(browser, base, "teacher1");
    const response = await page.goto(`${base}/census`);
    check(response.status() === 403, `a teacher may not open the census page: ${response.status()}`);
    await context.close();
  }
}
