# contents.py QDF-PDF - the colour operators of a PDF's content streams
# (every page's /Contents and every form XObject), read from qpdf --qdf
# output (streams uncompressed): prints one line per operator found,
# "OP OPERANDS..." (rg, RG, g, G, k, K, cs, CS, sc, SC, scn, SCN), then
# "pages N" and "resources-defaultrgb N" (pages whose /Resources has a
# /ColorSpace with /DefaultRGB).
import re, sys
data = open(sys.argv[1], 'rb').read()
objs = {}
for m in re.finditer(rb'(?m)^(\d+) 0 obj\n(.*?)\nendobj', data, re.S):
    objs[int(m.group(1))] = m.group(2)
def dict_of(body):
    return body.split(b'\nstream\n', 1)[0]
def stream_of(body):
    parts = body.split(b'\nstream\n', 1)
    return parts[1].rsplit(b'endstream', 1)[0] if len(parts) == 2 else None
def refs(s):
    return [int(x) for x in re.findall(rb'(\d+) 0 R', s)]
def value(d, key):
    # the value of /key in a dictionary's text: a reference, an array of them, or a dictionary
    m = re.search(rb'/' + key + rb'\s+(\[[^\]]*\]|\d+ 0 R|<<.*?>>)', d, re.S)
    return m.group(1) if m else b''
streams, pages, default_rgb = [], 0, 0
for n, body in objs.items():
    d = dict_of(body)
    if re.search(rb'/Type\s*/Page\b', d):
        pages += 1
        streams += refs(value(d, b'Contents'))
        res = value(d, b'Resources')
        rd = dict_of(objs.get(refs(res)[0], b'')) if refs(res)[:1] and res.endswith(b'R') else res
        cs = value(rd, b'ColorSpace')
        csd = dict_of(objs.get(refs(cs)[0], b'')) if cs.endswith(b'R') else cs
        if b'/DefaultRGB' in csd:
            default_rgb += 1
            # the colour space: [/ICCBased N 0 R], an RGB ICC profile
            space = value(csd, b'DefaultRGB')
            arr = objs.get(refs(space)[0], b'') if space.endswith(b'R') else space
            icc = objs.get(refs(arr)[0], b'') if b'/ICCBased' in arr and refs(arr) else b''
            prof = stream_of(icc) or b''
            print('defaultrgb %s %s' % (prof[16:20].decode('latin-1') if len(prof) > 20 else '?',
                                        '/N 3' in dict_of(icc).decode('latin-1')))
    elif re.search(rb'/Subtype\s*/Form\b', d):
        streams.append(n)
ops = {b'rg', b'RG', b'g', b'G', b'k', b'K', b'cs', b'CS', b'sc', b'SC', b'scn', b'SCN'}
tok = re.compile(rb'%[^\r\n]*|\((?:\\.|[^\\()])*\)|<<|>>|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s/\[\]()<>{}%]*|[^\s/\[\]()<>{}%]+', re.S)
for n in streams:
    s = stream_of(objs.get(n, b''))
    if s is None:
        print('stream %d missing' % n); continue
    # nested parentheses in strings: cairo escapes them, so one level is enough
    operands = []
    i = 0
    while True:
        # inline images: skip from ID to EI
        m = tok.search(s, i)
        if not m: break
        t = m.group(0); i = m.end()
        if t.startswith(b'%'): continue
        if t == b'ID':
            e = re.search(rb'\sEI(\s|$)', s[i:])
            i = i + e.end() if e else len(s); operands = []; continue
        if re.match(rb'^[A-Za-z\'"*]+$', t) and t not in (b'true', b'false', b'null'):
            if t in ops:
                print((t + b' ' + b' '.join(operands)).decode('latin-1'))
            operands = []
        else:
            operands.append(t)
print('pages %d' % pages)
print('resources-defaultrgb %d' % default_rgb)
