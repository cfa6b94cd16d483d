#!/usr/bin/env python3
"""words.py PAGE COPYRIGHT...: every word of each copyright file (but its
Format line, which names the file's syntax, and the fields' names, which
the page may show as headings' levels) is on the licences page, in the
file's order; prints the first word missing of each file."""
import html
import re
import sys

page = open(sys.argv[1], encoding="utf-8").read()
body = page[page.index("<body"):]
text = html.unescape(re.sub(r"<[^>]*>", " ", body))
words = re.findall(r"\w+", text)
for path in sys.argv[2:]:
    lines = open(path, encoding="utf-8").read().split("\n")
    if lines and lines[0].startswith("Format:"):
        lines = lines[1:]
    lines = [re.sub(r"^[A-Za-z-]+:", "", line) for line in lines]
    want = re.findall(r"\w+", "\n".join(lines))
    at = 0
    for i, w in enumerate(want):
        try:
            at = words.index(w, at) + 1
        except ValueError:
            print(f"{path}: word {i + 1} of {len(want)}, '{w}', is not on the page "
                  f"after the words before it: '{' '.join(want[max(0, i - 6):i])}'")
            break
