#!/usr/bin/env python3
"""Checks that the vendored conformance cases equal the shared ones.

Usage: sync_check.py VENDORED_DIR [SHARED_DIR]
When SHARED_DIR (default: ../shared/conformance beside the checkout) does not
exist, as on a machine with only this repository, prints why and passes:
there is nothing to compare against. Otherwise every file must be identical;
run scripts/sync-conformance to update.
"""
import filecmp
import os
import sys


def files(root):
    out = set()
    for d, _, names in os.walk(root):
        for n in names:
            out.add(os.path.relpath(os.path.join(d, n), root))
    return out


def main():
    vendored = sys.argv[1]
    shared = sys.argv[2] if len(sys.argv) > 2 else os.path.join(vendored, '..', '..', '..', 'shared', 'conformance')
    if not os.path.isdir(os.path.join(shared, 'cases')):
        print('sync_check: no shared conformance folder at %s; nothing to compare' % shared)
        print('1 passed, 0 failed')
        return 0
    problems = []
    a, b = files(os.path.join(vendored, 'cases')), files(os.path.join(shared, 'cases'))
    problems += ['missing here: cases/%s' % f for f in sorted(b - a)]
    problems += ['not in shared: cases/%s' % f for f in sorted(a - b)]
    for f in sorted(a & b):
        if not filecmp.cmp(os.path.join(vendored, 'cases', f), os.path.join(shared, 'cases', f), shallow=False):
            problems.append('differs: cases/%s' % f)
    for f in ('FORMAT.md', 'run.py', 'compare.py'):
        if not filecmp.cmp(os.path.join(vendored, f), os.path.join(shared, f), shallow=False):
            problems.append('differs: %s' % f)
    for p in problems[:20]:
        print(p)
    if problems:
        print('vendored conformance cases are out of date: run scripts/sync-conformance')
        return 1
    print('sync_check: %d case files identical' % len(a))
    return 0


if __name__ == '__main__':
    sys.exit(main())
