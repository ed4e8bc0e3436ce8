// Checks API v1 against its OpenAPI description (src/web/openapi.json): the
// document is valid OpenAPI 3.1, the server serves that same document, and
// real traffic to `rollcall demo` matches it. Every documented operation is
// called at least once with a valid request and answers 2xx; the main
// refusals (400, 401, 403, 404, 405) are called too. Each request body sent
// as valid must fit its schema (and each sent as invalid must not), and each
// answer's status must be documented for its operation with a body that fits
// the schema for that status. Anything the server answers that the document
// does not describe is a failure.
//
// Usage: node openapi_check.mjs ROLLCALL_BINARY
// Uses the packages of tests/browser (ajv, ajv-formats and
// @seriousme/openapi-schema-validator, pinned by its package-lock.json).
// Prints "N passed, M failed" last; exits 1 on any failure.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "..", "browser", "package.json"));
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;
const { Validator } = await import(
  pathToFileURL(require.resolve("@seriousme/openapi-schema-validator")).href
);

const binary = process.argv[2];
if (!binary) {
  console.log("usage: node openapi_check.mjs ROLLCALL_BINARY");
  process.exit(2);
}
const docFile = join(here, "..", "..", "src", "web", "openapi.json");
const doc = JSON.parse(readFileSync(docFile, "utf8"));

let passed = 0;
let failed = 0;
function check(cond, what) {
  if (cond) passed++;
  else {
    failed++;
    console.log(`FAIL: ${what}`);
  }
}

// ---------------------------------------------------------------------------
// The document and its schemas

const BASE = "https://rollcall.invalid/openapi.json";
// Schemas are compiled from the document itself (by JSON pointer), so a
// $ref to #/components/schemas/... resolves as an OpenAPI reader would.
function newAjv(document) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, BASE);
  return ajv;
}
const ajv = newAjv(doc);
const compiled = new Map();
function pointer(...parts) {
  return parts
    .map((p) => "/" + encodeURIComponent(String(p).replace(/~/g, "~0").replace(/\//g, "~1")))
    .join("");
}
function validator(at, withAjv = ajv, cache = compiled) {
  if (!cache.has(at)) cache.set(at, withAjv.compile({ $ref: `${BASE}#${at}` }));
  return cache.get(at);
}
function errorsOf(validate) {
  return (validate.errors || [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || "/"} ${e.message}`)
    .join("; ");
}

// The documented path that `path` (no query) reaches: the template that fits
// with the most literal segments, as the server's route table decides.
const templates = Object.keys(doc.paths);
function templateOf(path) {
  const segs = path.split("/").filter((s) => s !== "");
  let best = null;
  let bestLiterals = -1;
  for (const t of templates) {
    const parts = t.split("/").filter((s) => s !== "");
    if (parts.length !== segs.length) continue;
    if (!parts.every((p, i) => p.startsWith("{") || p === decodeURIComponent(segs[i]))) continue;
    const literals = parts.filter((p) => !p.startsWith("{")).length;
    if (literals > bestLiterals) {
      best = t;
      bestLiterals = literals;
    }
  }
  return best;
}

// The response object for `status`, its $ref (components/responses) followed.
function responsePointer(template, method, status) {
  const responses = doc.paths[template][method].responses;
  const r = responses[String(status)];
  if (!r) return null;
  if (r.$ref) return r.$ref.slice(1);  // "#/components/responses/X"
  return pointer("paths", template, method, "responses", String(status));
}
function resolve(at) {
  return at
    .split("/")
    .slice(1)
    .reduce((o, p) => o[decodeURIComponent(p).replace(/~1/g, "/").replace(/~0/g, "~")], doc);
}

// ---------------------------------------------------------------------------
// The traffic

const answered = new Set();  // "get /api/v1/..." of each operation that answered 2xx
const exchanges = [];        // each {template, method, status, json}, for the last check

// One request, checked against the document. `as`: a session from login(),
// an API token as {bearer}, or null; `body`: an object (sent as JSON) or a string (sent as it is);
// `valid`: whether the body is meant to fit the request schema (undefined:
// not checked, as for a body the handler refuses for a value, not a shape);
// `expect`: the status the request is meant to get.
async function call(as, method, path, { body, valid, expect, csrf = true } = {}) {
  const headers = {};
  if (as?.cookie) headers.Cookie = as.cookie;
  if (as?.csrf && csrf && method !== "get") headers["X-CSRF-Token"] = as.csrf;
  if (as?.bearer) headers.Authorization = `Bearer ${as.bearer}`;
  let sent;
  if (body instanceof FormData) {
    sent = body;  // multipart/form-data: fetch writes the boundary
  } else if (body !== undefined) {
    sent = typeof body === "string" ? body : JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  // A school served under a prefix (the demo's secondary at /s/URN): the
  // path as the document names it, the prefix in front.
  const res = await fetch(base + (as?.prefix ?? "") + path,
                          { method: method.toUpperCase(), headers, body: sent });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const where = `${method.toUpperCase()} ${path} -> ${res.status}`;
  if (expect !== undefined) {
    check(res.status === expect, `${where}: expected ${expect}: ${text.slice(0, 300)}`);
  }
  check(
    (res.headers.get("content-type") || "").startsWith("application/json") && json !== undefined,
    `${where}: the answer is not JSON`,
  );
  const template = templateOf(path.split("?")[0]);
  const operation = template && doc.paths[template][method];
  if (!operation) {
    // Not in the document: the server may only say that it has no such
    // path (404) or method (405), with the common error body.
    check(res.status === 404 || res.status === 405, `${where}: an undocumented operation answered`);
    const v = validator("/components/schemas/Error");
    check(v(json), `${where}: error body: ${errorsOf(v)}`);
    return { status: res.status, json, headers: res.headers };
  }
  if (body !== undefined && valid !== undefined) {
    check(operation.requestBody, `${where}: a body was sent to an operation that takes none`);
    if (operation.requestBody) {
      const v = validator(
        pointer("paths", template, method, "requestBody", "content", "application/json", "schema"),
      );
      const fits = typeof body === "string" ? false : v(body);
      check(
        fits === valid,
        valid
          ? `${where}: the request body does not fit the document: ${errorsOf(v)}`
          : `${where}: the document accepts a body the server refuses`,
      );
    }
  }
  const at = responsePointer(template, method, res.status);
  check(at, `${where}: status ${res.status} is not documented for ${method} ${template}`);
  if (at) {
    const v = validator(at + pointer("content", "application/json", "schema"));
    check(v(json), `${where}: the body does not fit the document: ${errorsOf(v)}`);
    exchanges.push({ at: at + pointer("content", "application/json", "schema"), json, where });
  }
  if (res.status >= 200 && res.status < 300) answered.add(`${method} ${template}`);
  return { status: res.status, json, headers: res.headers };
}

async function login(username, password = "rollcall-demo", prefix = "") {
  const res = await call(prefix ? { prefix } : null, "post", "/api/v1/login", {
    body: { username, password },
    valid: true,
    expect: 200,
  });
  const cookie = (res.headers.get("set-cookie") || "").split(";")[0];
  return { cookie, csrf: res.json?.csrf_token, prefix };
}

// A UPN with its check letter (DfE: weights 2-13 over characters 2-13).
function upn(twelve) {
  const letters = "ABCDEFGHJKLMNPQRTUVWXYZ";
  let sum = 0;
  for (let i = 0; i < twelve.length; i++) sum += Number(twelve[i]) * (i + 2);
  return letters[sum % 23] + twelve;
}

function addDays(iso, n) {
  return new Date(Date.parse(iso + "T12:00:00Z") + n * 86400000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------
// The demo

function startDemo(db, at) {
  return new Promise((resolveStart, reject) => {
    const proc = spawn(binary, ["demo", "--db", db, "--port", "0", "--quiet", "--now", at]);
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolveStart({ proc, base: `http://127.0.0.1:${m[1]}` });
    });
    proc.on("exit", (code) => reject(new Error(`demo exited ${code}: ${out}`)));
  });
}

const dir = mkdtempSync(join(tmpdir(), "rollcall-openapi-"));
// A school morning, so that registers, leave and casework have their dates.
const TODAY = "2026-12-02";
const demo = await startDemo(join(dir, "demo.db"), `${TODAY}T10:30`);
const base = demo.base;
demo.proc.removeAllListeners("exit");

try {
  // The document: valid OpenAPI 3.1, and the one the server serves.
  const result = await new Validator().validate(structuredClone(doc));
  check(result.valid, `openapi.json is not valid OpenAPI: ${JSON.stringify(result.errors)}`);
  check(doc.openapi === "3.1.0", "openapi.json is OpenAPI 3.1.0");
  const served = await call(null, "get", "/api/v1/openapi.json", { expect: 200 });
  check(isDeepStrictEqual(served.json, doc), "the server serves src/web/openapi.json as it is");

  // Public: the health check and the codes.
  await call(null, "get", "/healthz", { expect: 200 });
  const codes = await call(null, "get", "/api/v1/codes", { expect: 200 });
  check(codes.json?.code_set === "2024", "today's codes are the 2024 set");
  const legacy = await call(null, "get", "/api/v1/codes?date=2024-08-18", { expect: 200 });
  const legacySymbols = (legacy.json?.codes || []).map((c) => c.code);
  check(
    legacy.json?.code_set === "legacy" && legacySymbols.includes("H") &&
      !legacySymbols.includes("C1"),
    "18 August 2024 has the legacy codes (H, no C1)",
  );
  const since = await call(null, "get", "/api/v1/codes?date=2024-08-19", { expect: 200 });
  const sinceSymbols = (since.json?.codes || []).map((c) => c.code);
  check(sinceSymbols.includes("C1") && !sinceSymbols.includes("H"), "19 August 2024 has C1, no H");
  const x = (since.json?.codes || []).find((c) => c.code === "X");
  check(x && x.possible === false && x.category === "not_possible", "X is not a possible session");
  await call(null, "get", "/api/v1/codes?date=2024-13-01", { expect: 400 });

  // Logging in, and the refusals every client meets.
  await call(null, "post", "/api/v1/login", {
    body: { username: "head", password: "wrong-password" },
    valid: true,
    expect: 401,
  });
  await call(null, "post", "/api/v1/login", {
    body: { username: "head", password: "x", remember: true },
    valid: false,
    expect: 400,
  });
  await call(null, "post", "/api/v1/login", { body: "{not json", valid: false, expect: 400 });
  const head = await login("head");
  const office = await login("office");
  const teacher = await login("teacher1");
  const governor = await login("governor");
  const la = await login("la");
  const parent = await login("parent1");
  const attendance = await login("attendance");
  const dsl = await login("dsl");
  const senco = await login("senco");

  await call(null, "get", "/api/v1/me", { expect: 401 });
  await call(null, "get", "/api/v1/pupils", { expect: 401 });
  await call(office, "get", "/api/v1/users", { expect: 403 });
  await call(governor, "get", "/api/v1/pupils", { expect: 403 });
  await call(head, "post", "/api/v1/logout", { csrf: false, expect: 403 });
  await call(head, "get", "/api/v1/pupils/999999", { expect: 404 });
  await call(head, "get", "/api/v1/no-such-thing", { expect: 404 });
  await call(head, "delete", "/api/v1/me", { expect: 405 });
  await call(head, "put", "/api/v1/settings", {
    body: { colour: "red" },
    valid: false,
    expect: 400,
  });

  // The session.
  const me = await call(parent, "get", "/api/v1/me", { expect: 200 });
  const child = me.json?.user?.pupil_ids?.[0];
  await call(head, "get", "/api/v1/me", { expect: 200 });
  const teacher2 = await login("teacher2");
  await call(teacher2, "post", "/api/v1/me/password", {
    body: { current_password: "rollcall-demo", new_password: "a-new-long-password-9" },
    valid: true,
    expect: 200,
  });

  // Pupils, classes and figures.
  const pupils = await call(head, "get", "/api/v1/pupils", { expect: 200 });
  const onRoll = (pupils.json?.pupils || []).filter((p) => p.on_roll);
  const pupil = onRoll[0].id;
  const classes = await call(head, "get", "/api/v1/classes", { expect: 200 });
  const cls = classes.json.classes[0].id;
  await call(teacher, "get", `/api/v1/pupils?class=${cls}`, { expect: 200 });
  const record = await call(head, "get", `/api/v1/pupils/${pupil}`, { expect: 200 });
  await call(parent, "get", `/api/v1/pupils/${child}/summary`, { expect: 200 });
  await call(head, "get", `/api/v1/pupils/${pupil}/summary?as_of=${addDays(TODAY, -7)}`, {
    expect: 200,
  });
  await call(head, "get", `/api/v1/pupils/${pupil}/summary?as_of=yesterday`, { expect: 400 });
  await call(head, "get", `/api/v1/pupils/${pupil}/amendments`, { expect: 200 });
  await call(governor, "get", "/api/v1/school/summary", { expect: 200 });
  await call(head, "get", "/api/v1/school/dashboard", { expect: 200 });
  await call(head, "get", `/api/v1/export/scenario?as_of=${TODAY}`, { expect: 200 });

  // Registers: a past session still open to the office, amended with a reason.
  let past = null;
  for (let back = 1; back < 30 && !past; back++) {
    const d = addDays(TODAY, -back);
    const reg = await call(office, "get", `/api/v1/registers/${d}/AM?class=${cls}`, {});
    if (reg.status === 200 && reg.json.open && reg.json.pupils.length >= 2) past = reg.json;
  }
  check(past, "a past open register to amend");
  await call(office, "get", `/api/v1/registers/${TODAY}/PM?class=${cls}`, { expect: 200 });
  await call(office, "get", `/api/v1/registers/${TODAY}/XX?class=${cls}`, { expect: 400 });
  const marked = past.pupils[0].id;
  await call(office, "put", `/api/v1/registers/${past.date}/AM/marks/${marked}`, {
    body: { code: "M", reason: "Appointment letter seen" },
    valid: true,
    expect: 200,
  });
  await call(office, "put", `/api/v1/registers/${past.date}/AM/marks/${marked}`, {
    body: { code: 5 },
    valid: false,
    expect: 400,
  });
  await call(teacher2, "put", `/api/v1/registers/${past.date}/AM/marks/${marked}`, {
    body: { code: "/" },
    valid: true,
    expect: 401,  // teacher2's password changed: every login of it ended
  });

  // Absence reports from a parent: one resolved, one confirmed.
  const report1 = await call(parent, "post", `/api/v1/pupils/${child}/absence-reports`, {
    body: { from: TODAY, reason: "Dentist in the morning" },
    valid: true,
    expect: 201,
  });
  const report2 = await call(parent, "post", `/api/v1/pupils/${child}/absence-reports`, {
    body: { from: TODAY, to: TODAY, reason: "Temperature overnight" },
    valid: true,
    expect: 201,
  });
  await call(office, "get", "/api/v1/absence-reports", { expect: 200 });
  await call(office, "get", "/api/v1/absence-reports?open=1", { expect: 200 });
  await call(office, "post", `/api/v1/absence-reports/${report1.json?.id}/resolve`, {
    body: { resolution: "Coded M on the register" },
    valid: true,
    expect: 200,
  });
  await call(office, "post", `/api/v1/absence-reports/${report2.json?.id}/confirm`, {
    body: { code: "I" },
    valid: true,
    expect: 200,
  });

  // Medical evidence: a parent sends a PNG for their child (a multipart
  // form), a PNG named .pdf is refused, and the office lists the files.
  {
    const png = Buffer.from(
      "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55" +
        "0000000a49444154789c636000000002000148afa4710000000049454e44ae426082",
      "hex");
    const form = (name) => {
      const f = new FormData();
      f.append("from", TODAY);
      f.append("note", "From the GP");
      f.append("file", new Blob([png], { type: "image/png" }), name);
      return f;
    };
    await call(parent, "post", `/api/v1/pupils/${child}/evidence`, { body: form("card.png"), expect: 201 });
    await call(parent, "post", `/api/v1/pupils/${child}/evidence`, { body: form("scan.pdf"), expect: 400 });
    await call(office, "get", `/api/v1/pupils/${child}/evidence`, { expect: 200 });
    await call(parent, "get", `/api/v1/pupils/${child}/evidence`, { expect: 200 });
  }

  // The contact log, messages, contacts and cohort flags.
  await call(office, "get", `/api/v1/pupils/${pupil}/contact-log`, { expect: 200 });
  await call(office, "post", `/api/v1/pupils/${pupil}/contact-log`, {
    body: { method: "call", outcome: "no_answer", contact: "Mother" },
    valid: true,
    expect: 201,
  });
  await call(parent, "get", `/api/v1/pupils/${child}/messages`, { expect: 200 });
  await call(office, "post", `/api/v1/pupils/${pupil}/contacts`, {
    body: { name: "Gran Test", relationship: "Grandparent", parental_responsibility: false },
    valid: true,
    expect: 201,
  });
  const first = record.json.contacts[0];
  await call(office, "put", `/api/v1/pupils/${pupil}/contacts/1`, {
    body: {
      name: first.name,
      relationship: first.relationship,
      parental_responsibility: first.parental_responsibility,
      phone: first.phone,
      email: first.email,
      lives_with: first.lives_with,
      emergency: first.emergency,
      address: first.address,
      postcode: first.postcode,
      reason: "Checked with the family",
    },
    valid: true,
    expect: 200,
  });
  const addedContact = record.json.contacts.length + 1;
  await call(office, "delete", `/api/v1/pupils/${pupil}/contacts/${addedContact}?reason=Mistake`, {
    expect: 200,
  });
  await call(office, "post", `/api/v1/pupils/${pupil}/contacts/confirm`, { expect: 200 });
  await call(office, "post", `/api/v1/pupils/${pupil}/flags`, {
    body: { flag: "EAL", from: TODAY, reason: "Home language Polish" },
    valid: true,
    expect: 200,
  });
  await call(office, "post", `/api/v1/pupils/${pupil}/flags`, {
    body: { flag: "EAL", from: TODAY, to: TODAY },
    valid: true,
    expect: 400,  // from or to, not both: a value the handler refuses, in a body that fits
  });

  // Children missing education.
  await call(dsl, "get", `/api/v1/pupils/${pupil}/cme`, { expect: 200 });
  await call(dsl, "get", "/api/v1/cme-cases", { expect: 200 });
  const cme = await call(dsl, "get", "/api/v1/cme-cases?all=1", { expect: 200 });
  const open = (cme.json?.cme_cases || []).filter((c) => c.open);
  check(open.length >= 2, "the demo has two open CME cases");
  const step = open[0].steps.find((s) => s.status !== "done");
  await call(dsl, "post", `/api/v1/cme-cases/${open[0].id}/steps`, {
    body: { step: step?.step ?? "notify_dsl", note: "Checked with the family's other school" },
    valid: true,
    expect: 201,
  });
  await call(dsl, "post", `/api/v1/cme-cases/${open[1].id}/close`, {
    body: { outcome: "Found: on roll at another school" },
    valid: true,
    expect: 200,
  });
  await call(dsl, "post", `/api/v1/cme-cases/${open[1].id}/close`, {
    body: { outcome: "Found again" },
    valid: true,
    expect: 409,  // closed once already
  });
  await call(dsl, "post", "/api/v1/cme-cases/999999/close", {
    body: { outcome: "Found" },
    valid: true,
    expect: 404,
  });

  // Notifications to the LA, and the LA's schools.
  const notes = await call(office, "get", "/api/v1/la-notifications", { expect: 200 });
  const owed = (notes.json?.notifications || []).find(
    (n) => n.status !== "sent" && n.status !== "acknowledged",
  );
  await call(office, "post", `/api/v1/la-notifications/${encodeURIComponent(owed?.key)}/sent`, {
    body: { note: "Emailed to the LA attendance team" },
    valid: true,
    expect: 200,
  });
  await call(la, "get", "/api/v1/la/schools", { expect: 200 });
  await call(la, "get", "/api/v1/la/schools?cohort=FSM", { expect: 200 });

  // The graduated approach.
  await call(senco, "get", `/api/v1/pupils/${pupil}/support`, { expect: 200 });
  await call(attendance, "post", `/api/v1/pupils/${pupil}/stage`, {
    body: { stage: "monitor", reason: "Attendance in the amber band" },
    valid: true,
    expect: 200,
  });
  await call(attendance, "post", `/api/v1/pupils/${pupil}/support-events`, {
    body: { kind: "panel_meeting", attendees: "Head, mother", notes: "Mornings are hard" },
    valid: true,
    expect: 201,
  });

  // A part-time timetable, agreed and reviewed.
  const other = onRoll[1].id;
  const agreed = await call(head, "post", `/api/v1/pupils/${other}/part-time`, {
    body: {
      agreed_with: "Mother",
      start: TODAY,
      end: addDays(TODAY, 14),
      review_date: addDays(TODAY, 7),
      attends: ["mon-am", "tue-am", "wed-am"],
      reason: "Medical advice after an operation",
    },
    valid: true,
    expect: 201,
  });
  await call(head, "get", `/api/v1/pupils/${other}/part-time`, { expect: 200 });
  await call(head, "post", `/api/v1/part-time/${agreed.json?.id}/reviews`, {
    body: { outcome: "continue", next_review: addDays(TODAY, 9), notes: "Going well" },
    valid: true,
    expect: 201,
  });

  // Leave of absence, requested and decided.
  const leave = await call(office, "post", `/api/v1/pupils/${pupil}/leave-requests`, {
    body: { from: addDays(TODAY, 7), to: addDays(TODAY, 7), code: "M", reason: "Orthodontist" },
    valid: true,
    expect: 201,
  });
  await call(parent, "get", "/api/v1/leave-requests", { expect: 200 });
  await call(head, "post", `/api/v1/leave-requests/${leave.json?.id}/decision`, {
    body: { decision: "granted", reason: "an appointment that cannot be out of school hours" },
    valid: true,
    expect: 201,
  });

  // Penalty notices: a decision on a case, and a case for an excluded pupil
  // seen in public.
  const cases = await call(head, "get", "/api/v1/penalty-cases", { expect: 200 });
  const waiting = (cases.json?.cases || []).find((c) => c.stage === "awaiting_decision");
  await call(head, "get", `/api/v1/penalty-cases/${waiting?.id}`, { expect: 200 });
  await call(head, "post", `/api/v1/penalty-cases/${waiting?.id}/events`, {
    body: { kind: "decision", decision: "no_action", text: "Improving since the panel" },
    valid: true,
    expect: 201,
  });
  const excluded = past.pupils[1].id;
  for (const s of ["AM", "PM"]) {
    await call(office, "put", `/api/v1/registers/${past.date}/${s}/marks/${excluded}`, {
      body: { code: "E", reason: "Suspended for the day" },
      valid: true,
      expect: 200,
    });
  }
  await call(head, "post", `/api/v1/pupils/${excluded}/exclusion-notice-cases`, {
    body: { date: past.date, session: "PM", text: "Seen in the shopping centre at 14:00" },
    valid: true,
    expect: 201,
  });

  // Letters.
  const sent = await call(office, "post", "/api/v1/letters", {
    body: { template: "termly_rag", group: `class-${cls}` },
    valid: true,
  });
  if (sent.status !== 201) {
    await call(office, "post", "/api/v1/letters", {
      body: { template: "termly_rag", group: "school" },
      valid: true,
      expect: 201,
    });
  }
  const letters = await call(head, "get", `/api/v1/pupils/${pupil}/letters`, { expect: 200 });
  await call(head, "get", `/api/v1/letters/${letters.json?.letters?.[0]?.id}`, { expect: 200 });

  // Settings and accounts.
  await call(head, "get", "/api/v1/settings", { expect: 200 });
  await call(head, "put", "/api/v1/settings", {
    body: { target_attendance_pct: "95.5" },
    valid: true,
    expect: 200,
  });
  await call(head, "get", "/api/v1/users", { expect: 200 });
  const added = await call(head, "post", "/api/v1/users", {
    body: {
      username: "newteacher",
      display_name: "Mr New",
      role: "teacher",
      password: "long-enough-pw-1",
    },
    valid: true,
    expect: 201,
  });
  await call(head, "post", `/api/v1/users/${added.json?.id}/password`, {
    body: { new_password: "another-long-pw-2" },
    valid: true,
    expect: 200,
  });
  const invited = await call(head, "post", "/api/v1/users/invitations", {
    body: { username: "newdsl", display_name: "Ms New", role: "dsl" },
    valid: true,
    expect: 201,
  });
  await call(head, "post", `/api/v1/users/${invited.json?.user?.id}/invitation`, { expect: 201 });
  await call(head, "post", `/api/v1/users/${added.json?.id}/disable`, { expect: 200 });
  await call(head, "post", `/api/v1/users/${added.json?.id}/enable`, { expect: 200 });

  // The admission register: admit, correct, take off the roll.
  const entry = {
    upn: upn("909241799001"),
    legal_given_name: "Maya",
    legal_family_name: "Patel",
    sex: "F",
    date_of_birth: "2019-03-14",
    year_group: 3,
    start: TODAY,
    previous_school: "Elm Primary",
    boarder: false,
  };
  const admitted = await call(office, "post", "/api/v1/pupils", {
    body: {
      ...entry,
      contacts: [
        {
          name: "Priya Patel",
          relationship: "Mother",
          phone: "07700 900111",
          address: "3 Mill Lane",
          postcode: "LE10 1AA",
          parental_responsibility: true,
          lives_with: true,
          emergency: true,
        },
      ],
    },
    valid: true,
    expect: 201,
  });
  await call(office, "post", "/api/v1/pupils", { body: { upn: 1 }, valid: false, expect: 400 });
  const admittedId = admitted.json?.id;
  await call(office, "put", `/api/v1/pupils/${admittedId}`, {
    body: { ...entry, legal_family_name: "Patel-Shah", reason: "As on the birth certificate" },
    valid: true,
    expect: 200,
  });
  await call(office, "post", `/api/v1/pupils/${admittedId}/leave`, {
    body: { ground: "a", last_day: TODAY, destination: "Oak Academy" },
    valid: true,
    expect: 200,
  });

  // The Common Transfer Files owed: one for the pupil just taken off the roll.
  const transfers = await call(office, "get", "/api/v1/transfers", { expect: 200 });
  check(
    (transfers.json?.transfers || []).some((t) => t.pupil.id === admittedId),
    "a Common Transfer File is owed for the pupil taken off the roll",
  );
  await call(attendance, "get", "/api/v1/transfers", { expect: 200 });
  await call(teacher, "get", "/api/v1/transfers", { expect: 403 });

  // Webhooks: the head's alone. The receiver is a closed port on this
  // machine, so messages wait and fail; nothing leaves it.
  const receiver = "http://127.0.0.1:9/";
  const hook = await call(head, "post", "/api/v1/webhooks", {
    body: { url: receiver, events: ["pupil.admitted", "mark.amended"] },
    valid: true,
    expect: 201,
  });
  const hookId = hook.json?.id;
  await call(head, "post", "/api/v1/webhooks", {
    body: { url: receiver, events: ["pupil.renamed"] },
    valid: false,
    expect: 400,
  });
  await call(head, "post", "/api/v1/webhooks", {
    body: { url: receiver, events: [] },
    valid: false,
    expect: 400,
  });
  await call(head, "post", "/api/v1/webhooks", {
    body: { url: receiver, events: ["pupil.admitted"], secret: "mine" },
    valid: false,
    expect: 400,
  });
  await call(head, "post", "/api/v1/webhooks", {
    body: { url: "http://receiver.example/", events: ["pupil.admitted"] },
    valid: true,
    expect: 400,  // plain http only to this machine: a value refused, in a body that fits
  });
  await call(office, "post", "/api/v1/webhooks", {
    body: { url: receiver, events: ["pupil.admitted"] },
    valid: true,
    expect: 403,
  });
  await call(head, "post", `/api/v1/webhooks/${hookId}/test`, { expect: 200 });
  const hooks = await call(head, "get", "/api/v1/webhooks", { expect: 200 });
  check(
    (hooks.json?.deliveries || []).some((m) => m.event === "webhook.test" && m.webhook_id === hookId),
    "the test message is in the delivery log",
  );
  await call(head, "get", "/api/v1/webhooks?state=queued", { expect: 200 });
  await call(head, "get", "/api/v1/webhooks?state=lost", { expect: 400 });
  await call(office, "get", "/api/v1/webhooks", { expect: 403 });
  await call(head, "post", `/api/v1/webhooks/${hookId}/pause`, { expect: 200 });
  await call(head, "post", `/api/v1/webhooks/${hookId}/resume`, { expect: 200 });
  await call(office, "post", `/api/v1/webhooks/${hookId}/pause`, { expect: 403 });
  await call(head, "post", "/api/v1/webhooks/999999/pause", { expect: 404 });
  await call(head, "post", `/api/v1/webhooks/${hookId}/delete`, { expect: 200 });
  await call(head, "post", `/api/v1/webhooks/${hookId}/test`, { expect: 404 });

  // An API token, made on the head's page: /me says the token, not an
  // account, and a token may not manage webhooks.
  const [y, m, d] = addDays(TODAY, 30).split("-");
  const made = await fetch(base + "/settings/api-tokens", {
    method: "POST",
    headers: { Cookie: head.cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      _csrf: head.csrf,
      name: "OpenAPI check",
      "scope-read-figures": "yes",
      "expires-day": String(Number(d)),
      "expires-month": String(Number(m)),
      "expires-year": y,
    }),
  });
  const secret = (await made.text()).match(/id="new-api-token"[^>]*value="([^"]+)"/)?.[1];
  check(made.status === 201 && secret, `an API token is made on the head's page (${made.status})`);
  const token = { bearer: secret };
  const tokenMe = await call(token, "get", "/api/v1/me", { expect: 200 });
  check(
    tokenMe.json?.api_token?.scopes?.includes("read:figures") && !tokenMe.json?.user,
    "/me with an API token says the token and its scopes",
  );
  await call(token, "get", "/api/v1/webhooks", { expect: 403 });
  const badToken = await call({ bearer: "rc_not-a-token" }, "get", "/api/v1/me", { expect: 401 });
  check(
    badToken.json?.error?.code === "TOKEN_INVALID" &&
      (badToken.headers.get("www-authenticate") || "").startsWith("Bearer"),
    "an unknown API token gets 401 TOKEN_INVALID with WWW-Authenticate",
  );

  // Logging out ends the session: it is not logged in afterwards.
  const spare = await login("head");
  await call(spare, "post", "/api/v1/logout", { expect: 200 });
  await call(spare, "get", "/api/v1/me", { expect: 401 });

  // Delivery receipts from GOV.UK Notify. The head sets the token Notify's
  // callback carries (on the message settings page, a form), a text goes
  // into the demo's folder, and its receipt is recorded; a wrong token is
  // refused. A text sent into a folder has the provider id "folder:" and
  // its file's name.
  {
    const owner = await login("head");
    const smsDir = join(dir, "outbox", "sms");
    const page = (path, fields) =>
      fetch(base + path, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: owner.cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: owner.csrf, ...fields }).toString(),
      });
    const saved = await page("/settings/messages", {
      email_transport: `folder:${join(dir, "outbox", "email")}`,
      sms_transport: `folder:${smsDir}`,
      from_address: "office@riverside-primary.example.org",
      from_name: "Riverside Primary School",
      day_one_time: "10:00",
      notify_receipt_token: "openapi-check-receipt-token",
    });
    check(saved.status === 303, `the head saves the receipt token: ${saved.status}`);
    const queued = await page("/settings/messages/test", { channel: "sms", to: "07700 900123" });
    check(queued.status === 303, `the head queues a test text: ${queued.status}`);
    let texts = [];
    for (let i = 0; i < 100 && texts.length === 0; i++) {
      if (existsSync(smsDir)) texts = readdirSync(smsDir).filter((f) => f.endsWith(".json"));
      if (texts.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    check(texts.length > 0, "a text is written into the demo's folder");
    if (texts.length > 0) {
      const text = JSON.parse(readFileSync(join(smsDir, texts[0]), "utf8"));
      const receipt = {
        id: `folder:${texts[0].slice(0, -".json".length)}`,
        reference: text.reference,
        to: text.to,
        status: "delivered",
        created_at: "2026-12-02T10:00:01.000000Z",
        completed_at: "2026-12-02T10:00:05.000000Z",
        sent_at: "2026-12-02T10:00:02.000000Z",
        notification_type: "sms",
      };
      await call({ bearer: "openapi-check-receipt-token" }, "post",
                 "/api/v1/messages/notify-receipts", { body: receipt, valid: true, expect: 200 });
      await call({ bearer: "not-the-receipt-token" }, "post", "/api/v1/messages/notify-receipts",
                 { body: receipt, valid: true, expect: 401 });
      await call({ bearer: "openapi-check-receipt-token" }, "post",
                 "/api/v1/messages/notify-receipts",
                 { body: { ...receipt, id: "folder:no-such-text" }, valid: true, expect: 404 });
    }
  }

  // The demo's secondary school, under /s/138456: castle-teacher1's lesson
  // under way (P2, 10:00-11:00), its register and one mark.
  {
    const castle = await login("castle-teacher1", "rollcall-demo", "/s/138456");
    const list = await fetch(`${base}/s/138456/lessons?date=${TODAY}`,
                             { headers: { Cookie: castle.cookie } });
    const links = [...(await list.text()).matchAll(
        /lessons\/register\?date=[0-9-]+&amp;period=(\d+)&amp;group=(\d+)/g)];
    check(links.length > 0, "castle-teacher1 has lessons today");
    if (links.length > 0) {
      const [, period, group] = links[links.length > 1 ? 1 : 0];
      const lesson = `/api/v1/lessons/${TODAY}/${period}/${group}`;
      const reg = await call(castle, "get", lesson, { expect: 200 });
      const pupil = reg.json?.pupils?.[0]?.id;
      check(pupil !== undefined, "the lesson's register lists its pupils");
      if (pupil !== undefined) {
        await call(castle, "put", `${lesson}/marks/${pupil}`,
                   { body: { code: "L", arrival_time: "10:05", reason: "Arrived late" },
                     valid: true, expect: 200 });
        await call(castle, "put", `${lesson}/marks/${pupil}`,
                   { body: { code: "Z", reason: "No such lesson code" }, valid: true, expect: 400 });
      }
      await call(castle, "get", `/api/v1/lessons/${TODAY}/${period}/999999`, { expect: 404 });
    }
  }

  // Every documented operation answered 2xx at least once.
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) {
      check(
        answered.has(`${method} ${template}`),
        `${method.toUpperCase()} ${template} was never called with success`,
      );
    }
  }

  // The check itself catches a wrong schema: with a user's id documented as
  // text, the answers that carry a user no longer fit.
  const wrong = structuredClone(doc);
  wrong.components.schemas.User.properties.id = { type: "string" };
  const wrongAjv = newAjv(wrong);
  const wrongCache = new Map();
  const caught = exchanges
    .filter((e) => e.where.startsWith("GET /api/v1/me -> 200"))
    .some((e) => !validator(e.at, wrongAjv, wrongCache)(e.json));
  check(caught, "a wrong schema (a user's id as text) fails the answers of GET /api/v1/me");
} finally {
  await new Promise((done) => {
    demo.proc.once("exit", done);
    demo.proc.kill("SIGTERM");
  });
  rmSync(dir, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
