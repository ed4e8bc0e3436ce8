#!/usr/bin/env python3
"""Builds the Debian package of a release build and checks what it holds.

Usage: package_test.py ROLLCALL_BINARY SOURCE_DIR

ROLLCALL_BINARY is the shipped (release) build's rollcall; cpack runs on the
build folder it sits in (its CPackConfig.cmake), writing only into a
temporary folder. Checks, with dpkg-deb: the files and their modes, the
conffile, the systemd unit's hardening (and systemd-analyze's verdict on it
where systemd-analyze is installed), the maintainer scripts (run against
stand-in commands that only record what they were asked to do: nothing on
this machine changes), that the packaged binary runs, the version and the
Depends line. Ends with `package: N passed, M failed`.
"""
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

binary, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
build = os.path.dirname(binary)
passed = failed = 0


def check(name, condition, detail=''):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print('FAIL %s %s' % (name, detail))
    return condition


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)


def project_version():
    with open(os.path.join(source, 'CMakeLists.txt')) as f:
        return re.search(r'project\(rollcall VERSION (\d+\.\d+\.\d+)', f.read()).group(1)


# What the package must hold, and nothing else but the folders above them.
EXPECTED = {
    './usr/bin/rollcall': 0o755,
    './etc/rollcall/rollcall.conf': 0o640,
    './lib/systemd/system/rollcall.service': 0o644,
    './usr/share/doc/rollcall/README.md': 0o644,
    './usr/share/doc/rollcall/LICENSE': 0o644,
    './usr/share/doc/rollcall/NOTICE': 0o644,
    './usr/share/doc/rollcall/copyright': 0o644,
    './usr/share/doc/rollcall/packaging.md': 0o644,
    './usr/share/doc/rollcall/setup.md': 0o644,
    './usr/share/doc/rollcall/examples/setup.json': 0o644,
}

# The unit's lines that confine the service; each must be there as written.
HARDENING = [
    'ExecStart=/usr/bin/rollcall serve --config /etc/rollcall/rollcall.conf',
    'User=rollcall', 'Group=rollcall', 'DynamicUser=no', 'StateDirectory=rollcall',
    'ProtectSystem=strict', 'ReadWritePaths=/var/lib/rollcall', 'ProtectHome=yes',
    'PrivateTmp=yes', 'PrivateDevices=yes', 'NoNewPrivileges=yes',
    'ProtectKernelTunables=yes', 'ProtectKernelModules=yes', 'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes', 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
    'RestrictNamespaces=yes', 'LockPersonality=yes', 'MemoryDenyWriteExecute=yes',
    'SystemCallFilter=@system-service', 'CapabilityBoundingSet=', 'UMask=0027',
    'Restart=on-failure',
]


def file_modes(deb):
    """{path: permission bits} of the package's regular files."""
    listing = run(['dpkg-deb', '--contents', deb]).stdout
    modes = {}
    for line in listing.splitlines():
        fields = line.split()
        if not fields or fields[0].startswith('d'):
            continue
        bits = 0
        for i, ch in enumerate(fields[0][1:10]):
            if ch != '-':
                bits |= 1 << (8 - i)
        modes[fields[-1]] = bits
    return modes


def check_contents(deb, root):
    modes = file_modes(deb)
    check('the package holds exactly the binary, settings, unit and docs',
          set(modes) == set(EXPECTED), sorted(set(modes) ^ set(EXPECTED)))
    for path, mode in EXPECTED.items():
        if path in modes:
            check('%s is mode %o' % (path, mode), modes[path] == mode, oct(modes[path]))
    with open(os.path.join(root, 'usr/share/doc/rollcall/LICENSE')) as f:
        check('the licence is Apache 2.0', 'Apache License' in f.read(2000))


def check_control(deb, control):
    with open(os.path.join(control, 'conffiles')) as f:
        check('the settings file is a conffile', f.read().split() == ['/etc/rollcall/rollcall.conf'])
    for script in ('postinst', 'prerm', 'postrm'):
        path = os.path.join(control, script)
        if not check('the package has a %s' % script, os.path.exists(path)):
            continue
        check('%s is executable' % script, stat.S_IMODE(os.stat(path).st_mode) == 0o755)
        p = run(['sh', '-n', path])
        check('%s is valid sh' % script, p.returncode == 0, p.stderr)

    fields = {}
    for name in ('Package', 'Version', 'Architecture', 'Depends', 'Maintainer', 'Description'):
        fields[name] = run(['dpkg-deb', '--field', deb, name]).stdout.strip()
    check('Package is rollcall', fields['Package'] == 'rollcall', fields['Package'])
    version = project_version() + '-1'
    check('Version is the project version', fields['Version'] == version, (fields['Version'], version))
    arch = run(['dpkg', '--print-architecture']).stdout.strip()
    check('Architecture is this machine\'s', fields['Architecture'] == arch, fields['Architecture'])
    check('there is a Maintainer and a Description', fields['Maintainer'] and fields['Description'])
    depends = {re.split(r'[ (]', d.strip())[0] for d in fields['Depends'].split(',')}
    for needed in ('adduser', 'fonts-dejavu-core', 'ca-certificates'):
        check('Depends names %s' % needed, needed in depends, fields['Depends'])
    # Every shared library the binary links is provided by a package the
    # Depends line names (dpkg-shlibdeps's work).
    libraries = re.findall(r'\(NEEDED\).*\[(.+)\]', run(['readelf', '-d', binary]).stdout)
    resolved = dict(re.findall(r'^\s*(\S+) => (\S+)', run(['ldd', binary]).stdout, re.M))
    check('the binary links shared libraries', len(libraries) >= 5, libraries)
    for library in libraries:
        path = os.path.realpath(resolved.get(library, ''))
        owner = ''
        for candidate in (path, '/usr' + path, path.removeprefix('/usr')):
            p = run(['dpkg', '-S', candidate])
            if p.returncode == 0:
                owner = p.stdout.split(':')[0]
                break
        # A library's package may be named by a virtual package it provides
        # (libspdlog1.10 provides libspdlog1.10-fmt9, the name its shlibs give).
        names = {owner}
        if owner:
            provides = run(['dpkg-query', '-W', '-f=${Provides}', owner]).stdout
            names |= {re.split(r'[ (]', p.strip())[0] for p in provides.split(',') if p.strip()}
        check('Depends covers %s (%s)' % (library, owner or 'no package'),
              owner and names & depends, fields['Depends'])


def check_unit(root):
    unit = os.path.join(root, 'lib/systemd/system/rollcall.service')
    with open(unit) as f:
        lines = {line.strip() for line in f if line.strip() and not line.startswith('#')}
    for line in HARDENING:
        check('the unit has %s' % line, line in lines)
    analyze = shutil.which('systemd-analyze')
    if not analyze:
        print('skip: systemd-analyze checks (systemd-analyze not installed)')
        return
    # verify wants ExecStart's binary where the unit says; the copy points at
    # the packaged one, extracted here.
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, 'rollcall.service')
        with open(unit) as f:
            text = f.read().replace('/usr/bin/rollcall', os.path.join(root, 'usr/bin/rollcall'))
        with open(copy, 'w') as f:
            f.write(text)
        p = run([analyze, 'verify', copy])
        check('systemd-analyze verify finds nothing wrong', p.returncode == 0 and not p.stderr.strip(),
              p.stdout + p.stderr)
        p = run([analyze, 'security', '--offline=true', copy])
        m = re.search(r'Overall exposure level for rollcall.service: (\d+\.\d+)', p.stdout)
        check('systemd-analyze security rates the unit 2.0 or better (lower is safer)',
              m and float(m.group(1)) <= 2.0, (p.stdout[-300:], p.stderr))


def run_script(control, script, args, tmp, statoverride=False):
    """Runs a maintainer script with stand-ins for every command it may change
    the machine with; the commands it ran, one line each."""
    shims = os.path.join(tmp, 'shims')
    os.makedirs(shims, exist_ok=True)
    log = os.path.join(tmp, 'commands.log')
    open(log, 'w').close()
    for command in ('adduser', 'getent', 'mkdir', 'chown', 'chmod', 'rm', 'rmdir', 'systemctl',
                    'deb-systemd-helper', 'deb-systemd-invoke', 'dpkg-statoverride'):
        # getent finds no rollcall account (exit 2), so postinst makes it.
        status = {'getent': 2, 'dpkg-statoverride': 0 if statoverride else 1}.get(command, 0)
        with open(os.path.join(shims, command), 'w') as f:
            f.write('#!/bin/sh\necho "%s $*" >> %s\nexit %d\n' % (command, log, status))
        os.chmod(os.path.join(shims, command), 0o755)
    env = dict(os.environ, PATH=shims + ':/usr/bin:/bin')
    p = run(['sh', os.path.join(control, script), *args], env=env)
    with open(log) as f:
        return p.returncode, f.read().splitlines()


def check_scripts(control):
    with tempfile.TemporaryDirectory() as tmp:
        rc, ran = run_script(control, 'postinst', ['configure', ''], tmp)
        check('postinst configure succeeds', rc == 0, ran)
        check('postinst makes the system account rollcall with its home in /var/lib/rollcall',
              any(c.startswith('adduser --system --group --home /var/lib/rollcall') and
                  c.endswith(' rollcall') for c in ran), ran)
        check('postinst gives /var/lib/rollcall to rollcall, mode 0750',
              'chown rollcall:rollcall /var/lib/rollcall' in ran and
              'chmod 0750 /var/lib/rollcall' in ran, ran)
        check('postinst enables the service', 'deb-systemd-helper enable rollcall.service' in ran, ran)
        check('postinst deletes nothing', not any(c.startswith(('rm ', 'rmdir ')) for c in ran), ran)
        with open(os.path.join(control, 'postinst')) as f:
            text = f.read()
        check('postinst makes the settings root:rollcall 0640',
              'chown root:rollcall /etc/rollcall/rollcall.conf' in text and
              'chmod 0640 /etc/rollcall/rollcall.conf' in text)

        rc, ran = run_script(control, 'prerm', ['remove'], tmp)
        check('prerm remove succeeds', rc == 0, ran)
        with open(os.path.join(control, 'prerm')) as f:
            check('prerm stops the service', 'deb-systemd-invoke stop rollcall.service' in f.read())

        rc, ran = run_script(control, 'postrm', ['remove'], tmp)
        check('postrm remove keeps the school\'s database',
              rc == 0 and not any('/var/lib/rollcall' in c for c in ran), ran)
        rc, ran = run_script(control, 'postrm', ['upgrade', '0.0.9-1'], tmp)
        check('postrm upgrade keeps the school\'s database',
              rc == 0 and not any('/var/lib/rollcall' in c for c in ran), ran)
        rc, ran = run_script(control, 'postrm', ['purge'], tmp)
        check('postrm purge keeps the school\'s database and the account',
              rc == 0 and not any(c.startswith('rm') and '/var/lib/rollcall' in c for c in ran) and
              not any(c.startswith(('deluser', 'userdel')) for c in ran), ran)


def check_binary(root):
    packaged = os.path.join(root, 'usr/bin/rollcall')
    p = run([packaged, '--help'])
    check('the packaged binary runs --help', p.returncode == 0 and 'serve' in p.stdout, p.stderr)
    p = run([packaged, 'serve', '--help'])
    check('the packaged serve takes --config', p.returncode == 0 and '--config' in p.stdout, p.stderr)
    p = run(['file', packaged]) if shutil.which('file') else None
    if p:
        check('the packaged binary is stripped', 'not stripped' not in p.stdout, p.stdout)


def main():
    config = os.path.join(build, 'CPackConfig.cmake')
    if not check('the release build has a CPack configuration', os.path.exists(config),
                 '%s is missing: configure that build with this checkout' % config):
        return
    with tempfile.TemporaryDirectory() as tmp:
        p = run(['cpack', '--config', config, '-G', 'DEB', '-B', tmp])
        debs = [f for f in os.listdir(tmp) if f.endswith('.deb')]
        if not check('cpack makes one .deb', p.returncode == 0 and len(debs) == 1,
                     p.stdout[-2000:] + p.stderr[-2000:]):
            return
        deb = os.path.join(tmp, debs[0])
        check('the file is named rollcall_VERSION-1_ARCH.deb',
              re.fullmatch(r'rollcall_%s-1_\w+\.deb' % re.escape(project_version()), debs[0]), debs[0])
        root, control = os.path.join(tmp, 'root'), os.path.join(tmp, 'control')
        for args in (['--extract', deb, root], ['--control', deb, control]):
            p = run(['dpkg-deb', *args])
            check('dpkg-deb %s' % args[0], p.returncode == 0, p.stderr)
        check_contents(deb, root)
        check_control(deb, control)
        check_unit(root)
        check_scripts(control)
        check_binary(root)


main()
print('package: %d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
