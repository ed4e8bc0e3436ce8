#!/usr/bin/env python3
"""Two `rollcall serve` processes over one database, as behind a load balancer.

Usage: scripts/with-test-postgres two_process_test.py ROLLCALL_BINARY

For the demo school on PostgreSQL (a new database of the throwaway cluster that
with-test-postgres started, ROLLCALL_TEST_PG) and again on an SQLite file, two
server processes serve the same school and every request alternates between
them, as a round-robin load balancer would send it:

1. A login made on one process works on the other; logging out on one ends
   it on both.
2. A mark written on one process is in the other's register on the very next
   request, and so is an amendment of it; a pupil admitted on one is in the
   other's pupil list and register at once; marks imported by `rollcall
   import` (a third process) are seen by both.
3. Wrong passwords count across processes: after the allowed failures on
   one, the next try on the other is held up too.
4. The school's summary, asked of either process after the writes, is the
   same.

Prints 'N passed, M failed' last; exits 1 on any failure.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_test  # noqa: E402  (reads ROLLCALL_BINARY from sys.argv[1])
from server_test import BINARY, Client, Server, check, open_past_sessions  # noqa: E402

PG_BINDIR = os.environ.get("ROLLCALL_PG_BINDIR", "/usr/lib/postgresql/15/bin")
URN = "112604"
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(serial):
    """A well-formed UPN (check letter, LA 909, establishment 2604, serial)."""
    twelve = f"9092604{26:02d}{serial:03d}"
    total = sum(int(ch) * (i + 2) for i, ch in enumerate(twelve))
    return CHECK_LETTERS[total % 23] + twelve


def conninfo_field(conninfo, key):
    m = re.search(rf"\b{key}=(\S+)", conninfo)
    if not m:
        raise RuntimeError(f"ROLLCALL_TEST_PG has no {key}=: {conninfo}")
    return m.group(1)


class Pair:
    """Two clients, one per process, sharing one login: request() alternates."""

    def __init__(self, ports):
        self.clients = [Client(p) for p in ports]
        self.turn = 0

    def share_login(self, username, password=server_test.PASSWORD):
        status, body = self.clients[0].login(username, password)
        for c in self.clients[1:]:
            c.cookie, c.csrf = self.clients[0].cookie, self.clients[0].csrf
        return status, body

    def on(self, i):
        return self.clients[i]

    def request(self, method, path, body=None):
        c = self.clients[self.turn % len(self.clients)]
        self.turn += 1
        return c.request(method, path, body)


def register_codes(client, date, session):
    status, reg, _ = client.request("GET", f"/api/v1/registers/{date}/{session}")
    if status != 200:
        return None
    return {p["id"]: p.get("code") for p in reg["pupils"]}


def two_process_tests(label, serve_args, import_args):
    a = Server(serve_args)
    b = Server(serve_args)
    try:
        run_checks(label, a, b, import_args)
    finally:
        check(a.stop() == 0, f"{label}: first server stops cleanly")
        check(b.stop() == 0, f"{label}: second server stops cleanly")


def run_checks(label, a, b, import_args):
    office = Pair([a.port, b.port])
    status, _ = office.share_login("office")
    check(status == 200, f"{label}: office logs in on the first process")
    status, me, _ = office.on(1).request("GET", "/api/v1/me")
    check(status == 200 and me["user"].get("username") == "office",
          f"{label}: the first process's login works on the second: {status}")

    status, classes, _ = office.on(0).request("GET", "/api/v1/classes")
    class_id = classes["classes"][0]["id"]
    sessions = open_past_sessions(office.on(0), class_id, 4)
    check(len(sessions) >= 4, f"{label}: past sessions to amend: {len(sessions)}")

    # Each write on one process, read straight away on the other.
    stale = 0
    writes = 0
    codes = ["O", "M", "G", "I"]
    for n in range(24):
        date, session, pupils = sessions[n % len(sessions)]
        pupil = pupils[n % len(pupils)]
        code = codes[n % len(codes)]
        writer, reader = office.on(n % 2), office.on((n + 1) % 2)
        status, body, _ = writer.request(
            "PUT", f"/api/v1/registers/{date}/{session}/marks/{pupil}",
            {"code": code, "reason": f"two-process test {n}", "evidence_confirmed": True})
        if status != 200:
            check(False, f"{label}: write {n} answered {status}: {body}")
            continue
        writes += 1
        seen = register_codes(reader, date, session) or {}
        stale += seen.get(pupil) != code
    check(writes == 24 and stale == 0,
          f"{label}: every mark written on one process is in the other's next answer "
          f"({stale} of {writes} stale)")

    # A pupil admitted on one process is on the other's roll at once.
    today = time.strftime("%Y-%m-%d")
    new_upn = upn(int(time.time()) % 900 + 50)
    status, body, _ = office.on(0).request("POST", "/api/v1/pupils", {
        "upn": new_upn, "legal_given_name": "Rosa", "legal_family_name": "Okafor",
        "sex": "F", "date_of_birth": "2019-02-11", "year_group": "2",
        "class_id": class_id, "start": today,
        "contacts": [{"name": "Grace Okafor", "relationship": "Mother", "phone": "07700 900123", "address": "4 Mill Lane, Riverside", "postcode": "RV1 2AB",
                      "parental_responsibility": True, "lives_with": True, "emergency": True}]})
    check(status in (200, 201), f"{label}: admit a pupil on the first process: {status} {body}")
    status, listing, _ = office.on(1).request("GET", "/api/v1/pupils")
    names = [p.get("upn") for p in (listing or {}).get("pupils", [])]
    check(new_upn in names, f"{label}: the admitted pupil is in the second process's list at once")

    # Marks imported by a third process (`rollcall import`) are seen by both.
    date, session, pupils = sessions[-1]
    status, pupil, _ = office.on(0).request("GET", f"/api/v1/pupils/{pupils[0]}")
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write("school,upn,date,session,code\n")
        f.write(f"{URN},{pupil['upn']},{date},{session},B\n")
        csv_path = f.name
    out = subprocess.run([BINARY, "import", csv_path] + import_args + ["--user", "office"],
                         capture_output=True, text=True, timeout=120)
    os.unlink(csv_path)
    check(out.returncode == 0, f"{label}: rollcall import: {out.stdout}{out.stderr}")
    for i in (0, 1):
        seen = register_codes(office.on(i), date, session) or {}
        check(seen.get(pupils[0]) == "B",
              f"{label}: process {i + 1} shows the imported mark at once: {seen.get(pupils[0])}")

    # Both processes give the same summary once the writes are in.
    s0 = office.on(0).request("GET", "/api/v1/school/summary")[1]
    s1 = office.on(1).request("GET", "/api/v1/school/summary")[1]
    check(s0 == s1, f"{label}: both processes give the same school summary: "
          f"{[k for k in s0 if s0.get(k) != s1.get(k)] if isinstance(s0, dict) else s0}")

    # Logging out on one process ends the login on the other.
    status, _, _ = office.on(1).request("POST", "/api/v1/logout")
    check(status in (200, 204), f"{label}: logout on the second process: {status}")
    deadline = time.time() + 10
    status = 200
    while time.time() < deadline and status == 200:
        status, _, _ = office.on(0).request("GET", "/api/v1/me")
        if status == 200:
            time.sleep(0.5)
    check(status == 401, f"{label}: the first process refuses the ended login: {status}")

    # Wrong passwords count across processes.
    held = None
    for n in range(8):
        c = Client([a.port, b.port][n % 2])
        status, body = c.login("teacher1", "not-the-password")
        if status == 429:
            held = n
            break
    check(held is not None and held <= 6,
          f"{label}: wrong passwords on both processes add up to one limit (held at try "
          f"{held})")


def main():
    tmp = tempfile.mkdtemp(prefix="rollcall-two-")
    # SQLite: one file, two processes.
    db = os.path.join(tmp, "school.db")
    demo = Server(["demo", "--db", db, "--pupils", "60"])
    check(demo.stop() == 0, "SQLite demo stops cleanly")
    two_process_tests("SQLite", ["serve", "--db", db], ["--db", db])

    conninfo = os.environ.get("ROLLCALL_TEST_PG", "")
    if not conninfo:
        print("ROLLCALL_TEST_PG is not set: the PostgreSQL half needs scripts/with-test-postgres")
        return 1
    host, port = conninfo_field(conninfo, "host"), conninfo_field(conninfo, "port")
    name = f"rollcall_two_{os.getpid()}"
    subprocess.run([os.path.join(PG_BINDIR, "psql"), "-X", "-q", "-h", host, "-p", port, "-U",
                    "postgres", "-d", "postgres", "-c", f"CREATE DATABASE {name} OWNER rollcall"],
                   check=True, capture_output=True, timeout=60)
    uri = f"postgresql://rollcall@/{name}?host={host}&port={port}"
    started = time.time()
    demo = Server(["demo", "--db", uri, "--school", URN, "--pupils", "60"])
    print(f"demo school ready on PostgreSQL in {time.time() - started:.1f} s", flush=True)
    check(demo.stop() == 0, "PostgreSQL demo stops cleanly")
    two_process_tests("PostgreSQL", ["serve", "--db", uri, "--school", URN],
                      ["--db", uri, "--school", URN])
    print(f"{server_test.passed} passed, {server_test.failed} failed")
    return 1 if server_test.failed else 0


if __name__ == "__main__":
    sys.exit(main())
