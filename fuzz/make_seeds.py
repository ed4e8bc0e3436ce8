#!/usr/bin/env python3
"""Writes the seed corpus, fuzz/corpus/<harness>/, from the repository's own
examples: the conformance scenarios, data/examples, data/reference, the CTF
test file and the routes table of src/web/app.cc. Run from the repository's
top folder; it replaces the seeds it writes and leaves other files alone
(inputs `make fuzz-merge` added)."""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def put(harness, name, data):
    folder = os.path.join(CORPUS, harness)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def head_lines(path, n):
    return b"".join(read(path).splitlines(keepends=True)[:n])


def scenarios():
    cases = os.path.join(ROOT, "tests", "conformance", "cases")
    sized = []
    for case in sorted(os.listdir(cases)):
        path = os.path.join(cases, case, "scenario.json")
        if os.path.exists(path):
            sized.append((os.path.getsize(path), case, path))
    # The small ones: they cover every shape, and a fuzzer mutates small
    # inputs far faster than large ones.
    return [(case, path) for size, case, path in sorted(sized) if size <= 8000]


def main():
    for case, path in scenarios():
        text = open(path, "rb").read()
        put("scenario_json", case + ".json", text)
        doc = json.loads(text)
        if isinstance(doc.get("policy"), dict):
            put("policy_json", case + ".json", json.dumps(doc["policy"], indent=1))
        if isinstance(doc.get("calendar"), dict):
            put("scenario_json", case + "-calendar.json", json.dumps(doc["calendar"]))
    put("policy_json", "empty.json", "{}")

    put("marks_csv", "sessions.csv", head_lines("data/examples/marks.csv", 12))
    put("marks_csv", "days.csv",
        "school,upn,date,am,pm\n999123,M860200122001,2026-09-03,/,\\\n"
        '999123,"B860200122002",2026-09-04,I,\r\n')
    put("marks_csv", "pupils.csv",
        "school,upn,cohorts,admitted,left\n\xef\xbb\xbf999123,M860200122001,FSM;SEN,2024-09-01,\n"
        "999123,B860200122002,,2024-09-01,2026-07-20\n")

    pupils = head_lines("data/examples/pupils.csv", 6)
    contacts = head_lines("data/examples/contacts.csv", 6)
    put("roll_csv", "pupils.csv", b"\x00" + pupils)
    put("roll_csv", "contacts.csv", b"\x01" + contacts)
    mapping = (
        '{"pupils": {"upn": "Pupil UPN", "legal_given_name": "First", "legal_family_name": "Last",'
        ' "date_of_birth": "Born", "sex": "Sex", "year_group": "NC Year", "admission_date": "Joined"},'
        ' "flags": [{"column": "Young carer", "flag": "YC"}],'
        ' "values": {"yes": ["x"], "no": ["", "-"], "year_group": {"N2": 0}},'
        ' "date_format": "DD/MM/YYYY"}')
    put("roll_csv", "mapping.csv", b"\x80" + mapping.encode() + b"\x00" +
        b"Pupil UPN,First,Last,Born,Sex,NC Year,Joined,Young carer\n"
        b"M860200122001,Amara,Example,14/10/2018,F,N2,05/09/2022,x\n")

    put("ctf_xml", "two_pupils.xml", read("tests/data/ctf/two_pupils.xml"))

    for name in sorted(os.listdir(os.path.join(ROOT, "data", "reference"))):
        if name.startswith("term_dates_"):
            put("term_dates", name, read(os.path.join("data", "reference", name)))

    app = read("src/web/app.cc").decode()
    routes = re.findall(r'\{k(Get|Post|Put|Patch|Delete), "([^"]+)"', app)
    targets = []
    for method, path in routes:
        target = re.sub(r"\{[a-z_]+\}", "1", path)
        targets.append((method.upper(), target))
    for i, (method, target) in enumerate(targets):
        put("http_target", f"{i:03d}", target)
        anonymous = f"{method} {target}\n\n"
        put("routing", f"{i:03d}-anonymous", anonymous)
        body = "" if method == "GET" else "csrf_token=x&date=2026-11-24&reason=Ill"
        kind = "" if method == "GET" else "Content-Type: application/x-www-form-urlencoded\n"
        put("routing", f"{i:03d}-head", f"{method} {target}\nAs: head\n{kind}\n{body}")
    put("http_target", "query", "/registers?date=2026-11-24&session=AM&class=3%20A&x=%E2%9C%93")
    put("http_target", "cookie", "theme=dark; rollcall_session=abc123; other=\"q\"")
    put("http_target", "bearer", "Bearer rc_0123456789abcdef")
    put("routing", "json-mark",
        "PUT /api/v1/marks\nAs: head\nContent-Type: application/json\n\n"
        '{"pupil_id": 1, "date": "2026-11-25", "session": "AM", "code": "/"}')
    put("routing", "api-token", "GET /api/v1/pupils\nAuthorization: Bearer rc_0123\n\n")
    put("routing", "htmx", "GET /registers/1?date=2026-11-25&session=AM\nAs: head\nHX-Request: true\n\n")

    form = "csrf_token=abc&name=Ann+Smith&date-day=3&date-month=11&date-year=2026&note=a%26b"
    put("form_body", "urlencoded", b"\x00" + form.encode())
    multipart = ("multipart/form-data; boundary=XyZ\n"
                 "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc\r\n"
                 "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"note.pdf\"\r\n"
                 "Content-Type: application/pdf\r\n\r\n%PDF-1.4 x\r\n--XyZ--\r\n")
    put("form_body", "multipart", b"\x01" + multipart.encode())
    put("multipart", "two-parts", multipart)
    put("multipart", "quoted-boundary",
        'multipart/form-data; charset=utf-8; boundary="a b;c"\n'
        '--a b;c\r\nContent-Disposition: form-data; name=reason\r\n\r\nIll\r\n--a b;c--\r\n')

    put("http_request", "get",
        "GET /pupils/1?tab=marks HTTP/1.1\r\nHost: localhost\r\nCookie: rollcall_session=abc\r\n"
        "HX-Request: true\r\n\r\n")
    put("http_request", "post",
        "POST /api/v1/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        "Content-Length: 45\r\n\r\n{\"username\":\"head\",\"password\":\"correct-ho\"}")
    put("http_request", "chunked",
        "POST /parent/evidence HTTP/1.1\r\nHost: x\r\nCookie: a=b\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: multipart/form-data; boundary=q\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
    put("http_request", "head", "HEAD / HTTP/1.0\r\n\r\n")
    put("http_request", "smuggle",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n"
        "Content-Length: 3\r\n\r\nabc")
    return 0


if __name__ == "__main__":
    sys.exit(main())
