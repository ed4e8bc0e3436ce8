#!/usr/bin/env python3
"""A PostgreSQL school backed up with pg_dump and restored with pg_restore,
as docs/backups.md says to.

Usage: postgres_backup_test.py ROLLCALL_BINARY REPOSITORY_ROOT
Run under scripts/with-test-postgres, which sets ROLLCALL_TEST_PG (its
cluster's superuser is `postgres`, the application's role `rollcall`).

1. The example school (data/examples) is set up in a database of its own
   with `rollcall init`, `rollcall import-roll` and `rollcall import`.
2. pg_dump as the application's role is refused by row-level security (the
   reason the documented commands run as a role that bypasses it).
3. pg_dump -Fc as postgres, pg_restore into a new database owned by the
   application's role: every table's rows are the same, `rollcall migrate`
   finds the same schema version, and `rollcall serve` serves the restored
   school (the head logs in and sees the same pupils).

Prints 'N passed, M failed' last; exits 1 on any failure.
"""
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time

BINARY = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
PASSWORD = "a-long-password-for-the-head"
URN = "999123"
passed = 0
failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)


def conninfo():
    text = os.environ.get("ROLLCALL_TEST_PG", "")
    fields = dict(re.findall(r"(\w+)=(\S+)", text))
    if "host" not in fields or "port" not in fields:
        sys.exit("ROLLCALL_TEST_PG is not set: run under scripts/with-test-postgres")
    return fields["host"], fields["port"]


HOST, PORT = conninfo()
BINDIR = os.environ.get("ROLLCALL_PG_BINDIR", "/usr/lib/postgresql/15/bin")


def uri(db):
    return f"postgresql://rollcall@/{db}?host={HOST}&port={PORT}"


def run(args, stdin=None, timeout=600):
    out = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=timeout)
    return out


def psql(db, sql, user="postgres"):
    out = run([os.path.join(BINDIR, "psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
               "-h", HOST, "-p", PORT, "-U", user, "-d", db, "-c", sql])
    if out.returncode != 0:
        raise RuntimeError(f"psql {sql}: {out.stderr}")
    return out.stdout.strip()


def rollcall(*args, stdin=None):
    return run([BINARY] + list(args), stdin=stdin)


def fingerprint(db):
    """Each table's row count and a digest of its rows, read as the superuser."""
    tables = psql(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                      "ORDER BY tablename").split()
    out = {}
    for table in tables:
        out[table] = psql(db, f"SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' "
                              f"ORDER BY t::text)), '') FROM {table} t")
    return out


class Server:
    def __init__(self, args):
        self.proc = subprocess.Popen([BINARY] + args + ["--port", "0", "--quiet"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.port = None
        deadline = time.time() + 120
        while time.time() < deadline and self.port is None:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
        if self.port is None:
            self.proc.kill()
            raise RuntimeError("server did not start: " + self.proc.stderr.read())

    def stop(self):
        self.proc.terminate()
        return self.proc.wait(timeout=30)


def main():
    psql("postgres", "CREATE DATABASE rc_source OWNER rollcall")
    source = uri("rc_source")
    examples = os.path.join(ROOT, "data", "examples")
    out = rollcall("init", "--db", source, "--school", URN, "--from",
                   os.path.join(examples, "setup.json"), stdin=PASSWORD + "\n")
    check(out.returncode == 0, f"init the example school: {out.stderr}")
    out = rollcall("import-roll", "--db", source, "--school", URN, "--pupils",
                   os.path.join(examples, "pupils.csv"), "--contacts",
                   os.path.join(examples, "contacts.csv"))
    check(out.returncode == 0, f"import its pupils: {out.stderr}")
    out = rollcall("import", os.path.join(examples, "marks.csv"), "--db", source, "--school", URN,
                   "--user", "head")
    check(out.returncode == 0, f"import its marks: {out.stderr}")
    before = fingerprint("rc_source")
    marks = int(before.get("marks", "0 ").split()[0])
    pupils = int(before.get("pupils", "0 ").split()[0])
    check(marks >= 1000 and pupils >= 10, f"a school with marks to back up: {pupils} pupils, {marks} marks")

    with tempfile.TemporaryDirectory() as tmp:
        dump = os.path.join(tmp, "rollcall.dump")
        out = run([os.path.join(BINDIR, "pg_dump"), "-Fc", "-h", HOST, "-p", PORT, "-U", "rollcall",
                   "-d", "rc_source", "-f", dump])
        check(out.returncode != 0 and "row-level security" in out.stderr,
              f"pg_dump as the application's role is refused by row-level security: {out.stderr}")

        out = run([os.path.join(BINDIR, "pg_dump"), "-Fc", "-h", HOST, "-p", PORT, "-U", "postgres",
                   "-d", "rc_source", "-f", dump])
        check(out.returncode == 0, f"pg_dump -Fc as postgres: {out.stderr}")
        psql("postgres", "CREATE DATABASE rc_restored OWNER rollcall")
        out = run([os.path.join(BINDIR, "pg_restore"), "--exit-on-error", "-h", HOST, "-p", PORT,
                   "-U", "postgres", "-d", "rc_restored", dump])
        check(out.returncode == 0, f"pg_restore into a new database: {out.stderr}")

    after = fingerprint("rc_restored")
    differing = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
    check(not differing, f"every table's rows are the same after the restore: {differing}")
    check(psql("rc_restored", "SELECT tableowner FROM pg_tables WHERE tablename = 'marks'") ==
          "rollcall", "the restored tables belong to the application's role")

    restored = uri("rc_restored")
    versions = [rollcall("migrate", "--db", db) for db in (source, restored)]
    check(all(v.returncode == 0 for v in versions), f"migrate: {[v.stderr for v in versions]}")
    found = [re.search(r"schema version (\d+)", v.stdout) for v in versions]
    check(all(found) and found[0].group(1) == found[1].group(1),
          f"the same schema version: {[v.stdout for v in versions]}")

    server = Server(["serve", "--db", restored, "--school", URN])
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        conn.request("POST", "/api/v1/login", body=json.dumps(
            {"username": "head", "password": PASSWORD}), headers={"Content-Type": "application/json"})
        res = conn.getresponse()
        res.read()
        check(res.status == 200, f"the head logs in to the restored school: {res.status}")
        cookie = (res.getheader("Set-Cookie") or "").split(";")[0]
        conn.request("GET", "/api/v1/pupils", headers={"Cookie": cookie})
        res = conn.getresponse()
        body = json.loads(res.read() or b"{}")
        listed = body.get("pupils", []) if isinstance(body, dict) else []
        check(res.status == 200 and len(listed) == pupils,
              f"the restored school serves its {pupils} pupils: {res.status} {len(listed)}")
    finally:
        check(server.stop() == 0, "the server on the restored database stops cleanly")
    print(f"postgres backup test: {pupils} pupils and {marks} marks restored from pg_dump -Fc",
          flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
