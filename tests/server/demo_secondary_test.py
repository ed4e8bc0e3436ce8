#!/usr/bin/env python3
"""`rollcall demo` serves two schools from one process: Riverside Primary at /
and the secondary school, Castle Hill Academy, at /s/138456/.

Usage: demo_secondary_test.py ROLLCALL_BINARY

Starts the demo with its clock on a school Wednesday at 10:15 (--now), then
over HTTP: Riverside's accounts log in at / and see what they always saw;
Castle Hill's at /s/138456/ alone, each login's cookie scoped to its school;
castle-teacher1's lessons today include 7A English in P2, under way; the
office's Today page lists pupils missing from lessons this morning; the LA
officer's list of schools names the secondary too. A second start on the
same database seeds nothing again.

Prints 'N passed, M failed' last; exits 1 on any failure.
"""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

BINARY = os.path.abspath(sys.argv[1])
PASSWORD = "rollcall-demo"
NOW = "2026-11-25T10:15"  # a Wednesday of the autumn term, P2 under way
PREFIX = "/s/138456"
passed = 0
failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)
    return cond


class Demo:
    """`rollcall demo` on a free port; its output kept for the checks."""

    def __init__(self, db):
        self.proc = subprocess.Popen(
            [BINARY, "demo", "--db", db, "--port", "0", "--now", NOW, "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.port = None
        self.lines = []
        deadline = time.time() + 600
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            m = re.search(r"https?://127\.0\.0\.1:(\d+)/s/138456/", line)
            if m:
                self.port = int(m.group(1))
            if "Ctrl-C stops it." in line:
                break
        if self.port is None:
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            raise RuntimeError("demo did not start: " + "".join(self.lines) + err)
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()

    def output(self):
        return "".join(self.lines)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return self.proc.returncode


class Client:
    def __init__(self, port, prefix=""):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.prefix = prefix
        self.cookie = None
        self.set_cookie = None
        self.csrf = None

    def request(self, method, path, body=None):
        headers = {"Content-Type": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf and method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        data = None if body is None else json.dumps(body)
        self.conn.request(method, self.prefix + path, body=data, headers=headers)
        res = self.conn.getresponse()
        raw = res.read()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode("utf-8", "replace")
        return res.status, payload, res

    def login(self, username):
        status, body, res = self.request("POST", "/api/v1/login",
                                         {"username": username, "password": PASSWORD})
        if status == 200:
            self.set_cookie = res.getheader("Set-Cookie")
            self.cookie = self.set_cookie.split(";")[0]
            self.csrf = body["csrf_token"]
        return status


def riverside_unchanged(port):
    head = Client(port)
    check(head.login("head") == 200, "Riverside's head logs in at /")
    status, body, _ = head.request("GET", "/api/v1/me")
    check(status == 200 and body["user"]["username"] == "head", f"Riverside's head at /: {body}")
    check("Path=/;" in (head.set_cookie or ""), f"Riverside's cookie at /: {head.set_cookie}")
    status, classes, _ = head.request("GET", "/api/v1/classes")
    check(status == 200 and len(classes["classes"]) == 14, "Riverside still has its 14 classes")
    status, pupils, _ = head.request("GET", "/api/v1/pupils")
    check(status == 200 and 380 <= len(pupils["pupils"]) <= 460,
          f"Riverside still has about 420 pupils: {status}")
    # Riverside's login is no login at Castle Hill, and the other way round.
    status, _, _ = head.request("GET", PREFIX + "/api/v1/me")
    check(status == 401, f"Riverside's cookie is no login at Castle Hill: {status}")
    check(Client(port).login("castle-head") == 401, "castle-head is not a Riverside account")
    check(Client(port, PREFIX).login("head") == 401, "Riverside's head is not a Castle Hill account")


def castle_hill(port):
    head = Client(port, PREFIX)
    check(head.login("castle-head") == 200, "castle-head logs in at /s/138456/")
    check(f"Path={PREFIX}/" in (head.set_cookie or ""),
          f"Castle Hill's cookie is scoped to its prefix: {head.set_cookie}")
    status, pupils, _ = head.request("GET", "/api/v1/pupils")
    check(status == 200 and 900 <= len(pupils["pupils"]) <= 1100,
          f"Castle Hill has about 1,000 pupils: {status} "
          f"{len(pupils['pupils']) if status == 200 else pupils}")
    status, classes, _ = head.request("GET", "/api/v1/classes")
    names = sorted(c["name"] for c in classes["classes"]) if status == 200 else []
    check(len(names) == 30 and "7A" in names and "11F" in names, f"forms 7A to 11F: {names}")

    teacher = Client(port, PREFIX)
    check(teacher.login("castle-teacher1") == 200, "castle-teacher1 logs in at /s/138456/")
    status, page, _ = teacher.request("GET", "/lessons")
    text = page if isinstance(page, str) else json.dumps(page)
    check(status == 200 and "7A/En" in text and "P2" in text,
          f"castle-teacher1's lessons today include 7A English in P2: {status} {text[:300]}")
    check(f'href="{PREFIX}/lessons/register' in text,
          "the lesson links stay under the school's prefix")

    office = Client(port, PREFIX)
    check(office.login("castle-office") == 200, "castle-office logs in")
    status, page, _ = office.request("GET", "/today")
    text = page if isinstance(page, str) else json.dumps(page)
    check(status == 200 and "Missing from lessons today" in text,
          f"the office's Today page lists internal truancy: {status}")


def la_sees_both(port):
    la = Client(port)
    check(la.login("la") == 200, "the LA officer logs in at /")
    status, page, _ = la.request("GET", "/la/schools")
    text = page if isinstance(page, str) else json.dumps(page)
    check(status == 200 and "Castle Hill Academy" in text and "Riverside" in text,
          f"the LA's schools include the secondary: {status}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "school.db")
        started = time.time()
        demo = Demo(db)
        print(f"demo with both schools ready in {time.time() - started:.1f} s", flush=True)
        try:
            out = demo.output()
            check("Castle Hill Academy" in out and "castle-teacher1" in out and
                  "castle-office" in out, f"the demo prints Castle Hill's address and logins: {out}")
            check(os.path.exists(os.path.join(tmp, "138456.db")),
                  "the secondary's database is beside the demo's")
            riverside_unchanged(demo.port)
            castle_hill(demo.port)
            la_sees_both(demo.port)
        finally:
            check(demo.stop() == 0, "the demo stops cleanly")
        # Started again: nothing to seed, both schools served at once.
        started = time.time()
        again = Demo(db)
        took = time.time() - started
        try:
            check("creating" not in again.output(), f"a second start seeds nothing: {again.output()}")
            check(Client(again.port, PREFIX).login("castle-teacher1") == 200,
                  "Castle Hill is served again")
            print(f"second start in {took:.1f} s", flush=True)
        finally:
            again.stop()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
