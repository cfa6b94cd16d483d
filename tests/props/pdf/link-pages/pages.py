#!/usr/bin/env python3
"""pages.py PDF HEADING [WORD] - the page number printed after each link
to HEADING (", p. N", "p." being WORD) is the folio of the page where
HEADING is printed, read from the PDF (pdftotext of each page: its folio is
the number alone at the head or the foot of the page).  Prints one line a
problem; with --where, prints the heading's folio and the numbers printed."""
import re
import subprocess
import sys

args = sys.argv[1:]
where = args[0] == '--where'
if where:
    args = args[1:]
pdf, heading = args[0], args[1]
word = args[2] if len(args) > 2 else 'p.'
info = subprocess.run(['pdfinfo', pdf], check=True, capture_output=True, text=True).stdout
pages = int(re.search(r'^Pages:\s+(\d+)', info, re.M).group(1))
found, printed = [], []
for p in range(1, pages + 1):
    text = subprocess.run(['pdftotext', '-f', str(p), '-l', str(p), '-layout', pdf, '-'],
                          check=True, capture_output=True, text=True).stdout
    lines = [l.strip() for l in text.split('\n') if l.strip()]
    if not lines:
        continue
    folio = None
    for l in (lines[0], lines[-1]):
        m = re.match(r'^([0-9]+|[ivxlc]+)\b', l) or re.search(r'\b([0-9]+|[ivxlc]+)$', l)
        if m and (l == m.group(1) or re.match(r'^\S+\s{3,}', l) or re.search(r'\s{3,}\S+$', l)):
            folio = m.group(1)
            break
    if any(l == heading for l in lines):
        found.append(folio)
    joined = ' '.join(lines)
    printed += re.findall(re.escape(word) + r'[\s\u00a0]+([0-9]+|[ivxlc]+)\b', joined)
if where:
    print(found, printed)
    sys.exit(0)
if len(found) != 1 or found[0] is None:
    print('the heading %r is on %d pages with a folio %r' % (heading, len(found), found))
    sys.exit(0)
if not printed:
    print('no page number printed after a link')
for n in printed:
    if n != found[0]:
        print('a link says %s %s, but %r is printed on page %s' % (word, n, heading, found[0]))
