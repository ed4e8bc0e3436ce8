#!/usr/bin/env python3
"""`rollcall backup` and `rollcall restore` against a server under write load.

Usage: backup_test.py ROLLCALL_BINARY

1. Under load: `rollcall demo` serves a demo school while several clients
   record marks through the API, noting when each write was sent and when it
   was acknowledged. `rollcall backup` copies the database in the middle of
   the burst. The backup is restored into a new file, which passes
   PRAGMA integrity_check, and served: every mark acknowledged before the
   backup started is there (or a later write to the same slot that was sent
   before the backup ended, which the copy may also hold).
2. Refusals: a restore over the served database while the server runs; a
   backup of a missing database, over an existing file, of a PostgreSQL URI;
   a restore of a file that is not a database, of a truncated backup, of a
   backup from a newer rollcall, and over an existing database without
   --force. Each leaves every file as it was.
3. --force keeps the replaced database as FILE.before-restore-TIME.

Prints 'N passed, M failed' last; exits 1 on any failure.
"""
import glob
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import random

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_test  # noqa: E402  (the Server and Client helpers; its main() does not run)
from server_test import Client, Server, open_past_sessions  # noqa: E402

BINARY = server_test.BINARY
passed = 0
failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)


def rollcall(*args):
    return subprocess.run([BINARY] + list(args), capture_output=True, text=True, timeout=600)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def marks_of(path):
    """The marks and their audit trail: what a database holds, whatever its journal mode."""
    con = sqlite3.connect(path)
    rows = (con.execute("SELECT * FROM marks ORDER BY pupil_id, date, session").fetchall(),
            con.execute("SELECT * FROM mark_audit ORDER BY id").fetchall())
    con.close()
    return rows


def load_test(tmp):
    db = os.path.join(tmp, "school.db")
    server = Server(["demo", "--db", db])
    office = Client(server.port)
    office.login("office")
    _, classes, _ = office.request("GET", "/api/v1/classes")
    class_ids = [c["id"] for c in classes["classes"]][:4]
    writes = []  # (slot, code, sent, acked or None), monotonic seconds
    lock = threading.Lock()
    stop = threading.Event()
    errors = []

    def writer(class_id, seed):
        c = Client(server.port)
        c.login("office")
        sessions = open_past_sessions(c, class_id, 6)
        rng = random.Random(seed)
        n = 0
        while not stop.is_set() and n < 20000:
            date, session, pupil_ids = rng.choice(sessions)
            if not pupil_ids:
                continue
            pupil = rng.choice(pupil_ids)
            code = rng.choice(["O", "I", "M", "G"])
            sent = time.monotonic()
            status, body, _ = c.request(
                "PUT", f"/api/v1/registers/{date}/{session}/marks/{pupil}",
                {"code": code, "reason": f"backup test write {seed}-{n}",
                 "evidence_confirmed": True})
            acked = time.monotonic()
            n += 1
            with lock:
                writes.append(((date, session, pupil), code, sent, acked if status == 200 else None))
            if status != 200:
                errors.append((status, body))

    threads = [threading.Thread(target=writer, args=(cid, i)) for i, cid in enumerate(class_ids)]
    for t in threads:
        t.start()
    time.sleep(3)
    backup = os.path.join(tmp, "backups", "school-backup.db")
    os.makedirs(os.path.dirname(backup))
    backup_started = time.monotonic()
    out = rollcall("backup", "--db", db, "--out", backup)
    backup_ended = time.monotonic()
    time.sleep(1)  # the writers go on after the backup, too
    stop.set()
    for t in threads:
        t.join()
    print(f"backup under load: {out.stdout.strip()}", flush=True)
    check(out.returncode == 0, f"backup while serving exits 0: {out.returncode} {out.stderr}")
    check(" pupils, " in out.stdout and " s\n" in out.stdout,
          f"backup prints what it wrote and its seconds: {out.stdout!r}")
    check(not errors, f"no write errors during the backup: {errors[:3]}")
    with lock:
        before = [w for w in writes if w[3] is not None and w[3] < backup_started]
        during = [w for w in writes if w[2] < backup_ended]
    check(len(before) >= 20, f"a burst of acknowledged writes before the backup: {len(before)}")
    check(len(writes) > len(during), "writes went on after the backup ended")
    check(not glob.glob(backup + ".partial-*"), "no temporary file left beside the backup")
    check(oct(os.stat(backup).st_mode & 0o777) == "0o600", "the backup is readable by its owner only")
    check(not os.path.exists(backup + "-wal"), "the backup is one file, no -wal beside it")

    # A restore over the database the server has open is refused.
    before_digest = digest(backup)
    out = rollcall("restore", "--backup", backup, "--db", db, "--force")
    check(out.returncode != 0 and "open in another program" in out.stderr,
          f"restore over a served database is refused: {out.returncode} {out.stderr}")
    check(not glob.glob(db + ".before-restore-*"), "the refused restore kept nothing aside")
    check(digest(backup) == before_digest, "the refused restore left the backup as it was")
    server.stop()

    restored = os.path.join(tmp, "restored", "school.db")
    os.makedirs(os.path.dirname(restored))
    out = rollcall("restore", "--backup", backup, "--db", restored)
    check(out.returncode == 0, f"restore into a new file exits 0: {out.stderr}")
    con = sqlite3.connect(restored)
    integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    check(integrity == "ok", f"the restored database passes integrity_check: {integrity}")

    # For each slot: the last code acknowledged before the backup started, and
    # every code sent to it before the backup ended (the copy's moment lies
    # between the two).
    last_acked = {}
    for slot, code, sent, acked in sorted(before, key=lambda w: w[3]):
        last_acked[slot] = code
    allowed = {}
    for slot, code, sent, acked in during:
        if slot in last_acked and (acked is None or acked >= backup_started):
            allowed.setdefault(slot, set()).add(code)
    server = Server(["serve", "--db", restored])
    c = Client(server.port)
    c.login("office")
    by_session = {}
    for (date, session, pupil), code in last_acked.items():
        by_session.setdefault((date, session), {})[pupil] = code
    missing = []
    for (date, session), want in by_session.items():
        _, reg, _ = c.request("GET", f"/api/v1/registers/{date}/{session}")
        got = {p["id"]: p["code"] for p in reg["pupils"]}
        for pupil, code in want.items():
            if got.get(pupil) != code and got.get(pupil) not in allowed.get((date, session, pupil), ()):
                missing.append((date, session, pupil, code, got.get(pupil)))
    check(not missing, f"every mark acknowledged before the backup is in the restore: "
          f"{len(missing)} of {len(last_acked)} missing, e.g. {missing[:3]}")
    check(server.stop() == 0, "the restored school serves and stops cleanly")
    print(f"backup test: {len(last_acked)} marks acknowledged before the backup, all restored",
          flush=True)
    return db, backup, restored


def refusal_tests(tmp, db, backup, restored):
    out = rollcall("backup", "--db", os.path.join(tmp, "no-such.db"), "--out",
                   os.path.join(tmp, "x.db"))
    check(out.returncode != 0 and "no database" in out.stderr,
          f"backup of a missing database: {out.returncode} {out.stderr}")
    check(not os.path.exists(os.path.join(tmp, "no-such.db")), "a missing database is not created")
    check(not os.path.exists(os.path.join(tmp, "x.db")), "nothing written for a missing database")

    kept = digest(backup)
    out = rollcall("backup", "--db", db, "--out", backup)
    check(out.returncode != 0 and "--force" in out.stderr,
          f"backup over an existing file without --force: {out.stderr}")
    check(digest(backup) == kept, "the existing backup is untouched")
    second = os.path.join(tmp, "second.db")
    shutil.copy(backup, second)
    out = rollcall("backup", "--db", db, "--out", second, "--force")
    check(out.returncode == 0, f"backup --force replaces the file: {out.stderr}")

    out = rollcall("backup", "--db", "postgresql://rollcall@localhost/rollcall", "--out",
                   os.path.join(tmp, "pg.db"))
    check(out.returncode != 0 and "pg_dump" in out.stderr,
          f"a PostgreSQL --db points to pg_dump: {out.stderr}")

    target = os.path.join(tmp, "target.db")
    not_db = os.path.join(tmp, "notes.txt")
    with open(not_db, "w") as f:
        f.write("this is not a database\n" * 200)
    out = rollcall("restore", "--backup", not_db, "--db", target)
    check(out.returncode != 0 and "not a rollcall database" in out.stderr,
          f"restore of a file that is not a database: {out.stderr}")
    check(not os.path.exists(target), "nothing written for a file that is not a database")

    other = os.path.join(tmp, "other.db")
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x)")
    con.commit()
    con.close()
    out = rollcall("restore", "--backup", other, "--db", target)
    check(out.returncode != 0 and "not a rollcall database" in out.stderr,
          f"restore of another program's SQLite database: {out.stderr}")

    truncated = os.path.join(tmp, "truncated.db")
    with open(backup, "rb") as f:
        data = f.read()
    with open(truncated, "wb") as f:
        f.write(data[: len(data) // 2])
    out = rollcall("restore", "--backup", truncated, "--db", target)
    check(out.returncode != 0 and "not a usable rollcall backup" in out.stderr,
          f"restore of a truncated backup: {out.stderr}")
    check(not os.path.exists(target), "nothing written for a truncated backup")
    check(not glob.glob(os.path.join(tmp, "target.db*")), "no temporary file left for it")

    newer = os.path.join(tmp, "newer.db")
    shutil.copy(backup, newer)
    con = sqlite3.connect(newer)
    con.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)")
    con.commit()
    con.close()
    out = rollcall("restore", "--backup", newer, "--db", target)
    check(out.returncode != 0 and "newer rollcall" in out.stderr,
          f"restore of a backup from a newer rollcall: {out.stderr}")
    check(not os.path.exists(target), "nothing written for a newer backup")

    out = rollcall("restore", "--backup", os.path.join(tmp, "no-such-backup.db"), "--db", target)
    check(out.returncode != 0 and "no file" in out.stderr, f"restore of a missing file: {out.stderr}")

    kept = digest(restored)
    kept_marks = marks_of(restored)
    out = rollcall("restore", "--backup", backup, "--db", restored)
    check(out.returncode != 0 and "--force" in out.stderr,
          f"restore over an existing database without --force: {out.stderr}")
    check(digest(restored) == kept, "the existing database is untouched")

    out = rollcall("restore", "--backup", second, "--db", restored, "--force")
    check(out.returncode == 0 and "kept as" in out.stdout,
          f"restore --force replaces the database: {out.returncode} {out.stdout} {out.stderr}")
    aside = glob.glob(restored + ".before-restore-*")
    check(len(aside) == 1 and marks_of(aside[0]) == kept_marks,
          f"the replaced database is kept, unchanged: {aside}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db, backup, restored = load_test(tmp)
        refusal_tests(tmp, db, backup, restored)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
