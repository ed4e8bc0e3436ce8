// The words of the school's messages as the head changes them: from
// Settings to the templates page, the day-one text with a field the message
// does not have refused with the head's words kept, then saved, then put
// back to the default words (so later checks see the defaults).
export default async function ({ browser, base, login, check, shot }) {
  const { context, page } = await login(browser, base, "head");
  try {
    await page.goto(`${base}/settings`);
    await Promise.all([page.waitForNavigation(), page.click('a[href="/settings/templates"]')]);
    check((await page.locator("h1").innerText()).includes("Message templates"),
          "Settings links to the message templates page");
    const section = page.locator("#template-day_one");
    check((await section.locator("dt code", { hasText: "{{report_link}}" }).count()) === 1,
          "the day-one message lists its fields beside the editor");

    const wrong = "{{pupil_first_name}} is not in today. {{parent_name}}, please call.";
    await section.locator('textarea[name="sms_body"]').fill(wrong);
    await Promise.all([page.waitForNavigation(),
                       section.locator('button[value="save"]').click()]);
    const summary = page.locator(".govuk-error-summary");
    check((await summary.count()) >= 1 &&
          (await summary.first().innerText()).includes("{{parent_name}} is not a field"),
          "a field the message does not have is refused, naming it");
    check((await page.locator('#template-day_one textarea[name="sms_body"]').inputValue()) === wrong,
          "the head's words are kept to put right");
    await shot(page, "templates-refused");

    const right = "{{school_name}}: {{pupil_first_name}} is not in today. Please tell us why.";
    await page.locator('#template-day_one textarea[name="sms_body"]').fill(right);
    await Promise.all([page.waitForNavigation(),
                       page.locator('#template-day_one button[value="save"]').click()]);
    check((await page.locator(".govuk-notification-banner").innerText())
            .includes("the new words are saved"),
          "the new words are saved");
    check((await page.locator('#template-day_one textarea[name="sms_body"]').inputValue()) === right,
          "the saved words are shown");
    check((await page.locator("#day_one-sms-length").innerText()).includes("1 part"),
          "the text's length is shown in parts");
    await shot(page, "templates-saved");

    await Promise.all([page.waitForNavigation(),
                       page.locator('#template-day_one button[value="reset"]').click()]);
    check((await page.locator(".govuk-notification-banner").innerText())
            .includes("back to the default words"),
          "the default words can be put back");
    check((await page.locator('#template-day_one textarea[name="sms_body"]').inputValue()) !== right,
          "the default words are shown again");
  } finally {
    await context.close();
  }
}
