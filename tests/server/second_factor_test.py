#!/usr/bin/env python3
"""The second factor on a real server, with the codes computed here.

Usage: second_factor_test.py ROLLCALL_BINARY

- The office enrols from its account page (a session's form posts) and is
  shown ten recovery codes; the secret in the database is 20 bytes.
- The login form then leads to /login/code with a pending-login cookie (no
  session), and the code (RFC 6238, HMAC-SHA1 here) opens the session.
- The JSON login refuses the account with SECOND_FACTOR_NEEDED.
- `rollcall user second-factor-reset` removes it (logged as the operator's
  reset) and the password alone logs in again; an unknown username fails.

Prints 'N passed, M failed' last; exits 1 on any failure.
"""
import hashlib
import hmac
import os
import re
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_test as st  # noqa: E402  (the Server and Client helpers, and check)

BINARY = st.BINARY
check = st.check
PASSWORD = "a-long-password"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def totp(secret, seconds):
    """The 6-digit code of `secret` (bytes) for the 30-second step of `seconds`."""
    mac = hmac.new(secret, struct.pack(">Q", int(seconds) // 30), hashlib.sha1).digest()
    at = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[at:at + 4])[0] & 0x7FFFFFFF) % 1000000)


def cookies(res):
    """The name=value pairs a response sets."""
    out = {}
    for name, value in res.getheaders():
        if name.lower() == "set-cookie":
            pair = value.split(";")[0]
            key, _, val = pair.partition("=")
            out[key] = val
    return out


def main():
    check(totp(b"12345678901234567890", 59) == "287082", "the test's own TOTP matches RFC 6238")
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "school.db")
        subprocess.run([BINARY, "migrate", "--db", db], capture_output=True, check=True)
        for user, role in [("akhan", "head"), ("bjones", "office")]:
            subprocess.run([BINARY, "user", "add", "--db", db, "--username", user, "--role", role],
                           input=PASSWORD + "\n", capture_output=True, text=True, check=True)
        server = st.Server(["serve", "--db", db])
        try:
            office = st.Client(server.port)
            check(office.login("bjones", PASSWORD)[0] == 200, "the office logs in")
            status, _, res = office.request("POST", "/account/second-factor/start", "", FORM)
            check(status == 303, f"enrolment starts: {status}")
            status, page, _ = office.request("GET", "/account/second-factor?done=start")
            check(status == 200 and b"data:image/svg+xml;base64," in page,
                  "the enrolment page shows the QR code as an image")
            con = sqlite3.connect(db)
            (hex_secret,) = con.execute(
                "SELECT secret FROM second_factors f JOIN users u ON u.id = f.user_id "
                "WHERE u.username = 'bjones'").fetchone()
            con.close()
            secret = bytes.fromhex(hex_secret)
            check(len(secret) == 20, f"a 160-bit secret: {len(secret)} bytes")
            status, page, _ = office.request(
                "POST", "/account/second-factor/confirm",
                "code=" + totp(secret, time.time()), FORM)
            codes = re.findall(rb"<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>", page or b"")
            check(status == 200 and len(codes) == 10, f"switched on, 10 recovery codes: {status}")

            # The login form: the password, then the code (the next step's:
            # the one that switched it on cannot be used again).
            browser = st.Client(server.port)
            status, _, res = browser.request(
                "POST", "/login",
                urllib.parse.urlencode({"username": "bjones", "password": PASSWORD}), FORM)
            set_cookies = cookies(res)
            check(status == 303 and res.getheader("Location") == "/login/code",
                  f"the password leads to the code: {status} {res.getheader('Location')}")
            check("rollcall_pending" in set_cookies and "rollcall_session" not in set_cookies,
                  f"a pending login, no session: {set_cookies}")
            browser.cookie = "rollcall_pending=" + set_cookies.get("rollcall_pending", "")
            check(browser.request("GET", "/api/v1/me")[0] == 401,
                  "the pending login is no session")
            status, _, res = browser.request(
                "POST", "/login/code", "code=" + totp(secret, time.time() + 30), FORM)
            set_cookies = cookies(res)
            check(status == 303 and set_cookies.get("rollcall_session"),
                  f"the code opens the session: {status}")
            browser.cookie = "rollcall_session=" + set_cookies.get("rollcall_session", "")
            check(browser.request("GET", "/api/v1/me")[0] == 200, "logged in")

            status, body = st.Client(server.port).login("bjones", PASSWORD)
            check(status == 401 and body["error"]["code"] == "SECOND_FACTOR_NEEDED",
                  f"the JSON login refuses it: {status} {body}")

            out = subprocess.run([BINARY, "user", "second-factor-reset", "--db", db,
                                  "--username", "bjones"], capture_output=True, text=True)
            check(out.returncode == 0 and "password alone" in out.stdout,
                  f"user second-factor-reset: {out.stdout} {out.stderr}")
            check(st.Client(server.port).login("bjones", PASSWORD)[0] == 200,
                  "the password alone logs in again")
            con = sqlite3.connect(db)
            kind, by = con.execute("SELECT kind, by_name FROM second_factor_events "
                                   "ORDER BY id DESC LIMIT 1").fetchone()
            con.close()
            check(kind == "reset" and "operator" in by, f"the reset is logged: {kind} {by}")
            again = subprocess.run([BINARY, "user", "second-factor-reset", "--db", db,
                                    "--username", "bjones"], capture_output=True, text=True)
            check(again.returncode != 0 and "no second factor" in again.stderr,
                  f"nothing to reset: {again.stderr}")
            unknown = subprocess.run([BINARY, "user", "second-factor-reset", "--db", db,
                                      "--username", "nobody"], capture_output=True, text=True)
            check(unknown.returncode != 0 and "USER_UNKNOWN" in unknown.stderr,
                  f"no such user: {unknown.stderr}")
        finally:
            server.stop()
    print(f"{st.passed} passed, {st.failed} failed")
    return 1 if st.failed else 0


if __name__ == "__main__":
    sys.exit(main())
