"""The typography sampler's tables, read from the PDF (mutool trace):
- an em or more of the table's type between two columns' text (the last
  word of a cell and the first of the next);
- a numeric column (every body cell a number or a dash) flush right,
  header included, its decimals aligned on their points, unless the
  table aligns it (Code: left), in lining
  tabular figures: its digits are not the running text's old-style ones
  (1949 in the paragraph), and all have one advance;
- the header row in italic."""
import sys
sys.path.insert(0, "..")
from trace_words import words, text

ws = [w for w in words(sys.argv[1])]
bad = []
def line_of(first, *rest):
    """The words of the table row that starts with first and holds rest."""
    for i, w in enumerate(ws):
        if text(w) != first:
            continue
        row = [v for v in ws if v[0]["page"] == w[0]["page"] and abs(v[0]["y"] - w[0]["y"]) < 0.5]
        row.sort(key=lambda v: v[0]["x"])
        got = [text(v) for v in row]
        if all(r in got for r in rest):
            return row
    bad.append("no row %s %s" % (first, " ".join(rest)))
    return None

def right(w):
    return w[-1]["x"] + w[-1]["adv"]

rows = {
    "Member": ("Member", "Joined", "Share", "Remark"),
    "Nation": ("Nation", "of", "NATO", "1949", "12.5%", "Founding", "member"),
    "Second": ("Second", "SCO", "2001", "3.75%", "Observer", "of", "the", "SCO"),
    "Item": ("Item", "II", "1952", "110.0%", "In", "World", "War", "II"),
    "Norway": ("Norway", "1949", "—", "Founding", "member,"),
}
# the first word of each column after the first, in each row
starts = {
    "Member": ["Joined", "Share", "Remark"],
    "Nation": ["1949", "12.5%", "Founding"],
    "Second": ["2001", "3.75%", "Observer"],
    "Item": ["1952", "110.0%", "In"],
    "Norway": ["1949", "—", "Founding"],
}
found = {}
for k, want in rows.items():
    row = line_of(*want)
    if not row:
        continue
    found[k] = row
    size = row[0][0]["size"]
    for s in starts[k]:
        i = [text(v) for v in row].index(s)
        gap = row[i][0]["x"] - right(row[i - 1])
        if gap < size - 0.05:
            bad.append("row %s: %.2f pt between '%s' and '%s', less than an em (%.2f pt)" %
                       (k, gap, text(row[i - 1]), s, size))
# a numeric column of whole numbers flush right, the header too; one of
# decimals aligned on its decimal points (12.5%, 3.75%, 110.0%)
points = []
for k in ("Nation", "Second", "Item"):
    for w in found.get(k, []):
        if "%" in text(w):
            points += [c["x"] for c in w if c["u"] == "."]
if len(points) != 3 or max(points) - min(points) > 0.3:
    bad.append("the Share column is not aligned on its decimal points: %s" %
               [round(x, 2) for x in points])
# in Russian, on the decimal comma
commas = [c["x"] for w in ws if text(w) in ("12,5", "3,75") for c in w if c["u"] == ","]
if len(commas) != 2 or max(commas) - min(commas) > 0.3:
    bad.append("the Russian column is not aligned on its decimal commas: %s" %
               [round(x, 2) for x in commas])
for col in ("Joined",):
    idx = rows["Member"].index(col)
    edges = []
    for k, row in found.items():
        name = starts[k][idx - 1]
        w = [v for v in row if text(v) == name][0]
        edges.append((right(w), k))
    if max(e for e, _ in edges) - min(e for e, _ in edges) > 0.3:
        bad.append("column %s is not flush right: %s" %
                   (col, ", ".join("%s %.2f" % (k, e) for e, k in edges)))
# figures: lining tabular in the columns, old-style in the text
text_one = None
for w in ws:
    if text(w) == "1949" and w[0]["size"] > 10:
        text_one = (w[0]["font"], w[0]["glyph"])
        break
digits = []
for k in ("Nation", "Second", "Item", "Norway"):
    if k not in found:
        continue
    for w in found[k]:
        if any(c["u"].isdigit() for c in w) and all(c["u"] in "0123456789.%" for c in w):
            digits += [c for c in w if c["u"].isdigit()]
if text_one is None:
    bad.append("the text's 1949 was not found")
else:
    for c in digits:
        if c["u"] == "1" and (c["font"], c["glyph"]) == text_one:
            bad.append("a numeric column's 1 is the running text's old-style 1")
            break
if len({round(c["adv"] / c["size"], 3) for c in digits}) != 1:
    bad.append("a numeric column's digits have different advances: %s" %
               sorted({(c["u"], round(c["adv"] / c["size"], 3)) for c in digits}))
# the header row in italic
if "Member" in found:
    for w in found["Member"]:
        if "Italic" not in w[0]["font"] and not w[0]["font"].endswith("OI"):
            bad.append("the header '%s' is not in italic (%s)" % (text(w), w[0]["font"]))
# a numeric column the table aligns left stays left: 7 and 12 start together
# a table narrower than the measure gives the room left to its column of
# words: the numbers stay beside their header, not flush right across a
# wide column
head = line_of("Code", "Count", "Meaning")
if head:
    code_h, count_h = head[0], [w for w in head if text(w) == "Count"][0]
    size = code_h[0]["size"]
    width = lambda w: right(w) - w[0]["x"]
    if right(count_h) - code_h[0]["x"] > width(code_h) + width(count_h) + size + 0.5:
        bad.append("the Count column is wider than its header and an em: it ends %.2f pt "
                   "from the table's start" % (right(count_h) - code_h[0]["x"]))
r1, r2 = line_of("7", "10"), line_of("12", "3")
if r1 and r2:
    code = [w for w in r1 + r2 if text(w) in ("7", "12")]
    count = [w for w in r1 + r2 if text(w) in ("10", "3")]
    if abs(code[0][0]["x"] - code[1][0]["x"]) > 0.3:
        bad.append("the Code column (aligned left by the table) is not flush left: %s" %
                   [(text(w), round(w[0]["x"], 2)) for w in code])
    if abs(right(count[0]) - right(count[1])) > 0.3:
        bad.append("the Count column is not flush right: %s" %
                   [(text(w), round(right(w), 2)) for w in count])
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
