#!/bin/sh
# Converts the word-processor manuscript tests/corpus/sources/on-liberty.docx
# (John Stuart Mill, "On Liberty", 1859: the dedication with its epigraph,
# chapters I and III, and an editor's note with a table, lists and links)
# into the corpus book tests/corpus/books/on-liberty, as an author would:
# pandoc reads the .docx to GitHub Markdown, one file with a level-1
# heading per chapter (README: "Writing a book"), and the author writes
# book.yaml.  Nothing else is changed: no text is stripped or edited.
#
# Source: tests/corpus/sources/on-liberty.docx, made by
#   tests/corpus/sources/on-liberty-manuscript.sh from
#   https://github.com/standardebooks/john-stuart-mill_on-liberty at
#   commit f9793ea4d5f540e28413cf49496da4fcbf54d822.
# Licence: public domain (Mill's text; Standard Ebooks' edition under
#   CC0 1.0; the editor's note, written for this corpus, CC0 1.0).
# Usage: on-liberty.sh [DOCX] [OUTDIR]
# Needs pandoc 2.17.  Deterministic.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
docx=${1:-$here/../sources/on-liberty.docx}
out=${2:-$here/../books/on-liberty}

rm -rf "$out"
mkdir -p "$out"
pandoc -f docx -t gfm --wrap=none "$docx" -o "$out/on-liberty.md"
cat > "$out/book.yaml" <<'YAML'
title: On Liberty
subtitle: Chapters I and III, with the Dedication
author: John Stuart Mill
lang: en-GB
date: 1859
source: "A manuscript (tests/corpus/sources/on-liberty.docx) made from the Standard Ebooks edition, https://github.com/standardebooks/john-stuart-mill_on-liberty at commit f9793ea4d5f540e28413cf49496da4fcbf54d822"
rights: |
  Public domain. Standard Ebooks' edition and the editor's note are
  dedicated to the public domain under CC0 1.0.
parts:
  - file: on-liberty.md
    kind: chapter
YAML
