#!/bin/sh
# Converts Software Carpentry's lesson "The Unix Shell" (an illustrated
# manual: figures in SVG and a PNG screenshot) into the corpus book
# tests/corpus/books/shell-novice.
#
# Source: https://github.com/swcarpentry/shell-novice, at commit
#   f095fbcb703452afa0f424ea837771356226841a (the default; another may be
#   given as the second argument): learners/setup.md, episodes/01-intro.md
#   to episodes/07-find.md, learners/reference.md and the figures they
#   show (episodes/fig/*.svg, *.png).
# Licence: CC BY 4.0 (LICENSE.md: "All Carpentries ... instructional
#   material is made available under the Creative Commons Attribution
#   license"), Copyright (c) The Carpentries.
# Usage: shell-novice.sh GITDIR [COMMIT] [OUTDIR]
#   GITDIR: a git dir of swcarpentry/shell-novice (the fetch tool's
#   /work/.mirror/swcarpentry+shell-novice/repo).
#
# The lesson is written for The Carpentries' "sandpaper" site builder in
# pandoc's Markdown.  pandoc 2.17 reads each file to its JSON tree, a
# python3 pass makes it what gsi-book reads, pandoc writes GitHub
# Markdown without raw HTML (-t gfm-raw_html).  The pass:
# - the title in each file's YAML header becomes its level-1 heading;
# - the lesson's boxes (fenced divs: objectives, questions, callout,
#   challenge, solution, hint, discussion, keypoints, instructor, spoiler)
#   are unwrapped: a box starting with its own heading keeps it, one level
#   below the section or box holding it (a challenge's "## Solution"
#   becomes a level below the challenge's title); a box without one gets
#   the label the lesson's site shows as a bold paragraph ("Objectives",
#   "Questions", "Key Points", "Instructor note", ...), so that no box
#   runs into the text around it;
# - headings go down one level at a time (gsi-book's rule): each heading
#   goes one level below the nearest heading before it written above it
#   (the lesson has "####" after "##" and "###" after the title);
# - a figure's alt text is an attribute ({alt='...'}), with an empty
#   image description: the alt text becomes the description (Markdown's
#   alt text); no figure lacks one;
# - figures are copied from episodes/fig/ to images/, byte for byte (the
#   site serves fig/ of every page, learners/ too, from there);
# - links: "#id" (pandoc's ids, or a glossary term's span id) become the
#   GitHub slug of the heading bearing the id or of the section holding
#   it; a link to another file of the book (02-filedir.md,
#   ../learners/setup.md) the slug of that file's title; a link to a file
#   outside the book (data/shell-lesson-data.zip) the same file on the
#   lesson's site, https://swcarpentry.github.io/shell-novice/;
# - <kbd>Ctrl</kbd> (raw HTML, which gsi-book refuses) becomes code;
# - the glossary's definition list: each term a bold paragraph, followed
#   by its definition.
# Deterministic: the same input gives the same bytes.
set -eu
gitdir=$1
commit=${2:-f095fbcb703452afa0f424ea837771356226841a}
here=$(cd "$(dirname "$0")" && pwd)
out=${3:-$here/../books/shell-novice}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

files="learners/setup.md episodes/01-intro.md episodes/02-filedir.md
episodes/03-create.md episodes/04-pipefilter.md episodes/05-loop.md
episodes/06-script.md episodes/07-find.md learners/reference.md"
for f in $files; do
	n=$(basename "$f" .md)
	git --git-dir="$gitdir" show "$commit:$f" > "$tmp/$n.md"
	pandoc -f markdown -t json "$tmp/$n.md" -o "$tmp/$n.json"
done

python3 - "$tmp" $files <<'PY'
import json, os, sys, unicodedata, posixpath

tmp = sys.argv[1]
paths = sys.argv[2:]
SITE = 'https://swcarpentry.github.io/shell-novice/'
LABELS = {'objectives': 'Objectives', 'questions': 'Questions',
          'keypoints': 'Key Points', 'instructor': 'Instructor note',
          'solution': 'Solution', 'hint': 'Hint', 'spoiler': 'Spoiler',
          'callout': 'Callout', 'challenge': 'Challenge',
          'discussion': 'Discussion', 'prereq': 'Prerequisite',
          'caution': 'Caution', 'checklist': 'Checklist',
          'testimonial': 'Testimonial'}

def text(x):
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
                w(e['c'][1])
            elif 'c' in e:
                w(e['c'])
    w(x)
    return ''.join(out)

KEEP = {'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'Mc', 'Me', 'Mn', 'Nd', 'Nl', 'Pc'}
def slugify(s):
    r = []
    for ch in s.lower():
        if ch == ' ':
            r.append('-')
        elif ch == '-' or unicodedata.category(ch) in KEEP:
            r.append(ch)
    return ''.join(r)

def has_header(blocks):
    return any(b['t'] == 'Header' for b in blocks)

def level(stack, written):
    """The level of a heading written at level `written`: one below the
    nearest heading before it written above it (stack: (written, level)
    of the open headings)."""
    while stack and stack[-1][0] >= written:
        stack.pop()
    lvl = stack[-1][1] + 1 if stack else 1
    stack.append((written, lvl))
    return lvl

def restructure(blocks, stack):
    """Unwraps the lesson's boxes.  Headings go down one level at a time
    below the heading they follow; a box's own heading goes one level
    below the section (or box) holding it, and its headings below it."""
    out = []
    for b in blocks:
        t = b['t']
        if t == 'Header':
            lvl, attr, inl = b['c']
            out.append({'t': 'Header', 'c': [level(stack, lvl), attr, inl]})
        elif t == 'Div':
            attr, inner = b['c']
            kind = attr[1][0] if attr[1] else ''
            if inner and inner[0]['t'] == 'Header':
                lvl, hattr, hinl = inner[0]['c']
                new = stack[-1][1] + 1
                out.append({'t': 'Header', 'c': [new, hattr, hinl]})
                out.extend(restructure(inner[1:], [(lvl, new)]))
            else:
                label = LABELS.get(kind, kind.capitalize())
                if label:
                    out.append({'t': 'Para', 'c': [{'t': 'Strong', 'c': [{'t': 'Str', 'c': label}]}]})
                out.extend(restructure(inner, list(stack)))
        else:
            out.append(b)
    return out

docs = {}
for p in paths:
    n = os.path.basename(p)[:-3]
    d = json.load(open(os.path.join(tmp, n + '.json'), encoding='utf-8'))
    title = d['meta']['title']
    tinl = title['c'] if title['t'] == 'MetaInlines' else [{'t': 'Str', 'c': title['c']}]
    d['blocks'] = [{'t': 'Header', 'c': [1, ['', [], []], tinl]}] + restructure(d['blocks'], [(1, 1)])
    d['meta'] = {}
    docs[p] = d

# ids -> GitHub slugs, file by file
idmaps, firstslug = {}, {}
for p, d in docs.items():
    seen, idmap, current = {}, {}, ['']
    def unique(base):
        slug, k = base, 0
        while slug in seen:
            k += 1
            slug = '%s-%d' % (base, k)
        seen[slug] = True
        return slug
    def note(x):
        if isinstance(x, list):
            for v in x:
                note(v)
        elif isinstance(x, dict):
            t = x.get('t')
            c = x.get('c')
            if t == 'Header':
                slug = unique(slugify(text(c[2])))
                if c[1][0]:
                    idmap[c[1][0]] = slug
                current[0] = slug
                firstslug.setdefault(p, slug)
                note(c[2])
                return
            if t in ('Div', 'Span', 'CodeBlock', 'Code', 'Table', 'Image', 'Link') and c:
                a = c[0]
                if isinstance(a, list) and a and isinstance(a[0], str) and a[0]:
                    idmap.setdefault(a[0], current[0])
            if c is not None:
                note(c)
    note(d['blocks'])
    idmaps[p] = idmap

missing = []
def target(p, url):
    if url.startswith('#'):
        frag = url[1:]
        if frag in idmaps[p]:
            return '#' + idmaps[p][frag]
        for q in paths:
            if frag in idmaps[q]:
                return '#' + idmaps[q][frag]
        missing.append(p + ': ' + url)
        return url
    if '://' in url or url.startswith('mailto:'):
        return url
    path, _, frag = url.partition('#')
    full = posixpath.normpath(posixpath.join(posixpath.dirname(p), path))
    if full in docs:
        if frag:
            if frag in idmaps[full]:
                return '#' + idmaps[full][frag]
            missing.append(p + ': ' + url)
            return url
        return '#' + firstslug[full]
    if full.startswith('episodes/'):
        full = full[len('episodes/'):]
    return SITE + full + ('#' + frag if frag else '')

images = []
def rewrite_inlines(p, inl):
    out, i = [], 0
    while i < len(inl):
        e = inl[i]
        if e['t'] == 'RawInline' and e['c'][0] == 'html' and e['c'][1].lower() == '<kbd>':
            j = i + 1
            while j < len(inl) and not (inl[j]['t'] == 'RawInline' and inl[j]['c'][1].lower() == '</kbd>'):
                j += 1
            out.append({'t': 'Code', 'c': [['', [], []], text(inl[i + 1:j])]})
            i = j + 1
            continue
        r = rewrite(p, e)
        if isinstance(r, tuple):
            out.extend(r[0])
        else:
            out.append(r)
        i += 1
    return out

def rewrite(p, x):
    if isinstance(x, list):
        if x and isinstance(x[0], dict) and x[0].get('t') in INLINE:
            return rewrite_inlines(p, x)
        out = []
        for v in x:
            r = rewrite(p, v)
            if isinstance(r, tuple):
                out.extend(r[0])
            else:
                out.append(r)
        return out
    if not isinstance(x, dict):
        return x
    t = x.get('t')
    if t == 'Span':
        return (rewrite(p, x['c'][1]),)
    if t == 'RawInline':
        return {'t': 'Code', 'c': [['', [], []], x['c'][1]]}
    if t == 'RawBlock':
        return {'t': 'CodeBlock', 'c': [['', [], []], x['c'][1]]}
    if t == 'Link':
        attr, inl, (url, title) = x['c']
        return {'t': 'Link', 'c': [attr, rewrite(p, inl), [target(p, url), title]]}
    if t == 'Image':
        attr, inl, (url, title) = x['c']
        alt = dict(attr[2]).get('alt', '') or text(inl)
        if not alt.strip():
            sys.exit('shell-novice.sh: %s: figure %s has no alt text' % (p, url))
        # sandpaper serves every page's fig/ from episodes/fig/
        src = posixpath.normpath(posixpath.join('episodes', url))
        images.append(src)
        return {'t': 'Image', 'c': [['', [], []], [{'t': 'Str', 'c': alt}],
                                    ['images/' + posixpath.basename(src), '']]}
    if t == 'DefinitionList':
        blocks = []
        for term, defs in x['c']:
            blocks.append({'t': 'Para', 'c': [{'t': 'Strong', 'c': rewrite(p, term)}]})
            for dd in defs:
                blocks.extend(rewrite(p, dd))
        return (blocks,)
    if 'c' in x:
        return {'t': t, 'c': rewrite(p, x['c'])}
    return x

INLINE = {'Str', 'Emph', 'Underline', 'Strong', 'Strikeout', 'Superscript',
          'Subscript', 'SmallCaps', 'Quoted', 'Cite', 'Code', 'Space',
          'SoftBreak', 'LineBreak', 'Math', 'RawInline', 'Link', 'Image',
          'Note', 'Span'}

for p, d in docs.items():
    d['blocks'] = rewrite(p, d['blocks'])
    n = os.path.basename(p)[:-3]
    json.dump(d, open(os.path.join(tmp, n + '.out.json'), 'w', encoding='utf-8'))
if missing:
    sys.exit('shell-novice.sh: links to ids nothing bears: ' + ', '.join(missing))
with open(os.path.join(tmp, 'images.txt'), 'w') as f:
    for src in sorted(set(images)):
        f.write(src + '\n')
PY

rm -rf "$out"
mkdir -p "$out/images"
for f in $files; do
	n=$(basename "$f" .md)
	pandoc -f json -t gfm-raw_html --wrap=none "$tmp/$n.out.json" -o "$out/$n.md"
done
while read -r src; do
	git --git-dir="$gitdir" show "$commit:$src" > "$out/images/$(basename "$src")"
done < "$tmp/images.txt"

# SVG 1.1 as EPUB requires it (EPUBCheck validates every SVG): the
# lesson's drawings, made with LibreOffice Draw, Inkscape and SVG-edit,
# hold what SVG 1.1 has not but that no renderer draws differently when
# it goes; each change leaves the picture as drawn:
# - ids that are not XML names (LibreOffice's "bullet-char-template(57356)")
#   get their other characters as "_", with every reference to them;
# - text-anchor="left" (no such value; renderers ignore it) goes;
# - a flowRoot (SVG 1.2 flowed text, drawn by no browser or librsvg) goes
#   when it holds no text (one empty one); one holding text stops the
#   script;
# - a group with display="none" (SVG-edit's hidden canvas grid, with x, y,
#   width and height a group may not have) goes, unless something refers
#   to it.
python3 - "$out/images" <<'PY'
import glob, re, sys
from xml.dom import minidom

NAME = re.compile(r'^[A-Za-z_][A-Za-z0-9._-]*$')
def walk(node):
    yield node
    for c in list(node.childNodes):
        if c.nodeType == c.ELEMENT_NODE:
            yield from walk(c)

for path in sorted(glob.glob(sys.argv[1] + '/*.svg')):
    raw = open(path, 'rb').read()
    doc = minidom.parseString(raw)
    root = doc.documentElement
    changed = False
    text = raw.decode('utf-8')
    for el in list(walk(root)):
        if el.parentNode is None:
            continue
        tag = el.tagName.split(':')[-1]
        if tag == 'flowRoot':
            content = el.toxml()
            if re.sub(r'<[^>]*>', '', content).strip():
                sys.exit('shell-novice.sh: %s: a flowRoot holds text' % path)
            el.parentNode.removeChild(el)
            changed = True
            continue
        if tag == 'g' and el.getAttribute('display') == 'none':
            gid = el.getAttribute('id')
            if not gid or ('#' + gid) not in text:
                el.parentNode.removeChild(el)
                changed = True
                continue
        if el.getAttribute('text-anchor') not in ('', 'start', 'middle', 'end', 'inherit'):
            el.removeAttribute('text-anchor')
            changed = True
    renames = {}
    for el in walk(root):
        i = el.getAttribute('id')
        if i and not NAME.match(i):
            new = re.sub(r'[^A-Za-z0-9._-]', '_', i)
            if not re.match(r'[A-Za-z_]', new):
                new = '_' + new
            renames[i] = new
            el.setAttribute('id', new)
            changed = True
    if not changed:
        continue
    out = root.toxml()
    for old, new in renames.items():
        out = out.replace('"#%s"' % old, '"#%s"' % new).replace('url(#%s)' % old, 'url(#%s)' % new)
    with open(path, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n' + out + '\n')
PY

{
	echo "title: The Unix Shell"
	echo "subtitle: Software Carpentry lesson"
	echo "author:"
	echo "  - The Carpentries"
	echo "  - {name: Gerard Capes, role: editor}"
	echo "  - {name: Jacob Deppen, role: editor}"
	echo "  - {name: bkmgit, role: editor}"
	echo "lang: en"
	echo "date: 2014-10-22"
	echo "source: \"https://github.com/swcarpentry/shell-novice at commit $commit\""
	echo "rights: |"
	echo "  Copyright (c) The Carpentries (https://carpentries.org/)."
	echo "  Licensed under the Creative Commons Attribution 4.0 International"
	echo "  licence (CC BY 4.0). Converted for gsi-book's test corpus: the"
	echo "  lesson's boxes unwrapped and labelled, links made internal."
	echo "subject: Unix shell"
	echo "parts:"
	echo "  - file: setup.md"
	echo "    kind: frontmatter"
	for f in $files; do
		case $f in
		episodes/*) echo "  - file: $(basename "$f")"; echo "    kind: chapter" ;;
		esac
	done
	echo "  - file: reference.md"
	echo "    kind: appendix"
} > "$out/book.yaml"
