// A Common Transfer File received: after `rollcall import-roll --ctf` names
// a pupil of the demo school, their page shows "Attendance at previous
// schools" with each year's figures and attendance rate.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const binary = process.argv[2];

export default async function ({ browser, dir, login, check, shot, startDemo, stopDemo }) {
  const db = join(dir, "ctf.db");
  await stopDemo((await startDemo(db)).proc);  // makes the demo school
  // A pupil of 3A, whose year group the file's first pupil has.
  const [id, upn] = execFileSync("sqlite3", [db, "SELECT p.id || ' ' || p.upn FROM pupils p " +
    "JOIN classes c ON c.id = p.class_id WHERE c.name = '3A' ORDER BY p.id DESC LIMIT 1"])
    .toString().trim().split(" ");
  const ctf = join(dir, "ctf.xml");
  writeFileSync(ctf, readFileSync(join(here, "..", "data", "ctf", "two_pupils.xml"), "utf8")
    .replace("<UPN>N855200125001</UPN>", `<UPN>${upn}</UPN>`));
  let imported = "";
  try {
    imported = execFileSync(binary, ["import-roll", "--db", db, "--ctf", ctf, "--start",
      new Date().toISOString().slice(0, 10), "--user", "office"]).toString();
  } catch (e) {
    imported = `${e.stdout}${e.stderr}`;
  }
  check(imported.includes("1 admitted, 1 updated") &&
        imported.includes("3 years at previous schools"),
        `import-roll --ctf updates the demo pupil: ${imported}`);

  const { proc, base } = await startDemo(db);
  try {
    const { context, page } = await login(browser, base, "office");
    await page.goto(`${base}/pupils/${id}`);
    const heading = page.locator("main h2", { hasText: "Attendance at previous schools" });
    check((await heading.count()) === 1, "the pupil's page has Attendance at previous schools");
    const rows = await page.locator("main h2:has-text('Attendance at previous schools') + p + table tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.innerText.trim())));
    check(JSON.stringify(rows) === JSON.stringify([
      ["2024/25", "Oakfield Primary School", "380", "95.0%", "15", "4"],
      ["2025/26", "Oakfield Primary School", "13", "76.9%", "3", "0"],
    ]), `each year at Oakfield with its rate: ${JSON.stringify(rows)}`);
    if ((await heading.count()) === 1) {
      await heading.scrollIntoViewIfNeeded();
      await shot(page, "pupil-previous-schools");
    }
    await context.close();
  } finally {
    await stopDemo(proc);
  }
}
