#!/usr/bin/env python3
"""tests/corpus/safety.py EPUB PDF - no picture's script, remote reference
or metadata in either edition, and every name inside the EPUB safe ASCII.

EPUB: every entry's name is [A-Za-z0-9._/-] (no "..", no leading "/");
SVGs hold no <script, foreignObject, on...= event attribute, javascript:,
@import, xml-stylesheet, nor any href/xlink:href/url() that leaves the
picture (only "#..." and data: inside it); JPEGs no COM segment and no
APPn but JFIF (APP0), ICC_PROFILE (APP2), Adobe (APP14) and an EXIF
segment holding only the orientation (README "Pictures": what gsi-book
keeps); PNGs no tEXt, zTXt, iTXt, tIME or eXIf chunk; GIFs no comment and
no application extension but NETSCAPE2.0 (looping).
PDF (qpdf --qdf: every stream uncompressed): no /JavaScript, /JS, /Launch,
/EmbeddedFile, /SubmitForm or /ImportData, no /URI but http(s): and
mailto:, and the JPEGs it carries (pdfimages -j) as clean as the EPUB's.
Prints one line per problem; exits 1 if any.
"""
import os
import re
import struct
import subprocess
import sys
import tempfile
import zipfile

problems = []


def bad(msg):
    problems.append(msg)


def jpeg(name, b):
    if not b.startswith(b'\xff\xd8'):
        bad('%s: not a JPEG' % name)
        return
    i = 2
    while i + 4 <= len(b):
        if b[i] != 0xff:
            bad('%s: a broken segment at byte %d' % (name, i))
            return
        m = b[i + 1]
        if m == 0xd9 or m == 0xda:     # end of image, start of scan
            return
        if m == 0xff:
            i += 1
            continue
        n = struct.unpack('>H', b[i + 2:i + 4])[0]
        seg = b[i + 4:i + 2 + n]
        if m == 0xfe:
            bad('%s: a comment (COM)' % name)
        elif m == 0xe0 and seg.startswith(b'JFIF\0'):
            pass
        elif m == 0xe2 and seg.startswith(b'ICC_PROFILE\0'):
            pass
        elif m == 0xee and seg.startswith(b'Adobe'):
            pass
        elif m == 0xe1 and seg.startswith(b'Exif\0\0'):
            t = seg[6:]
            e = '<' if t[:2] == b'II' else '>'
            try:
                off = struct.unpack(e + 'I', t[4:8])[0]
                count = struct.unpack(e + 'H', t[off:off + 2])[0]
                tags = [struct.unpack(e + 'H', t[off + 2 + 12 * k:off + 4 + 12 * k])[0]
                        for k in range(count)]
                nxt = struct.unpack(e + 'I', t[off + 2 + 12 * count:off + 6 + 12 * count])[0]
            except struct.error:
                tags, nxt = ['broken'], 0
            if tags != [0x112] or nxt:
                bad('%s: EXIF metadata beyond the orientation (tags %s)' % (name, tags))
        elif 0xe0 <= m <= 0xef:
            bad('%s: an APP%d segment (%r)' % (name, m - 0xe0, seg[:12]))
        i += 2 + n


def png(name, b):
    if not b.startswith(b'\x89PNG\r\n\x1a\n'):
        bad('%s: not a PNG' % name)
        return
    i = 8
    while i + 8 <= len(b):
        n, kind = struct.unpack('>I4s', b[i:i + 8])
        if kind in (b'tEXt', b'zTXt', b'iTXt', b'tIME', b'eXIf'):
            bad('%s: a %s chunk' % (name, kind.decode()))
        i += 12 + n


def gif(name, b):
    # the extension blocks: 0x21 LABEL, then sub-blocks
    i = 13
    if b[10] & 0x80:
        i += 3 * (2 << (b[10] & 7))
    while i < len(b):
        if b[i] == 0x3b:
            return
        if b[i] == 0x21:
            label = b[i + 1]
            j = i + 2
            first = b[j + 1:j + 1 + b[j]] if j < len(b) else b''
            if label == 0xfe:
                bad('%s: a comment extension' % name)
            if label == 0xff and not first.startswith(b'NETSCAPE2.0'):
                bad('%s: an application extension (%r)' % (name, first))
            while j < len(b) and b[j]:
                j += 1 + b[j]
            i = j + 1
        elif b[i] == 0x2c:
            j = i + 10
            if b[i + 9] & 0x80:
                j += 3 * (2 << (b[i + 9] & 7))
            j += 1              # LZW code size
            while j < len(b) and b[j]:
                j += 1 + b[j]
            i = j + 1
        else:
            bad('%s: a broken block at byte %d' % (name, i))
            return


ACTIVE = re.compile(rb'<script|foreignObject|\son[a-z]+\s*=|javascript:|@import|xml-stylesheet', re.I)
REF = re.compile(rb'''(?:href\s*=\s*["']\s*|url\(\s*["']?\s*)([^"')\s]*)''', re.I)


def svg(name, b):
    for m in ACTIVE.finditer(b):
        bad('%s: active content "%s"' % (name, m.group(0).decode('utf-8', 'replace').strip()))
    for m in REF.finditer(b):
        ref = m.group(1)
        if not (ref.startswith(b'#') or ref.startswith(b'data:')):
            bad('%s: a reference out of the picture "%s"' % (name, ref.decode('utf-8', 'replace')))
    if re.search(rb'<metadata|<rdf:', b):
        bad('%s: metadata' % name)


def picture(name, b):
    if b.startswith(b'\xff\xd8'):
        jpeg(name, b)
    elif b.startswith(b'\x89PNG'):
        png(name, b)
    elif b[:6] in (b'GIF87a', b'GIF89a'):
        gif(name, b)
    elif name.endswith('.svg'):
        svg(name, b)


def epub(path):
    z = zipfile.ZipFile(path)
    for info in z.infolist():
        n = info.filename
        if not re.fullmatch(r'[A-Za-z0-9._/-]+', n) or n.startswith('/') or '..' in n.split('/'):
            bad('epub: an unsafe name inside the EPUB: %r' % n)
        if re.search(r'\.(jpe?g|png|gif|svg)$', n, re.I):
            picture('epub: ' + n, z.read(n))


NEXT = re.compile(rb'\(|stream')


def syntax(b):
    """The PDF b less its streams' data and the text of its literal
    strings (kept as "()"), but for /URI's: a book about JavaScript has
    the word in its outline and its alternate texts, not in a name."""
    out = bytearray()
    i, n = 0, len(b)
    while i < n:
        c = b[i:i + 1]
        if c == b'(':
            depth, j = 1, i + 1
            while j < n and depth:
                if b[j:j + 1] == b'\\':
                    j += 2
                    continue
                depth += {b'(': 1, b')': -1}.get(b[j:j + 1], 0)
                j += 1
            keep = re.search(rb'/URI\s*$', bytes(out[-16:])) is not None
            out += b[i:j] if keep else b'()'
            i = j
        elif b.startswith(b'stream', i) and (i == 0 or b[i - 1:i] in b'\r\n> '):
            j = b.find(b'endstream', i)
            out += b'stream\n'
            i = n if j < 0 else j
        else:
            m = NEXT.search(b, i + 1)
            j = m.start() if m else n
            out += b[i:j]
            i = j
    return bytes(out)


def pdf(path):
    with tempfile.TemporaryDirectory() as d:
        q = os.path.join(d, 'q.pdf')
        r = subprocess.run(['qpdf', '--qdf', '--object-streams=disable', path, q],
                           capture_output=True)
        if r.returncode not in (0, 3):
            bad('pdf: qpdf cannot read it: ' + r.stderr.decode('utf-8', 'replace').strip())
            return
        b = syntax(open(q, 'rb').read())
        for m in re.finditer(rb'/(JavaScript|JS|Launch|EmbeddedFile|SubmitForm|ImportData)\b', b):
            bad('pdf: /%s' % m.group(1).decode())
        for m in re.finditer(rb'/URI\s*\(([^)]*)\)', b):
            if not re.match(rb'(https?:|mailto:)', m.group(1), re.I):
                bad('pdf: a link to "%s"' % m.group(1).decode('latin-1'))
        subprocess.run(['pdfimages', '-j', path, os.path.join(d, 'i')], capture_output=True)
        for f in sorted(os.listdir(d)):
            if f.endswith('.jpg'):
                jpeg('pdf: image ' + f, open(os.path.join(d, f), 'rb').read())


def main():
    epub(sys.argv[1])
    pdf(sys.argv[2])
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
