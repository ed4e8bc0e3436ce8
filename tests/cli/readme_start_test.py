#!/usr/bin/env python3
"""Follows the README's "Starting with your own school" as a new user would.

Usage: readme_start_test.py ROLLCALL_BINARY REPO_DIR

Reads README.md, takes that section's ```sh blocks and runs each command in
an empty folder, as written, with `build/release/rollcall` replaced by the
binary under test and `data/...` by the repository's files. (`make` lines are
skipped: they built the binary under test.) The `rollcall serve` command is
started as written, on any free port and with its clock at a school morning
inside the example calendar (--now), whatever the real time. Then, over HTTP,
the head logs in, sends a teacher a set-password link, the teacher sets a
password through it, logs in and takes the morning register of their class
through API v1, and the school summary counts those marks on top of the
imported ones. A README command that fails fails the test.
Ends with the line `readme_start: N passed, M failed`.
"""
import csv
import http.client
import json
import os
import re
import selectors
import shlex
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

binary, repo = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SECTION = '## Starting with your own school'
NOW = '2026-12-02T08:50'  # a Wednesday morning of the example's autumn term
TODAY = NOW[:10]
passed = failed = 0


def check(name, condition, detail=''):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print('FAIL %s %s' % (name, str(detail)[:2000]))
    return condition


def finish():
    print('readme_start: %d passed, %d failed' % (passed, failed))
    sys.exit(1 if failed else 0)


def readme_commands():
    """The section's shell commands, a line each (continuations joined)."""
    with open(os.path.join(repo, 'README.md'), encoding='utf-8') as f:
        text = f.read()
    start = text.find('\n' + SECTION + '\n')
    if not check('README has the section "%s"' % SECTION[3:], start >= 0):
        finish()
    end = text.find('\n## ', start + 1)
    section = text[start:end if end >= 0 else len(text)]
    commands = []
    for block in re.findall(r'```sh\n(.*?)```', section, re.S):
        for line in block.replace('\\\n', ' ').splitlines():
            if line.strip():
                commands.append(line.strip())
    return commands


def localise(command):
    """The command as run here: the binary under test, the repository's data."""
    command = command.replace('build/release/rollcall', shlex.quote(binary))
    return re.sub(r'(?<![\w./-])data/', shlex.quote(repo) + '/data/', command)


def args_after(words, flag):
    return words[words.index(flag) + 1] if flag in words else None


class Client:
    """One browser's worth of HTTP: a session cookie and its CSRF token."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
        self.cookie = None
        self.csrf = None

    def request(self, method, path, body=None, form=None):
        headers = {}
        data = None
        if form is not None:
            headers['Content-Type'] = 'application/x-www-form-urlencoded'
            data = urllib.parse.urlencode(form)
        elif body is not None:
            headers['Content-Type'] = 'application/json'
            data = json.dumps(body)
        if self.cookie:
            headers['Cookie'] = self.cookie
        if self.csrf and method != 'GET':
            headers['X-CSRF-Token'] = self.csrf
        try:
            self.conn.request(method, path, data, headers)
            r = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # The server may close a connection left idle; open it again.
            self.conn.close()
            self.conn.request(method, path, data, headers)
            r = self.conn.getresponse()
        raw = r.read().decode('utf-8', 'replace')
        cookie = r.getheader('Set-Cookie')  # the only cookie rollcall sets: the session's
        if cookie:
            self.cookie = cookie.split(';')[0]
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = raw
        return r.status, payload, r

    def login(self, username, password):
        status, body, _ = self.request('POST', '/api/v1/login',
                                       {'username': username, 'password': password})
        if status == 200:
            self.csrf = body['csrf_token']
        return status, body


def start_server(command, cwd):
    """Starts the README's serve command on a free port at NOW; the port."""
    words = shlex.split(localise(command))
    if '--port' in words:
        i = words.index('--port')
        del words[i:i + 2]
    words += ['--port', '0', '--now', NOW, '--quiet']
    proc = subprocess.Popen(words, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 120
    seen = []
    while time.monotonic() < deadline and proc.poll() is None:
        if not sel.select(timeout=1):
            continue
        line = proc.stdout.readline()
        seen.append(line)
        m = re.search(r'on http://127\.0\.0\.1:(\d+)/', line)
        if m:
            return proc, int(m.group(1)), seen
    return proc, None, seen


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main():
    with tempfile.TemporaryDirectory(prefix='readme-start-') as work:
        follow(readme_commands(), work)
    finish()


def follow(commands, work):
    """Runs the commands in `work`, then serves the school and takes a register."""
    check('the section has an init, an import-roll, an import and a serve command',
          all(any(re.search(r'rollcall %s\b' % c, line) for line in commands)
              for c in ('init', 'import-roll', 'import ', 'serve')), commands)
    serve = None
    password = head = None
    marks_imported = 0
    for command in commands:
        if command.startswith('make '):
            continue
        if re.search(r'rollcall serve\b', command):
            serve = command
            continue
        p = subprocess.run(['bash', '-o', 'pipefail', '-c', localise(command)], cwd=work,
                           capture_output=True, text=True, timeout=300)
        if not check('README command runs: %s' % command, p.returncode == 0,
                     'exit %d\n%s%s' % (p.returncode, p.stdout, p.stderr)):
            finish()
        words = shlex.split(localise(command.split('|')[-1]))
        if re.search(r'rollcall init\b', command):
            # The head's password is what the README pipes in; their username
            # is the set-up file's, or the flag's.
            m = re.match(r"echo '([^']*)' \|", command)
            password = m.group(1) if m else None
            head = args_after(words, '--head-username')
            if not head:
                with open(os.path.join(work, args_after(words, '--from'))) as f:
                    head = json.load(f).get('head_username')
        if re.search(r'rollcall import\b(?!-)', command):
            with open(os.path.join(work, words[words.index('import') + 1]), newline='') as f:
                marks_imported = sum(bool(row.get(k)) for row in csv.DictReader(f)
                                     for k in ('code', 'am', 'pm'))
    check("the README pipes in the head's password", password and head)
    if not check('the README serves the school', serve is not None):
        finish()

    proc, port, seen = start_server(serve, work)
    if not check('rollcall serve --now prints its URL', port is not None,
                 ''.join(seen) + (proc.stderr.read() if proc.poll() is not None else '')):
        stop_server(proc)
        finish()
    # Nothing the server prints may fill its pipes and hold it up.
    for pipe in (proc.stdout, proc.stderr):
        threading.Thread(target=pipe.read, daemon=True).start()
    try:
        serve_and_take_register(port, head, password, marks_imported)
    finally:
        stop_server(proc)


def serve_and_take_register(port, head_name, head_password, marks_imported):
    head = Client(port)
    status, body = head.login(head_name, head_password)
    if not check('the head logs in', status == 200, body):
        return
    status, body, _ = head.request('GET', '/api/v1/pupils')
    pupils = body.get('pupils', []) if status == 200 else []
    check('the imported roll is there', len(pupils) >= 10, body)
    class_ids = {p['class']['id'] for p in pupils if p.get('class')}
    status, body, _ = head.request('GET', '/api/v1/users')
    teachers = [u for u in body.get('users', []) if u['role'] == 'teacher' and u['invited']
                and class_ids & set(u['class_ids'])] if status == 200 else []
    if not check('a teacher of the imported class waits for an invitation', teachers, body):
        return
    teacher = teachers[0]
    class_id = sorted(class_ids & set(teacher['class_ids']))[0]

    status, body, _ = head.request('POST', '/api/v1/users/%d/invitation' % teacher['id'])
    if not check('the head sends the teacher a set-password link', status == 201 and
                 body.get('link', '').startswith('/invite/'), (status, body)):
        return
    link = body['link']
    browser = Client(port)
    status, page, _ = browser.request('GET', link)
    check('the link opens "Set your password" for the teacher', status == 200 and
          'Set your password' in page and teacher['username'] in page, (status, page))
    teacher_password = 'the teacher chose this'
    status, page, r = browser.request('POST', link, form={'new_password': teacher_password,
                                                           'confirm_password': teacher_password})
    check('setting the password logs the teacher in', status in (302, 303) and
          r.getheader('Set-Cookie'), (status, page))
    status, page, _ = browser.request('GET', link)
    check('the link works once', 400 <= status < 500, (status, page))

    me = Client(port)
    status, body = me.login(teacher['username'], teacher_password)
    if not check('the teacher logs in with the new password', status == 200, body):
        return
    register = '/api/v1/registers/%s/AM' % TODAY
    status, body, _ = me.request('GET', '%s?class=%d' % (register, class_id))
    roll = body.get('pupils', []) if status == 200 else []
    if not check("the teacher's register is open at %s" % NOW,
                 status == 200 and body.get('open') and roll and
                 all(p['code'] is None for p in roll), (status, body)):
        return

    status, before, _ = head.request('GET', '/api/v1/school/summary?as_of=%s' % TODAY)
    if not check('the school summary before the register', status == 200, before):
        return
    before = before['school']
    if marks_imported:
        check('the summary counts the imported marks', before['possible'] == marks_imported,
              (before, marks_imported))

    # Everyone present but the last, absent with no reason yet.
    for i, pupil in enumerate(roll):
        code = 'N' if i == len(roll) - 1 else '/'
        status, body, _ = me.request('PUT', '%s/marks/%d' % (register, pupil['id']),
                                     {'code': code})
        check('the teacher marks %s %s' % (pupil['name'], code), status == 200, (status, body))
    status, body, _ = me.request('GET', '%s?class=%d' % (register, class_id))
    check('the register is taken', status == 200 and
          all(p['code'] for p in body.get('pupils', [])), body)

    status, after, _ = head.request('GET', '/api/v1/school/summary?as_of=%s' % TODAY)
    after = after.get('school', {}) if status == 200 else {}
    n = len(roll)
    check('the school summary counts the register',
          after.get('possible') == before['possible'] + n and
          after.get('attended') == before['attended'] + n - 1 and
          after.get('unauthorised') == before['unauthorised'] + 1, (before, after, n))


main()
