// Accessibility: axe-core checks WCAG 2.0, 2.1 and 2.2 (A and AA) on every
// page each demo role can reach, at 1280 and 375 px, and finds nothing.
//
// The pages come from the route table (src/web/app.cc): every HTML page
// without an id, then the pages with ids that the role's own pages link to
// (a pupil, a penalty case, a letter, a batch, an LA school's pack). Named
// last (zz) so it sees the demo after the other checks have added to it.
//
// axe is added to each page as a script of its own; the pages'
// Content-Security-Policy allows only the server's scripts, so these
// contexts alone bypass it (every other check runs under the policy).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const WIDTHS = [1280, 375];
// The demo's accounts, one a role (src/demo/people.cc).
const USERS = ["office", "head", "teacher1", "parent1", "governor", "la"];
// The route table's GET pages without an id; the server answers 403 where a
// role may not look, and those are left out.
const PAGES = ["/account", "/today", "/register", "/amendments", "/school", "/governors", "/rewards",
               "/la-notifications", "/la/schools", "/la/pupils", "/penalties", "/letters",
               "/settings", "/settings/templates", "/users", "/parent",
               "/pupils/contacts-to-check", "/account/second-factor", "/second-factor",
               "/reception", "/transport"];
// The route table's pages with ids, as links to them look.
const LINKED = [/^\/pupils\/\d+$/, /^\/penalties\/\d+$/, /^\/letters\/\d+$/,
                /^\/letters\/batch\/\d+$/, /^\/la\/schools\/\d+\/pack$/];

async function newPage(browser, width) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
  return { context, page: await context.newPage() };
}

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
  }, TAGS);
}

export default async function ({ browser, base, api, check }) {
  let pages = 0;
  let found = 0;
  // Runs axe on the page as it stands at each width.
  async function audit(page, who, path) {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      const violations = await axeViolations(page);
      for (const v of violations) {
        for (const target of v.targets) {
          console.log(`axe: ${v.id} (${v.impact}) on ${path} as ${who} at ${width}px: ${target} ` +
                      `- ${v.help}`);
        }
      }
      found += violations.length;
      check(violations.length === 0,
            `axe finds no WCAG 2.2 AA violation on ${path} as ${who} at ${width}px: ` +
            violations.map((v) => v.id).join(", "));
    }
    pages++;
  }

  // Before logging in: the login page, its error summary and a missing page.
  {
    const { context, page } = await newPage(browser, 1280);
    await page.goto(`${base}/login`);
    await audit(page, "nobody", "/login");
    await page.fill("#username", "office");
    await page.fill("#password", "not the password");
    await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
    await audit(page, "nobody", "/login (wrong password)");
    await page.goto(`${base}/no-such-page`);
    await audit(page, "nobody", "/no-such-page");
    await context.close();
  }

  const office = await api(base, "office");
  const classes = (await office.get("/api/v1/classes")).classes;
  for (const user of USERS) {
    const { context, page } = await newPage(browser, 1280);
    await page.goto(`${base}/login`);
    await page.fill("#username", user);
    await page.fill("#password", "rollcall-demo");
    await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
    const queue = [...PAGES];
    if (user === "office" || user === "head") {
      queue.push(`/register?class=${classes[0].id}`);
    }
    const seen = new Set();
    const linked = new Set();
    while (queue.length > 0) {
      const path = queue.shift();
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await page.goto(base + path);
      if (res.status() === 403 || res.status() === 404) continue;
      if (!(res.headers()["content-type"] || "").startsWith("text/html")) continue;
      await audit(page, user, path);
      // The first link of each kind with an id leads to one more page.
      const hrefs = await page.$$eval("main a[href^='/']", (as) =>
        as.map((a) => a.getAttribute("href").split("#")[0]));
      for (const pattern of LINKED) {
        const href = hrefs.find((h) => pattern.test(h));
        if (href && !linked.has(pattern)) {
          linked.add(pattern);
          queue.push(href);
        }
      }
    }
    await context.close();
  }
  console.log(`axe: ${pages} pages checked at ${WIDTHS.join(" and ")} px, ${found} violations`);
  check(pages >= 30, `axe checked every role's pages: ${pages}`);
}
