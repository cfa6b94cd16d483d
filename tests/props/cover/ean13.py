#!/usr/bin/env python3
"""tests/props/cover/ean13.py COVER.pdf X Y W H  (points, from the page's top left)

Reads the EAN-13 barcode drawn in the box X, Y, W, H of the cover's one page
from its pixels (pdftoppm -gray at 600 dpi): on each pixel row, the white
ground's span, the bars inside it (the first and last dark pixels: the
guard bars), 95 modules sampled at their centres, the guards checked
(101, 01010, 101), the twelve digits decoded from the L, G and R codes,
the first from the L/G parity of the left half, the check digit checked.
Prints the 13 digits the most rows read (or nothing), the module's width
in mm and the white quiet zones left and right of the bars in modules
(of the first row read), and the words pdftotext -bbox finds in the box,
one line each: 'barcode DIGITS', 'module MM LEFT RIGHT', 'words W1 W2 ...'."""
import collections, re, subprocess, sys

pdf = sys.argv[1]
x, y, w, h = (float(v) for v in sys.argv[2:6])
dpi = 600
s = dpi / 72   # pixels a point
ppm = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-x", str(int(x * s)),
                      "-y", str(int(y * s)), "-W", str(int(w * s)), "-H",
                      str(int(h * s)), pdf], capture_output=True, check=True).stdout
m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", ppm)
pw, ph = int(m.group(1)), int(m.group(2))
px = ppm[m.end():]

L = ["0001101", "0011001", "0010011", "0111101", "0100011",
     "0110001", "0101111", "0111011", "0110111", "0001011"]
R = ["".join("1" if c == "0" else "0" for c in code) for code in L]
G = [code[::-1] for code in R]
FIRST = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
         "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]

def decode(row):
    white = [i for i, v in enumerate(row) if v > 200]
    if not white:
        return None
    g0, g1 = white[0], white[-1]
    dark = [i for i in range(g0, g1) if row[i] < 100]
    if len(dark) < 2:
        return None
    b0, b1 = dark[0], dark[-1] + 1
    mod = (b1 - b0) / 95
    bits = "".join("1" if row[int(b0 + (i + 0.5) * mod)] < 128 else "0"
                   for i in range(95))
    if bits[:3] != "101" or bits[45:50] != "01010" or bits[92:] != "101":
        return None
    digits, parity = [], ""
    for i in range(6):
        c = bits[3 + 7 * i: 10 + 7 * i]
        if c in L:
            digits.append(L.index(c)); parity += "L"
        elif c in G:
            digits.append(G.index(c)); parity += "G"
        else:
            return None
    for i in range(6):
        c = bits[50 + 7 * i: 57 + 7 * i]
        if c not in R:
            return None
        digits.append(R.index(c))
    if parity not in FIRST:
        return None
    digits.insert(0, FIRST.index(parity))
    if sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10:
        return None
    return "".join(map(str, digits)), (mod / s / 72 * 25.4, (b0 - g0) / mod, (g1 + 1 - b1) / mod)

reads, size = collections.Counter(), None
for r in range(0, ph, 4):
    got = decode(px[r * pw:(r + 1) * pw])
    if got:
        reads[got[0]] += 1
        size = size or got[1]
print("barcode " + (reads.most_common(1)[0][0] if reads else ""))
print("module %.3f %.1f %.1f" % size if size else "module")
out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True,
                     text=True, check=True).stdout
words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in
         re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                    r'yMax="([\d.]+)">([^<]*)</word>', out)]
print("words " + " ".join(t for a, b, c, d, t in words
                          if a >= x - 0.5 and c <= x + w + 0.5 and
                          b >= y - 0.5 and d <= y + h + 0.5))
