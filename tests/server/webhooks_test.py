#!/usr/bin/env python3
"""End-to-end test of webhooks: no event lost or sent under two keys across kill -9.

Usage: webhooks_test.py ROLLCALL_BINARY

A real HTTP receiver on 127.0.0.1 checks every delivery's signature (HMAC-SHA256
of "<timestamp>.<body>" with the subscription's secret) and timestamp, and keeps
what it got by idempotency key. The head subscribes it on /settings/webhooks.

1. `rollcall demo` with the background jobs every 200 ms. Marks are amended
   through the API. The receiver holds its first request open; while it is
   held (the server is inside the POST, the message claimed and not yet
   marked delivered) the server is killed with SIGKILL. Then the receiver
   takes the held body as received.
2. `rollcall serve` with the jobs every 10 minutes: they run once at start,
   then more marks are amended and the server is killed at once, so those
   events are committed but not yet fanned out.
3. `rollcall serve` with the jobs every 200 ms: everything left is sent,
   the held message again once its lease (60 s) has run out.

Then: every event of a subscribed kind recorded after the subscription has
its one delivery key, every key arrived, each key's bodies are identical
bytes, no event arrived under two keys, and every acknowledged amendment is
one mark.amended delivery.

Prints 'N passed, M failed' last; exits 1 on any failure.
"""
import hashlib
import hmac
import http.server
import json
import os
import re
import sqlite3
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_test  # noqa: E402  (its Server and Client, and check)
from server_test import Client, Server, check, open_past_sessions  # noqa: E402

KINDS = ["mark.amended", "absence.no_reason"]


class Receiver:
    """A webhook receiver that verifies signatures and keeps bodies by key."""

    def __init__(self):
        self.secret = None
        self.lock = threading.Lock()
        self.bodies = {}  # key -> [body bytes, ...] (every arrival)
        self.problems = []
        self.hold_first = threading.Event()  # set: hold the next request open
        self.holding = threading.Event()     # a request is being held
        self.release = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.receive(self.headers, body)
                if receiver.hold_first.is_set() and not receiver.holding.is_set():
                    receiver.holding.set()
                    receiver.release.wait(timeout=30)
                try:
                    self.send_response(204)
                    self.end_headers()
                except OSError:
                    pass  # the sender was killed while we held its request

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def receive(self, headers, body):
        key = headers.get("Rollcall-Delivery", "")
        stamp = headers.get("Rollcall-Timestamp", "")
        signature = headers.get("Rollcall-Signature", "")
        want = "v1=" + hmac.new(self.secret.encode(), stamp.encode() + b"." + body,
                                hashlib.sha256).hexdigest()
        with self.lock:
            if not hmac.compare_digest(signature, want):
                self.problems.append(f"bad signature for {key}")
            if not stamp.isdigit() or abs(time.time() - int(stamp)) > 300:
                self.problems.append(f"timestamp {stamp!r} of {key} is not now")
            try:
                payload = json.loads(body)
                if payload.get("id") != key or payload.get("event") != headers.get("Rollcall-Event"):
                    self.problems.append(f"headers and payload of {key} disagree")
            except ValueError:
                self.problems.append(f"{key}: body is not JSON")
            self.bodies.setdefault(key, []).append(body)

    def keys(self):
        with self.lock:
            return dict(self.bodies)


def subscribe(head, receiver):
    """The head adds the subscription on its page; returns the webhook's id."""
    form = "url=" + f"http%3A%2F%2F127.0.0.1%3A{receiver.port}%2Fhook" + "".join(
        f"&kind_{k}=yes" for k in KINDS)
    status, page, _ = head.request("POST", "/settings/webhooks", form,
                                   {"Content-Type": "application/x-www-form-urlencoded"})
    text = page.decode() if isinstance(page, bytes) else str(page)
    check(status == 200, f"subscription added: {status}")
    secret = re.search(r"whsec_[0-9a-f]+", text)
    hook = re.search(r"/settings/webhooks/(\d+)/pause", text)
    check(secret is not None and hook is not None, "the page shows the secret and the subscription")
    receiver.secret = secret.group(0)
    return int(hook.group(1))


def amend(client, count, code_cycle):
    """Amends `count` existing marks on past registers; returns how many were acknowledged."""
    status, classes, _ = client.request("GET", "/api/v1/classes")
    acked = 0
    for class_info in classes["classes"]:
        for date, session, _ in open_past_sessions(client, class_info["id"], 2):
            status, reg, _ = client.request(
                "GET", f"/api/v1/registers/{date}/{session}?class={class_info['id']}")
            for pupil in reg["pupils"]:
                old = pupil.get("code")
                if not old:
                    continue
                new = next(c for c in code_cycle if c != old)
                status, body, _ = client.request(
                    "PUT", f"/api/v1/registers/{date}/{session}/marks/{pupil['id']}",
                    {"code": new, "reason": "webhooks test"})
                check(status == 200, f"amendment acknowledged: {status} {body}")
                acked += status == 200
                if acked >= count:
                    return acked
    return acked


def wait_for(condition, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def main():
    receiver = Receiver()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "school.db")

        # 1. Killed while the receiver holds a delivery.
        server = Server(["demo", "--db", db, "--jobs-interval-ms", "200"])
        head = Client(server.port)
        head.login("head")
        hook_id = subscribe(head, receiver)
        office = Client(server.port)
        office.login("office")
        receiver.hold_first.set()
        amended = amend(office, 6, ["N", "I", "M"])
        check(wait_for(receiver.holding.is_set, 20), "a delivery reached the receiver")
        server.kill()
        receiver.release.set()

        # 2. Killed straight after the writes: committed, not fanned out.
        server = Server(["serve", "--db", db, "--jobs-interval-ms", "600000"])
        office = Client(server.port)
        office.login("office")
        amended += amend(office, 4, ["M", "I", "N"])
        server.kill()
        con = sqlite3.connect(db)
        pending = con.execute("SELECT count(*) FROM events WHERE fanned_out = 0").fetchone()[0]
        con.close()
        check(pending > 0, "events committed but not fanned out when the server died")

        # 3. Everything arrives, the held one again after its lease.
        server = Server(["serve", "--db", db, "--jobs-interval-ms", "200"])

        def all_delivered():
            con = sqlite3.connect(db)
            try:
                left = con.execute("SELECT count(*) FROM events WHERE fanned_out = 0").fetchone()[0]
                # Only webhooks: the demo's day-one emails and texts wait for
                # the message sender, which this test does not configure.
                left += con.execute("SELECT count(*) FROM outbox WHERE channel = 'webhook' "
                                    "AND state <> 'delivered'").fetchone()[0]
                return left == 0
            finally:
                con.close()

        check(wait_for(all_delivered, 150), "every message delivered after the restart")
        server.stop()

        con = sqlite3.connect(db)
        created = con.execute("SELECT created_at FROM webhooks WHERE id = ?", (hook_id,)).fetchone()[0]
        events = con.execute(
            "SELECT id, kind FROM events WHERE at >= ? AND kind IN (?, ?)",
            (created, *KINDS)).fetchall()
        outbox = dict(con.execute(
            "SELECT idempotency_key, payload FROM outbox WHERE subscription_id = ?",
            (hook_id,)).fetchall())
        con.close()

    got = receiver.keys()
    check(not receiver.problems, f"every delivery verified: {receiver.problems[:3]}")
    want = {f"evt_{eid}_{hook_id}" for eid, _ in events}
    check(want == set(outbox), f"one outbox row per event: {len(want)} events, {len(outbox)} rows")
    missing = set(outbox) - set(got)
    check(not missing, f"every key arrived: {sorted(missing)[:5]} missing")
    extra = set(got) - set(outbox)
    check(not extra, f"no key the server did not queue: {sorted(extra)[:5]}")
    differ = [k for k, bodies in got.items() if len(set(bodies)) != 1 or
              (k in outbox and bodies[0] != outbox[k].encode())]
    check(not differ, f"each key's bodies are the same bytes: {differ[:5]}")
    event_ids = [k.split("_")[1] for k in got]
    check(len(event_ids) == len(set(event_ids)), "no event arrived under two keys")
    again = [k for k, bodies in got.items() if len(bodies) > 1]
    check(len(again) >= 1, f"the held delivery was sent again with its key: {again}")
    kinds = [json.loads(bodies[0])["event"] for bodies in got.values()]
    check(kinds.count("mark.amended") == amended,
          f"one mark.amended per acknowledged amendment: {kinds.count('mark.amended')} of {amended}")
    print(f"webhooks: {amended} amendments, {len(got)} keys delivered, {len(again)} sent twice",
          flush=True)
    print(f"{server_test.passed} passed, {server_test.failed} failed")
    return 1 if server_test.failed else 0


if __name__ == "__main__":
    sys.exit(main())
