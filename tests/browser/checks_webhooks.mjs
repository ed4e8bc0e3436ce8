// Webhooks as the head sets them up: from Settings to the Webhooks page, an
// address that is not https refused with what was typed kept, a subscription
// added with its secret shown, a test event sent to a receiver on this
// machine (which checks the signature) and the delivery log showing it
// delivered.
import { createHmac } from "node:crypto";
import { createServer } from "node:http";

export default async function ({ browser, base, login, check, shot }) {
  const received = [];
  let secret = "";
  const receiver = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const stamp = req.headers["rollcall-timestamp"] ?? "";
      const want = "v1=" + createHmac("sha256", secret).update(`${stamp}.`).update(body)
        .digest("hex");
      received.push({ event: req.headers["rollcall-event"],
                      signed: req.headers["rollcall-signature"] === want });
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${receiver.address().port}/hook`;

  const { context, page } = await login(browser, base, "head");
  try {
    await page.goto(`${base}/settings`);
    await Promise.all([page.waitForNavigation(), page.click('a[href="/settings/webhooks"]')]);
    check((await page.locator("h1").innerText()).includes("Webhooks"),
          "Settings links to the Webhooks page");

    await page.fill("#url", "http://receiver.example/hook");
    await page.check('input[name="kind_pupil.deleted"]');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Add subscription")')]);
    check((await page.locator(".govuk-error-summary").count()) === 1,
          "an address that is not https is refused");
    check((await page.inputValue("#url")) === "http://receiver.example/hook" &&
          (await page.isChecked('input[name="kind_pupil.deleted"]')),
          "the address and the events typed are kept");

    await page.fill("#url", url);
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Add subscription")')]);
    const banner = await page.locator(".govuk-notification-banner").innerText();
    const found = banner.match(/whsec_[0-9a-f]+/);
    check(found !== null, `the secret is shown once added: ${banner}`);
    secret = found ? found[0] : "";
    await shot(page, "webhooks-added");

    const row = page.locator("main tbody tr", { hasText: url });
    await Promise.all([page.waitForNavigation(),
                       row.locator("button", { hasText: "Send a test event" }).click()]);
    check((await page.locator(".govuk-notification-banner").innerText()).includes("Test event queued"),
          "the test event is queued");
    // The server's background loop sends it within seconds.
    const deadline = Date.now() + 15000;
    while (received.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    check(received.length === 1 && received[0].event === "webhook.test" && received[0].signed,
          `the receiver got one signed test event: ${JSON.stringify(received)}`);
    // The receiver answers before the server records the answer: reload
    // the log until it has.
    // The delivery log is the page's last table (the subscriptions' event
    // lists may hold the same words).
    const log = page.locator("main table").last().locator("tbody tr", { hasText: "A test" });
    const logDeadline = Date.now() + 10000;
    let delivered = false;
    let seen = "";
    while (!delivered && Date.now() < logDeadline) {
      await page.goto(`${base}/settings/webhooks?state=delivered`);
      seen = (await log.count()) >= 1 ? await log.first().innerText() : "no row";
      delivered = seen.includes("Delivered");
      if (!delivered) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    check(delivered, `the delivery log shows the test delivered: ${seen}`);
    await shot(page, "webhooks-log");

    // Deleted, so later checks and runs send nothing to this receiver.
    await page.goto(`${base}/settings/webhooks`);
    await Promise.all([page.waitForNavigation(),
                       page.locator("main tbody tr", { hasText: url }).locator("button",
                         { hasText: "Delete" }).click()]);
    check(!(await page.locator("main table").first().innerText()).includes(url),
          "a deleted subscription leaves the list of subscriptions");
  } finally {
    await context.close();
    receiver.close();
  }
}
