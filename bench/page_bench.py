#!/usr/bin/env python3
"""Server time of the pupil page and the school dashboard (issue 5 targets:
< 20 ms and < 100 ms), a year group's dashboard and the governors' report, on the demo school (420 pupils) and on a 2,000-pupil
demo school, in one run.

One client, one connection (wrk -c 1), so each latency is one request's
server time plus loopback; /healthz in the same run is the baseline. The
dashboard's evaluation is cached until the next write, so it is also timed
right after each of 20 writes (uncached). Reuses
load_bench.py's server and wrk helpers.

Usage: page_bench.py ROLLCALL_BINARY [--seconds D]
"""
import argparse
import json
import os
import time
import signal
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load_bench  # noqa: E402


def measure(binary, pupils, seconds, tmp):
    db = os.path.join(tmp, f"school-{pupils}.db")
    proc, port = load_bench.start(binary, ["demo", "--db", db, "--pupils", str(pupils)])
    try:
        c, cookie, _ = load_bench.login(port)
        c.request("GET", "/api/v1/pupils", headers={"Cookie": cookie})
        ids = [p["id"] for p in json.loads(c.getresponse().read())["pupils"] if p["on_roll"]]
        ids_file = os.path.join(tmp, "ids")
        with open(ids_file, "w") as f:
            f.write("\n".join(map(str, ids)) + "\n")
        lua_file = os.path.join(tmp, "get.lua")
        with open(lua_file, "w") as f:
            f.write(load_bench.WRK_LUA)
        out = {}
        for name, path in [("healthz", "/healthz"), ("pupil page", "/pupils/{id}"),
                           ("school dashboard", "/school"),
                           ("year dashboard", "/school?group=year-3"),
                           ("governors' report", "/governors")]:
            out[name] = load_bench.wrk(port, path, seconds, cookie, ids_file, lua_file,
                                       connections=1)
        # The dashboard is cached until the next write: time it just after one.
        c, cookie, csrf = load_bench.login(port)
        c.request("GET", "/api/v1/classes", headers={"Cookie": cookie})
        first_class = json.loads(c.getresponse().read())["classes"][0]["id"]
        date = None
        for back in range(1, 60):
            day = time.strftime("%Y-%m-%d", time.localtime(time.time() - back * 86400))
            c.request("GET", f"/api/v1/registers/{day}/AM?class={first_class}",
                      headers={"Cookie": cookie})
            reg = json.loads(c.getresponse().read())
            if reg["open"]:
                date, pupil = day, reg["pupils"][0]["id"]
                break
        cold = []
        for i in range(20):
            body = json.dumps({"code": "I" if i % 2 else "M", "reason": "page benchmark"})
            c.request("PUT", f"/api/v1/registers/{date}/AM/marks/{pupil}", body,
                      {"Cookie": cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json"})
            c.getresponse().read()
            t0 = time.perf_counter()
            c.request("GET", "/school", headers={"Cookie": cookie})
            c.getresponse().read()
            cold.append((time.perf_counter() - t0) * 1000)
        out["dashboard after a write"] = {"rps": 0, "p50_ms": sorted(cold)[10],
                                          "p99_ms": max(cold), "errors": 0}
        return len(ids), out
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--seconds", type=int, default=5)
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    with tempfile.TemporaryDirectory() as tmp:
        for pupils in (420, 2000):
            on_roll, r = measure(binary, pupils, args.seconds, tmp)
            print(f"school of {pupils} pupils ({on_roll} on roll), one connection:")
            for name, m in r.items():
                print(f"  {name:18s} {m['rps']:8.0f} req/s  p50 {m['p50_ms']:6.2f} ms  "
                      f"p99 {m['p99_ms']:6.2f} ms  errors {m['errors']}")
            ok = (r["pupil page"]["p99_ms"] < 20 and r["school dashboard"]["p99_ms"] < 100 and
                  r["year dashboard"]["p99_ms"] < 100 and
                  r["dashboard after a write"]["p99_ms"] < 100)
            print(f"  targets (pupil page < 20 ms, dashboard < 100 ms, at p99; 'after a write' "
                  f"is the max of 20 uncached): "
                  f"{'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
