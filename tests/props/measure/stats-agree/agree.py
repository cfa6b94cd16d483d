#!/usr/bin/env python3
"""agree.py STATS FIGURES - the figures `gsi-book pdf --stats` printed for
the book as set (STATS, its whole output) against tests/measure.py's of the
same PDF (FIGURES): prints each that differs by more than its tolerance,
and a line when first-fit's figures are missing.

Tolerances: a count is the same line for line (both read the same lines
by the same rules), but for these, which rest on positions:
- word spaces (x the normal space): 0.02.  pdftotext places a glyph by the
  PDF's widths (thousandths of an em, 0.01 pt at 10.5 pt), the layout by
  HarfBuzz's advances in Pango units (1/1024 pt); over a line the two part
  by a few hundredths of a point, 0.01 of a 2.6 pt space;
- the hyphens' hang, the most a page is short (pt, lines): 0.1 pt, 0.1
  line, for the same reason (the edge found from the ends of lines);
- a percentage: one line of its count, and 0.05 for rounding;
- the body size and the leading: 0.05 pt.
"""
import re
import sys

stats, figures = open(sys.argv[1]).read(), open(sys.argv[2]).read()
if 'figures of the book as set' not in stats:
    sys.exit(print('--stats prints no figures of the book as set') or 0)
book = stats.split('figures of the book as set')[1]
book, _, ff = book.partition("figures of first-fit's lines")
c = dict(re.findall(r'^  ([a-z0-9-]+) (\S+)$', book, re.M))
p = dict(l.split() for l in figures.splitlines() if l.strip())
lines = float(p.get('body-lines', 1)) or 1
just = float(p.get('justified-lines', 1)) or 1
tol = {'widest-space': 0.02, 'space-p95': 0.02, 'lowest-mean-space': 0.02,
       'hyphen-hang-median': 0.1, 'most-short': 0.1, 'body-size': 0.05, 'leading': 0.05,
       'loose-percent': 100 / just + 0.05, 'hyphenated-percent': 100 / lines + 0.05,
       'ragged-percent': 100 / lines + 0.05, 'grid-percent': 100 / lines + 0.05}
for k, v in p.items():
    if k not in c:
        print('--stats prints no %s' % k)
    elif abs(float(c[k]) - float(v)) > tol.get(k, 0) + 1e-9:
        print('%s: --stats %s, tests/measure.py %s' % (k, c[k], v))
f = dict(re.findall(r'^  ([a-z0-9-]+) (\S+)$', ff, re.M))
if not f or int(f.get('body-lines', 0)) == 0:
    print("--stats prints no figures of first-fit's lines")
