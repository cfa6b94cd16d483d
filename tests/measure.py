#!/usr/bin/env python3
"""tests/measure.py PDF [--json] [--body-size PT] [--leading PT] [--limits FILE]
[--show FIGURE] - the typographic figures of issue 21 (section 3), measured
from a PDF's own text positions: `pdftotext -bbox-layout PDF -` gives every
word with its box; nothing here reads gsi-book's own dump, so the same
script measures a PDF of XeLaTeX or LuaLaTeX.  Python 3, standard library.

Prints one `name value` a line (a JSON object with --json).  With --limits
FILE it checks the figures against FILE's lines (`widest-space <= 1.75`,
`overfull == 0`, `grid-percent >= 95`; `#` starts a comment), prints one
line per figure out of its limit and exits 1 if there is any.  --show
FIGURE lists the lines a figure counts (page, the line's text and what was
measured), to see them in the PDF.

How the text is read
- Words: pdftotext's words, a page at a time.  Two words less than 0.08 em
  apart are one (a note mark or a change of face, not a space: the
  tightest space gsi-book sets is 2/3 of 0.25 em).
- Lines: pdftotext's lines, joined when they stand on the same baseline
  (the same yMax for the same height) and less than 1.5 em apart; a gap of
  1.5 em or more inside a line is a column gap (a table), and such a line
  is not a body line.
- Font size: pdftotext's word box is the font's ascent + descent times its
  size; for Linux Libertine that is 1.14 (11.97 pt boxes at 10.5 pt; set
  another with --box-ratio).  The body's box height is the most common
  height of a line (by lines), the body size that height / 1.14
  (--body-size PT overrides it).  The em is the body size; the normal word
  space 0.25 em (Libertine's space).
- Body lines: lines whose words are mostly of the body's box height (so
  headings, notes, captions, table cells at a smaller size, code in
  another face are not), inside the text block (not a running head or
  folio: a head is a line above the text block's top, the foot a line
  below its bottom, see below), not centred (both sides short of the
  measure by more than 2 em, within 1 pt of each other), not a line of
  the contents (3 or more leader dots), without a column gap.
- Text block: its top is the highest top (yMin) of a line of the body's
  size followed by another one leading below (the leading: the most common
  distance between consecutive lines of the body's size), its bottom the
  lowest baseline (yMax) of a line of the body's size; a line
  whose bottom is above the top by more than 1 pt and which lies in the
  page's top sixth is a running head (folios beside it included), a line
  whose top is below the block's bottom is at the foot (a folio).
- The right edge of the text block is the most common end (xMax, to 0.1
  pt) of the body lines that end in a letter, over the pages of one parity
  (recto or verso: the margins are mirrored).  A page may have other edges
  left of it (block quotes, lists): ends shared by 2 or more of its body
  lines that end in a letter.  A line's edge is the nearest of its page's
  edges that it does not pass by more than its allowance (below), else
  the block's.
- A line ends at the edge when its end is within 0.5 pt of it, or, when it
  ends in a hanging character (- U+00AD U+2010 . , ; : ! ? ' " ’ ” ) – —),
  from 0.5 pt before it to 0.5 em + 0.5 pt past it (the hanging
  allowance).
- A justified line is a body line of at least 4 words that ends at the
  edge.  Its word spaces are the gaps between consecutive words divided by
  the normal space.

The figures (issue 21, section 3 and acceptance)
  pages                 pages of the PDF
  body-size             the body's font size (pt), as found (or given)
  leading               the most common distance between the baselines of
                        two consecutive body lines of a page (--leading)
  body-lines            body lines
  justified-lines       justified lines
  widest-space          the widest word space of any justified line (x)
  loose-lines           justified lines whose mean word space is above 1.5x
  loose-percent         the same, % of justified lines
  space-p95             95th percentile of justified lines' mean spaces
  lowest-mean-space     the lowest mean space of a justified line
  hyphenated-lines      body lines ending in a hyphen (- U+00AD U+2010)
  hyphenated-percent    the same, % of body lines
  hyphen-run            the longest run of consecutive hyphenated body
                        lines (in reading order; any other body line ends
                        a run)
  hyphen-hang-median    median of (end - edge), pt, over lines that end in
                        a hyphen at the edge (the hyphen's hang)
  past-edge             body lines ending past the edge by more than 0.5 pt
                        whose last character is not a hanging one
  overfull              body lines past the edge by more than their
                        allowance (0.5 pt; 0.5 em + 0.5 pt for a hanging
                        last character)
  ragged-lines          body lines of 4 words or more, short of the edge by
                        more than 0.5 pt but by less than 4 em (not a
                        hard line break of verse or an address), that do
                        not end their paragraph:
                        the next line of the page is a body line one
                        leading below starting where this one starts (no
                        indent, and its first word is not a list label:
                        - * bullets, 1. 1) a. i.)
  ragged-percent        the same, % of body lines
  mid-chapter-pages     pages followed by a page of the same chapter: the
                        next page has a running head (openers and blank
                        pages have none, in gsi-book as in LaTeX)
  short-pages           mid-chapter pages whose last line (body, notes,
                        anything in the text block but the foot; ink drawn
                        below it, a figure or a rule, seen in a 36 dpi
                        picture of the page by pdftoppm) is 1.5 leadings or
                        more above the text block's bottom
  most-short            the most a mid-chapter page is short, in lines
  grid-percent          % of body lines whose baseline (yMax: for the body
                        face and size a fixed distance below the baseline)
                        lies within 0.5 pt of y0 + k x leading; y0 is the
                        text block's top line, the most common yMax of a
                        page's first body line over the book (one grid for
                        every page, so facing pages align)
  heads-cut             running heads ending in an ellipsis (... or U+2026)
  capitalised-hyphenated  hyphenated body lines whose word starts with a
                        capital, is not at a sentence's start (after a
                        word ending in . ! ? or :, but for an abbreviation
                        such as Dr. Mrs. St.; a word in capitals counts
                        wherever it is), and was broken by hyphenation, not at
                        a hyphen of the text: U+00AD is always
                        hyphenation (gsi-book's soft hyphens); for '-' the
                        word joined with the next line's first word is
                        looked up among the book's unbroken words: found
                        joined, it is hyphenation; found with its hyphen,
                        the text's own; found neither way, hyphenation
                        when the next line's word starts in lower case
  widow-lines           pages whose block begins with a body line that
                        ends a paragraph begun on the page before: the
                        page before ends on a body line at the edge, this
                        line is the block's first, is no list item and not
                        indented (from the page's left edge or the line
                        below it), ends short of the edge, and the line
                        below it (if any) begins a paragraph (as
                        orphan-lines says)
  orphan-lines          pages whose last body line, at the edge, begins a
                        paragraph that goes on on the next page (whose
                        block begins with a body line that is no list item
                        and not indented): a line begins a paragraph when
                        it is a list item, or the line above it in the
                        block is not one leading above, or is no body
                        line and ends short of the edge, or
                        it is indented from that line (from its text
                        after a list label), or from the page's left edge
                        after a line that ends short, or starts left of
                        it (but for the line after an indented first
                        line)
"""
import argparse
import collections
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = '{http://www.w3.org/1999/xhtml}'
HYPHENS = '-\u00ad\u2010'
HANGING = HYPHENS + '.,;:!?\'"\u2019\u201d)\u2013\u2014'
TOL = 0.5


class Word:
    __slots__ = ('x0', 'y0', 'x1', 'y1', 't')

    def __init__(self, x0, y0, x1, y1, t):
        self.x0, self.y0, self.x1, self.y1, self.t = x0, y0, x1, y1, t

    @property
    def h(self):
        return self.y1 - self.y0


class Line:
    def __init__(self, words):
        self.words = sorted(words, key=lambda w: w.x0)
        self.x0 = min(w.x0 for w in words)
        self.x1 = max(w.x1 for w in words)
        self.y0 = min(w.y0 for w in words)
        self.y1 = max(w.y1 for w in words)
        hs = collections.Counter()
        for w in words:
            hs[round(w.h, 2)] += len(w.t)
        self.h = hs.most_common(1)[0][0]
        base = [w.y1 for w in words if abs(w.h - self.h) < 0.05]
        self.base = statistics.median(base)
        self.body = False
        self.gap = False

    @property
    def text(self):
        return ' '.join(w.t for w in self.words)


def read_pages(pdf):
    try:
        out = subprocess.run(['pdftotext', '-bbox-layout', pdf, '-'],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError:
        sys.exit('measure.py: pdftotext missing (poppler-utils)')
    if out.returncode != 0:
        sys.exit('measure.py: pdftotext failed on %s: %s' %
                 (pdf, out.stderr.decode(errors='replace').strip()))
    root = ET.fromstring(out.stdout)
    pages = []
    for page in root.iter(NS + 'page'):
        lines = []
        for ln in page.iter(NS + 'line'):
            ws = [Word(float(w.get('xMin')), float(w.get('yMin')),
                       float(w.get('xMax')), float(w.get('yMax')), w.text or '')
                  for w in ln.iter(NS + 'word')]
            if ws:
                lines.append(ws)
        pages.append((float(page.get('width')), float(page.get('height')), lines))
    return pages


def physical_lines(plines, em):
    """Join pdftotext's lines standing on one baseline; split at column gaps."""
    lines = [Line(ws) for ws in plines]
    lines.sort(key=lambda l: (round(l.base, 1), l.x0))
    groups = []
    for l in lines:
        g = groups[-1] if groups else None
        if g and abs(g[0].base - l.base) < 0.1 and abs(g[0].h - l.h) < 0.05:
            g.append(l)
        else:
            groups.append([l])
    result = []
    for g in groups:
        words = sorted([w for l in g for w in l.words], key=lambda w: w.x0)
        # join words that touch (no space between them)
        joined = [words[0]]
        for w in words[1:]:
            p = joined[-1]
            if w.x0 - p.x1 < 0.08 * em:
                # one word; its box the longer part's (a note mark's
                # smaller size does not make the word taller)
                big = p if len(p.t) >= len(w.t) else w
                joined[-1] = Word(p.x0, big.y0, max(p.x1, w.x1), big.y1, p.t + w.t)
            else:
                joined.append(w)
        # split at column gaps
        parts = [[joined[0]]]
        for w in joined[1:]:
            if w.x0 - parts[-1][-1].x1 >= 1.5 * em:
                parts.append([w])
            else:
                parts[-1].append(w)
        for p in parts:
            line = Line(p)
            line.gap = len(parts) > 1
            result.append(line)
    result.sort(key=lambda l: (round(l.base, 1), l.x0))
    return result


def mode(values, default=None):
    c = collections.Counter(values)
    if not c:
        return default
    best = max(c.values())
    return min(v for v, n in c.items() if n == best)


def ends_in_letter(line):
    t = line.words[-1].t
    return bool(t) and t[-1].isalpha()


def hanging_end(line):
    t = line.words[-1].t
    return bool(t) and t[-1] in HANGING


def hyphen_end(line):
    t = line.words[-1].t
    return len(t) > 1 and t[-1] in HYPHENS


def ink_below(pdf, pageno, width, height, ytop, ybottom, x0, x1):
    """Whether the page has ink between ytop and ybottom (pt) across x0..x1:
    a figure or rule that pdftotext cannot see."""
    if ybottom - ytop < 2:
        return False
    dpi = 36
    with tempfile.TemporaryDirectory() as d:
        base = os.path.join(d, 'p')
        r = subprocess.run(['pdftoppm', '-r', str(dpi), '-gray', '-singlefile',
                            '-f', str(pageno), '-l', str(pageno), pdf, base],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            return False
        with open(base + '.pgm', 'rb') as f:
            data = f.read()
    m = re.match(rb'P5\s+(\d+)\s+(\d+)\s+(\d+)\s', data)
    if not m:
        return False
    w, h = int(m.group(1)), int(m.group(2))
    pix = data[m.end():]
    s = dpi / 72.0
    r0, r1 = int(ytop * s) + 1, min(h, int(ybottom * s))
    c0, c1 = max(0, int(x0 * s)), min(w, int(x1 * s) + 1)
    for r in range(r0, r1):
        row = pix[r * w + c0:r * w + c1]
        if row and min(row) < 160:
            return True
    return False


LABEL = re.compile(r'^([\u2022\u25e6\u25aa\u2023\u2013\u2014*-]|[0-9]+[.)]|[a-zA-Z][.)]|[ivxlcdm]+[.)])$')
ABBREVIATION = re.compile(r'[A-Z][a-z]{0,2}\.')  # Dr. Mr. Mrs. St.
SENTENCE_END = re.compile(r'[.!?:][\'"\u2019\u201d)\]]*$')


def measure(pdf, args):
    pages = read_pages(pdf)
    ratio = args.box_ratio
    # the body's box height: the most common line height (pdftotext's lines)
    heights = collections.Counter()
    for _, _, plines in pages:
        for ws in plines:
            hs = collections.Counter(round(w.h, 2) for w in ws)
            heights[hs.most_common(1)[0][0]] += 1
    if not heights:
        sys.exit('measure.py: %s has no text' % pdf)
    if args.body_size:
        size = args.body_size
        body_h = min(heights, key=lambda h: abs(h - size * ratio))
    else:
        body_h = heights.most_common(1)[0][0]
        size = body_h / ratio
    em = size
    space = 0.25 * em

    plines_by_page = [physical_lines(pl, em) if pl else [] for _, _, pl in pages]

    def sized(l):
        return abs(l.h - body_h) < 0.05

    # text block: its top is the highest first line of a run of body-sized
    # lines one leading apart (a running head, even of the body's size, is
    # further from the text); its bottom the lowest body-sized line
    dists = []
    for lines in plines_by_page:
        cand = [l for l in lines if sized(l) and not l.gap]
        for a, b in zip(cand, cand[1:]):
            dists.append(round(b.base - a.base, 2))
    step = args.leading or mode(dists, size * 1.4)
    tops = []
    bottom = 0
    for lines in plines_by_page:
        cand = [l for l in lines if sized(l) and not l.gap]
        for a, b in zip(cand, cand[1:]):
            if abs(b.base - a.base - step) < 0.5:
                tops.append(a.y0)
                break
        if cand:
            bottom = max(bottom, max(l.y1 for l in cand))
    top = min(tops) if tops else 0
    # a line above the block top in the top sixth is a head; the bottom is
    # the lowest baseline of a sized line that is not itself at the foot
    # (a folio of the body size is below the text: skip a lone page number)
    foot_cands = []
    for lines in plines_by_page:
        cand = [l for l in lines if sized(l) and not l.gap
                and not re.fullmatch(r'[0-9ivxlcdmIVXLCDM]+', l.text)]
        if cand:
            foot_cands.append(max(l.y1 for l in cand))
    bottom = max(foot_cands) if foot_cands else bottom

    # classify lines
    info = []
    for pi, lines in enumerate(plines_by_page):
        width, height, _ = pages[pi]
        heads, feet, rest = [], [], []
        for l in lines:
            if l.y1 < top - 1 and l.y0 < height / 6:
                heads.append(l)
            elif l.y0 > bottom + 0.5:
                feet.append(l)
            else:
                rest.append(l)
        cand = [l for l in rest if sized(l) and not l.gap]
        left = mode([round(l.x0, 1) for l in cand], 0)
        info.append({'heads': heads, 'feet': feet, 'rest': rest, 'left': left,
                     'cand': cand})
    # the text block's right edge: the most common end over the book's
    # pages of one parity; a page's other edges (block quotes, lists): ends
    # shared by 2 lines or more of the page that are left of it
    parity_edges = {0: [], 1: []}
    for pi, inf in enumerate(info):
        ends = [round(l.x1, 1) for l in inf['cand'] if ends_in_letter(l)]
        inf['ends'] = ends
        parity_edges[pi % 2].extend(ends)
    block_edge = {k: mode(v) for k, v in parity_edges.items()}
    for pi, inf in enumerate(info):
        e = block_edge[pi % 2]
        if e is None:
            e = block_edge[1 - pi % 2]
        inf['edge'] = e
        c = collections.Counter(inf['ends'])
        inf['edges'] = sorted(set([e] if e is not None else []) |
                              set(v for v, n in c.items()
                                  if n >= 2 and (e is None or v < e - TOL)))

    body = []   # (page index, line)
    for pi, inf in enumerate(info):
        edge = inf['edge']
        for l in inf['cand']:
            if sum(1 for w in l.words if w.t == '.' or set(w.t) == {'.'}) >= 3:
                continue
            if edge is not None:
                lgap = l.x0 - inf['left']
                rgap = edge - l.x1
                if lgap > 2 * em and rgap > 2 * em and abs(lgap - rgap) < 1:
                    continue
            l.body = True
            body.append((pi, l))

    def allowance(l):
        return TOL + (0.5 * em if hanging_end(l) else 0)

    def edge_of(pi, l):
        """The edge a line is set to: the nearest of its page's edges that
        it does not pass by more than its allowance, else the block's."""
        edges = info[pi]['edges']
        for e in edges:
            if l.x1 <= e + allowance(l):
                return e
        return info[pi]['edge']

    def at_edge(pi, l):
        e = edge_of(pi, l)
        return e is not None and e - TOL <= l.x1 <= e + allowance(l)

    # leading
    dists = []
    for pi, inf in enumerate(info):
        bl = [l for l in inf['cand'] if l.body]
        for a, b in zip(bl, bl[1:]):
            dists.append(round(b.base - a.base, 2))
    leading = args.leading or mode(dists, size * 1.4)

    show = collections.defaultdict(list)

    def note(fig, pi, l, what):
        show[fig].append('p%d: %s  [%s]' % (pi + 1, l.text, what))

    # spaces
    justified = []
    widest = 0.0
    means = []
    loose = 0
    for pi, l in body:
        if len(l.words) >= 4 and at_edge(pi, l):
            gaps = [(b.x0 - a.x1) / space for a, b in zip(l.words, l.words[1:])]
            m = sum(gaps) / len(gaps)
            justified.append((pi, l, m))
            means.append(m)
            mx = max(gaps)
            if mx > widest:
                widest = mx
                show['widest-space'] = []
                note('widest-space', pi, l, 'widest %.2f' % mx)
            if m > 1.5:
                loose += 1
                note('loose-lines', pi, l, 'mean %.2f' % m)
    means_sorted = sorted(means)
    if means_sorted:
        k = 0.95 * (len(means_sorted) - 1)
        f = int(k)
        c = min(f + 1, len(means_sorted) - 1)
        p95 = means_sorted[f] + (means_sorted[c] - means_sorted[f]) * (k - f)
        lowest = means_sorted[0]
        for pi, l, m in justified:
            if m == lowest:
                note('lowest-mean-space', pi, l, 'mean %.2f' % m)
                break
    else:
        p95 = lowest = 0.0

    # hyphens
    hyph = 0
    run = best_run = 0
    hangs = []
    past = 0
    overfull = 0
    ragged = 0
    for i, (pi, l) in enumerate(body):
        edge = edge_of(pi, l)
        if hyphen_end(l):
            hyph += 1
            run += 1
            note('hyphenated-lines', pi, l, 'run %d' % run)
            if run > best_run:
                best_run = run
            if at_edge(pi, l):
                hangs.append(l.x1 - edge)
                note('hyphen-hang-median', pi, l, 'hang %.2f' % (l.x1 - edge))
        else:
            run = 0
        if edge is None:
            continue
        if l.x1 > edge + TOL and not hanging_end(l):
            past += 1
            note('past-edge', pi, l, 'past by %.2f' % (l.x1 - edge))
        if l.x1 > edge + allowance(l):
            overfull += 1
            note('overfull', pi, l, 'past by %.2f' % (l.x1 - edge))
        if (len(l.words) >= 4 and edge - 4 * em < l.x1 < edge - TOL
                and i + 1 < len(body)):
            pn, n = body[i + 1]
            if (pn == pi and abs(n.base - l.base - leading) < 0.5 and abs(n.x0 - l.x0) < 0.5
                    and not LABEL.match(n.words[0].t)):
                ragged += 1
                note('ragged-lines', pi, l, 'short by %.2f' % (edge - l.x1))
    hang_median = statistics.median(hangs) if hangs else 0.0

    # capitalised words hyphenated
    vocab = collections.Counter()
    for pi, l in body:
        for w in l.words[:-1] if hyphen_end(l) else l.words:
            vocab[w.t.strip('.,;:!?\'"()[]\u2018\u2019\u201c\u201d').lower()] += 1
    caps = 0
    for i, (pi, l) in enumerate(body):
        if not hyphen_end(l):
            continue
        w = l.words[-1].t
        part = w[:-1]
        # the word: after any hyphen or dash of the text before the break
        part = re.split(r'[-\u2010\u2013\u2014/]', part)[-1]
        part = part.lstrip('\'"(\u2018\u201c[')
        if not part or not part[0].isupper():
            continue
        allcaps = part.isupper() and len(part) > 1
        if len(l.words) > 1:
            prev = l.words[-2].t
        elif i > 0:
            prev = body[i - 1][1].words[-1].t
        else:
            prev = '.'
        if (not allcaps and SENTENCE_END.search(prev) and not ABBREVIATION.fullmatch(prev)
                and part == w[:-1].lstrip('\'"(\u2018\u201c[')):
            continue
        nxt = body[i + 1][1].words[0].t if i + 1 < len(body) else ''
        nxt_word = re.split(r'[\s.,;:!?)\]\'"\u2019\u201d]', nxt)[0]
        if w[-1] == '\u00ad':
            broken = True
        else:
            joined = (part + nxt_word).lower()
            with_hyphen = (part + '-' + nxt_word).lower()
            if vocab[joined]:
                broken = True
            elif vocab[with_hyphen]:
                broken = False
            else:
                broken = bool(nxt_word) and nxt_word[0].islower()
        if broken:
            caps += 1
            note('capitalised-hyphenated', pi, l, '%s|%s' % (part, nxt_word))

    # running heads cut
    heads_cut = 0
    for pi, inf in enumerate(info):
        for h in inf['heads']:
            t = h.text.rstrip()
            if t.endswith('\u2026') or t.endswith('...'):
                heads_cut += 1
                note('heads-cut', pi, h, 'cut')

    # the grid
    firsts = [round(inf['cand'][0].y1, 1) for inf in info
              if inf['cand'] and inf['cand'][0].body]
    y0 = mode(firsts, 0)
    on_grid = 0
    for pi, l in body:
        k = round((l.y1 - y0) / leading)
        if abs(l.y1 - (y0 + k * leading)) <= TOL:
            on_grid += 1
        else:
            note('grid-percent', pi, l, 'off by %.2f' % (l.y1 - (y0 + k * leading)))

    # widows and orphans: a paragraph's last line alone at the head of a
    # page, its first alone at the foot
    def starts(pi, l):
        """Whether body line l begins a paragraph: a list label, or the line
        above it in the block is not one leading above, or is no body line
        and short of the edge (a heading, a caption), or l is
        indented from it, or starts left of it (after a list or a quote,
        not after a paragraph's indented first line).
        (A line above that ends short is no sign: a line may end short
        inside a paragraph, at an address it cannot stretch.)"""
        if LABEL.match(l.words[0].t):
            return True
        above = [r for r in info[pi]['rest'] if r.base < l.base - 0.1]
        if not above:
            return False   # the block's first line: seen from the page before
        a = max(above, key=lambda r: r.base)
        # (a list item's first line: its text starts after the label)
        ax = a.words[1].x0 if LABEL.match(a.words[0].t) and len(a.words) > 1 else a.x0
        # (a line mostly of inline code is no body line, but one of the
        # paragraph when it reaches the edge)
        if (abs(l.base - a.base - leading) > 0.5 or (not a.body and not at_edge(pi, a))
                or l.x0 > ax + 1):
            return True
        # indented from the page's left edge after a line that ends short
        # (one-line paragraphs, each indented, as a play's)
        if l.x0 > info[pi]['left'] + 1 and a.x1 < edge_of(pi, a) - TOL:
            return True
        # left of the line above: after a list or a quote, not after a
        # paragraph's indented first line
        return l.x0 < a.x0 - 1 and (bool(LABEL.match(a.words[0].t)) or not starts(pi, a))

    def continues(pi, l):
        """Whether l, the first line of page pi's block, goes on with a
        paragraph: not a label, not indented from the page's left edge
        or from the line below it."""
        if LABEL.match(l.words[0].t):
            return False
        below = [b for b in info[pi]['cand'] if b.body and b.base > l.base + 0.1]
        x = min([b.x0 for b in below[:1]] + [info[pi]['left']])
        return l.x0 <= x + 1

    widows = orphans = 0
    for pi in range(len(info) - 1):
        here = [l for l in info[pi]['cand'] if l.body]
        nxt = [l for l in info[pi + 1]['cand'] if l.body]
        if not here or not nxt:
            continue
        last, first = here[-1], nxt[0]
        if not at_edge(pi, last):
            continue
        if info[pi + 1]['rest'] and info[pi + 1]['rest'][0] is not first:
            continue
        if not continues(pi + 1, first):
            continue
        if starts(pi, last):
            orphans += 1
            note('orphan-lines', pi, last, 'alone at the foot')
        rest = nxt[1:]
        if not at_edge(pi + 1, first) and (not rest or starts(pi + 1, rest[0])):
            widows += 1
            note('widow-lines', pi + 1, first, 'alone at the head')

    # pages that end short
    mid = 0
    short = 0
    most_short = 0.0
    for pi, inf in enumerate(info):
        if not any(l.body for l in inf['cand']):
            continue
        if pi + 1 >= len(info) or not info[pi + 1]['heads']:
            continue
        if not any(l.body for l in info[pi + 1]['cand']):
            continue
        mid += 1
        last = max(l.y1 for l in inf['rest'])
        lines_short = (bottom - last) / leading
        if lines_short >= 1.5 and not args.no_pictures:
            width, height, _ = pages[pi]
            edge = inf['edge'] or width
            if ink_below(pdf, pi + 1, width, height, last + 1, bottom - 0.5 * leading,
                         inf['left'], edge):
                lines_short = 0.0
        if lines_short >= 1.5:
            short += 1
            show['short-pages'].append('p%d: ends %.2f lines short' % (pi + 1, lines_short))
        most_short = max(most_short, lines_short)

    nb = len(body)
    nj = len(justified)
    figs = collections.OrderedDict()
    figs['pages'] = len(pages)
    figs['body-size'] = round(size, 2)
    figs['leading'] = round(leading, 2)
    figs['body-lines'] = nb
    figs['justified-lines'] = nj
    figs['widest-space'] = round(widest, 2)
    figs['loose-lines'] = loose
    figs['loose-percent'] = round(100.0 * loose / nj, 2) if nj else 0.0
    figs['space-p95'] = round(p95, 2)
    figs['lowest-mean-space'] = round(lowest, 2)
    figs['hyphenated-lines'] = hyph
    figs['hyphenated-percent'] = round(100.0 * hyph / nb, 1) if nb else 0.0
    figs['hyphen-run'] = best_run
    figs['hyphen-hang-median'] = round(hang_median, 2)
    figs['past-edge'] = past
    figs['overfull'] = overfull
    figs['ragged-lines'] = ragged
    figs['ragged-percent'] = round(100.0 * ragged / nb, 2) if nb else 0.0
    figs['mid-chapter-pages'] = mid
    figs['short-pages'] = short
    figs['most-short'] = round(most_short, 2)
    figs['grid-percent'] = round(100.0 * on_grid / nb, 1) if nb else 0.0
    figs['heads-cut'] = heads_cut
    figs['capitalised-hyphenated'] = caps
    figs['widow-lines'] = widows
    figs['orphan-lines'] = orphans
    return figs, show


def check_limits(figs, path):
    bad = []
    with open(path, encoding='utf-8') as f:
        for no, raw in enumerate(f, 1):
            line = raw.split('#', 1)[0].strip()
            if not line:
                continue
            m = re.fullmatch(r'([a-z0-9-]+)\s*(<=|>=|==|<|>)\s*(-?[0-9.]+)', line)
            if not m:
                sys.exit('measure.py: %s:%d: not a limit: %s' % (path, no, raw.strip()))
            name, op, lim = m.group(1), m.group(2), float(m.group(3))
            if name not in figs:
                sys.exit('measure.py: %s:%d: no figure %s' % (path, no, name))
            v = figs[name]
            ok = {'<=': v <= lim, '>=': v >= lim, '==': v == lim,
                  '<': v < lim, '>': v > lim}[op]
            if not ok:
                bad.append('%s %s, limit %s %s' % (name, v, op, m.group(3)))
    return bad


def main():
    ap = argparse.ArgumentParser(
        description='The typographic figures of issue 21 for a PDF '
                    '(see the header of tests/measure.py for their definitions).')
    ap.add_argument('pdf')
    ap.add_argument('--json', action='store_true', help='print a JSON object')
    ap.add_argument('--body-size', type=float, help='the body font size in pt '
                    '(default: the most common line box height / --box-ratio)')
    ap.add_argument('--leading', type=float, help='the leading in pt (default: the '
                    'most common distance between consecutive body baselines)')
    ap.add_argument('--box-ratio', type=float, default=1.14,
                    help="a word box's height over the font size (Linux Libertine: 1.14)")
    ap.add_argument('--limits', help='check the figures against FILE; exit 1 if any is out')
    ap.add_argument('--show', metavar='FIGURE', help='list the lines FIGURE counts')
    ap.add_argument('--no-pictures', action='store_true',
                    help='do not look for figures at short pages\' feet with pdftoppm')
    args = ap.parse_args()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    figs, show = measure(args.pdf, args)
    if args.show:
        if args.show not in figs:
            sys.exit('measure.py: no figure %s' % args.show)
        for s in show.get(args.show, []):
            print(s)
        return 0
    if args.limits:
        bad = check_limits(figs, args.limits)
        for b in bad:
            print(b)
        return 1 if bad else 0
    if args.json:
        print(json.dumps(figs, indent=1))
    else:
        for k, v in figs.items():
            print(k, v)
    return 0


if __name__ == '__main__':
    sys.exit(main())
