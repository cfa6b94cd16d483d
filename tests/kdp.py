#!/usr/bin/env python3
"""tests/kdp.py - Amazon KDP's EPUB guidelines, read from a built EPUB.

    python3 tests/kdp.py ITEM EPUB...

prints what breaks the guideline ITEM in each EPUB, one problem a line
(nothing when it holds), and exits 1 when it printed anything.  The items
are README's checklist ("Kindle (KDP)"), each one a property test
(tests/props/epub/kdp-ITEM):

  body-defaults  body text keeps the reader's defaults: no font size, line
                 height, colour, background, weight, style, right or centred
                 alignment, and no left or right margin or padding, on html,
                 body or a paragraph of body text; a paragraph indent of at
                 most 4em; headings aligned explicitly; no fixed units
                 (pt, px...) for sizes, margins or indents
  cover          a cover image in the manifest (properties cover-image and
                 the EPUB 2 <meta name="cover">), JPEG or PNG, at least
                 625x1000 pixels, portrait, shown first in the spine
  links          every link inside the book (XHTML, nav, NCX, guide)
                 reaches a document of the book and an id in it
  toc            a contents nav (epub:type toc) and an NCX navMap with the
                 same targets in the same order, the NCX named in the spine,
                 the contents in the spine and in the guide, no page numbers
                 in its entries; the start of the text (the guide's text,
                 the bodymatter landmark), where KDP opens the book
  fonts          every face a @font-face names is in the EPUB and its
                 manifest, with a font media type, and every embedded family
                 is named with its licence in the colophon, whose licences
                 page is in the book
  notes          every note reference links to a footnote, and the note
                 links back to that reference

Only the standard library: it runs wherever the tests run.
"""

import posixpath
import re
import struct
import sys
import zipfile
import xml.etree.ElementTree as ET
from urllib.parse import unquote

OPF = '{http://www.idpf.org/2007/opf}'
XHTML = '{http://www.w3.org/1999/xhtml}'
EPUB = '{http://www.idpf.org/2007/ops}'
NCX = '{http://www.daisy.org/z3986/2005/ncx/}'


class Book:
    def __init__(self, path):
        self.path = path
        self.zip = zipfile.ZipFile(path)
        c = ET.fromstring(self.zip.read('META-INF/container.xml'))
        self.opf = c.find('.//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile').get('full-path')
        self.dir = posixpath.dirname(self.opf)
        self.pkg = ET.fromstring(self.zip.read(self.opf))
        self.items = {}
        for it in self.pkg.iter(OPF + 'item'):
            self.items[it.get('id')] = it
        self.spine = [r.get('idref') for r in self.pkg.iter(OPF + 'itemref')]
        self._docs = {}

    def name(self, href, base=None):
        """the zip entry of HREF (relative to BASE, an entry, or the OPF)"""
        href = unquote(href.split('#', 1)[0])
        d = posixpath.dirname(base) if base else self.dir
        return posixpath.normpath(posixpath.join(d, href)) if href else base

    def href_of(self, item_id):
        return self.name(self.items[item_id].get('href'))

    def read(self, name):
        return self.zip.read(name)

    def has(self, name):
        try:
            self.zip.getinfo(name)
            return True
        except KeyError:
            return False

    def xhtml(self):
        """the entries of the manifest's XHTML documents"""
        return [self.name(it.get('href')) for it in self.items.values()
                if it.get('media-type') == 'application/xhtml+xml']

    def doc(self, name):
        if name not in self._docs:
            self._docs[name] = ET.fromstring(self.read(name))
        return self._docs[name]

    def ids(self, name):
        return {e.get('id') for e in self.doc(name).iter() if e.get('id')}

    def css(self):
        """the text of every stylesheet, with its entry"""
        return [(self.name(it.get('href')), self.read(self.name(it.get('href'))).decode('utf-8'))
                for it in self.items.values() if it.get('media-type') == 'text/css']

    def nav(self):
        for it in self.items.values():
            if 'nav' in (it.get('properties') or '').split():
                return self.name(it.get('href'))
        return None

    def ncx(self):
        toc = self.pkg.find(OPF + 'spine').get('toc')
        return self.href_of(toc) if toc in self.items else None


# CSS, as far as these checks need it: rules (selectors, declarations),
# with the at-rule they are inside (@media ...), comments dropped

def css_rules(text):
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    rules = []

    def parse(s, context):
        i = 0
        while i < len(s):
            j = s.find('{', i)
            if j < 0:
                break
            head = s[i:j].strip()
            # the block's end, nested braces counted
            depth, k = 1, j + 1
            while k < len(s) and depth:
                depth += {'{': 1, '}': -1}.get(s[k], 0)
                k += 1
            block = s[j + 1:k - 1]
            head = head.split(';')[-1].strip()   # after an @import or @charset
            if head.startswith('@media') or head.startswith('@supports'):
                parse(block, context + [head])
            else:
                decls = []
                for d in block.split(';'):
                    if ':' in d:
                        p, v = d.split(':', 1)
                        decls.append((p.strip().lower(), v.strip()))
                rules.append((head, decls, context))
            i = k
    parse(text, [])
    return rules


def selectors(head):
    return [s.strip() for s in head.split(',')]


# the elements of body text: the root, the body, a paragraph (also one
# after another, and one anywhere in the body)
BODY_TEXT = re.compile(r'^(:root|html|body|p|p\s*\+\s*p|body\s+p|html\s+body|html\s+p|section\s+p|div\s+p)$')


def em_of(value):
    m = re.match(r'^(-?[0-9.]+)(em|rem)?$', value.strip())
    if not m:
        return None
    return float(m.group(1)) if m.group(2) or float(m.group(1)) == 0 else None


def lr_nonzero(prop, value):
    """whether a margin or padding declaration gives a left or right side
    other than zero (or auto, which centres)"""
    parts = value.replace('!important', '').split()
    if prop.endswith('-left') or prop.endswith('-right'):
        sides = parts[:1]
    elif prop in ('margin', 'padding'):
        if len(parts) == 1:
            sides = parts
        elif len(parts) in (2, 3):
            sides = parts[1:2]
        else:
            sides = [parts[1], parts[3]]
    else:
        return False
    return any(not re.match(r'^(0+(\.0*)?[a-z%]*|auto)$', s) for s in sides)


FIXED = re.compile(r'(?<![\w.-])-?[0-9.]+(pt|px|pc|cm|mm|in)\b')


def check_body_defaults(b, say):
    for name, text in b.css():
        for head, decls, ctx in css_rules(text):
            if head.startswith('@'):
                continue
            for sel in selectors(head):
                if BODY_TEXT.match(sel):
                    for p, v in decls:
                        if p in ('font-size', 'line-height', 'color', 'background', 'background-color'):
                            say(f'{name}: {sel} sets {p}: {v} (body text keeps the reader\'s {p})')
                        elif p == 'font-weight' and v not in ('normal', '400'):
                            say(f'{name}: {sel} sets font-weight: {v}')
                        elif p == 'font-style' and v != 'normal':
                            say(f'{name}: {sel} sets font-style: {v}')
                        elif p == 'text-align' and v in ('center', 'right', 'end'):
                            say(f'{name}: {sel} sets text-align: {v}')
                        elif p.startswith('margin') or p.startswith('padding'):
                            if sel in ('html', ':root', 'body', 'html body') and p.split('-')[0] in ('margin', 'padding'):
                                say(f'{name}: {sel} sets {p}: {v} (the reader sets the page\'s margins)')
                            elif lr_nonzero(p, v):
                                say(f'{name}: {sel} sets a left or right {p}: {v}')
                        elif p == 'text-indent':
                            e = em_of(v)
                            if e is None or e > 4:
                                say(f'{name}: {sel} has text-indent: {v} (at most 4em)')
            for p, v in decls:
                if p.startswith('border') or p == 'src':
                    continue
                if FIXED.search(v):
                    say(f'{name}: {head} sets {p}: {v} (a fixed unit; KDP asks for em or %)')
        # every heading level gets an alignment of its own
        aligned = set()
        for head, decls, ctx in css_rules(text):
            if ctx or not any(p == 'text-align' for p, v in decls):
                continue
            for sel in selectors(head):
                if re.match(r'^h[1-6]$', sel):
                    aligned.add(sel)
        for h in ('h1', 'h2', 'h3', 'h4', 'h5', 'h6'):
            if h not in aligned:
                say(f'{name}: {h} has no text-align (KDP: align headings explicitly)')
    style_attr = re.compile(r'(font-size|line-height|color|background)\s*:')
    for name in b.xhtml():
        for e in b.doc(name).iter(XHTML + 'p'):
            s = e.get('style') or ''
            if style_attr.search(s):
                say(f'{name}: a paragraph has style="{s}"')
        for e in b.doc(name).iter(XHTML + 'font'):
            say(f'{name}: a <font> element')


def image_size(data):
    if data[:8] == b'\x89PNG\r\n\x1a\n':
        w, h = struct.unpack('>II', data[16:24])
        return w, h
    if data[:2] == b'\xff\xd8':
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            length = struct.unpack('>H', data[i + 2:i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                h, w = struct.unpack('>HH', data[i + 5:i + 9])
                return w, h
            i += 2 + length
    return None


def check_cover(b, say):
    covers = [it for it in b.items.values() if 'cover-image' in (it.get('properties') or '').split()]
    if len(covers) != 1:
        say(f'{len(covers)} manifest items with properties="cover-image" (one wanted)')
        return
    c = covers[0]
    meta = [m for m in b.pkg.iter(OPF + 'meta') if m.get('name') == 'cover']
    if not meta or meta[0].get('content') != c.get('id'):
        say(f'no <meta name="cover" content="{c.get("id")}"/> (the EPUB 2 cover KDP reads)')
    if c.get('media-type') not in ('image/jpeg', 'image/png'):
        say(f'the cover is {c.get("media-type")}, not JPEG or PNG')
    name = b.name(c.get('href'))
    if not b.has(name):
        say(f'the cover image {name} is not in the EPUB')
        return
    size = image_size(b.read(name))
    if not size:
        say(f'{name}: not a JPEG or PNG whose size can be read')
        return
    w, h = size
    if w < 625 or h < 1000:
        say(f'{name}: {w}x{h} pixels, smaller than 625x1000')
    if h < w * 1.2:
        say(f'{name}: {w}x{h} pixels is not a portrait cover (KDP: height 1.6 times the width)')
    if not b.spine:
        return
    first = b.href_of(b.spine[0])
    srcs = [b.name(e.get('src'), first) for e in b.doc(first).iter(XHTML + 'img')]
    srcs += [b.name(e.get('{http://www.w3.org/1999/xlink}href'), first)
             for e in b.doc(first).iter('{http://www.w3.org/2000/svg}image')]
    if name not in srcs:
        say(f'the spine\'s first document, {first}, does not show the cover image')
    for d in b.xhtml():
        if d != first and name in [b.name(e.get('src'), d) for e in b.doc(d).iter(XHTML + 'img')]:
            say(f'{d} shows the cover image again (KDP: a single cover)')


def check_links(b, say):
    def reach(target, base, where):
        if re.match(r'^[a-z][a-z0-9+.-]*:', target):
            return
        name = b.name(target, base)
        if not b.has(name):
            say(f'{where}: {target} leads to {name}, which is not in the EPUB')
            return
        frag = target.split('#', 1)[1] if '#' in target else None
        if frag and name.endswith(('.xhtml', '.html')) and unquote(frag) not in b.ids(name):
            say(f'{where}: {target}: no id "{unquote(frag)}" in {name}')
    n = 0
    for d in b.xhtml():
        for e in b.doc(d).iter(XHTML + 'a'):
            if e.get('href') is not None:
                n += 1
                reach(e.get('href'), d, d)
    ncx = b.ncx()
    if ncx:
        for e in b.doc(ncx).iter(NCX + 'content'):
            reach(e.get('src'), ncx, ncx)
    for r in b.pkg.iter(OPF + 'reference'):
        reach(r.get('href'), b.opf, b.opf + ' <guide>')
    for it in b.items.values():
        if not b.has(b.name(it.get('href'))):
            say(f'{b.opf}: manifest item {it.get("id")} ({it.get("href")}) is not in the EPUB')
    if not n:
        say('no links at all (the contents has none?)')


def check_toc(b, say):
    nav = b.nav()
    if not nav:
        say('no nav document')
        return
    tocs = [e for e in b.doc(nav).iter(XHTML + 'nav') if e.get(EPUB + 'type') == 'toc']
    if len(tocs) != 1:
        say(f'{nav}: {len(tocs)} <nav epub:type="toc"> (one wanted)')
        return
    nav_entries = [(b.name(a.get('href'), nav) + ('#' + a.get('href').split('#', 1)[1] if '#' in a.get('href') else ''),
                    ''.join(a.itertext()).strip())
                   for a in tocs[0].iter(XHTML + 'a')]
    if not nav_entries:
        say(f'{nav}: the contents has no entries')
    for target, text in nav_entries:
        if re.search(r'[\s.…]\d+$', text) or re.search(r'\s[ivxlcdm]+$', text):
            say(f'{nav}: the contents entry "{text}" ends in a page number')
    ncx = b.ncx()
    if not ncx:
        say('no NCX named by the spine\'s toc attribute')
        return
    navmap = b.doc(ncx).find(NCX + 'navMap')
    if navmap is None:
        say(f'{ncx}: no navMap')
        return
    ncx_entries = []
    for p in navmap.iter(NCX + 'navPoint'):
        src = p.find(NCX + 'content').get('src')
        text = ''.join(p.find(NCX + 'navLabel').itertext()).strip()
        ncx_entries.append((b.name(src, ncx) + ('#' + src.split('#', 1)[1] if '#' in src else ''), text))
    if [t for t, _ in nav_entries] != [t for t, _ in ncx_entries]:
        say(f'the NCX\'s navMap ({len(ncx_entries)} entries) is not the nav\'s contents ({len(nav_entries)} entries)')
        for x, y in zip(nav_entries, ncx_entries):
            if x[0] != y[0]:
                say(f'  first difference: nav {x[0]}, NCX {y[0]}')
                break
    elif [t for _, t in nav_entries] != [t for _, t in ncx_entries]:
        for x, y in zip(nav_entries, ncx_entries):
            if x[1] != y[1]:
                say(f'the NCX names {y[0]} "{y[1]}", the nav "{x[1]}"')
    nav_id = [i for i, it in b.items.items() if b.name(it.get('href')) == nav][0]
    if nav_id not in b.spine:
        say('the contents (the nav document) is not in the spine: KDP wants it in the reading order')
    # where the book opens: the start of its text, for KDP's "start
    # reading location" (the guide's text, the nav's bodymatter landmark)
    starts = [r for r in b.pkg.iter(OPF + 'reference') if r.get('type') == 'text']
    marks = [a for a in b.doc(nav).iter(XHTML + 'a') if a.get(EPUB + 'type') == 'bodymatter']
    if not starts or not marks:
        say('no start of the text: a <guide> reference of type text and a bodymatter landmark wanted')
    elif b.name(starts[0].get('href')) != b.name(marks[0].get('href'), nav):
        say(f'the guide\'s text ({starts[0].get("href")}) is not the bodymatter landmark ({marks[0].get("href")})')
    guide = [r for r in b.pkg.iter(OPF + 'reference') if r.get('type') == 'toc']
    if not guide:
        say('no <guide> reference of type toc')
    elif b.name(guide[0].get('href')) != nav:
        say(f'the guide\'s toc is {guide[0].get("href")}, not the nav')


FONT_TYPES = ('font/otf', 'font/ttf', 'font/woff', 'font/woff2', 'application/font-sfnt',
              'application/vnd.ms-opentype', 'application/x-font-ttf', 'application/font-woff')


def check_fonts(b, say):
    manifest = {b.name(it.get('href')): it for it in b.items.values()}
    families = []
    for name, text in b.css():
        for head, decls, ctx in css_rules(text):
            if head != '@font-face':
                continue
            d = dict(decls)
            fam = d.get('font-family', '').strip('"\'')
            families.append(fam)
            for url in re.findall(r'url\(\s*["\']?([^"\')]+)', d.get('src', '')):
                f = b.name(url, name)
                if not b.has(f):
                    say(f'{name}: @font-face "{fam}" names {url}, not in the EPUB')
                elif f not in manifest:
                    say(f'{name}: @font-face "{fam}": {f} is not in the manifest')
                elif manifest[f].get('media-type') not in FONT_TYPES:
                    say(f'{f}: media type {manifest[f].get("media-type")} is no font\'s')
    embedded = [n for n, it in manifest.items() if it.get('media-type') in FONT_TYPES]
    if embedded and not families:
        say('fonts in the manifest, but no @font-face uses them')
    colophon = [b.href_of(i) for i in b.spine
                if any('colophon' in (e.get(EPUB + 'type') or '').split()
                       for e in b.doc(b.href_of(i)).iter() if e.tag in (XHTML + 'section', XHTML + 'body'))]
    if not colophon:
        say('no colophon (epub:type="colophon") in the spine to name the fonts and their licences')
        return
    text = ' '.join(''.join(b.doc(colophon[0]).itertext()).split())
    for fam in sorted(set(families)):
        m = re.search(re.escape(fam) + r' \(([^)]+)\)', text)
        if not m:
            say(f'{colophon[0]}: the font "{fam}" is not named with its licence ("{fam} (LICENCE)")')
    links = [b.name(a.get('href'), colophon[0]) for a in b.doc(colophon[0]).iter(XHTML + 'a') if a.get('href')]
    pages = [n for n in links if n in b.xhtml()]
    if not pages:
        say(f'{colophon[0]}: no link to the licences\' text')
    for p in pages:
        body = ''.join(b.doc(p).itertext())
        if len(body) < 1000 or 'Open Font License' not in body and 'OFL' not in body:
            say(f'{p}: does not hold the licences\' text')


def check_notes(b, say):
    refs = 0
    for d in b.xhtml():
        for a in b.doc(d).iter(XHTML + 'a'):
            types = (a.get(EPUB + 'type') or '').split()
            if 'noteref' not in types and a.get('role') != 'doc-noteref':
                continue
            refs += 1
            rid = a.get('id')
            href = a.get('href') or ''
            if not rid:
                say(f'{d}: a note reference ({href}) has no id to come back to')
            if '#' not in href:
                say(f'{d}: note reference {rid} links to no note')
                continue
            target = b.name(href, d)
            frag = unquote(href.split('#', 1)[1])
            note = [e for e in b.doc(target).iter() if e.get('id') == frag] if b.has(target) else []
            if not note:
                say(f'{d}: note reference {rid}: no {frag} in {target}')
                continue
            note = note[0]
            nt = (note.get(EPUB + 'type') or '').split()
            if not {'footnote', 'endnote', 'rearnote'} & set(nt):
                say(f'{target}#{frag}: the note is not epub:type footnote or endnote')
            back = [x for x in note.iter(XHTML + 'a') if x.get('href') and rid
                    and b.name(x.get('href'), target) == d and x.get('href').endswith('#' + rid)]
            if not back:
                say(f'{target}#{frag}: the note has no link back to {d}#{rid}')
    return refs


ITEMS = {
    'body-defaults': check_body_defaults,
    'cover': check_cover,
    'links': check_links,
    'toc': check_toc,
    'fonts': check_fonts,
    'notes': check_notes,
}


def main(argv):
    if len(argv) < 3 or argv[1] not in ITEMS:
        sys.stderr.write('usage: kdp.py {' + ','.join(ITEMS) + '} EPUB...\n')
        return 2
    bad = False
    for path in argv[2:]:
        def say(msg, path=path):
            nonlocal bad
            bad = True
            print(f'{posixpath.basename(path)}: {msg}')
        try:
            ITEMS[argv[1]](Book(path), say)
        except (zipfile.BadZipFile, ET.ParseError, KeyError) as e:
            say(f'cannot read: {e}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
