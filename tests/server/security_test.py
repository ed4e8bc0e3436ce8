#!/usr/bin/env python3
"""The security probe's findings that need a real server and socket.

Usage: security_test.py ROLLCALL_BINARY

- Out of file descriptors (finding 5): 300 idle connections against an
  open-file limit of 128 must not stop the server answering others.
- Form logins hash on the login pool (6): a burst of them leaves /healthz
  answering at once on a one-thread server.
- Request smuggling (7): any Transfer-Encoding but a single final "chunked"
  gets one 400 and the connection closed.
- Header injection (8): a CR LF in a form value never reaches a header.
- HEAD (9): headers only, and the next request on the connection is read
  as a request.
- Security headers (10) and `serve --behind-tls` (12): CSP everywhere;
  Secure cookies and HSTS only behind TLS.
- `serve --trusted-proxy`: X-Forwarded-For names the client for login
  throttling from the named proxy only.
- Ending sessions (3): `rollcall user password` or a deleted session row
  ends a running server's logins within seconds.

Prints 'N passed, M failed' last; exits 1 on any failure.
"""
import os
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_test as st  # noqa: E402  (the Server and Client helpers, and check)

BINARY = st.BINARY
check = st.check
PASSWORD = "a-long-password"


def new_school(tmp, name):
    """A migrated database with a head 'akhan' and an office 'bjones'."""
    db = os.path.join(tmp, name)
    subprocess.run([BINARY, "migrate", "--db", db], capture_output=True, check=True)
    for user, role in [("akhan", "head"), ("bjones", "office")]:
        subprocess.run([BINARY, "user", "add", "--db", db, "--username", user, "--role", role],
                       input=PASSWORD + "\n", capture_output=True, text=True, check=True)
    return db


def raw(port, data, timeout=10):
    """Sends bytes on a fresh connection; everything read until it closes."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        out += b"<still open>"
    s.close()
    return out


def healthz_seconds(port, timeout):
    """Seconds /healthz took on a new connection, or None if no answer."""
    started = time.time()
    try:
        c = st.Client(port)
        c.conn.timeout = timeout
        status, body, _ = c.request("GET", "/healthz")
        return time.time() - started if status == 200 else None
    except (OSError, ConnectionError):
        return None


def descriptor_test(db):
    """Finding 5: the server once answered no one for 40 s and spun a core."""
    limit = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))  # noqa: E731
    server = st.Server(["serve", "--db", db], preexec_fn=limit)
    idle = []
    try:
        for _ in range(300):
            idle.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
        time.sleep(0.5)
        took = healthz_seconds(server.port, 30)
        check(took is not None and took < 15,
              f"/healthz answered beside 300 idle connections (limit 128 files): {took}")
    finally:
        for s in idle:
            s.close()
    took = healthz_seconds(server.port, 10)
    check(took is not None, "the server still answers once the idle connections go")
    check(server.stop() == 0, "and stops cleanly")


def login_pool_test(db):
    """Finding 6: form logins hashed on the I/O threads and held others up."""
    server = st.Server(["serve", "--db", db, "--threads", "1"])
    try:
        healthz_seconds(server.port, 10)
        # Warm up: the first unknown username builds the fixed comparison hash.
        raw(server.port, b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                         b"application/x-www-form-urlencoded\r\nContent-Length: 26\r\n"
                         b"Connection: close\r\n\r\nusername=warm&password=xyz")
        done = []

        def login(i):
            body = f"username=nobody{i}&password=wrong-password".encode()
            raw(server.port, b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                             b"application/x-www-form-urlencoded\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
            done.append(time.time())

        started = time.time()
        threads = [threading.Thread(target=login, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        worst = 0.0
        while any(t.is_alive() for t in threads):
            took = healthz_seconds(server.port, 30)
            worst = max(worst, took if took is not None else 30)
        for t in threads:
            t.join()
        burst = max(done) - started
        check(len(done) == 8, "8 form logins answered")
        check(worst < burst / 2,
              f"/healthz kept answering during 8 form logins: worst {worst:.3f} s "
              f"of a {burst:.3f} s burst")
    finally:
        server.stop()


def smuggling_test(port):
    """Finding 7: two responses on one connection from one ambiguous request."""
    second = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    for te in [b"Transfer-Encoding: xchunked\r\nContent-Length: 4",
               b"Transfer-Encoding: chunked, identity\r\nContent-Length: 4",
               b"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\nContent-Length: 4",
               b"Transfer-Encoding: chunked\r\nContent-Length: 4"]:
        reply = raw(port, b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\n" + te + b"\r\n\r\nabcd"
                    + second, timeout=5)
        check(reply.startswith(b"HTTP/1.1 400") and reply.count(b"HTTP/1.1 ") == 1
              and b"<still open>" not in reply,
              f"{te.splitlines()[0]!r}: one 400 and the connection closed: {reply[:60]!r} "
              f"({reply.count(b'HTTP/1.1 ')} responses)")
    # A proper chunked body is still read.
    body = b'{"username":"akhan","password":"wrong-password"}'
    chunked = hex(len(body))[2:].encode() + b"\r\n" + body + b"\r\n0\r\n\r\n"
    reply = raw(port, b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                      b"\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked)
    check(reply.startswith(b"HTTP/1.1 401"), f"a chunked body is read: {reply[:40]!r}")


def head_test(port):
    """Finding 9: HEAD got a body, which the client took for the next response."""
    reply = raw(port, b"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                      b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    check(reply.count(b"HTTP/1.1 200") == 2 and reply.count(b'{"status":"ok"}') == 1,
          f"HEAD then GET on one connection: {reply!r}")
    first = reply.split(b"\r\n\r\n", 1)[0]
    check(b"Content-Length: 15" in first, f"HEAD says the GET's length: {first!r}")
    for path in [b"/nope", b"/api/v1/nope", b"/api/v1/me"]:
        reply = raw(port, b"HEAD " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head, _, rest = reply.partition(b"\r\n\r\n")
        check(head.startswith(b"HTTP/1.1 ") and not head.startswith(b"HTTP/1.1 200")
              and rest == b"",
              f"HEAD {path.decode()}: status without a body: {reply[:40]!r} + {len(rest)} bytes")


def header_tests(port):
    """Findings 8 and 10."""
    c = st.Client(port)
    check(c.login("akhan", PASSWORD)[0] == 200, "head logs in")
    form = "date=2026-12-02%0D%0ASet-Cookie:%20injected=1&session=AM&class=1"
    status, _, res = c.request("POST", "/register/all-present", form,
                               {"Content-Type": "application/x-www-form-urlencoded"})
    names = [name.lower() for name, _ in res.getheaders()]
    values = " ".join(value for _, value in res.getheaders())
    check(status == 400 and "injected" not in values and names.count("set-cookie") == 0,
          f"a CR LF in a form value reaches no header: {status} {res.getheaders()}")
    for path in ["/login", "/healthz", "/api/v1/me", "/nope", "/static/app.css"]:
        _, _, res = st.Client(port).request("GET", path)
        csp = res.getheader("Content-Security-Policy") or ""
        check("frame-ancestors 'none'" in csp and res.getheader("Referrer-Policy") == "same-origin"
              and res.getheader("Strict-Transport-Security") is None,
              f"GET {path}: CSP and Referrer-Policy, no HSTS: {csp!r}")
    check("Secure" not in c.cookie and "Secure" not in (c.request("GET", "/api/v1/me")[2]
                                                        .getheader("Set-Cookie") or ""),
          "no Secure cookie over plain HTTP")


def behind_tls_test(db):
    """Finding 12: serve --behind-tls."""
    server = st.Server(["serve", "--db", db, "--behind-tls"])
    try:
        c = st.Client(server.port)
        status, _, res = c.request("POST", "/api/v1/login",
                                   {"username": "akhan", "password": PASSWORD})
        cookie = res.getheader("Set-Cookie") or ""
        check(status == 200 and "; Secure" in cookie, f"--behind-tls: Secure cookie: {cookie}")
        check(res.getheader("Strict-Transport-Security") == "max-age=31536000",
              f"--behind-tls: HSTS: {res.getheader('Strict-Transport-Security')}")
    finally:
        server.stop()


def trusted_proxy_test(tmp):
    """Behind a reverse proxy every request comes from 127.0.0.1: with
    --trusted-proxy the client is the last X-Forwarded-For entry, so one
    browser's wrong passwords hold back that browser alone; without it the
    header is ignored."""
    def held_after_wrong_passwords(port, username, guesser, other):
        """Six wrong passwords as `guesser`; then the right one as `other`.
        Returns the statuses of the guesser's sixth try and of `other`."""
        c = st.Client(port)
        for _ in range(5):
            c.request("POST", "/api/v1/login", {"username": username, "password": "wrong-password"},
                      headers={"X-Forwarded-For": guesser})
        sixth = c.request("POST", "/api/v1/login", {"username": username, "password": PASSWORD},
                          headers={"X-Forwarded-For": guesser})[0]
        after = st.Client(port).request("POST", "/api/v1/login",
                                        {"username": username, "password": PASSWORD},
                                        headers={"X-Forwarded-For": other})[0]
        return sixth, after

    db = new_school(tmp, "proxied.db")
    server = st.Server(["serve", "--db", db, "--trusted-proxy", "127.0.0.1"])
    try:
        # The guesser's own first entry is not believed: only the last.
        sixth, other = held_after_wrong_passwords(server.port, "bjones",
                                                  "203.0.113.8, 203.0.113.7",
                                                  "203.0.113.8")
        check(sixth == 429, f"--trusted-proxy: the guessing browser is held: {sixth}")
        check(other == 200, f"--trusted-proxy: another browser behind the proxy logs in: {other}")
    finally:
        server.stop()
    server = st.Server(["serve", "--db", db])
    try:
        sixth, other = held_after_wrong_passwords(server.port, "akhan", "203.0.113.7",
                                                  "203.0.113.8")
        check(sixth == 429 and other == 429,
              f"without --trusted-proxy X-Forwarded-For is ignored: {sixth} {other}")
    finally:
        server.stop()


def wait_for_status(client, path, want, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if client.request("GET", path)[0] == want:
            return True
        time.sleep(0.25)
    return False


def session_end_test(db):
    """Finding 3: sessions lived on in a cache for up to 8 hours."""
    server = st.Server(["serve", "--db", db])
    try:
        office = st.Client(server.port)
        check(office.login("bjones", PASSWORD)[0] == 200, "office logs in")
        out = subprocess.run([BINARY, "user", "password", "--db", db, "--username", "bjones"],
                             input="a-newer-password\n", capture_output=True, text=True)
        check(out.returncode == 0 and "ended" in out.stdout, f"user password: {out.stderr}")
        check(wait_for_status(office, "/api/v1/me", 401, 8),
              "the running server ends the old login within seconds of `user password`")
        check(st.Client(server.port).login("bjones", "a-newer-password")[0] == 200,
              "the new password logs in")
        unknown = subprocess.run([BINARY, "user", "password", "--db", db, "--username", "nobody"],
                                 input="a-newer-password\n", capture_output=True, text=True)
        check(unknown.returncode != 0 and "USER_UNKNOWN" in unknown.stderr,
              f"user password for no such user: {unknown.stderr}")
        short = subprocess.run([BINARY, "user", "password", "--db", db, "--username", "bjones"],
                               input="short\n", capture_output=True, text=True)
        check(short.returncode == 2 and "10 to 256" in short.stderr,
              f"user password too short: {short.stderr}")
        head = st.Client(server.port)
        head.login("akhan", PASSWORD)
        con = sqlite3.connect(db)
        con.execute("DELETE FROM auth_sessions")
        con.commit()
        con.close()
        check(wait_for_status(head, "/api/v1/me", 401, 8),
              "a deleted session row ends that login within seconds")
    finally:
        server.stop()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = new_school(tmp, "school.db")
        server = st.Server(["serve", "--db", db])
        try:
            smuggling_test(server.port)
            head_test(server.port)
            header_tests(server.port)
        finally:
            server.stop()
        behind_tls_test(db)
        trusted_proxy_test(tmp)
        session_end_test(db)
        login_pool_test(db)
        descriptor_test(db)
    print(f"{st.passed} passed, {st.failed} failed")
    return 1 if st.failed else 0


if __name__ == "__main__":
    sys.exit(main())
