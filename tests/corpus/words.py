#!/usr/bin/env python3
"""tests/corpus/words.py BOOKDIR EPUB PDF - every word of the book's source
reaches both editions, in order.

The source's words are those of cmark-gfm's own HTML of the book's
Markdown parts (in book.yaml's order, `cmark-gfm --smart --unsafe -e
table -e footnotes -e strikethrough --strikethrough-double-tilde -e
tasklist -e autolink`, the extensions gsi-book reads; "~x~" is pandoc's
subscript; --unsafe keeps the raw HTML that gsi-book reads, <span>,
<div>, <figure>..., with the words inside it, where cmark-gfm would
otherwise omit a whole HTML block): the body's words as one sequence,
the notes' words as another (footnotes are set at the page's foot in
print, so they interrupt the body anywhere).  They are compared with

  - the EPUB's XHTML text, in spine order: the footnotes' asides are the
    notes' sequence, the rest the body's;
  - `pdftotext` of the PDF (the halves of a word hyphenated at a line's
    end, which ends in U+00AD, joined): the body's words in order, and the
    notes' words in order among the words the body did not take.

Words are split at white space and at dashes and hyphens (a line may
break after any of them); quotes and apostrophes (« » „ “ ” ‘ ’ ‚ ' " ‹ ›),
word joiners, soft hyphens and superscript digits (the print edition's
note marks) are dropped; nothing else is changed, so a missing, changed or
reordered word fails.  Between two words of the source an edition may hold
only words that it generates: numbers (folios, note numbers, roman page
numbers, "Appendix A"), words of the headings (running heads, contents),
of book.yaml (title page, running heads), of the notes (in the body's
sequence), words without a letter or digit (bullets), and the labels
gsi-book writes (GENERATED below).  Before the first word and after the
last anything may come (title page, contents, colophon).

The print edition's additions after links (links.page-numbers and
links.print-urls of the style gsi-book reads, styles/style.yaml under
$GSI_BOOK_DATA, else the source tree's) are taken out of the PDF's text
first, each where it belongs and once (print_additions()): ", p. 7" after
an internal link's text (its last two characters), " (ADDRESS)" after an
external one's (links.print-urls inline, or a link in a note), or its
note's mark after its text and "MARK ADDRESS" at a page's foot; an
autolink has none.  Text of that form anywhere else stays.

With --epub-only BOOKDIR EPUB, the EPUB alone (the `epub` command's).
Prints one line per problem, exits 1 if any.  Environment: CORPUS_MUTATE=
"drop N", "swap N" or "change N" mutilates the source's Nth body word
("dropnote N" drops the Nth word of the notes, "droptable N" the Nth of
the tables), to
prove that the check fails (tests/corpus/selftest.sh).
"""
import html.parser
import os
import re
import subprocess
import sys
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

# the labels gsi-book writes (src/epub.c's words, src/typeset.c's
# "Contents"), a phrase a line
GENERATED = """
Contents
Notes
Содержание
Примечания
Мазмұны
Ескертпелер
"""

DASHES = re.compile('[\u2010\u2011\u2012\u2013\u2014\u2015\u2e3a\u2e3b\u2212-]')
DROP = re.compile('[«»„“”‘’‚\'"‹›\u2060\u200b\u00ad\u2070\u00b9\u00b2\u00b3\u2074-\u2079]')
# folios and note numbers: arabic, or lowercase roman below 100 (the front
# matter's folios; no English word has that form)
NUMERAL = re.compile(r'^[(\[]?([0-9]+|(xc|xl|l?x{0,3})(ix|iv|v?i{0,3}))[.:)\]]?$')
# appendix labels: "Appendix A" (src/resolve.c), Latin and Cyrillic letters
LABELS = ('Appendix', 'Приложение', 'Қосымша')
LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГДЕЖИКЛМНПРСТУФХЦШЩЭЮЯӘҒҚҢҰҮҺ'



# spaces narrower than a word space (a hair space before an ellipsis, the
# narrow no-break space inside French guillemets): pdftotext sees no gap
# there, so they join what they separate, in every text
NARROW = re.compile('[\u2006\u2009\u200a\u202f]')


def words(text):
    return [w for w in DROP.sub('', NARROW.sub('', DASHES.sub(' ', text))).split() if w]


def fold(w):
    return w.casefold()


# pandoc's heading attributes at a heading's end ('{#id .class -}'), which
# gsi-book reads and does not print (src/source/parse.c, the same rule):
# cmark-gfm's HTML keeps them as text
HEADING_ATTRS = re.compile(
    r'\s*(?<!\])\{\s*(?:(?:#[\w\-:.]+|\.[^\W\d_][\w\-:.]*|-|'
    r'[^\W\d_][\w\-:.]*=(?:"[^"]*"|\'[^\']*\'|[^\s"\'}]+))(?:\s+|(?=\})))*\}\s*$')
# pandoc's attributes right after an image ('![a](x.png){#fig:a width=60%}'),
# which cmark-gfm leaves as text and gsi-book reads (source/imageattrs.c)
IMAGE_ATTRS = re.compile(
    r'^\{\s*(?:(?:#[\w\-:.]+|\.[^\W\d_][\w\-:.]*|'
    r'[^\W\d_][\w\-:.]*=(?:"[^"]*"|\'[^\']*\'|“[^”]*”|‘[^’]*’|'
    r'[^\s"\'“‘}]+))(?:\s+|(?=\})))*\}')


# pandoc's fenced divs and line blocks, which gsi-book reads as pandoc does
# (src/source/divs.c, the same rules): a fence (a line of three colons or
# more, with attributes or a class word to open, alone to close; never in
# fenced code) is no text, nor is the bar that starts each line of a line
# block (a paragraph whose lines start with '|', or a space: they go on);
# cmark-gfm's HTML keeps both as text, so they are taken out of the
# Markdown it reads, line for line
FENCE_OPEN = re.compile(r'^ {0,3}:{3,}[ \t]*(?:\{[^}]*\}|[^\W_][\w-]*)[ \t]*:*[ \t]*$')
FENCE_CLOSE = re.compile(r'^ {0,3}:{3,}[ \t]*$')
CODE_FENCE = re.compile(r'^ {0,3}(`{3,}|~{3,})')
BAR = re.compile(r'^ {0,3}\|(?: |$)')


def pandoc_blocks(text):
    out, code, depth = [], None, 0
    for line in text.split('\n'):
        bare = line.rstrip('\r')
        m = CODE_FENCE.match(bare)
        if code:
            if m and m.group(1)[0] == code[0] and len(m.group(1)) >= len(code) \
                    and not bare.strip().strip(code[0]):
                code = None
        elif m:
            code = m.group(1)
        elif FENCE_OPEN.match(bare):
            depth += 1
            line = ''
        elif FENCE_CLOSE.match(bare) and depth:
            depth -= 1
            line = ''
        out.append(line)
    # line blocks: runs of lines between blank ones
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and out[j].strip():
            j += 1
        run = out[i:j]
        if run and BAR.match(run[0]) and \
                all(BAR.match(r) or r[:1] in (' ', '\t') for r in run):
            out[i:j] = [BAR.sub('', r, count=1) for r in run]
        i = j + 1
    return '\n'.join(out)


# pandoc's superscript ^x^, subscript ~x~ and inline notes ^[...], which
# gsi-book reads as pandoc does (src/source/extensions.c, the same rules:
# a mark closes at the next same mark, unescaped, with no white space
# between; '~~' and '^^' open nothing; never in code): cmark-gfm's HTML
# keeps them as text, so the marks are taken out of the Markdown it reads
# and each inline note becomes a footnote defined at the file's end
def _script_end(s, i):
    ch = s[i]
    j = i + 1
    while j < len(s):
        if s[j] == '\\':
            j += 2
            continue
        if s[j] == ch:
            return j if j > i + 1 else 0
        if s[j] in ' \t\n':
            return 0
        j += 1
    return 0


def _note_end(s, i):
    """The ']' closing the '[' at i, or 0."""
    depth, j = 0, i
    while j < len(s):
        if s[j] == '\\':
            j += 2
            continue
        if s[j] == '`':
            n = len(s[j:]) - len(s[j:].lstrip('`'))
            k = s.find('`' * n, j + n)
            j = k + n if k >= 0 else j + n
            continue
        if s[j] == '[':
            depth += 1
        elif s[j] == ']':
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return 0


def _inlines(s, notes):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == '\\':
            out.append(s[i:i + 2])
            i += 2
        elif c == '`':
            n = len(s[i:]) - len(s[i:].lstrip('`'))
            k = s.find('`' * n, i + n)
            end = k + n if k >= 0 else i + n
            out.append(s[i:end])
            i = end
        elif c == '^' and s[i + 1:i + 2] == '[' and _note_end(s, i + 1):
            j = _note_end(s, i + 1)
            notes.append(_inlines(s[i + 2:j], notes).replace('\n', ' '))
            out.append('[^gb-inline-%d]' % len(notes))
            i = j + 1
        elif c in '^~' and s[i + 1:i + 2] == c:
            out.append(c * 2)
            i += 2
        elif c in '^~' and _script_end(s, i):
            j = _script_end(s, i)
            out.append(s[i + 1:j])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def pandoc_inlines(text):
    out, run, notes = [], [], []

    def flush():
        if run:
            out.append(_inlines('\n'.join(run), notes))
            run.clear()
    lines = text.split('\n')
    for line, code in zip(lines, code_mask(lines)):
        if code:
            flush()
            out.append(line)
        else:
            run.append(line)
    flush()
    return '\n'.join(out) + ''.join('\n\n[^gb-inline-%d]: %s\n' % (k + 1, n)
                                     for k, n in enumerate(notes))


# pandoc's bracketed spans '[text]{.smallcaps lang=ru}' and a link's
# attributes '[text](url){.x}' (src/source/spans.c): cmark-gfm leaves them
# text; gsi-book keeps the text and drops the brackets and the block
# (quoted values are curly in cmark's --smart HTML).  Brackets and braces
# in code are kept: flush() sees them as CODE_MARKS.
SPAN_ATTRS = (r'\{\s*(?:(?:#[\w\-:.]+|\.[^\W\d_][\w\-:.]*|-|'
              r'[^\W\d_][\w\-:.]*=(?:"[^"]*"|\'[^\']*\'|“[^”]*”|'
              r'‘[^’]*’|[^\s"\'}]+))(?:\s+|(?=\})))*\}')
CODE_MARKS = str.maketrans({'[': '\ue000', ']': '\ue001', '{': '\ue002', '}': '\ue003',
                            '\ue005': '\\['})
CODE_BACK = str.maketrans('\ue000\ue001\ue002\ue003\ue005', '[]{}[')
# an escaped '\[' opens no span, but cmark's HTML drops the backslash: the
# source given to cmark holds ESCAPED_MARK for it (text: '['; in code,
# where the backslash is a character, '\[' again)
ESCAPED_OPEN = re.compile(r'((?<!\\)(?:\\\\)*)\\\[')
ESCAPED_MARK = '\ue005'
LINK_END = '\ue004'


def strip_spans(s):
    s = re.sub(LINK_END + SPAN_ATTRS, '', s)
    while True:
        for m in re.finditer(r'\]' + SPAN_ATTRS, s):
            depth, k = 0, m.start() - 1
            while k >= 0:
                if s[k] == ']':
                    depth += 1
                elif s[k] == '[':
                    if depth == 0:
                        break
                    depth -= 1
                k -= 1
            if k >= 0:
                s = s[:k] + s[k + 1:m.start()] + s[m.end():]
                break
        else:
            break
    return s.replace(LINK_END, '').translate(CODE_BACK)


class CmarkHTML(html.parser.HTMLParser):
    """The words of cmark-gfm's HTML: body, notes, headings, captions."""
    BLOCKS = {'p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'td', 'th',
              'blockquote', 'tr', 'br', 'hr', 'div', 'section', 'ol', 'ul', 'table'}

    def __init__(self, base='.'):
        super().__init__(convert_charrefs=True)
        self.base = base        # the part's folder, where pictures are
        self.body, self.notes, self.heads, self.extra = [], [], [], []
        # the tables, each its words, and for each word of body whether it
        # is a table's: the print edition floats a table that does not fit
        # where it falls to the next page's top, the text after it moving
        # up (README "Line breaking and pages")
        self.tables, self.in_table = [], []
        self.table = 0
        self.note_list = []     # each note's words
        self.pending = None     # a "Table: " paragraph before a table?
        self.thead = None       # a table's header row, repeated on each page
        self.last = None        # the last block that ended
        self.in_notes = 0
        self.skip = 0       # inside a note's mark or back-link
        self.after_img = False  # the text right after an <img>
        self.head = 0
        self.figcaption = False
        self.code = False   # inside inline code or a code block
        self.autolink = False   # inside an autolink holding ESCAPED_MARK
        self.text = []

    def flush(self):
        ws = words(strip_spans(''.join(self.text)))
        self.text = []
        (self.notes if self.in_notes else self.body).extend(ws)
        if not self.in_notes:
            self.in_table.extend([self.table > 0] * len(ws))
            if self.table:
                self.tables[-1].extend(ws)
        if self.in_notes and self.note_list:
            self.note_list[-1].extend(ws)
        if self.head:
            self.heads[-1].extend(ws)
        if self.thead is not None:
            self.thead.extend(ws)

    def caption(self, tag):
        """A paragraph "Table: ..." next to a table is its caption, which
        the editions set above the table (README "Writing a book")."""
        if self.pending is not None:
            if tag == 'table':
                self.extra.append(self.pending[1:])
            else:
                self.body.extend(self.pending)
                self.in_table.extend([False] * len(self.pending))
                if self.head:
                    self.heads[-1].extend(self.pending)
            self.pending = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.after_img = tag == 'img'
        if tag == 'code':
            self.code = True
        if tag == 'a':
            self.autolink = '%EE%80%85' in (a.get('href') or '')
        if tag in self.BLOCKS or tag == 'img':
            self.flush()
            self.caption(tag)
        if tag == 'section' and 'footnotes' in (a.get('class') or ''):
            self.in_notes = 1
        if tag == 'sup' and 'footnote-ref' in (a.get('class') or ''):
            self.skip += 1
        if tag == 'a' and ('footnote-backref' in (a.get('class') or '') or
                           a.get('data-footnote-backref') is not None):
            self.skip += 1
        if tag in ('h1', 'h2', 'h3', 'h4', 'h5', 'h6'):
            self.head = 1
            self.heads.append([])
        if tag == 'figcaption':
            # a raw HTML figure's caption (pandoc's): the figure may
            # float, as an image's title does
            self.flush()
            self.figcaption = True
        if tag == 'thead':
            self.thead = []
        if tag == 'table' and not self.in_notes:
            self.table += 1
            self.tables.append([])
        if tag == 'li' and self.in_notes and (a.get('id') or '').startswith('fn'):
            self.note_list.append([])
        if tag == 'img':
            # the alt text is no text of the page; a caption may float
            # (figures go to a page's top): it may come anywhere
            self.extra.append(words(a.get('title') or ''))
            self.extra.append(words(a.get('alt') or ''))
            # an SVG's text is drawn as the PDF's text
            src = urllib.parse.unquote(a.get('src') or '')
            if src.lower().endswith('.svg'):
                try:
                    svg = ET.parse(os.path.join(self.base, src)).getroot()
                    for el in svg.iter():
                        if isinstance(el.tag, str) and el.tag.rsplit('}', 1)[-1] == 'text':
                            self.extra.append(words(' '.join(el.itertext())))
                except (OSError, ET.ParseError):
                    pass

    def handle_endtag(self, tag):
        if tag == 'figcaption' and self.figcaption:
            self.extra.append(words(''.join(self.text)))
            self.text = []
            self.figcaption = False
        if tag == 'thead':
            self.flush()
            self.extra.append(self.thead)
            self.thead = None
        if tag == 'a' and not self.skip:
            self.text.append(LINK_END)
        if tag == 'code':
            self.code = False
        if tag == 'a':
            self.autolink = False
        if tag == 'p' and not self.in_notes and not self.skip:
            ws = words(strip_spans(''.join(self.text)))
            if ws and ws[0] == 'Table:':
                self.text = []
                if self.last == 'table':
                    self.extra.append(ws[1:])
                else:
                    self.pending = ws
        if tag in ('h1', 'h2', 'h3', 'h4', 'h5', 'h6'):
            self.text = [HEADING_ATTRS.sub('', ''.join(self.text))]
        if tag in self.BLOCKS:
            self.flush()
            self.last = tag
        if tag == 'table' and self.table:
            self.table -= 1
        if tag in ('h1', 'h2', 'h3', 'h4', 'h5', 'h6'):
            self.head = 0
        if (tag == 'sup' or tag == 'a') and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.after_img:
            data = IMAGE_ATTRS.sub('', data, count=1)
            self.after_img = False
        if self.autolink:   # no escapes in an autolink: '\[' as written
            data = data.replace(ESCAPED_MARK, '\\[')
        if not self.skip:
            self.text.append(data.translate(CODE_MARKS) if self.code else data)


def parts_of(bookdir):
    """The Markdown files book.yaml lists, in order (its 'parts:' list)."""
    files, inparts = [], False
    with open(os.path.join(bookdir, 'book.yaml'), encoding='utf-8') as f:
        for line in f:
            if re.match(r'^parts\s*:', line):
                inparts = True
                continue
            if inparts and re.match(r'^\S', line) and not line.startswith('#'):
                inparts = False
            if not inparts:
                continue
            m = re.search(r'(?:^|[\s{,-])file\s*:\s*("[^"]*"|\'[^\']*\'|[^,}\s]+)', line) or \
                re.match(r'^\s*-\s+("[^"]*"|\'[^\']*\'|[^:{}\s]+)\s*$', line)
            if m:
                files.append(m.group(1).strip('"\''))
    return files


def metadata(bookdir):
    """The title, subtitle, short titles (the book's and its parts') and
    authors' names of book.yaml, each a list of words (what title pages
    and running heads repeat); a value may be a
    block (`title: |` and the lines below it)."""
    out = []
    with open(os.path.join(bookdir, 'book.yaml'), encoding='utf-8') as f:
        lines = f.read().split('\n')
    for i, line in enumerate(lines):
        m = re.match(r'^(title|subtitle|author)\s*:\s*(.*?)\s*$', line) or \
            re.match(r'^\s*-?\s*(name|short-title)\s*:\s*(.*?)\s*$', line)
        if not m:
            continue
        value = m.group(2)
        if value in ('', '|', '>', '|-', '>-', '|+', '>+'):
            block = []
            for more in lines[i + 1:]:
                if not more.startswith((' ', '\t')) or re.match(r'^\s*-?\s*\w+\s*:', more):
                    break
                block.append(more.strip())
            value = ' '.join(block)
            if m.group(1) == 'author':
                # a list of names: "- Name" lines
                value = ' '.join(re.sub(r'^-\s*', '', b) for b in block)
        out.append(words(value.strip('"\'')))
    return out


# pandoc's definition lists (src/source/deflist.c): cmark-gfm reads
# "Term\n:   Definition" as one paragraph holding the marker, and a
# definition's next block, indented four spaces after a blank line, as
# code (its Markdown shown as written).  The check reads each marker line
# (0-3 spaces in, after a block quote's '>' if any, or as far in as the
# line before it: a term in a definition's body; ':' or '~', a space or a
# tab, text) outside fenced code as
# a '+' bullet, whose item holds the definition's blocks: the same words,
# in the same order, as the definition's.  A marker with no term before
# it, text to pandoc and gsi-book, loses only its ':' here, a word without
# a letter, which an edition may hold.
LIST_CONTENT = re.compile(r'^ *(?:[-+*]|\d{1,9}[.)]|[:~])[ \t]+(?=\S)')
DEF_MARKER = re.compile(r'^((?: {0,3}> ?)*)( *)[:~](?=[ \t]+\S)')
QUOTED = re.compile(r'^((?: {0,3}> ?)*)( *)\S')
FENCE = re.compile(r'^(?: {0,3}> ?)* {0,3}(`{3,}|~{3,})')


def code_mask(lines):
    """For each line: whether it is code (fenced, or indented: a line 4
    columns past the content of the block before a blank line, as
    CommonMark reads it), where no pandoc mark is read.  content is the
    column of the last block's content (a list item's or a definition's
    text), code_min where indented code's lines stand."""
    mask, fence, code_min, content, blank = [], None, None, 0, True
    for line in lines:
        m = FENCE.match(line)
        bare = line.strip()
        ind = len(line) - len(line.lstrip(' '))
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and \
                    not line[m.end():].strip():
                fence = None
            mask.append(True)
            continue
        if code_min is not None and (not bare or ind >= code_min):
            mask.append(True)
            blank = not bare
            continue
        code_min = None
        if bare and blank and ind >= content + 4 and not bare.startswith('>'):
            code_min = content + 4
            mask.append(True)
            blank = False
            continue
        if m:
            fence = m.group(1)
            mask.append(True)
            continue
        if bare:
            c = LIST_CONTENT.match(line)
            content = len(c.group(0)) if c else ind
        blank = not bare
        mask.append(False)
    return mask


def definition_markers(text):
    out, indent = [], 0
    lines = text.split('\n')
    for line, code in zip(lines, code_mask(lines)):
        if not code:
            d = DEF_MARKER.match(line)
            # a marker 0-3 spaces in, or as far in as the line before
            # it (a term, or a definition, in a definition's body)
            if d and (len(d.group(2)) <= 3 or len(d.group(2)) == indent):
                line = d.group(1) + d.group(2) + '+' + line[d.end():]
        q = QUOTED.match(line)
        if q:
            indent = len(q.group(2))
        out.append(line)
    return '\n'.join(out)


def source(bookdir):
    body, notes, where = [], [], []
    heads, note_list, extra = [], [], []
    tables, in_table = [], []
    for part in parts_of(bookdir):
        with open(os.path.join(bookdir, part), encoding='utf-8', errors='surrogateescape') as f:
            md = ESCAPED_OPEN.sub(lambda m: m.group(1) + ESCAPED_MARK, f.read())
        html = subprocess.run(['cmark-gfm', '--smart', '--unsafe', '-e', 'table', '-e', 'footnotes',
                               '-e', 'strikethrough', '--strikethrough-double-tilde',
                               '-e', 'tasklist', '-e', 'autolink'],
                              input=definition_markers(pandoc_inlines(pandoc_blocks(md))).encode('utf-8', 'surrogateescape'),
                              check=True, capture_output=True).stdout.decode('utf-8')
        p = CmarkHTML(os.path.dirname(os.path.join(bookdir, part)))
        p.feed(html)
        p.close()
        p.flush()
        p.caption(None)
        body.extend(p.body)
        tables.extend(t for t in p.tables if t)
        in_table.extend(p.in_table)
        where.extend([part] * len(p.body))
        notes.extend(p.notes)
        heads.extend(p.heads)
        note_list.extend(p.note_list)
        extra.extend(p.extra)
    meta = metadata(bookdir)
    for label in LABELS:
        for letter in LETTERS:
            for p in ('', '.', ':'):
                meta.append([label, letter + p])
    generated = [words(line) for line in GENERATED.split('\n') if line.strip()]
    return body, notes, where, meta, heads + extra + generated, note_list, tables, in_table


# the EPUB's inline elements: no word ends at them
INLINE = ('em', 'strong', 'i', 'b', 'span', 'a', 'code', 'sup', 'sub', 'del', 's',
          'small', 'abbr', 'kbd', 'q', 'cite', 'dfn')


def epub_text(path):
    """The EPUB's words in spine order: (body, notes)."""
    X = '{http://www.w3.org/1999/xhtml}'
    T = '{http://www.idpf.org/2007/ops}type'
    z = zipfile.ZipFile(path)
    c = ET.fromstring(z.read('META-INF/container.xml'))
    opf_name = next(e.get('full-path') for e in c.iter() if e.tag.endswith('rootfile'))
    opf = ET.fromstring(z.read(opf_name))
    base = os.path.dirname(opf_name)
    items = {e.get('id'): e.get('href') for e in opf.iter() if e.tag.endswith('}item')}
    body, notes = [], []

    def walk(el, into):
        kind = (el.get(T) or '') + ' ' + (el.get('role') or '')
        if re.search(r'noteref|backlink', kind):
            return
        if re.search(r'\b(footnote|endnote|rearnote)\b', kind) and 'footnotes' not in kind:
            into = nt
        tag = el.tag.replace(X, '')
        into.append(' ' if tag not in INLINE else '')
        into.append(el.text or '')
        for ch in el:
            walk(ch, into)
            into.append(ch.tail or '')
        into.append(' ' if tag not in INLINE else '')

    for ref in opf.iter():
        if not ref.tag.endswith('itemref') or ref.get('linear') == 'no':
            continue
        name = os.path.normpath(os.path.join(base, items[ref.get('idref')]))
        root = ET.fromstring(z.read(name))
        bd, nt = [], []
        walk(root.find(X + 'body'), bd)
        body.extend(words(''.join(bd)))
        notes.extend(words(''.join(nt)))
    return body, notes


class Links(html.parser.HTMLParser):
    """The links of cmark-gfm's HTML, in order: (href, text), but for
    note references and back links."""

    def __init__(self):
        super().__init__()
        self.links, self.open, self.depth, self.notes = [], [], 0, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'section':
            self.depth += 1
            if 'footnotes' in (a.get('class') or '') and self.notes is None:
                self.notes = self.depth
        if tag == 'a':
            note = 'footnote' in (a.get('class') or '') or 'data-footnote-ref' in a or \
                   'data-footnote-backref' in a
            self.open.append(None if note else [a.get('href') or '', ''])

    def handle_endtag(self, tag):
        if tag == 'section':
            if self.notes == self.depth:
                self.notes = None
            self.depth -= 1
        if tag == 'a' and self.open:
            link = self.open.pop()
            if link is not None:
                self.links.append((link[0], link[1], self.notes is not None))

    def handle_data(self, data):
        for link in self.open:
            if link is not None:
                link[1] += data


def links_style():
    """links.page-numbers and links.print-urls of the style gsi-book reads."""
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.path.join(os.environ.get('GSI_BOOK_DATA') or top, 'styles', 'style.yaml')
    pages, urls = 'false', 'none'
    with open(path, encoding='utf-8') as f:
        block = re.search(r'^links:.*\n((?:[ \t]+.*\n|[ \t]*\n)*)', f.read(), re.M)
    if block:
        m = re.search(r'^\s+page-numbers:\s*(\S+)', block.group(1), re.M)
        pages = m.group(1) if m else pages
        m = re.search(r'^\s+print-urls:\s*(\S+)', block.group(1), re.M)
        urls = m.group(1) if m else urls
    return pages == 'true', urls


# the word before a page number (src/design/words.c's "page"), by language
PAGE_WORDS = ('p.', 'с.', 'б.')
MARKS = '[*\u2020\u2021\u00a7\u2016\u00b6]+'


def spaced(s):
    """A pattern of s as pdftotext may give it broken over lines: any
    white space (or a soft hyphen) between its characters, and any
    white space for its own (a line's end)."""
    return r'[\s\u00ad]*'.join(r'\s' if c.isspace() else re.escape(c) for c in s)


def print_additions(bookdir):
    """What the print edition adds after each link of the book, in
    order: (pattern, replacement) for re.sub once, from the position of
    the last."""
    pages, urls = links_style()
    out = []
    for part in parts_of(bookdir):
        html = subprocess.run(['cmark-gfm', '--smart', '-e', 'table', '-e', 'footnotes',
                               '-e', 'autolink', os.path.join(bookdir, part)],
                              check=True, capture_output=True).stdout.decode('utf-8')
        p = Links()
        p.feed(html)
        p.close()
        for href, text, in_note in p.links:
            text = text.strip()
            if not href or not text:
                continue
            tail = text[-2:]
            if href.startswith('#'):
                if pages:
                    out.append((spaced(tail) + r',\s+(?:' + '|'.join(map(re.escape, PAGE_WORDS)) +
                                r')[\s\u00a0]+(?:[0-9]+|[ivxlc]+)\b', tail, False))
                continue
            shown = href[7:] if href.startswith('mailto:') else href
            if text in (href, shown) or urls == 'none':
                continue
            # (a link in a note: its address after it, a note of a note
            # is not set)
            if urls == 'inline' or in_note:
                out.append((spaced(tail) + r'\s+\(' + spaced(shown) + r'\)', tail, False))
            else:
                out.append((spaced(tail) + r'[\s\u00ad]*' + MARKS, tail, False))
                out.append(((MARKS, shown), ' ', True))
    return out


def strip_note(text, marks, address):
    """text without the note 'MARK ADDRESS' of a link, once: whole, or
    carried over to the next page (its first part at a page's foot, the
    rest after the next page's head)."""
    m = re.search(marks + r'\s+' + spaced(address), text)
    if m:
        return text[:m.start()] + ' ' + text[m.end():]
    for k in range(len(address) - 1, 7, -1):
        m = re.search(marks + r'\s+' + spaced(address[:k]) + r'\s', text)
        if not m:
            continue
        rest = re.compile(spaced(address[k:])).search(text, m.end())
        if rest:
            return text[:m.start()] + ' ' + text[m.end():rest.start()] + ' ' + text[rest.end():]
    return text


def pdf_text(path, additions=()):
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", path, '-'], check=True,
                          capture_output=True).stdout.decode('utf-8')
    # the print edition's additions after links: each once, where it
    # follows the link's text (from where the last was found: the text's
    # order; else anywhere, for a link in a note set at a page's foot)
    at = 0
    for pattern, repl, anywhere in additions:
        if isinstance(pattern, tuple):
            text = strip_note(text, *pattern)
            continue
        rx = re.compile(pattern)
        m = rx.search(text, 0 if anywhere else at) or rx.search(text)
        if m:
            text = text[:m.start()] + repl + text[m.end():]
            if not anywhere:
                at = m.start() + len(repl)
    # a word hyphenated at a line's end: its halves are two words here,
    # which compare() joins (joined()): a page may end on a hyphen, and
    # its running head and folio, or its notes, come between the halves
    text = re.sub('\u00ad', ' ', text)
    return words(text)


class Gaps:
    """What an edition may hold between two words of the source: numbers
    and words without a letter or digit, GENERATED's words, the title,
    subtitle and authors' names, and whole headings, notes and captions or
    a first or last part of one (a running head, a note set at a page's
    foot, or split over two pages, a heading the match took from its
    running head)."""

    def __init__(self, whole, parts, notes=()):
        self.first = {}
        for p in whole:
            self.add(self.first, self.key(p))
        for p in parts:
            # a running head may be a heading's first or last words: two at
            # least, or the whole heading (one would let "I" of "Chapter
            # I" pass anywhere)
            p = self.key(p)
            for t in range(2, len(p) - 1):
                self.add(self.first, p[:t])
                self.add(self.first, p[-t:])
            self.add(self.first, p)
        # notes: where each word is in them
        self.notes = [self.key(p) for p in notes]
        self.at = {}
        for n, p in enumerate(self.notes):
            for i, w in enumerate(p):
                self.at.setdefault(w, []).append((n, i))

    @staticmethod
    def single(w):
        """a number or a word without a letter or digit (a bullet, a list
        item's number, a leader's dot): allowed anywhere, and not counted
        inside a phrase (a note's list has bullets the source has not)"""
        return bool(NUMERAL.match(w) and w) or not re.search(r'\w', w)

    def key(self, p):
        return tuple(fold(w) for w in p if not self.single(w))

    @staticmethod
    def add(d, p):
        if p:
            d.setdefault(p[0], set()).add(p)

    def ok(self, gap):
        """True if gap (a list of words) is made of what may come between."""
        g, after_number, number = [], [], False
        for w in gap:
            if self.single(w):
                number = number or bool(NUMERAL.match(w))
                continue
            g.append(fold(w))
            after_number.append(number)
            number = False
        reach = [False] * (len(g) + 1)
        reach[0] = True
        for i in range(len(g)):
            if not reach[i]:
                continue
            for p in self.first.get(g[i], ()):
                if tuple(g[i:i + len(p)]) == p:
                    reach[i + len(p)] = True
            # a note's words: from its start after its number (a note at
            # the page's foot: the whole note or two words at least), else
            # a run of three words at least or its last two (a note carried over to the next pages; one or two
            # words would let any word of a note pass anywhere)
            for n, at in self.at.get(g[i], ()):
                note = self.notes[n]
                l = 0
                while i + l < len(g) and at + l < len(note) and g[i + l] == note[at + l]:
                    l += 1
                    if (at == 0 and after_number[i] and (l >= 2 or l == len(note))) or l >= 3 or \
                       (at + l == len(note) and l >= 2):
                        reach[i + l] = True
        return reach[len(g)]


def compare(want, where, have, gaps, edition, what, problems, residue=None, strict=False):
    """Every word of want in have, in order, with only what gaps allows
    between them (and before the first, if strict); the words of have
    between them (after the first) go to residue."""
    if not want:
        return
    if not have:
        problems.append('%s: no words' % edition)
        return
    # the first word: where the first words of want come one after the
    # other (a contents page before the text holds the first heading too)
    def joined(k, j):
        """the last index of have's words from j that make want[k] when
        joined: a word broken between two letters without a hyphen (a long
        word, a line of code after its continuation mark ↪), or None"""
        w, got, i = want[k], '', j
        while i < len(have) and i - j < 40 and len(got) < len(w):
            piece = have[i]
            if w.startswith(got + piece) and (piece or not got):
                got += piece
                if got == w:
                    return i
            elif got and not re.search(r'\w', piece):
                pass    # a continuation mark
            elif got:
                # a running head and a folio between its parts, at a
                # page's end
                m = next((m for m in range(i + 1, min(len(have), i + 20))
                          if have[m] and w.startswith(got + have[m])), None)
                if m is None or not gaps.ok(have[i:m]):
                    return None
                # ... if the text goes on after it ("Chapter XX 169
                # Chapter XXI I was" is not XXI broken after XX)
                rest = got + have[m]
                if rest == w and k + 1 < len(want) and \
                        (m + 1 >= len(have) or have[m + 1] != want[k + 1]):
                    return None
                i = m
                continue
            else:
                return None
            i += 1
        return None

    def find(k, at, gap=None):
        """(first, last): where want[k] is from at, its gap (from gap, else
        at) made of what may come between; or None"""
        gap = at if gap is None else gap
        j = at
        # the first place of want[k] whose gap is allowed: a place inside
        # the gap (a running head's "Mr." before the text's) is not it;
        # but where the next two words of want do not follow it, a later
        # place that they follow is (a note at a page's foot that starts
        # with the words of the paragraph after it: "There is something"
        # then "There is one")
        first = None
        while j < len(have) and j - at < 2000:
            end = None
            if have[j] == want[k]:
                end = j
            elif want[k].startswith(have[j]) and have[j]:
                end = joined(k, j)
            if end is not None and (j == gap or gaps.ok(have[gap:j])):
                if follows(k, end):
                    return j, end
                if first is None:
                    first = (j, end)
            j += 1
        return first

    def follows(k, end):
        """whether want[k + 1] and want[k + 2] are the next words of have
        after have[end], numbers and punctuation aside"""
        i = end + 1
        for w in want[k + 1:k + 3]:
            while i < len(have) and gaps.single(have[i]) and have[i] != w:
                i += 1
            if i >= len(have) or not (have[i] == w or (w.startswith(have[i]) and have[i])):
                return False
            i += 1
        return True

    # the first word: where the first words of want come one after the
    # other (a contents page before the text holds the first heading too);
    # else the first place of want[0] (after what may come before it, if
    # strict) from which want[1] is found
    def run_from(i):
        """how many of want's first words come one after the other from
        have[i], numbers and punctuation between them aside (a contents
        entry's leaders and page number; a folio at a page's foot)"""
        k = 0
        while i < len(have) and k < min(12, len(want)):
            if have[i] == want[k]:
                k += 1
            elif not gaps.single(have[i]):
                break
            i += 1
        return k

    n = min(8, len(want))
    j = next((i for i in range(len(have) - n + 1) if have[i:i + n] == want[:n]), None)
    if j is None:
        # the place where most of want's first words follow (the text, not
        # the contents page's entry of its first heading)
        places = sorted((i for i, w in enumerate(have) if w == want[0]),
                        key=lambda i: (-run_from(i), i))
        if strict:
            places = [i for i in places[:50] if i == 0 or gaps.ok(have[:i])]
        if not places:
            problems.append('%s: the first word of the %s, "%s", is not there%s'
                            % (edition, what, want[0], ' first' if strict else ''))
            return
        j = places[0]
    elif strict and j and not gaps.ok(have[:j]):
        problems.append('%s: the first word of the %s, "%s", comes after "%s"'
                        % (edition, what, want[0], ' '.join(have[max(0, j - 5):j])))
        return
    start = [0] * len(want)     # where each word's gap starts
    pos = [(j, j)] + [None] * (len(want) - 1)
    for k in range(1, len(want)):
        start[k] = pos[k - 1][1] + 1
        m = find(k, start[k])
        # the previous word matched too early (a running head's "Chapter"
        # for the heading's): try its next places
        tries = 0
        while m is None and k > 1 and tries < 4:
            tries += 1
            p = find(k - 1, pos[k - 1][1] + 1, start[k - 1])
            if p is None:
                break
            pos[k - 1] = p
            start[k] = p[1] + 1
            m = find(k, start[k])
        if m is None:
            at = start[k]
            found = have[at] if at < len(have) else '(the end)'
            problems.append('%s: word %d of the %s%s, "%s", is "%s" there (after "%s")'
                            % (edition, k + 1, what,
                               ' (%s)' % where[k] if where else '', want[k], found,
                               ' '.join(want[max(0, k - 4):k])))
            return
        pos[k] = m
    if residue is not None:
        for k in range(1, len(want)):
            residue.extend(have[start[k]:pos[k][0]])
        residue.extend(have[pos[-1][1] + 1:])


def mutate(body, how):
    kind, n = how.split()
    n = int(n)
    if kind == 'drop':
        del body[n]
    elif kind == 'swap':
        body[n], body[n + 1] = body[n + 1], body[n]
    elif kind == 'change':
        body[n] = body[n] + 'x'


def mutate_notes(notes, how):
    if how.startswith('dropnote'):
        del notes[int(how.split()[1])]


def main():
    args = sys.argv[1:]
    epub_only = args[0] == '--epub-only'
    if epub_only:
        args = args[1:] + [None]
    bookdir, epub, pdf = args[:3]
    body, notes, where, meta, heads, note_list, tables, in_table = source(bookdir)
    with_notes = Gaps(meta, heads, note_list)
    without_notes = Gaps(meta, heads)
    if os.environ.get('CORPUS_MUTATE'):
        if os.environ['CORPUS_MUTATE'].startswith('dropnote'):
            mutate_notes(notes, os.environ['CORPUS_MUTATE'])
        elif os.environ['CORPUS_MUTATE'].startswith('droptable'):
            # the Nth word of the tables, in the body and in its table
            n = int(os.environ['CORPUS_MUTATE'].split()[1])
            i = [i for i, t in enumerate(in_table) if t][n]
            del body[i], where[i], in_table[i]
            for t in tables:
                if n < len(t):
                    del t[n]
                    break
                n -= len(t)
        else:
            mutate(body, os.environ['CORPUS_MUTATE'])
    problems = []
    if not body:
        problems.append('no words in the source')
    eb, en = epub_text(epub)
    compare(body, where, eb, with_notes, 'epub', 'body', problems)
    compare(notes, None, en, without_notes, 'epub', 'notes', problems, strict=True)
    if not epub_only:
        pw = pdf_text(pdf, print_additions(bookdir))
        residue = []
        before = len(problems)
        # the body without its tables, which may float: their words may
        # come between the body's (as a note's: a run of three words at
        # least); then the notes, in order, among the words left over, and
        # each table's words, in order, in the edition's
        if len(in_table) != len(body):
            in_table = [False] * len(body)
        text = [w for w, t in zip(body, in_table) if not t]
        text_where = [w for w, t in zip(where, in_table) if not t]
        compare(text, text_where, pw, Gaps(meta, heads, note_list + tables), 'pdf', 'body',
                problems, residue)
        if len(problems) == before:
            compare(notes, None, residue, Gaps(meta, heads, tables), 'pdf', 'notes', problems,
                    strict=True)
            for n, t in enumerate(tables, 1):
                compare(t, None, pw, Gaps(meta, heads, note_list), 'pdf', 'table %d' % n,
                        problems)
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
