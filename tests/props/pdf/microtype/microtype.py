#!/usr/bin/env python3
"""tests/props/pdf/microtype/microtype.py MODE PDF - margin kerning and font
expansion, measured from what pdftotext -bbox-layout reads of PDF (each
word's box), as issue 21 measures them.  Prints one problem a line; exits 1
when there is any.

Body lines are the lines of words as tall as the body face's (10.5 pt
Linux Libertine: pdftotext's boxes are 1.14 times the size).  A page's
right edge is the most common right end of its body lines of at least 4
words that end in a letter (pages where fewer than 5 lines end there are
not measured: the contents, a chapter's opening).

  hang     hyphen-ended body lines end past the edge, by 1 pt or more at the
           median (HANG_MIN, points); no body line ends past the edge but
           by a last character that hangs (punctuation, a dash, a quote),
           and that by 0.25 em at most; none starts before the left edge
           (the default style's margins: inner 20 mm, outer 15 mm) but by a
           first character that hangs (an opening quote or bracket, a
           dash), as far at most.
  expand   text is drawn scaled horizontally by 2 % at most (each text
           matrix, qpdf --qdf), some of it is; and words of 7 letters or
           more read, on some lines, wider or narrower than they do most
           often, by 0.4 % to 2 %.
  natural  no text is drawn scaled horizontally.
  spaces   no justified line (a body line of 4 words or more that ends at
           the edge, or past it by a character that hangs) has word spaces narrower than 0.66 of the normal space
           (0.25 em) at the mean: condensed, they shrink no further than
           breaking.shrink allows.
"""
import collections, html, os, re, statistics, subprocess, sys

HANGS_RIGHT = set('.,:;!?)/*-\u00ad\u2010\u2013\u2014\u2019\u201d\u00bb\u203a')
HANGS_LEFT = set('(/*-\u2010\u2013\u2014\u2018\u201a\u201c\u201e\u00ab\u2039\u203a')
SIZE = 10.5


def pages(pdf):
    out = subprocess.run(['pdftotext', '-bbox-layout', pdf, '-'], check=True,
                         capture_output=True, text=True).stdout
    for page in re.findall(r'<page .*?</page>', out, re.S):
        lines = []
        for line in re.findall(r'<line .*?</line>', page, re.S):
            words = [(float(a), float(b), float(c), float(d), html.unescape(w))
                     for a, b, c, d, w in re.findall(
                         r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                         line)]
            if words:
                lines.append(words)
        yield lines


def body(line):
    return all(abs((w[3] - w[1]) - 1.14 * SIZE) < 0.3 for w in line)


def edge(lines):
    """The page's right edge, or None on a page of fewer than 5 lines that
    end there (the contents, a chapter's opening)."""
    ends = collections.Counter(round(l[-1][2], 1) for l in lines
                               if body(l) and len(l) >= 4 and l[-1][4][-1:].isalpha())
    if not ends or ends.most_common(1)[0][1] < 5:
        return None
    return ends.most_common(1)[0][0]


def hang(pdf, problems):
    hangs = []
    for n, lines in enumerate(pages(pdf), 1):
        e = edge(lines)
        if e is None:
            continue
        for l in lines:
            if not body(l):
                continue
            last = l[-1][4]
            past = l[-1][2] - e
            if last[-1] in '-\u00ad' and len(l) >= 4:
                hangs.append(past)
            if past > 0.1:
                if last[-1] not in HANGS_RIGHT:
                    problems.append('page %d: "%s" ends %.2f pt past the edge, and %r does not hang'
                                    % (n, last, past, last[-1]))
                elif past > 0.25 * SIZE + 0.1:
                    problems.append('page %d: "%s" hangs %.2f pt past the edge (more than 0.25 em)'
                                    % (n, last, past))
        # the left edge, the text block's (the default style's margins:
        # inner 20 mm, outer 15 mm; odd pages are rectos): no line starts
        # before it but by a first character that hangs, 0.25 em at most
        left = (20 if n % 2 else 15) / 25.4 * 72
        for l in lines:
            before = left - l[0][0]
            if body(l) and before > 0.1:
                first = l[0][4]
                if first[0] not in HANGS_LEFT:
                    problems.append('page %d: "%s" starts %.2f pt before the edge, and %r does not hang'
                                    % (n, first, before, first[0]))
                elif before > 0.25 * SIZE + 0.1:
                    problems.append('page %d: "%s" hangs %.2f pt before the edge (more than 0.25 em)'
                                    % (n, first, before))
    want = float(os.environ.get('HANG_MIN', '1'))
    if not hangs:
        problems.append('no hyphen-ended line')
    elif statistics.median(hangs) < want:
        problems.append('hyphen-ended lines hang %.2f pt past the edge at the median (%d lines), less than %.2f'
                        % (statistics.median(hangs), len(hangs), want))


def widths(pdf):
    seen = collections.defaultdict(list)
    for lines in pages(pdf):
        for l in lines:
            if body(l):
                for w in l:
                    if len(w[4]) >= 7 and w[4].isalpha():
                        seen[w[4]].append(w[2] - w[0])
    return {w: v for w, v in seen.items() if len(v) >= 2}


def scales(pdf):
    """The horizontal scale of each text matrix of pdf (its a over its d)."""
    q = subprocess.run(['qpdf', '--qdf', '--object-streams=disable', pdf, '-'],
                       check=True, capture_output=True).stdout
    for m in re.finditer(rb'([-\d.]+) 0 0 ([-\d.]+) [-\d.]+ [-\d.]+ Tm', q):
        a, d = float(m.group(1)), float(m.group(2))
        if d:
            yield abs(a / d)


def expand(pdf, problems):
    s = list(scales(pdf))
    off = [x for x in s if abs(x - 1) > 0.0201]
    for x in sorted(set(off)):
        problems.append('text is drawn scaled by %.4f horizontally, more than 2 %% off' % x)
    if not any(abs(x - 1) > 1e-4 for x in s):
        problems.append('no text is drawn expanded or condensed')
    # the same word, on lines of other expansions: its width from the text
    # layer, against the width it has most often (other faces apart: off
    # by more than 3 %)
    scaled = 0
    for word, ws in widths(pdf).items():
        natural = collections.Counter(round(x, 2) for x in ws).most_common(1)[0][0]
        scaled += sum(0.004 * natural < abs(x - natural) <= 0.0201 * natural + 0.05 for x in ws)
    if not scaled:
        problems.append('no word reads wider or narrower than its natural width')


def natural(pdf, problems):
    for x in sorted(set(scales(pdf))):
        if abs(x - 1) > 1e-4:
            problems.append('text is drawn scaled by %.4f horizontally' % x)


def spaces(pdf, problems):
    space = 0.25 * SIZE
    lines = 0
    for n, page in enumerate(pages(pdf), 1):
        e = edge(page)
        if e is None:
            continue
        for l in page:
            past = l[-1][2] - e
            hangs = l[-1][4][-1] in HANGS_RIGHT and 0 < past <= 0.25 * SIZE + 0.1
            if not body(l) or len(l) < 4 or (abs(past) > 0.2 and not hangs):
                continue
            gaps = [b[0] - a[2] for a, b in zip(l, l[1:])]
            mean = sum(gaps) / len(gaps) / space
            lines += 1
            if mean < 0.66:
                problems.append('page %d: a justified line\'s spaces are %.3f of a space at the mean: %s'
                                % (n, mean, ' '.join(w[4] for w in l)))
    if lines < 100:
        problems.append('only %d justified lines measured' % lines)


def main():
    mode, pdf = sys.argv[1], sys.argv[2]
    problems = []
    {'hang': hang, 'expand': expand, 'natural': natural, 'spaces': spaces}[mode](pdf, problems)
    for p in problems[:20]:
        print(p)
    if len(problems) > 20:
        print('... and %d more' % (len(problems) - 20))
    return 1 if problems else 0


sys.exit(main())
