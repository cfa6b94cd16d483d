#!/usr/bin/env python3
"""tests/props/cover/wrap.py COVER.pdf INTERIOR.pdf PER_PAGE_IN SPINE_ADD_IN
BLEED_IN SPINE_TEXT_MIN SPINE_MARGIN_IN BARCODE_W_IN BARCODE_H_IN SAFETY_IN
[DESCRIPTION [BARCODE]]

Checks a full-wrap cover (gsi-book cover) against its interior, from the
PDFs alone: one page, (2 x trim + pages x PER_PAGE + SPINE_ADD + 2 x
BLEED) wide and trim + 2 x BLEED tall, the trim and page count being the
interior's (pdfinfo); text on the spine (pdftotext -bbox) only when the
interior has at least SPINE_TEXT_MIN pages and the spine leaves room for
a line of 4 pt (5 pt) within SPINE_MARGIN of each fold, and then within
the spine's margins and the safety margin at its ends;
the title on the front; the barcode area (BARCODE_W x BARCODE_H at the
back's bottom right, SAFETY inside the trim) one flat colour (pdftoppm);
its TrimBox the page less the bleed, its BleedBox the page; every word
of back and front inside the SAFETY margin; the back carries DESCRIPTION
(the 10th argument) when given.  With BARCODE (13 digits), the barcode
area holds that EAN-13 barcode instead, read from its pixels (ean13.py),
its module 0.264 to 0.33 mm, its quiet zones 11 and 7 modules,
its digits below it and "ISBN ..." above it as text.
Prints what is wrong, one problem a line."""
import re, subprocess, sys

cover, interior = sys.argv[1], sys.argv[2]
per_page, add, bleed = (float(x) * 72 for x in sys.argv[3:6])
text_min = int(sys.argv[6])
spine_margin, bw, bh, safety = (float(x) * 72 for x in sys.argv[7:11])
description = sys.argv[11] if len(sys.argv) > 11 else None
barcode = sys.argv[12] if len(sys.argv) > 12 else None

def info(pdf):
    out = subprocess.run(["pdfinfo", "-box", pdf], capture_output=True,
                         text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    w, h = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", out,
                                re.M).groups())
    trim = re.search(r"^TrimBox:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)",
                     out, re.M)
    t = [float(v) for v in trim.groups()] if trim else [0, 0, w, h]
    return pages, w, h, t[2] - t[0], t[3] - t[1]

pages, _, _, tw, th = info(interior)
n, w, h, _, _ = info(cover)
boxes = subprocess.run(["pdfinfo", "-box", cover], capture_output=True,
                       text=True, check=True).stdout
def box(name):
    m = re.search(r"^" + name + r":\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)",
                  boxes, re.M)
    return [float(v) for v in m.groups()]
want_trim = [bleed, bleed, w - bleed, h - bleed]
if any(abs(a - b) > 0.01 for a, b in zip(box("TrimBox"), want_trim)):
    print(f"the cover's TrimBox is {box('TrimBox')}, not the page less the "
          f"bleed {want_trim}")
if any(abs(a - b) > 0.01 for a, b in zip(box("BleedBox"), [0, 0, w, h])):
    print(f"the cover's BleedBox is {box('BleedBox')}, not the page")
if n != 1:
    print(f"the cover has {n} pages, not 1")
spine = pages * per_page + add
want_w, want_h = 2 * tw + spine + 2 * bleed, th + 2 * bleed
if abs(w - want_w) > 0.01 or abs(h - want_h) > 0.01:
    print(f"the cover is {w:.3f} x {h:.3f} pt, not {want_w:.3f} x {want_h:.3f} "
          f"(trim {tw:.2f} x {th:.2f}, {pages} pages, spine {spine:.3f})")
spine_x0, spine_x1 = bleed + tw, bleed + tw + spine
front_x = spine_x1

bbox = subprocess.run(["pdftotext", "-bbox", cover, "-"], capture_output=True,
                      text=True, check=True).stdout
words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in
         re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                    r'yMax="([\d.]+)">([^<]*)</word>', bbox)]
on_spine = [x for x in words if x[2] > spine_x0 and x[0] < spine_x1]
if pages >= text_min and spine - 2 * spine_margin >= 5:
    if not on_spine:
        print(f"no text on the spine of a {pages}-page book")
    for x0, y0, x1, y1, t in on_spine:
        if (x0 < spine_x0 + spine_margin - 0.01 or
                x1 > spine_x1 - spine_margin + 0.01):
            print(f"spine word '{t}' at x {x0:.2f}..{x1:.2f} is nearer a "
                  f"fold of the spine {spine_x0:.2f}..{spine_x1:.2f} than "
                  f"{spine_margin:.2f}")
        if y0 < bleed + safety - 0.01 or y1 > bleed + th - safety + 0.01:
            print(f"spine word '{t}' at y {y0:.2f}..{y1:.2f} lies outside "
                  f"the safety margin")
    if on_spine:
        ys = [x[1] for x in on_spine]
        height = max(x[3] for x in on_spine) - min(ys)
        width = max(x[2] for x in on_spine) - min(x[0] for x in on_spine)
        if height <= width:
            print(f"the spine text runs across the spine ({width:.1f} pt "
                  f"wide, {height:.1f} tall), not down it")
        if ys != sorted(ys):
            print("the spine text does not read from top to bottom: "
                  + " ".join(f"{x[4]}@{x[1]:.0f}" for x in on_spine))
elif on_spine:
    print(f"text on the spine of a {pages}-page book (allowed from "
          f"{text_min}; the spine {spine / 72:.3f} in): "
          f"{' '.join(x[4] for x in on_spine)}")
if not [x for x in words if x[0] >= front_x]:
    print("no text on the front")
# every word of the back and the front inside the safety margin
for name, x0 in (("back", bleed), ("front", front_x)):
    for a, b, c, e, t in words:
        if c <= x0 or a >= x0 + tw:
            continue
        if (a < x0 + safety - 0.01 or c > x0 + tw - safety + 0.01 or
                b < bleed + safety - 0.01 or e > bleed + th - safety + 0.01):
            print(f"{name} word '{t}' at ({a:.1f}, {b:.1f})-({c:.1f}, {e:.1f}) "
                  f"lies outside the {safety / 72:.3f} in safety margin")
back = " ".join(x[4] for x in words if x[2] <= bleed + tw)
if description and description not in back:
    print(f"the back does not carry the description ('{description}'): "
          f"'{back[:80]}'")

# the barcode area: the barcode it holds, or at 72 dpi one colour
bx = bleed + tw - safety - bw
by = bleed + th - safety - bh
if barcode:
    import os
    read = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "ean13.py"),
                           cover, str(bx), str(by), str(bw), str(bh)],
                          capture_output=True, text=True, check=True).stdout.splitlines()
    if read[0] != "barcode " + barcode:
        print(f"the barcode area does not read as EAN-13 {barcode}: '{read[0]}'")
    size = read[1].split()[1:]
    # EAN-13: a module of 0.33 mm at 100 %, 80 % at least; quiet zones of
    # 11 modules left and 7 right (a pixel's rounding allowed)
    if len(size) != 3 or not 0.262 <= float(size[0]) <= 0.335:
        print(f"the barcode's module is {size[:1]} mm, not 0.264 to 0.33")
    elif float(size[1]) < 10.5 or float(size[2]) < 6.5:
        print(f"the barcode's quiet zones are {size[1]} and {size[2]} modules, not 11 and 7")
    words = read[2].split()[1:]
    if "".join(w for w in words if w.isdigit()) != barcode:
        print(f"the barcode's digits below it are not {barcode}: {words}")
    if "ISBN" not in words:
        print(f"no 'ISBN ...' above the barcode: {words}")
else:
    ppm = subprocess.run(["pdftoppm", "-r", "72", "-x", str(int(bx + 1)),
                          "-y", str(int(by + 1)), "-W", str(int(bw - 2)),
                          "-H", str(int(bh - 2)), cover], capture_output=True,
                         check=True).stdout
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)
    pixels = ppm[m.end():]
    colours = {pixels[i:i + 3] for i in range(0, len(pixels), 3)}
    if len(colours) != 1:
        print(f"the barcode area ({bw / 72:.2f} x {bh / 72:.2f} in at the back's "
              f"bottom right) is not empty: {len(colours)} colours")
