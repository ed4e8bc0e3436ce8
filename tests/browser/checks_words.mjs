// Plain words: no page the office, the head or a
// parent opens shows an internal name, a machine timestamp or a wrong plural;
// a pupil's alerts read as sentences with their sessions behind "Show
// sessions"; the settings page shows the thresholds in force as a form.

// What no page may show, with what it is.
const FORBIDDEN = [
  [/n_overdue/, "an alert's internal name (n_overdue)"],
  [/penalty_threshold/, "an alert's internal name (penalty_threshold)"],
  [/unrecorded_marks/, "an alert's internal name (unrecorded_marks)"],
  [/amber_lower|amber_upper/, "a band's internal name"],
  [/SEN_K/, "a cohort flag (SEN_K)"],
  [/leave_refused/, "a letter's internal name (leave_refused)"],
  [/\d{4}-\d\d-\d\dT\d\d:\d\d/, "an ISO timestamp"],
  [/\b1 sessions\b/, "\"1 sessions\""],
  [/\b1 minutes\b/, "\"1 minutes\""],
];

// Pupil pages to visit from what a user has seen: a few, each once.
const PUPILS_PER_USER = 6;

export default async function (t) {
  const { browser, base, login, check } = t;

  // Opens `path`, checks its main text, and returns the pupil pages it links to.
  async function visit(page, user, path) {
    const res = await page.goto(base + path);
    if (!res || res.status() !== 200) return [];
    // textContent, not innerText: closed disclosures count too.
    const text = await page.locator("main").evaluate((m) => m.textContent);
    for (const [pattern, what] of FORBIDDEN) {
      const found = text.match(pattern);
      check(!found, `${user} ${path} shows ${what}: "${found ? found[0] : ""}"`);
    }
    return page.locator("main a[href^='/pupils/']").evaluateAll((as) =>
      as.map((a) => new URL(a.href).pathname));
  }

  for (const user of ["office", "head", "parent1"]) {
    const { context, page } = await login(browser, base, user);
    const start = new URL(page.url()).pathname;
    const nav = await page.locator("nav a").evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
    const pupils = new Set();
    for (const path of [...new Set([start, ...nav])]) {
      for (const p of await visit(page, user, path)) pupils.add(p);
    }
    for (const path of [...pupils].slice(0, PUPILS_PER_USER)) await visit(page, user, path);
    await context.close();
  }

  // The pupil the office is asked to follow up first has a sentence for their
  // N codes, with the sessions behind a disclosure.
  {
    const { context, page } = await login(browser, base, "office");
    await page.goto(`${base}/today`);
    const overdue = page.locator("h2:has-text('Unresolved N codes') + ul a").first();
    if (await overdue.count()) {
      await page.goto(base + (await overdue.getAttribute("href")));
      const line = page.locator("ul.alerts > li", { hasText: "still recorded as N (no reason yet)" });
      check((await line.count()) === 1, "the pupil's N codes are one sentence");
      const summary = line.locator("summary", { hasText: "Show sessions" });
      check((await summary.count()) === 1, "the sessions are behind \"Show sessions\"");
      if (await summary.count()) {
        await summary.click();
        const first = await line.locator(".govuk-details__text li").first().innerText();
        check(/^(Mon|Tue|Wed|Thu|Fri) \d{1,2} [A-Z][a-z]+ \d{4} (AM|PM): N$/.test(first),
              `each session is a UK date with AM or PM: "${first}"`);
      }
    } else {
      check(false, "the demo's Today lists a pupil with N codes to follow up");
    }
    await context.close();
  }

  // The settings page: the thresholds in force as a form.
  {
    const { context, page } = await login(browser, base, "head");
    await page.goto(`${base}/settings`);
    const field = page.locator("input[name=persistent_absence_pct]");
    check((await field.count()) === 1, "the settings page has a field for the persistent-absence threshold");
    if (await field.count()) {
      check((await field.inputValue()) === "10", "it shows the threshold in force (10%)");
    }
    check((await page.locator("textarea[name=policy]").count()) === 0,
          "the settings page shows no policy JSON box");
    await context.close();
  }
}
