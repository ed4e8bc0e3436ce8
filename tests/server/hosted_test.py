#!/usr/bin/env python3
"""Tenancy over HTTP: one `rollcall serve --schools` process, two schools.

Usage: scripts/with-test-postgres hosted_test.py ROLLCALL_BINARY

`rollcall demo` seeds the demo school (A, URN 112604) and its neighbours into
a new database of the throwaway cluster (ROLLCALL_TEST_PG); B is St Anne's
(URN 112606), which shares no pupil with A. One server serves both from a
schools file, A at host a.test and B at host b.test, each also at /s/URN/.

Logged in as A's head (by host, then by path), every route of App's route
table (read from src/web/app.cc, so a new route is covered without touching
this file) is requested within A with B's real ids in its placeholders: a
GET naming a B record is 404 (403 for the LA's views, which a head may not
see), a write naming one never succeeds, and no answer carries any of B's
pupils' names or UPNs. A's login cookie sent to B, by host and by path, is
not logged in there. A request naming no school is 404 and names none.

Prints 'N passed, M failed' last; exits 1 on any failure.
"""
import html
import http.client
import json
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_test  # noqa: E402  (reads ROLLCALL_BINARY from sys.argv[1])
from server_test import Server, check, PASSWORD  # noqa: E402
from postgres_crash_test import Cluster  # noqa: E402

A_URN = "112604"
B_URN = "112606"
A_HOST = "a.test"
B_HOST = "b.test"
APP_CC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "web",
                      "app.cc")
# Routes that would end or change the head's own login, or are the logins
# themselves: requested with no session by the public checks, not here.
SKIP = re.compile(r"^/(login|logout|setup|invite|account|second-factor)(/|$)|"
                  r"^/api/v1/(login|logout|me/password)$")
# Placeholders that name a record of B: the answer must refuse it.
B_SPECIFIC = {"id", "pupil", "key", "urn", "batch"}


def routes():
    """(method, pattern) of every line of App's route table."""
    text = open(APP_CC, encoding="utf-8").read()
    table = text[text.index("kRoutes[] = {"):]
    table = table[:table.index("\n  };")]
    found = re.findall(r'\{k(Get|Post|Put|Delete),\s*"([^"]+)"', table)
    return [(m.upper(), p) for m, p in found]


class Browser:
    """One login: a Host header, or a path prefix, and its cookie."""

    def __init__(self, port, host=None, prefix=""):
        self.port = port
        self.host = host
        self.prefix = prefix
        self.cookie = None
        self.csrf = None

    def request(self, method, path, body=None, cookie=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Content-Type": "application/json"}
        if self.host:
            headers["Host"] = self.host
        cookie = cookie if cookie is not None else self.cookie
        if cookie:
            headers["Cookie"] = cookie
        if self.csrf and method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        data = None if body is None else json.dumps(body)
        conn.request(method, self.prefix + path, body=data, headers=headers)
        res = conn.getresponse()
        raw = res.read().decode("utf-8", "replace")
        conn.close()
        return res.status, raw, res

    def login(self, username="head"):
        status, raw, res = self.request("POST", "/api/v1/login",
                                        {"username": username, "password": PASSWORD})
        check(status == 200, f"{username} logs in at {self.host or self.prefix}: {status} {raw}")
        if status == 200:
            self.cookie = res.getheader("Set-Cookie").split(";")[0]
            self.csrf = json.loads(raw)["csrf_token"]
        return res

    def json(self, path):
        status, raw, _ = self.request("GET", path)
        check(status == 200, f"GET {path} at {self.host or self.prefix}: {status}")
        return json.loads(raw) if status == 200 else {}


def school_facts(b):
    """B's records: ids to put in the routes, and the strings that are B's alone."""
    pupils = b.json("/api/v1/pupils")["pupils"]
    classes = b.json("/api/v1/classes").get("classes", [])
    users = b.json("/api/v1/users").get("users", [])
    cases = b.json("/api/v1/penalty-cases").get("cases", [])
    check(len(pupils) > 100 and classes and users, "school B has pupils, classes and users")
    # The highest of B's pupil ids stands in for a record of a kind B has
    # none of: ids are numbered across schools and A was seeded first, so
    # no row of A has it.
    return {"pupils": pupils, "pupil": max(p["id"] for p in pupils), "class": classes[0]["id"],
            "user": users[-1]["id"], "case": cases[0]["id"] if cases else pupils[1]["id"]}


def fill(pattern, b):
    """The pattern with B's values in its placeholders."""
    first = pattern.strip("/").split("/")[0] if pattern != "/" else ""
    api = pattern.startswith("/api/")
    head = pattern.split("/")[3] if api and pattern.count("/") >= 3 else first

    def value(m):
        name = m.group(1)
        if name in ("id", "pupil"):
            if head in ("classes",):
                return str(b["class"])
            if head in ("users",):
                return str(b["user"])
            if head in ("penalty-cases", "penalties"):
                return str(b["case"])
            return str(b["pupil"])
        return {"date": "2026-11-25", "session": "AM", "n": "1", "key": f"{b['pupil']}-cme",
                "urn": B_URN, "batch": str(b["pupil"]), "file": "return.xml", "what": "pupil",
                "action": "disable", "token": "rc_not_a_token", "name": "app.js"}.get(name, "x")
    return re.sub(r"\{(\w+)\}", value, pattern)


def b_strings(a_pupils, b_pupils):
    """B's pupils' UPNs and full names that A has not (as JSON or HTML would write them)."""
    # The synthetic schools share a pool of names: a name of B that A's list
    # holds too (or holds inside a longer one) says nothing, so it is left out.
    a_text = "\n".join(f"{p['upn']}\n{p['name']}\n{p['legal_name']}" for p in a_pupils)
    out = set()
    for p in b_pupils:
        for s in (p["upn"], p["name"], p["legal_name"]):
            if s and s not in a_text and len(s) > 5:
                out.add(s)
                out.add(html.escape(s))
    return out


def leaks(raw, strings):
    return [s for s in strings if s in raw]


def tenancy(port, a, b_facts, strings, where):
    """Every route within A with B's ids: refused, and nothing of B in the answer."""
    table = routes()
    check(len(table) > 150, f"the route table read from app.cc: {len(table)} routes")
    # GETs first: the writes after them cannot hide what a read shows.
    ordered = sorted(table, key=lambda r: r[0] != "GET")
    tried = refused = 0
    for method, pattern in ordered:
        if SKIP.search(pattern):
            continue
        path = fill(pattern, b_facts)
        names_b = bool(set(re.findall(r"\{(\w+)\}", pattern)) & B_SPECIFIC)
        body = None if method == "GET" else {}
        status, raw, _ = a.request(method, path, body)
        tried += 1
        found = leaks(raw, strings)
        check(not found, f"{where}: {method} {path}: no B data in the answer: {found[:3]}")
        check(status < 500, f"{where}: {method} {path}: no server error: {status} {raw[:200]}")
        if names_b:
            if method == "GET":
                # The LA's views are refused to a head whatever they name.
                want = (403,) if pattern.startswith("/la/") else (404,)
                check(status in want,
                      f"{where}: {method} {path}: B's record is {want}, got {status} {raw[:200]}")
            else:
                check(not 200 <= status < 300,
                      f"{where}: {method} {path}: a write naming B's record fails: {status} "
                      f"{raw[:200]}")
            refused += status in (403, 404)
    # Still A's head: nothing above ended the login.
    status, raw, _ = a.request("GET", "/api/v1/me")
    check(status == 200 and json.loads(raw)["school"]["urn"] == A_URN,
          f"{where}: still logged in at A after every route: {status}")
    print(f"{where}: {tried} requests within A with B's ids, {refused} refused 403/404",
          flush=True)


def cross_cookie(port, a):
    """A's cookie at B, by host and by path: not logged in, nothing of B."""
    for host, prefix in ((B_HOST, ""), ("127.0.0.1", f"/s/{B_URN}"), (A_HOST, f"/s/{B_URN}")):
        b = Browser(port, host, prefix)
        status, raw, _ = b.request("GET", "/api/v1/me", cookie=a.cookie)
        check(status == 401, f"A's cookie at {host}{prefix}: API not logged in: {status} {raw}")
        status, raw, res = b.request("GET", "/pupils", cookie=a.cookie)
        check(status == 303 and res.getheader("Location") == prefix + "/login",
              f"A's cookie at {host}{prefix}: page sends to B's login: {status} "
              f"{res.getheader('Location')}")
        status, raw, _ = b.request("GET", "/api/v1/pupils", cookie=a.cookie)
        check(status == 401 and "upn" not in raw, f"A's cookie at {host}{prefix}: no pupils")


def strangers(port):
    for host, path in (("unknown.test", "/"), ("unknown.test", "/login"),
                       ("127.0.0.1", "/"), ("127.0.0.1", "/s/999999/login")):
        b = Browser(port, host)
        status, raw, _ = b.request("GET", path)
        check(status == 404, f"{host}{path}: no school: 404, got {status}")
        check(A_URN not in raw and B_URN not in raw and "Primary" not in raw,
              f"{host}{path}: the 404 names no school: {raw[:200]}")
    status, raw, _ = Browser(port, "unknown.test").request("GET", "/healthz")
    check(status == 200 and json.loads(raw)["status"] == "ok", "the process's health check")
    status, raw, res = Browser(port, "127.0.0.1").request("GET", f"/s/{A_URN}")
    check(status == 303 and res.getheader("Location") == f"/s/{A_URN}/",
          f"/s/URN redirects to /s/URN/: {status} {res.getheader('Location')}")
    status, raw, _ = Browser(port, "127.0.0.1", f"/s/{A_URN}").request("GET", "/login")
    check(status == 200 and f'action="/s/{A_URN}/login"' in raw,
          "the login page under the prefix posts under it")


def bad_files(cluster, db, tmp):
    """A bad schools file stops the server before it listens, naming the line."""
    cases = [("100001 a.test\n100001 b.test\n", "line 2"),
             (f"{A_URN} a.test\n{B_URN} A.TEST\n", "line 2"),
             (f"{A_URN}\n# fine\n999998\n", "line 3: no school with URN 999998")]
    for text, want in cases:
        path = os.path.join(tmp, "bad-schools.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        out = server_test.subprocess.run(
            [server_test.BINARY, "serve", "--db", cluster.uri(db), "--schools", path, "--port",
             "0"], capture_output=True, text=True, timeout=120, check=False)
        check(out.returncode != 0 and want in out.stderr and "bad-schools.txt" in out.stderr,
              f"bad schools file refused ({want}): rc {out.returncode} {out.stderr.strip()}")
    out = server_test.subprocess.run(
        [server_test.BINARY, "serve", "--db", cluster.uri(db), "--schools", path, "--school",
         A_URN, "--port", "0"], capture_output=True, text=True, timeout=60, check=False)
    check(out.returncode != 0 and "--school" in out.stderr, "--schools with --school refused")


def seed_demo(cluster, db):
    """`rollcall demo` seeds A and its neighbours, B among them; stopped once serving.

    Seeding four schools on PostgreSQL takes minutes on a busy machine, so
    this waits longer than server_test.Server does."""
    started = time.time()
    proc = server_test.subprocess.Popen(
        [server_test.BINARY, "demo", "--db", cluster.uri(db), "--school", A_URN, "--pupils",
         "60", "--port", "0", "--quiet"], stdout=server_test.subprocess.PIPE,
        stderr=server_test.subprocess.PIPE, text=True)
    lines = []
    while time.time() - started < 1200:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if re.search(r"http://127\.0\.0\.1:\d+/", line):
            break
    serving = bool(lines) and re.search(r"http://127\.0\.0\.1:\d+/", lines[-1])
    proc.terminate()
    proc.communicate(timeout=60)
    if not serving:
        raise RuntimeError("demo did not start: " + "".join(lines))
    print(f"demo schools ready on PostgreSQL in {time.time() - started:.1f} s", flush=True)


def main():
    conninfo = os.environ.get("ROLLCALL_TEST_PG", "")
    if not conninfo:
        print("ROLLCALL_TEST_PG is not set: run under scripts/with-test-postgres")
        return 1
    cluster = Cluster(conninfo)
    db = f"rollcall_hosted_{os.getpid()}"
    cluster.psql("postgres", f"CREATE DATABASE {db} OWNER rollcall")
    seed_demo(cluster, db)
    with tempfile.TemporaryDirectory() as tmp:
        schools = os.path.join(tmp, "schools.txt")
        with open(schools, "w", encoding="utf-8") as f:
            f.write(f"# two schools\n{A_URN} {A_HOST}\n\n{B_URN} {B_HOST}  # St Anne's\n")
        bad_files(cluster, db, tmp)
        server = Server(["serve", "--db", cluster.uri(db), "--schools", schools])
        port = server.port
        b = Browser(port, prefix=f"/s/{B_URN}", host="127.0.0.1")
        b.login()
        b_facts = school_facts(b)
        a_by_host = Browser(port, A_HOST)
        a_by_host.login()
        a_pupils = a_by_host.json("/api/v1/pupils")["pupils"]
        strings = b_strings(a_pupils, b_facts["pupils"])
        check(len(strings) > 100, f"B's own names and UPNs to look for: {len(strings)}")
        # B's head by host sees B: the names looked for are really B's.
        b_by_host = Browser(port, B_HOST)
        b_by_host.login()
        status, raw, _ = b_by_host.request("GET", "/api/v1/pupils")
        check(leaks(raw, strings), "B's own answer carries B's names (the check can fail)")
        a_by_path = Browser(port, "127.0.0.1", f"/s/{A_URN}")
        a_by_path.login()
        strangers(port)
        cross_cookie(port, a_by_host)
        cross_cookie(port, a_by_path)
        tenancy(port, a_by_host, b_facts, strings, "A by host")
        tenancy(port, a_by_path, b_facts, strings, "A by path")
        check(server.stop() == 0, "the server stops cleanly on SIGTERM")
    print(f"{server_test.passed} passed, {server_test.failed} failed")
    return 1 if server_test.failed else 0


if __name__ == "__main__":
    sys.exit(main())
