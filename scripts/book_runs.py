#!/usr/bin/env python3
"""Check that the runs shown in the book are what the code prints today.

Each file in book/src/runs/ starts with one line, `$ COMMAND`, the command
exactly as a reader types it at the repository's root; the rest of the file
is what that command prints. This script runs every command and compares:

    python3 scripts/book_runs.py           # check: exit 1 on any difference
    python3 scripts/book_runs.py --bless   # rewrite the files from fresh runs

A transcript run (`pygen transcript --impl X DEMO OP...`) is also run
through CPython (`tests/oracle.py`) where python3 is present, and must be
the same: the book shows nothing CPython would not print.

The book includes these files (`{{#include runs/NAME.txt}}`), so what it
shows cannot drift from what the code does.
"""

import pathlib
import shlex
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
RUNS = ROOT / "book" / "src" / "runs"


def run(command):
    done = subprocess.run(command, shell=True, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"book_runs: `{command}` failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def cpython_agrees(command, output):
    """For a transcript command, whether CPython prints the same lines."""
    words = shlex.split(command)
    if "transcript" not in words or shutil.which("python3") is None:
        return True
    args = words[words.index("transcript") + 1:]
    if args[:1] == ["--impl"]:
        args = args[2:]
    return run(shlex.join(["python3", "tests/oracle.py", *args])) == output


def main(argv):
    bless = argv == ["--bless"]
    if argv and not bless:
        sys.exit(__doc__)
    stale = []
    for path in sorted(RUNS.glob("*.txt")):
        text = path.read_text()
        first, _, recorded = text.partition("\n")
        if not first.startswith("$ "):
            sys.exit(f"book_runs: {path} does not start with '$ COMMAND'")
        fresh = run(first[2:])
        if not cpython_agrees(first[2:], fresh):
            sys.exit(f"book_runs: {path.relative_to(ROOT)}: CPython prints otherwise")
        if fresh != recorded:
            if bless:
                path.write_text(first + "\n" + fresh)
                print(f"rewrote {path.relative_to(ROOT)}")
            else:
                stale.append(path.relative_to(ROOT))
    if stale:
        names = ", ".join(str(p) for p in stale)
        sys.exit(f"book_runs: out of date: {names}; python3 scripts/book_runs.py --bless rewrites them")
    print(f"book_runs: {len(list(RUNS.glob('*.txt')))} runs current")


if __name__ == "__main__":
    main(sys.argv[1:])
