// The demo school as one that has kept its admission register since
// September, on the shared demo: the office's contacts to check are a short
// list (families who have not sent their sheet back, pupils with one
// emergency contact), not the whole roll, and Today counts the same; the
// LA's deletion notices give what the rules ask for. What each check saw
// before: every pupil on roll was listed as "not yet checked", none for one
// emergency contact; a deletion gave only the ground's letter and the
// destination.
export default async function ({ browser, base, login, api, check }) {
  const office = await api(base, "office");
  const onRoll = (await office.get("/api/v1/pupils")).pupils.filter((p) => p.on_roll).length;

  {
    const { context, page } = await login(browser, base, "office");
    await page.goto(`${base}/pupils/contacts-to-check`);
    const listed = await page.locator("tbody tr[id^='check-']").count();
    const text = await page.locator("main").innerText();
    check(listed >= 3 && listed <= onRoll / 8,
          `the contacts to check are a short list: ${listed} of ${onRoll} pupils on roll`);
    check(text.includes("Contacts not yet checked with the family") &&
          text.includes("Only one emergency contact"),
          "the list has families yet to confirm and pupils with one emergency contact");
    await page.goto(`${base}/today`);
    const today = await page.locator("#contacts-to-check + p").innerText().catch(() => "");
    check(today.startsWith(`${listed} pupil`), `Today counts the same pupils: "${today}"`);
    await context.close();
  }

  {
    const { context, page } = await login(browser, base, "la");
    await page.goto(`${base}/la-notifications`);
    const rows = page.locator("main tr").filter({ hasText: "Deletion from the admission register" });
    const texts = await rows.allInnerTexts();
    check(texts.length >= 1, `the LA has the demo's deletions: ${texts.length}`);
    const complete = (text) =>
      /last day on roll \d{1,2} [A-Z][a-z]+ \d{4}/.test(text) &&
      /Left on ground \([a-o]\): [A-Z]/.test(text) && /Destination: \S/.test(text) &&
      /Home address: .*CA\d/.test(text) && /Parents: [A-Z]/.test(text) &&
      /Emergency phone: 07700 900\d{3} \(/.test(text);
    check(texts.length >= 1 && texts.every(complete),
          `each deletion gives the name, last day, ground in words, destination, address, parents and an emergency phone: "${texts.find((t) => !complete(t)) ?? ""}"`);
    await context.close();
  }
}
