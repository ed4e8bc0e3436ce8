#!/usr/bin/env python3
"""Compares a synthetic school with the national figures.

    rollcall synth --pupils 2000 --years 2 --seed 1 --out school.json
    rollcall evaluate school.json > result.json
    scripts/synth_calibration.py school.json result.json [--phase all-through]

Prints a Markdown table (the one in docs/synth.md). Headline rates come from
the evaluate result; rates by code and by weekday, which the result does not
carry, are counted here from the scenario over the same statistics period
(1 August of as_of's academic year to as_of), and the script checks that its
own possible/absence totals agree with evaluate's.
"""
import argparse
import datetime
import json
import sys

# England, state-funded schools, 2024/25 year to date (shared/data
# dfe_daily_attendance_ytd_2024-25_la.csv, National rows: Primary, Secondary,
# and Total, which also counts special schools). Severe absence is not in that
# file: 2023/24 from shared/data/README.md, phases from the 2022/23 bands.
NATIONAL = {
    "all-through": {"absence": 6.87, "authorised": 4.54, "unauthorised": 2.33, "I": 3.24, "M": 0.32,
                    "C": 0.41, "E": 0.16, "O": 1.58, "G": 0.46, "N": 0.06, "U": 0.22, "L": 1.87,
                    "PA": 18.7, "SA": "2.3 (2023/24)"},
    "primary": {"absence": 5.25, "authorised": 3.74, "unauthorised": 1.51, "I": 2.86, "M": 0.26,
                "C": 0.32, "E": 0.03, "O": 0.73, "G": 0.56, "N": 0.05, "U": 0.16, "L": 1.10,
                "PA": 13.5, "SA": "0.75 (2022/23)"},
    "secondary": {"absence": 8.59, "authorised": 5.30, "unauthorised": 3.30, "I": 3.63, "M": 0.37,
                  "C": 0.46, "E": 0.31, "O": 2.59, "G": 0.34, "N": 0.07, "U": 0.30, "L": 2.86,
                  "PA": 24.3, "SA": "3.4 (2022/23)"},
}
# Day of week: all state-funded schools, 8-12 September 2025 (README).
NATIONAL_BY_DAY = {"Monday": "4.66", "Wednesday": "4.54", "Friday": "5.49"}
ABSENCE = set("C1 M J1 S C2 C T R I E H F G N O U".split())
NOT_POSSIBLE = set("X Q Y1 Y2 Y3 Y4 Y5 Y6 Y7 Z # D Y".split())
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def date(text):
    return datetime.date.fromisoformat(text)


def open_days(calendar):
    closed = {date(c["date"]) for c in calendar.get("closures") or [] if c.get("session", "BOTH") == "BOTH"}
    days = set()
    for term in calendar["terms"]:
        d, end = date(term["start"]), date(term["end"])
        while d <= end:
            if d.weekday() < 5 and d not in closed:
                days.add(d)
            d += datetime.timedelta(days=1)
    return sorted(days)


def on_roll(pupil, d):
    periods = pupil.get("on_roll")
    if not periods:
        return True
    return any((p["from"] is None or date(p["from"]) <= d) and (p["to"] is None or d <= date(p["to"]))
               for p in periods)


def count(scenario):
    as_of = date(scenario["as_of"])
    start = datetime.date(as_of.year if as_of.month >= 8 else as_of.year - 1, 8, 1)
    days = [d for d in open_days(scenario["calendar"]) if start <= d <= as_of]
    default = scenario.get("default_mark") or {}
    codes, possible_by_day, absent_by_day = {}, [0] * 5, [0] * 5
    possible = absence = 0
    for pupil in scenario["pupils"]:
        marks = (scenario.get("marks") or {}).get(pupil["id"], {})
        for d in days:
            if not on_roll(pupil, d):
                continue
            day_marks = marks.get(d.isoformat(), {})
            for half in ("AM", "PM"):
                code = day_marks[half] if half in day_marks else default.get(half)
                if code is None or code in NOT_POSSIBLE:
                    continue
                codes[code] = codes.get(code, 0) + 1
                possible += 1
                possible_by_day[d.weekday()] += 1
                if code in ABSENCE:
                    absence += 1
                    absent_by_day[d.weekday()] += 1
    return codes, possible, absence, possible_by_day, absent_by_day


def pct(part, whole):
    return 100.0 * part / whole if whole else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("result")
    parser.add_argument("--phase", default="all-through", choices=sorted(NATIONAL))
    args = parser.parse_args()
    with open(args.scenario, encoding="utf-8") as f:
        scenario = json.load(f)
    with open(args.result, encoding="utf-8") as f:
        result = json.load(f)
    school = result["school"]
    codes, possible, absence, possible_by_day, absent_by_day = count(scenario)
    if possible != school["possible"] or absence != school["absence"]:
        sys.exit(f"synth_calibration: counted possible={possible} absence={absence}, evaluate says "
                 f"{school['possible']} and {school['absence']}")
    fsm = result["cohorts"].get("FSM", {"pupils": 0, "persistent_absence": 0})
    other_pupils = school["pupils"] - fsm["pupils"]
    other_pa = school["persistent_absence"] - fsm["persistent_absence"]
    national = NATIONAL[args.phase]
    rows = [
        ("overall absence", school["absence_pct"], national["absence"]),
        ("authorised", school["authorised_pct"], national["authorised"]),
        ("unauthorised", school["unauthorised_pct"], national["unauthorised"]),
    ]
    for code in ["I", "M", "C", "E", "O", "G", "N", "U", "L"]:
        rows.append((f"`{code}`" + (" (present, late)" if code == "L" else ""),
                     pct(codes.get(code, 0), possible), national[code]))
    rows += [
        ("persistent absence (% of pupils)", school["persistent_absence_pct"], national["PA"]),
        ("severe absence (% of pupils)", school["severe_absence_pct"], national["SA"]),
        ("PA, FSM pupils (% of them)", pct(fsm["persistent_absence"], fsm["pupils"]),
         "31.7 (autumn 2024/25)"),
        ("PA, other pupils (% of them)", pct(other_pa, other_pupils), "14.4 (autumn 2024/25)"),
    ]
    for i, name in enumerate(WEEKDAYS):
        rows.append((f"absence on {name}", pct(absent_by_day[i], possible_by_day[i]),
                     NATIONAL_BY_DAY.get(name, "–") + (" (week of 8 Sep 2025)" if name in NATIONAL_BY_DAY else "")))
    print(f"{school['pupils']} pupils with possible sessions, {possible} possible sessions, "
          f"{result['period']['from']} to {result['period']['to']}\n")
    print(f"| measure (% of possible sessions unless stated) | synth | national ({args.phase}) |")
    print("|---|---:|---|")
    for name, value, ref in rows:
        print(f"| {name} | {value:.2f} | {ref} |")


if __name__ == "__main__":
    main()
