"""The words of a PDF's pages as drawn, read from `mutool trace`: each
glyph with its font, glyph name or number, size (the text matrix's scale),
position and advance; a word is a run of glyphs on one baseline between
spaces.  Shared by the typography checks (small capitals, tables, notes)."""
import re
import subprocess
import sys

SPAN = re.compile(r'<span font="([^"]*)".*?trm="([-0-9.e]+) ([-0-9.e]+) ([-0-9.e]+) ([-0-9.e]+)"')
GLYPH = re.compile(r'<g unicode="([^"]*)" glyph="([^"]*)" x="([-0-9.e]+)" y="([-0-9.e]+)" adv="([-0-9.e]+)"')
PAGE = re.compile(r'<page number="(\d+)"')


def unescape(u):
    return (u.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
            .replace("&apos;", "'").replace("&amp;", "&"))


def glyphs(pdf):
    out = subprocess.run(["mutool", "trace", pdf], capture_output=True, text=True, check=True).stdout
    page, font, size = 0, None, 0.0
    for line in out.splitlines():
        m = PAGE.search(line)
        if m:
            page = int(m.group(1))
            continue
        m = SPAN.search(line)
        if m:
            font, size = m.group(1), abs(float(m.group(2)))
            continue
        m = GLYPH.search(line)
        if m:
            yield dict(page=page, font=font, size=size, u=unescape(m.group(1)), glyph=m.group(2),
                       x=float(m.group(3)), y=float(m.group(4)), adv=float(m.group(5)) * size)


def words(pdf):
    """Lists of glyphs, one a word, in drawing order."""
    word = []
    for g in glyphs(pdf):
        if word and (g["page"] != word[-1]["page"] or abs(g["y"] - word[-1]["y"]) > 0.5
                     or g["x"] < word[-1]["x"] - 0.01
                     or g["x"] > word[-1]["x"] + word[-1]["adv"] + 0.3 * g["size"]):
            yield word
            word = []
        if g["u"].isspace() or g["u"] == "\u00a0":
            if word:
                yield word
            word = []
            continue
        word.append(g)
    if word:
        yield word


def text(word):
    return "".join(g["u"] for g in word)


if __name__ == "__main__":
    for w in words(sys.argv[1]):
        print(w[0]["page"], round(w[0]["x"], 2), round(w[0]["y"], 2), w[0]["size"], text(w))
