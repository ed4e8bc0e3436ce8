// Finding and reaching things: the pupil search in the header of staff pages
// (a surname lists the pupil, a UPN opens them), the pupil list filtered by a
// class, register names that open the pupil, and the LA officer's start on
// the LA's schools, a school's dashboard and the pack as tables.
export default async function ({ browser, base, login, api, check, shot, pastOpenSession }) {
  const office = await api(base, "office");
  const pupils = (await office.get("/api/v1/pupils")).pupils;
  const surname = (p) => p.legal_name.split(" ").pop();
  // A pupil on roll whose surname the fewest other names hold, so the search
  // lists them among a few; not the pupil named with a script.
  const holders = (p) => pupils.filter((o) => `${o.name} ${o.legal_name}`.toLowerCase()
    .includes(surname(p).toLowerCase())).length;
  const target = pupils.filter((p) => p.on_roll && !p.name.includes("<") && surname(p).length > 3)
    .map((p) => ({ p, n: holders(p) })).sort((a, b) => a.n - b.n).map((x) => x.p)[0];
  check(target !== undefined, "the demo has a pupil to search for");
  if (!target) return;

  // Searches from the header's form, as a person types and presses Enter.
  async function search(page, text) {
    const box = page.locator("form[role=search] input[name=q]");
    if ((await box.count()) !== 1) return false;
    await box.fill(text);
    await Promise.all([page.waitForNavigation(), box.press("Enter")]);
    return true;
  }

  {
    const { context, page } = await login(browser, base, "office");
    const searched = await search(page, surname(target));
    check(searched, "the office's pages have a pupil search in the header");
    if (searched) {
      const link = page.locator(`main a[href="/pupils/${target.id}"]`);
      check((await link.count()) === 1, `searching ${surname(target)} lists ${target.name}`);
      await shot(page, "pupil-search");
      if ((await link.count()) === 1) {
        await Promise.all([page.waitForNavigation(), link.click()]);
        check(new URL(page.url()).pathname === `/pupils/${target.id}`,
              `the search result opens the pupil's page: ${page.url()}`);
      }
      // A UPN, typed in lower case with spaces, opens the pupil at once.
      const upn = target.upn.toLowerCase().replace(/^(.{4})(.{4})/, "$1 $2 ");
      await search(page, upn);
      check(new URL(page.url()).pathname === `/pupils/${target.id}`,
            `a UPN search goes straight to the pupil: ${page.url()}`);
    }

    // The pupil list filtered by one class shows only that class.
    const classes = (await office.get("/api/v1/classes")).classes;
    const class3A = classes.find((c) => c.name === "3A");
    const response = await page.goto(`${base}/pupils`);
    const filter = page.locator("main select[name=class]");
    check(response.status() === 200 && (await filter.count()) === 1,
          `the pupil list has a class filter: ${response.status()}`);
    if ((await filter.count()) === 1) {
      await filter.selectOption(String(class3A.id));
      await Promise.all([page.waitForNavigation(),
                         page.locator("main form button[type=submit]").click()]);
      const shown = await page.locator("main tbody tr").evaluateAll((rows) =>
        rows.map((r) => r.querySelectorAll("td")[1]?.innerText.trim()));
      const in3A = pupils.filter((p) => p.class && p.class.id === class3A.id).length;
      check(shown.length === in3A && shown.every((c) => c === "3A"),
            `the list filtered by 3A shows its ${in3A} pupils only: ${shown.length} rows, ` +
            `classes ${[...new Set(shown)].join(", ")}`);
      await shot(page, "pupil-list");
    }

    // A name on a register opens the pupil's page.
    const { date } = await pastOpenSession(office, class3A.id);
    await page.goto(`${base}/register?class=${class3A.id}&date=${date}&session=AM`);
    const name = page.locator('[data-pupil] a[href^="/pupils/"]').first();
    check((await name.count()) === 1, "register names link to the pupil");
    if ((await name.count()) === 1) {
      const href = await name.getAttribute("href");
      await Promise.all([page.waitForNavigation(), name.click()]);
      check(new URL(page.url()).pathname === href, `a register name opens ${href}: ${page.url()}`);
    }
    await context.close();
  }

  // The LA officer starts on the LA's schools, opens a school's dashboard
  // from it, and reads the school's pack as tables.
  {
    const { context, page } = await login(browser, base, "la");
    check(new URL(page.url()).pathname === "/la/schools", `the LA officer lands on /la/schools: ${page.url()}`);
    const hillside = page.locator('main a[href="/la/schools/112605"]');
    check((await hillside.count()) === 1, "the LA schools view links to Hillside's dashboard");
    if ((await hillside.count()) === 1) {
      await Promise.all([page.waitForNavigation(), hillside.click()]);
      const heading = await page.locator("main h1").innerText();
      check(new URL(page.url()).pathname === "/la/schools/112605" && heading.includes("Hillside Primary School"),
            `Hillside's dashboard opens: ${page.url()} "${heading}"`);
      check((await page.locator("main table caption").count()) >= 2,
            "Hillside's dashboard shows its figures as tables with captions");
      await shot(page, "la-school");
    }
    await page.goto(`${base}/la/schools/112605/pack`);
    const tables = await page.locator("main table").count();
    const captions = await page.locator("main table caption").count();
    check(tables >= 4 && captions === tables, `the pack is tables with captions: ${tables} tables, ${captions} captions`);
    await context.close();
  }
}
