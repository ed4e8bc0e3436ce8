// The rules of the school day in the register, on the school's clock: a
// second demo whose clock is Wednesday 2 December 2026 at 08:46, a school
// morning in the autumn term (the browser's own clock is whatever it is).
// The morning register (08:45, open from 08:30, closing 09:15) is open and
// not yet taken; the afternoon's (13:15, open from 13:00) has not opened.
import { join } from "node:path";

const TODAY = "2026-12-02";
const YESTERDAY = "2026-12-01";

export default async function (t) {
  const { browser, login, api, check, shot, startDemo, stopDemo } = t;
  const { proc, base } = await startDemo(join(t.dir, "day.db"), `${TODAY}T08:46`);
  try {
    const office = await api(base, "office");
    const class3A = (await office.get("/api/v1/classes")).classes.find((c) => c.name === "3A");
    const register = (date, session) =>
      `${base}/register?class=${class3A.id}&date=${date}&session=${session}`;
    const { context, page } = await login(browser, base, "teacher1");
    const me = await (await context.request.get(`${base}/api/v1/me`)).json();
    const put = async (session, pupil, body) => {
      const res = await context.request.put(
        `${base}/api/v1/registers/${TODAY}/${session}/marks/${pupil}`,
        { headers: { "X-CSRF-Token": me.csrf_token, "Content-Type": "application/json" },
          data: JSON.stringify(body) });
      return { status: res.status(), body: await res.json() };
    };
    const pupils = (await office.get(`/api/v1/registers/${TODAY}/AM?class=${class3A.id}`)).pupils;

    // The morning register is open by the server's clock, whatever the
    // browser's says, with its buttons.
    await page.goto(register(TODAY, "AM"));
    const am = (await page.locator("#register-state").innerText()).trim();
    check(am.startsWith("Open") && !/closed/i.test(am),
          `at 08:46 the morning register says open: "${am}"`);
    check((await page.locator("button[data-key=present]").count()) > 10,
          "the open morning register has its buttons");

    // The afternoon's has not opened: it says when it will, offers no
    // buttons, and the API refuses a mark.
    await page.goto(register(TODAY, "PM"));
    const pm = await page.locator("main").innerText();
    check((await page.locator("#register-state").innerText()).includes("Opens at 13:00"),
          "the afternoon register says it opens at 13:00");
    check((await page.locator("button[data-key]").count()) === 0 &&
          (await page.locator("form[action='/register/all-present']").count()) === 0,
          "the afternoon register has no buttons before it opens");
    check(pm.includes("The afternoon register opens at 13:00"), "and says why");
    await shot(page, "register-not-open");
    const early = await put("PM", pupils[0].id, { code: "\\" });
    check(early.status === 409 && early.body.error?.code === "REGISTER_NOT_OPEN",
          `a mark for the afternoon at 08:46 is refused: ${early.status} ${JSON.stringify(early.body)}`);
    const pmRegister = await office.get(`/api/v1/registers/${TODAY}/PM?class=${class3A.id}`);
    check(pmRegister.pupils.every((p) => p.code === null), "nothing was recorded for the afternoon");

    // A late arrival later than now is refused; one already past is recorded.
    const future = await put("AM", pupils[1].id, { code: "L", arrival_time: "10:40" });
    check(future.status === 400 && future.body.error?.code === "ARRIVAL_IN_FUTURE",
          `a late arrival at 10:40 is refused at 08:46: ${future.status} ${JSON.stringify(future.body)}`);
    const late = await put("AM", pupils[1].id, { code: "L", arrival_time: "08:46" });
    check(late.status === 200 && late.body.code === "L", `a late arrival at 08:46 is L: ${late.status}`);

    // No pupil's figures count this afternoon as unrecorded.
    let cited = 0;
    for (const p of pupils) {
      const summary = await office.get(`/api/v1/pupils/${p.id}/summary`);
      for (const a of summary.alerts) {
        cited += a.evidence.filter(([d, s]) => d === TODAY && s === "PM").length;
      }
    }
    check(cited === 0, `no alert of 3A's pupils cites this afternoon: ${cited} cite it`);

    // Yesterday's register is the office's to change: the teacher sees it
    // read-only, with why.
    await page.goto(register(YESTERDAY, "AM"));
    check((await page.locator("tr[data-pupil]").count()) > 10, "the teacher sees yesterday's register");
    check((await page.locator("button[data-key]").count()) === 0 &&
          (await page.locator("form[action='/register/all-present']").count()) === 0,
          "yesterday's register has no buttons for the teacher");
    check((await page.locator("#read-only").innerText()).includes("attendance office"),
          "and says the attendance office changes it");
    await shot(page, "register-yesterday-teacher");
    await context.close();
  } finally {
    await stopDemo(proc);
  }
}
