#!/bin/sh
# Converts the Pandoc User's Guide (MANUAL.txt, pandoc's Markdown) into the
# corpus book tests/corpus/books/pandoc-manual.
#
# Source: https://github.com/jgm/pandoc, file MANUAL.txt, at commit
#   0a9a2f261510322ee5a33a2a7facce54b8a718ec (the default; another may be
#   given as the second argument).
# Licence: GPL-2.0-or-later (pandoc's COPYRIGHT file: "With the
#   exceptions noted below, this code is released under the GPL, version 2
#   or later"; MANUAL.txt is none of the exceptions).
# Usage: pandoc-manual.sh GITDIR [COMMIT] [OUTDIR]
#   GITDIR: a git dir of jgm/pandoc (the fetch tool's
#   /work/.mirror/jgm+pandoc/repo).
#
# What it does, with pandoc 2.17 and python3:
# - pandoc reads MANUAL.txt as pandoc's Markdown (with smart punctuation,
#   as pandoc itself does) to its JSON tree; the title block becomes
#   book.yaml;
# - internal links: pandoc's own ids (auto identifiers, {#id} on headings,
#   divs and spans) differ from GitHub's slugs, which gsi-book resolves.
#   Each link to #id is rewritten to the GitHub slug of the heading that
#   bears the id (computed from the heading's text, with GitHub's -1, -2
#   for repeats in the file), or for an id on a div or span, of the
#   heading of the section that holds it.  A link to an id that none
#   bears is an error of this script;
# - divs and spans (pandoc's containers, which GitHub Markdown has no
#   syntax for and pandoc writes as raw HTML) are replaced by their
#   content: no text is lost, only the container;
# - definition lists (options, variables, extensions) have no GitHub
#   Markdown syntax either: each term becomes a paragraph of its own in
#   bold, followed by its definition's blocks, as pandoc's gfm writer
#   would write them without the term's emphasis;
# - a table whose cells hold code blocks (defaults files: "command line"
#   and "defaults file" side by side), which a GitHub table cannot hold
#   and pandoc writes as "[TABLE]", becomes a list, an item a row: each
#   cell's blocks after its column's heading in bold ("command line:");
# - an implicit reference to a heading whose text several headings share
#   goes to the first of them, as the guide says it does (pandoc 2.17
#   takes the last);
# - raw TeX or HTML, if any, becomes code (shown, not interpreted);
# - pandoc writes GitHub Markdown without raw HTML (-t gfm-raw_html) as one
#   file, a chapter per level-1 heading (README: "Writing a book").
# Deterministic: the same input gives the same bytes.
set -eu
gitdir=$1
commit=${2:-0a9a2f261510322ee5a33a2a7facce54b8a718ec}
here=$(cd "$(dirname "$0")" && pwd)
out=${3:-$here/../books/pandoc-manual}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

git --git-dir="$gitdir" show "$commit:MANUAL.txt" > "$tmp/MANUAL.txt"
# pandoc 2.17 resolves an implicit heading reference ([General options])
# to the last heading of that text; the guide means the first ("the
# corresponding reference will link to the first one only"): a reference
# definition for each heading text that several headings share says so
# (an explicit definition comes before the implicit ones).
pandoc -f markdown -t json "$tmp/MANUAL.txt" -o "$tmp/first.json"
python3 - "$tmp/first.json" >> "$tmp/MANUAL.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
ids = {}
for b in d['blocks']:
    if b['t'] == 'Header' and all(e['t'] in ('Str', 'Space') for e in b['c'][2]):
        text = ''.join(e['c'] if e['t'] == 'Str' else ' ' for e in b['c'][2])
        ids.setdefault(text, []).append(b['c'][1][0])
print()
for text, first in sorted(ids.items()):
    if len(first) > 1:
        print('[%s]: #%s' % (text, first[0]))
PY
pandoc -f markdown -t json "$tmp/MANUAL.txt" -o "$tmp/in.json"

python3 - "$tmp/in.json" "$tmp/out.json" "$tmp/meta.txt" <<'PY'
import json, sys, unicodedata

d = json.load(open(sys.argv[1], encoding='utf-8'))

def text(x):
    """The plain text of inlines, as a Markdown reader sees it."""
    out = []
    def w(e):
        if isinstance(e, list):
            for v in e:
                w(v)
        elif isinstance(e, dict):
            t = e.get('t')
            if t == 'Str':
                out.append(e['c'])
            elif t == 'Code':
                out.append(e['c'][1])
            elif t in ('Space', 'SoftBreak', 'LineBreak'):
                out.append(' ')
            elif t == 'Quoted':
                dq = e['c'][0]['t'] == 'DoubleQuote'
                out.append('\u201c' if dq else '\u2018')
                w(e['c'][1])
                out.append('\u201d' if dq else '\u2019')
            elif t == 'Note':
                pass
            elif t in ('Link', 'Image', 'Span'):
                w(e['c'][1] if t != 'Span' else e['c'][1])
            elif 'c' in e:
                w(e['c'])
    w(x)
    return ''.join(out)

# GitHub's slug (github-slugger): lowercase; letters, marks, decimal and
# letter numbers, connector punctuation, '-' kept; a space becomes '-'.
KEEP = {'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'Mc', 'Me', 'Mn', 'Nd', 'Nl', 'Pc'}
def slugify(s):
    r = []
    for ch in s.lower():
        if ch == ' ':
            r.append('-')
        elif ch == '-' or unicodedata.category(ch) in KEEP:
            r.append(ch)
    return ''.join(r)

seen = {}
def unique(base):
    slug, n = base, 0
    while slug in seen:
        n += 1
        slug = '%s-%d' % (base, n)
    seen[slug] = True
    return slug

idmap = {}
current = ['']

def note_ids(x):
    """Ids of divs, spans and other elements inside x: to the section."""
    if isinstance(x, list):
        for v in x:
            note_ids(v)
    elif isinstance(x, dict):
        t = x.get('t')
        if t == 'Header':
            lvl, attr, inl = x['c']
            slug = unique(slugify(text(inl)))
            if attr[0]:
                idmap[attr[0]] = slug
            current[0] = slug
            note_ids(inl)
            return
        c = x.get('c')
        if t in ('Div', 'Span', 'CodeBlock', 'Code', 'Table', 'Image', 'Link') and c:
            attr = c[0]
            if isinstance(attr, list) and attr and isinstance(attr[0], str) and attr[0]:
                idmap.setdefault(attr[0], current[0])
        if c is not None:
            note_ids(c)

note_ids(d['blocks'])

def cell_blocks(cell):
    return cell[4]

def table_rows(x):
    attr, caption, specs, thead, tbodies, tfoot = x['c']
    head = thead[1]
    body = []
    for tb in tbodies:
        body.extend(tb[2])
        body.extend(tb[3])
    body.extend(tfoot[1])
    return head, body

def simple_table(x):
    head, body = table_rows(x)
    for row in head + body:
        for cell in row[1]:
            b = cell_blocks(cell)
            if len(b) > 1 or (b and b[0]['t'] not in ('Plain', 'Para')):
                return False
    return True

def table_as_list(x):
    """A table whose cells hold code blocks (which GitHub tables cannot)
    as a list, an item a row: each cell's blocks after its column's
    heading, in bold, with a colon."""
    head, body = table_rows(x)
    names = [[]] * 0
    if head:
        names = [sum((b['c'] for b in cell_blocks(c)), []) for c in head[0][1]]
    items = []
    for row in body:
        item = []
        for i, cell in enumerate(row[1]):
            if i < len(names) and names[i]:
                item.append({'t': 'Para', 'c': [{'t': 'Strong', 'c': names[i] + [{'t': 'Str', 'c': ':'}]}]})
            item.extend(cell_blocks(cell))
        items.append(rewrite(item))
    caption = x['c'][1][1]
    return rewrite(caption) + [{'t': 'BulletList', 'c': items}]

missing = []
def rewrite(x):
    if isinstance(x, list):
        out = []
        for v in x:
            r = rewrite(v)
            if isinstance(r, tuple):      # spliced content
                out.extend(r[0])
            else:
                out.append(r)
        return out
    if not isinstance(x, dict):
        return x
    t = x.get('t')
    if t in ('Div', 'Span'):
        return (rewrite(x['c'][1]),)
    if t == 'RawInline':
        return {'t': 'Code', 'c': [['', [], []], x['c'][1]]}
    if t == 'RawBlock':
        return {'t': 'CodeBlock', 'c': [['', [], []], x['c'][1]]}
    if t == 'Link':
        attr, inl, (url, title) = x['c']
        if url.startswith('#'):
            target = url[1:]
            if target not in idmap:
                missing.append(target)
            else:
                url = '#' + idmap[target]
        return {'t': 'Link', 'c': [attr, rewrite(inl), [url, title]]}
    if t == 'Table' and not simple_table(x):
        return (table_as_list(x),)
    if t == 'DefinitionList':
        blocks = []
        for term, defs in x['c']:
            blocks.append({'t': 'Para', 'c': [{'t': 'Strong', 'c': rewrite(term)}]})
            for dd in defs:
                blocks.extend(rewrite(dd))
        return (blocks,)
    if 'c' in x:
        return {'t': t, 'c': rewrite(x['c'])}
    return x

d['blocks'] = rewrite(d['blocks'])
if missing:
    sys.exit('pandoc-manual.sh: links to ids no element bears: ' + ', '.join(sorted(set(missing))))

meta = d['meta']
def mtext(k):
    v = meta.get(k)
    return text(v['c']) if v else ''
with open(sys.argv[3], 'w', encoding='utf-8') as f:
    f.write('%s\n%s\n%s\n' % (mtext('title'), mtext('author'), mtext('date')))
d['meta'] = {}
json.dump(d, open(sys.argv[2], 'w', encoding='utf-8'))
PY

rm -rf "$out"
mkdir -p "$out"
pandoc -f json -t gfm-raw_html --wrap=none "$tmp/out.json" -o "$out/manual.md"

{
	title=$(sed -n 1p "$tmp/meta.txt")
	author=$(sed -n 2p "$tmp/meta.txt")
	date=$(sed -n 3p "$tmp/meta.txt")
	echo "title: \"$title\""
	echo "author: $author"
	echo "lang: en"
	echo "date: $date"
	echo "source: \"https://github.com/jgm/pandoc, MANUAL.txt at commit $commit\""
	echo "rights: |"
	echo "  Copyright (C) 2006-2024 John MacFarlane."
	echo "  Released under the GNU General Public License, version 2 or later"
	echo "  (GPL-2.0-or-later), as pandoc's COPYRIGHT file says."
	echo "subject: pandoc"
	echo "parts:"
	echo "  - file: manual.md"
	echo "    kind: chapter"
} > "$out/book.yaml"
