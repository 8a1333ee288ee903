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
  exists;
* no Rust listing uses a construct before the chapter that explains it
  (FIRST_USES below), in the order SUMMARY.md gives the chapters;
* a listing is never followed by another with only headings between: the
  reader is told what to look at first (a ```text block right after a
  listing, its output, is fine).
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


# The Rust a listing may use only once the book has explained it: the
# construct's name as the chapter writes it, a pattern that finds it in a
# listing, and the chapter that explains it (which must name it).
FIRST_USES = [
    ("`?`", r"[\w)\]]\?[;.)\s]", "rust-you-need.md"),
    ("`Option`", r"\bSome\(|\bOption<", "rust-you-need.md"),
    ("`Result`", r"\bOk\(|\bErr\(|\bResult<", "rust-you-need.md"),
    ("`Infallible`", r"\bInfallible\b", "rust-you-need.md"),
    ("`let ... else`", r"\blet [^;=]+=[^;]*\belse\s*\{", "rust-you-need.md"),
    ("`move`", r"\bmove\s*\|", "rust-you-need.md"),
    ("`impl Trait`", r"(->|\()\s*impl\b", "rust-you-need.md"),
    ("`Pin`", r"\bPin<|\bpin!", "rust-you-need.md"),
    ("`Unpin`", r"\bUnpin\b", "rust-you-need.md"),
    ("`static` coroutine", r"\bstatic\s+(move\s+)?\|", "rust-you-need.md"),
    ("`Summable`", r"\bSummable\b", "rust-you-need.md"),
    ("`Resume`", r"\bResume<", "introduction.md"),
    ("`gen` block", r"\bgen\s*\{", "seed.md"),
    ("`Body`", r"\bBody\b", "next.md"),
    ("`async`", r"\basync\b|\.await\b", "next.md"),
    ("`stream!`", r"\bstream!", "next.md"),
    ("`resumed!`", r"\bresumed!", "send.md"),
    ("`raise_thrown!`", r"\braise_thrown!", "send.md"),
    ("`finish!`", r"\bfinish!", "send.md"),
    ("`finally`", r"\bfinally\(", "throw.md"),
    ("`yield_from!`", r"\byield_from(_iter)?!", "yield-from.md"),
]


def chapters():
    """book/src's chapters in the order SUMMARY.md lists them."""
    summary = (SRC / "SUMMARY.md").read_text()
    return re.findall(r"\]\(([^)]+\.md)\)", summary)


def included(page, path, selector):
    """The text `{{#include PATH:SELECTOR}}` puts into `page`."""
    target = (page.parent / path).resolve()
    if not target.is_file():
        return ""
    lines = target.read_text().splitlines()
    if selector and not re.fullmatch(r"[\d:]*", selector):
        start = next((i for i, l in enumerate(lines) if f"ANCHOR: {selector}" in l), None)
        end = next((i for i, l in enumerate(lines) if f"ANCHOR_END: {selector}" in l), None)
        if start is None or end is None:
            return ""
        lines = lines[start + 1:end]
    elif selector:
        bounds = selector.split(":")
        first = int(bounds[0]) - 1 if bounds[0] else 0
        last = int(bounds[1]) if len(bounds) > 1 and bounds[1] else len(lines)
        lines = lines[first:last]
    return "\n".join(l for l in lines if "ANCHOR" not in l)


def rust_listings(page):
    """The Rust in a chapter's ```rust fences, includes expanded, comments cut."""
    text = INCLUDE.sub(lambda m: included(page, m.group(1), m.group(2)), page.read_text())
    code = "\n".join(re.findall(r"```rust[^\n]*\n(.*?)```", text, re.S))
    code = re.sub(r'"[^"\n]*"', '""', code)
    return "\n".join(line.split("//")[0] for line in code.splitlines())


def check_first_uses():
    order = chapters()
    problems = []
    for name, pattern, where in FIRST_USES:
        if where not in order:
            problems.append(f"{name}: explained in {where}, which SUMMARY.md does not list")
            continue
        if name.split("`")[1] not in (SRC / where).read_text():
            problems.append(f"{name}: {where} does not name it")
        for chapter in order[:order.index(where)]:
            if re.search(pattern, rust_listings(SRC / chapter)):
                problems.append(f"{chapter}: a listing uses {name} before {where} explains it")
    return problems


def check_prose_between():
    problems = []
    fence = re.compile(r"^```(\w*)[^\n]*\n.*?^```[ \t]*$", re.S | re.M)
    for page in sorted(SRC.glob("*.md")):
        text = page.read_text()
        previous_end = None
        for block in fence.finditer(text):
            between = text[previous_end:block.start()] if previous_end is not None else None
            if between is not None and block.group(1) != "text":
                prose = [l for l in between.splitlines() if l.strip() and not l.startswith("#")]
                if not prose:
                    line = text.count("\n", 0, block.start()) + 1
                    problems.append(f"{page.relative_to(ROOT)}:{line}: a listing right after another")
            previous_end = block.end()
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
    problems += check_first_uses()
    problems += check_prose_between()
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
