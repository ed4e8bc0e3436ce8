#!/usr/bin/env python3
"""End-to-end tests of `rollcall demo` and `rollcall serve` over real HTTP.

Usage: server_test.py ROLLCALL_BINARY

1. Demo: `rollcall demo --port 0` creates the demo school; every demo login
   works; the scenario export, evaluated by `rollcall evaluate`, equals the
   API's school and pupil summaries.
2. HTTP edges: oversize bodies, malformed requests, bad dates, unknown ids.
3. Crash: a burst of register writes from several clients, the server killed
   with SIGKILL in the middle; after a restart every acknowledged write is
   present with its audit row and PRAGMA integrity_check is ok.
4. Shutdown: SIGTERM straight after start, with or without connections,
   exits 0 every time.

Prints 'N passed, M failed' last; exits 1 on any failure.
"""
import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

BINARY = os.path.abspath(sys.argv[1])
PASSWORD = "rollcall-demo"
passed = 0
failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)


class Server:
    """A rollcall server process; its port is read from its first line."""

    def __init__(self, args, preexec_fn=None):
        self.proc = subprocess.Popen([BINARY] + args + ["--port", "0", "--quiet"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     preexec_fn=preexec_fn)
        self.port = None
        deadline = time.time() + 300
        lines = []
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            m = re.search(r"https?://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                break
        if self.port is None:
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            raise RuntimeError("server did not start: " + "".join(lines) + err)
        # Drain stdout so the server never blocks on a full pipe.
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        return self.proc.returncode


class Client:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = None
        self.csrf = None

    def request(self, method, path, body=None, headers=None):
        h = {"Content-Type": "application/json"}
        if self.cookie:
            h["Cookie"] = self.cookie
        if self.csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        h.update(headers or {})
        data = body if isinstance(body, (bytes, str)) or body is None else json.dumps(body)
        self.conn.request(method, path, body=data, headers=h)
        res = self.conn.getresponse()
        raw = res.read()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw
        return res.status, payload, res

    def login(self, username, password=PASSWORD):
        status, body, res = self.request("POST", "/api/v1/login",
                                         {"username": username, "password": password})
        if status == 200:
            self.cookie = res.getheader("Set-Cookie").split(";")[0]
            self.csrf = body["csrf_token"]
        return status, body


def evaluate(scenario_text):
    out = subprocess.run([BINARY, "evaluate", "-"], input=scenario_text, capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError("evaluate failed: " + out.stderr)
    return json.loads(out.stdout)


def demo_tests(port):
    for user, role in [("head", "head"), ("office", "office"), ("teacher1", "teacher"),
                       ("governor", "governor"), ("la", "la"), ("parent1", "parent")]:
        c = Client(port)
        status, body = c.login(user)
        check(status == 200 and body["user"]["role"] == role, f"demo login {user}: {status} {body}")
    c = Client(port)
    check(c.login("head", "wrong-password")[0] == 401, "wrong password is refused")

    office = Client(port)
    office.login("office")
    status, pupils, _ = office.request("GET", "/api/v1/pupils")
    check(status == 200 and 380 <= len(pupils["pupils"]) <= 460,
          f"demo has about 420 pupils: {len(pupils['pupils']) if status == 200 else status}")
    status, classes, _ = office.request("GET", "/api/v1/classes")
    check(status == 200 and len(classes["classes"]) == 14, "demo has 14 classes")

    # The export evaluated by `rollcall evaluate` equals the API's summaries.
    status, school, _ = office.request("GET", "/api/v1/school/summary")
    check(status == 200, "school summary")
    as_of = school["as_of"]
    office.conn.request("GET", f"/api/v1/export/scenario?as_of={as_of}",
                        headers={"Cookie": office.cookie})
    res = office.conn.getresponse()
    exported = res.read().decode()
    check(res.status == 200, "export")
    expected = evaluate(exported)
    check(school["school"] == expected["school"], "school summary equals evaluate(export)")
    check(school["cohorts"] == expected["cohorts"], "cohort summaries equal evaluate(export)")
    pct = expected["school"]["absence_pct"]
    check(2.5 <= pct <= 9.0, f"demo absence is realistic: {pct}%")
    sample = random.Random(7).sample(expected["pupils"], 25)
    mismatches = 0
    for want in sample:
        status, got, _ = office.request("GET", f"/api/v1/pupils/{want['id']}/summary?as_of={as_of}")
        mismatches += status != 200 or got != want
    check(mismatches == 0, f"pupil summaries equal evaluate(export): {mismatches} differ")
    n_codes = sum(1 for p in expected["pupils"] for a in p["alerts"] if a["type"] == "n_overdue")
    scen = json.loads(exported)
    n_marks = sum(1 for days in scen["marks"].values() for sessions in days.values()
                  for m in sessions.values() if m == "N")
    check(n_marks > 0, f"demo has N codes awaiting resolution: {n_marks} (overdue alerts {n_codes})")

    # Parents see their own children only; governors no names.
    parent = Client(port)
    parent.login("parent1")
    status, kids, _ = parent.request("GET", "/api/v1/pupils")
    check(status == 200 and 1 <= len(kids["pupils"]) <= 3, "parent sees own children")
    own = {k["id"] for k in kids["pupils"]}
    other = next(p["id"] for p in pupils["pupils"] if p["id"] not in own)
    check(parent.request("GET", f"/api/v1/pupils/{other}")[0] == 403, "parent cannot see others")
    gov = Client(port)
    gov.login("governor")
    check(gov.request("GET", "/api/v1/pupils")[0] == 403, "governor cannot list pupils")
    check(gov.request("GET", "/api/v1/school/summary")[0] == 200, "governor sees aggregates")
    amendments = 0
    for p in pupils["pupils"][:40]:
        status, body, _ = office.request("GET", f"/api/v1/pupils/{p['id']}/amendments")
        amendments += sum(1 for a in body["amendments"] if a["original"] is not None)
    check(amendments > 0, f"demo marks have amendments: {amendments} in 40 pupils")
    return pupils["pupils"]


def http_edge_tests(port):
    c = Client(port)
    c.login("office")
    status, body, _ = c.request("PUT", "/api/v1/registers/2026-01-01/AM/marks/1",
                                "x" * (70 * 1024))
    check(status == 413 and body["error"]["code"] == "BODY_TOO_LARGE", f"oversize body: {status}")
    # Upload routes take up to 10 MB + 64 KB; every other route keeps 64 KB.
    multipart = {"Content-Type": "multipart/form-data; boundary=b"}
    c = Client(port)
    c.login("office")
    status, body, _ = c.request("POST", "/api/v1/pupils/1/evidence", b"x" * (200 * 1024),
                                multipart)
    check(status == 400 and "malformed" in body["error"]["message"],
          f"a 200 KB upload is read whole and its form checked: {status} {body}")
    c = Client(port)
    c.login("office")
    # The server answers 413 as soon as it reads the Content-Length and
    # closes without reading the body, so the client may instead find the
    # connection closed while it is still sending.
    try:
        status, body, _ = c.request("POST", "/api/v1/pupils/1/evidence",
                                    b"x" * (10 * 1024 * 1024 + 65 * 1024), multipart)
        refused = status == 413 and body["error"]["code"] == "BODY_TOO_LARGE"
    except (BrokenPipeError, ConnectionResetError):
        status, refused = "closed while sending", True
    check(refused, f"an upload over 10 MB + 64 KB is refused unread: {status}")
    c = Client(port)
    c.login("office")
    status, body, _ = c.request("POST", "/api/v1/pupils/1/absence-reports", b"x" * (200 * 1024),
                                multipart)
    check(status == 413, f"200 KB to a route that takes no file: {status}")
    c = Client(port)
    c.login("office")
    for path, want in [("/api/v1/registers/2026-02-30/AM?class=1", 400),
                       ("/api/v1/pupils/99999999", 404),
                       ("/api/v1/pupils/1%27%20OR%20%271%27=%271", 404),
                       ("/api/v1/school/summary?as_of=not-a-date", 400),
                       ("/api/v1/nope", 404)]:
        status, body, _ = c.request("GET", path)
        check(status == want and "error" in body, f"GET {path}: {status} {body}")
    status, body, res = c.request("GET", "/nope")
    check(status == 404 and res.getheader("Content-Type").startswith("text/html"),
          f"an unknown page is an HTML 404: {status}")
    status, body, _ = c.request("PUT", "/api/v1/registers/2026-01-01/AM/marks/1", "{not json")
    check(status == 400 and body["error"]["code"] == "JSON_MALFORMED", f"malformed JSON: {status}")
    # Raw garbage instead of HTTP.
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"\x00\x01GARBAGE / HTTP/9.9\r\n\r\n")
    reply = s.recv(4096)
    s.close()
    check(reply.startswith(b"HTTP/1.1 400"), f"garbage request gets 400: {reply[:40]!r}")
    check(Client(port).request("GET", "/healthz")[1] == {"status": "ok"}, "healthz still ok")


def open_past_sessions(client, class_id, want):
    """(date, session) pairs of open sessions before today, newest first."""
    out = []
    day = time.time()
    for _ in range(90):
        day -= 86400
        date = time.strftime("%Y-%m-%d", time.localtime(day))
        for session in ("AM", "PM"):
            status, reg, _ = client.request("GET", f"/api/v1/registers/{date}/{session}?class={class_id}")
            if status == 200 and reg["open"]:
                out.append((date, session, [p["id"] for p in reg["pupils"]]))
        if len(out) >= want:
            break
    return out


def crash_test(db, pupils):
    server = Server(["serve", "--db", db])
    office = Client(server.port)
    office.login("office")
    status, classes, _ = office.request("GET", "/api/v1/classes")
    class_ids = [c["id"] for c in classes["classes"]][:4]
    acked = {}  # (date, session, pupil) -> code acknowledged last
    in_flight = {}  # the write each client had sent when the server died
    lock = threading.Lock()
    stop = threading.Event()
    errors = []

    def writer(class_id, seed):
        c = Client(server.port)
        c.login("office")
        sessions = open_past_sessions(c, class_id, 6)
        rng = random.Random(seed)
        n = 0
        while not stop.is_set() and n < 5000:
            date, session, pupil_ids = rng.choice(sessions)
            if not pupil_ids:
                continue
            pupil = rng.choice(pupil_ids)
            code = rng.choice(["O", "I", "M", "G"])
            try:
                status, body, _ = c.request(
                    "PUT", f"/api/v1/registers/{date}/{session}/marks/{pupil}",
                    {"code": code, "reason": f"crash test write {seed}-{n}",
                     "evidence_confirmed": True})
            except (ConnectionError, http.client.HTTPException, OSError):
                # The server died mid-request: not acknowledged, so it may or
                # may not have been committed.
                with lock:
                    in_flight[(date, session, pupil)] = code
                return
            n += 1
            if status == 200:
                with lock:
                    acked[(date, session, pupil)] = code
            else:
                errors.append((status, body))

    threads = [threading.Thread(target=writer, args=(cid, i)) for i, cid in enumerate(class_ids)]
    for t in threads:
        t.start()
    time.sleep(4)
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    check(not errors, f"no write errors before the kill: {errors[:3]}")
    check(len(acked) >= 20, f"a burst of acknowledged writes before the kill: {len(acked)}")

    con = sqlite3.connect(db)
    integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    check(integrity == "ok", f"integrity_check after kill -9: {integrity}")

    server = Server(["serve", "--db", db])
    c = Client(server.port)
    c.login("office")
    missing = 0
    by_session = {}
    for (date, session, pupil), code in acked.items():
        by_session.setdefault((date, session), {})[pupil] = code
    for (date, session), want in by_session.items():
        status, reg, _ = c.request("GET", f"/api/v1/registers/{date}/{session}")
        got = {p["id"]: p["code"] for p in reg["pupils"]}
        missing += sum(1 for pupil, code in want.items()
                       if got.get(pupil) != code
                       and got.get(pupil) != in_flight.get((date, session, pupil)))
    check(missing == 0, f"every acknowledged write survives kill -9: {missing} of {len(acked)} lost")
    sample = [(k, v) for k, v in acked.items() if k not in in_flight][:30]
    no_audit = 0
    for (date, session, pupil), code in sample:
        status, trail, _ = c.request("GET", f"/api/v1/pupils/{pupil}/amendments")
        rows = [a for a in trail["amendments"] if a["date"] == date and a["session"] == session]
        no_audit += not rows or rows[-1]["new"] != code
    check(no_audit == 0, f"each surviving write has its audit row: {no_audit} without")
    rc = server.stop()
    check(rc == 0, f"server stops cleanly on SIGTERM: {rc}")
    print(f"crash test: {len(acked)} acknowledged writes before kill -9, all checked", flush=True)


def account_tests(tmp):
    """migrate, user add and serve on a new database: no default accounts."""
    db = os.path.join(tmp, "new.db")
    out = subprocess.run([BINARY, "migrate", "--db", db], capture_output=True, text=True)
    check(out.returncode == 0 and "schema version" in out.stdout, f"migrate: {out.stdout}{out.stderr}")
    again = subprocess.run([BINARY, "migrate", "--db", db], capture_output=True, text=True)
    check(again.returncode == 0 and again.stdout == out.stdout, "migrate twice is a no-op")

    def user_add(password, *args):
        return subprocess.run([BINARY, "user", "add", "--db", db] + list(args), input=password + "\n",
                              capture_output=True, text=True)

    made = user_add("a-long-password", "--username", "akhan", "--name", "Mrs A Khan", "--role",
                    "head")
    check(made.returncode == 0 and "created head 'akhan'" in made.stdout, f"user add: {made.stderr}")
    dup = user_add("a-long-password", "--username", "akhan", "--role", "office")
    check(dup.returncode != 0 and "USER_DUPLICATE" in dup.stderr, f"duplicate user: {dup.stderr}")
    short = user_add("short", "--username", "bshort", "--role", "office")
    check(short.returncode == 2 and "10 to 256" in short.stderr, f"short password: {short.stderr}")
    role = user_add("a-long-password", "--username", "crole", "--role", "janitor")
    check(role.returncode == 2 and "--role" in role.stderr, f"unknown role: {role.stderr}")
    cls = user_add("a-long-password", "--username", "dteach", "--role", "teacher", "--class", "9Z")
    check(cls.returncode != 0 and "CLASS_UNKNOWN" in cls.stderr, f"unknown class: {cls.stderr}")
    server = Server(["serve", "--db", db])
    try:
        c = Client(server.port)
        check(c.login("akhan", "a-long-password")[0] == 200, "the new account logs in")
        check(Client(server.port).login("head")[0] == 401, "serve has no demo accounts")
        status, me, _ = c.request("GET", "/api/v1/me")
        check(status == 200 and me["user"]["role"] == "head", f"me: {me}")
    finally:
        server.stop()


def shutdown_tests(tmp):
    """SIGTERM the moment the URL is printed, and while clients connect: the
    server exits 0 every time. It once raced its own acceptor and signal
    handler and died about one time in ten."""
    db = os.path.join(tmp, "shutdown.db")
    subprocess.run([BINARY, "migrate", "--db", db], capture_output=True, check=True)
    codes = []
    for i in range(60):
        proc = subprocess.Popen([BINARY, "serve", "--db", db, "--port", "0", "--quiet"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        socks = []
        if m and i % 2:
            # Connections in flight as the signal lands.
            socks = [socket.create_connection(("127.0.0.1", int(m.group(1)))) for _ in range(3)]
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
        for s in socks:
            s.close()
        codes.append(proc.returncode)
    bad = [c for c in codes if c != 0]
    check(not bad, f"serve exits 0 on SIGTERM in each of {len(codes)} starts: exit codes {bad}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "school.db")
        started = time.time()
        demo = Server(["demo", "--db", db])
        print(f"demo school ready in {time.time() - started:.1f} s", flush=True)
        try:
            pupils = demo_tests(demo.port)
            http_edge_tests(demo.port)
        finally:
            demo.stop()
        crash_test(db, pupils)
        account_tests(tmp)
        shutdown_tests(tmp)
        # serve has no default accounts and refuses a missing directory.
        out = subprocess.run([BINARY, "serve", "--db", os.path.join(tmp, "no", "such", "x.db")],
                             capture_output=True, text=True, timeout=60)
        check(out.returncode != 0 and "DB_OPEN" in out.stderr, f"serve on a bad path: {out.stderr}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
