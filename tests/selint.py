#!/usr/bin/env python3
"""tests/selint.py - Standard Ebooks' lint rules that apply to a born-digital
book, read from a built EPUB.

    python3 tests/selint.py EPUB...

prints each rule an EPUB breaks, as "EPUB: CODE FILE: what", one a line,
and exits 1 when it printed anything.  The codes are those of SE's
`se lint` (github.com/standardebooks/tools, se/se_epub_lint.py); each
rule below is SE's, read as its code reads it, on what gsi-book writes.
README ("Standard Ebooks' lint") lists them, and the rules left out and
why (SE's house style, SE's own files, or a choice of this design).

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
X = '{http://www.w3.org/1999/xhtml}'
EPUB = '{http://www.idpf.org/2007/ops}'
XML = '{http://www.w3.org/XML/1998/namespace}'
DC = '{http://purl.org/dc/elements/1.1/}'

BLOCK = {'p', 'blockquote', 'table', 'ol', 'ul', 'section', 'article', 'div',
         'figure', 'aside', 'dl', 'pre', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
         'header', 'footer', 'nav'}
VOID = {'br', 'hr', 'img', 'td', 'th', 'link', 'meta', 'col', 'colgroup', 'wbr'}
CODE = {'code', 'pre', 'kbd', 'samp', 'var'}
SPACES = ' \u00a0\u2009\u200a\u202f\u2007\u2008\u2002\u2003'


def local(tag):
    return tag.rsplit('}', 1)[-1] if isinstance(tag, str) else ''


def text_of(e):
    return ''.join(e.itertext())


class Lint:
    def __init__(self, path, say):
        self.say = say
        self.z = zipfile.ZipFile(path)
        c = ET.fromstring(self.z.read('META-INF/container.xml'))
        self.opf = c.find('.//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile').get('full-path')
        self.dir = posixpath.dirname(self.opf)
        self.opf_text = self.z.read(self.opf).decode('utf-8')
        self.pkg = ET.fromstring(self.opf_text)
        self.items = {it.get('id'): it for it in self.pkg.iter(OPF + 'item')}
        self.spine = [r.get('idref') for r in self.pkg.iter(OPF + 'itemref')]
        self.nonlinear = {self.name(self.items[r.get('idref')].get('href'))
                          for r in self.pkg.iter(OPF + 'itemref') if r.get('linear') == 'no'}
        self.langs = [e.text for e in self.pkg.iter(DC + 'language')]
        self.docs = {}
        for it in self.items.values():
            if it.get('media-type') == 'application/xhtml+xml':
                n = self.name(it.get('href'))
                self.docs[n] = ET.fromstring(self.z.read(n))
        self.nav = next((self.name(it.get('href')) for it in self.items.values()
                         if 'nav' in (it.get('properties') or '').split()), None)
        self.css = [(self.name(it.get('href')), self.z.read(self.name(it.get('href'))).decode('utf-8'))
                    for it in self.items.values() if it.get('media-type') == 'text/css']
        # the parent of each element, per document
        self.parent = {}
        for d in self.docs.values():
            for p in d.iter():
                for ch in p:
                    self.parent[ch] = p

    def name(self, href, base=None):
        href = unquote(href.split('#', 1)[0])
        d = posixpath.dirname(base) if base else self.dir
        return posixpath.normpath(posixpath.join(d, href)) if href else base

    def ancestors(self, e):
        while e in self.parent:
            e = self.parent[e]
            yield e

    def in_code(self, e):
        return local(e.tag) in CODE or any(local(a.tag) in CODE for a in self.ancestors(e))

    def body(self, name):
        return self.docs[name].find(X + 'body')

    def prose(self):
        """(document, element, text) for each run of text in the bodies, not
        in code: an element's text, and each child's tail (its parent's)"""
        for name, d in self.docs.items():
            # (the typography of the book's text: a document outside the
            # reading order, linear="no", quotes the font licences as
            # their authors wrote them)
            if name in self.nonlinear:
                continue
            b = d.find(X + 'body')
            for e in b.iter():
                if self.in_code(e):
                    continue
                if e.text:
                    yield name, e, e.text
                for ch in e:
                    if ch.tail:
                        yield name, e, ch.tail

    # ---- CSS ----

    def cover_docs(self):
        """the documents that show the cover image"""
        cover = {self.name(it.get('href')) for it in self.items.values()
                 if 'cover-image' in (it.get('properties') or '').split()}
        return {n for n, d in self.docs.items() for i in d.iter(X + 'img')
                if self.name(i.get('src'), n) in cover}

    def css_rules(self):
        for name, text in self.css:
            t = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
            yield name, t

    def check_css(self):
        for name, t in self.css_rules():
            if re.search(r'\[xml\|', t) and not re.search(r'@namespace\s+xml\b', t):
                self.say('c-003', name, '[xml|attr] selector, but no @namespace xml')
            for m in re.findall(r'[0-9.]+rem\b', t):
                self.say('c-022', name, f'rem unit: {m}')
            for m in re.findall(r'font-size\s*:\s*[0-9.]+(?![0-9.]|em|ex)[^;}]*', t):
                self.say('c-023', name, f'{m.strip()} (em units)')
            for m in re.findall(r'line-height\s*:\s*[0-9.]+[a-z%]+', t):
                self.say('c-024', name, f'{m} (line-height without units)')
            for m in re.findall(r'(?<!max-)(?<![\w-])(height|top|bottom)\s*:\s*[0-9.]+%', t):
                self.say('c-025', name, f'{m}: a percentage (vh for vertical sizes)')

    # ---- XHTML: semantics ----

    def check_semantics(self):
        ids = {}
        for name, d in self.docs.items():
            b = d.find(X + 'body')
            head = d.find(X + 'head')
            title = head.find(X + 'title') if head is not None else None
            if title is None:
                self.say('s-027', name, 'no <title>')
            elif not (title.text or '').strip():
                self.say('s-021', name, 'an empty <title>')
            lang = d.get(XML + 'lang') or d.get('lang')
            # (a document outside the reading order, linear="no", is no
            # text of the book: the font licences, English in any book,
            # add no dc:language)
            if lang not in self.langs and name not in self.nonlinear:
                self.say('s-033', name, f'<html xml:lang="{lang}"> is no dc:language of the book ({", ".join(self.langs)})')
            # a kepub's body is Kobo's two wrappers (README, "Kobo"):
            # the book's structure is inside them
            top = b
            while len(top) == 1 and local(top[0].tag) == 'div' and \
                    top[0].get('id') in ('book-columns', 'book-inner'):
                top = top[0]
            for ch in top:
                if local(ch.tag) not in ('section', 'article', 'nav'):
                    self.say('s-075', name, f'<body> has a <{local(ch.tag)}> child (section, article or nav only)')
            if not any(local(ch.tag) in ('section', 'article', 'nav') for ch in top):
                self.say('s-069', name, '<body> has no <section> or <article> child')
            for e in b.iter():
                tag = local(e.tag)
                kids = list(e)
                txt = text_of(e)
                if tag == 'img' and e.get('alt') is None:
                    self.say('s-004', name, f'<img src="{e.get("src")}"> has no alt')
                if tag in ('p', 'blockquote', 'table', 'ol', 'ul', 'section', 'article') and kids \
                        and local(kids[-1].tag) == 'br' and not (kids[-1].tail or '').strip():
                    self.say('s-008', name, f'<{tag}> ends with <br/>')
                if tag == 'br' and e in self.parent:
                    sib = list(self.parent[e])
                    i = sib.index(e)
                    if i > 0 and local(sib[i - 1].tag) in BLOCK and not (sib[i - 1].tail or '').strip():
                        self.say('s-014', name, f'<br/> after a <{local(sib[i - 1].tag)}>')
                pagebreak = 'pagebreak' in (e.get(EPUB + 'type') or '').split() or e.get('role') == 'doc-pagebreak'
                # (an empty element with an id is a link's target: a page
                # break, an index entry's place, an anchor of raw HTML)
                if tag not in VOID and not kids and not pagebreak and e.get('id') is None:
                    if e.text is None or e.text == '':
                        self.say('s-010', name, f'an empty <{tag}>' + (f' id="{e.get("id")}"' if e.get('id') else ''))
                    elif not e.text.strip(SPACES + '\n\t'):
                        self.say('s-079', name, f'<{tag}> holds only white space')
                types = (e.get(EPUB + 'type') or '').split()
                if len(types) != len(set(types)):
                    self.say('s-031', name, f'epub:type="{e.get(EPUB + "type")}" repeats a value')
                if tag == 'table' and not any(local(k.tag) == 'tbody' for k in kids):
                    self.say('s-042', name, '<table> without <tbody>')
                if tag == 'th' and not txt.strip() and not kids:
                    self.say('s-074', name, 'a <th> with no text (a <td>)')
                if tag == 'thead':
                    for td in e.iter(X + 'td'):
                        if text_of(td).strip():
                            self.say('s-108', name, f'<thead> holds a <td> with text ("{text_of(td).strip()[:30]}"): a <th>')
                if tag == 'a' and e.get('href') is None:
                    self.say('s-097', name, '<a> without href' + (f' (id="{e.get("id")}")' if e.get('id') else ''))
                if tag == 'dl' and 'glossary' in types:
                    for dt in e.findall(X + 'dt'):
                        if len(dt.findall(X + 'dfn')) != 1:
                            self.say('s-062', name, f'a glossary <dt> ("{text_of(dt).strip()[:30]}") without exactly one <dfn>')
                i = e.get('id')
                # (a kepub's wrappers and sentence spans are numbered in
                # each document, as Kobo's own kepubs have them)
                kobo = i is not None and (i in ('book-columns', 'book-inner') or
                                          i.startswith('kobo.'))
                if i is not None and not kobo:
                    ids.setdefault(i, []).append(name)
                    if re.match(r'^[0-9]', i):
                        self.say('x-007', name, f'id="{i}" starts with a digit')
                    if re.search(r'-0[0-9]', i):
                        self.say('x-009', name, f'id="{i}": a number with a leading 0')
                xl = e.get(XML + 'lang')
                if xl and xl[0].isupper():
                    self.say('x-016', name, f'xml:lang="{xl}" starts in upper case')
        for i, where in ids.items():
            if len(where) > 1:
                self.say('x-017', where[0], f'id="{i}" is used {len(where)} times in the book ({", ".join(sorted(set(where)))})')

    # ---- typography ----

    def check_typography(self):
        for name, e, t in self.prose():
            lang = None
            for a in [e] + list(self.ancestors(e)):
                lang = a.get(XML + 'lang') or a.get('lang')
                if lang:
                    break
            flat = t.replace('\n', ' ')
            # (between words: a line of verse may begin with spaces kept;
            # and as rendered: a run of plain spaces, as a typewriter's two
            # after a full stop, is one space in XHTML, only a no-break or
            # fixed-width space beside another space is a double space)
            for m in re.finditer('[^' + SPACES + '\n\t][' + SPACES + ']{2,}(?=[^' + SPACES + '\n\t])', t):
                if set(m.group()[1:]) == {' '}:
                    continue
                self.say('t-001', name, f'double spacing: "{t[max(0, m.start() - 15):m.end() + 15]}"'.replace('\n', ' '))
            for m in re.finditer(r'[,;]{2,}|“\s*“|”\s*”|’ ’|‘\s*‘', t):
                self.say('t-008', name, f'repeated punctuation: "{t[m.start():m.end() + 15]}"')
            if '——' in t:
                self.say('t-014', name, f'two em dashes in a row: "{flat[:40]}"')
            for m in re.finditer(r'\s”', t):
                self.say('t-037', name, f'” after a space: "{flat[max(0, m.start() - 20):m.end()]}"')
            if not (lang or '').startswith('fr'):
                for m in re.finditer(r'[^…\s][' + SPACES + r'][!?;:,]', t):
                    self.say('t-041', name, f'a space before punctuation: "{flat[max(0, m.start() - 15):m.end() + 5]}"')
            if '´' in t:
                self.say('t-055', name, f'a lone acute accent: "{flat[:40]}"')
            if re.search(r'[0-9]+º', t):
                self.say('t-056', name, f'º for a degree: "{flat[:40]}"')
            for ch in ('\ufeff', '\u00ad'):
                if ch in t:
                    self.say('t-058', name, f'illegal character U+{ord(ch):04X}')
        for name, d in self.docs.items():
            if name in self.nonlinear:
                continue
            b = d.find(X + 'body')
            for p in b.iter(X + 'p'):
                if re.search('“$', text_of(p).rstrip()):
                    self.say('t-038', name, f'“ before </p>: "{text_of(p).strip()[-30:]}"')
            for e in b.iter():
                if local(e.tag) != 'a' or 'noteref' not in (e.get(EPUB + 'type') or '').split():
                    continue
                par = self.parent[e]
                sib = list(par)
                i = sib.index(e)
                before = sib[i - 1].tail if i else par.text
                if before and before[-1] in SPACES + '\n\t':
                    self.say('t-012', name, f'white space before the note reference {e.get("id")}')
            for img in b.iter(X + 'img'):
                alt = img.get('alt') or ''
                if re.search(r"'|\"|--", alt):
                    self.say('t-025', name, f'alt with a straight quote or --: "{alt[:40]}"')
                # (the alt text gsi-book writes: the cover's; a picture's
                # is the author's, as written)
                if name in self.cover_docs() and alt and not re.search(r'[.!?…]["”’)]*$', alt):
                    self.say('t-026', name, f'alt does not end with punctuation: "...{alt[-30:]}"')

    # ---- metadata ----

    def check_metadata(self):
        md = self.pkg.find(OPF + 'metadata')
        bad = re.compile(r"'|\"|--")
        for e in md:
            tag = local(e.tag)
            t = e.text or ''
            if not t.strip() and tag != 'meta' or tag == 'meta' and e.get('property') and not t.strip():
                self.say('m-022', self.opf, f'empty <{tag}>')
            if tag == 'title' and bad.search(t):
                self.say('m-012', self.opf, f'dc:title not typogrified: "{t[:40]}"')
            if tag == 'meta' and e.get('property') and bad.search(t):
                self.say('m-013', self.opf, f'<meta property="{e.get("property")}"> not typogrified: "{t[:60]}"')
            if tag == 'description' and bad.search(t):
                self.say('m-014', self.opf, f'dc:description not typogrified: "{t[:40]}"')
        for m in re.findall(r'&(?!amp;|lt;|gt;)[a-zA-Z]+;|&#[0-9a-fA-Fx]+;', self.opf_text):
            self.say('m-018', self.opf, f'entity {m} (Unicode characters instead)')
        props = {}
        for e in md.iter(OPF + 'meta'):
            if e.get('property'):
                props.setdefault(e.get('property'), []).append(e.text)
        # the pictures of the text (the cover is described by its own
        # text alternative, as SE's rules count it)
        cover = [it for it in self.items.values() if 'cover-image' in (it.get('properties') or '').split()]
        cover = {self.name(c.get('href')) for c in cover}
        images = [n for n, d in self.docs.items() for i in d.iter(X + 'img')
                  if self.name(i.get('src'), n) not in cover]
        visual = 'visual' in props.get('schema:accessMode', [])
        if images and not visual:
            self.say('m-028', self.opf, 'pictures in the text, but no schema:accessMode visual')
        if images and 'alternativeText' not in props.get('schema:accessibilityFeature', []):
            self.say('m-029', self.opf, 'pictures in the text, but no schema:accessibilityFeature alternativeText')
        if visual and not images:
            self.say('m-038', self.opf, 'schema:accessMode visual, but no pictures in the text')
        # each document's title (its first heading) in the contents, the
        # title page's aside (SE reads every heading; a heading may be
        # left out of the contents on purpose, {.unlisted}, which the
        # output does not tell); compared by letters and digits, as the
        # contents may join a label and a title with punctuation
        if self.nav:
            toc = [n for n in self.docs[self.nav].iter(X + 'nav') if n.get(EPUB + 'type') == 'toc'][0]

            def key(t):
                return ''.join(ch for ch in t.casefold() if ch.isalnum())
            entries = {(key(text_of(a)), self.name(a.get('href'), self.nav)) for a in toc.iter(X + 'a')}
            for n in self.spine:
                name = self.name(self.items[n].get('href'))
                if name == self.nav or name not in self.docs:
                    continue
                if any('titlepage' in (e.get(EPUB + 'type') or '').split() for e in self.docs[name].iter()):
                    continue
                h = next((e for e in self.body(name).iter() if re.match(r'^h[1-6]$', local(e.tag))), None)
                if h is not None and (key(text_of(h)), name) not in entries:
                    self.say('m-045', name, f'heading "{" ".join(text_of(h).split())[:50]}" is not in the contents')

    # ---- files ----

    def check_files(self):
        spine = {self.name(self.items[i].get('href')) for i in self.spine}
        for name in self.docs:
            if name not in spine:
                self.say('f-007', name, 'an XHTML document not in the spine')
        cover = {self.name(it.get('href')) for it in self.items.values()
                 if 'cover-image' in (it.get('properties') or '').split()}
        for it in self.items.values():
            n = self.name(it.get('href'))
            base = posixpath.basename(n)
            # URL-safe: RFC 3986's unreserved characters (SE's own names
            # are lowercase with dashes, its house style)
            if not re.match(r'^[A-Za-z0-9._~-]+$', base):
                self.say('f-008', n, f'the file name is not URL-safe ({base}: letters, digits, . _ ~ -)')
            if re.match(r'^0[0-9]', base):
                self.say('f-009', n, 'a leading 0 in the file name')
            mt = it.get('media-type')
            if mt == 'image/jpeg' and not base.endswith('.jpg'):
                self.say('f-011', n, 'a JPEG whose name does not end in .jpg')
            if mt.startswith('image/') and mt != 'image/svg+xml':
                data = self.z.read(n)
                if len(data) > 1500000:
                    self.say('f-016', n, f'{len(data)} bytes, more than 1.5 MB')
                size = image_size(data)
                if size and n not in cover and size[0] * size[1] > 4000000:
                    self.say('f-018', n, f'{size[0]}x{size[1]} pixels, more than 4,000,000')


def image_size(data):
    if data[:8] == b'\x89PNG\r\n\x1a\n':
        return struct.unpack('>II', data[16:24])
    if data[:2] == b'\xff\xd8':
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            mk = data[i + 1]
            if mk in (0xD8, 0x01) or 0xD0 <= mk <= 0xD7:
                i += 2
                continue
            if mk in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                h, w = struct.unpack('>HH', data[i + 5:i + 9])
                return w, h
            i += 2 + struct.unpack('>H', data[i + 2:i + 4])[0]
    return None


def main(argv):
    if len(argv) < 2:
        sys.stderr.write('usage: selint.py EPUB...\n')
        return 2
    bad = False
    for path in argv[1:]:
        seen = set()

        def say(code, where, what, path=path):
            nonlocal bad
            line = f'{posixpath.basename(path)}: {code} {where}: {what}'
            if line not in seen:
                seen.add(line)
                bad = True
                print(line)
        try:
            lint = Lint(path, say)
            lint.check_css()
            lint.check_semantics()
            lint.check_typography()
            lint.check_metadata()
            lint.check_files()
        except (zipfile.BadZipFile, ET.ParseError, KeyError) as e:
            say('f-010', path, f'cannot read: {e}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
