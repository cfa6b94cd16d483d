"""Every word in capitals of the typography sampler (NATO, SCO, НАТО)
is in small capitals wherever it is drawn (running text, a table's cells,
a heading, the contents, a note), read from the PDF: its first letter is
not the glyph, or not the size, of the capital that opens the word before
it on its line (Nations NATO, Second SCO, Item II, Нация НАТО); its
letters are spaced apart by 5 to 10 % of the line's type size.  The
roman numeral II keeps its capitals (the glyph of the I before it).  Inline
code keeps its capitals (`NATO` in DejaVu Sans Mono)."""
import sys
sys.path.insert(0, "..")
from trace_words import words, text

CAPS = {"NATO": "Nation", "SCO": "Second", "II": "I", "НАТО": "Нация"}
# a roman numeral keeps its capitals (Chapter II as Chapter I): II is the
# glyph of the I before it, unspaced
ROMAN = {"II"}
pdf = sys.argv[1]
ws = list(words(pdf))
seen = {}
bad = 0
for i, w in enumerate(ws):
    t = text(w).strip(".,:;()")
    if t not in CAPS:
        continue
    if "Mono" in w[0]["font"]:
        seen["code"] = seen.get("code", 0) + 1
        continue
    # the capital before it on its line: the latest word that starts with
    # the same letter in mixed case (Nations, Second, Item, In, Нация)
    ref = None
    for v in reversed(ws[max(0, i - 12):i]):
        if v[0]["page"] == w[0]["page"] and abs(v[0]["y"] - w[0]["y"]) < 0.5 and \
           v[0]["u"] == t[0] and len(text(v)) > 1 and not text(v).isupper():
            ref = v
            break
    if ref is None:
        continue
    seen[t] = seen.get(t, 0) + 1
    a, b = w[0], ref[0]
    same = a["font"] == b["font"] and a["glyph"] == b["glyph"] and abs(a["size"] - b["size"]) < 0.01
    where = "page %d, y %.0f" % (a["page"], a["y"])
    if t in ROMAN:
        if not same:
            print("%s (%s) is not in capitals, as the %s before it" % (t, where, text(ref)))
            bad = 1
        continue
    if same:
        print("%s (%s) is in capitals, as the %s before it" % (t, where, text(ref)))
        bad = 1
    base = b["size"]
    lt = [c for c in w if c["u"].isalpha()]
    # the widest gap between its letters: a kerned pair (AT, TO) is
    # closer by its kern
    gap = max(d["x"] - c["x"] - c["adv"] for c, d in zip(lt, lt[1:]))
    if not 0.05 * base - 0.05 <= gap <= 0.10 * base + 0.05:
        print("%s (%s): its letters are %.2f pt apart, not 5-10%% of %.1f pt" %
              (t, where, gap, base))
        bad = 1
print(" ".join("%s:%d" % kv for kv in sorted(seen.items())), file=sys.stderr)
for t in CAPS:
    if not seen.get(t):
        print("%s: not found beside its capital word" % t)
        bad = 1
if not seen.get("code"):
    print("the inline code NATO was not found in the code face")
sys.exit(bad)
