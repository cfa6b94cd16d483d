#!/bin/sh
# tests/corpus/convert/frankenstein-html.sh GITDIR [COMMIT] - regenerates
# tests/corpus/books/frankenstein-html/: one chapter of Standard Ebooks'
# Frankenstein (Letter IV) converted as a new user would, by pandoc alone,
# keeping the raw HTML that pandoc's GitHub writer emits (<div>s and
# <span>s with Standard Ebooks' classes, ids and epub:type attributes):
# the test that such a conversion builds with warnings only (README "The
# Markdown", raw HTML).
#
# Source: https://github.com/standardebooks/mary-shelley_frankenstein,
# commit 0e54fe85d3916535d8fa9dddebee03b107fa0888 (HEAD of the fetch
# tool's snapshot /work/.mirror/standardebooks+mary-shelley_frankenstein/repo,
# a bare git directory: pass it as GITDIR; COMMIT defaults to HEAD); file
# src/epub/text/letter-4.xhtml.
# Licence: the text (Mary Shelley, 1818; the 1831 edition's text) is in the
# public domain; Standard Ebooks' own work on it is dedicated to the public
# domain under CC0 1.0 (their LICENSE.md).
#
# What it does: `pandoc -f html -t gfm --shift-heading-level-by=-1`
# (pandoc 2.17; the shift makes the chapter's h2 title the level-1
# heading a part starts with, README "Writing a book"), pandoc's own line
# wrapping kept.  Nothing else is changed.
set -eu
. "$(dirname "$0")/lib.sh"
gitdir=${1:?usage: frankenstein-html.sh GITDIR [COMMIT]}
commit=${2:-HEAD}
work=$(mktemp -d "${TMPDIR:-/tmp}/frankenstein-html.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
corpus_src "$gitdir" "$commit" "$work/src"
out=$(corpus_out frankenstein-html)
pandoc -f html -t gfm --shift-heading-level-by=-1 \
	"$work/src/src/epub/text/letter-4.xhtml" -o "$out/letter-4.md"
cat > "$out/book.yaml" <<'YAML'
# Converted by tests/corpus/convert/frankenstein-html.sh from Standard
# Ebooks' edition (https://github.com/standardebooks/mary-shelley_frankenstein):
# one chapter, by `pandoc -f html -t gfm`, its raw HTML kept.
title: Frankenstein, Letter IV
author:
  - name: Mary Shelley
    role: author
lang: en-GB
date: "1818"
publisher: Standard Ebooks
source: "https://standardebooks.org/ebooks/mary-shelley/frankenstein, src/epub/text/letter-4.xhtml, converted by pandoc -f html -t gfm"
rights: "The text is in the public domain. Standard Ebooks dedicate their work on it to the public domain under CC0 1.0 Universal (https://creativecommons.org/publicdomain/zero/1.0/)."
parts:
  - file: letter-4.md
    kind: chapter
YAML
