#!/usr/bin/env python3
"""tests/lines/spaces-check.py PDF [--widest W] [--loose L] [--ragged N]
[--min-justified N] - the word spaces of the PDF's body lines, measured
from pdftotext -bbox-layout (issue 21, section 3):

- a page's body lines are its lines of the most common height (the text's
  size), its text block's right edge the most common end of those that end
  in a letter; a justified line is a body line of 4 words or more that
  ends at that edge (within 0.5 pt; a line that ends in a hanging
  character, margin kerning's, up to 0.5 em + 0.5 pt past it: the edge and
  the hanging characters are tests/measure.py's, imported from it);
- a word space is the gap between two words of a line over Linux
  Libertine's space at 10.5 pt (2.6 pt);
- no justified line has a space wider than W (default 1.75), nor a mean
  space over L (default 1.5) or under 0.66;
- a ragged line (a body line of 4 words or more that ends short of the
  edge, 3 pt or more, and is followed on its page by a body line that
  starts at the left edge: not a paragraph's last) has no space wider
  than a normal one (3 % more for rounding) and does not end at a
  hyphenation (U+00AD); with --ragged N, there are
  N such lines at least;
- with --min-justified N, N justified lines at least are measured.

Prints one line per problem; exits 1 if there is any."""
import collections
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True   # (no tests/__pycache__ in the tree)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from measure import HANGING, TOL  # noqa: E402 (tests/measure.py)

SPACE = 0.25 * 10.5  # Linux Libertine's space, 0.25 em, at the body's 10.5 pt (as tests/measure.py)


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    pdf = args.pop(0)
    opt = {'--widest': 1.75, '--loose': 1.5, '--ragged': 0, '--min-justified': 0}
    while args:
        k = args.pop(0)
        if k not in opt or not args:
            print('bad option ' + k)
            return 2
        opt[k] = float(args.pop(0))
    try:
        out = subprocess.run(['pdftotext', '-bbox-layout', pdf, '-'], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print('pdftotext cannot read %s: %s' % (pdf, e))
        return 1
    out = re.sub(r'<!DOCTYPE[^>]*>', '', out).replace('xmlns="http://www.w3.org/1999/xhtml"', '')
    root = ET.fromstring(out)
    bad = []
    justified = ragged = 0
    for pn, page in enumerate(root.iter('page'), 1):
        lines = []
        for line in page.iter('line'):
            ws = [(float(w.get('xMin')), float(w.get('xMax')), float(w.get('yMin')),
                   float(w.get('yMax')), w.text or '') for w in line.iter('word')]
            if ws:
                lines.append(ws)
        if not lines:
            continue
        height = collections.Counter(round(ws[0][3] - ws[0][2], 1) for ws in lines)
        h = height.most_common(1)[0][0]
        body = [ws for ws in lines if abs(ws[0][3] - ws[0][2] - h) < 0.3]
        ends = collections.Counter(round(ws[-1][1] * 2) / 2 for ws in body
                                   if ws[-1][4][-1:].isalpha())
        starts = collections.Counter(round(ws[0][0] * 2) / 2 for ws in body)
        if not ends:
            continue
        edge = ends.most_common(1)[0][0]
        left = starts.most_common(1)[0][0]
        for k, ws in enumerate(body):
            if len(ws) < 4:
                continue
            gaps = [(ws[i + 1][0] - ws[i][1]) / SPACE for i in range(len(ws) - 1)]
            text = ' '.join(w[4] for w in ws)
            past = ws[-1][1] - edge
            em = (ws[-1][3] - ws[-1][2]) / 1.14
            if abs(past) <= TOL or (ws[-1][4][-1:] in HANGING and 0 < past <= 0.5 * em + TOL):
                justified += 1
                mean = sum(gaps) / len(gaps)
                if max(gaps) > opt['--widest']:
                    bad.append('page %d: a space %.2f times the normal one: %s' % (pn, max(gaps), text))
                if mean > opt['--loose']:
                    bad.append('page %d: spaces %.2f times the normal one on average: %s' % (pn, mean, text))
                if mean < 0.66:
                    bad.append('page %d: spaces %.2f times the normal one on average: %s' % (pn, mean, text))
            elif (ws[-1][1] < edge - 3 and k + 1 < len(body) and abs(body[k + 1][0][0] - left) < 0.5
                  and abs(ws[0][0] - left) < 20):
                ragged += 1
                if ws[-1][4].endswith('\u00ad'):
                    bad.append('page %d: a line short of the margin ends at a hyphen: %s' % (pn, text))
                if max(gaps) > 1.03:
                    bad.append('page %d: a line short of the margin has a space %.2f times the normal one: %s'
                               % (pn, max(gaps), text))
    if ragged < opt['--ragged']:
        bad.append('%d ragged lines, expected %d or more' % (ragged, opt['--ragged']))
    if justified < opt['--min-justified']:
        bad.append('%d justified lines measured, expected %d or more' % (justified, opt['--min-justified']))
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
