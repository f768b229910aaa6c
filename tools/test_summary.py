"""Merge the pytest (pure-Python) and Odoo runner results into one closing line.

Usage: test_summary.py LIB_LOG ODOO_LOG LIB_RC ODOO_RC
Prints "N passed, N failed" and exits non-zero when anything failed, when Odoo
logged an ERROR/CRITICAL outside a test, or when no test ran at all.
"""

import re
import sys

ODOO_REPORT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
PYTEST_COUNT = re.compile(r"(\d+) (passed|failed|error|errors)\b")
LOG_LEVEL = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")


def read(path):
    if not path:
        return ""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except FileNotFoundError:
        return ""


def main(lib_log, odoo_log, lib_rc, odoo_rc):
    passed = failed = 0
    lib_text = read(lib_log)
    lines = [line for line in lib_text.splitlines() if PYTEST_COUNT.search(line)]
    if lines:
        for count, word in PYTEST_COUNT.findall(lines[-1]):
            if word == "passed":
                passed += int(count)
            else:
                failed += int(count)
    elif lib_log:
        print("pure-Python tests printed no result", file=sys.stderr)
        failed += 1
    if int(lib_rc) and not failed:
        failed += 1

    odoo_text = read(odoo_log)
    reports = ODOO_REPORT.findall(odoo_text)
    if reports:
        fails, errors, total = (int(x) for x in reports[-1])
        failed += fails + errors
        passed += total - fails - errors
    else:
        print("the Odoo runner printed no test report (install failed?)", file=sys.stderr)
        failed += 1
    # errors logged outside a test (failed install, broken view...) count as failures too
    stray = [
        line for line in odoo_text.splitlines()
        if LOG_LEVEL.match(line) and "when loading database" not in line and "FAIL:" not in line
        and "ERROR:" not in line
    ]
    if stray and not (reports and (int(reports[-1][0]) + int(reports[-1][1]))):
        for line in stray[:10]:
            print("logged:", line[:300], file=sys.stderr)
        failed += 1
    if int(odoo_rc) and not failed:
        failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
