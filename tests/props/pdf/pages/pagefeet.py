#!/usr/bin/env python3
"""pagefeet.py PDF [--max-short L] [--min-grid P] [-v]: the feet of a PDF's
pages and its baseline grid, from pdftotext -bbox-layout (XHTML on stdin).

Body lines are the lines of the most common height (the body's face and
size); the leading is the most common distance between two body lines in
a row on a page; the grid's origin is the most common position of a page's
first body line (a line's yMax lies a fixed distance below its baseline).
A body line is on the grid when it lies within 0.5 pt of origin + k x
leading.  A page has a running head when a line lies above the origin by
more than half a leading and has a number (the folio) at one end; a mid-chapter page has one and so has the next
page (an opener has none, a blank page nothing).  The full depth is the
most common end of such pages' last lines; a mid-chapter page is short by
(full depth - its last line's end) / leading.

Prints the figures, and a line per problem beyond the limits given.
"""
import collections
import re
import sys


def pages_of(xml):
    pages = []
    for body in re.findall(r'<page [^>]*>(.*?)</page>', xml, re.S):
        lines = []
        for l in re.findall(r'<line xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                            r'yMax="([-\d.]+)">(.*?)</line>', body, re.S):
            words = re.findall(r'<word [^>]*>(.*?)</word>', l[4])
            lines.append((float(l[1]), float(l[3]), ' '.join(words)))
        pages.append(lines)
    return pages


def main():
    args = sys.argv[1:]
    verbose = '-v' in args
    max_short = float(args[args.index('--max-short') + 1]) if '--max-short' in args else None
    min_grid = float(args[args.index('--min-grid') + 1]) if '--min-grid' in args else None
    pages = pages_of(sys.stdin.read())
    heights = collections.Counter(round(y1 - y0, 1) for p in pages for y0, y1, _ in p)
    if not heights:
        print('no text')
        return 1
    body_h = heights.most_common(1)[0][0]

    def body(l):
        return abs((l[1] - l[0]) - body_h) < 0.15
    gaps = collections.Counter()
    firsts = collections.Counter()
    for p in pages:
        b = sorted(l[1] for l in p if body(l))
        if b:
            firsts[round(b[0], 1)] += 1
        for a, c in zip(b, b[1:]):
            if c - a > 1:   # (not two columns of a table)
                gaps[round(c - a, 1)] += 1
    if not gaps:
        print('no two body lines in a row')
        return 1
    lead = gaps.most_common(1)[0][0]
    origin = firsts.most_common(1)[0][0]
    on = total = 0
    off = []
    for i, p in enumerate(pages):
        for l in p:
            if body(l):
                total += 1
                r = (l[1] - origin) % lead
                if min(r, lead - r) <= 0.5:
                    on += 1
                else:
                    off.append((i + 1, l[2][:40]))

    folio = re.compile(r'^([0-9]+|[ivxlc]+)$')

    def head(p):
        # a running head: a line above the text with the folio at an end
        return any(l[1] < origin - lead * 0.5 and l[2].split() and
                   (folio.match(l[2].split()[0]) or folio.match(l[2].split()[-1]))
                   for l in p)

    def last(p):
        return max(l[1] for l in p if l[1] >= origin - lead * 0.5)
    mids = [i for i in range(len(pages) - 1)
            if head(pages[i]) and head(pages[i + 1]) and
            any(l[1] >= origin - lead * 0.5 for l in pages[i])]
    ends = collections.Counter(round(last(pages[i]), 1) for i in mids)
    full = max(e for e, n in ends.items() if n == max(ends.values())) if ends else 0
    short = [((full - last(pages[i])) / lead, i + 1) for i in mids]
    bad = [(s, n) for s, n in short if s >= 1.5 - 0.01]
    one = [(s, n) for s, n in short if s >= 1 - 0.01]
    grid = 100.0 * on / total if total else 100.0
    print(f'pages {len(pages)}, leading {lead}, body lines {total}, on the grid {on} '
          f'({grid:.1f} %), mid-chapter pages {len(mids)}: 1 line short or more {len(one)}, '
          f'1.5 lines or more {len(bad)}, most {max([0] + [s for s, _ in short]):.2f}')
    problems = 0
    if max_short is not None:
        for s, n in sorted(short, key=lambda x: x[1]):
            if s >= max_short - 0.01:
                print(f'page {n} (mid-chapter) ends {s:.2f} lines short')
                problems += 1
    if min_grid is not None and grid < min_grid:
        print(f'only {grid:.1f} % of the body lines on the grid (want {min_grid} %)')
        problems += 1
        for n, text in off[:10]:
            print(f'  off the grid: page {n}: {text}')
    if verbose:
        print('short:', sorted(short, reverse=True)[:15])
    return 1 if problems else 0


sys.exit(main())
