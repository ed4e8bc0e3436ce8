// The reception kiosk on a phone-sized screen (375 px): a second demo whose
// clock is Wednesday 2 December 2026 at 09:50, after the morning register
// closed at 09:15, so this morning's late bus and two late arrivals are
// already on the page. The office finds a pupil as it types (htmx), signs
// them in as arriving late with the time already filled in, and the
// register holds the U (or the L of a pupil on the delayed bus).
import { join } from "node:path";

const TODAY = "2026-12-02";

export default async function (t) {
  const { browser, login, api, check, shot, startDemo, stopDemo } = t;
  const { proc, base } = await startDemo(join(t.dir, "kiosk.db"), `${TODAY}T09:50`);
  try {
    const office = await api(base, "office");
    const register = await office.get(`/api/v1/registers/${TODAY}/AM`);
    const pupils = (await office.get("/api/v1/pupils")).pupils;
    const codeOf = (reg, id) => reg.pupils.find((p) => p.id === id)?.code;
    // A pupil still without a reason this morning (N), named plainly and
    // uniquely, as the office would sign in.
    const target = pupils.find((p) => p.on_roll && !p.name.includes("<") &&
      codeOf(register, p.id) === "N" &&
      pupils.filter((o) => o.name.toLowerCase().includes(p.name.toLowerCase())).length === 1);
    check(target !== undefined, "the demo has a pupil with N this morning to sign in");
    if (!target) return;

    const { context, page } = await login(browser, base, "office", 375);
    const response = await page.goto(`${base}/reception`);
    check(response.status() === 200, `the office opens Reception: ${response.status()}`);
    const before = await page.locator("#kiosk-today tbody tr").count();
    check(before === 2, `this morning's two late arrivals are listed: ${before}`);
    check((await page.locator("main").innerText()).includes("Northfield bus"),
          "the kiosk says the Northfield bus was late");

    // Typing the name finds the pupil without pressing anything (htmx).
    await page.locator("#kiosk-q").fill(target.name);
    const arriving = page.locator(`#kiosk-results a[href="/reception/${target.id}/in"]`);
    await arriving.waitFor({ timeout: 5000 }).catch(() => {});
    check((await arriving.count()) === 1, `typing "${target.name}" lists them with Arriving late`);
    if ((await arriving.count()) !== 1) return;
    const onBus = (await page.locator("#kiosk-results .kiosk-pupil").first().innerText())
      .includes("Northfield bus");
    const box = await arriving.boundingBox();
    check(box !== null && box.height >= 44, `Arriving late is a big touch target: ${box?.height}px`);
    await shot(page, "reception");

    await Promise.all([page.waitForNavigation(), arriving.click()]);
    check((await page.locator("#time").inputValue()) === "09:50",
          "the time is now by the school's clock");
    await page.locator("label[for=reason-3]").click();  // "Overslept"
    await Promise.all([page.waitForNavigation(),
                       page.locator("main form button[type=submit]").click()]);
    check(new URL(page.url()).search === "?signed=in", `signed in: ${page.url()}`);
    const after = await page.locator("#kiosk-today tbody tr").count();
    check(after === before + 1, `the kiosk lists the new arrival: ${after} rows`);
    const newest = await page.locator("#kiosk-today tbody tr").first().innerText();
    const want = onBus ? "L" : "U";
    check(newest.includes(target.name) && newest.includes("09:50") && newest.includes("Overslept"),
          `the newest row is the pupil at 09:50: ${newest}`);
    const now = await office.get(`/api/v1/registers/${TODAY}/AM`);
    check(codeOf(now, target.id) === want,
          `the register holds ${want} for an arrival after the close: ${codeOf(now, target.id)}`);

    // Nothing sticks out of a 375 px screen.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 400, `Reception fits a 375 px screen: ${width}px`);
    await context.close();

    // A teacher is refused the kiosk.
    const teacher = await login(browser, base, "teacher1");
    const refused = await teacher.page.goto(`${base}/reception`);
    check(refused.status() === 403, `a teacher gets 403 on Reception: ${refused.status()}`);
    await teacher.context.close();
  } finally {
    await stopDemo(proc);
  }
}
