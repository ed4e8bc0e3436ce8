#!/usr/bin/env python3
"""`rollcall serve --tls-cert FILE --tls-key FILE`: HTTPS in the server.

Usage: tls_test.py ROLLCALL_BINARY

With a self-signed certificate made by `openssl req` in a temporary folder:
- a client that trusts that certificate (and nothing else) connects with
  TLS 1.2 and with TLS 1.3, logs in, and gets a Secure cookie, HSTS and the
  same security headers as over plain HTTP;
- the same limits hold as over plain HTTP (an oversized body is refused);
- a client offering only TLS 1.1 is refused by the server (its
  protocol_version alert, not the client's own refusal);
- a TLS 1.2 client offering only ciphers outside the server's list is
  refused;
- plain HTTP to the HTTPS port gets one short 400 saying to use https://,
  and the connection closes;
- a connection that never starts its handshake is closed within seconds;
- a missing key, a file that is not a certificate, and a key that is not
  the certificate's each stop the start with exit code 2 and a message
  naming the file;
- SIGHUP reads the files again: after the files are replaced, new
  connections get the new certificate; a broken replacement is ignored and
  the server keeps its certificate.

Prints 'N passed, M failed' last; exits 1 on any failure.
"""
import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_test as st  # noqa: E402  (the Server and Client helpers, and check)

BINARY = st.BINARY
check = st.check
PASSWORD = "a-long-password"


def new_school(tmp):
    """A migrated database with a head 'akhan'."""
    db = os.path.join(tmp, "school.db")
    subprocess.run([BINARY, "migrate", "--db", db], capture_output=True, check=True)
    subprocess.run([BINARY, "user", "add", "--db", db, "--username", "akhan", "--role", "head"],
                   input=PASSWORD + "\n", capture_output=True, text=True, check=True)
    return db


def self_signed(tmp, name):
    """A new EC key and a self-signed certificate for 127.0.0.1: (cert, key)."""
    cert = os.path.join(tmp, name + ".crt")
    key = os.path.join(tmp, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   capture_output=True, check=True)
    return cert, key


def trusting(cert, version=None):
    """A client context that trusts `cert` alone, optionally pinned to one version."""
    ctx = ssl.create_default_context(cafile=cert)
    if version is not None:
        ctx.minimum_version = version
        ctx.maximum_version = version
    return ctx


class TlsClient(st.Client):
    """st.Client over HTTPS, checking the server's certificate."""

    def __init__(self, port, ctx):
        super().__init__(port)
        self.conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=60, context=ctx)


def handshake_error(port, ctx):
    """The SSL error of a handshake with `ctx`, or None when it succeeds."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            with ctx.wrap_socket(s, server_hostname="127.0.0.1"):
                return None
    except ssl.SSLError as e:
        return str(e)


def served_tests(port, cert):
    for version, name in [(ssl.TLSVersion.TLSv1_2, "TLS 1.2"), (ssl.TLSVersion.TLSv1_3, "TLS 1.3")]:
        c = TlsClient(port, trusting(cert, version))
        status, body, res = c.request("POST", "/api/v1/login",
                                      {"username": "akhan", "password": PASSWORD})
        cookie = res.getheader("Set-Cookie") or ""
        check(status == 200 and "; Secure" in cookie and "HttpOnly" in cookie,
              f"{name}: login gives a Secure cookie: {status} {cookie}")
        c.cookie = cookie.split(";")[0]
        c.csrf = body["csrf_token"] if status == 200 else None
        status, me, res = c.request("GET", "/api/v1/me")
        check(status == 200 and me["user"]["username"] == "akhan",
              f"{name}: the login works on the next request: {status} {me}")
        check(res.getheader("Strict-Transport-Security") == "max-age=31536000",
              f"{name}: HSTS: {res.getheader('Strict-Transport-Security')}")
        check(c.conn.sock is not None and c.conn.sock.version() == name.replace(" ", "v"),
              f"{name}: negotiated {c.conn.sock.version() if c.conn.sock else None}")
    # Every answer carries the same headers as over plain HTTP, the
    # server's own errors included.
    for path in ["/login", "/healthz", "/api/v1/me", "/nope", "/static/app.css"]:
        _, _, res = TlsClient(port, trusting(cert)).request("GET", path)
        csp = res.getheader("Content-Security-Policy") or ""
        check("frame-ancestors 'none'" in csp and "script-src 'self'" in csp
              and res.getheader("X-Content-Type-Options") == "nosniff"
              and res.getheader("Strict-Transport-Security") == "max-age=31536000",
              f"GET {path} over TLS: CSP, nosniff, HSTS: {res.getheaders()}")
    # The same limits as plain HTTP: a body declared over 64 KiB is refused
    # from its header, and the connection closed.
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        with trusting(cert).wrap_socket(s, server_hostname="127.0.0.1") as t:
            t.sendall(b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                      b"application/json\r\nContent-Length: 70000\r\n\r\n")
            reply = b""
            try:
                while True:
                    chunk = t.recv(65536)
                    if not chunk:
                        break
                    reply += chunk
            except (socket.timeout, ssl.SSLError, ConnectionError) as e:
                reply += f"<{type(e).__name__}>".encode()
    check(reply.startswith(b"HTTP/1.1 413") and b"BODY_TOO_LARGE" in reply
          and b"<timeout>" not in reply,
          f"an oversized body over TLS: one 413 and closed: {reply[:80]!r}")
    # A page login too.
    status, _, res = TlsClient(port, trusting(cert)).request(
        "POST", "/login", f"username=akhan&password={PASSWORD}",
        {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 303 and "; Secure" in (res.getheader("Set-Cookie") or ""),
          f"form login over TLS: {status} {res.getheader('Set-Cookie')}")


def refusal_tests(port, cert):
    # Python's OpenSSL can still offer TLS 1.1 at security level 0; the
    # server answers with a protocol_version alert.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        old = trusting(cert, ssl.TLSVersion.TLSv1_1)
    old.set_ciphers("DEFAULT:@SECLEVEL=0")
    err = handshake_error(port, old)
    check(err is not None and "PROTOCOL_VERSION" in err.upper(),
          f"TLS 1.1 is refused by the server: {err}")
    weak = trusting(cert, ssl.TLSVersion.TLSv1_2)
    weak.set_ciphers("AES128-SHA:AES256-SHA:@SECLEVEL=0")  # no forward secrecy, CBC
    err = handshake_error(port, weak)
    check(err is not None, f"TLS 1.2 with only old ciphers is refused: {err}")
    # A client that does not trust this certificate gets no connection.
    err = handshake_error(port, ssl.create_default_context())
    check(err is not None and "CERTIFICATE_VERIFY_FAILED" in err.upper(),
          f"an untrusting client fails verification: {err}")


def plain_http_test(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    reply = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
    except socket.timeout:
        reply += b"<still open>"
    s.close()
    check(reply.startswith(b"HTTP/1.1 400") and b"https://" in reply
          and b"<still open>" not in reply and reply.count(b"HTTP/1.1 ") == 1,
          f"plain HTTP to the HTTPS port: one 400 naming https:// and closed: {reply!r}")


def silent_client_test(port):
    """A connection that never sends its hello is let go (10 s)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    started = time.time()
    try:
        data = s.recv(1)
    except (ConnectionResetError, socket.timeout):
        data = None
    took = time.time() - started
    s.close()
    check(data == b"" and took < 20, f"a silent connection is closed in {took:.1f} s ({data!r})")


def bad_file_tests(db, tmp, cert, key):
    other_cert, other_key = self_signed(tmp, "other")
    not_pem = os.path.join(tmp, "not-pem.crt")
    with open(not_pem, "w") as f:
        f.write("this is not a certificate\n")
    missing = os.path.join(tmp, "missing.key")
    for args, want in [(["--tls-cert", cert, "--tls-key", missing], "--tls-key " + missing),
                       (["--tls-cert", not_pem, "--tls-key", key], "--tls-cert " + not_pem),
                       (["--tls-cert", cert, "--tls-key", other_key],
                        "is not the key of the certificate"),
                       (["--tls-cert", cert], "go together")]:
        out = subprocess.run([BINARY, "serve", "--db", db, "--port", "0", "--quiet"] + args,
                             capture_output=True, text=True, timeout=60)
        check(out.returncode == 2 and "TLS_CERT_INVALID" in out.stderr and want in out.stderr,
              f"serve {' '.join(os.path.basename(a) for a in args)}: exit 2 naming the "
              f"problem: {out.returncode} {out.stderr.strip()}")
    # A certificate followed by its chain (here: another certificate) loads.
    chain = os.path.join(tmp, "chain.crt")
    with open(chain, "w") as f:
        f.write(open(cert).read() + open(other_cert).read())
    server = st.Server(["serve", "--db", db, "--tls-cert", chain, "--tls-key", key])
    try:
        check(handshake_error(server.port, trusting(cert)) is None,
              "a certificate with a chain after it is served")
    finally:
        check(server.stop() == 0, "and stops cleanly")


def reload_test(db, tmp):
    cert, key = self_signed(tmp, "live")
    server = st.Server(["serve", "--db", db, "--tls-cert", cert, "--tls-key", key])
    try:
        old_cert = os.path.join(tmp, "old.crt")
        shutil.copy(cert, old_cert)
        new_cert, new_key = self_signed(tmp, "renewed")
        check(handshake_error(server.port, trusting(new_cert)) is not None,
              "before the reload, the renewed certificate is not the one served")
        shutil.copy(new_key, key)
        shutil.copy(new_cert, cert)
        server.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 10
        while time.time() < deadline and handshake_error(server.port, trusting(new_cert)):
            time.sleep(0.2)
        check(handshake_error(server.port, trusting(new_cert)) is None
              and handshake_error(server.port, trusting(old_cert)) is not None,
              "after SIGHUP, new connections get the renewed certificate")
        # A broken replacement (the key of another certificate) is not loaded.
        _, stray_key = self_signed(tmp, "stray")
        shutil.copy(stray_key, key)
        server.proc.send_signal(signal.SIGHUP)
        time.sleep(1)
        check(server.proc.poll() is None
              and handshake_error(server.port, trusting(new_cert)) is None,
              "a key that does not match is ignored: the renewed certificate is still served")
    finally:
        check(server.stop() == 0, "and the server stops cleanly")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = new_school(tmp)
        cert, key = self_signed(tmp, "server")
        server = st.Server(["serve", "--db", db, "--tls-cert", cert, "--tls-key", key])
        try:
            served_tests(server.port, cert)
            refusal_tests(server.port, cert)
            plain_http_test(server.port)
            silent_client_test(server.port)
            # Refusals and strays leave the server answering.
            status, _, _ = TlsClient(server.port, trusting(cert)).request("GET", "/healthz")
            check(status == 200, f"still answering after the refusals: {status}")
        finally:
            check(server.stop() == 0, "the HTTPS server stops cleanly on SIGTERM")
        bad_file_tests(db, tmp, cert, key)
        reload_test(db, tmp)
    print(f"{st.passed} passed, {st.failed} failed")
    return 1 if st.failed else 0


if __name__ == "__main__":
    sys.exit(main())
