#!/usr/bin/env python3
"""The school-morning load benchmark for `rollcall serve`.

A demo school database is created once (`rollcall demo`), then served by
`rollcall serve --quiet`. In the same run:

  baseline  wrk, 200 connections, GET /healthz (no auth, no work) for D s
  readers   wrk, 200 connections, GET /api/v1/pupils/{id}/summary (random
            pupils, a logged-in office session) for D s, while
  writers   60 "classes" x 30 pupils: 60 client threads (bench/register_burst,
            C++), each submitting a register of 30 marks (PUT, keep-alive, a
            random think time), latency of every PUT measured; first alone
            (think 10 ms: a burst of 1,800 PUTs in about a second), then
            spread over the D s of the reader phase.
  school    wrk, 200 connections, GET /api/v1/school/summary for D s.

Reports requests/s, p50/p99 latencies and errors, and the ratio of summary
throughput to the /healthz baseline (the machine is shared and noisy: the
ratio is the stable figure). Targets (issue 4): >= 5,000 summary GETs/s,
register PUT p99 < 50 ms, zero errors.

Usage: load_bench.py ROLLCALL_BINARY [--seconds D] [--threads N]
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

WRK_LUA = r"""
local ids = {}
local cookie = os.getenv("ROLLCALL_COOKIE")
local path = os.getenv("ROLLCALL_PATH")
for line in io.lines(os.getenv("ROLLCALL_IDS")) do ids[#ids + 1] = line end
local counter = 0
request = function()
  counter = counter + 1
  local p = path:gsub("{id}", ids[(counter * 7919) % #ids + 1])
  return wrk.format("GET", p, {["Cookie"] = cookie})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %.1f %.1f %.1f\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, summary.errors.status, summary.duration, 0,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def start(binary, args):
    proc = subprocess.Popen([binary] + args + ["--port", "0", "--quiet"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m:
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc, int(m.group(1))
    raise RuntimeError("server did not start")


def login(port, user="office"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("POST", "/api/v1/login", json.dumps({"username": user, "password": "rollcall-demo"}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    body = json.loads(r.read())
    return c, r.getheader("Set-Cookie").split(";")[0], body["csrf_token"]


def wrk(port, path, seconds, cookie, ids_file, lua_file, connections=200):
    env = dict(os.environ, ROLLCALL_COOKIE=cookie, ROLLCALL_PATH=path, ROLLCALL_IDS=ids_file)
    threads = str(min(2, connections))
    run = subprocess.run(["wrk", "-t", threads, "-c", str(connections), "-d", f"{seconds}s",
                          "-s", lua_file, f"http://127.0.0.1:{port}/"],
                         capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise RuntimeError(f"wrk {path} failed ({run.returncode}): {run.stderr.strip()}")
    out = run.stdout
    m = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) \d+ ([\d.]+) ([\d.]+) ([\d.]+)", out)
    requests, sock_errors, status_errors, duration_us = (int(m.group(i)) for i in range(1, 5))
    return {"requests": requests, "errors": sock_errors + status_errors,
            "rps": requests / (duration_us / 1e6), "p50_ms": float(m.group(5)) / 1000,
            "p99_ms": float(m.group(6)) / 1000, "max_ms": float(m.group(7)) / 1000}


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


def writers(burst, port, registers, think_seconds, tmp, seed):
    """60 classes, one thread each (bench/register_burst, C++): log in, PUT
    every pupil's mark with a random think time; returns latencies in ms and
    the number of errors."""
    path = os.path.join(tmp, "registers")
    with open(path, "w") as f:
        for date, session, pupil_ids in registers:
            f.write(f"{date} {session} {' '.join(map(str, pupil_ids))}\n")
    out = subprocess.run([burst, str(port), "office", "rollcall-demo",
                          str(think_seconds * 1000), path, str(seed)],
                         capture_output=True, text=True, check=True).stdout
    lat = [float(x) for x in re.search(r"latencies_ms:(.*)", out).group(1).split()]
    errors = int(re.search(r"errors: (\d+)", out).group(1))
    changed = int(re.search(r"changed: (\d+)", out).group(1))
    return lat, errors, changed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("load_bench: wrk is not installed (make bootstrap)")
    binary = os.path.abspath(args.binary)
    burst = os.path.join(os.path.dirname(binary), "bench", "register_burst")
    if not os.path.exists(burst):
        sys.exit(f"load_bench: {burst} is missing (build the release preset with benchmarks)")
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "school.db")
        proc, port = start(binary, ["demo", "--db", db])
        proc.send_signal(signal.SIGTERM)
        proc.wait()
        proc, port = start(binary, ["serve", "--db", db, "--threads", str(args.threads)])
        try:
            c, cookie, _ = login(port)
            c.request("GET", "/api/v1/pupils", headers={"Cookie": cookie})
            pupils = json.loads(c.getresponse().read())["pupils"]
            ids_file = os.path.join(tmp, "ids")
            with open(ids_file, "w") as f:
                f.write("\n".join(str(p["id"]) for p in pupils if p["on_roll"]) + "\n")
            lua_file = os.path.join(tmp, "get.lua")
            with open(lua_file, "w") as f:
                f.write(WRK_LUA)
            # 60 registers of 30: the most recent open sessions, cycling
            # through the pupils on roll on each session's day (a pupil who
            # joined since is refused, rightly, as not on roll).
            sessions = []
            roll = {}
            day = time.time()
            while len(sessions) < 60 // 2 + 1:
                day -= 86400
                date = time.strftime("%Y-%m-%d", time.localtime(day))
                c.request("GET", f"/api/v1/registers/{date}/AM", headers={"Cookie": cookie})
                reg = json.loads(c.getresponse().read())
                if reg["open"]:
                    sessions += [(date, "AM"), (date, "PM")]
                    roll[date] = [p["id"] for p in reg["pupils"]]
            registers = []
            for i in range(60):
                date, session = sessions[i // 14 % len(sessions)]
                start_at = (i % 14) * 30
                registers.append((date, session, [roll[date][(start_at + k) % len(roll[date])]
                                                  for k in range(30)]))

            base = wrk(port, "/healthz", args.seconds, cookie, ids_file, lua_file)
            # Writers alone first (their own baseline), then under read load.
            alone, alone_errors, alone_changed = writers(burst, port, registers, 0.01, tmp, 1)
            result = {}
            t = threading.Thread(target=lambda: result.update(
                w=writers(burst, port, registers, args.seconds / 30 / 1.5, tmp, 2)))
            t.start()
            summary = wrk(port, "/api/v1/pupils/{id}/summary", args.seconds, cookie, ids_file,
                          lua_file)
            t.join()
            latencies, put_errors, changed = result["w"]
            school = wrk(port, "/api/v1/school/summary", args.seconds, cookie, ids_file, lua_file)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait()
    print(f"pupils {len(pupils)}, server threads {args.threads}, {args.seconds} s per phase, "
          f"{os.cpu_count()} cores")
    for name, r in [("GET /healthz (baseline)", base),
                    ("GET pupil summary during register burst", summary),
                    ("GET school summary", school)]:
        print(f"{name:42s} {r['rps']:9.0f} req/s  p50 {r['p50_ms']:6.2f} ms  "
              f"p99 {r['p99_ms']:6.2f} ms  errors {r['errors']}")
    print(f"{'PUT register marks, no other load':42s} {len(alone):9d} puts   "
          f"p50 {percentile(alone, 50):6.2f} ms  p99 {percentile(alone, 99):6.2f} ms  "
          f"max {max(alone):6.2f} ms  errors {alone_errors}  wrote {alone_changed}")
    print(f"{'PUT register marks (60 x 30) under reads':42s} {len(latencies):9d} puts   "
          f"p50 {percentile(latencies, 50):6.2f} ms  p99 {percentile(latencies, 99):6.2f} ms  "
          f"max {max(latencies):6.2f} ms  errors {put_errors}  wrote {changed}")
    print(f"pupil summary / healthz throughput ratio: {summary['rps'] / base['rps']:.3f}")
    ok = (summary["rps"] >= 5000 and percentile(latencies, 99) < 50 and put_errors == 0 and
          alone_errors == 0 and
          summary["errors"] == 0 and school["errors"] == 0)
    print("targets (>= 5000 summary GET/s, PUT p99 < 50 ms, zero errors):",
          "met" if ok else "MISSED")


if __name__ == "__main__":
    main()
