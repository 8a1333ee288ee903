#!/usr/bin/env python3
"""Build the book and refuse what mdBook lets pass.

    python3 scripts/check_book.py

mdBook renders an include whose file or anchor is missing as nothing, and
a link to a page that does not exist as a dead link, with at most a log
line. This script fails instead:

* every `{{#include PATH}}`, `{{#include PATH:ANCHOR}}` and
  `{{#include PATH:START:END}}` in book/src names a file that exists and,
  for an anchor, a file that has `ANCHOR: NAME` and `ANCHOR_END: NAME`;
* `mdbook build book` succeeds and logs no warning or error;
* every relative link and image in the built pages points to a file that
  exists.
"""

import html.parser
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "book" / "src"
OUT = ROOT / "book" / "book"
INCLUDE = re.compile(r"\{\{#include ([^}:]+)(?::([^}]*))?\}\}")


def check_includes():
    problems = []
    for page in sorted(SRC.glob("*.md")):
        for path, selector in INCLUDE.findall(page.read_text()):
            target = (page.parent / path).resolve()
            where = f"{page.relative_to(ROOT)}: {path}"
            if not target.is_file():
                problems.append(f"{where}: no such file")
                continue
            if selector and not re.fullmatch(r"[\d:]*", selector):
                text = target.read_text()
                if f"ANCHOR: {selector}\n" not in text or f"ANCHOR_END: {selector}" not in text:
                    problems.append(f"{where}: no anchor '{selector}'")
    return problems


def build():
    done = subprocess.run(["mdbook", "build", "book"], cwd=ROOT, capture_output=True, text=True)
    log = done.stdout + done.stderr
    bad = [line for line in log.splitlines() if "[WARN]" in line or "[ERROR]" in line]
    if done.returncode != 0:
        bad.append(f"mdbook build exited {done.returncode}")
    return bad


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (tag, name) in (("a", "href"), ("img", "src")) and value:
                self.targets.append(value)


def check_links():
    problems = []
    for page in sorted(OUT.glob("*.html")):
        links = Links()
        links.feed(page.read_text())
        for target in links.targets:
            if re.match(r"^[a-z]+:|^#|^//", target):
                continue
            path = target.split("#")[0].split("?")[0]
            if path and not (page.parent / path).exists():
                problems.append(f"{page.relative_to(ROOT)}: dead link {target}")
    return problems


def main():
    problems = check_includes()
    problems += build()
    if not problems:
        problems += check_links()
    for problem in problems:
        print(f"check_book: {problem}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print("check_book: every include found, built without warnings, no dead links")


if __name__ == "__main__":
    main()
