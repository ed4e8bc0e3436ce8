// Browser tests: playwright-core drives Debian's chromium (headless, no
// sandbox) against `rollcall demo` on a free port, as a person would.
//
// Usage: node browser_test.mjs ROLLCALL_BINARY [SCREENSHOT_DIR]
// With SCREENSHOT_DIR, saves each page at 1280 px and 375 px wide.
// Prints "N passed, M failed" last; exits 1 on any failure.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const binary = process.argv[2];
// ROLLCALL_BROWSER_PART splits the run in two that can go side by side
// (tests/CMakeLists.txt): "flows", everything but the accessibility pass;
// "accessibility", that pass alone (checks_zz_axe.mjs). Unset: everything.
const part = process.env.ROLLCALL_BROWSER_PART || "";
const shots = process.argv[3];
let passed = 0;
let failed = 0;
function check(cond, what) {
  if (cond) passed++;
  else {
    failed++;
    console.log(`FAIL: ${what}`);
  }
}

// `at`: the demo's clock, a UK local time YYYY-MM-DDTHH:MM; by default
// ROLLCALL_DEMO_NOW (make screenshots: a school morning whatever the hour), or
// the real time.
function startDemo(db, at = process.env.ROLLCALL_DEMO_NOW) {
  return new Promise((resolve, reject) => {
    const now = at ? ["--now", at] : [];
    const proc = spawn(binary, ["demo", "--db", db, "--port", "0", "--quiet", ...now]);
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve({ proc, base: `http://127.0.0.1:${m[1]}` });
    });
    proc.on("exit", (code) => reject(new Error(`demo exited ${code}: ${out}`)));
  });
}

// `rollcall serve` on `db` (made empty when missing). Resolves with the
// set-up page's link too (`setupUrl`) when the database has no school: the
// server prints it, with its one-time code, after it starts listening.
// `at`: the server's clock, a UK local time YYYY-MM-DDTHH:MM (default: the real time).
function startServe(db, at) {
  return new Promise((resolve, reject) => {
    const now = at ? ["--now", at] : [];
    const proc = spawn(binary, ["serve", "--db", db, "--port", "0", "--quiet", ...now]);
    let out = "";
    let timer = null;
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (!m) return;
      const base = `http://127.0.0.1:${m[1]}`;
      const setup = out.match(/(\/setup\?code=[0-9a-f]+)/);
      if (setup) {
        clearTimeout(timer);
        resolve({ proc, base, setupUrl: base + setup[1] });
      } else if (!timer) {
        timer = setTimeout(() => resolve({ proc, base, setupUrl: null }), 1000);
      }
    });
    proc.on("exit", (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

async function api(base, user) {
  const res = await fetch(`${base}/api/v1/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: user, password: "rollcall-demo" }),
  });
  const cookie = res.headers.get("set-cookie").split(";")[0];
  const { csrf_token } = await res.json();
  return {
    get: async (path) => (await fetch(base + path, { headers: { Cookie: cookie } })).json(),
    csrf: csrf_token,
  };
}

// The most recent open session before today (registers the office may amend).
async function pastOpenSession(office, classId) {
  const today = Date.parse((await office.get("/api/v1/school/summary")).as_of);  // the server's
  for (let back = 1; back < 60; back++) {
    const d = new Date(today - back * 86400000).toISOString().slice(0, 10);
    const reg = await office.get(`/api/v1/registers/${d}/AM?class=${classId}`);
    if (reg.open) return { date: d, reg };
  }
  throw new Error("no open session in the last 60 days");
}

// An ISO date as pages write it: "2026-11-13" as "13 November 2026".
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];
function ukDate(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

// Fills a day, month and year date input with an ISO date; `field` is the
// input's id ("#pt-start") or, within `scope`, its name ("from").
async function fillDate(scope, field, iso) {
  const [year, month, day] = iso.split("-").map(Number);
  const part = (p) => (field.startsWith("#") ? `${field}-${p}` : `input[name=${field}-${p}]`);
  await scope.locator(part("day")).fill(String(day));
  await scope.locator(part("month")).fill(String(month));
  await scope.locator(part("year")).fill(String(year));
}

function stopDemo(proc) {
  return new Promise((resolve) => {
    proc.once("exit", resolve);
    proc.kill("SIGTERM");
  });
}

// Any alert() a page shows is a script that got through the HTML escaping.
let dialogs = 0;
// Anything the Content-Security-Policy blocks is a page relying on inline
// script or style: every page must work within the policy.
const cspViolations = [];

async function login(browser, base, user, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on("dialog", (d) => {
    dialogs++;
    d.dismiss();
  });
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) {
      cspViolations.push(`${page.url()}: ${m.text()}`);
    }
  });
  await page.goto(`${base}/login`);
  await page.fill("#username", user);
  await page.fill("#password", "rollcall-demo");
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  return { context, page };
}

async function shot(page, name) {
  if (!shots) return;
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: width === 375 ? false : true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

const dir = mkdtempSync(join(tmpdir(), "rollcall-browser-"));
const db = join(dir, "demo.db");
// Create the demo school, then give one pupil of 3A a name that is a script:
// every page must show it as text. Not when taking the README's screenshots,
// which show the demo as a school sees it.
const SCRIPT_NAME = "<script>alert(1)</script>";
await stopDemo((await startDemo(db)).proc);
if (!shots) {
  execFileSync("sqlite3", [db, `UPDATE pupils SET preferred_given_name = '${SCRIPT_NAME}' WHERE id =
    (SELECT MIN(p.id) FROM pupils p JOIN classes c ON c.id = p.class_id WHERE c.name = '3A')`]);
}
const { proc, base } = await startDemo(db);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox"],
});
try {
  if (part !== "accessibility") {
    // Every role logs in and lands on its own start page.
    const homes = { head: "/today", office: "/today", teacher1: "/register", governor: "/school",
                    la: "/la/schools", parent1: "/parent" };
    for (const [user, home] of Object.entries(homes)) {
      const { context, page } = await login(browser, base, user);
      check(new URL(page.url()).pathname === home, `${user} lands on ${home}: ${page.url()}`);
      await context.close();
    }
    {
      const { context, page } = await login(browser, base, "head");
      await page.goto(`${base}/settings`);
      check((await page.locator("main").innerText()).includes("Register open for"),
            "the head sees the settings form");
      await shot(page, "settings");
      await page.goto(`${base}/login`);
      await shot(page, "login");
      await context.close();
    }

    const office = await api(base, "office");
    const classes = (await office.get("/api/v1/classes")).classes;
    const class3A = classes.find((c) => c.name === "3A");
    const otherClass = classes.find((c) => c.name !== "3A");

    // The office amends a past register: a late arrival after close is U, and
    // a change with a reason shows in the pupil's amendment history.
    {
      const { date, reg } = await pastOpenSession(office, class3A.id);
      const pupil = reg.pupils[0];
      const { context, page } = await login(browser, base, "office");
      await page.goto(`${base}/register?class=${class3A.id}&date=${date}&session=AM`);
      await shot(page, "register");
      const row = page.locator(`#row-${pupil.id}`);
      await row.locator("input[name=arrival_time]").fill("09:40");
      await row.locator("input[name=reason]").fill("Arrived late: signed in at the office");
      await row.locator("button[data-key=late]").click();
      await page.locator(`#row-${pupil.id} .mark`, { hasText: "U" }).waitFor({ timeout: 10000 });
      check((await page.locator(`#row-${pupil.id}`).innerText()).includes("at 09:40"),
            "late arrival after close shows U at 09:40");
      const row2 = page.locator(`#row-${pupil.id}`);
      await row2.locator("select[name=other]").selectOption("I");
      await row2.locator("input[name=reason]").fill("Mum phoned: ill after all");
      await row2.locator("button[value=other]").click();
      await page.locator(`#row-${pupil.id} .mark`, { hasText: "I" }).waitFor({ timeout: 10000 });
      await page.reload();
      check((await page.locator(`#row-${pupil.id} .mark`).innerText()).trim() === "I",
            "the amended mark survives a reload");
      await page.goto(`${base}/pupils/${pupil.id}`);
      const body = await page.locator("main").innerText();
      check(body.includes("Mum phoned: ill after all") && body.includes("U — arrived after the register closed → I — illness"),
            "the amendment is in the pupil's history");
      await shot(page, "pupil");
      await context.close();
    }

    // A teacher takes today's register if the school is open today and the
    // register has opened.
    {
      const { context, page } = await login(browser, base, "teacher1");
      const text = await page.locator("main").innerText();
      if (text.includes("not open")) {
        console.log("teacher register: the school is closed today; checked the notice only");
        check(text.includes("no register to take"), "closed-day notice");
      } else if (await page.locator("#register-state[data-state=not-open]").count()) {
        console.log("teacher register: it has not opened yet; checked the notice only");
        check(/register opens at \d\d:\d\d/.test(text), "not-open-yet notice");
      } else {
        const rows = page.locator("tr[data-pupil]");
        const n = await rows.count();
        check(n > 10, `teacher1 sees the class register: ${n} pupils`);
        const first = rows.first();
        await first.locator("button[data-key=present]").focus();
        await page.keyboard.press("a");  // one keystroke: absent
        await page.locator(`#${await first.getAttribute("id")} .mark`, { hasText: "N" })
          .waitFor({ timeout: 10000 }).catch(() => {});
        check((await page.locator(`#${await first.getAttribute("id")} .mark`).innerText()).trim() !== "—",
              "a keystroke records a mark");
        await shot(page, "register-teacher");
      }
      const other = await page.goto(`${base}/register?class=${otherClass.id}`);
      check(other.status() === 403, `teacher1 cannot open another class: ${other.status()}`);
      await context.close();
    }

    // A parent reports an absence; the office sees it on Today.
    {
      const { context, page } = await login(browser, base, "parent1");
      await shot(page, "parent");
      const form = page.locator("form[action='/parent/report']").first();
      await form.locator("input[name=reason]").fill("Hospital appointment (browser test)");
      await Promise.all([page.waitForNavigation(), form.locator("button").click()]);
      check((await page.locator("main").innerText()).includes("the school office has your message"),
            "parent sees the confirmation");
      await context.close();
      const o = await login(browser, base, "office");
      await o.page.goto(`${base}/today`);
      const today = await o.page.locator("main").innerText();
      check(today.includes("Hospital appointment (browser test)"),
            "the office sees the parent's report on Today");
      check(/past the follow-up window\n\S/.test(today) && !/past the follow-up window\nNone/.test(today),
            "Today lists the demo's overdue N codes");
      await shot(o.page, "today");
      await o.page.goto(`${base}/amendments`);
      check((await o.page.locator("main").innerText()).includes("Mum phoned: ill after all"),
            "the amendments report lists the amendment");
      await shot(o.page, "amendments");
      await o.context.close();
    }

    // The pupil whose name is a script: shown as text on the pupil page, the
    // register and the dashboard, and never run.
    if (!shots) {
      const { context, page } = await login(browser, base, "office");
      const pupils = (await office.get(`/api/v1/pupils?class=${class3A.id}`)).pupils;
      const scripted = pupils.find((p) => p.name.startsWith(SCRIPT_NAME));
      check(scripted !== undefined, "the demo has the pupil named <script>");
      await page.goto(`${base}/pupils/${scripted.id}`);
      check((await page.locator("h1").innerText()).startsWith(SCRIPT_NAME),
            "the pupil page shows the name as text");
      await page.goto(`${base}/register?class=${class3A.id}`);
      check((await page.locator("main").innerText()).includes(SCRIPT_NAME),
            "the register shows the name as text");
      await page.goto(`${base}/school?group=class-${class3A.id}`);
      await page.goto(`${base}/amendments`);
      await context.close();
    }

    // The head's dashboard: national comparison, the weekly chart (uPlot), PA
    // pupils, and any group picked from the list.
    {
      const { context, page } = await login(browser, base, "head");
      await page.goto(`${base}/school`);
      await page.locator("#trend-chart canvas").waitFor({ timeout: 10000 });
      check((await page.locator("#trend-chart canvas").count()) === 1, "the weekly chart is drawn");
      const text = await page.locator("main").innerText();
      check(text.includes("National primary, 2024/25") && /Persistently absent pupils \(\d+\)/.test(text),
            "the dashboard compares with the national figures and lists PA pupils");
      await shot(page, "dashboard");
      await page.selectOption("#group", { label: "Year 3" });
      await Promise.all([page.waitForNavigation(), page.click("form.inline button")]);
      check((await page.locator("h1").innerText()) === "Attendance: Year 3", "the head picks Year 3");
      await context.close();
    }

    // The office logs a call and sends parent1 a message from a pupil's page;
    // the parent reads the message, not the call.
    {
      const parent = await api(base, "parent1");
      const child = (await parent.get("/api/v1/pupils")).pupils[0];
      const { context, page } = await login(browser, base, "office");
      await page.goto(`${base}/pupils/${child.id}`);
      await page.selectOption("#method", "call");
      await page.selectOption("#outcome", "no_answer");
      await page.fill("#note", "Browser test: rang twice, no answer");
      await Promise.all([page.waitForNavigation(), page.click("form[action$='/contact'] button")]);
      check((await page.locator("#contact-log + div").innerText()).includes("rang twice, no answer"),
            "the call is in the contact log");
      await page.selectOption("#method", "message");
      await page.selectOption("#outcome", "sent");
      await page.fill("#note", "Browser test message: please ring the office");
      await Promise.all([page.waitForNavigation(), page.click("form[action$='/contact'] button")]);
      // Today's one-line call form, when a pupil is absent with no reason now.
      await page.goto(`${base}/today`);
      const forms = page.locator("form[action='/today/call']");
      if ((await forms.count()) > 0) {
        await forms.first().locator("select[name=outcome]").selectOption("left_message");
        await Promise.all([page.waitForNavigation(), forms.first().locator("button").click()]);
        check((await page.locator("main").innerText()).includes("left a message"),
              "a call logged from Today shows on its row");
      } else {
        console.log("today: no pupil absent without a reason this session; call form not used");
      }
      await context.close();
      const p = await login(browser, base, "parent1");
      const text = await p.page.locator("main").innerText();
      check(text.includes("please ring the office"), "the parent reads the school's message");
      check(!text.includes("rang twice"), "the parent does not see the office's call notes");
      await p.context.close();
    }

    // Children missing education: the demo's newest case has the DSL step
    // overdue; the office records it from the pupil's page and it is done.
    {
      const cases = (await office.get("/api/v1/cme-cases")).cme_cases;
      check(cases.length >= 2, `the demo has open CME cases at two stages: ${cases.length}`);
      const newest = cases.reduce((a, b) => (a.first_day > b.first_day ? a : b));
      const { context, page } = await login(browser, base, "office");
      await page.goto(`${base}/today`);
      check((await page.locator("main").innerText()).includes("overdue by"),
            "Today escalates the overdue CME step");
      await page.goto(`${base}/pupils/${newest.pupil.id}#cme`);
      const form = page.locator(`form[action='/cme/${newest.id}/step']`);
      await form.locator("select[name=step]").selectOption("notify_dsl");
      await form.locator("textarea[name=note]").fill("Browser test: DSL and head told");
      await Promise.all([page.waitForNavigation(), form.locator("button").click()]);
      const row = page.locator("tr.step-done", { hasText: "Browser test: DSL and head told" });
      check((await row.count()) === 1, "the DSL step is done, with who and when");
      await shot(page, "cme");
      await page.goto(`${base}/la-notifications`);
      const queue = await page.locator("main").innerText();
      check(queue.includes("Children missing education: reasonable-enquiries form") &&
            queue.includes("Download as CSV"), "the LA notification queue lists the CME referral");
      await shot(page, "la-notifications");
      await context.close();
    }

    // The graduated approach: the office agrees an action plan for parent1's
    // persistently absent child and reviews the demo's existing plan.
    {
      const parent = await api(base, "parent1");
      const children = (await parent.get("/api/v1/pupils")).pupils;
      const { context, page } = await login(browser, base, "office");
      let planned = null;
      for (const c of children) {
        const support = await office.get(`/api/v1/pupils/${c.id}/support`);
        if (support.events.some((e) => e.kind === "action_plan")) planned = c;
      }
      check(planned !== null, "parent1's persistently absent child has an action plan");
      await page.goto(`${base}/pupils/${planned.id}#support`);
      check((await page.locator("#support").count()) === 1, "the pupil page has the support section");
      await page.locator("summary", { hasText: "Agree an action plan" }).click();
      await page.fill("#targets", "Browser test: in school every day this fortnight");
      await page.fill("#support-offered", "Walking bus from the corner shop");
      const inTwoWeeks = new Date(Date.parse((await office.get("/api/v1/school/summary")).as_of) +
                                  14 * 86400000).toISOString().slice(0, 10);
      await fillDate(page, "#review-date", inTwoWeeks);
      await Promise.all([page.waitForNavigation(),
                         page.locator("form:has(#targets) button").click()]);
      check((await page.locator("main").innerText()).includes("Walking bus from the corner shop"),
            "the new action plan is on the page");
      await page.locator("summary", { hasText: "Review an action plan" }).click();
      await page.selectOption("#outcome-review", "improved");
      await page.fill("#review-notes", "Browser test review: mornings better");
      await Promise.all([page.waitForNavigation(),
                         page.locator("form:has(#outcome-review) button").click()]);
      const text = await page.locator("main").innerText();
      check(text.includes("Browser test review: mornings better") && text.includes("since"),
            "the review quotes the attendance before and since the plan");
      await shot(page, "support");
      await context.close();
    }

    // Part-time timetables: the demo's pupil on one has afternoons coded C2 and
    // a review due; the head agrees another for a pupil of 3A from the page.
    {
      const head = await api(base, "head");
      const pupils = (await head.get("/api/v1/pupils")).pupils;
      let onOne = null;
      for (const p of pupils) {
        const pt = await head.get(`/api/v1/pupils/${p.id}/part-time`);
        if (pt.timetables && pt.timetables.some((t) => t.status === "in_force")) onOne = p;
        if (onOne) break;
      }
      check(onOne !== null, "the demo has a pupil on a part-time timetable");
      const { context, page } = await login(browser, base, "head");
      await page.goto(`${base}/pupils/${onOne.id}#part-time`);
      let text = await page.locator("main").innerText();
      check(text.includes("Part-time timetables") && text.includes("other sessions C2") &&
            text.includes("Next review by"), "the pupil page shows the timetable and its review");
      const other = pupils.find((p) => p.id !== onOne.id && p.class && p.class.name === "3B") ||
                    pupils.find((p) => p.id !== onOne.id);
      await page.goto(`${base}/pupils/${other.id}#part-time`);
      await page.locator("summary", { hasText: "Agree a part-time timetable" }).click();
      const asOf = Date.parse((await head.get("/api/v1/school/summary")).as_of);
      const day = (n) => new Date(asOf + n * 86400000).toISOString().slice(0, 10);
      await fillDate(page, "#pt-start", day(1));
      await fillDate(page, "#pt-end", day(21));
      await fillDate(page, "#pt-review", day(10));
      await page.fill("#pt-reason", "Browser test: anxiety, gradual return");
      await Promise.all([page.waitForNavigation(),
                         page.locator("form:has(#pt-reason) button").click()]);
      text = await page.locator("main").innerText();
      check(text.includes("Browser test: anxiety, gradual return") &&
            text.includes("agreed, not yet started"), "the head agrees a part-time timetable");
      await shot(page, "part-time");
      await context.close();
    }

    // Letters: the office previews who qualifies for an attendance concern
    // letter, records the batch, and prints it as HTML and PDF.
    {
      const { context, page } = await login(browser, base, "office");
      await page.goto(`${base}/letters`);
      await page.selectOption("#letter-template", "attendance_concern");
      await page.selectOption("#letter-group", "school");
      await Promise.all([page.waitForNavigation(),
                         page.locator("form:has(#letter-template) button").click()]);
      const preview = await page.locator("main").innerText();
      const m = /(\d+) letters? to send/.exec(preview);
      check(m !== null && Number(m[1]) > 0, `the preview lists who qualifies: ${m && m[1]}`);
      await Promise.all([page.waitForNavigation(),
                         page.locator("button", { hasText: "Record and send" }).click()]);
      const letters = await page.locator("article.letter").count();
      check(m !== null && letters === Number(m[1]), `the batch shows every letter: ${letters}`);
      check((await page.locator("article.letter").first().innerText()).includes("below the school's target"),
            "each letter quotes the pupil's attendance against the target");
      await shot(page, "letters");
      const href = await page.locator("a", { hasText: "Download all as PDF" }).getAttribute("href");
      const pdf = await page.request.get(base + href);
      check(pdf.status() === 200 && pdf.headers()["content-type"] === "application/pdf" &&
            (await pdf.body()).subarray(0, 5).toString() === "%PDF-", "the batch downloads as a PDF");
      await context.close();
    }

    // Penalty notices: the head takes a case awaiting a decision to a notice
    // and the office records its payment; the demo's ended notice to improve
    // gets its outcome; the unpaid notice is withdrawn; an evidence pack is made.
    {
      const head = await api(base, "head");
      const cases = (await head.get("/api/v1/penalty-cases")).cases;
      const waiting = cases.find((c) => c.stage === "awaiting_decision");
      const ended = cases.find((c) => c.stage === "nti_ended");
      const unpaid = cases.find((c) => c.stage === "unpaid");
      check(waiting && ended && unpaid, "the demo has penalty cases awaiting a decision, with an ended improvement period and unpaid");
      const { context, page } = await login(browser, base, "head");
      await page.goto(`${base}/penalties/${waiting.id}`);
      await page.locator("summary", { hasText: "Record the head's decision" }).click();
      await page.selectOption("#pn-decision", "penalty_notice");
      await page.fill("#pn-reasons", "Browser test: term-time holiday after refusal");
      await Promise.all([page.waitForNavigation(), page.locator("form:has(#pn-reasons) button").click()]);
      await Promise.all([page.waitForNavigation(), page.locator("form:has(#pn-parent) button").click()]);
      let text = await page.locator("main").innerText();
      check(text.includes("Penalty notice (first) issued to") && text.includes("£80.00 by"),
            "the head issues a first notice: £80 within 21 days");
      await shot(page, "penalty");
      await page.goto(`${base}/penalties/${ended.id}`);
      await page.selectOption("#nti-outcome", "not_improved");
      await page.fill("#nti-notes", "Browser test: two more unauthorised days");
      await Promise.all([page.waitForNavigation(), page.locator("form:has(#nti-outcome) button").click()]);
      check((await page.locator("main").innerText()).includes("Not improved: decide on a penalty notice"),
            "the outcome of the improvement period is recorded");
      await page.goto(`${base}/penalties/${unpaid.id}`);
      await page.locator("form:has(input[value=withdrawal]) input[name=text]").fill("Browser test: served at the wrong address");
      await Promise.all([page.waitForNavigation(), page.locator("form:has(input[value=withdrawal]) button").click()]);
      check((await page.locator("main").innerText()).includes("Notice withdrawn"), "the head withdraws the unpaid notice");
      await Promise.all([page.waitForNavigation(), page.locator("button", { hasText: "Generate an evidence pack" }).click()]);
      check(page.url().endsWith(".pdf"), `the evidence pack opens as a PDF: ${page.url()}`);
      await context.close();
      const o = await login(browser, base, "office");
      await o.page.goto(`${base}/penalties/${waiting.id}`);
      await Promise.all([o.page.waitForNavigation(), o.page.locator("button", { hasText: "Record payment" }).click()]);
      text = await o.page.locator("main").innerText();
      check(text.includes("Paid £80.00"), "the office records the £80 payment");
      check((await o.page.locator("summary", { hasText: "Record the head's decision" }).count()) === 0,
            "the office does not decide on penalty notices");
      await o.context.close();
    }

    // Leave of absence: parent1 asks for leave on the parents' page; the head
    // refuses it from the pupil page (a letter is stored); the office codes the
    // demo's refused leave that was taken as G from Today.
    {
      const p = await login(browser, base, "parent1");
      await p.page.goto(`${base}/parent`);
      await p.page.locator("summary", { hasText: "Ask for leave of absence" }).first().click();
      const form = p.page.locator("form[action='/leave/request']").first();
      const head = await api(base, "head");
      const asOf = Date.parse((await head.get("/api/v1/school/summary")).as_of);
      // The first school day a week or more ahead.
      let first = null;
      for (let n = 7; n < 60 && !first; n++) {
        const d = new Date(asOf + n * 86400000).toISOString().slice(0, 10);
        if ((await head.get(`/api/v1/registers/${d}/AM`)).open) first = d;
      }
      check(first !== null, "the calendar has a school day ahead");
      await fillDate(form, "from", first);
      await fillDate(form, "to", first);
      await form.locator("input[name=reason]").fill("Browser test: cousin's wedding");
      await Promise.all([p.page.waitForNavigation(), form.locator("button").click()]);
      check((await p.page.locator("main").innerText()).includes("Browser test: cousin's wedding"),
            "the parent's leave request is on their page");
      await shot(p.page, "leave-parent");
      await p.context.close();
      const requests = (await head.get("/api/v1/leave-requests")).leave_requests;
      const mine = requests.find((r) => r.reason === "Browser test: cousin's wedding");
      check(mine && mine.status === "pending", "the request awaits the head");
      const h = await login(browser, base, "head");
      await h.page.goto(`${base}/pupils/${mine.pupil.id}#leave`);
      const decide = h.page.locator(`form[action='/leave/${mine.id}/decide']`);
      await decide.locator("input[name=reason]").fill("a wedding is not an exceptional circumstance");
      await Promise.all([h.page.waitForNavigation(), decide.locator("button[value=refused]").click()]);
      check((await h.page.locator("#leave + ul").innerText()).includes("refused"),
            "the head refuses the request");
      const after = (await head.get("/api/v1/leave-requests")).leave_requests.find((r) => r.id === mine.id);
      check(after.decision && after.decision.letter_id, "the refusal letter is stored");
      await h.context.close();
      const o = await login(browser, base, "office");
      await o.page.goto(`${base}/today`);
      const code = o.page.locator("form[action$='/taken'] button").first();
      check((await code.count()) === 1, "Today lists the refused leave that was taken");
      await Promise.all([o.page.waitForNavigation(), code.click()]);
      check((await o.page.locator("form[action$='/taken']").count()) === 0,
            "the office codes the refused leave G");
      await o.context.close();
    }

    // Governors: no pupil pages, no names.
    {
      const { context, page } = await login(browser, base, "governor");
      await shot(page, "school");
      await page.goto(`${base}/governors`);
      const report = await page.locator("main").innerText();
      check(report.includes("Year to date") && report.includes("National (primary"),
            "the governors' report has the half-terms and the national figures");
      check(!report.includes(SCRIPT_NAME), "the governors' report names no pupil");
      await shot(page, "governors");
      await page.goto(`${base}/school`);
      const someone = (await office.get("/api/v1/pupils")).pupils[0];
      const text = await page.locator("body").innerText();
      check(!text.includes(someone.name), "the governor's page names no pupil");
      const res = await page.goto(`${base}/pupils/${someone.id}`);
      check(res.status() === 403, `governor gets 403 on a pupil page: ${res.status()}`);
      await context.close();
    }

    // The LA officer: the demo LA's five schools (four primaries and Castle Hill) side by side, a cohort, the
    // mover and the sibling across schools, and a school's targeting pack.
    {
      const { context, page } = await login(browser, base, "la");
      await page.goto(`${base}/la/schools`);
      const table = await page.locator("main table").innerText();
      for (const name of ["Riverside Primary School", "Hillside Primary School",
                          "St Anne's CofE Primary School", "Meadow Lane Primary School",
                          "Castle Hill Academy"]) {
        check(table.includes(name), `the LA comparison lists ${name}`);
      }
      check(table.includes("All 5 schools") && table.includes("National, primary") &&
                table.includes("National, secondary"),
            `the LA comparison has the total and the national figures: ${table.slice(-400)}`);
      await shot(page, "la-schools");
      await page.selectOption("#cohort", "FSM");
      await page.click("main form button");
      check((await page.locator("main caption").innerText()).includes("Free school meals"), "the LA picks the FSM cohort");
      await page.goto(`${base}/la/pupils`);
      const pupils = await page.locator("main").innerText();
      check(/Moved between your schools this year\n[\s\S]*Hillside Primary School[\s\S]*Riverside Primary School/.test(pupils),
            "the LA sees the pupil who moved from Riverside to Hillside");
      check(/Likely siblings[\s\S]*Meadow Lane Primary School/.test(pupils),
            "the LA sees the sibling at Meadow Lane");
      await page.goto(`${base}/la/schools/112605/pack`);
      const pack = await page.locator("main").innerText();
      check(pack.includes("This year so far") && pack.includes("Persistently absent pupils"),
            "Hillside's targeting-support pack");
      const pdf = await page.request.get(`${base}/la/schools/112605/pack.pdf`);
      check(pdf.status() === 200 && pdf.headers()["content-type"] === "application/pdf",
            `the pack as PDF: ${pdf.status()}`);
      await context.close();
      const h = await login(browser, base, "head");
      const refused = await h.page.goto(`${base}/la/schools`);
      check(refused.status() === 403, `the head gets 403 on the LA views: ${refused.status()}`);
      await h.context.close();
    }

  }
  // Checks kept in files of their own (checks_*.mjs, in name order): each
  // default-exports an async function given what the checks here use.
  const here = dirname(fileURLToPath(import.meta.url));
  const axe = "checks_zz_axe.mjs";
  const files = readdirSync(here).filter((f) => /^checks_.*\.mjs$/.test(f)).sort()
    .filter((f) => part === "flows" ? f !== axe : part === "accessibility" ? f === axe : true);
  for (const file of files) {
    const checks = await import(join(here, file));
    await checks.default({ browser, base, dir, login, api, check, shot, startDemo, stopDemo, startServe,
                           pastOpenSession,
                           ukDate, fillDate });
  }

  if (part !== "accessibility") {
    // Narrow screens: the register fits 375 px without horizontal scrolling.
    {
      const { context, page } = await login(browser, base, "office", 375);
      await page.goto(`${base}/today`);
      const { width, widest } = await page.evaluate(() => {
        // What sticks out, outside the boxes that scroll sideways on purpose.
        const out = [...document.querySelectorAll("body *")].filter((e) =>
          !e.closest(".scroll, .scroll-x") && e.getBoundingClientRect().right > window.innerWidth + 1);
        const last = out[out.length - 1];
        return { width: document.documentElement.scrollWidth,
                 widest: last ? `${last.tagName}.${last.className} in ${last.parentElement.className}` : "" };
      });
      check(width <= 400, `Today fits a 375 px screen: ${width}px (${widest})`);
      await context.close();
    }
  }
  check(dialogs === 0, `no page ran a script from the data: ${dialogs} dialogs`);
  check(cspViolations.length === 0,
        `no page broke the Content-Security-Policy: ${cspViolations.slice(0, 3).join("; ")}`);
} catch (e) {
  failed++;
  console.log(`FAIL: ${e.stack}`);
} finally {
  await browser.close();
  proc.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
