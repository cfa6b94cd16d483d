#!/usr/bin/env python3
# tests/props/pdf/marks/marks.py PDF KIND ALT [LENGTH] - the printer's marks of
# every page of PDF, read from the file (qpdf --json): KIND "crop" (an
# interior page: two marks at each corner of its TrimBox, beyond its
# BleedBox) or "booklet" (a sheet: the folded spread's trim marks and a
# fold mark above and below its centre line); each mark LENGTH points long
# (18), in the registration colour: a stroke in a colour space that is
# [/Separation /All ALT ...] at tint 1 (ALT: /DeviceCMYK or /DeviceGray),
# set with CS/SCN in a content stream of the page's.  Prints what is wrong.
import base64, json, re, subprocess, sys

pdf, kind, alt = sys.argv[1], sys.argv[2], sys.argv[3]
length = float(sys.argv[4]) if len(sys.argv) > 4 else 18.0
out = subprocess.run(["qpdf", "--json=2", "--json-key=pages", "--json-key=qpdf",
                      "--json-stream-data=inline", "--decode-level=generalized", pdf],
                     capture_output=True, text=True)
if out.returncode not in (0, 3):
    print("qpdf --json failed:", out.stderr.strip())
    sys.exit(0)
j = json.loads(out.stdout)
objs = j["qpdf"][1]

def obj(ref):
    return objs.get("obj:" + ref, {})

def value(v):
    """A value with its references followed."""
    while isinstance(v, str) and re.fullmatch(r"\d+ \d+ R", v):
        v = obj(v).get("value")
    return v

def box(page, key):
    return [float(value(x)) for x in value(page.get(key))]

def tokens(data):
    return re.findall(rb"/[^\s/\[\]<>()]+|\[|\]|<<|>>|[-+]?\d*\.?\d+|[A-Za-z*']+", data)

bad = 0
for n, pg in enumerate(j["pages"], 1):
    if bad >= 5:
        break
    page = value(pg["object"])
    if not all(k in page for k in ("/TrimBox", "/BleedBox", "/MediaBox")):
        print(f"page {n}: no TrimBox, BleedBox or MediaBox")
        bad += 1
        continue
    trim, bleed, media = box(page, "/TrimBox"), box(page, "/BleedBox"), box(page, "/MediaBox")
    spaces = value(value(page.get("/Resources", {})).get("/ColorSpace", {})) or {}
    reg = set()
    for name, cs in spaces.items():
        cs = value(cs)
        if isinstance(cs, list) and len(cs) == 4 and value(cs[0]) == "/Separation" \
           and value(cs[1]) == "/All" and value(cs[2]) == alt:
            reg.add(name)
    segs = []   # the marks drawn in the registration colour at tint 1
    for ref in pg["contents"]:
        data = base64.b64decode(obj(ref).get("stream", {}).get("data", ""))
        stack, space, tint, path = [], None, None, []
        for t in tokens(data):
            if t == b"CS":
                space = stack[-1].decode() if stack else None
            elif t in (b"SCN", b"SC"):
                tint = float(stack[-1]) if stack else None
            elif t in (b"RG", b"G", b"K"):
                space = None
            elif t == b"m":
                path.append([float(stack[-2]), float(stack[-1])])
            elif t == b"l":
                path[-1] += [float(stack[-2]), float(stack[-1])]
            elif t == b"S":
                if space in reg and tint == 1:
                    segs += [p for p in path if len(p) == 4]
                path = []
            elif t == b"n":
                path = []
            if re.fullmatch(rb"[A-Za-z*']+", t):
                stack = []
            else:
                stack.append(t)
    if not reg:
        print(f"page {n}: no [/Separation /All {alt} ...] colour space in its resources")
        bad += 1
        continue
    def near(a, b):
        return abs(a - b) < 0.01
    want = []
    x0, y0, x1, y1 = trim
    for x in (x0, x1):
        for y in (y0, y1):
            want.append(("corner-h", x, y))
            want.append(("corner-v", x, y))
    if kind == "booklet":
        want.append(("fold", (x0 + x1) / 2, y0))
        want.append(("fold", (x0 + x1) / 2, y1))
    found = []
    for s in segs:
        ax, ay, bx, by = s
        if not (near(abs(bx - ax) + abs(by - ay), length) and (near(ax, bx) or near(ay, by))):
            print(f"page {n}: a mark {s} is not a straight line {length} pt long")
            bad += 1
            continue
        # outside the bleed, inside the media
        lo_x, hi_x, lo_y, hi_y = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
        if not (hi_x <= bleed[0] + 0.01 or lo_x >= bleed[2] - 0.01 or
                hi_y <= bleed[1] + 0.01 or lo_y >= bleed[3] - 0.01):
            print(f"page {n}: a mark {s} lies inside the BleedBox {bleed}")
            bad += 1
        if lo_x < media[0] - 0.01 or hi_x > media[2] + 0.01 or lo_y < media[1] - 0.01 or hi_y > media[3] + 0.01:
            print(f"page {n}: a mark {s} lies outside the MediaBox {media}")
            bad += 1
        for w in want:
            what, x, y = w
            if what == "corner-h" and near(ay, y) and near(by, y):
                if (x == x0 and hi_x < x) or (x == x1 and lo_x > x):
                    found.append(w)
            elif what in ("corner-v", "fold") and near(ax, x) and near(bx, x):
                if (y == y0 and hi_y < y) or (y == y1 and lo_y > y):
                    found.append(w)
    for w in want:
        if w not in found:
            print(f"page {n}: no {w[0]} mark at ({w[1]:.2f}, {w[2]:.2f}) in the registration colour")
            bad += 1
            break
