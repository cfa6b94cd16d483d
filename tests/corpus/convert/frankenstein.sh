#!/bin/sh
# tests/corpus/convert/frankenstein.sh GITDIR [COMMIT] - regenerates
# tests/corpus/books/frankenstein/ from Standard Ebooks' Frankenstein.
#
# Source: https://github.com/standardebooks/mary-shelley_frankenstein,
# commit 0e54fe85d3916535d8fa9dddebee03b107fa0888 (HEAD of the fetch tool's snapshot
# /work/.mirror/standardebooks+mary-shelley_frankenstein/repo, a bare git
# directory: pass it as GITDIR; COMMIT defaults to HEAD).
# Licence: the text (Mary Shelley, 1818; the 1831 edition's text) is in the
# public domain; Standard Ebooks' own work on it is dedicated to the public
# domain under CC0 1.0 (their LICENSE.md).
#
# What it does: reads src/epub/text/*.xhtml in the spine order of
# src/epub/content.opf and writes one Markdown part a file, through pandoc
# (HTML to GitHub Markdown without raw HTML), after flattening Standard
# Ebooks' markup with python3 (xml.etree):
#  - section, header, footer, hgroup, abbr, span and time are unwrapped
#    (gsi-book reads no HTML: pandoc would keep them as raw HTML);
#  - each part's title heading (h2) becomes a level-1 heading and h3 a
#    level-2 heading, as README's "Writing a book" requires; the label and
#    the roman number of "Chapter I" stay the heading's words;
#  - the three endnotes (endnotes.xhtml) become footnotes of the chapters
#    that refer to them, their back-links dropped;
#  - cite becomes a paragraph of its own.
# Left out: the title page and the half-title page (gsi-book sets its own
# from book.yaml), and Standard Ebooks' imprint, colophon and uncopyright
# (their production notes and licence, which SOURCES.md and book.yaml's
# rights record; the imprint's link to the uncopyright file is a relative
# address, which a book may not hold).  Characters are never replaced (the
# word joiners U+2060 around em dashes, ⸺ and ⸻ stay).
set -eu
. "$(dirname "$0")/lib.sh"
gitdir=${1:?usage: frankenstein.sh GITDIR [COMMIT]}
commit=${2:-HEAD}
work=$(mktemp -d "${TMPDIR:-/tmp}/frankenstein.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
corpus_src "$gitdir" "$commit" "$work/src"
out=$(corpus_out frankenstein)
mkdir -p "$work/html"

# 1. flatten each spine file into plain HTML, $work/html/NAME.html; print
#    "NAME KIND" a part, and write the notes as $work/html/note-N.html
python3 - "$work/src/src/epub" "$work/html" > "$work/parts" <<'PY'
import sys, re, html
import xml.etree.ElementTree as ET
epub, dest = sys.argv[1], sys.argv[2]
X = '{http://www.w3.org/1999/xhtml}'
E = '{http://www.idpf.org/2007/ops}type'
opf = ET.parse(epub + '/content.opf').getroot()
O = '{http://www.idpf.org/2007/opf}'
items = {i.get('id'): i.get('href') for i in opf.iter(O + 'item')}
spine = [items[r.get('idref')] for r in opf.iter(O + 'itemref')]
skip = {'titlepage', 'halftitlepage', 'imprint', 'colophon', 'uncopyright', 'endnotes'}
front = {'introduction', 'preface', 'dedication', 'epigraph'}
UNWRAP = {'section', 'header', 'footer', 'hgroup', 'abbr', 'span', 'time', 'body', 'div'}
KEEP = {'p', 'blockquote', 'br', 'hr', 'em', 'i', 'b', 'strong', 'ol', 'ul', 'li'}

def esc(s):
    return html.escape(s or '', quote=False)

def inner(el):
    return esc(el.text) + ''.join(emit(c) + esc(c.tail) for c in el)

def emit(el):
    tag = el.tag.replace(X, '')
    if tag in UNWRAP:
        return inner(el)
    if tag in ('h1', 'h2', 'h3', 'h4', 'h5', 'h6'):
        n = int(tag[1]) - 1
        return '<h%d>%s</h%d>' % (n, ' '.join(inner(el).split()), n)
    if tag == 'a':
        if 'noteref' in (el.get(E) or ''):
            return 'FNREF%sZZ' % re.sub(r'\D', '', el.get('href'))
        if 'backlink' in (el.get(E) or ''):
            return ''
        href = el.get('href') or ''
        if href.startswith(('https:', 'http:', 'mailto:')):
            return '<a href="%s">%s</a>' % (html.escape(href), inner(el))
        return inner(el)
    if tag == 'cite':
        return '<p>%s</p>' % inner(el)
    if tag in ('br', 'hr'):
        return '<%s/>' % tag
    if tag in KEEP:
        return '<%s>%s</%s>' % (tag, inner(el), tag)
    if tag == 'img':
        raise SystemExit('frankenstein.sh: a picture in a converted part: ' + (el.get('src') or ''))
    raise SystemExit('frankenstein.sh: unexpected element <%s>' % tag)

for href in spine:
    name = href.rsplit('/', 1)[-1].rsplit('.', 1)[0]
    body = ET.parse(epub + '/' + href).getroot().find(X + 'body')
    if name == 'endnotes':
        for li in body.iter(X + 'li'):
            n = re.sub(r'\D', '', li.get('id'))
            with open('%s/note-%s.html' % (dest, n), 'w', encoding='utf-8') as f:
                f.write(''.join(emit(c) for c in li))
    if name in skip:
        continue
    with open('%s/%s.html' % (dest, name), 'w', encoding='utf-8') as f:
        f.write('<html><body>%s</body></html>\n' % emit(body))
    print(name, 'frontmatter' if name in front else 'chapter')
PY

# 2. pandoc each part and each note; the notes go at the end of the part
#    that refers to them
for f in "$work"/html/note-*.html; do
	n=$(basename "$f" .html); n=${n#note-}
	corpus_pandoc -f html-native_divs-native_spans "$f" -o "$work/note-$n.md"
done
while read -r name kind; do
	corpus_pandoc -f html-native_divs-native_spans "$work/html/$name.html" -o "$work/$name.md"
	python3 - "$work" "$name" > "$out/$name.md" <<'PY'
import sys, re
work, name = sys.argv[1], sys.argv[2]
text = open('%s/%s.md' % (work, name), encoding='utf-8').read()
notes = re.findall(r'FNREF(\d+)ZZ', text)
text = re.sub(r'FNREF(\d+)ZZ', r'[^\1]', text)
for n in notes:
    note = open('%s/note-%s.md' % (work, n), encoding='utf-8').read().strip()
    text += '\n[^%s]: %s\n' % (n, note)
sys.stdout.write(text)
PY
done < "$work/parts"

# 3. book.yaml: the metadata of content.opf
{
	cat <<'YAML'
# Converted by tests/corpus/convert/frankenstein.sh from Standard Ebooks'
# edition (https://github.com/standardebooks/mary-shelley_frankenstein).
title: Frankenstein
subtitle: Or, the Modern Prometheus
author:
  - name: Mary Shelley
    role: author
  - name: Percy Bysshe Shelley
    role: contributor
lang: en-GB
date: "1818"
publisher: Standard Ebooks
source: "https://standardebooks.org/ebooks/mary-shelley/frankenstein, from the text of the 1831 edition (https://www.gutenberg.org/ebooks/42324, https://archive.org/details/frankensteinormo00shel_9)"
rights: "The text is in the public domain. Standard Ebooks dedicate their work on it to the public domain under CC0 1.0 Universal (https://creativecommons.org/publicdomain/zero/1.0/)."
description: A tragic scientist creates a monster in his laboratory.
subject:
  - Science fiction
  - Horror tales
  - Gothic fiction (Literary genre)
parts:
YAML
	while read -r name kind; do
		printf '  - file: %s.md\n    kind: %s\n' "$name" "$kind"
	done < "$work/parts"
} > "$out/book.yaml"
