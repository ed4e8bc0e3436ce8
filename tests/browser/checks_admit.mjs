// The admission register in the browser, on a demo of its own (it adds and
// removes a pupil, which the shared demo's other checks must not see): the
// office admits a pupil from the pupils list, corrects their name with a
// reason (the entry's history shows it), and takes them off the roll on
// ground (a), which needs the new school named; the deletion notice is then
// due on the LA notifications page.
import { join } from "node:path";

const TODAY = "2026-12-02";

// A UPN's check letter from its other twelve characters (all digits here).
function withCheckLetter(twelve) {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelve[i]) * (i + 2);
  return "ABCDEFGHJKLMNPQRTUVWXYZ"[sum % 23] + twelve;
}

async function fillDate(page, name, iso) {
  const [year, month, day] = iso.split("-").map(Number);
  await page.locator(`input[name=${name}-day]`).fill(String(day));
  await page.locator(`input[name=${name}-month]`).fill(String(month));
  await page.locator(`input[name=${name}-year]`).fill(String(year));
}

async function submit(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name }).click()]);
}

export default async function (t) {
  const { browser, login, check, shot, startDemo, stopDemo } = t;
  const { proc, base } = await startDemo(join(t.dir, "admit.db"), `${TODAY}T08:46`);
  try {
    const { context, page } = await login(browser, base, "office");
    const upn = withCheckLetter("999999926901");

    // Admit: from the pupils list, every statutory entry on one form.
    await page.goto(`${base}/pupils`);
    const admit = page.locator('main a[href="/pupils/new"]');
    check((await admit.count()) === 1, "the pupils list links to Admit a pupil for the office");
    await Promise.all([page.waitForNavigation(), admit.click()]);
    await page.fill("#upn", upn.toLowerCase());
    await page.fill("#legal_given_name", "Zofia");
    await page.fill("#legal_family_name", "Nowakowska");
    await page.check("#sex-F");
    await fillDate(page, "date_of_birth", "2019-03-14");
    await page.selectOption("#year_group", "3");
    await page.fill("#previous_school", "Elm Primary, Leicester");
    await page.fill("#contact1_name", "Anna Nowakowska");
    await page.fill("#contact1_relationship", "Mother");
    await page.fill("#contact1_phone", "07700 900321");
    await page.fill("#contact1_address", "4 Mill Lane\nHinckley");
    await page.fill("#contact1_postcode", "le10 1aa");
    await page.check("#contact1_parental_responsibility");
    await page.check("#contact1_lives_with");
    // No emergency contact yet: the form says so and keeps what was typed.
    await submit(page, "Admit the pupil");
    const problem = await page.locator(".govuk-error-summary").innerText().catch(() => "");
    check(/emergency contact/.test(problem), `admitting with no emergency contact is refused: "${problem}"`);
    check((await page.inputValue("#legal_family_name")) === "Nowakowska",
          "the refused form keeps the values typed");
    await page.check("#contact1_emergency");
    await submit(page, "Admit the pupil");
    const path = new URL(page.url()).pathname;
    const id = (path.match(/^\/pupils\/(\d+)$/) || [])[1];
    check(id !== undefined, `admitting opens the new pupil's page: ${page.url()}`);
    if (!id) {
      await context.close();
      return;
    }
    const admitted = await page.locator("main").innerText();
    check(admitted.includes("Pupil admitted"), "the pupil's page says the pupil was admitted");
    check(/Admission register/.test(admitted) && admitted.includes("Elm Primary, Leicester"),
          "the pupil's page shows the admission register entry");
    await shot(page, "admission-entry");

    // Correct the name: a reason is required, and the history keeps it.
    await page.goto(`${base}/pupils/${id}/edit`);
    await page.fill("#legal_family_name", "Nowak");
    await submit(page, "Save the correction");
    const noReason = await page.locator(".govuk-error-summary").innerText().catch(() => "");
    check(/reason/.test(noReason), `a correction without a reason is refused: "${noReason}"`);
    await page.fill("#reason", "Birth certificate seen");
    await submit(page, "Save the correction");
    check(new URL(page.url()).pathname === `/pupils/${id}`,
          `the correction returns to the pupil: ${page.url()}`);
    const history = await page.locator("main table").filter({ hasText: "Legal family name" })
      .innerText().catch(() => "");
    check(/Nowakowska/.test(history) && /Nowak\b/.test(history) &&
          history.includes("Birth certificate seen") && history.includes("(office)"),
          `the entry's history shows the old and new name with the reason: "${history}"`);

    // Off the roll on ground (a): the new school must be named.
    await page.goto(`${base}/pupils/${id}/leave`);
    check((await page.locator("input[name=ground]").count()) === 15,
          "the leaving page offers the fifteen grounds");
    await page.check("#ground-a");
    await submit(page, "Take off the roll");
    const unnamed = await page.locator(".govuk-error-summary").innerText().catch(() => "");
    check(/new school named/.test(unnamed),
          `ground (a) without the new school is refused, saying why: "${unnamed}"`);
    await page.check("#ground-a");
    await page.fill("#destination", "Oak Academy, Hinckley");
    await shot(page, "leave-roll");
    await submit(page, "Take off the roll");
    const left = await page.locator("main").innerText();
    check(left.includes("taken off the roll") && left.includes("Oak Academy, Hinckley"),
          "the pupil's page says they left, with the destination");

    // The LA's deletion notice is due.
    await page.goto(`${base}/la-notifications`);
    const row = page.locator("main tr").filter({ hasText: "Deletion from the admission register" })
      .filter({ has: page.locator(`a[href="/pupils/${id}"]`) });
    check((await row.count()) === 1, "the deletion is on the LA notifications page");
    if ((await row.count()) === 1) {
      const text = await row.innerText();
      check(/due/i.test(text) && text.includes("ground (a)"),
            `the deletion notice is due and gives the ground: "${text}"`);
    }
    await context.close();
  } finally {
    await stopDemo(proc);
  }
}
