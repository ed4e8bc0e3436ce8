// A teacher takes a lesson register on a phone, at the demo's secondary
// school (Castle Hill Academy, served at /s/138456/ by the same demo): the
// demo's clock is Wednesday 2 December 2026 at 10:15, a quarter of an hour
// into P2, which castle-teacher1 teaches every weekday. From the menu to the
// lesson under way, one pupil marked absent and one late with the time they
// came in (with a reason where the demo already took the register); both
// marks are still there after a reload, and the page never scrolls sideways
// at 375 px.
import { join } from "node:path";

export default async function (t) {
  const { browser, dir, login, check, shot, startDemo, stopDemo } = t;
  const { proc, base } = await startDemo(join(dir, "lessons.db"), "2026-12-02T10:15");
  const school = `${base}/s/138456`;
  // Nothing sticks out of a 375 px screen, outside boxes that scroll on purpose.
  const fits = (page) => page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    out: [...document.querySelectorAll("body *")]
      .filter((e) => !e.closest(".scroll, .scroll-x") &&
                     e.getBoundingClientRect().right > window.innerWidth + 1)
      .map((e) => `${e.tagName}.${e.className}`).slice(0, 3).join(", "),
  }));
  try {
    const { context, page } = await login(browser, school, "castle-teacher1", 375);
    // The menu, folded behind its button on a phone, offers the lessons.
    const toggle = page.locator("button.govuk-service-navigation__toggle");
    if (await toggle.isVisible()) await toggle.click();
    const menuLink = page.locator("#navigation a", { hasText: "Lessons" });
    check((await menuLink.count()) === 1, "the teacher's menu has Lessons");
    await Promise.all([page.waitForNavigation(), menuLink.click()]);
    check(new URL(page.url()).pathname === "/s/138456/lessons",
          `Lessons opens the day's lessons: ${page.url()}`);
    let size = await fits(page);
    check(size.width <= size.viewport, `the lessons list fits 375 px: ${size.width} px (${size.out})`);

    const lesson = page.locator(".lesson-list a", { hasText: "P2" }).first();
    check((await lesson.count()) === 1, "the lesson under way (P2) is listed");
    await Promise.all([page.waitForNavigation(), lesson.click()]);
    check((await page.locator("tr[data-pupil]").count()) > 5, "the lesson's register lists its group");
    check((await page.locator("#read-only").count()) === 0, "the teacher may mark the lesson under way");
    size = await fits(page);
    check(size.width <= size.viewport, `the lesson register fits 375 px: ${size.width} px (${size.out})`);
    await shot(page, "lesson-register");

    // Two pupils not yet marked absent or late. The demo may have taken the
    // register five minutes in, as a teacher would: a mark already there
    // changes only with a reason, typed in the row's reason box.
    const ids = await page.locator("tr[data-pupil]").evaluateAll((rows) => rows
      .filter((r) => ["/", "—"].includes(r.querySelector(".mark").textContent.trim()))
      .map((r) => r.id));
    check(ids.length >= 2, `two pupils to mark: ${ids.length}`);
    if (ids.length < 2) {
      await context.close();
      return;
    }
    const [absentId, lateId] = ids;
    const giveReason = async (row, why) => {
      const reason = row.locator("input[name=reason]");
      if (await reason.count()) await reason.fill(why);
    };

    // Absent: one tap.
    const absent = page.locator(`#${absentId}`);
    await giveReason(absent, "Browser test: not in the lesson after all");
    await absent.locator("button[data-key=absent]").click();
    await page.locator(`#${absentId} .mark`, { hasText: "N" }).waitFor({ timeout: 10000 });

    // Late: the time they came in, behind "⋯" on a phone, then L.
    const late = page.locator(`#${lateId}`);
    const more = late.locator(".reg-more > summary");
    if (await more.isVisible()) await more.click();
    await late.locator("input[name=arrival_time]").fill("10:12");
    await giveReason(late, "Browser test: came in late from the office");
    await late.locator("button[data-key=late]").click();
    await page.locator(`#${lateId} .mark`, { hasText: "L" }).waitFor({ timeout: 10000 });
    check((await page.locator(`#${lateId}`).innerText()).includes("at 10:12"),
          "the late pupil's row shows L at 10:12");
    size = await fits(page);
    check(size.width <= size.viewport, `still no sideways scroll after marking: ${size.width} px (${size.out})`);

    // Saved: a reload shows both, and a changed mark now asks a reason.
    await page.reload();
    check((await page.locator(`#${absentId} .mark`).innerText()).trim() === "N",
          "the absence is saved");
    check((await page.locator(`#${lateId}`).innerText()).includes("at 10:12") &&
          (await page.locator(`#${lateId} .mark`).innerText()).trim() === "L",
          "the late arrival is saved with its time");
    check((await page.locator(`#${absentId} input[name=reason]`).count()) === 1,
          "a recorded mark asks a reason to change it");
    size = await fits(page);
    check(size.width <= size.viewport, `the reloaded register fits 375 px: ${size.width} px (${size.out})`);
    await context.close();
  } finally {
    await stopDemo(proc);
  }
}
