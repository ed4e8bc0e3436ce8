// Feedback after actions, the register on a phone, and the printable
// register and class list, on a demo whose clock is a school morning
// (Wednesday 2 December 2026, 09:05: the morning register is open and not
// yet taken).
import { join } from "node:path";

export default async function (t) {
  const { browser, dir, login, api, check, shot, startDemo, stopDemo, fillDate } = t;
  const { proc, base } = await startDemo(join(dir, "reg.db"), "2026-12-02T09:05");
  try {
    const office = await api(base, "office");
    const class3A = (await office.get("/api/v1/classes")).classes.find((c) => c.name === "3A");
    const onRoll = (await office.get(`/api/v1/registers/2026-12-02/AM?class=${class3A.id}`)).pupils.length;

    // The register's count follows the marks as they save.
    {
      const { context, page } = await login(browser, base, "teacher1");
      const progress = page.locator("#progress");
      const before = (await progress.innerText()).trim();
      const row = page.locator("tr[data-pupil]", { has: page.locator(".mark", { hasText: "—" }) }).first();
      const id = await row.getAttribute("id");
      await row.locator("button[data-key=present]").click();
      await page.locator(`#${id} .mark`, { hasText: "/" }).waitFor({ timeout: 10000 });
      await page.waitForFunction((text) => document.getElementById("progress").textContent.trim() !== text,
                                 before, { timeout: 5000 }).catch(() => {});
      const marked = Number(before.split(" ")[0]);
      check((await progress.innerText()).trim() === `${marked + 1} of ${onRoll} marked`,
            `the register's count follows a mark: ${before} -> ${await progress.innerText()}`);
      await context.close();
    }

    // On a phone: one short line a pupil, the class in three screens, and the
    // menu folded behind a Menu button.
    {
      const { context, page } = await login(browser, base, "teacher1", 375);
      const sizes = await page.evaluate(() => {
        const rows = [...document.querySelectorAll("tr[data-pupil]")];
        return {
          rows: rows.length,
          tallest: Math.max(...rows.map((r) => r.getBoundingClientRect().height)),
          bottom: rows.length ? rows[rows.length - 1].getBoundingClientRect().bottom + window.scrollY : 0,
          // The school's name, the search and the folded menu: all above the register.
          header: document.querySelector(".govuk-service-navigation").getBoundingClientRect().bottom,
          width: document.documentElement.scrollWidth,
        };
      });
      check(sizes.rows === onRoll, `the phone register lists the class: ${sizes.rows} of ${onRoll}`);
      check(sizes.tallest < 60, `each register row is under 60 px tall at 375 px: ${sizes.tallest}`);
      check(sizes.bottom <= 3 * 900, `the class fits in 3 screens at 375 px: ${sizes.bottom} px`);
      check(sizes.header < 180, `the header and folded menu take under 180 px: ${sizes.header}`);
      check(sizes.width <= 400, `the register fits 375 px: ${sizes.width} px`);
      check(!(await page.locator("#navigation").isVisible()), "the menu starts folded on a phone");
      await page.locator("button.govuk-service-navigation__toggle").click();
      check(await page.locator("#navigation a").first().isVisible(), "the Menu button opens the menu");
      await shot(page, "register-phone");
      await context.close();
    }

    // A parent's absence report, and the office confirming it on Today: both
    // say what happened, the confirmation in place of the report.
    const reason = "Browser check: sick bug (reg)";
    {
      const { context, page } = await login(browser, base, "parent1");
      const form = page.locator("form[action='/parent/report']").first();
      await form.locator("input[name=reason]").fill(reason);
      await Promise.all([page.waitForNavigation(), form.locator("button").click()]);
      check((await page.locator(".govuk-notification-banner").innerText()).includes("the school office has your message"),
            "the parent's report is confirmed in a banner");
      await context.close();
    }
    {
      const { context, page } = await login(browser, base, "office");
      await page.goto(`${base}/today`);
      const item = page.locator("li", { hasText: reason });
      await item.locator("button", { hasText: "Confirm" }).click();
      const done = page.locator(".govuk-notification-banner", { hasText: "Confirmed:" });
      await done.waitFor({ timeout: 10000 }).catch(() => {});
      check((await done.count()) === 1, "confirming a parent's report says so in place");
      check((await page.locator("li", { hasText: reason }).count()) === 0,
            "the confirmed report's item has changed");
      await context.close();
    }

    // A leave request and the head's decision each say what happened.
    {
      const head = await api(base, "head");
      let first = null;
      for (let n = 7; n < 60 && !first; n++) {
        const d = new Date(Date.parse("2026-12-02T12:00:00Z") + n * 86400000).toISOString().slice(0, 10);
        if ((await head.get(`/api/v1/registers/${d}/AM`)).open) first = d;
      }
      const p = await login(browser, base, "parent1");
      await p.page.locator("summary", { hasText: "Ask for leave of absence" }).first().click();
      const form = p.page.locator("form[action='/leave/request']").first();
      await fillDate(form, "from", first);
      await fillDate(form, "to", first);
      await form.locator("input[name=reason]").fill("Browser check: leave (reg)");
      await Promise.all([p.page.waitForNavigation(), form.locator("button").click()]);
      check((await p.page.locator(".govuk-notification-banner").innerText()).includes("Request sent to the school"),
            "the parent's leave request is confirmed");
      await p.context.close();
      const mine = (await head.get("/api/v1/leave-requests")).leave_requests
        .find((r) => r.reason === "Browser check: leave (reg)");
      const h = await login(browser, base, "head");
      await h.page.goto(`${base}/pupils/${mine.pupil.id}#leave`);
      const decide = h.page.locator(`form[action='/leave/${mine.id}/decide']`);
      await decide.locator("input[name=reason]").fill("Not exceptional");
      await Promise.all([h.page.waitForNavigation(), decide.locator("button[value=refused]").click()]);
      check((await h.page.locator(".govuk-notification-banner").innerText())
              .includes("Leave refused: a letter to the parents is stored"),
            "the head's refusal says a letter is stored");
      await h.context.close();
    }

    // The printable register and class list, linked from the register.
    {
      const { context, page } = await login(browser, base, "teacher1");
      await Promise.all([page.waitForNavigation(),
                         page.locator("a", { hasText: "Print the day's register" }).click()]);
      check((await page.locator("h1").innerText()).startsWith("Register: 3A, 2 December 2026"),
            `the printable register's heading: ${await page.locator("h1").innerText()}`);
      check((await page.locator("table.register-print tbody tr").count()) === onRoll,
            "the printable register lists the class");
      check((await page.locator("main").innerText()).includes("pupils in school"),
            "the printable register counts who is in school");
      await page.emulateMedia({ media: "print" });
      check(!(await page.locator("header").isVisible()) &&
            !(await page.locator("button", { hasText: "Print" }).isVisible()),
            "the printed register leaves out the menu and buttons");
      await page.emulateMedia({ media: "screen" });
      await shot(page, "register-print");
      await page.goto(`${base}/classes/${class3A.id}/list`);
      check((await page.locator("main tbody tr").count()) === onRoll, "the class list lists the class");
      check(/\d{5} ?\d{6}/.test(await page.locator("main tbody").innerText()),
            "the class list gives the contacts' phone numbers");
      await context.close();
    }
  } finally {
    await stopDemo(proc);
  }
}
