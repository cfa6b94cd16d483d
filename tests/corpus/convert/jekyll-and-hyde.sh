#!/bin/sh
# Converts Standard Ebooks' "The Strange Case of Dr. Jekyll and Mr. Hyde"
# (Robert Louis Stevenson, 1886) into the corpus book
# tests/corpus/books/jekyll-and-hyde/.
#
# Source: https://github.com/standardebooks/robert-louis-stevenson_the-strange-case-of-dr-jekyll-and-mr-hyde
#   commit 73eebdd82ee343c96561c43f5db08f4b3b9b717c, files src/epub/content.opf,
#   src/epub/text/*.xhtml (in the spine order of content.opf) and
#   src/epub/images/logo.svg.
# Licence: the text is in the public domain (United States; Stevenson died in
#   1894); Standard Ebooks' markup, imprint, colophon and Uncopyright are
#   dedicated to the public domain under CC0 1.0.
#
# Usage: jekyll-and-hyde.sh SNAPSHOT [OUTDIR]
#   SNAPSHOT: the repository snapshot the fetch tool brings
#   (/work/.mirror/standardebooks+robert-louis-stevenson_the-strange-case-of-dr-jekyll-and-mr-hyde/repo,
#   a bare git directory) or a checked-out work tree of it.
#   OUTDIR: default tests/corpus/books/jekyll-and-hyde beside this script.
#
# What it does, and what it changes:
# - Each spine document becomes one Markdown part; titlepage.xhtml is left
#   out: its words (title and author) are those of book.yaml, from which
#   gsi-book sets its own title page.  imprint.xhtml is front matter,
#   colophon.xhtml and uncopyright.xhtml back matter, the chapters chapters.
# - Each document's <h2> title becomes the part's level-1 heading ("Writing
#   a book" in README: a part starts with a level-1 heading); the <header>
#   wrapper is unwrapped so the heading comes first.
# - <span> tags are unwrapped (their text kept) before pandoc: they carry
#   only semantics (a salutation, the lines of a verse), and pandoc's HTML
#   reader without native_spans breaks a paragraph at each of them.
# - Markup gsi-book does not read (raw HTML) is dropped by pandoc
#   (-f html-native_divs-native_spans -t gfm-raw_html): <abbr>, <time>,
#   <section>, <footer> and the epub:type semantics go, their text
#   stays; <i>/<em> become emphasis, <b>/<strong> strong emphasis, <br/>
#   hard line breaks, <blockquote> (letters, the verse) block quotes.
# - The Standard Ebooks logo in the imprint and colophon is kept as a figure,
#   images/logo.svg, with its alt text.
# - A link to another spine document (uncopyright.xhtml) becomes a link to
#   that part's heading (#uncopyright), as README's links require.
# - The word joiners (U+2060) Standard Ebooks puts before em dashes are
#   kept: they are text.
set -eu

SRC=${1:?usage: jekyll-and-hyde.sh SNAPSHOT [OUTDIR]}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${2:-$HERE/../books/jekyll-and-hyde}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

if [ -d "$SRC/src/epub" ]; then
    cp -R "$SRC/src" "$TMP/src"
else
    git --git-dir="$SRC" archive HEAD src | tar -x -C "$TMP"
fi
E=$TMP/src/epub

rm -rf "$OUT"
mkdir -p "$OUT/images"
cp "$E/images/logo.svg" "$OUT/images/logo.svg"

# The spine, in order, without the title page.
python3 - "$E/content.opf" >"$TMP/spine" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"opf": "http://www.idpf.org/2007/opf"}
root = ET.parse(sys.argv[1]).getroot()
items = {i.get("id"): i.get("href") for i in root.find("opf:manifest", ns)}
for ref in root.find("opf:spine", ns):
    href = items[ref.get("idref")]
    if href != "text/titlepage.xhtml":
        print(href)
PY

# Preprocess one XHTML document: unwrap <header>, make its <h2> an <h1>,
# turn links to other spine documents into fragment links, point images
# at images/.
cat >"$TMP/prep.py" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
s = re.sub(r"</?header>", "", s)
# <span> only carries semantics (a salutation, a verse line); pandoc's
# HTML reader without native_spans splits a paragraph at it.
s = re.sub(r"</?span(\s[^>]*)?>", "", s)
s = re.sub(r"<h2(\s[^>]*)?>", r"<h1>", s)
s = s.replace("</h2>", "</h1>")
s = re.sub(r'href="(?:\.\./text/)?([a-z0-9-]+)\.xhtml(#[^"]*)?"',
           lambda m: 'href="%s"' % (m.group(2) or "#" + m.group(1)), s)
s = s.replace('src="../images/', 'src="images/')
sys.stdout.write(s)
PY

PARTS=
while read -r href; do
    name=$(basename "$href" .xhtml)
    python3 "$TMP/prep.py" "$E/$href" >"$TMP/$name.xhtml"
    pandoc -f html-native_divs-native_spans -t gfm-raw_html --wrap=none \
        "$TMP/$name.xhtml" -o "$OUT/$name.md"
    case $name in
        imprint) kind=frontmatter ;;
        colophon|uncopyright) kind=backmatter ;;
        *) kind=chapter ;;
    esac
    PARTS="$PARTS  - file: $name.md
    kind: $kind
"
done <"$TMP/spine"

cat >"$OUT/book.yaml" <<YAML
title: The Strange Case of Dr. Jekyll and Mr. Hyde
author: Robert Louis Stevenson
lang: en-GB
date: 1886
publisher: Standard Ebooks
description: A London lawyer investigates the relationship between a brilliant scientist and a misshapen misanthrope.
subject:
  - Science fiction
  - Horror tales
  - Psychological fiction
source: |
  Standard Ebooks, https://github.com/standardebooks/robert-louis-stevenson_the-strange-case-of-dr-jekyll-and-mr-hyde
  commit 73eebdd82ee343c96561c43f5db08f4b3b9b717c, src/epub/text/*.xhtml
rights: |
  The text is in the public domain. Standard Ebooks' contributions are dedicated
  to the public domain under CC0 1.0 Universal (https://creativecommons.org/publicdomain/zero/1.0/).
parts:
$PARTS
YAML
