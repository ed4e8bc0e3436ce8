// The second factor as a teacher uses it: from their account they set it up
// by the QR code (an image the page's policy lets through) or the key shown
// beside it, switch it on with a code from the "app" (computed here with
// HMAC-SHA1, as RFC 6238 says), and are shown ten recovery codes once. The
// login then asks for a code after the password; a recovery code does
// instead of the phone; turning it off takes the password and a code, and
// the password alone logs in again. A demo of its own on the real clock,
// when the shared one runs on another (ROLLCALL_DEMO_NOW): the codes follow
// the server's clock.
import { createHmac } from "node:crypto";
import { join } from "node:path";

// RFC 4648 base32 (letters and 2-7, any spaces or padding ignored) to bytes.
function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of text.replace(/[\s=]/g, "").toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

// The 6-digit code of `secret` for the 30-second step of `seconds`.
function totp(secret, seconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = createHmac("sha1", secret).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(at) & 0x7fffffff) % 1000000;
  return String(value).padStart(6, "0");
}

async function logInWithPassword(browser, base, user) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill("#username", user);
  await page.fill("#password", "rollcall-demo");
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  return { context, page };
}

export default async function (t) {
  const { browser, login, check, shot, startDemo, stopDemo } = t;
  const own = process.env.ROLLCALL_DEMO_NOW ? await startDemo(join(t.dir, "totp.db"), null) : null;
  const base = own ? own.base : t.base;
  const user = "teacher14";
  try {
    const { context, page } = await login(browser, base, user);
    await page.goto(`${base}/account`);
    check((await page.locator('main a[href="/account/second-factor"]').count()) === 1,
          "Your account links to the second factor");
    await page.goto(`${base}/account/second-factor`);
    await Promise.all([page.waitForNavigation(),
                       page.click('main button:has-text("Set up a second factor")')]);
    const qr = page.locator("#second-factor-qr");
    check((await qr.count()) === 1, "the QR code is shown");
    const drawn = await qr.evaluate((img) => img.complete && img.naturalWidth > 0);
    check(drawn, "the QR code image loads under the page's Content-Security-Policy");
    const secretText = (await page.locator("#second-factor-secret").innerText()).trim();
    check(/^[A-Z2-7 ]{32,40}$/.test(secretText), `the key is shown as text: ${secretText}`);
    const uri = await page.locator("#second-factor-uri").textContent();
    check(uri.startsWith("otpauth://totp/") && uri.includes(`secret=${secretText.replace(/ /g, "")}`),
          `the otpauth address holds the key: ${uri}`);
    await shot(page, "second-factor-enrol");
    const secret = base32(secretText);
    const now = () => Date.now() / 1000;

    await page.fill("#code", totp(secret, now()));
    await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Turn on")')]);
    const codes = await page.locator("#recovery-codes li").allInnerTexts();
    check(codes.length === 10, `ten recovery codes are shown: ${codes.length}`);
    await page.goto(`${base}/account/second-factor`);
    check((await page.locator("#second-factor-state").innerText()).includes("on"),
          "the account page says the second factor is on");
    check((await page.locator("#second-factor-secret").count()) === 0, "the key is never shown again");

    // The password alone now leads to the code. The code that switched it
    // on cannot be used again, so the next step's (a phone a little ahead).
    {
      const next = await logInWithPassword(browser, base, user);
      check(new URL(next.page.url()).pathname === "/login/code",
            `after the password comes the code: ${next.page.url()}`);
      await shot(next.page, "second-factor-login");
      await next.page.fill("#code", totp(secret, now() + 30));
      await Promise.all([next.page.waitForNavigation(), next.page.click("main button[type=submit]")]);
      check(new URL(next.page.url()).pathname === "/register",
            `the code logs the teacher in: ${next.page.url()}`);
      await next.context.close();
    }
    // A recovery code instead of the phone, once.
    {
      const next = await logInWithPassword(browser, base, user);
      await next.page.fill("#code", codes[0]);
      await Promise.all([next.page.waitForNavigation(), next.page.click("main button[type=submit]")]);
      check(new URL(next.page.url()).pathname === "/register",
            `a recovery code logs the teacher in: ${next.page.url()}`);
      await next.context.close();
    }
    {
      const next = await logInWithPassword(browser, base, user);
      await next.page.fill("#code", codes[0]);
      await Promise.all([next.page.waitForNavigation(), next.page.click("main button[type=submit]")]);
      check(new URL(next.page.url()).pathname === "/login/code" &&
              (await next.page.locator(".govuk-error-summary").count()) === 1,
            `a used recovery code is refused: ${next.page.url()}`);
      await next.context.close();
    }

    // Off again, with the password and a code, so the demo's teacher logs in
    // as every other check expects.
    await page.goto(`${base}/account/second-factor`);
    await page.fill("#off_password", "rollcall-demo");
    await page.fill("#off_code", codes[1]);
    await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Turn off")')]);
    check((await page.locator("main").innerText()).includes("Your second factor is turned off."),
          "the teacher turns the second factor off");
    await context.close();
    const plain = await logInWithPassword(browser, base, user);
    check(new URL(plain.page.url()).pathname === "/register",
          `the password alone logs in again: ${plain.page.url()}`);
    await plain.context.close();
  } finally {
    if (own) await stopDemo(own.proc);
  }
}
