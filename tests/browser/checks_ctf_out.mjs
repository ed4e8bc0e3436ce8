// Common Transfer Files out, on a demo of its own (it takes a pupil off the
// roll, which the shared demo's other checks must not see): the office
// takes a pupil off the roll to a school named by its DfE number; the
// pupil's page then offers the file, the Transfer files page lists it as
// not produced with its due day, and its Download gives an XML file named
// for the DfE's service, after which the row says it was produced.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const TODAY = "2026-12-02";

async function submit(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name }).click()]);
}

export default async function (t) {
  const { browser, login, check, shot, startDemo, stopDemo } = t;
  const { proc, base } = await startDemo(join(t.dir, "ctf-out.db"), `${TODAY}T08:46`);
  try {
    const { context, page } = await login(browser, base, "office");
    const pupils = await (await page.request.get(`${base}/api/v1/pupils`)).json();
    const onRoll = pupils.pupils.filter((p) => p.on_roll === true);
    const id = onRoll[onRoll.length - 1].id;

    await page.goto(`${base}/pupils/${id}/leave`);
    await page.check("#ground-a");
    await page.fill("#destination", "Oak Academy (855/2345)");
    await submit(page, "Take off the roll");
    const section = page.locator("main h2", { hasText: "Common Transfer File" });
    check((await section.count()) === 1, "the leaver's page offers the Common Transfer File");

    await page.goto(`${base}/transfers`);
    const row = page.locator("main tr").filter({ has: page.locator(`a[href="/pupils/${id}"]`) });
    check((await row.count()) === 1, "the Transfer files page lists the leaver");
    if ((await row.count()) !== 1) {
      await context.close();
      return;
    }
    const before = await row.innerText();
    check(before.includes("2 December 2026") && before.includes("Oak Academy (855/2345)") &&
          before.includes("Not produced yet"),
          `the row gives the last day, the destination and that it is not produced: "${before}"`);
    await shot(page, "transfer-files");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      row.getByRole("button", { name: "Download" }).click(),
    ]);
    const name = download.suggestedFilename();
    check(/^\d{7}_CTF_8552345_2026-12-02\.xml$/.test(name), `the file is named for the DfE: ${name}`);
    const xml = readFileSync(await download.path(), "utf8");
    check(xml.includes("<CTfile>") && xml.includes("<CTFversion>25.0</CTFversion>") &&
          xml.includes("<Sex>") && xml.includes("<YearData>"),
          "the file is a CTF 25 with the pupil's attendance");
    await page.goto(`${base}/transfers`);
    const after = await page.locator("main tr")
      .filter({ has: page.locator(`a[href="/pupils/${id}"]`) }).innerText();
    check(after.includes("Produced"), `the row then says the file was produced: "${after}"`);
    await context.close();
  } finally {
    await stopDemo(proc);
  }
}
