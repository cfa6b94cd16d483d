#!/usr/bin/env python3
# kepub.py PLAIN.epub KEPUB.epub - what a kepub must be beside its plain
# EPUB (README, "The EPUB edition"); prints each problem, a line each.
#
#  - the same entries, and every entry but the XHTML documents the same
#    bytes;
#  - each XHTML document is the plain one's, byte for byte, once Kobo's
#    style tweaks, its two wrappers (body > div#book-columns >
#    div#book-inner, nothing else in body) and every koboSpan (the element,
#    not what it holds) are taken out: the spans add markup, never text;
#  - every koboSpan's id is kobo.P.S, unique in its document (as every id
#    is), P and S counting from 1, in order (S from 1 again in each new P),
#    and no sentence ends inside one (a full stop, then a capital);
#  - in the parts' documents (the manifest's part-* items), the cover, the
#    title page and the colophon, no text is outside a koboSpan but
#    spaces, code blocks, note marks, the notes' links back, a heading's
#    label and a task's box, and every picture is in one; in those and
#    the index, every paragraph, heading, list item, table cell and
#    caption with text has a span.
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

XHTML = '{http://www.w3.org/1999/xhtml}'
EPUB = '{http://www.idpf.org/2007/ops}'
problems = []


def bad(msg):
    problems.append(msg)


def unspan(doc, name):
    """doc without Kobo's markup, by its tags: the plain document's bytes."""
    doc = doc.replace('<style type="text/css" id="kobostylehacks">'
                      'div#book-inner { margin-top: 0; margin-bottom: 0; }</style>\n', '', 1)
    m = re.search(r'<body[^>]*>\n', doc)
    wrap = '<div id="book-columns"><div id="book-inner">\n'
    if not m or not doc.startswith(wrap, m.end()):
        bad(f'{name}: the body does not start with the book-columns and book-inner divs')
    else:
        doc = doc[:m.end()] + doc[m.end() + len(wrap):]
    end = '</div></div>\n</body>'
    if end not in doc:
        bad(f'{name}: the divs are not closed right before </body>')
    doc = doc.replace(end, '</body>')
    out, stack, at = [], [], 0
    for t in re.finditer(r'<(/?)span\b[^>]*?(/?)>', doc):
        out.append(doc[at:t.start()])
        at = t.end()
        tag = t.group(0)
        if t.group(2):          # <span .../>: nothing inside
            out.append(tag)
        elif not t.group(1):
            kobo = tag.startswith('<span class="koboSpan"')
            stack.append(kobo)
            if not kobo:
                out.append(tag)
        elif not stack:
            bad(f'{name}: a </span> closes nothing')
        elif not stack.pop():
            out.append(tag)
    out.append(doc[at:])
    return ''.join(out)


def outside(el, name, in_span=False):
    """text of el not in a koboSpan, but where none belongs"""
    cls = el.get('class', '')
    if el.tag == XHTML + 'span' and cls == 'koboSpan':
        in_span = True
    skip = (el.tag == XHTML + 'pre' or el.get(EPUB + 'type') == 'noteref' or
            el.get('role') == 'doc-backlink' or
            (el.tag == XHTML + 'span' and cls in ('label', 'task')))
    if skip:
        return
    if el.text and el.text.strip() and not in_span:
        bad(f'{name}: text outside the spans: {el.text.strip()[:40]!r}')
    for c in el:
        outside(c, name, in_span)
        if c.tail and c.tail.strip() and not in_span:
            bad(f'{name}: text outside the spans: {c.tail.strip()[:40]!r}')


def check(plain_path, kepub_path):
    with zipfile.ZipFile(plain_path) as p, zipfile.ZipFile(kepub_path) as k:
        names = p.namelist()
        if names != k.namelist():
            bad(f'the entries differ: {names} / {k.namelist()}')
            return
        opf = p.read('EPUB/package.opf').decode()
        parts = set(re.findall(r'<item id="part-[^"]*" href="([^"]*)"', opf))
        if not parts:
            bad('no part documents in the manifest')
        parts |= {'text/cover.xhtml', 'text/titlepage.xhtml', 'text/colophon.xhtml'}
        for n in names:
            a, b = p.read(n), k.read(n)
            if not n.endswith('.xhtml'):
                if a != b:
                    bad(f'{n}: not the same bytes as in the plain EPUB')
                continue
            doc = b.decode()
            if unspan(doc, n) != a.decode():
                bad(f'{n}: not the plain document once the spans are out')
            root = ET.fromstring(b)
            body = root.find(XHTML + 'body')
            kids = list(body)
            if (len(kids) != 1 or kids[0].get('id') != 'book-columns' or
                    len(list(kids[0])) != 1 or list(kids[0])[0].get('id') != 'book-inner'):
                bad(f'{n}: the body is not div#book-columns > div#book-inner')
            ids = [e.get('id') for e in root.iter() if e.get('id')]
            dup = {i for i in ids if ids.count(i) > 1}
            if dup:
                bad(f'{n}: ids not unique: {sorted(dup)[:5]}')
            spans = [e for e in root.iter(XHTML + 'span') if e.get('class') == 'koboSpan']
            last = (0, 0)
            for s in spans:
                m = re.fullmatch(r'kobo\.([1-9][0-9]*)\.([1-9][0-9]*)', s.get('id', ''))
                if not m:
                    bad(f'{n}: a koboSpan with id {s.get("id")!r}')
                    continue
                ps = (int(m.group(1)), int(m.group(2)))
                if not (ps[0] == last[0] and ps[1] == last[1] + 1 or
                        ps[0] > last[0] and ps[1] == 1):
                    bad(f'{n}: {s.get("id")} after kobo.{last[0]}.{last[1]}')
                last = ps
                # a sentence a span: none ends inside one, as the
                # sentence's end and the next one's capital show it
                text = ''.join(s.itertext())
                if re.search(r'[.!?]["”’»)]*\s+["“«(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]', text):
                    bad(f'{n}: {s.get("id")} holds two sentences: {text[:60]!r}')
            if n[len('EPUB/'):] not in parts | {'text/index.xhtml'}:
                continue
            if not spans:
                bad(f'{n}: no koboSpan')
            if n[len('EPUB/'):] in parts:
                outside(body, n)
                inside = {i for s in spans for i in s.iter(XHTML + 'img')}
                for i in root.iter(XHTML + 'img'):
                    if i not in inside:
                        bad(f'{n}: a picture outside the spans: {i.get("src")}')
            blocks = ('p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'td', 'th',
                      'caption', 'figcaption', 'dt', 'dd')
            for e in root.iter():
                if e.tag[len(XHTML):] not in blocks:
                    continue
                text = ''.join(e.itertext()).strip()
                has = any(s.get('class') == 'koboSpan' for s in e.iter(XHTML + 'span'))
                if text and not has and not e.findall('.//' + XHTML + 'pre'):
                    bad(f'{n}: a <{e.tag[len(XHTML):]}> without spans: {text[:40]!r}')


check(sys.argv[1], sys.argv[2])
for m in problems[:30]:
    print(m)
sys.exit(1 if problems else 0)
