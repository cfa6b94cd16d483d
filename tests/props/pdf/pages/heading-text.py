#!/usr/bin/env python3
"""Reads pdftotext -bbox-layout on stdin; prints the headings whose text
does not follow them at the same distance as the other headings of their
size do (a heading belongs to the text after it: the space between them
is the style's, wherever the heading falls on the page's grid).

A body line is a line of the most common height; a heading's line is
one at least 15 % taller.  For every run of heading lines followed on
its page by a body line, the distance from the heading's last line's
bottom (yMax) to the body line's is recorded, by the heading line's
height; the distances of each height must agree within --tolerance pt.
Prints one line per heading off the most common distance; exit 1 then.
"""
import argparse, collections, re, sys

ap = argparse.ArgumentParser()
ap.add_argument('--tolerance', type=float, default=0.5)
ap.add_argument('--min-headings', type=int, default=2,
                help='fail when fewer headings followed by text are found')
a = ap.parse_args()
num = r'"([-0-9.]+)"'
page_re = re.compile(r'<page ')
line_re = re.compile(r'<line xMin=%s yMin=%s xMax=%s yMax=%s>' % (num, num, num, num))
word_re = re.compile(r'<word [^>]*>(.*?)</word>')
pages, cur = [], None
for l in sys.stdin:
    if page_re.search(l):
        cur = []
        pages.append(cur)
        continue
    m = line_re.search(l)
    if m and cur is not None:
        x0, y0, x1, y1 = map(float, m.groups())
        cur.append([y0, y1, []])
        continue
    w = word_re.search(l)
    if w and cur:
        cur[-1][2].append(w.group(1))
heights = collections.Counter(round(y1 - y0, 1) for p in pages for y0, y1, _ in p)
body = heights.most_common(1)[0][0]
gaps = collections.defaultdict(list)   # heading height -> [(gap, page, words)]
for n, p in enumerate(pages, 1):
    p.sort(key=lambda l: l[0])
    for i in range(len(p) - 1):
        h = p[i][1] - p[i][0]
        nxt = p[i + 1]
        if h < body * 1.15 or (nxt[1] - nxt[0]) > body * 1.15:
            continue
        if abs((nxt[1] - nxt[0]) - body) > 0.2:
            continue
        gaps[round(h, 1)].append((nxt[1] - p[i][1], n, ' '.join(p[i][2])))
found = sum(len(g) for g in gaps.values())
bad = 0
for h, g in sorted(gaps.items()):
    common = collections.Counter(round(x[0], 1) for x in g).most_common(1)[0][0]
    for gap, n, words in g:
        if abs(gap - common) > a.tolerance:
            print('page %d: heading "%s" is %.2f pt above its text, '
                  'others of its size %.2f' % (n, words, gap, common))
            bad += 1
if found < a.min_headings:
    print('only %d headings followed by text found' % found)
    bad += 1
sys.exit(1 if bad else 0)
