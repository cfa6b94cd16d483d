#!/usr/bin/env python3
"""make-pdf.py OUT.pdf - a four-page PDF whose tests/measure.py figures are
known by construction (./expected): 10 pt Courier (every character 6 pt
wide), a measure from x = 50 to 350 pt, a leading of 14 pt, the normal
space 2.5 pt (0.25 em).  A justified line of 5 words and C characters that
ends h pt past the edge has 4 spaces of (300 + h - 6C) / 4 pt each; the
line specs below give C, h and the mean space they make.

page 1 (a chapter's opener: no running head; first line 60 pt lower, off
  the grid by 4 pt a line): mean 1.2; mean 2.4 with spaces 5 5 5 9 pt (the
  widest, 3.6x); mean 1.2 ending in "Kaza-" at the edge (a capitalised
  word hyphenated: "khstan" follows); "khstan is big." (ends the
  paragraph).  It ends 24 pt (1.71 lines) above the block's bottom.
page 2 (head "THE HEAD", folio "2" below the block): 1.2; 1.8 (loose);
  three hyphenated lines in a row, hanging 1.2, 1.2 and 2 pt past the edge
  ("end. Some-" at a sentence's start and "Anglo-" "Saxon", the text's own
  hyphen: neither counted as a capitalised word hyphenated); 1.2; a line 3
  pt past the edge ending in a letter (past the edge, overfull); a line
  ending in a comma 2 pt past (hanging, within the allowance); a line
  ending in a hyphen 7 pt past (overfull); 0.6 (the lowest).
page 3 (head "A LONG HEAD THAT WAS..." cut): 1.2; a table row ("Date",
  "Event" 100 pt apart: not a body line); 1.2 x 3; "end of it."; then a
  black box 40 pt high below the text (a figure: the page is not short).
page 4 (head): a line ending 26 pt short of the edge followed by another
  starting at the same x (gone ragged); 1.2; "the end."

make-pdf.py OUT.pdf widows - three other pages, each with a head, a
paragraph's first line indented 10 pt: a paragraph's first line alone at
the foot of page 1 (an orphan) going on at the head of page 2; page 2
ends with a paragraph's first two lines, whose last line, "widow line.",
stands alone at the head of page 3 (a widow), before a paragraph.
"""
import sys

H = 260.0
LEFT, EDGE = 50.0, 350.0
LETTERS = 'etaoinshrdlucmfwypvbgkqjxz'


def words_of(total, n=5, first=None, last=None, seed=0, pen=None):
    """n words of `total` characters in all, beginning and ending as asked."""
    ws = [first, *([None] * (n - 3)), pen, last]
    fixed = sum(len(w) for w in ws if w)
    free = [i for i, w in enumerate(ws) if not w]
    rest = total - fixed
    k = seed
    for j, i in enumerate(free):
        ln = rest // len(free) + (1 if j < rest % len(free) else 0)
        s = ''
        for _ in range(ln):
            s += LETTERS[k % len(LETTERS)]
            k += 7
        ws[i] = s
    return ws


def justified(total, hang=0.0, weights=(1, 1, 1, 1), first=None, last=None, seed=0, pen=None):
    ws = words_of(total, first=first, last=last, seed=seed, pen=pen)
    gaps = 300 + hang - 6 * total
    return ws, [gaps * w / sum(weights) for w in weights]


def indented(total, seed):
    """A paragraph's first line, 10 pt in: its 4 spaces 2.5 pt narrower."""
    ws, gaps = justified(total, seed=seed)
    return ws, [g - 2.5 for g in gaps], LEFT + 10


def natural(words):
    return words, [2.5] * (len(words) - 1)


def line_ops(ws, gaps, y, x=LEFT, size=10):
    out = []
    for i, w in enumerate(ws):
        esc = w.replace('\\', '\\\\').replace('(', '\\(').replace(')', '\\)')
        out.append('BT /F1 %g Tf %.3f %.3f Td (%s) Tj ET' % (size, x, H - y, esc))
        x += 0.6 * size * len(w) + (gaps[i] if i < len(gaps) else 0)
    return out


def page(lines, head=None, folio=None, extra=()):
    ops = []
    if head:
        ops += line_ops(head.split(' '), [1.5] * 20, 30, size=8)
    for y, spec in lines:
        ops += line_ops(spec[0], spec[1], y, x=spec[2] if len(spec) > 2 else LEFT)
    if folio:
        ops += line_ops([folio], [], 230, x=200, size=8)
    ops += list(extra)
    return '\n'.join(ops)


def at(top, specs):
    return [(top + 14 * i, s) for i, s in enumerate(specs)]


pages = [
    page(at(120, [
        justified(48, seed=1),
        justified(46, weights=(5, 5, 5, 9), seed=2),
        justified(48, last='Kaza-', seed=3),
        natural(['khstan', 'is', 'big.']),
    ])),
    page(at(60, [
        justified(48, seed=4),
        justified(47, seed=5),
        justified(48, hang=1.2, pen='end.', last='Some-', seed=6),
        justified(48, hang=1.2, first='thing', last='Anglo-', seed=7),
        justified(48, hang=2.0, first='Saxon', last='wa-', seed=8),
        justified(48, first='ter', seed=9),
        justified(48, hang=3.0, seed=10),
        justified(48, hang=2.0, last='word,', seed=11),
        justified(48, hang=7.0, last='lo-', seed=12),
        justified(49, first='ng', seed=13),
    ]), head='THE HEAD', folio='2'),
    page(at(60, [
        justified(48, seed=14),
        (['Date'], [0]),
        justified(48, seed=15),
        justified(48, seed=16),
        justified(48, seed=17),
        natural(['end', 'of', 'it.']),
    ]), head='A LONG HEAD THAT WAS...', folio='3',
        extra=['0 g %.3f %.3f 300 40 re f' % (LEFT, H - 180)]),
    page(at(60, [
        natural(words_of(44, seed=18)),
        justified(48, seed=19),
        natural(['the', 'end.']),
    ]), head='THE HEAD', folio='4'),
]
# the table row's second cell, 100 pt right of "Date"
pages[2] = pages[2].replace('(Date) Tj ET', '(Date) Tj ET\nBT /F1 10 Tf 174.000 %.3f Td (Event) Tj ET' % (H - 74))


if sys.argv[2:] == ['widows']:
    pages = [
        page(at(60, [justified(48, seed=20), justified(48, seed=21), natural(['end.']),
                     indented(46, seed=26)]), head='THE HEAD', folio='1'),
        page(at(60, [justified(48, seed=22), natural(['ends', 'here.'])]) +
             [(88, indented(46, seed=23)), (102, justified(48, seed=24))],
             head='THE HEAD', folio='2'),
        page(at(60, [natural(['widow', 'line.'])]) + [(74, indented(46, seed=25))] +
             at(88, [natural(['end.'])]), head='THE HEAD', folio='3'),
    ]



def build(path):
    objs = ['<< /Type /Catalog /Pages 2 0 R >>', None,
            '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>']
    kids = []
    for content in pages:
        data = content.encode('latin-1')
        objs.append('<< /Length %d >>\nstream\n' % len(data) + content + '\nendstream')
        cn = len(objs)
        objs.append('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 419.5 %g] '
                    '/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>' % (H, cn))
        kids.append('%d 0 R' % len(objs))
    objs[1] = '<< /Type /Pages /Kids [%s] /Count %d >>' % (' '.join(kids), len(kids))
    out = b'%PDF-1.4\n'
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += ('%d 0 obj\n%s\nendobj\n' % (i, o)).encode('latin-1')
    x = len(out)
    out += ('xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)).encode()
    for o in offs:
        out += ('%010d 00000 n \n' % o).encode()
    out += ('trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, x)).encode()
    with open(path, 'wb') as f:
        f.write(out)


build(sys.argv[1])
