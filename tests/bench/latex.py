#!/usr/bin/env python3
"""tests/bench/latex.py - gsi-book beside XeLaTeX and LuaLaTeX + microtype.

Run by tests/bench/latex.sh (make bench-latex, which make bench calls when
xelatex and lualatex are installed).  For each book directory it

  1. builds gsi-book's PDF (gsi-book pdf --stats: the figures of its
     first-fit wrapping too);
  2. converts each part's Markdown to LaTeX with pandoc (commonmark_x, the
     filter tests/bench/latex.lua: table captions and widths, small capitals
     for words in capitals, the standfirst, the running heads);
  3. sets the book twice with the page of styles/style.yaml (trim, margins,
     body face, size and leading, heading sizes and spaces, running heads,
     note size, indent, hyphenation minimums, old-style figures): once with
     XeLaTeX, plain (no microtype), once with LuaLaTeX and microtype
     (protrusion=true, expansion=true: glyphs stretched or shrunk by up to
     2 %), both with the book's language's hyphenation;
  4. measures the three PDFs with tests/measure.py (the issue's section 3,
     from pdftotext -bbox-layout) and prints one Markdown table per book:
     figure x (gsi-book, first-fit, XeLaTeX, LuaLaTeX + microtype).

The LaTeX side follows gsi-book's rules where gsi-book has one that LaTeX
leaves to the author: widows and orphans are forbidden (\\clubpenalty and
\\widowpenalty 10000), the spaces after a full stop are the other spaces
(\\frenchspacing), \\emergencystretch is 3em (as pandoc's own template); the
rest is LaTeX's (\\tolerance 200, \\pretolerance 100, \\flushbottom).

Environment: GSI_BOOK (./gsi-book), LATEX_WORK (build/bench/latex),
LATEX_ENGINES ("xelatex lualatex"), MEASURE (tests/measure.py).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys


TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PT_PER_MM = 72.0 / 25.4
# the trims of src/design/profile.c, in millimetres
PAPERS = {"a5": (148, 210), "b5": (176, 250), "a4": (210, 297),
          "letter": (215.9, 279.4), "6x9in": (152.4, 228.6),
          "5.5x8.5in": (139.7, 215.9)}
# babel's names for the books' languages (the hyphenation patterns are
# TeX Live's, which texlive-base and texlive-lang-* install)
BABEL = {"en": "english", "en-us": "american", "en-gb": "british",
         "ru": "russian", "de": "ngerman", "fr": "french", "es": "spanish",
         "it": "italian", "pt": "portuguese", "pl": "polish",
         "uk": "ukrainian", "kk": "kazakh"}
ENGINES = {
    "xelatex": ("XeLaTeX", ""),
    "lualatex": ("LuaLaTeX + microtype",
                 "\\usepackage[protrusion=true,expansion=true]{microtype}\n"),
}


def die(msg):
    print("latex.py: error: " + msg, file=sys.stderr)
    sys.exit(1)


def read_style(path):
    """styles/style.yaml as nested dicts: its mappings, scalars and lists
    of scalars (all it holds; a small reader, so that the check of the page,
    tests/props/bench/latex-page, needs no PyYAML)"""
    root = {}
    stack = [(-1, root)]          # (indent, container) of the open blocks
    pending = None                # (indent, dict, key) of a key with no value
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = re.sub(r"\s+#.*$", "", raw.rstrip("\n"))
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            indent = len(line) - len(line.lstrip(" "))
            text = line.strip()
            if pending and indent > pending[0]:
                new = [] if text.startswith("- ") else {}
                pending[1][pending[2]] = new
                stack.append((pending[0], new))
            pending = None
            while indent <= stack[-1][0]:
                stack.pop()
            parent = stack[-1][1]
            if text.startswith("- "):
                parent.append(text[2:].strip().strip('"'))
                continue
            key, _, value = text.partition(":")
            key, value = key.strip(), value.strip()
            if value:
                parent[key] = value.strip('"')
            else:
                parent[key] = {}
                pending = (indent, parent, key)
    return root


def length(value, em):
    """a style length (10.5pt, 20mm, 1.5em, 0.25in) in points"""
    m = re.fullmatch(r"\s*([0-9.]+)\s*(pt|mm|cm|in|em)?\s*", str(value))
    if not m:
        die("cannot read the length '%s' of styles/style.yaml" % value)
    n, unit = float(m.group(1)), m.group(2) or "pt"
    return n * {"pt": 1, "mm": PT_PER_MM, "cm": 10 * PT_PER_MM, "in": 72,
                "em": em}[unit]


def paper(name):
    name = str(name).lower()
    if name in PAPERS:
        w, h = PAPERS[name]
        return w * PT_PER_MM, h * PT_PER_MM
    m = re.fullmatch(r"([0-9.]+)x([0-9.]+)(mm|in)", name)
    if not m:
        die("unknown paper '%s'" % name)
    k = PT_PER_MM if m.group(3) == "mm" else 72
    return float(m.group(1)) * k, float(m.group(2)) * k


def page_of(style):
    """the page of styles/style.yaml, in points"""
    pr, tx, hd = style["print"], style["text"], style["headings"]
    size = length(pr["size"], 10)
    g = {"size": size, "leading": size * float(tx["leading"])}
    g["width"], g["height"] = paper(pr["paper"])
    for k in ("inner", "outer", "top", "bottom"):
        g[k] = length(pr["margins"][k], size)
    g["measure"] = g["width"] - g["inner"] - g["outer"]
    block = g["height"] - g["top"] - g["bottom"]
    # as many lines as gsi-book's text block holds: \topskip (the size,
    # TeX's convention) to the first baseline, then a leading a line
    g["topskip"] = size
    g["lines"] = int((block - size) / g["leading"] + 1e-6) + 1
    g["textheight"] = size + (g["lines"] - 1) * g["leading"]
    g["headsep"] = length(pr["head-gap"], size)
    # the folio of an opener: folio-gap below the style's text block
    g["footskip"] = block + length(pr["folio-gap"], size) - g["textheight"]
    g["head"] = size * float(pr["head-scale"])
    g["note"] = size * float(tx["note-scale"])
    g["caption"] = size * float(tx["caption-scale"])
    g["standfirst"] = size * float(tx["standfirst-scale"])
    g["indent"] = length(tx["indent"], size)
    g["folio"] = length(pr["folio-width"], size)
    g["figure-height"] = float(pr["figure-height"])
    g["sink"] = block * float(pr["opener-sink"])
    g["hlead"] = float(hd["leading"])
    for h in ("h1", "h2", "h3"):
        s = size * float(hd[h]["scale"])
        g[h] = (s, length(hd[h]["space-before"], s), length(hd[h]["space-after"], s))
    g["label"] = size * float(hd["label-scale"]) * float(hd["h1"]["scale"])
    g["title"] = size * float(pr["title-scale"])
    br = style.get("breaking", {})
    g["lefthyphenmin"] = int(br.get("left-min", 2))
    g["righthyphenmin"] = int(br.get("right-min", 3))
    g["body"] = style["fonts"]["body"]
    g["heading"] = style["fonts"]["heading"]
    g["mono"] = style["fonts"]["mono"]
    g["oldstyle"] = tx.get("figures", "oldstyle-nums") == "oldstyle-nums"
    return g


def tex_escape(s):
    return re.sub(r"([\\{}#$%&_^~])", lambda m: {"\\": r"\textbackslash{}",
                  "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}.get(
                      m.group(1), "\\" + m.group(1)), str(s))


def preamble(g, lang, title, short, author, engine_extra, bookdir):
    # gsi-book's points are PostScript's (1/72 in), TeX's pt is 1/72.27 in
    f = lambda x: "%.4fpt" % (x * 72.27 / 72)
    h1, h2, h3 = g["h1"], g["h2"], g["h3"]
    babel = BABEL.get(lang.lower(), BABEL.get(lang.split("-")[0].lower()))
    if babel and subprocess.run(["kpsewhich", babel + ".ldf"],
                                stdout=subprocess.DEVNULL).returncode:
        print("latex.py: warning: babel has no '%s' (for lang %s; texlive-lang-* installs "
              "it): LaTeX's default hyphenation (US English) instead" % (babel, lang),
              file=sys.stderr)
        babel = None
    nums = "Numbers=OldStyle," if g["oldstyle"] else ""
    return r"""\documentclass[10pt,twoside,openright]{book}
\usepackage[paperwidth=%(width)s,paperheight=%(height)s,inner=%(inner)s,outer=%(outer)s,
  top=%(top)s,textheight=%(textheight)s,headheight=%(headheight)s,headsep=%(headsep)s,
  footskip=%(footskip)s]{geometry}
\usepackage{fontspec}
%(babel)s
\setmainfont{%(body)s}[%(nums)s]
\newfontfamily\gsiheadfamily{%(heading)s}
\newcommand\gsiheadface{\gsiheadfamily\bfseries}
\setmonofont{%(mono)s}[Scale=MatchLowercase]
%(engine)s\makeatletter
\usepackage{graphicx,longtable,booktabs,array,calc,etoolbox}
%% pictures: no wider than the measure, no taller than print.figure-height
%% of the text block, as gsi-book's; found in the book's directory
\def\maxwidth{\ifdim\Gin@nat@width>\linewidth\linewidth\else\Gin@nat@width\fi}
\def\maxheight{\ifdim\Gin@nat@height>%(figh)s\textheight%(figh)s\textheight\else\Gin@nat@height\fi}
\setkeys{Gin}{width=\maxwidth,height=\maxheight,keepaspectratio}
\graphicspath{{%(bookdir)s/}}
%% strike-out, which pandoc's template takes from soul (not installed by
%% the bench set): the words, without the line (the same widths)
\providecommand\st[1]{#1}
\usepackage[labelformat=empty,font={small,it},justification=raggedright,singlelinecheck=false,skip=4pt]{caption}
%% no hyperref: links do not change the page (xdvipdfmx's needs fonts
%% that texlive-fonts-recommended brings)
\providecommand\hypertarget[2]{#2}\providecommand\hyperlink[2]{#2}
\providecommand\href[2]{#2}\providecommand\texorpdfstring[2]{#1}\providecommand\url[1]{\texttt{#1}}
\makeatletter
%% the sizes of styles/style.yaml
\renewcommand\normalsize{\@setfontsize\normalsize{%(size)s}{%(leading)s}%%
  \abovedisplayskip 10pt plus 2pt minus 5pt\belowdisplayskip\abovedisplayskip}
\renewcommand\small{\@setfontsize\small{%(caption)s}{%(captionlead)s}}
\renewcommand\footnotesize{\@setfontsize\footnotesize{%(note)s}{%(notelead)s}}
\normalsize
\setlength\topskip{%(topskip)s}
\setlength\parindent{%(indent)s}
\lefthyphenmin=%(lhm)d \righthyphenmin=%(rhm)d
\clubpenalty=10000 \widowpenalty=10000 \frenchspacing
\setlength\emergencystretch{3em}
\renewcommand\footnoterule{\kern-3pt\hrule width %(noterule)s height 0.4pt\kern 2.6pt}
%% headings: the heading face, the scales and spaces of styles/style.yaml
%% (the space before negative: no indent after a heading, as gsi-book)
\setcounter{secnumdepth}{-1}
\renewcommand\section{\@startsection{section}{1}{\z@}{-%(h2b)s}{%(h2a)s}%%
  {\gsiheadface\@setfontsize\relax{%(h2s)s}{%(h2l)s}\raggedright}}
\renewcommand\subsection{\@startsection{subsection}{2}{\z@}{-%(h3b)s}{%(h3a)s}%%
  {\gsiheadface\@setfontsize\relax{%(h3s)s}{%(h3l)s}\raggedright}}
\renewcommand\subsubsection{\@startsection{subsubsection}{3}{\z@}{-%(h3b)s}{%(h3a)s}%%
  {\gsiheadface\itshape\raggedright}}
\newif\ifgsiappendix
\g@addto@macro\appendix{\global\gsiappendixtrue\setcounter{chapter}{0}}
\def\@makechapterhead#1{\vspace*{%(sink)s}{\parindent\z@\raggedright
  \ifgsiappendix\refstepcounter{chapter}{\gsiheadfamily\@setfontsize\relax{%(label)s}{%(labell)s}%%
    \appendixname\ \thechapter\par}\fi
  \gsiheadface\@setfontsize\relax{%(h1s)s}{%(h1l)s}#1\par\nobreak\vskip %(h1a)s}}
\def\@makeschapterhead#1{\vspace*{%(sink)s}{\parindent\z@\raggedright
  \gsiheadface\@setfontsize\relax{%(h1s)s}{%(h1l)s}#1\par\nobreak\vskip %(h1a)s}}
\newenvironment{gsistandfirst}{\par\itshape\raggedright
  \@setfontsize\relax{%(sf)s}{%(sfl)s}\parindent\z@}{\par\vskip %(h1a)s
  \global\@afterindentfalse\@afterheading}
%% the contents: page numbers in print.folio-width, and room for 3 leader
%% dots or more on an entry's last line, as gsi-book's
\renewcommand\@pnumwidth{%(folio)s}\renewcommand\@tocrmarg{%(tocrmarg)s}
%% running heads: the book's short title on versos, the part's on rectos,
%% small capitals at print.head-scale, the folio on the outer side;
%% on openers the folio below the text
\def\gsibookhead{%(short)s}\def\gsiparthead#1{\gdef\gsi@part{#1}}\def\gsi@part{}
\def\gsi@headfont{\@setfontsize\relax{%(head)s}{%(head)s}\scshape}
\def\ps@gsi{\let\@mkboth\@gobbletwo
  \def\@evenhead{\gsi@headfont\thepage\hfil\gsibookhead\hfil\phantom{\thepage}}%%
  \def\@oddhead{\gsi@headfont\phantom{\thepage}\hfil\gsi@part\hfil\thepage}%%
  \let\@evenfoot\@empty\let\@oddfoot\@empty}
\def\ps@plain{\let\@mkboth\@gobbletwo\let\@oddhead\@empty\let\@evenhead\@empty
  \def\@oddfoot{\hfil\gsi@headfont\thepage\hfil}\let\@evenfoot\@oddfoot}
\pagestyle{gsi}
\makeatother
\title{\gsiheadface\fontsize{%(title)s}{%(titlel)s}\selectfont %(titletext)s}
\author{%(author)s}
\date{}
""" % {
        "width": f(g["width"]), "height": f(g["height"]), "inner": f(g["inner"]),
        "outer": f(g["outer"]), "top": f(g["top"]), "textheight": f(g["textheight"]),
        "headheight": f(g["size"] * 1.2), "headsep": f(g["headsep"]),
        "footskip": f(g["footskip"]),
        "babel": ("\\usepackage[%s]{babel}" % babel) if babel else "",
        "body": g["body"], "heading": g["heading"], "mono": g["mono"], "nums": nums,
        "engine": engine_extra,
        "size": f(g["size"]), "leading": f(g["leading"]),
        "caption": f(g["caption"]), "captionlead": f(g["caption"] * g["leading"] / g["size"]),
        "note": f(g["note"]), "notelead": f(g["note"] * g["leading"] / g["size"]),
        "topskip": f(g["topskip"]), "indent": f(g["indent"]),
        "lhm": g["lefthyphenmin"], "rhm": g["righthyphenmin"],
        "noterule": f(g["measure"] * 0.33),
        "h2b": f(h2[1]), "h2a": f(h2[2]), "h2s": f(h2[0]), "h2l": f(h2[0] * g["hlead"]),
        "h3b": f(h3[1]), "h3a": f(h3[2]), "h3s": f(h3[0]), "h3l": f(h3[0] * g["hlead"]),
        "h1s": f(h1[0]), "h1l": f(h1[0] * g["hlead"]), "h1a": f(h1[2]),
        "label": f(g["label"]), "labell": f(g["label"] * g["hlead"]),
        "sink": f(g["sink"]),
        "sf": f(g["standfirst"]), "sfl": f(g["standfirst"] * g["leading"] / g["size"]),
        "folio": f(g["folio"]), "tocrmarg": f(g["folio"] + 2 * g["size"]),
        "head": f(g["head"]), "short": tex_escape(short),
        "title": f(g["title"]), "titlel": f(g["title"] * g["hlead"]),
        "figh": "%.3f" % g["figure-height"], "bookdir": bookdir,
        "titletext": tex_escape(title), "author": tex_escape(author),
    }


def run(cmd, cwd=None, log=None, timeout=1200, env=None):
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=timeout, env=env)
    if log:
        with open(log, "ab") as fh:
            fh.write(r.stdout)
    return r.returncode, r.stdout.decode("utf-8", "replace")


def latex_book(bookdir, work, g, engines):
    """sets BOOKDIR with each engine; returns {engine: pdf path or None}"""
    import yaml     # book.yaml: quoted strings, lists of mappings
    with open(os.path.join(bookdir, "book.yaml"), encoding="utf-8") as fh:
        meta = yaml.safe_load(fh)
    lang = str(meta.get("lang", "en"))
    title = str(meta.get("title", ""))
    short = str(meta.get("short-title", title))
    authors = meta.get("author", [])
    if isinstance(authors, str):
        authors = [authors]
    author = " and ".join(a["name"] if isinstance(a, dict) else str(a) for a in authors)
    body = []
    appendix = False
    for i, part in enumerate(meta.get("parts", [])):
        src = os.path.join(bookdir, part["file"])
        out = os.path.join(work, "part-%02d.tex" % i)
        cmd = ["pandoc", "-f", "commonmark_x", "-t", "latex", "--top-level-division=chapter",
               "--no-highlight",
               "--lua-filter", os.path.join(TOP, "tests", "bench", "latex.lua"),
               "--resource-path", os.path.dirname(src), "-o", out, src]
        if part.get("short-title"):
            cmd[1:1] = ["-M", "gsi-short-title=" + str(part["short-title"])]
        rc, text = run(cmd)
        if rc:
            die("pandoc failed on %s:\n%s" % (src, text))
        if text.strip():
            sys.stderr.write(text)
        if part.get("kind") == "appendix" and not appendix:
            body.append("\\appendix")
            appendix = True
        body.append("\\input{part-%02d}" % i)
    pdfs = {}
    for eng in engines:
        name, extra = ENGINES[eng]
        tex = os.path.join(work, eng + ".tex")
        with open(tex, "w", encoding="utf-8") as fh:
            fh.write(preamble(g, lang, title, short, author, extra, bookdir))
            fh.write("\\providecommand{\\tightlist}{\\setlength{\\itemsep}{0pt}\\setlength{\\parskip}{0pt}}\n")
            fh.write("\\begin{document}\n\\frontmatter\n\\maketitle\n\\tableofcontents\n"
                     "\\mainmatter\n" + "\n".join(body) + "\n\\end{document}\n")
        log = os.path.join(work, eng + ".console")
        if os.path.exists(log):
            os.remove(log)
        ok = True
        for _ in range(2):      # the contents' page numbers
            rc, _text = run([eng, "-interaction=nonstopmode", "-halt-on-error", eng + ".tex"],
                            cwd=work, log=log)
            if rc:
                print("latex.py: %s failed on %s (its log: %s)" % (eng, bookdir, log),
                      file=sys.stderr)
                ok = False
                break
        pdfs[eng] = os.path.join(work, eng + ".pdf") if ok else None
    return pdfs



# the figures of tests/measure.py shown, with the acceptance's target
# (issue 21) and which way is better: "<" lower, ">" higher
FIGURES = [
    ("pages", "pages", "", None),
    ("body-lines", "body lines", "", None),
    ("justified-lines", "justified lines", "", None),
    ("widest-space", "widest word space (x normal)", "<= 1.75", "<"),
    ("loose-percent", "justified lines looser than 1.5x (%)", "<= 0.5", "<"),
    ("space-p95", "95th percentile of a line's mean space (x)", "", "<"),
    ("lowest-mean-space", "lowest mean space of a line (x)", ">= 0.66", None),
    ("hyphenated-percent", "hyphenated lines (%)", "<= 12", "<"),
    ("hyphen-run", "longest run of hyphenated lines", "<= 2", "<"),
    ("capitalised-hyphenated", "capitalised words hyphenated", "0", "<"),
    ("hyphen-hang-median", "median hang of a hyphen past the edge (pt)", ">= 1", ">"),
    ("past-edge", "lines past the edge, not by a hanging character", "0", "<"),
    ("overfull", "overfull lines", "0", "<"),
    ("ragged-percent", "body lines set ragged (%)", "", "<"),
    ("short-pages", "mid-chapter pages 1.5 lines or more short", "0", "<"),
    ("most-short", "most a mid-chapter page is short (lines)", "< 1.5", "<"),
    ("grid-percent", "body lines on the baseline grid (%)", ">= 95", ">"),
    ("heads-cut", "running heads cut", "0", "<"),
]
ALIASES = {"longest-hyphen-run": "hyphen-run", "overfull-lines": "overfull"}


def gsi_book(bookdir, work, gsi):
    """gsi-book's PDF of BOOKDIR and the figures of its --stats, per
    section: {"total-fit": {...}, "first-fit": {...}}"""
    pdf = os.path.join(work, "gsi-book.pdf")
    env = dict(os.environ, GSI_BOOK_DATA=os.environ.get("GSI_BOOK_DATA", TOP))
    rc, text = run([gsi, "pdf", "--stats", "-o", pdf, bookdir], env=env)
    if rc:
        die("gsi-book failed on %s:\n%s" % (bookdir, text))
    return pdf, parse_stats(text)


def parse_stats(text):
    """--stats' sections by their heading line ("total-fit:", "first-fit
    (Pango, same text and measure):", "figures of first-fit's lines (as
    tests/measure.py; no pages):"...), each {figure: number}"""
    stats, sec = {}, None
    for line in text.splitlines():
        if not line.startswith(" ") and line.rstrip().endswith(":"):
            sec = line.rstrip().rstrip(":")
            stats[sec] = {}
            continue
        if sec is None or not line.startswith(" "):
            continue
        for chunk in re.split(r"[,;]", line):
            m = re.match(r"\s*([A-Za-z][A-Za-z0-9 %-]*?)\s*:?\s+(-?[0-9]+(?:\.[0-9]+)?)\s*%?\s*(?:\(.*)?$", chunk)
            if m:
                key = re.sub(r"[^a-z0-9]+", "-", m.group(1).lower()).strip("-")
                stats[sec][ALIASES.get(key, key)] = float(m.group(2))
    return stats


def first_fit_figures(stats):
    """first-fit's figures from --stats: those of its section of the line
    breaking ("first-fit ...": lines, hyphenated, the longest run, overfull)
    and, where --stats gives them, the figures of tests/measure.py for its
    lines ("figures of first-fit's lines ...")"""
    ff = {}
    for sec in sorted(stats, key=lambda k: k.startswith("figures")):
        if "first-fit" in sec:
            ff.update(stats[sec])
    if "hyphenated-percent" not in ff and ff.get("lines") and "hyphenated" in ff:
        ff["hyphenated-percent"] = 100.0 * ff["hyphenated"] / ff["lines"]
    return ff


def measure(pdf):
    script = os.environ.get("MEASURE", os.path.join(TOP, "tests", "measure.py"))
    rc, text = run([sys.executable, script, "--json", pdf])
    try:
        return json.loads(text[text.index("{"):])
    except ValueError:
        die("tests/measure.py failed on %s:\n%s" % (pdf, text))


def cell(v):
    if v is None:
        return "—"
    if isinstance(v, float):
        return ("%.2f" % v).rstrip("0").rstrip(".") if v != int(v) else "%d" % v
    return str(v)


def verdict(fig, mine, theirs):
    way = next((f[3] for f in FIGURES if f[0] == fig), None)
    if way is None or mine is None or theirs is None:
        return ""
    if abs(mine - theirs) < 1e-9:
        return "same"
    better = mine < theirs if way == "<" else mine > theirs
    return "**better**" if better else "worse"


def meets(target, v):
    """whether V meets the acceptance's TARGET ("<= 1.75", ">= 95", "0")"""
    m = re.fullmatch(r"(<=|>=|<|>)?\s*([0-9.]+)", target)
    if not m or v is None:
        return None
    op, t = m.group(1) or "==", float(m.group(2))
    return {"<=": v <= t, ">=": v >= t, "<": v < t, ">": v > t, "==": abs(v - t) < 1e-9}[op]


def table(name, cols):
    """cols: [(heading, {figure: value})], gsi-book's first (marked ✗
    where it misses the target), LuaLaTeX's last"""
    out = ["| %s | target | %s | gsi-book against LuaLaTeX |" % (name, " | ".join(c[0] for c in cols)),
           "|---|---|" + "--:|" * len(cols) + "---|"]
    lua = cols[-1][1]
    for fig, label, target, _ in FIGURES:
        mine = cols[0][1].get(fig)
        cells = [cell(c[1].get(fig)) for c in cols]
        if meets(target, mine) is False:
            cells[0] += " ✗"
        out.append("| %s | %s | %s | %s |" % (label, target, " | ".join(cells),
                   verdict(fig, mine, lua.get(fig))))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--page", action="store_true",
                    help="print the page read from styles/style.yaml and stop")
    ap.add_argument("books", nargs="*", help="book directories (NAME=DIR names a column's book)")
    ap.add_argument("--work", default=os.environ.get("LATEX_WORK", os.path.join(TOP, "build", "bench", "latex")))
    ap.add_argument("--engines", default=os.environ.get("LATEX_ENGINES", "xelatex lualatex"))
    a = ap.parse_args()
    g = page_of(read_style(os.path.join(os.environ.get("GSI_BOOK_DATA", TOP),
                                        "styles", "style.yaml")))
    if a.page:
        # the page, in PostScript points, as gsi-book pdf --dump-layout's
        # first line gives it, and the lines of the text block
        print("layout %.2f x %.2f, text block %.2f to %.2f, measure %.2f, leading %.2f, lines %d"
              % (g["width"], g["height"], g["top"], g["height"] - g["bottom"],
                 g["measure"], g["leading"], g["lines"]))
        return
    engines = a.engines.split()
    gsi = os.environ.get("GSI_BOOK", os.path.join(TOP, "gsi-book"))
    for b in a.books:
        name, _, d = b.rpartition("=")
        name = name or os.path.basename(os.path.abspath(d))
        work = os.path.join(a.work, re.sub(r"[^A-Za-z0-9_.-]", "_", name))
        os.makedirs(work, exist_ok=True)
        gpdf, stats = gsi_book(os.path.abspath(d), work, gsi)
        pdfs = latex_book(os.path.abspath(d), work, g, engines)
        cols = [("gsi-book", measure(gpdf)),
                ("first-fit", first_fit_figures(stats))]
        for eng in engines:
            cols.append((ENGINES[eng][0], measure(pdfs[eng]) if pdfs[eng] else {}))
        print(table(name, cols))
        print()
        sys.stdout.flush()


if __name__ == "__main__":
    main()
