// Penalty cases per episode, who is a parent, and letters, on the shared
// demo. What each check saw before: Reuben Hill
// had five open cases, one per weekly window, and Today listed him five
// times; a grandparent emergency contact was offered an £80 notice; letters
// had no address block, greeted "Dear Helen Ali," and said the year began on
// 1 August.
export default async function (t) {
  const { browser, base, login, api, check, ukDate } = t;
  const head = await api(base, "head");
  const cases = (await head.get("/api/v1/penalty-cases")).cases;

  // One open case per pupil and kind; later windows are on the case.
  const open = new Map();
  for (const c of cases) {
    if (c.stage === "closed") continue;
    const key = `${c.pupil.id}/${c.kind}`;
    open.set(key, (open.get(key) || 0) + 1);
  }
  const twice = [...open].filter(([, n]) => n > 1).map(([key]) => key);
  check(twice.length === 0, `no pupil has two open penalty cases of a kind: ${twice.join(", ")}`);
  const repeated = cases.find((c) => c.later_windows && c.later_windows.length > 0);
  check(repeated, "a pupil who stayed away met the threshold again within one case");

  const office = await login(browser, base, "office");
  {
    const { page } = office;
    // Today lists each pupil's case once.
    await page.goto(`${base}/today`);
    const hrefs = await page.locator("main a[href^='/penalties/']").evaluateAll(
      (links) => links.map((a) => a.getAttribute("href")));
    const pupils = hrefs
      .map((h) => cases.find((c) => `/penalties/${c.id}` === h))
      .filter((c) => c)
      .map((c) => c.pupil.id);
    check(new Set(pupils).size === pupils.length,
          `Today lists each pupil's penalty case once: ${pupils.join(", ")}`);
  }

  const headPage = await login(browser, base, "head");
  if (repeated) {
    const { page } = headPage;
    await page.goto(`${base}/penalties/${repeated.id}`);
    const text = await page.locator("main").innerText();
    const w = repeated.later_windows[0];
    check(text.includes("Threshold met again at ") && text.includes(` ${w.alert.session}`),
          "the case page shows the later window of the episode");
    // The first session cited, "2026-11-13 PM G", as the page says it:
    // "Fri 13 November 2026 PM: G".
    const [date, half, code] = w.evidence.split(", ")[0].split(" ");
    check(text.includes(`${ukDate(date)} ${half}: ${code}`), "with the sessions it cited");
  }

  // A case whose pupil has a grandparent contact offers a notice only to the
  // parents.
  let withGran = null;
  let gran = null;
  for (const c of cases) {
    const pupil = await head.get(`/api/v1/pupils/${c.pupil.id}`);
    gran = (pupil.contacts || []).find((x) => !x.parental_responsibility);
    if (gran) {
      withGran = { c, pupil };
      break;
    }
  }
  check(withGran, "the demo has a penalty case whose pupil has a grandparent as a contact");
  if (withGran) {
    const { page } = headPage;
    await page.goto(`${base}/penalties/${withGran.c.id}`);
    const parents = await page.locator("#case-parents").innerText();
    check(!parents.includes(gran.name), `the grandparent ${gran.name} is not offered a notice: ${parents}`);
    const parent = withGran.pupil.contacts.find((x) => x.parental_responsibility);
    check(parent && parents.includes(parent.name), `the parent ${parent && parent.name} is`);
    const options = await page.locator("#pn-parent option").allInnerTexts();
    check(!options.some((o) => o.includes(gran.name)), "the notice form does not offer the grandparent");
  }

  // The office records who has parental responsibility on the pupil page;
  // with no one recorded the case page says so. The pupil's contacts are put
  // back as they were.
  const closed = cases.find((c) => c.stage === "closed") || cases[0];
  if (closed) {
    const { page } = office;
    const before = (await head.get(`/api/v1/pupils/${closed.pupil.id}`)).contacts;
    const flagged = before.map((c, i) => (c.parental_responsibility ? i + 1 : 0)).filter((n) => n);
    const setFlag = async (n, on) => {
      await page.goto(`${base}/pupils/${closed.pupil.id}`);
      await page.locator(`#contact-${n} summary`).click();
      const box = page.locator(`#contact-${n}-pr`);
      if (on) await box.check();
      else await box.uncheck();
      await Promise.all([page.waitForNavigation(), page.locator(`#contact-${n} form button`).click()]);
    };
    for (const n of flagged) await setFlag(n, false);
    check((await page.locator("#no-parent").count()) === 1,
          "the pupil page says no contact has parental responsibility");
    await headPage.page.goto(`${base}/penalties/${closed.id}`);
    check((await headPage.page.locator("#case-parents").innerText())
            .includes("is recorded as having parental responsibility"),
          "the case page says no parent is recorded and the office must record one");
    for (const n of flagged) await setFlag(n, true);
    const after = (await head.get(`/api/v1/pupils/${closed.pupil.id}`)).contacts;
    check(JSON.stringify(after) === JSON.stringify(before), "the contacts are as they were");

    // A bad postcode is refused, saying why.
    await page.goto(`${base}/pupils/${closed.pupil.id}`);
    await page.locator("#contact-1 summary").click();
    await page.fill("#contact-1-postcode", "12345");
    await Promise.all([page.waitForNavigation(), page.locator("#contact-1 form button").click()]);
    check((await page.locator("main").innerText()).includes("'12345' is not a UK postcode"),
          "a postcode that is not a UK one is refused, saying why");
  }

  // The demo's letters of concern: the address block, the contact's
  // salutation, the period once and from the first day of term.
  {
    const { page } = office;
    let letter = null;
    for (const c of cases) {
      const letters = (await head.get(`/api/v1/pupils/${c.pupil.id}/letters`)).letters || [];
      letter = letters.find((l) => l.template === "attendance_concern");
      if (letter) break;
    }
    check(letter, "the demo has a letter of concern to a pupil with a penalty case");
    if (letter) {
      await page.goto(`${base}/letters/${letter.id}`);
      const address = await page.locator(".letter-address").innerText();
      check(/CA\d \d[A-Z]{2}/.test(address), `the letter has the parent's address block: ${address}`);
      const body = await page.locator(".letter").innerText();
      check(/Dear M(r|rs|s) [^,\n]+,/.test(body) && !body.includes(`Dear ${letter.addressee},`),
            "the letter greets the parent as their contact record says");
      check(!body.includes("1 August") && body.includes("since the start of the school year"),
            "the letter gives the school year from its first day of term, never 1 August");
      check(body.split("since the start of the school year").length === 2,
            "the period is said once");
    }
  }
  await office.context.close();
  await headPage.context.close();
}
