// Medical evidence: a parent sends a photo (a PNG) from the parents' page
// and sees it listed; the office finds it on the pupil's page and downloads
// it, byte for byte, as an attachment of its type; a file named .pdf that is
// really a PNG is refused with the reason on the page.
// Adds evidence to the shared demo (append-only, as a family would).

// A 1x1 PNG, built as bytes here: a real file libmagic reads as image/png.
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55" +
    "0000000a49444154789c636000000002000148afa4710000000049454e44ae426082",
  "hex");

export default async function ({ browser, base, login, check, shot }) {
  const name = `inhaler-${Date.now()}.png`;
  let pupilId = "";
  {
    const { context, page } = await login(browser, base, "parent1");
    const form = page.locator("form[action='/parent/evidence']").first();
    check((await form.count()) === 1, "the parents' page has the medical evidence form");
    pupilId = await form.locator("input[name=pupil]").inputValue();
    check((await form.getAttribute("enctype")) === "multipart/form-data",
          "the evidence form sends a file (multipart/form-data)");
    await form.locator("input[name=file]").setInputFiles({ name, mimeType: "image/png", buffer: PNG });
    await Promise.all([page.waitForNavigation(), form.locator("button[type=submit]").click()]);
    check((await page.locator(".govuk-notification-banner").innerText()).includes("Medical evidence sent"),
          "the parent is told the evidence was sent");
    await page.goto(`${base}/parent`);
    check((await page.locator(`#evidence-${pupilId}`).innerText()).includes(name),
          "the parent sees the file listed under Medical evidence");
    await shot(page, "parent-evidence");

    // A PNG named .pdf is refused, saying what it is.
    const again = page.locator("form[action='/parent/evidence']").first();
    await again.locator("input[name=file]").setInputFiles({ name: "scan.pdf", mimeType: "application/pdf", buffer: PNG });
    const [refused] = await Promise.all([page.waitForNavigation(), again.locator("button[type=submit]").click()]);
    const problem = await page.locator(".govuk-error-summary").innerText().catch(() => "");
    check(refused && refused.status() === 400, `the misnamed file is refused with 400: ${refused && refused.status()}`);
    check(problem.includes("is a PNG image, not a PDF"), `the refusal says what the file is: ${problem}`);
    await context.close();
  }
  {
    const { context, page } = await login(browser, base, "office");
    await page.goto(`${base}/pupils/${pupilId}`);
    const section = page.locator("#evidence");
    check((await section.innerText()).includes(name), "the office sees the parent's file on the pupil's page");
    const link = section.locator("a", { hasText: name }).first();
    const href = await link.getAttribute("href");
    check(/^\/evidence\/\d+$/.test(href || ""), `the file links to its download: ${href}`);
    const res = await page.request.get(`${base}${href}`);
    const body = await res.body();
    check(res.status() === 200 && res.headers()["content-type"] === "image/png",
          `the download is the PNG: ${res.status()} ${res.headers()["content-type"]}`);
    check((res.headers()["content-disposition"] || "").startsWith("attachment;"),
          "the download is an attachment, never shown in the page");
    check(res.headers()["x-content-type-options"] === "nosniff", "the download is never sniffed");
    check(Buffer.compare(body, PNG) === 0, "the download is the file, byte for byte");
    await context.close();
  }
}
