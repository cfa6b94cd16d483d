#!/usr/bin/env python3
"""links.py PDF - each link's rectangle (qpdf --qdf: /Rect and /URI of each
/Link annotation) spans its word as pdftotext -bbox-layout reads it,
within 0.3 pt at either end (cairo rounds it out to whole points: 1.3
pt outside): on lines drawn expanded or condensed, and
hanging into the margin, as on others.  The words are 'linked' and two
letters, each the text of the link https://example.org/linkN, N its
number.  Prints one problem a line; exits 1 when there is any."""
import html, re, subprocess, sys

pdf = sys.argv[1]
q = subprocess.run(['qpdf', '--qdf', '--object-streams=disable', pdf, '-'],
                   check=True, capture_output=True).stdout.decode('latin-1')
rects = {}
for obj in q.split('endobj'):
    if '/Subtype /Link' not in obj:
        continue
    r = re.search(r'/Rect \[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)', obj)
    u = re.search(r'/URI \(https://example.org/link(\d+)\)', obj)
    if r and u:
        rects.setdefault(int(u.group(1)), []).append((float(r.group(1)), float(r.group(3))))
out = subprocess.run(['pdftotext', '-bbox-layout', pdf, '-'], check=True,
                     capture_output=True, text=True).stdout
words = {}
for x0, x1, w in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', out):
    m = re.match(r'linked([a-z])([a-z])', html.unescape(w))
    if m:
        n = (ord(m.group(1)) - 97) + 26 * (ord(m.group(2)) - 97)
        words.setdefault(n, []).append((float(x0), float(x1)))
bad = 0
if len(words) < 60:
    print('only %d linked words read' % len(words))
    bad = 1
for n, spans in sorted(words.items()):
    for x0, x1 in spans:
        rs = rects.get(n, [])
        # (cairo rounds a link's rectangle out to whole points)
        if not any(x0 - 1.3 <= a <= x0 + 0.3 and x1 - 0.3 <= b <= x1 + 1.3 for a, b in rs):
            print('link %d: the word spans %.2f to %.2f pt, its link %s' %
                  (n, x0, x1, ', '.join('%.2f to %.2f' % r for r in rs) or 'none'))
            bad = 1
sys.exit(bad)
