#!/usr/bin/env python3
"""The crash test of server_test.py on PostgreSQL, with the database failing too.

Usage: scripts/with-test-postgres postgres_crash_test.py ROLLCALL_BINARY

`rollcall demo` seeds a small demo school into a new database of the
throwaway cluster that with-test-postgres started (ROLLCALL_TEST_PG), then
`rollcall serve --db postgresql://...` takes a burst of register writes from
several clients while, in turn, the server's PostgreSQL backend is
terminated (pg_terminate_backend), PostgreSQL itself is restarted, and at last
the server is killed with SIGKILL. Writes answered 503 while the database was
away were not acknowledged and may or may not have been saved. After a restart
of the server every acknowledged write is present with its audit row, and
writes were acknowledged again after each database failure (the server
reconnected by itself).

Prints 'N passed, M failed' last; exits 1 on any failure.
"""
import os
import pwd
import random
import re
import subprocess
import sys
import threading
import time
import http.client

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_test  # noqa: E402  (reads ROLLCALL_BINARY from sys.argv[1])
from server_test import Client, Server, check, open_past_sessions  # noqa: E402

PG_BINDIR = os.environ.get("ROLLCALL_PG_BINDIR", "/usr/lib/postgresql/15/bin")
URN = "112604"


def conninfo_field(conninfo, key):
    m = re.search(rf"\b{key}=(\S+)", conninfo)
    if not m:
        raise RuntimeError(f"ROLLCALL_TEST_PG has no {key}=: {conninfo}")
    return m.group(1)


class Cluster:
    """The with-test-postgres cluster: its socket directory holds its data."""

    def __init__(self, conninfo):
        self.host = conninfo_field(conninfo, "host")
        self.port = conninfo_field(conninfo, "port")
        self.data = os.path.join(self.host, "data")
        owner = pwd.getpwuid(os.stat(self.data).st_uid).pw_name
        self.as_owner = ["runuser", "-u", owner, "--"] if os.geteuid() == 0 else []

    def psql(self, db, sql):
        out = subprocess.run([os.path.join(PG_BINDIR, "psql"), "-X", "-q", "-At", "-h", self.host,
                              "-p", self.port, "-U", "postgres", "-d", db,
                              "-v", "ON_ERROR_STOP=1", "-c", sql],
                             capture_output=True, text=True, timeout=60, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"psql {sql!r}: {out.stderr}")
        return out.stdout.strip()

    def uri(self, db):
        return f"postgresql://rollcall@/{db}?host={self.host}&port={self.port}"

    def restart(self):
        subprocess.run(self.as_owner + [os.path.join(PG_BINDIR, "pg_ctl"), "-D", self.data,
                                        "-l", os.path.join(self.host, "server.log"), "-m", "fast",
                                        "-w", "-t", "60", "restart"],
                       capture_output=True, text=True, timeout=120, check=True)


def crash_test(cluster, db):
    server = Server(["serve", "--db", cluster.uri(db), "--school", URN])
    office = Client(server.port)
    office.login("office")
    status, classes, _ = office.request("GET", "/api/v1/classes")
    class_ids = [c["id"] for c in classes["classes"]][:4]
    # (date, session, pupil) -> [(code, "acked" | "maybe", time)] in the order sent
    history = {}
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
            key = (date, session, rng.choice(pupil_ids))
            code = rng.choice(["O", "I", "M", "G"])
            try:
                status, body, _ = c.request(
                    "PUT", f"/api/v1/registers/{date}/{session}/marks/{key[2]}",
                    {"code": code, "reason": f"pg crash test write {seed}-{n}",
                     "evidence_confirmed": True})
            except (ConnectionError, http.client.HTTPException, OSError):
                # The server died mid-request: maybe saved.
                with lock:
                    history.setdefault(key, []).append((code, "maybe", time.time()))
                return
            n += 1
            if status == 200:
                outcome = "acked"
            elif status == 503:
                # The database was away: refused, or (commit cut off) unknown.
                outcome = "maybe"
            else:
                errors.append((status, body))
                continue
            with lock:
                history.setdefault(key, []).append((code, outcome, time.time()))

    def acked_since(moment):
        with lock:
            return sum(1 for writes in history.values() for _, outcome, at in writes
                       if outcome == "acked" and at > moment)

    threads = [threading.Thread(target=writer, args=(cid, i)) for i, cid in enumerate(class_ids)]
    for t in threads:
        t.start()
    time.sleep(3)
    killed = cluster.psql(db, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE application_name = 'rollcall'")
    check(killed != "0", f"the server's PostgreSQL backend was terminated: {killed}")
    after_terminate = time.time()
    time.sleep(3)
    check(acked_since(after_terminate) > 0,
          "writes are acknowledged again after the backend was terminated")
    cluster.restart()
    after_restart = time.time()
    time.sleep(4)
    check(acked_since(after_restart) > 0, "writes are acknowledged again after PostgreSQL restarted")
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    check(not errors, f"no write errors other than 503 while the database was away: {errors[:3]}")
    acked = sum(1 for writes in history.values() for _, outcome, _ in writes if outcome == "acked")
    check(acked >= 20, f"a burst of acknowledged writes: {acked}")

    server = Server(["serve", "--db", cluster.uri(db), "--school", URN])
    c = Client(server.port)
    c.login("office")
    # What each slot may hold: the last acknowledged code, or the code of a
    # write after it whose outcome is unknown.
    allowed = {}
    settled = {}
    for key, writes in history.items():
        last = max((i for i, w in enumerate(writes) if w[1] == "acked"), default=None)
        if last is None:
            continue
        allowed[key] = {writes[last][0]} | {w[0] for w in writes[last + 1:]}
        if last == len(writes) - 1:
            settled[key] = writes[last][0]
    by_session = {}
    for (date, session, pupil), codes in allowed.items():
        by_session.setdefault((date, session), {})[pupil] = codes
    missing = 0
    for (date, session), want in by_session.items():
        status, reg, _ = c.request("GET", f"/api/v1/registers/{date}/{session}")
        got = {p["id"]: p["code"] for p in reg["pupils"]}
        missing += sum(1 for pupil, codes in want.items() if got.get(pupil) not in codes)
    check(missing == 0,
          f"every acknowledged write survives: {missing} of {len(allowed)} slots lost one")
    no_audit = 0
    for (date, session, pupil), code in list(settled.items())[:30]:
        status, trail, _ = c.request("GET", f"/api/v1/pupils/{pupil}/amendments")
        rows = [a for a in trail["amendments"] if a["date"] == date and a["session"] == session]
        no_audit += not rows or rows[-1]["new"] != code
    check(no_audit == 0, f"each surviving write has its audit row: {no_audit} without")
    rc = server.stop()
    check(rc == 0, f"server stops cleanly on SIGTERM: {rc}")
    print(f"postgres crash test: {acked} acknowledged writes across a terminated backend, "
          "a PostgreSQL restart and kill -9, all checked", flush=True)


def main():
    conninfo = os.environ.get("ROLLCALL_TEST_PG", "")
    if not conninfo:
        print("ROLLCALL_TEST_PG is not set: run under scripts/with-test-postgres")
        return 1
    cluster = Cluster(conninfo)
    db = f"rollcall_crash_{os.getpid()}"
    cluster.psql("postgres", f"CREATE DATABASE {db} OWNER rollcall")
    started = time.time()
    demo = Server(["demo", "--db", cluster.uri(db), "--school", URN, "--pupils", "60"])
    print(f"demo school ready on PostgreSQL in {time.time() - started:.1f} s", flush=True)
    check(demo.stop() == 0, "demo stops cleanly")
    crash_test(cluster, db)
    print(f"{server_test.passed} passed, {server_test.failed} failed")
    return 1 if server_test.failed else 0


if __name__ == "__main__":
    sys.exit(main())
