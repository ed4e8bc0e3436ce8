// A pupil's contacts as the office keeps them: with one emergency contact the
// page warns, and adding a second clears the warning; contacts not confirmed
// this school year are on the list to check until the office confirms them;
// a cohort flag added from today shows with its dates. The pupil's contacts
// are put back as they were, except that they stay confirmed and the pupil
// keeps the free school meals flag.
export default async function ({ browser, base, login, api, check, shot }) {
  const office = await api(base, "office");
  const listed = (await office.get("/api/v1/pupils")).pupils
    .filter((p) => p.on_roll && !p.name.includes("<"));
  // A pupil with two emergency contacts and no free school meals.
  let pupil = null;
  for (const p of listed.slice(0, 60)) {
    const full = await office.get(`/api/v1/pupils/${p.id}`);
    if (full.contacts.length === 2 && full.contacts.every((c) => c.emergency) &&
        !full.cohort_flags.some((f) => f.flag === "FSM")) {
      pupil = full;
      break;
    }
  }
  check(pupil, "the demo has a pupil with two emergency contacts and no free school meals");
  if (!pupil) return;

  const { context, page } = await login(browser, base, "office");
  const submit = (form) => Promise.all([page.waitForNavigation(), form.locator("button").click()]);
  const setEmergency = async (n, on) => {
    await page.goto(`${base}/pupils/${pupil.id}`);
    await page.locator(`#contact-${n} summary`).click();
    const box = page.locator(`#contact-${n}-emergency`);
    if (on) await box.check();
    else await box.uncheck();
    await submit(page.locator(`#contact-${n} form`));
  };

  // One emergency contact: the warning says the policy asks for two.
  await setEmergency(2, false);
  const warning = page.locator("#emergency-warning");
  check((await warning.count()) === 1 &&
        (await warning.innerText()).includes(
          "Only one emergency contact: the school's policy asks for two"),
        "with one emergency contact the pupil page warns the office");

  // The office adds a second emergency contact; the warning goes.
  await page.locator("#contact-add summary").click();
  await page.fill("#contact-new-name", "Jo Sample");
  await page.fill("#contact-new-relationship", "Aunt");
  await page.fill("#contact-new-phone", "+44 7700 900999");
  await page.locator("#contact-new-emergency").check();
  await submit(page.locator("#contact-add form"));
  check((await page.locator("#emergency-warning").count()) === 0,
        "a second emergency contact clears the warning");
  check((await page.locator("#contact-3").innerText()).includes("07700 900999"),
        "the new contact's number is kept as UK numbers are written");

  // The new contact is not yet confirmed (the demo's families confirmed theirs in
  // September): on the list to check, with a button on the page.
  const toCheck = await context.newPage();
  await toCheck.goto(`${base}/pupils/contacts-to-check`);
  check((await toCheck.locator(`#check-${pupil.id}`).count()) === 1,
        "the pupil is on the list of contacts to check");
  check((await page.locator("#check-warning").innerText()).includes("Contacts not"),
        "the pupil page says the contacts are not checked");
  await submit(page.locator("form[action$='/contacts/confirm']"));
  check((await page.locator("#check-warning").count()) === 0 &&
        (await page.locator("#contact-1").innerText()).includes("Confirmed by the family on"),
        "confirming the contacts clears the warning and dates each contact");
  await toCheck.reload();
  check((await toCheck.locator(`#check-${pupil.id}`).count()) === 0,
        "once confirmed, the pupil is off the list to check");
  await toCheck.close();

  // Free school meals from today: listed with its dates, and in the record.
  await page.locator("#flag-add summary").click();
  await page.locator("#flag-add-flag").selectOption("FSM");
  await submit(page.locator("#flag-add form"));
  const flags = await page.locator("#cohort-flags + table").innerText();
  check(flags.includes("Free school meals") && flags.includes("still held"),
        `the flag shows on the pupil page from today: ${flags}`);
  const after = await office.get(`/api/v1/pupils/${pupil.id}`);
  check(after.cohort_flags.some((f) => f.flag === "FSM" && f.to === null),
        "the flag is in the pupil's record");
  await shot(page, "pupil-contacts");

  // The contacts as they were: the aunt removed, the second an emergency contact again.
  await page.locator("#contact-order summary").click();
  await submit(page.locator("#order-3 form").filter({ hasText: "Remove" }));
  await setEmergency(2, true);
  const restored = (await office.get(`/api/v1/pupils/${pupil.id}`)).contacts;
  check(restored.length === 2 && restored.every((c) => c.emergency),
        "the pupil's contacts are put back");
  await context.close();
}
