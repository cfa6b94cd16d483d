#!/usr/bin/env python3
# Converts the DraCor TEI of Gogol's "Ревизор" (The Government Inspector,
# 1836) into Markdown parts for gsi-book.  Called by revizor.sh, which
# documents the source, the licence and what is changed.
#
# Usage: revizor.py TEI-FILE OUTDIR
import re
import sys
import xml.etree.ElementTree as ET

T = "{http://www.tei-c.org/ns/1.0}"

ORDINALS = ["первое", "второе", "третье", "четвертое", "пятое"]


def norm(s):
    """Collapse the pretty-printer's runs of white space to one space."""
    return re.sub(r"\s+", " ", s or "")


def esc(s):
    """Escape what CommonMark would read as markup inside a paragraph."""
    s = s.replace("\\", "\\\\")
    return re.sub(r"([`*_\[\]<>&#|~])", r"\\\1", s)


def esc_start(s):
    """Escape a paragraph's start that would open a block (list, quote,
    heading, thematic break)."""
    m = re.match(r"(\d+)([.)])(\s|$)", s)
    if m:
        return m.group(1) + "\\" + s[len(m.group(1)):]
    if s[:1] in "-+=":
        return "\\" + s
    return s


def inline(e, out):
    """Append e's text and its children's (emph, stage inside a speech)
    as Markdown to the list out."""
    out.append(esc(norm(e.text)))
    for c in e:
        tag = c.tag.replace(T, "")
        inner = []
        inline(c, inner)
        text = "".join(inner).strip()
        if tag in ("emph", "stage"):
            # emphasis; the space inside the element goes outside it
            lead = " " if "".join(inner)[:1] == " " else ""
            trail = " " if "".join(inner)[-1:] == " " else ""
            out.append(lead + "*" + text + "*" + trail if text else "")
        else:
            raise SystemExit("revizor.py: unexpected <%s> inside <%s>"
                             % (tag, e.tag.replace(T, "")))
        out.append(esc(norm(c.tail)))


def para(e):
    out = []
    inline(e, out)
    s = re.sub(r" +", " ", "".join(out)).strip()
    return esc_start(s)


def italic_para(e):
    s = para(e)
    return "*" + s + "*" if s else ""


def speech(sp, blocks):
    """A speech: the speaker in bold, what follows it up to the first
    paragraph (a stage direction such as '(в сторону).') and that
    paragraph in one paragraph; later paragraphs and stage directions
    each a paragraph of their own."""
    lead = []
    started = False
    for c in sp:
        tag = c.tag.replace(T, "")
        if tag == "speaker":
            lead.append("**" + esc(norm("".join(c.itertext())).strip()) + "**")
        elif tag == "stage" and not started:
            lead.append(italic_para(c))
        elif tag == "stage":
            blocks.append(italic_para(c))
        elif tag == "p":
            if not started:
                lead.append(para(c))
                blocks.append(" ".join(x for x in lead if x))
                started = True
            else:
                blocks.append(para(c))
        else:
            raise SystemExit("revizor.py: unexpected <%s> in <sp>" % tag)
    if not started and lead:
        blocks.append(" ".join(x for x in lead if x))


def division(div, level, blocks):
    for c in div:
        tag = c.tag.replace(T, "")
        if tag == "head":
            blocks.append("#" * level + " " + esc(norm(c.text).strip()))
        elif tag == "stage":
            blocks.append(italic_para(c))
        elif tag == "sp":
            speech(c, blocks)
        elif tag == "spGrp":
            for g in c:
                if g.tag == T + "head":
                    blocks.append(italic_para(g))
                else:
                    speech(g, blocks)
        elif tag == "div":
            division(c, level + 1, blocks)
        else:
            raise SystemExit("revizor.py: unexpected <%s> in <div>" % tag)


def write(path, blocks):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(b for b in blocks if b) + "\n")


def main():
    tei, outdir = sys.argv[1], sys.argv[2]
    root = ET.parse(tei).getroot()
    front = root.find(T + "text/" + T + "front")
    body = root.find(T + "text/" + T + "body")

    # The cast list, with the play's epigraph above its title (the
    # part's standfirst).
    blocks = []
    epi = front.find(T + "epigraph")
    blocks.append("> " + para(epi.find(T + "quote")) + "\n>\n> "
                  + para(epi.find(T + "bibl")))
    cast = front.find(T + "castList")
    for c in cast:
        tag = c.tag.replace(T, "")
        if tag == "head":
            blocks.append("# " + esc(norm(c.text).strip()))
    items = []
    for c in cast:
        tag = c.tag.replace(T, "")
        if tag == "castItem":
            items.append("- " + para(c))
        elif tag == "castGroup":
            # A braced group: its members, then after the brace what they
            # are; here one item, a line each, the last line the role.
            lines = [para(m) for m in c if m.tag == T + "castItem"]
            role = c.find(T + "roleDesc")
            lines.append("— " + para(role))
            items.append("- " + "  \n  ".join(lines))
    blocks.append("\n".join(items))
    write(outdir + "/cast.md", blocks)

    # The notes for the actors.
    blocks = []
    perf = front.find(T + "performance")
    for c in perf:
        tag = c.tag.replace(T, "")
        if tag == "head":
            blocks.append("# " + esc(norm(c.text).strip()))
        elif tag == "p":
            blocks.append(para(c))
    write(outdir + "/characters.md", blocks)

    acts = [d for d in body if d.tag == T + "div"]
    for n, act in enumerate(acts, 1):
        blocks = []
        division(act, 1, blocks)
        write("%s/act-%d.md" % (outdir, n), blocks)
    print(len(acts))


main()
