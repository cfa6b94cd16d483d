#!/bin/sh
# Makes the word-processor manuscript tests/corpus/sources/on-liberty.docx
# (and the Markdown it is made from, on-liberty.md): a few parts of John
# Stuart Mill's "On Liberty" (1859), with the structure an editor's
# manuscript has in a word processor: an editor's note with headings, a
# table, lists and links; the epigraph as a block quote; the author's notes
# as footnotes; emphasis.  tests/corpus/convert/on-liberty.sh then turns
# the .docx back into a book, as an author would.
#
# Source: https://github.com/standardebooks/john-stuart-mill_on-liberty at
#   commit f9793ea4d5f540e28413cf49496da4fcbf54d822 (default; another may
#   be given as the second argument): src/epub/text/epigraph.xhtml,
#   dedication.xhtml, chapter-1.xhtml, chapter-3.xhtml and the notes of
#   chapter 3 in endnotes.xhtml.
# Licence: public domain (Mill, 1859); Standard Ebooks' edition dedicated
#   to the public domain under CC0 1.0 (LICENSE.md).  The editor's note is
#   written for this corpus and dedicated to the public domain too (CC0).
# Usage: on-liberty-manuscript.sh GITDIR [COMMIT] [OUTDIR]
#   GITDIR: the fetch tool's /work/.mirror/standardebooks+john-stuart-mill_on-liberty/repo
# Needs pandoc 2.17 and python3.  Deterministic: SOURCE_DATE_EPOCH fixes
# the .docx's dates, so the same input gives the same bytes.
set -eu
gitdir=$1
commit=${2:-f9793ea4d5f540e28413cf49496da4fcbf54d822}
here=$(cd "$(dirname "$0")" && pwd)
out=${3:-$here}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in epigraph dedication chapter-1 chapter-3 endnotes; do
	git --git-dir="$gitdir" show "$commit:src/epub/text/$f.xhtml" > "$tmp/$f.xhtml"
done

python3 - "$tmp" "$commit" <<'PY'
import re, subprocess, sys

tmp, commit = sys.argv[1], sys.argv[2]

def md(html):
    """Markdown of an XHTML fragment, by pandoc (no wrapping)."""
    r = subprocess.run(['pandoc', '-f', 'html', '-t', 'markdown-smart-raw_html-native_divs-native_spans-bracketed_spans-link_attributes',
                        '--wrap=none'], input=html.encode('utf-8'),
                       stdout=subprocess.PIPE, check=True)
    return r.stdout.decode('utf-8').strip()

def read(name):
    return open('%s/%s.xhtml' % (tmp, name), encoding='utf-8').read()

def section(html):
    body = re.search(r'<section[^>]*>(.*)</section>', html, re.S).group(1)
    body = re.sub(r'<hgroup>.*?</hgroup>', '', body, flags=re.S)
    # a note reference: a token pandoc keeps as it is, a footnote below
    body = re.sub(r'<a href="endnotes\.xhtml#note-(\d+)"[^>]*>\d+</a>', r'NOTEREF\1X', body)
    return body

notes = {}
endnotes = read('endnotes')
for m in re.finditer(r'<li id="note-(\d+)">(.*?)</li>', endnotes, re.S):
    inner = re.sub(r'\s*<a href="[^"]*" epub:type="backlink">↩</a>', '', m.group(2))
    notes[m.group(1)] = md(inner)

def with_notes(text, used):
    def ref(m):
        used.append(m.group(1))
        return '[^%s]' % m.group(1)
    return re.sub(r'NOTEREF(\d+)X', ref, text)

def words(text):
    plain = re.sub(r'\[\^\d+\]|[*_>#]', ' ', text)
    return len(plain.split())

parts = []
used = []
epigraph = md(section(read('epigraph')))
dedication = with_notes(md(section(read('dedication'))), used)
parts.append(('Dedication', '', '# Dedication\n\n' + epigraph + '\n\n' + dedication))
for n, roman in (('1', 'I'), ('3', 'III')):
    html = read('chapter-' + n)
    title = re.search(r'<p epub:type="title">(.*?)</p>', html).group(1)
    text = with_notes(md(section(html)), used)
    parts.append(('Chapter ' + roman, title, '# %s. %s\n\n%s' % (roman, title, text)))

rows = '\n'.join('| %s | %s | %s |' % (label, title or '—', format(words(t), ',')) for label, title, t in parts)
total = sum(words(t) for _, _, t in parts)
note = '''# Editor’s Note

This manuscript holds three parts of John Stuart Mill’s essay *On Liberty*, first published in London by John W. Parker and Son in 1859. It was prepared in a word processor from the text of the [Standard Ebooks edition](https://standardebooks.org/ebooks/john-stuart-mill/on-liberty), whose source is kept in a [public repository](https://github.com/standardebooks/john-stuart-mill_on-liberty) (commit `%s`).

## Contents of this manuscript

| Part | Title | Words |
|:-----|:------|------:|
%s
| **Total** | | **%s** |

Table: The parts of the essay in this manuscript, with their length in words.

## Conventions

The manuscript follows a few conventions:

1. Mill’s own notes, printed at the end of the Standard Ebooks edition, are footnotes here, numbered as there.
2. The epigraph from Wilhelm von Humboldt stands as a block quotation at the head of the dedication.
3. Emphasis is Mill’s; book titles are in italics.

What it leaves out:

- Chapter II, “Of the Liberty of Thought and Discussion,” and Chapters IV and V;
- the introduction by W. L. Courtney, and the Standard Ebooks colophon.

Both the essay and this edition are in the public domain; see [Creative Commons’ CC0 1.0 dedication](https://creativecommons.org/publicdomain/zero/1.0/).
''' % (commit, rows, format(total, ','))

body = note + '\n' + '\n\n'.join(t for _, _, t in parts) + '\n'
for n in used:
    text = notes[n].replace('\n', '\n    ')
    body += '\n[^%s]: %s\n' % (n, text)

head = '''---
title: On Liberty
subtitle: Chapters I and III, with the Dedication
author: John Stuart Mill
date: 1859
lang: en-GB
---

'''
open(tmp + '/on-liberty.md', 'w', encoding='utf-8').write(head + body)
PY

cp "$tmp/on-liberty.md" "$out/on-liberty.md"
SOURCE_DATE_EPOCH=0 pandoc -f markdown "$tmp/on-liberty.md" -o "$tmp/on-liberty.docx"
cp "$tmp/on-liberty.docx" "$out/on-liberty.docx"
