#!/usr/bin/env python3
"""Follows the README's "Hosting many schools" as a new user would.

Usage: scripts/with-test-postgres readme_hosting_test.py ROLLCALL_BINARY REPO_DIR

Reads README.md, takes that section's ```sh blocks and runs them with bash in
an empty folder, with `build/release/rollcall` replaced by the binary under
test, `data/...` by the repository's files and the database by a new one of
the throwaway cluster that with-test-postgres started (ROLLCALL_TEST_PG).
What needs root and the network is left out: the lines that install packages
or create the role and database with sudo (the cluster has them), and the
nginx block. The two `rollcall serve` processes start as written, on free
ports in place of 8081 and 8082. Then, over HTTP: both processes serve both
schools; Moorhill's head logs in on the first process at /s/999124/ and the
login works on the second; Moorside is found by its host name on the
second; a path naming no school is a plain 404. A README command that fails
fails the test.

Ends with the line `readme_hosting: N passed, M failed`.
"""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

BINARY = os.path.abspath(sys.argv[1])
REPO = os.path.abspath(sys.argv[2])
PG_BINDIR = os.environ.get("ROLLCALL_PG_BINDIR", "/usr/lib/postgresql/15/bin")
passed = 0
failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)


def section_blocks():
    text = open(os.path.join(REPO, "README.md"), encoding="utf-8").read()
    start = text.index("\n## Hosting many schools\n")
    end = text.index("\n## ", start + 1)
    return re.findall(r"```sh\n(.*?)```", text[start:end], flags=re.S)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = dict(headers or {})
    if body is not None:
        h["Content-Type"] = "application/json"
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=h)
    res = conn.getresponse()
    return res.status, res.read().decode("utf-8", "replace"), res


def main():
    conninfo = os.environ.get("ROLLCALL_TEST_PG", "")
    if not conninfo:
        print("ROLLCALL_TEST_PG is not set: run under scripts/with-test-postgres")
        return 1
    host = re.search(r"\bhost=(\S+)", conninfo).group(1)
    pg_port = re.search(r"\bport=(\S+)", conninfo).group(1)
    name = f"rollcall_readme_{os.getpid()}"
    subprocess.run([os.path.join(PG_BINDIR, "psql"), "-X", "-q", "-h", host, "-p", pg_port, "-U",
                    "postgres", "-d", "postgres", "-c", f"CREATE DATABASE {name} OWNER rollcall"],
                   check=True, capture_output=True, timeout=60)
    uri = f"postgresql://rollcall@/{name}?host={host}&port={pg_port}"
    ports = {"8081": free_port(), "8082": free_port()}

    blocks = section_blocks()
    check(len(blocks) >= 5, f"the section has its five steps' commands: {len(blocks)} blocks")
    work = tempfile.mkdtemp(prefix="rollcall-readme-hosting-")
    script = ["set -euo pipefail"]
    for block in blocks:
        if "nginx" in block and "sudo tee" in block:
            continue  # step 6: nginx needs root and a real host name
        for line in block.splitlines():
            if line.startswith("sudo ") or line.startswith("export PGPASSWORD"):
                continue
            if line.startswith("DB="):
                line = f"DB='{uri}'"
            line = line.replace("build/release/rollcall", BINARY)
            line = re.sub(r"(?<![\w/])data/", REPO + "/data/", line)
            for old, new in ports.items():
                line = line.replace(f"--port {old}", f"--port {new}")
            if line.rstrip().endswith("&") and " serve " in line:
                # Each server's output to a file of its own, to be read below.
                n = len([x for x in script if " serve " in x]) + 1
                line = line.rstrip()[:-1] + f" > serve{n}.out 2>&1 &"
            script.append(line)
    script.append("wait")  # the servers: killed below
    proc = subprocess.Popen(["bash", "-c", "\n".join(script)], cwd=work,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        outs = [os.path.join(work, f"serve{n}.out") for n in (1, 2)]
        deadline = time.time() + 300
        ready = False
        while time.time() < deadline and proc.poll() is None:
            texts = [open(o).read() if os.path.exists(o) else "" for o in outs]
            if all("rollcall: serving 2 schools" in t for t in texts):
                ready = True
                break
            time.sleep(0.3)
        if not ready:
            out = proc.stdout.read() if proc.poll() is not None else ""
            check(False, f"the README's commands start two servers: {out[-2000:]}")
            return 1
        texts = [open(o).read() for o in outs]
        for n, t in enumerate(texts, 1):
            check("999123 Moorside Primary School" in t and "999124 Moorhill Primary School" in t,
                  f"process {n} lists both schools: {t[:400]}")
        a, b = ports["8081"], ports["8082"]
        status, body, res = request(a, "POST", "/s/999124/api/v1/login",
                                    {"username": "head", "password": "second-head-password"})
        check(status == 200, f"Moorhill's head logs in on the first process: {status} {body}")
        cookie = (res.getheader("Set-Cookie") or "").split(";")[0]
        check("Path=/s/999124/" in (res.getheader("Set-Cookie") or ""),
              f"the login's cookie is Moorhill's path only: {res.getheader('Set-Cookie')}")
        status, body, _ = request(b, "GET", "/s/999124/api/v1/me", headers={"Cookie": cookie})
        me = json.loads(body) if status == 200 else {}
        check(me.get("school", {}).get("name") == "Moorhill Primary School",
              f"the login works on the second process, at Moorhill: {status} {body[:200]}")
        status, body, _ = request(b, "GET", "/s/999123/api/v1/me", headers={"Cookie": cookie})
        check(status == 401, f"Moorhill's login is not logged in at Moorside: {status}")
        status, body, _ = request(b, "GET", "/login", headers={"Host": "moorside.example.org"})
        check(status == 200 and "Moorside Primary School" in body,
              f"Moorside is found by its host name: {status}")
        status, body, _ = request(a, "GET", "/nothing-here")
        check(status == 404 and "Moorside" not in body and "Moorhill" not in body,
              f"a path naming no school is a 404 that names none: {status}")
        status, body, _ = request(a, "POST", "/s/999123/api/v1/login",
                                  {"username": "office", "password": "office-password-1"})
        check(status == 200, f"Moorside's office logs in with the README's password: {status}")
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
    print(f"readme_hosting: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
