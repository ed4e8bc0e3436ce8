// Plain words, on the shared demo: the casework pages
// say dates as people do ("13 November 2026"), never as YYYY-MM-DD. What
// each check saw on main: part-time timetables "2026-11-25 to 2026-12-11",
// CME steps due "2026-12-04", Today's "review due by 2026-12-01", penalty
// cases "met at 2026-11-13 PM" with sessions "2026-11-13 PM G", notices
// served "2026-12-04", LA notifications due "2026-11-28" and the LA's pupils
// "from 2026-09-02".
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;

export default async function (t) {
  const { browser, base, login, api, check } = t;
  const head = await api(base, "head");
  const office = await api(base, "office");

  // `text` has no ISO date; the first one found is quoted.
  const isoFree = (text, what) => {
    const m = ISO_DATE.exec(text);
    check(m === null, `${what} gives dates in UK form: ${m && text.slice(Math.max(0, m.index - 60), m.index + 20)}`);
  };
  // The sections of the page at `path` headed (h2) by `headings`, each to
  // the next h2.
  const sections = async (page, path, headings) => {
    await page.goto(`${base}${path}`);
    for (const heading of headings) {
      const text = await page.evaluate((wanted) => {
        const h = [...document.querySelectorAll("main h2")].find((e) => e.textContent.startsWith(wanted));
        if (!h) return null;
        let out = "";
        for (let n = h.nextElementSibling; n && n.tagName !== "H2"; n = n.nextElementSibling) out += `${n.innerText}\n`;
        return out;
      }, heading);
      check(text !== null, `${path} has the section "${heading}"`);
      isoFree(text || "", `${path}, "${heading}",`);
    }
  };

  const pupils = (await head.get("/api/v1/pupils")).pupils;
  let partTime = null;
  for (const p of pupils) {
    const pt = await head.get(`/api/v1/pupils/${p.id}/part-time`);
    if (pt.timetables && pt.timetables.length > 0) {
      partTime = p;
      break;
    }
  }
  check(partTime !== null, "the demo has a pupil with a part-time timetable");
  const cme = (await office.get("/api/v1/cme-cases")).cme_cases;
  const cases = (await head.get("/api/v1/penalty-cases")).cases;
  const withNotice = cases.find((c) => c.notices && c.notices.length > 0);
  check(withNotice, "the demo has a penalty case with a notice");

  {
    const { context, page } = await login(browser, base, "head");
    if (partTime) await sections(page, `/pupils/${partTime.id}`, ["Part-time timetables"]);
    if (cme.length > 0) await sections(page, `/pupils/${cme[0].pupil.id}`, ["Children missing education"]);
    if (withNotice) {
      await sections(page, `/pupils/${withNotice.pupil.id}`, ["Penalty notices"]);
      await sections(page, `/penalties/${withNotice.id}`, ["Sessions cited", "Notices", "Timeline"]);
    }
    await context.close();
  }
  {
    const { context, page } = await login(browser, base, "office");
    await sections(page, "/today", ["Children missing education", "Action plan reviews due",
                                    "Part-time timetables", "Penalty notices to act on"]);
    await page.goto(`${base}/la-notifications`);
    isoFree(await page.locator("main table").innerText(), "the LA notifications");
    await context.close();
  }
  {
    const { context, page } = await login(browser, base, "la");
    await sections(page, "/la/pupils", ["Moved between your schools"]);
    await context.close();
  }
}
