#!/bin/sh
# Converts Nikolai Gogol's play "Ревизор" (The Government Inspector, first
# published 1836), in Russian, into the corpus book tests/corpus/books/revizor/.
#
# Source: the Russian Drama Corpus (RusDraCor),
#   https://github.com/dracor-org/rusdracor
#   commit b178c0401ffcf58b209104e90e38ff718f188fd8, file tei/gogol-revizor.xml
#   (TEI P5; its digital source is ilibrary.ru, after N. V. Gogol, Sobranie
#   sochinenii v 9 t., t. 4, Moscow: Russkaya kniga, 1994).
# Licence: the text is in the public domain (Gogol died in 1852); DraCor's
#   TEI encoding is released under CC0 1.0 (its <licence> element).
#
# Usage: revizor.sh SNAPSHOT [OUTDIR]
#   SNAPSHOT: the snapshot the fetch tool brings
#   (/work/.mirror/dracor-org+rusdracor/repo, a bare git directory) or a
#   checked-out work tree of it.
#   OUTDIR: default tests/corpus/books/revizor beside this script.
#
# What it does (revizor.py, python3's standard library only):
# - <front>: the title and subtitle go to book.yaml (gsi-book sets its own
#   title page from them); the epigraph is a block quote set as the
#   standfirst of the first part, "Действующие лица" (the cast list, a
#   list; each braced <castGroup> is one item with a line per member and a
#   last line "— " + its role, the dash standing for the brace); the
#   "Характеры и костюмы" notes for the actors are the second part.  Both
#   are front matter.
# - <body>: each act is a chapter, its <head> the level-1 heading, each
#   scene ("Явление I") a level-2 heading.  A speech is a paragraph that
#   opens with the speaker in bold, followed by a stage direction given
#   right after the speaker ("(в сторону).") in italics; later paragraphs
#   of a speech are paragraphs of their own.  Stage directions, in the
#   text or between speeches, are in italics (their parentheses are the
#   source's).  A group speaking together (<spGrp>) has its head
#   ("Вместе.") in italics above its speeches.
# - The TEI header (metadata, the German cast names, the revision list)
#   is not text of the play and is left out; the speakers' ids (@who) too.
# - White space is collapsed as TEI allows; Markdown's special characters
#   are escaped.  Nothing of the play's text is dropped.
set -eu

SRC=${1:?usage: revizor.sh SNAPSHOT [OUTDIR]}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${2:-$HERE/../books/revizor}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

if [ -f "$SRC/tei/gogol-revizor.xml" ]; then
    cp "$SRC/tei/gogol-revizor.xml" "$TMP/revizor.xml"
else
    git --git-dir="$SRC" show HEAD:tei/gogol-revizor.xml >"$TMP/revizor.xml"
fi

rm -rf "$OUT"
mkdir -p "$OUT"
ACTS=$(python3 "$HERE/revizor.py" "$TMP/revizor.xml" "$OUT")

{
    cat <<'YAML'
title: Ревизор
subtitle: Комедия в пяти действиях
author: Николай Васильевич Гоголь
lang: ru
date: 1836
source: |
  RusDraCor, https://github.com/dracor-org/rusdracor
  commit b178c0401ffcf58b209104e90e38ff718f188fd8, tei/gogol-revizor.xml
rights: |
  Текст — общественное достояние (public domain).
  TEI-разметка DraCor — CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/).
parts:
  - file: cast.md
    kind: frontmatter
  - file: characters.md
    kind: frontmatter
YAML
    n=1
    while [ "$n" -le "$ACTS" ]; do
        printf '  - file: act-%d.md\n    kind: chapter\n' "$n"
        n=$((n + 1))
    done
} >"$OUT/book.yaml"
