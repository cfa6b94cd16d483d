"""Notes and list numbers in the typography sampler, read from the PDF
(mutool trace):
- a footnote's number hangs in the margin: it ends left of the text
  block's edge (where the body's lines start), on the baseline of its
  note's first line, whose text starts at that edge, as its next line
  does (the text keeps the measure);
- the numbers of an ordered list and of the notes are in the text's
  figures: their 1 is the old-style 1 of the running text's 1949."""
import sys
sys.path.insert(0, "..")
from trace_words import words, text

ws = list(words(sys.argv[1]))
bad = []
body = [w for w in ws if text(w) == "A" and w[0]["size"] > 10]
edge = body[0][0]["x"] if body else None
if edge is None:
    bad.append("the paragraph's first word was not found")
one = None
for w in ws:
    if text(w) == "1949" and w[0]["size"] > 10:
        one = (w[0]["font"], w[0]["glyph"])
        break
notes = {"1": ("Nations", "of"), "2": ("A", "second")}
for num, (first, second) in notes.items():
    hit = False
    for i, w in enumerate(ws[:-2]):
        if text(w) != num or text(ws[i + 1]) != first or text(ws[i + 2]) != second:
            continue
        if w[0]["size"] > 10 or abs(w[0]["y"] - ws[i + 1][0]["y"]) > 0.1:
            continue
        hit = True
        n, f = w, ws[i + 1]
        right = n[-1]["x"] + n[-1]["adv"]
        if edge is not None and right > edge - 1:
            bad.append("note %s: its number ends at %.2f, not in the margin (the text starts at %.2f)"
                       % (num, right, edge))
        if edge is not None and abs(f[0]["x"] - edge) > 0.3:
            bad.append("note %s: its text starts at %.2f, not at the text's edge %.2f"
                       % (num, f[0]["x"], edge))
        if one and num == "1" and (n[0]["font"], n[0]["glyph"]) != one:
            bad.append("note 1: its number is not the text's old-style 1")
    if not hit:
        bad.append("note %s was not found as its number, then '%s %s' on one line" % (num, first, second))
# the second line of note 2 starts at the edge too
for i, w in enumerate(ws):
    if text(w) == "that" and i + 2 < len(ws) and text(ws[i + 1]) == "its" and text(ws[i + 2]) == "second":
        if edge is not None and abs(w[0]["x"] - edge) > 0.3:
            bad.append("note 2's second line starts at %.2f, not at %.2f" % (w[0]["x"], edge))
        break
else:
    bad.append("note 2's second line was not found")
# the list's numbers
label = [w for w in ws if text(w) == "1." and w[0]["size"] > 10]
if not label:
    bad.append("the list's number 1. was not found")
elif one and (label[0][0]["font"], label[0][0]["glyph"]) != one:
    bad.append("the list's 1. is not the text's old-style 1")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
