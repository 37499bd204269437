"""The tally the end-to-end scripts keep: each check counted, each failure remembered with its
label, and one summary line at the end (the Rust test looks for it)."""

FAILURES = []
CHECKS = [0]


def check(label, condition, detail=""):
    """Counts one check; remembers `label: detail` when `condition` is false."""
    CHECKS[0] += 1
    if not condition:
        FAILURES.append(f"{label}: {detail}")


def report(what):
    """Prints every failure and the summary `N of M <what>`: the exit status (0 when all passed)."""
    for failure in FAILURES:
        print(f"FAIL {failure}")
    print(f"{CHECKS[0] - len(FAILURES)} of {CHECKS[0]} {what}")
    return 1 if FAILURES else 0
