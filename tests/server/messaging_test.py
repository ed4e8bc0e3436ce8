#!/usr/bin/env python3
"""End-to-end test of email and text messages: each arrives once across kill -9.

Usage: messaging_test.py ROLLCALL_BINARY

A real SMTP server (aiosmtpd) and a small HTTP server speaking GOV.UK
Notify's API run on 127.0.0.1. The Notify fake checks every request's JWT
(HS256 over the header and claims with the API key's secret, iss = the
service id, iat = now), answers 201 with an id, keeps what it got by
reference, and answers the reference lookup. The head points rollcall at
them on /settings/messages and queues test messages with the "send a test"
form; family messages (about a pupil) are queued as outbox rows with
sqlite3, as the code that causes them writes them.

1. `rollcall serve` with the jobs every 200 ms. The SMTP server holds the
   first message's DATA open; while it is held the server is killed with
   SIGKILL. The SMTP server never answered 250, so it does not count that
   message as received (as a real relay would not take it).
2. Again, the Notify fake holds the first text after accepting it (as
   Notify would have, the answer lost) and the server is killed.
3. `rollcall serve` again: everything left is sent, the held email again
   once its lease (90 s) has run out, with the same Message-ID; the held
   text is found at Notify by its reference and not sent again.
Then Notify posts a delivery receipt for every text to rollcall's receipt
route with the bearer token (and one with a wrong token, refused).

Checks: every email arrived exactly once by Message-ID and every text once
by reference; every outbox row is delivered; each text's provider id is
Notify's; each family message is in its pupil's contact log once; every
receipt was taken and recorded.

Prints 'N passed, M failed' last; exits 1 on any failure.
"""
import asyncio
import base64
import email
import email.policy
import hashlib
import hmac
import http.client
import http.server
import json
import os
import socket
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_test  # noqa: E402  (its Server and Client, and check)
from server_test import Client, Server, check  # noqa: E402

try:
    from aiosmtpd.controller import Controller  # noqa: E402  (python3-aiosmtpd)
except ModuleNotFoundError:
    # A python3 other than Debian's (a pyenv shim first on PATH, say) does
    # not see Debian's packages: look where python3-aiosmtpd puts them.
    sys.path.append("/usr/lib/python3/dist-packages")
    from aiosmtpd.controller import Controller  # noqa: E402

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"rollcall_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
RECEIPT_TOKEN = "receipt-token-for-the-test"
LEASE_SECONDS = 90  # service::kMessageLeaseSeconds


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def message_id_for(key):
    """io::MessageIdFor: the key with anything outside [A-Za-z0-9._-] made '-'."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "-" for c in key)
    return f"<{safe}@rollcall>"


class SmtpSink:
    """An SMTP server's handler: keeps each message by Message-ID once it answers 250."""

    def __init__(self):
        self.lock = threading.Lock()
        self.accepted = {}  # Message-ID -> [message bytes, ...]
        self.cut_off = []   # Message-IDs whose DATA was held and never answered
        self.hold_next = threading.Event()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        content = envelope.content if isinstance(envelope.content, bytes) else \
            envelope.content.encode()
        message_id = email.message_from_bytes(content, policy=email.policy.default)["Message-ID"]
        if self.hold_next.is_set() and not self.holding.is_set():
            self.holding.set()
            with self.lock:
                self.cut_off.append(message_id)
            try:
                await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
            except asyncio.CancelledError:
                raise  # the client went away: nothing was taken
            transport = getattr(server, "transport", None)
            if transport is None or transport.is_closing():
                return "451 4.4.2 the client went away"
        with self.lock:
            self.accepted.setdefault(message_id, []).append(content)
        return "250 2.0.0 OK"


class FakeNotify:
    """GOV.UK Notify's text message API, as far as rollcall uses it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.texts = {}    # reference -> [request body, ...]
        self.ids = {}      # reference -> Notify's id
        self.lookups = []  # references looked up
        self.problems = []
        self.hold_next = threading.Event()
        self.holding = threading.Event()
        self.release = threading.Event()
        notify = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body):
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the sender was killed while we held its request

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path != "/v2/notifications/sms":
                    return self.answer(404, {"errors": [{"error": "NotFound"}]})
                if not notify.check_jwt(self.headers.get("Authorization", "")):
                    return self.answer(403, {"errors": [{"error": "AuthError"}]})
                try:
                    request = json.loads(body)
                    reference = request["reference"]
                    ok = (request["template_id"] == TEMPLATE_ID and
                          request["phone_number"].startswith("07") and
                          isinstance(request["personalisation"]["body"], str))
                except (ValueError, KeyError, TypeError):
                    ok = False
                if not ok:
                    with notify.lock:
                        notify.problems.append(f"bad request {body[:200]!r}")
                    return self.answer(400, {"errors": [{"error": "BadRequestError"}]})
                with notify.lock:
                    notify.texts.setdefault(reference, []).append(request)
                    notification_id = notify.ids.setdefault(reference, str(uuid.uuid4()))
                # Accepted: a crash now loses only the answer.
                if notify.hold_next.is_set() and not notify.holding.is_set():
                    notify.holding.set()
                    notify.release.wait(timeout=60)
                self.answer(201, {"id": notification_id, "reference": reference,
                                  "content": {"body": request["personalisation"]["body"]},
                                  "template": {"id": TEMPLATE_ID, "version": 1}})

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                if url.path != "/v2/notifications":
                    return self.answer(404, {"errors": [{"error": "NotFound"}]})
                if not notify.check_jwt(self.headers.get("Authorization", "")):
                    return self.answer(403, {"errors": [{"error": "AuthError"}]})
                query = urllib.parse.parse_qs(url.query)
                reference = query.get("reference", [""])[0]
                if query.get("template_type") != ["sms"]:
                    with notify.lock:
                        notify.problems.append(f"lookup without template_type=sms: {self.path}")
                with notify.lock:
                    notify.lookups.append(reference)
                    found = notify.ids.get(reference)
                listed = [{"id": found, "reference": reference, "type": "sms",
                           "status": "sending"}] if found else []
                self.answer(200, {"notifications": listed, "links": {}})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def check_jwt(self, authorization):
        """The token Notify asks for, recomputed from the secret."""
        def unpad(part):
            return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        problem = None
        try:
            if not authorization.startswith("Bearer "):
                raise ValueError("no bearer token")
            header, claims, signature = authorization[7:].split(".")
            want = base64.urlsafe_b64encode(
                hmac.new(SECRET.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
            ).rstrip(b"=").decode()
            if not hmac.compare_digest(signature, want):
                problem = "the JWT's signature is wrong"
            elif json.loads(unpad(header)) != {"typ": "JWT", "alg": "HS256"}:
                problem = "the JWT's header is wrong"
            else:
                body = json.loads(unpad(claims))
                if body.get("iss") != SERVICE_ID:
                    problem = f"the JWT's iss is {body.get('iss')!r}"
                elif abs(time.time() - body.get("iat", 0)) > 30:
                    problem = "the JWT's iat is not now"
        except (ValueError, TypeError) as e:
            problem = f"no readable JWT: {e}"
        if problem:
            with self.lock:
                self.problems.append(problem)
        return problem is None


def form(fields):
    return urllib.parse.urlencode(fields)


def configure(head, smtp_port, notify_port):
    """The head points rollcall at the test servers on the settings page."""
    status, page, res = head.request("POST", "/settings/messages", form({
        "email_transport": f"smtp://127.0.0.1:{smtp_port}",
        "smtp_username": "", "smtp_password": "",
        "from_address": "office@riverside-primary.example.org",
        "from_name": "Riverside Primary School", "reply_to": "",
        "sms_transport": "notify",
        "notify_base_url": f"http://127.0.0.1:{notify_port}",
        "notify_api_key": API_KEY,
        "notify_sms_template_id": TEMPLATE_ID,
        "notify_receipt_token": RECEIPT_TOKEN,
        "day_one_time": "10:00", "public_url": "",
    }), {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 303, f"message settings saved: {status} {str(page)[:300]}")
    status, page, _ = head.request("GET", "/settings/messages")
    text = page.decode() if isinstance(page, bytes) else str(page)
    check(API_KEY not in text and RECEIPT_TOKEN not in text,
          "the settings page never shows the secrets")


def queue_tests(head, count):
    for i in range(count):
        for channel, to in (("email", f"head{i}@riverside-primary.example.org"),
                            ("sms", f"07700 900{100 + i}")):
            status, _, _ = head.request("POST", "/settings/messages/test",
                                        form({"channel": channel, "to": to}),
                                        {"Content-Type": "application/x-www-form-urlencoded"})
            check(status == 303, f"test {channel} queued: {status}")


def queue_family(db, count):
    """Family messages as ToOutbox writes them, about the first pupils."""
    con = sqlite3.connect(db)
    pupils = [row[0] for row in con.execute("SELECT id FROM pupils ORDER BY id LIMIT ?", (count,))]
    now = int(time.time())
    rows = []
    for n, pupil in enumerate(pupils):
        for channel, to in (("email", f"parent{n}@example.org"), ("sms", f"07700 900{200 + n}")):
            key = f"day_one/test/{pupil}/{channel}"
            attachments = [{"filename": "letter.pdf", "content_type": "application/pdf",
                            "base64": base64.b64encode(b"%PDF-1.4 " + bytes(range(256))).decode()}
                           ] if channel == "email" and n == 0 else []
            payload = {"kind": "day_one", "to": to, "recipient": f"Parent {n} (Mother)",
                       "subject": f"Pupil {pupil} is not in school today",
                       "body": f"Pupil {pupil} has not arrived today. Zoë ✓ line\nsecond line",
                       "attachments": attachments}
            rows.append((channel, key, "day_one", to, json.dumps(payload), now, now, pupil,
                         payload["recipient"]))
    con.executemany(
        "INSERT INTO outbox (channel, idempotency_key, event_kind, destination, payload, state, "
        "attempts, next_attempt_at, created_at, pupil_id, recipient) "
        "VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    return len(rows)


def outbox(db):
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT idempotency_key, channel, state, provider_ref, receipt, pupil_id, payload "
            "FROM outbox WHERE channel IN ('email', 'sms')").fetchall()
    finally:
        con.close()


def wait_for(condition, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def post_receipt(port, token, body):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/api/v1/messages/notify-receipts", body=json.dumps(body),
                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    res = conn.getresponse()
    res.read()
    conn.close()
    return res.status


def main():
    sink = SmtpSink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    notify = FakeNotify()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "school.db")

        # 0. The demo school; the head points it at the test servers and
        # queues tests; family messages go straight into the outbox.
        # Its clock stands at 08:00 on a school day, before any message of
        # the day is due, so the demo itself queues nothing.
        server = Server(["demo", "--db", db, "--jobs-interval-ms", "600000",
                         "--now", "2026-12-03T08:00"])
        head = Client(server.port)
        head.login("head")
        configure(head, smtp.port, notify.port)
        queue_tests(head, 2)
        server.stop()
        family = queue_family(db, 3)
        check(len(outbox(db)) == 4 + family, "every message queued")

        # 1. Killed while the SMTP server holds an email's DATA.
        sink.hold_next.set()
        server = Server(["serve", "--db", db, "--jobs-interval-ms", "200"])
        check(wait_for(sink.holding.is_set, 30), "an email reached the SMTP server")
        server.kill()
        sink.release.set()

        # 2. Killed while Notify holds a text it has accepted.
        notify.hold_next.set()
        server = Server(["serve", "--db", db, "--jobs-interval-ms", "200"])
        check(wait_for(notify.holding.is_set, 60), "a text reached Notify")
        server.kill()
        notify.release.set()
        held_text = [k for k, bodies in notify.texts.items()]
        check(len(held_text) >= 1, "Notify has the held text")

        # 3. Everything left goes, the held email after its lease.
        server = Server(["serve", "--db", db, "--jobs-interval-ms", "200"])
        done = wait_for(lambda: all(row[2] == "delivered" for row in outbox(db)),
                        2 * LEASE_SECONDS + 60)
        check(done, "every message delivered after the restarts: " +
              str([(r[0], r[2]) for r in outbox(db) if r[2] != "delivered"][:5]))

        # Notify's receipts: a wrong token is refused, an unknown id is not
        # rollcall's, and each real one is recorded.
        rows = outbox(db)
        texts = {r[0]: r for r in rows if r[1] == "sms"}
        first = next(iter(notify.ids.values()))
        check(post_receipt(server.port, "wrong-token-0123456789",
                           {"id": first, "status": "delivered"}) == 401,
              "a receipt with a wrong token is refused")
        check(post_receipt(server.port, RECEIPT_TOKEN,
                           {"id": str(uuid.uuid4()), "status": "delivered"}) == 404,
              "a receipt for a message rollcall did not send is not found")
        for reference, notification_id in notify.ids.items():
            status = post_receipt(server.port, RECEIPT_TOKEN, {
                "id": notification_id, "reference": reference, "to": "07700900100",
                "status": "delivered", "created_at": "2026-12-03T10:00:00.000000Z",
                "completed_at": "2026-12-03T10:00:05.000000Z",
                "sent_at": "2026-12-03T10:00:01.000000Z", "notification_type": "sms"})
            check(status == 200, f"receipt for {reference} taken: {status}")
        server.stop()
        rows = outbox(db)
        con = sqlite3.connect(db)
        logged = {}
        for key, channel, _, _, _, pupil, payload in rows:
            if pupil is None:
                continue
            p = json.loads(payload)
            note = p["subject"] if channel == "email" else p["body"]
            logged[key] = con.execute(
                "SELECT count(*) FROM contact_log WHERE pupil_id = ? AND by_name = 'rollcall' "
                "AND method = ? AND outcome = 'sent' AND note = ? AND contact_name = ?",
                (pupil, "email" if channel == "email" else "text", note,
                 p["recipient"])).fetchone()[0]
        con.close()

    smtp.stop()
    emails = {r[0]: r for r in rows if r[1] == "email"}
    texts = {r[0]: r for r in rows if r[1] == "sms"}
    check(not notify.problems, f"every Notify request checked out: {notify.problems[:3]}")

    # Email: once each by Message-ID, the one cut off sent again with its ID.
    want_ids = {message_id_for(k) for k in emails}
    got = dict(sink.accepted)
    check(set(got) == want_ids,
          f"every email arrived: {sorted(want_ids - set(got))[:3]} missing, "
          f"{sorted(set(got) - want_ids)[:3]} unexpected")
    twice = [m for m, copies in got.items() if len(copies) != 1]
    check(not twice, f"each email arrived exactly once: {twice[:3]}")
    check(len(sink.cut_off) == 1 and sink.cut_off[0] in got,
          f"the email cut off by the crash came again with the same Message-ID: {sink.cut_off}")
    for key, row in emails.items():
        copies = got.get(message_id_for(key))
        if not copies:
            continue
        msg = email.message_from_bytes(copies[0], policy=email.policy.default)
        payload = json.loads(row[6])
        check(str(msg["Subject"]) == payload["subject"], f"{key}: the subject as queued")
        body = msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
        check(body.rstrip("\n") == payload["body"].rstrip("\n"), f"{key}: the body as queued")
        files = [(part.get_filename(), part.get_content()) for part in msg.iter_attachments()]
        want_files = [(a["filename"], base64.b64decode(a["base64"])) for a in payload["attachments"]]
        check(files == want_files, f"{key}: the attachments as queued")

    # Texts: once each by reference; the held one looked up, not sent again.
    check(set(notify.texts) == set(texts),
          f"every text reached Notify: {sorted(set(texts) - set(notify.texts))[:3]} missing")
    again = [r for r, sent in notify.texts.items() if len(sent) != 1]
    check(not again, f"each text was sent to Notify exactly once: {again[:3]}")
    check(any(r in notify.lookups for r in held_text),
          f"the held text was looked up by its reference: {notify.lookups[:5]}")
    for key, row in texts.items():
        check(row[3] == notify.ids.get(key), f"{key}: Notify's id recorded: {row[3]}")
        check(row[4] == "delivered", f"{key}: the receipt recorded: {row[4]!r}")
    wrong = {k: n for k, n in logged.items() if n != 1}
    check(len(logged) >= family and not wrong,
          f"each family message is in the pupil's contact log once: {wrong}")
    print(f"messaging: {len(emails)} emails, {len(texts)} texts, "
          f"{len(notify.lookups)} lookups at Notify", flush=True)
    print(f"{server_test.passed} passed, {server_test.failed} failed")
    return 1 if server_test.failed else 0


if __name__ == "__main__":
    sys.exit(main())
