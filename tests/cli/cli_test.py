#!/usr/bin/env python3
"""End-to-end checks of the rollcall binary's commands and their error paths.

Usage: cli_test.py ROLLCALL_BINARY CASES_DIR
Ends with the line `cli: N passed, M failed`.
"""
import datetime
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

binary, cases = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(name, condition, detail=''):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print('FAIL %s %s' % (name, detail))


def run(*args, stdin=None):
    return subprocess.run([binary, *args], input=stdin, capture_output=True, text=True, timeout=120)


valid = os.path.join(cases, 'codes-one-week', 'scenario.json')
invalid = os.path.join(cases, 'error-saturday-mark', 'scenario.json')

p = run('evaluate', valid)
check('evaluate valid exits 0', p.returncode == 0, p.stderr)
check('evaluate valid prints JSON', p.returncode == 0 and 'pupils' in json.loads(p.stdout))
check('evaluate valid prints nothing on stderr', p.stderr == '')

with open(valid) as f:
    text = f.read()
q = run('evaluate', '-', stdin=text)
check('evaluate - reads stdin', q.returncode == 0 and q.stdout == p.stdout, q.stderr)

p = run('evaluate', invalid)
check('invalid exits 2', p.returncode == 2, str(p.returncode))
check('invalid prints nothing on stdout', p.stdout == '', p.stdout[:100])
lines = p.stderr.strip().split('\n')
check('invalid prints one line', len(lines) == 1 and lines[0], repr(p.stderr))
check('invalid names the JSON path', lines[0].startswith('marks['), lines[0])

p = run('evaluate', '/nonexistent/scenario.json')
check('missing file exits 2 with a message', p.returncode == 2 and 'cannot open' in p.stderr, p.stderr)

p = run('evaluate', '-', stdin='{"as_of": "2024-09-20", "as_of": "2024-09-21"}')
check('duplicate key exits 2', p.returncode == 2 and 'repeated key' in p.stderr, p.stderr)

p = run('evaluate', '-', stdin='{"as_of": "2024-09-20", "calendar": {"terms": [{"start": "2024-09-02", "end": "2024-09-06"}]}, "pupils": [], "marks": {"\\n": {}}}')
check('control characters stay on one line', p.returncode == 2 and p.stderr.count('\n') == 1, repr(p.stderr))

p = run('evaluate')
check('evaluate without a file is a usage error', p.returncode == 2 and p.stdout == '', p.stderr)

p = run('frobnicate')
check('unknown command exits 2', p.returncode == 2)

p = run('summary', valid)
check('summary prints a report', p.returncode == 0 and 'school' in p.stdout and 'Alerts by type' in p.stdout, p.stderr)
p = run('summary', invalid)
check('summary of invalid input exits 2', p.returncode == 2 and p.stdout == '')

p = run('synth', '--pupils', '0', '--years', '1', '--seed', '1')
check('synth with no pupils exits 2', p.returncode == 2 and p.stdout == '' and p.stderr.count('\n') == 1, p.stderr)
p = run('synth', '--pupils', '10', '--years', '11', '--seed', '1')
check('synth with 11 years exits 2', p.returncode == 2 and p.stdout == '', p.stderr)
p = run('synth', '--pupils', '10', '--years', '1', '--seed', '1', '--as-of', '2025-02-30')
check('synth with a bad date exits 2', p.returncode == 2 and p.stdout == '', p.stderr)
a = run('synth', '--pupils', '30', '--years', '1', '--seed', '7')
b = run('synth', '--pupils', '30', '--years', '1', '--seed', '7')
c = run('synth', '--pupils', '30', '--years', '1', '--seed', '8')
check('synth is deterministic', a.returncode == 0 and a.stdout == b.stdout and a.stdout != c.stdout)
e = run('evaluate', '-', stdin=a.stdout)
check('synth output evaluates', e.returncode == 0 and len(json.loads(e.stdout)['pupils']) == 30, e.stderr)
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, 'school.json')
    p = run('synth', '--pupils', '5', '--years', '1', '--seed', '1', '--out', out)
    check('synth --out writes the file', p.returncode == 0 and os.path.getsize(out) > 0 and p.stdout == '', p.stderr)
    bad = os.path.join(tmp, 'missing-dir', 'school.json')
    p = run('synth', '--pupils', '5', '--years', '1', '--seed', '1', '--out', bad)
    check('synth to an unwritable path fails cleanly', p.returncode != 0 and p.stderr and not os.path.exists(bad), p.stderr)

# forecast: the early-warning model's training and measurement (docs/early-warning.md).
a = run('forecast', 'train', '--seed', '5', '--pupils', '60')
b = run('forecast', 'train', '--seed', '5', '--pupils', '60')
c = run('forecast', 'train', '--seed', '6', '--pupils', '60')
check('forecast train prints a model include file, the same each time',
      a.returncode == 0 and '.weight = {{' in a.stdout and a.stdout == b.stdout and a.stdout != c.stdout,
      a.stderr)
p = run('forecast', 'train', '--seed', 'x')
check('forecast train with a bad seed exits 2', p.returncode == 2 and p.stdout == '' and '--seed' in p.stderr, p.stderr)
p = run('forecast', 'train', '--seed', '5', '--pupils', '0')
check('forecast train with no pupils exits 2', p.returncode == 2 and p.stdout == '', p.stderr)
p = run('forecast', 'evaluate', '--train-seed', '5', '--test-seed', '5', '--pupils', '60')
check('forecast evaluate on the training seed exits 2', p.returncode == 2 and 'the same' in p.stderr, p.stderr)
p = run('forecast', 'evaluate', '--train-seed', '5', '--test-seed', '6', '--pupils', '60')
check('forecast evaluate reports the model beside the baseline',
      p.returncode == 0 and 'model, chance >= 0.50' in p.stdout and 'baseline' in p.stdout
      and 'precision' in p.stdout, p.stdout + p.stderr)
p = run('forecast')
check('forecast without train or evaluate exits 2', p.returncode == 2, p.stderr)

# evaluate --engine columnar: the LA-scale engine gives the reference's result, byte for byte.
for case in sorted(os.listdir(cases)):
    scenario = os.path.join(cases, case, 'scenario.json')
    core = run('evaluate', scenario)
    columnar = run('evaluate', '--engine', 'columnar', scenario)
    check('evaluate --engine columnar %s matches core' % case,
          core.returncode == columnar.returncode and core.stdout == columnar.stdout,
          columnar.stderr)
p = run('evaluate', '--engine', 'fast', valid)
check('evaluate --engine fast is refused', p.returncode == 2 and 'core or columnar' in p.stderr and p.stdout == '', p.stderr)

# bench engine: small runs work, bad sizes and files are refused with one line.
with tempfile.TemporaryDirectory() as tmp:
    saved = os.path.join(tmp, 'la.engine')
    p = run('bench', 'engine', '--pupils', '2000', '--repeat', '1', '--save', saved, '--sqlite-pupils', '500', '--work-dir', tmp)
    check('bench engine runs and saves', p.returncode == 0 and 'statistics pass' in p.stdout and
          'alerts pass' in p.stdout and os.path.getsize(saved) > 2000 * 300, p.stderr)
    check('bench engine checks SQLite agrees', 'sqlite:' in p.stdout and 'identical for every school and cohort' in p.stdout, p.stdout)
    q = run('bench', 'engine', '--pupils', '2000', '--repeat', '1', '--load', saved)
    stat = lambda out: [l for l in out.splitlines() if 'attendance' in l and 'PA' in l]
    check('bench engine --load gives the saved figures', q.returncode == 0 and stat(q.stdout) == stat(p.stdout), q.stderr)
    with open(saved, 'r+b') as f:
        f.seek(0)
        f.write(b'XXXX')
    q = run('bench', 'engine', '--pupils', '1', '--repeat', '1', '--load', saved)
    check('bench engine refuses a damaged file', q.returncode == 2 and 'bad magic' in q.stderr and q.stderr.count('\n') == 1, q.stderr)
p = run('bench', 'engine', '--pupils', '0')
check('bench engine --pupils 0 is refused', p.returncode == 2 and '--pupils' in p.stderr, p.stderr)
p = run('bench', 'engine', '--pupils', '10', '--duckdb-storage', 'disk')
check('bench engine --duckdb-storage names its choices', p.returncode == 2 and 'memory' in p.stderr and 'file' in p.stderr, p.stderr)

# demo --now and serve --now: a school morning at any hour; a bad time is refused before any
# file is made.
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'demo', 'rollcall.db')
    for bad_now in ('2026-13-01T10:00', '2026-11-25 25:00', 'tomorrow'):
        p = run('demo', '--db', db, '--port', '0', '--now', bad_now)
        check('demo --now %s exits 2' % bad_now,
              p.returncode == 2 and 'is not a UK local time' in p.stderr and p.stdout == '' and
              not os.path.exists(db), p.stderr)
        p = run('serve', '--db', db, '--port', '0', '--now', bad_now)
        check('serve --now %s exits 2' % bad_now,
              p.returncode == 2 and 'is not a UK local time' in p.stderr and p.stdout == '' and
              not os.path.exists(db), p.stderr)
    import http.client
    import re
    demo = subprocess.Popen([binary, 'demo', '--db', db, '--port', '0', '--quiet', '--now',
                             '2026-11-25T10:30', '--pupils', '60'],
                            stdout=subprocess.PIPE, text=True)
    try:
        port = None
        for line in demo.stdout:
            m = re.search(r'http://127\.0\.0\.1:(\d+)/', line)
            if m:
                port = int(m.group(1))
                break
        c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
        c.request('POST', '/api/v1/login', json.dumps({'username': 'office', 'password': 'rollcall-demo'}),
                  {'Content-Type': 'application/json'})
        r = c.getresponse()
        cookie = r.getheader('Set-Cookie').split(';')[0]
        r.read()
        c.request('GET', '/api/v1/school/summary', headers={'Cookie': cookie})
        summary = json.loads(c.getresponse().read())
        check('demo --now runs the clock from that moment', summary.get('as_of') == '2026-11-25', summary)
        # Finding 15: demo created its database files 0644 (the umask here is the caller's).
        import stat
        demo_dir = os.path.dirname(db)
        demo_files = [os.path.join(d, f) for d, _, names in os.walk(demo_dir) for f in names if '.db' in f]
        check('demo creates its databases and their -wal files 0600',
              any(f.endswith('rollcall.db-wal') for f in demo_files) and len(demo_files) >= 4 and
              all(stat.S_IMODE(os.stat(f).st_mode) == 0o600 for f in demo_files),
              [(f, oct(os.stat(f).st_mode)) for f in demo_files])
        c.request('GET', '/api/v1/registers/2026-11-25/AM?class=1', headers={'Cookie': cookie})
        reg = json.loads(c.getresponse().read())
        check("demo --now: that morning's registers are taken",
              reg.get('open') and any(p.get('code') for p in reg.get('pupils', [])), str(reg)[:200])

        # import: marks from CSV into the demo database while it is being
        # served, checked whole before anything is written.
        import sqlite3
        con = sqlite3.connect(db)
        urn = con.execute('SELECT urn FROM school').fetchone()[0]
        pupil_id, upn, pupil_class = con.execute(
            "SELECT p.id, p.upn, p.class_id FROM pupils p JOIN enrolments e ON e.pupil_id = p.id "
            "WHERE e.start_date <= '2026-09-01' AND e.end_date IS NULL ORDER BY p.id LIMIT 1").fetchone()
        before = con.execute('SELECT COUNT(*) FROM mark_audit').fetchone()[0]
        con.close()
        marks = os.path.join(tmp, 'marks.csv')
        with open(marks, 'w') as f:
            f.write('school,upn,date,session,code\n')
            f.write('%s,%s,2026-11-11,AM,G\n%s,%s,2026-11-11,PM,O\n%s,%s,2026-11-12,AM,\n' % (urn, upn, urn, upn, urn, upn))

        def served(path):
            c.request('GET', path, headers={'Cookie': cookie})
            return json.loads(c.getresponse().read())

        def served_code(session):
            reg = served('/api/v1/registers/2026-11-11/%s?class=%d' % (session, pupil_class))
            return [q.get('code') for q in reg.get('pupils', []) if q.get('id') == pupil_id][0]
        prior = [served_code('AM'), served_code('PM')]
        unauthorised = served('/api/v1/pupils/%d/summary' % pupil_id)['unauthorised']
        p = run('import', marks, '--db', db, '--user', 'office')
        check('import records the marks', p.returncode == 0 and '2 marks checked; 2 recorded' in p.stdout and '1 empty' in p.stdout, p.stdout + p.stderr)
        import time
        time.sleep(1.2)  # the server looks for other processes' writes once a second
        # The summary comes from the server's snapshot and the rules core, not
        # the database: it counts the imported G and O only if the server
        # read the school again.
        want = unauthorised + sum(1 for code in prior if code not in ('G', 'N', 'O', 'U'))
        got = served('/api/v1/pupils/%d/summary' % pupil_id)['unauthorised']
        check('the running server counts the imported marks, without a restart',
              got == want and [served_code('AM'), served_code('PM')] == ['G', 'O'], (prior, unauthorised, got, want))
    finally:
        demo.terminate()
        demo.wait()
    check('the demo server stops cleanly after the import', demo.returncode == 0, demo.returncode)
    con = sqlite3.connect(db)
    rows = con.execute('SELECT reason, new_code FROM mark_audit WHERE pupil_id = ? ORDER BY id DESC LIMIT 2', (pupil_id,)).fetchall()
    check('import keeps the file and line as the audit reason', [r[0] for r in rows] == ['imported from marks.csv line 3', 'imported from marks.csv line 2'], rows)
    after = con.execute('SELECT COUNT(*) FROM mark_audit').fetchone()[0]
    con.close()
    p = run('import', marks, '--db', db, '--user', 'office')
    check('import again changes nothing', p.returncode == 0 and '0 recorded' in p.stdout and '2 already recorded' in p.stdout, p.stdout)
    bad = os.path.join(tmp, 'bad.csv')
    with open(bad, 'w') as f:
        f.write('school,upn,date,am,pm\n')
        f.write('%s,%s,2026-11-16,O,O\n' % (urn, upn))          # fine on its own
        f.write('%s,%s,2026-11-14,/,\\\n' % (urn, upn))      # a Saturday
        f.write('999999,%s,2026-11-17,/,/\n' % upn)             # another school
        f.write('%s,N909999999991,2026-11-17,/,/\n' % urn)      # no such pupil
        f.write('%s,%s,2026-11-18,H,/\n' % (urn, upn))         # withdrawn code
        f.write('%s,%s,2099-11-18,/,/\n' % (urn, upn))         # the future
    p = run('import', bad, '--db', db, '--user', 'office')
    check('import of a bad file exits 2 naming every line', p.returncode == 2 and
          all(('line %d:' % n) in p.stderr for n in (3, 4, 5, 6, 7)) and 'line 2:' not in p.stderr and
          '6 problems, nothing imported' in p.stderr, p.stderr)
    con = sqlite3.connect(db)
    check('import of a bad file writes nothing', con.execute('SELECT COUNT(*) FROM mark_audit').fetchone()[0] == after)
    con.close()
    with open(bad, 'w') as f:
        f.write('school,upn,date,session,code\n%s,%s,2026-11-16,AM,"O\n' % (urn, upn))
    p = run('import', bad, '--db', db, '--user', 'office')
    check('import of a broken quote names line 2', p.returncode == 2 and 'line 2: a quoted field is not closed' in p.stderr, p.stderr)
    p = run('import', marks, '--db', db, '--user', 'teacher1')
    check('import by a teacher is refused', p.returncode == 2 and 'only the office, attendance officers and heads' in p.stderr, p.stderr)
    p = run('import', marks, '--db', db)
    check('import --db without --user is refused', p.returncode == 2 and '--user' in p.stderr, p.stderr)
    p = run('import', marks)
    check('import without a target is refused', p.returncode == 2 and '--engine-file' in p.stderr, p.stderr)
    p = run('import', marks, '--db', os.path.join(tmp, 'nope.db'), '--user', 'office')
    check('import into a missing database is refused', p.returncode != 0 and 'no such database' in p.stderr and not os.path.exists(os.path.join(tmp, 'nope.db')), p.stderr)

    # import --engine-file: an LA's schools into one engine file, then evaluated by the engine.
    cal = os.path.join(tmp, 'calendar.json')
    with open(cal, 'w') as f:
        json.dump({'terms': [{'start': '2026-09-01', 'end': '2026-10-23'}, {'start': '2026-11-02', 'end': '2026-12-18'}],
                   'closures': [{'date': '2026-11-20', 'sessions': 'both', 'reason': 'INSET'}]}, f)
    pupils = os.path.join(tmp, 'pupils.csv')
    with open(pupils, 'w') as f:
        f.write('school,upn,cohorts,admitted,left\n100001,%s,fsm;sen_support,2026-11-09,\n100002,A909241720012,,,\n' % upn)
    la = os.path.join(tmp, 'la.csv')
    with open(la, 'w') as f:
        f.write('school,upn,date,am,pm\n')
        for day in ('2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13'):
            f.write('100001,%s,%s,/,\\\n' % (upn, day))
            f.write('100002,A909241720012,%s,I,I\n' % day)
    engine_file = os.path.join(tmp, 'la.engine')
    p = run('import', la, '--pupils', pupils, '--engine-file', engine_file, '--calendar', cal)
    check('import --engine-file writes the file', p.returncode == 0 and '2 pupils in 2 schools' in p.stdout and os.path.exists(engine_file), p.stdout + p.stderr)
    q = run('bench', 'engine', '--pupils', '1', '--repeat', '1', '--load', engine_file, '--as-of', '2026-11-13')
    check('the imported engine file evaluates', q.returncode == 0 and 'PA 50.0% (1 pupils)' in q.stdout, q.stdout + q.stderr)
    with open(la, 'a') as f:
        f.write('100001,%s,2026-11-20,/,\\\n' % upn)   # the INSET day
        f.write('100001,%s,2026-11-02,/,\\\n' % upn)   # before admission
        f.write('100003,%s,2026-11-16,/,\\\n' % upn)   # not in the pupil list
    os.remove(engine_file)
    p = run('import', la, '--pupils', pupils, '--engine-file', engine_file, '--calendar', cal)
    check('import --engine-file of a bad file writes nothing', p.returncode == 2 and not os.path.exists(engine_file) and
          'line 12:' in p.stderr and 'line 13:' in p.stderr and 'line 14:' in p.stderr and 'not in the pupil list' in p.stderr, p.stderr)
    with open(cal, 'w') as f:
        f.write('{"terms": [{"start": "2026-09-31", "end": "2026-10-23"}]}')
    p = run('import', la, '--engine-file', engine_file, '--calendar', cal)
    check('import --engine-file with a bad calendar names it', p.returncode == 2 and 'calendar.json' in p.stderr, p.stderr)


def import_names_a_long_field_by_a_prefix():
    """Finding 13: import echoed a whole bad field (a 10 MB field gave 10 MB on stderr)."""
    big = 'A' * (1 << 20)
    shown = "'%s…' (1048576 characters)" % ('A' * 40)
    with tempfile.TemporaryDirectory() as tmp:
        cal = os.path.join(tmp, 'calendar.json')
        with open(cal, 'w') as f:
            json.dump({'terms': [{'start': '2026-09-01', 'end': '2026-12-18'}]}, f)
        engine_file = os.path.join(tmp, 'la.engine')
        marks = os.path.join(tmp, 'long.csv')
        with open(marks, 'w') as f:
            f.write('school,upn,date,session,code\n')
            f.write('100001,A909241720012,2026-11-09,AM,%s\n' % big)  # line 2: the code
            f.write('100001,A909241720012,%s,AM,/\n' % big)          # line 3: the date
            f.write('100001,A909241720012,2026-11-10,%s,/\n' % big)  # line 4: the session
            f.write('100001,%s,2026-11-11,AM,/\n' % big)             # line 5: the upn
        p = run('import', marks, '--engine-file', engine_file, '--calendar', cal)
        check('import of 1 MB bad fields exits 2 with under 4 KB on stderr',
              p.returncode == 2 and len(p.stderr.encode()) < 4096, (p.returncode, len(p.stderr)))
        check('import of 1 MB bad fields names each line and problem by a short prefix',
              ('line 2: %s is not an attendance code' % shown.replace("'", '"')) in p.stderr and
              ('line 3: date %s is not a date' % shown.replace("'", '"')) in p.stderr and
              ('line 4: session %s is not AM or PM' % shown.replace("'", '"')) in p.stderr and
              ('line 5: upn %s' % shown.replace("'", '"')) in p.stderr, p.stderr[:2000])
        with open(marks, 'w') as f:
            f.write('school,upn,date,session,code,%s\n' % big)
        p = run('import', marks, '--engine-file', engine_file, '--calendar', cal)
        check('import of a 1 MB bad column name exits 2 with under 4 KB on stderr',
              p.returncode == 2 and len(p.stderr.encode()) < 4096 and 'line 1: unknown column "AAAA' in p.stderr,
              p.stderr[:2000])
        pupils = os.path.join(tmp, 'pupils.csv')
        with open(pupils, 'w') as f:
            f.write('school,upn\n100001,A909241720012\n')
        with open(marks, 'w') as f:
            f.write('school,upn,date,session,code\n%s,A909241720012,2026-11-09,AM,/\n' % big)
        p = run('import', marks, '--pupils', pupils, '--engine-file', engine_file, '--calendar', cal)
        check('import of a 1 MB school not in the pupil list exits 2 with under 4 KB on stderr',
              p.returncode == 2 and len(p.stderr.encode()) < 4096 and 'line 2:' in p.stderr and
              'not in the pupil list' in p.stderr and '(1048576 characters)' in p.stderr, p.stderr[:2000])
    p = run('evaluate', '-', stdin=json.dumps({
        'as_of': '2024-09-06', 'calendar': {'terms': [{'start': '2024-09-02', 'end': '2024-09-06'}]},
        'pupils': [{'id': 'P1'}], 'marks': {'P1': {'2024-09-02': {'AM': big}}}}))
    check('evaluate of a 1 MB bad code names it by a short prefix',
          p.returncode == 2 and p.stderr.count('\n') == 1 and len(p.stderr.encode()) < 4096 and
          ('%s is not an attendance code' % shown) in p.stderr, p.stderr[:2000])


def evaluate_refuses_an_over_long_number():
    """Finding 14a: a JSON number of 1 GiB digits took 4.2 GB of memory before exit 2."""
    digits = 10 * 1000 * 1000
    text = '{"as_of": "2024-09-06", "calendar": {"terms": []}, "pupils": [], "x": ' + '9' * digits + '}'
    p = run('evaluate', '-', stdin=text)
    check('evaluate of a 10 MB-digit number exits 2 with one line saying it is too long',
          p.returncode == 2 and p.stdout == '' and p.stderr.count('\n') == 1 and
          ('a number of %d characters is too long' % digits) in p.stderr, p.stderr[:300])


def scenario_of(pupils, as_of='2025-07-18', years=1):
    """`years` school years (the last ending on as_of) and `pupils` pupils with
    no marks: every session is unrecorded."""
    terms = [{'start': '%d-09-02' % (2024 - y), 'end': '%d-07-18' % (2025 - y)} for y in reversed(range(years))]
    head = json.dumps({'as_of': as_of, 'calendar': {'terms': terms}})
    return head[:-1] + ', "pupils": [' + ','.join('{"id":"P%d"}' % i for i in range(pupils)) + ']}'


def evaluate_bounds_memory():
    """Finding 14b: a 2M-pupil scenario file (35 MB) aborted with std::bad_alloc.

    What matters is the memory the result would need (every unrecorded session
    of every pupil is evidence), not the size of the file: 200,000 pupils over
    ten school years ask for as much as 2,000,000 over one (about 360 GiB), from
    a file a tenth of the size, so the check parses 3.5 MB instead of 35 MB.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'la.json')
        with open(path, 'w') as f:
            f.write(scenario_of(200000, years=10))
        p = run('evaluate', path)
        check('evaluate of 200,000 pupils over ten years exits 2 with exactly one line naming the numbers',
              p.returncode == 2 and p.stdout == '' and p.stderr.count('\n') == 1 and
              '200000 pupils' in p.stderr and '--max-memory-mb' in p.stderr, p.stderr[:300])
        with open(path, 'w') as f:
            f.write(scenario_of(200))
        p = run('evaluate', '--max-memory-mb', '1', path)
        check('evaluate --max-memory-mb 1 refuses 200 pupils with one line',
              p.returncode == 2 and p.stderr.count('\n') == 1 and 'limit of 1 MiB' in p.stderr, p.stderr[:300])
        p = run('evaluate', '--max-memory-mb', '4000', path)
        check('evaluate --max-memory-mb 4000 evaluates 200 pupils',
              p.returncode == 0 and len(json.loads(p.stdout)['pupils']) == 200, p.stderr[:300])
    p = run('evaluate', '--help')
    check('evaluate --help documents --max-memory-mb', '--max-memory-mb' in p.stdout, p.stdout)


def evaluate_reports_running_out_of_memory():
    """Finding 14c: std::bad_alloc aborted rollcall (exit 134, three lines)."""
    libs = subprocess.run(['ldd', binary], capture_output=True, text=True).stdout
    if 'libasan' in libs:
        print('skip: out-of-memory check (AddressSanitizer reserves its own address space)')
        return
    import resource

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'school.json')
        with open(path, 'w') as f:
            f.write(scenario_of(20000))
        p = subprocess.run([binary, 'evaluate', '--max-memory-mb', '1000000', path], capture_output=True,
                           text=True, timeout=120, preexec_fn=limit_memory)
        check('evaluate that runs out of memory exits 2 with one line "out of memory"',
              p.returncode == 2 and p.stdout == '' and p.stderr.count('\n') == 1 and
              'rollcall: out of memory' in p.stderr, (p.returncode, p.stderr[:300]))


def migrate_creates_an_owner_only_database():
    """Finding 15: migrate and demo created the SQLite database file with mode 0644.

    demo opens its databases (and the LA schools beside them) through the same
    sqlite Db::Open as migrate; the demo block above checks its files, -wal
    included, while it runs."""
    import stat
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'school.db')
        p = subprocess.run([binary, 'migrate', '--db', db], capture_output=True, text=True, timeout=120,
                           preexec_fn=lambda: os.umask(0))
        modes = {f: oct(stat.S_IMODE(os.stat(os.path.join(tmp, f)).st_mode)) for f in os.listdir(tmp)}
        check('migrate creates a new database 0600 even with umask 0',
              p.returncode == 0 and modes.get('school.db') == '0o600' and
              all(m == '0o600' for m in modes.values()), (p.stderr, modes))
        mine = os.path.join(tmp, 'shared.db')
        open(mine, 'w').close()
        os.chmod(mine, 0o640)
        p = run('migrate', '--db', mine)
        check('migrate keeps the mode of an existing database file',
              p.returncode == 0 and stat.S_IMODE(os.stat(mine).st_mode) == 0o640, p.stderr)


def init_sets_up_a_school_then_serve_loads_it():
    """rollcall init from the example answers, then rollcall serve on the new database."""
    import http.client
    import re
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(cases))))
    example = os.path.join(root, 'data', 'examples', 'setup.json')
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'school.db')
        p = run('init', '--db', db, '--from', example, stdin='short\n')
        check('init refuses a short password, naming the field, and writes nothing',
              p.returncode == 2 and 'head_password:' in p.stderr and p.stdout == '', p.stderr)
        p = run('init', '--db', db, '--from', example, '--urn', '12345', '--estab', 'x',
                stdin='a-long-password\n')
        check('init names each bad field given as a flag',
              p.returncode == 2 and 'urn:' in p.stderr and 'estab:' in p.stderr, p.stderr)
        p = run('init', '--db', db, '--from', example, '--name', 'Moorside Primary',
                stdin='a-long-password\n')
        check('init sets up the example school',
              p.returncode == 0 and 'set up Moorside Primary (URN 999123, DfE number 860/2001)' in p.stdout
              and '6 terms' in p.stdout and 'set-password link from Accounts' in p.stdout
              and 'rollcall serve --db ' + db in p.stdout, p.stdout + p.stderr)
        p = run('init', '--db', db, '--from', example, stdin='a-long-password\n')
        check('init refuses a database that has a school',
              p.returncode == 1 and 'SCHOOL_EXISTS' in p.stderr, p.stderr)
        broken = os.path.join(tmp, 'broken.json')
        with open(broken, 'w') as f:
            f.write('{"terms": [{"name": "Autumn", "start": "2026-09-03", "end": "3 Dec"}]}')
        p = run('init', '--db', os.path.join(tmp, 'other.db'), '--from', broken, stdin='a-long-password\n')
        check('init names the place in a bad file',
              p.returncode == 2 and 'terms[0].end: not a date' in p.stderr, p.stderr)

        server = subprocess.Popen([binary, 'serve', '--db', db, '--port', '0', '--quiet'],
                                  stdout=subprocess.PIPE, text=True)
        try:
            port = None
            for line in server.stdout:
                m = re.search(r'http://127\.0\.0\.1:(\d+)/', line)
                if m:
                    port = int(m.group(1))
                    break
            c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
            c.request('POST', '/api/v1/login', json.dumps({'username': 'head', 'password': 'a-long-password'}),
                      {'Content-Type': 'application/json'})
            r = c.getresponse()
            cookie = (r.getheader('Set-Cookie') or '').split(';')[0]
            r.read()
            check('the head logs in to the served school', r.status == 200, r.status)
            c.request('GET', '/api/v1/classes', headers={'Cookie': cookie})
            classes = json.loads(c.getresponse().read())
            check('serve loads the classes set up', len(classes.get('classes', classes)) == 7, str(classes)[:200])
            c.request('POST', '/api/v1/login', json.dumps({'username': 'jsmith', 'password': 'anything-at-all'}),
                      {'Content-Type': 'application/json'})
            r = c.getresponse()
            r.read()
            check('a teacher named in set-up cannot log in before an invitation', r.status == 401, r.status)
        finally:
            server.terminate()
            server.wait()


def upn_of(twelve):
    """A UPN with its check letter (core/upn.h)."""
    total = sum(int(c) * (i + 2) for i, c in enumerate(twelve))
    return 'ABCDEFGHJKLMNPQRTUVWXYZ'[total % 23] + twelve


def import_roll_admits_once_and_refuses_bad_files():
    """import-roll: pupils and contacts in, the same files again change nothing, problems by
    file and line with exit 2 and nothing written, a 50 MB file refused unread."""
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'school.db')
        run('migrate', '--db', db)
        p = run('user', 'add', '--db', db, '--username', 'office', '--name', 'Ms Office',
                '--role', 'office', stdin='a long enough password\n')
        check('import-roll: office account added', p.returncode == 0, p.stderr)
        amy, ben = upn_of('909123426001'), upn_of('909123426002')
        pupils = os.path.join(tmp, 'pupils.csv')
        with open(pupils, 'w') as f:
            f.write('upn,legal_given_name,legal_family_name,date_of_birth,sex,year_group,'
                    'registration_group,admission_date,fsm\r\n')
            f.write('%s,Amy,"Ali, Jr",2018-05-01,F,3,3A,2022-09-05,yes\r\n' % amy)
            f.write('%s,Ben,Lee,2019-02-03,M,2,2B,2023-09-06,no\r\n' % ben)
        contacts = os.path.join(tmp, 'contacts.csv')
        with open(contacts, 'w') as f:
            f.write('upn,name,relationship,parental_responsibility,phone\n')
            f.write('%s,Helen Ali,Mother,yes,07700 900001\n' % amy)
        args = ['import-roll', '--db', db, '--pupils', pupils, '--contacts', contacts,
                '--user', 'office']
        p = run(*args)
        check('import-roll admits the pupils and adds their classes',
              p.returncode == 0 and '2 admitted, 0 updated, 0 unchanged, 2 classes added' in p.stdout,
              (p.returncode, p.stdout, p.stderr))
        p = run(*args)
        check('import-roll of the same files again changes nothing',
              p.returncode == 0 and '0 admitted, 0 updated, 2 unchanged, 0 classes added' in p.stdout,
              (p.returncode, p.stdout, p.stderr))
        with open(pupils, 'a') as f:
            f.write('%s,Cal,Lee,2019-02-30,M,N2,2B,2023-09-06,no\n' % upn_of('909123426003'))
            f.write('B%s,Dee,Lee,2019-02-03,M,2,2B,2023-09-06,no\n' % amy[1:])
        p = run(*args)
        check('import-roll names each problem by file and line and exits 2',
              p.returncode == 2 and 'nothing imported' in p.stderr and
              'pupils.csv line 4: date_of_birth: "2019-02-30" is not a date' in p.stderr and
              'pupils.csv line 4: year_group: "N2"' in p.stderr and
              'pupils.csv line 5: upn: UPN check letter' in p.stderr, (p.returncode, p.stderr))
        p = run('import-roll', '--db', db, '--pupils', pupils, '--mapping', 'no-such-mapping')
        check('import-roll lists the built-in mappings',
              p.returncode == 2 and 'rollcall, surname-forename-dmy' in p.stderr, p.stderr)
        p = run('import-roll', '--db', db, '--pupils', pupils, '--start', '2026-09-03')
        check('import-roll refuses --start without a Common Transfer File',
              p.returncode == 2 and '--start and --class are for a Common Transfer File' in p.stderr,
              p.stderr)
        p = run('import-roll', '--db', db, '--ctf', pupils, '--start', '2026-09-03',
                '--mapping', 'rollcall')
        check('import-roll refuses a mapping with a Common Transfer File',
              p.returncode == 2 and '--mapping is for CSV files' in p.stderr, p.stderr)
        huge = os.path.join(tmp, 'huge.csv')
        with open(huge, 'wb') as f:
            f.truncate(50 * 1000 * 1000)  # sparse: nothing is written to disk
        p = run('import-roll', '--db', db, '--pupils', huge, '--user', 'office')
        check('import-roll refuses a 50 MB file before reading it',
              p.returncode == 2 and 'huge.csv is 47.7 MB: an import file may have at most 16 MB'
              in p.stderr, p.stderr)


def import_roll_reads_a_common_transfer_file():
    """import-roll --ctf: the fixture's pupils admitted with their years at previous schools,
    the same file again changes nothing, problems named by element path with exit 2, a file
    with a DOCTYPE refused, and a 70 MB file refused unread."""
    fixture = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'ctf',
                           'two_pupils.xml')
    with open(fixture) as f:
        text = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'school.db')
        run('migrate', '--db', db)
        p = run('user', 'add', '--db', db, '--username', 'office', '--name', 'Ms Office',
                '--role', 'office', stdin='a long enough password\n')
        check('import-roll --ctf: office account added', p.returncode == 0, p.stderr)
        args = ['import-roll', '--db', db, '--ctf', fixture, '--start', '2026-11-30',
                '--user', 'office']
        p = run(*args)
        check('import-roll --ctf admits the pupils with their previous attendance',
              p.returncode == 0 and '2 admitted, 0 updated, 0 unchanged, 0 classes added, '
              '3 years at previous schools' in p.stdout, (p.returncode, p.stdout, p.stderr))
        p = run(*args)
        check('import-roll --ctf of the same file again changes nothing',
              p.returncode == 0 and '0 admitted, 0 updated, 2 unchanged, 0 classes added, '
              '0 years at previous schools' in p.stdout, (p.returncode, p.stdout, p.stderr))
        p = run('import-roll', '--db', db, '--ctf', fixture, '--user', 'office')
        check('import-roll --ctf needs --start',
              p.returncode == 2 and '--ctf needs --start YYYY-MM-DD' in p.stderr, p.stderr)
        p = run(*args, '--pupils', fixture)
        check('import-roll --ctf is instead of --pupils',
              p.returncode == 2 and '--ctf is instead of --pupils' in p.stderr, p.stderr)
        bad = os.path.join(tmp, 'bad.xml')
        with open(bad, 'w') as f:
            f.write(text.replace('<DOB>2017-12-02</DOB>', '<DOB>02/12/2017</DOB>'))
        p = run('import-roll', '--db', db, '--ctf', bad, '--start', '2026-11-30',
                '--user', 'office')
        check('import-roll --ctf names each problem by element path and exits 2',
              p.returncode == 2 and 'bad.xml: 1 problem, nothing imported' in p.stderr and
              'bad.xml: CTFpupilData/Pupil[2]/DOB: "02/12/2017" is not a date' in p.stderr,
              (p.returncode, p.stderr))
        doctype = os.path.join(tmp, 'doctype.xml')
        with open(doctype, 'w') as f:
            f.write(text.replace('<CTfile>', '<!DOCTYPE CTfile [<!ENTITY x "y">]>\n<CTfile>', 1))
        p = run('import-roll', '--db', db, '--ctf', doctype, '--start', '2026-11-30',
                '--user', 'office')
        check('import-roll --ctf refuses a document type declaration',
              p.returncode == 2 and 'doctype.xml: DOCTYPE' in p.stderr, (p.returncode, p.stderr))
        huge = os.path.join(tmp, 'huge.xml')
        with open(huge, 'wb') as f:
            f.truncate(70 * 1000 * 1000)  # sparse: nothing is written to disk
        p = run('import-roll', '--db', db, '--ctf', huge, '--start', '2026-11-30',
                '--user', 'office')
        check('import-roll --ctf refuses a 70 MB file before reading it',
              p.returncode == 2 and 'huge.xml: 66.8 MB: a Common Transfer File may have at most '
              '64 MB' in p.stderr, p.stderr)


def share_refuses_without_a_destination_and_writes_a_folder():
    """rollcall share: no destination set, a plain-http address, a relative folder and both
    --out and --url refused with exit 2; --dry-run prints the extract and writes nothing;
    --out writes one file and logs the share."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(cases))))
    example = os.path.join(root, 'data', 'examples', 'setup.json')
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'school.db')
        p = run('init', '--db', db, '--from', example, stdin='a-long-password\n')
        check('share: school set up', p.returncode == 0, p.stderr)
        p = run('share', '--db', db)
        check('share without a destination says so and exits 2',
              p.returncode == 2 and 'no destination is set' in p.stderr, p.stderr)
        p = run('share', '--db', db, '--url', 'http://receiver.example/in')
        check('share refuses a plain-http address', p.returncode == 2 and '--url:' in p.stderr,
              p.stderr)
        p = run('share', '--db', db, '--out', 'relative/folder')
        check('share refuses a folder that is not a whole path',
              p.returncode == 2 and '--out:' in p.stderr, p.stderr)
        out = os.path.join(tmp, 'out')
        os.mkdir(out)
        p = run('share', '--db', db, '--out', out, '--url', 'https://receiver.example/in')
        check('share refuses --out with --url', p.returncode == 2, p.stderr)
        p = run('share', '--db', db, '--out', out, '--dry-run')
        extract = json.loads(p.stdout) if p.returncode == 0 else {}
        check('share --dry-run prints the extract and writes nothing',
              extract.get('format') == 'rollcall-daily-share/1' and extract.get('version') == 1
              and os.listdir(out) == [], p.stdout[:200] + p.stderr)
        p = run('share', '--db', db, '--out', out)
        check('share --out writes one file and says so',
              p.returncode == 0 and p.stdout.startswith('Share 1: 0 marks, written to ')
              and '(a one-off: ' in p.stdout and os.listdir(out) == ['rollcall-share-999123-000001.json'], p.stdout + p.stderr)
def ctf_writes_a_file_that_is_valid_and_reads_back():
    """rollcall ctf: a pupil's Common Transfer File, valid against the schema, read back by
    another school's import-roll --ctf with the years the pupil brought; a request with no
    pupils or a destination that is no DfE number exits 2."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(cases))))
    example = os.path.join(root, 'data', 'examples', 'setup.json')
    schema = os.path.join(root, 'data', 'reference', 'ctf25-rollcall.xsd')
    fixture = os.path.join(root, 'tests', 'data', 'ctf', 'two_pupils.xml')
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'school.db')
        p = run('init', '--db', db, '--from', example, stdin='a-long-password\n')
        check('ctf: the school is set up', p.returncode == 0, p.stderr)
        p = run('import-roll', '--db', db, '--ctf', fixture, '--start', '2026-11-30')
        check('ctf: the pupils are admitted', p.returncode == 0, p.stderr)
        out = os.path.join(tmp, 'out.xml')
        p = run('ctf', '--db', db, '--pupil', 'N855200125001', '--out', out, '--dest', '855/2345')
        check('ctf writes the file and names it as it is sent',
              p.returncode == 0 and '1 pupil written to' in p.stdout and
              '8602001_CTF_8552345_' in p.stdout, (p.returncode, p.stdout, p.stderr))
        v = subprocess.run(['xmllint', '--noout', '--schema', schema, out], capture_output=True,
                           text=True)
        check('ctf: the file is valid against the schema', v.returncode == 0, v.stderr)
        other = os.path.join(tmp, 'other.db')
        run('migrate', '--db', other)
        run('user', 'add', '--db', other, '--username', 'office', '--name', 'Ms Office',
            '--role', 'office', stdin='a long enough password\n')
        p = run('import-roll', '--db', other, '--ctf', out, '--start', '2026-12-07',
                '--user', 'office')
        check('ctf: another school reads the file back with the years at previous schools',
              p.returncode == 0 and '1 admitted' in p.stdout and
              'years at previous schools' in p.stdout, (p.returncode, p.stdout, p.stderr))
        p = run('ctf', '--db', db, '--out', out)
        check('ctf with no pupils chosen exits 2',
              p.returncode == 2 and 'choose the pupils one way' in p.stderr, p.stderr)
        p = run('ctf', '--db', db, '--pupil', 'N855200125001', '--out', out, '--dest', 'Castle')
        check('ctf refuses a destination that is no DfE number',
              p.returncode == 2 and '"Castle" is not a school' in p.stderr, p.stderr)
    p = run('bench', 'ctf', '--leavers', '3')
    check('bench ctf times one file for the leavers',
          p.returncode == 0 and 'one file of 3 pupils' in p.stdout, (p.returncode, p.stdout, p.stderr))


def ctf_and_census_record_nothing_when_the_file_cannot_be_written():
    """rollcall ctf and rollcall census: when --out cannot be written, the owed transfer file
    is not stamped produced and no census return is recorded; once written, they are."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(cases))))
    example = os.path.join(root, 'data', 'examples', 'setup.json')
    fixture = os.path.join(root, 'tests', 'data', 'ctf', 'two_pupils.xml')
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'school.db')
        p = run('init', '--db', db, '--from', example, stdin='a-long-password\n')
        check('out fails: the school is set up', p.returncode == 0, p.stderr)
        p = run('import-roll', '--db', db, '--ctf', fixture, '--start', '2026-11-30')
        check('out fails: the pupils are admitted', p.returncode == 0, p.stderr)

        def query(sql):
            with sqlite3.connect(db) as conn:
                return conn.execute(sql).fetchall()

        # A file owed for one of them, as recording their deletion leaves it.
        with sqlite3.connect(db) as conn:
            conn.execute("INSERT INTO transfers_owed (pupil_id, last_day, destination, "
                         "recorded_at) SELECT id, '2026-12-04', 'Castle Academy (855/2345)', 0 "
                         "FROM pupils WHERE upn = 'N855200125001'")
        missing = os.path.join(tmp, 'no-such-folder', 'out.xml')
        p = run('ctf', '--db', db, '--pupil', 'N855200125001', '--out', missing)
        check('ctf: a file that cannot be written leaves the transfer owed',
              p.returncode != 0 and query('SELECT produced_at FROM transfers_owed') == [(None,)],
              (p.returncode, p.stdout, p.stderr))
        p = run('ctf', '--db', db, '--pupil', 'N855200125001', '--out',
                os.path.join(tmp, 'out.xml'))
        check('ctf: once written, the owed file is stamped produced',
              p.returncode == 0 and '1 owed file produced' in p.stdout and
              query('SELECT produced_at IS NOT NULL FROM transfers_owed') == [(1,)],
              (p.returncode, p.stdout, p.stderr))

        # The spring census returns the autumn term, which has started by today.
        today = datetime.date.today()
        year = str(today.year + 1 if today.month >= 8 else today.year)
        p = run('census', '--db', db, '--census', 'spring', '--year', year, '--out', missing)
        check('census: a file that cannot be written records no return',
              p.returncode != 0 and query('SELECT COUNT(*) FROM census_returns') == [(0,)],
              (p.returncode, p.stdout, p.stderr))
        p = run('census', '--db', db, '--census', 'spring', '--year', year, '--out',
                os.path.join(tmp, 'census.xml'))
        check('census: once written, the return is recorded',
              p.returncode == 0 and query('SELECT COUNT(*) FROM census_returns') == [(1,)],
              (p.returncode, p.stdout, p.stderr))


def purge_lists_then_removes_what_is_past_its_period():
    """rollcall purge: the dry run changes nothing, --apply removes the marks
    and audit rows past six years except a held pupil's, and logs it."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(cases))))
    example = os.path.join(root, 'data', 'examples', 'setup.json')
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'school.db')
        p = run('init', '--db', db, '--from', example, stdin='a-long-password\n')
        check('purge: the school is set up', p.returncode == 0, p.stderr)
        con = sqlite3.connect(db)
        con.execute('PRAGMA foreign_keys = ON')
        # Two pupils on roll since 2017, each with a mark (and its audit row)
        # from October 2018 and from October 2024; the second has an open
        # children-missing-education case.
        for pid, upn in ((901, 'A909123400901'), (902, 'A909123400902')):
            con.execute("INSERT INTO pupils (id, upn, legal_given_name, legal_family_name, "
                        "preferred_given_name, preferred_family_name, date_of_birth, sex, year_group) "
                        "VALUES (?, ?, 'Old', 'Pupil', 'Old', 'Pupil', '2012-01-01', 'F', 6)", (pid, upn))
            con.execute("INSERT INTO enrolments (pupil_id, start_date, end_date, deletion_ground, "
                        "destination) VALUES (?, '2017-09-04', NULL, '', '')", (pid,))
            for day, at in (('2018-10-01', 1538395200), ('2024-10-01', 1727784000)):
                con.execute('INSERT INTO marks VALUES (?, ?, 1, 1, NULL, ?, 0)', (pid, day, at))
                con.execute("INSERT INTO mark_audit (pupil_id, date, session, old_code, new_code, "
                            "reason, at, by_user_id, by_name, by_role) VALUES (?, ?, 1, NULL, 1, '', ?, 0, "
                            "'Office', 2)", (pid, day, at))
        con.execute("INSERT INTO cme_cases (pupil_id, first_day, opened_at) VALUES (902, '2026-11-30', "
                    "1764500000)")
        con.commit()

        def count(sql):
            return con.execute(sql).fetchone()[0]

        p = run('purge', '--db', db)
        check('purge: neither --dry-run nor --apply exits 2', p.returncode == 2 and '--dry-run' in p.stderr,
              p.stderr)
        p = run('purge', '--db', db, '--dry-run', '--apply')
        check('purge: both --dry-run and --apply exits 2', p.returncode == 2, p.stderr)
        missing = os.path.join(tmp, 'nothing-here.db')
        p = run('purge', '--db', missing, '--dry-run')
        check('purge: a missing database exits 2 and is not created',
              p.returncode == 2 and 'no database' in p.stderr and not os.path.exists(missing), p.stderr)
        p = run('purge', '--db', db, '--dry-run', '--now', 'yesterday')
        check('purge: a bad --now exits 2', p.returncode == 2, p.stderr)

        p = run('purge', '--db', db, '--dry-run', '--now', '2026-12-01T03:00')
        check('purge --dry-run lists the marks that would go, up to which day',
              p.returncode == 0 and 'Dry run' in p.stdout and 'marks' in p.stdout and
              '1 to remove, made before 2020-12-01 (kept 6 years from when made); 1 held' in p.stdout,
              p.stdout + p.stderr)
        check('purge --dry-run names the held pupil and why',
              'Old Pupil' in p.stdout and '(id 902): open CME case' in p.stdout, p.stdout)
        check('purge --dry-run removes nothing and logs nothing',
              count('SELECT COUNT(*) FROM marks') == 4 and count('SELECT COUNT(*) FROM purge_log') == 0)

        p = run('purge', '--db', db, '--apply', '--now', '2099-01-01T03:00')
        check('purge: --apply with a clock ahead of the real time exits 2 and removes nothing',
              p.returncode == 2 and 'later than the real time' in p.stderr and
              count('SELECT COUNT(*) FROM marks') == 4, p.stdout + p.stderr)

        p = run('purge', '--db', db, '--apply', '--now', '2026-12-01T03:00')
        check('purge --apply says what it removed',
              p.returncode == 0 and 'Purged on 2026-12-01' in p.stdout and '1 removed,' in p.stdout,
              p.stdout + p.stderr)
        check('purge --apply removes the old mark and audit row, not the held pupil\'s nor the recent',
              con.execute('SELECT pupil_id, date FROM marks ORDER BY pupil_id, date').fetchall() ==
              [(901, '2024-10-01'), (902, '2018-10-01'), (902, '2024-10-01')] and
              count("SELECT COUNT(*) FROM mark_audit WHERE date = '2018-10-01'") == 1,
              con.execute('SELECT pupil_id, date FROM marks').fetchall())
        check('purge --apply logs each kind as the command',
              con.execute("SELECT row_count, up_to, held, by_name FROM purge_log WHERE kind = 'marks'")
              .fetchall() == [(1, '2020-12-01', 1, 'command')] and
              count('SELECT COUNT(*) FROM purge_log') >= 3)
        check('purge: the audit trail still refuses an ordinary delete',
              _refuses(con, 'DELETE FROM mark_audit'))
        con.close()


def _refuses(con, sql):
    try:
        con.execute(sql)
    except sqlite3.DatabaseError as e:
        return 'append-only' in str(e)
    return False
def sar_writes_json_and_pdf_and_logs_each_copy():
    """rollcall sar: a pupil's and a contact's copy as JSON and PDF, each recorded in the access
    log; a pupil, contact or option that names nothing is refused, naming the problem, and
    records nothing."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(cases))))
    example = os.path.join(root, 'data', 'examples', 'setup.json')
    fixture = os.path.join(root, 'tests', 'data', 'ctf', 'two_pupils.xml')
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'school.db')
        p = run('init', '--db', db, '--from', example, stdin='a-long-password\n')
        check('sar: the school is set up', p.returncode == 0, p.stderr)
        p = run('import-roll', '--db', db, '--ctf', fixture, '--start', '2026-11-30')
        check('sar: the pupils are admitted', p.returncode == 0, p.stderr)

        def query(sql):
            with sqlite3.connect(db) as conn:
                return conn.execute(sql).fetchall()

        pupil, given, family = query("SELECT id, legal_given_name, legal_family_name "
                                     "FROM pupils ORDER BY id LIMIT 1")[0]
        out_json = os.path.join(tmp, 'sar.json')
        out_pdf = os.path.join(tmp, 'sar.pdf')
        p = run('sar', '--db', db, '--pupil', str(pupil), '--out-json', out_json,
                '--out-pdf', out_pdf)
        check('sar: a pupil\'s copy is written', p.returncode == 0, (p.returncode, p.stderr))
        if p.returncode == 0:
            with open(out_json) as f:
                copy = json.load(f)
            check('sar: the JSON names the pupil',
                  copy['subject']['kind'] == 'pupil' and copy['subject']['pupil_id'] == pupil,
                  copy['subject'])
            check('sar: the JSON holds the admission entry and the copy itself in the log',
                  any(r['value'] == family for r in copy['sections']['admission_entry']) and
                  copy['sections']['access_log'][0]['kind'] == 'subject access',
                  copy['sections'].keys())
            with open(out_pdf, 'rb') as f:
                pdf = f.read()
            check('sar: the PDF is a PDF', pdf.startswith(b'%PDF-'), pdf[:20])
            text = subprocess.run(['pdftotext', '-enc', 'UTF-8', out_pdf, '-'],
                                  capture_output=True, text=True)
            check('sar: the PDF shows the pupil\'s name', family in text.stdout,
                  text.stdout[:300])
        check('sar: the copy is in the access log',
              query("SELECT kind, pupil_id FROM access_log") == [('subject_access', pupil)],
              query("SELECT * FROM access_log"))

        contacts = query("SELECT COUNT(*) FROM contacts WHERE pupil_id = %d" % pupil)[0][0]
        if contacts > 0:
            p = run('sar', '--db', db, '--contact', '%d:1' % pupil)
            check('sar: a contact\'s copy goes to standard output', p.returncode == 0 and
                  json.loads(p.stdout)['subject']['kind'] == 'contact', (p.returncode, p.stderr))

        logged = query("SELECT COUNT(*) FROM access_log")
        for args, words in [(['--pupil', '999999'], 'no pupil 999999'),
                            (['--pupil', '0'], '--pupil'),
                            (['--contact', 'abc'], 'is not a contact'),
                            (['--contact', '%d:99' % pupil], 'has no contact 99'),
                            (['--pupil', str(pupil), '--contact', '%d:1' % pupil], 'not both'),
                            ([], 'not both'),
                            (['--pupil', str(pupil), '--user', 'nobody'], 'nobody')]:
            p = run('sar', '--db', db, *args, '--out-json', os.path.join(tmp, 'bad.json'))
            check('sar %s: refused' % ' '.join(args), p.returncode == 2 and words in p.stderr,
                  (p.returncode, p.stderr))
        check('sar: a refused request writes nothing',
              not os.path.exists(os.path.join(tmp, 'bad.json')) and
              query("SELECT COUNT(*) FROM access_log") == logged)
def serve_reads_its_config_file():
    """serve --config: the packaged service's settings come from /etc/rollcall/rollcall.conf."""
    import re
    import socket
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(cases))))

    def free_port():
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            return s.getsockname()[1]

    def serving_port(args):
        """Starts serve with args; the port it says it serves on, or its exit and stderr."""
        server = subprocess.Popen([binary, 'serve', *args], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        try:
            for line in server.stdout:
                m = re.search(r'serving .* on http://127\.0\.0\.1:(\d+)/', line)
                if m:
                    return int(m.group(1))
            return (server.wait(), server.stderr.read())
        finally:
            if server.poll() is None:
                server.terminate()
                server.wait()

    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'school.db')
        conf = os.path.join(tmp, 'rollcall.conf')

        def write_conf(text):
            with open(conf, 'w') as f:
                f.write(text)

        port = free_port()
        write_conf('# the service\'s settings\ndb = %s\nport = %d\nquiet = true\nthreads = 2\n' % (db, port))
        got = serving_port(['--config', conf])
        check('serve --config takes the database and the port from the file',
              got == port and os.path.exists(db), (got, port))
        other = free_port()
        got = serving_port(['--config', conf, '--port', str(other)])
        check('serve: --port on the command line wins over the file', got == other, (got, other))

        # The example the package installs as /etc/rollcall/rollcall.conf is
        # read whole; only its db (a folder that exists on a server) is replaced.
        example = os.path.join(root, 'packaging', 'rollcall.conf')
        got = serving_port(['--config', example, '--db', db, '--port', '0'])
        check('the packaged rollcall.conf is a valid serve --config file', isinstance(got, int), got)

        fresh = os.path.join(tmp, 'fresh.db')
        refusals = [
            ('db = %s\nprot = 8080\n' % fresh, 'unknown setting "prot"; the settings are: db, school, port'),
            ('db = %s\nthreads = 99\n' % fresh, 'threads = 99: --threads: Value 99 not in range 1 to 64'),
            ('db = %s\nport = 8080\nport = 8081\n' % fresh, '"port" is set more than once'),
            ('db = %s\nbehind-tls = maybe\n' % fresh, 'behind-tls = maybe: a switch is true or false'),
            ('db = %s\nnow = 2026-11-25T10:30\n' % fresh, '"now" can only be given on the command line'),
            ('[serve]\ndb = %s\n' % fresh, 'the file has no sections'),
            ('db = %s\ntrusted-proxy = ["127.0.0.1", "proxy.example"]\n' % fresh,
             'not an IP address: proxy.example'),
        ]
        for text, message in refusals:
            write_conf(text)
            p = run('serve', '--config', conf, '--port', '0')
            check('serve --config refuses: %s' % message,
                  p.returncode == 2 and p.stdout == '' and p.stderr.count('\n') == 1 and
                  p.stderr.startswith('rollcall serve: ' + conf + ': ') and message in p.stderr and
                  not os.path.exists(fresh), (p.returncode, p.stderr))
        # --trusted-proxy: IP addresses only, repeated or as a list in the file.
        p = run('serve', '--db', fresh, '--port', '0', '--trusted-proxy', '127.0.0.1',
                '--trusted-proxy', '10.0.0.1:80')
        check('serve --trusted-proxy refuses what is not an IP address',
              p.returncode == 2 and 'not an IP address: 10.0.0.1:80' in p.stderr and
              not os.path.exists(fresh), (p.returncode, p.stderr))
        write_conf('db = %s\nport = 0\ntrusted-proxy = ["127.0.0.1", "::1"]\n' % db)
        got = serving_port(['--config', conf])
        check('serve --config takes a list of trusted proxies', isinstance(got, int), got)
        p = run('serve', '--config', os.path.join(tmp, 'missing.conf'))
        check('serve --config names a file that is not there',
              p.returncode == 2 and 'missing.conf: cannot open' in p.stderr, p.stderr)
        write_conf('port = 8080\n')
        p = run('serve', '--config', conf)
        check('serve without a db, here or in the file, is refused',
              p.returncode == 2 and '--db is required' in p.stderr, p.stderr)


def bench_hosted_seeds_a_school_and_reads_its_summary():
    """rollcall bench hosted-seed into SQLite, its refusals, then hosted-load --baseline on it."""
    import re
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'school.db')
        urns = os.path.join(tmp, 'schools.txt')
        shape = ['--classes', '4', '--class-size', '5', '--days', '3', '--first-urn', '200007']
        p = run('bench', 'hosted-seed', '--db', db, '--schools', '1', '--out-schools', urns, *shape)
        check('hosted-seed writes one school into an SQLite file',
              p.returncode == 0 and '20 pupils, 4 classes, 5 accounts, 120 marks' in p.stdout,
              p.stdout + p.stderr)
        with open(urns) as f:
            check('hosted-seed lists the URN', f.read() == '200007\n')
        con = sqlite3.connect(db)
        counts = [con.execute('SELECT count(*) FROM %s' % t).fetchone()[0]
                  for t in ('pupils', 'classes', 'users', 'marks', 'mark_audit')]
        days = con.execute('SELECT count(DISTINCT date) FROM marks').fetchone()[0]
        last = con.execute('SELECT max(date) FROM marks').fetchone()[0]
        con.close()
        check('hosted-seed stores what it says: pupils, forms, accounts, marks with their audit',
              counts == [20, 4, 5, 120, 120] and days == 3 and last == '2026-11-24',
              (counts, days, last))
        p = run('bench', 'hosted-seed', '--db', db, '--schools', '1', *shape)
        con = sqlite3.connect(db)
        marks = con.execute('SELECT count(*) FROM marks').fetchone()[0]
        con.close()
        check('hosted-seed refuses a database that has a school, changing nothing',
              p.returncode == 1 and 'already has a school' in p.stderr and marks == 120,
              (p.returncode, p.stderr, marks))
        for args, message in (
                (['--db', os.path.join(tmp, 'two.db'), '--schools', '2'], 'holds one school'),
                (['--db', os.path.join(tmp, 'ht.db'), '--date', '2026-10-28'], 'half term'),
                (['--db', os.path.join(tmp, 'd.db'), '--days', '60', '--date', '2026-09-10'],
                 'school days before'),
                (['--db', os.path.join(tmp, 'x.db'), '--date', '25/11/2026'], 'YYYY-MM-DD')):
            one = [] if '--schools' in args else ['--schools', '1']
            p = run('bench', 'hosted-seed', *one, *args)
            check('hosted-seed refuses: %s' % message,
                  p.returncode == 2 and message in p.stderr and not os.path.exists(args[1]),
                  (p.returncode, p.stderr))
        p = run('bench', 'hosted-load', '--target', 'localhost:80', '--schools', urns)
        check('hosted-load names a bad target',
              p.returncode == 2 and 'expected http://HOST:PORT' in p.stderr, p.stderr)

        server = subprocess.Popen([binary, 'serve', '--db', db, '--port', '0', '--quiet',
                                   '--now', '2026-11-25T08:31'], stdout=subprocess.PIPE, text=True)
        try:
            port = None
            for line in server.stdout:
                m = re.search(r'http://127\.0\.0\.1:(\d+)/', line)
                if m:
                    port = int(m.group(1))
                    break
            out = os.path.join(tmp, 'baseline.json')
            p = run('bench', 'hosted-load', '--baseline', '--target', 'http://127.0.0.1:%d' % port,
                    '--schools', urns, '--readers', '2', '--seconds', '1', '--json', out)
            figures = json.load(open(out)) if p.returncode == 0 else {}
            got = figures.get('summary_get', {})
            check('hosted-load --baseline reads the summary and counts what it measured',
                  p.returncode == 0 and got.get('count', 0) > 0 and got.get('errors') == 0 and
                  got.get('p50_ms', 0) > 0 and 'summary GETs: ' in p.stdout,
                  p.stdout + p.stderr)
            p = run('bench', 'hosted-load', '--baseline', '--target', 'http://127.0.0.1:%d' % port,
                    '--schools', urns, '--readers', '1', '--seconds', '1', '--password', 'wrong-one')
            check('hosted-load stops before the clock when a login fails',
                  p.returncode == 1 and 'logging in' in p.stderr and 'the clock starts' not in p.stdout,
                  p.stdout + p.stderr)
        finally:
            server.terminate()
            server.wait()


import_roll_admits_once_and_refuses_bad_files()
import_roll_reads_a_common_transfer_file()
ctf_and_census_record_nothing_when_the_file_cannot_be_written()
ctf_writes_a_file_that_is_valid_and_reads_back()
import_names_a_long_field_by_a_prefix()
evaluate_refuses_an_over_long_number()
evaluate_bounds_memory()
evaluate_reports_running_out_of_memory()
migrate_creates_an_owner_only_database()
init_sets_up_a_school_then_serve_loads_it()
share_refuses_without_a_destination_and_writes_a_folder()
purge_lists_then_removes_what_is_past_its_period()
sar_writes_json_and_pdf_and_logs_each_copy()
serve_reads_its_config_file()
bench_hosted_seeds_a_school_and_reads_its_summary()

print('cli: %d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
