#!/bin/sh
# tests/corpus/convert/commonmark.sh - the CommonMark spec's examples, and
# the GitHub Flavored Markdown spec's table examples, as books.
#
#   sh tests/corpus/convert/commonmark.sh SPEC GFM-SPEC [GSI-BOOK]
#
# SPEC is the CommonMark spec's text: spec.txt itself, or the git
# directory of a snapshot of https://github.com/commonmark/commonmark-spec
# (the `fetch` tool's /work/.mirror/commonmark+commonmark-spec/repo), read
# at commit 31c0ca2d294ea60ab4438004da410e2e590a46f2 (spec version 0.31.2,
# 2024-01-28).  GFM-SPEC is the GFM spec's text: test/spec.txt of
# https://github.com/github/cmark-gfm, or the git directory of a snapshot
# (/work/.mirror/github+cmark-gfm/repo/.git), read at commit
# 85d895289c5ab67f988ca659493a64abb5fec7b4 (spec version 0.29-gfm,
# 2019-04-06); only its examples marked 'table' are taken, the one GFM
# extension of that spec gsi-book reads (the spec has no footnote
# examples).  GSI-BOOK (default ./gsi-book) is the binary that sorts the
# examples.  Run it from the top of the repository.
#
# Licence: both specs are under the Creative Commons Attribution-ShareAlike
# 4.0 licence (CC BY-SA 4.0), the CommonMark spec by John MacFarlane, the
# GFM spec by John MacFarlane and GitHub; so are the books made from them.
#
# What it writes, all deterministic (the same specs and gsi-book give the
# same bytes):
#   tests/corpus/commonmark-examples.json  every example: its id (its
#       number in the CommonMark spec, 'gfm-N' for the GFM spec's example
#       N), the spec's section it is in, its Markdown (a '→' in the spec is
#       a tab, as the specs' own test runners read it), the HTML the spec
#       expects, its lines in the spec, and its chapter file and heading;
#       read the same way as the specs' test/spec_tests.py.
#   tests/corpus/books/commonmark-*/  the examples gsi-book takes, a book
#       per group of the spec's sections, a chapter per example.
#   tests/corpus/commonmark-refused.txt  the examples gsi-book refuses: the
#       rule of README's "Writing a book" each breaks, and gsi-book's
#       diagnostics word for word.
#
# Each example is one chapter file, example-NNN.md (gfm-example-NNN.md):
# the level-1 heading '# Example N' ('# GFM Example N'), a blank line,
# then the example's Markdown unchanged (not a byte of it altered,
# stripped or added).  After an ATX heading and a blank line every block
# starts as at the start of a document (a setext underline, indented code,
# a link reference definition, a list, a table or a lazy line cannot
# reach back into the heading), so the heading changes no example's
# meaning; the script checks it with cmark-gfm (Debian's cmark-gfm): the
# chapter's HTML is the heading's and then the example's own.  A file per
# example keeps the examples apart: link reference definitions hold for
# their whole file, so two examples in one file could turn each other's
# '[foo]' into links.  An example holding its own
# level-1 headings becomes, as README says of any such file, a chapter
# per level-1 heading.
#
# An example is refused when `gsi-book check` on a book of that one
# chapter exits with status 1; its diagnostics (the path reads
# book/example-NNN.md) go to the list, with the rule each breaks, named
# from the diagnostic's wording (a diagnostic no rule names stops the
# script: a new kind of refusal must be read and named by a person).
# Nothing is stripped from the examples that are taken.
set -eu

spec=${1:?usage: commonmark.sh SPEC GFM-SPEC [GSI-BOOK]}
gfm=${2:?usage: commonmark.sh SPEC GFM-SPEC [GSI-BOOK]}
gsi=${3:-./gsi-book}
commit=31c0ca2d294ea60ab4438004da410e2e590a46f2
gfm_commit=85d895289c5ab67f988ca659493a64abb5fec7b4
[ -f tests/run.sh ] || { echo "commonmark.sh: run it from the top of the repository" >&2; exit 2; }
[ -x "$gsi" ] || { echo "commonmark.sh: no gsi-book at '$gsi' (run make)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/commonmark.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
if [ -d "$spec" ]; then
	git --git-dir="$spec" show "$commit:spec.txt" > "$tmp/spec.txt"
else
	cp "$spec" "$tmp/spec.txt"
fi
if [ -d "$gfm" ]; then
	git --git-dir="$gfm" show "$gfm_commit:test/spec.txt" > "$tmp/gfm.txt"
else
	cp "$gfm" "$tmp/gfm.txt"
fi

LC_ALL=C.UTF-8 TZ=UTC python3 - "$tmp" "$gsi" "$commit" "$gfm_commit" <<'EOF'
import json, os, re, shutil, subprocess, sys

tmp, gsi, commit, gfm_commit = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3], sys.argv[4]
fence = "`" * 32

def read_spec(path, spec, keep):
    """The examples of a spec, read as its test/spec_tests.py reads them
    (numbered through the spec, disabled ones too); those whose fence
    line's words (after 'example') keep() takes."""
    examples, md, html, state, section, top, n = [], [], [], 0, "", "", 0
    with open(path, encoding="utf-8", newline="\n") as f:
        for lineno, line in enumerate(f, 1):
            s = line.strip()
            if state == 0 and s.startswith(fence + " example"):
                state, start, ext = 1, lineno, s[len(fence + " example"):].split()
            elif state == 2 and s == fence:
                n += 1
                if keep(ext):
                    gfm = spec.startswith("GFM")
                    examples.append({
                        "id": ("gfm-%d" if gfm else "%d") % n,
                        "spec": spec, "example": n, "extensions": ext,
                        "section": section, "chapter": top,
                        "start_line": start, "end_line": lineno,
                        "file": ("gfm-example-%03d.md" if gfm else "example-%03d.md") % n,
                        "heading": ("GFM Example %d" if gfm else "Example %d") % n,
                        "markdown": "".join(md).replace("→", "\t"),
                        "html": "".join(html).replace("→", "\t")})
                state, md, html = 0, [], []
            elif s == "." and state == 1:
                state = 2
            elif state == 1:
                md.append(line)
            elif state == 2:
                html.append(line)
            elif state == 0 and re.match("#+ ", line):
                section = re.sub("^#+ ", "", line).strip()
                if line.startswith("# "):
                    top = section
    return examples

examples = read_spec(os.path.join(tmp, "spec.txt"), "CommonMark 0.31.2",
                     lambda ext: ext == [])
# GFM's own extension that gsi-book reads: tables (its footnotes have no
# examples in the GFM spec; strikethrough, task lists, extended autolinks
# and the tag filter are extensions gsi-book does not read)
examples += read_spec(os.path.join(tmp, "gfm.txt"), "GFM 0.29",
                      lambda ext: ext == ["table"])

with open("tests/corpus/commonmark-examples.json", "w", encoding="utf-8") as f:
    json.dump(examples, f, ensure_ascii=False, indent=1, sort_keys=True)
    f.write("\n")

def chapter(e):
    return "# %s\n\n%s" % (e["heading"], e["markdown"])

# The heading changes no example's meaning: cmark-gfm (the library
# gsi-book reads Markdown with, its extensions as gsi-book sets them)
# gives for the chapter the heading and then the example's own HTML.
def to_html(md):
    return subprocess.run(["cmark-gfm", "--unsafe", "-e", "table", "-e", "footnotes"],
                          input=md.encode("utf-8"), capture_output=True,
                          check=True).stdout.decode("utf-8")
for e in examples:
    if to_html(chapter(e)) != "<h1>%s</h1>\n" % e["heading"] + to_html(e["markdown"]):
        sys.exit("commonmark.sh: example %s: its heading changes its meaning" % e["id"])

def name(e):
    return e["file"]

# The rules of README's "Writing a book", by the wording of the
# diagnostic that enforces each.
rules = [
    ("raw HTML", re.compile(r"error: raw HTML '.*' (is not allowed|closes nothing|"
                            r"is not closed|has an event attribute)|"
                            r"warning: \d+ HTML wrappers? \(<div>|"
                            r"warning: the id '.*' is dropped")),
    ("a link to a relative path",
     re.compile(r"error: link to '.*' goes nowhere in a book")),
    ("a link to an address not http, https or mailto",
     re.compile(r"error: link to an? '.*' address is refused")),
    ("a link to an id no heading has",
     re.compile(r"error: link (to|target) .#.*. matches no heading")),
    ("a heading level skip", re.compile(r"error: heading level \d skips level")),
    ("a link to a web address without a host",
     re.compile(r"error: link to '.*' names no host")),
    ("an image without alt text", re.compile(r"error: image '.*' has no alt text")),
    ("a picture not in PNG, JPEG, GIF or SVG",
     re.compile(r"error: image '.*' is not PNG, JPEG, GIF or SVG")),
    ("a picture that is not a file of the book",
     re.compile(r"error: (image '.*' is an absolute path|cannot open image '|"
                r"image '.*' is not a file in the book|image has no file name)")),
    ("a chapter without a level-1 title", re.compile(r"has no title")),
    ("an empty heading", re.compile(r"error: heading is empty")),
    ("a character no font draws", re.compile(r"error: character .* cannot be drawn")),
]

def one_book(e, d):
    os.makedirs(d)
    with open(os.path.join(d, "book.yaml"), "w") as f:
        f.write("title: %s Spec, %s\nauthor: John MacFarlane\n"
                "lang: en\nparts:\n  - %s\n" % (e["spec"], e["heading"], name(e)))
    with open(os.path.join(d, name(e)), "w", encoding="utf-8", newline="\n") as f:
        f.write(chapter(e))

accepted, refused, unnamed = [], [], []
for e in examples:
    work = os.path.join(tmp, "one")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    one_book(e, os.path.join(work, "book"))
    p = subprocess.run([gsi, "check", "book"], cwd=work, capture_output=True,
                       env=dict(os.environ, LC_ALL="C", TZ="UTC"))
    err = p.stderr.decode("utf-8")
    if p.returncode == 0:
        accepted.append(e)
        continue
    if p.returncode != 1:
        sys.exit("commonmark.sh: example %s: gsi-book check ended with status %d:\n%s"
                 % (e["id"], p.returncode, err))
    lines = [l for l in err.splitlines()
             if not re.match(r"gsi-book: \d+ errors?, \d+ warnings?$", l)]
    named = []
    for l in lines:
        for rule, pat in rules:
            if pat.search(l):
                named.append((rule, l))
                break
        else:
            unnamed.append("example %s: %s" % (e["id"], l))
    refused.append((e, named))
if unnamed:
    sys.exit("commonmark.sh: no rule names these diagnostics:\n" + "\n".join(unnamed))

# Books: the spec's sections in groups, in the spec's order; GFM's
# tables in a book of their own.
groups = [
    ("commonmark-preliminaries", "Preliminaries",
     ["Preliminaries", "Blocks and inlines"]),
    ("commonmark-leaf-blocks", "Leaf blocks", ["Leaf blocks"]),
    ("commonmark-container-blocks", "Container blocks", ["Container blocks"]),
    ("commonmark-inlines", "Inlines: code spans and emphasis",
     ["Inlines/Inlines", "Inlines/Code spans", "Inlines/Emphasis and strong emphasis"]),
    ("commonmark-links", "Inlines: links, images and line breaks", ["Inlines"]),
    ("commonmark-gfm-tables", "Tables", ["GFM"]),
]
sources = {
    "CommonMark 0.31.2": {
        "title": "CommonMark Spec", "version": "0.31.2", "date": "2024-01-28",
        "authors": ["John MacFarlane"],
        "source": "https://github.com/commonmark/commonmark-spec/blob/%s/spec.txt" % commit,
        "copyright": "Copyright 2014-2024 John MacFarlane."},
    "GFM 0.29": {
        "title": "GitHub Flavored Markdown Spec", "version": "0.29-gfm",
        "date": "2019-04-06", "authors": ["John MacFarlane", "GitHub"],
        "source": "https://github.com/github/cmark-gfm/blob/%s/test/spec.txt" % gfm_commit,
        "copyright": "Copyright 2014-2019 John MacFarlane and GitHub."},
}

def group_key(e):
    if e["spec"].startswith("GFM"):
        return groups[-1]
    # a section named in a group first, then the spec's chapter
    for g in groups:
        if e["chapter"] + "/" + e["section"] in g[2]:
            return g
    for g in groups:
        if e["chapter"] in g[2]:
            return g
    sys.exit("commonmark.sh: example %s: no book for section %s / %s"
             % (e["id"], e["chapter"], e["section"]))

books = "tests/corpus/books"
for g in groups:
    shutil.rmtree(os.path.join(books, g[0]), ignore_errors=True)
by_book = {}
for e in accepted:
    by_book.setdefault(group_key(e)[0], []).append(e)

for g in groups:
    d = os.path.join(books, g[0])
    os.makedirs(d)
    es = by_book[g[0]]
    src = sources[es[0]["spec"]]
    sections = []
    for e in es:
        if e["section"] not in sections:
            sections.append(e["section"])
    with open(os.path.join(d, "book.yaml"), "w", encoding="utf-8") as f:
        f.write("title: '%s: %s'\n" % (src["title"], g[1]))
        f.write("subtitle: 'Examples %d to %d, version %s'\n"
                % (es[0]["example"], es[-1]["example"], src["version"]))
        if len(src["authors"]) == 1:
            f.write("author: %s\n" % src["authors"][0])
        else:
            f.write("author:\n" + "".join("  - %s\n" % a for a in src["authors"]))
        f.write("lang: en\ndate: %s\n" % src["date"])
        f.write("source: %s\n" % src["source"])
        f.write("rights: |\n  %s\n"
                "  Licensed under the Creative Commons Attribution-ShareAlike 4.0\n"
                "  International licence (CC BY-SA 4.0).\n" % src["copyright"])
        f.write("description: 'The examples of the %s''s sections %s, "
                "one a chapter, as the spec gives them.'\n"
                % (src["title"], ", ".join(sections)))
        f.write("parts:\n")
        for e in es:
            f.write("  - %s\n" % name(e))
    for e in es:
        with open(os.path.join(d, name(e)), "w", encoding="utf-8", newline="\n") as f:
            f.write(chapter(e))

with open("tests/corpus/commonmark-refused.txt", "w", encoding="utf-8") as f:
    f.write("# The CommonMark Spec's examples (and the GFM spec's table examples,\n"
            "# gfm-N) that gsi-book refuses, written by\n"
            "# tests/corpus/convert/commonmark.sh and read by\n"
            "# tests/corpus/commonmark-refused.sh.  Each example is built as a\n"
            "# book of its own (book/example-NNN.md: '# Example N', or\n"
            "# book/gfm-example-NNN.md: '# GFM Example N'; a blank line,\n"
            "# the example); `gsi-book check book` must print exactly these\n"
            "# diagnostics and end with status 1.  A line: the example's id,\n"
            "# a tab, the rule of README's \"Writing a book\" it breaks, a tab, the\n"
            "# diagnostic.\n")
    for e, named in refused:
        for rule, l in named:
            f.write("%s\t%s\t%s\n" % (e["id"], rule, l))

print("examples: %d, accepted: %d, refused: %d" % (len(examples), len(accepted), len(refused)))
count = {}
for e, named in refused:
    for rule in sorted(set(r for r, l in named)):
        count[rule] = count.get(rule, 0) + 1
for rule in sorted(count):
    print("  refused for %s: %d" % (rule, count[rule]))
for g in groups:
    print("  %s: %d examples" % (g[0], len(by_book[g[0]])))
EOF
