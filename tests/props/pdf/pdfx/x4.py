# x4.py NAME PDF JSON - PDF/X-4's clauses read from PDF (qpdf --json
# --json-stream-data=file output JSON) for the print profile NAME
# ("screen": none of them): prints what is wrong, one line each.  Used by
# x4-clauses (the interiors) and cover-x4 (the covers).
import json, sys
name, pdf, js = sys.argv[1:4]
head = open(pdf, 'rb').read(8)
doc = json.load(open(js))
objs = doc['qpdf'][1]
def obj(ref):
    o = objs.get('obj:' + ref) if isinstance(ref, str) else None
    return o if o is not None else {'value': ref}
def val(ref):
    return obj(ref).get('value', obj(ref).get('stream', {}).get('dict'))
def stream(ref):
    return obj(ref).get('stream')
trailer = objs['trailer']['value']
root = val(trailer['/Root'])
info = val(trailer.get('/Info', {})) or {}
def text(v):
    return v[2:] if isinstance(v, str) and v[:2] in ('u:', 'b:') else v
pages = [p for p in doc['pages']]
print_profile = name != 'screen'
if not print_profile:
    if '/OutputIntents' in root: print('screen: has /OutputIntents')
    if '/GTS_PDFXVersion' in info: print('screen: has /GTS_PDFXVersion')
    sys.exit(0)
if head != b'%PDF-1.6': print('%s: header %r, not %%PDF-1.6' % (name, head))
grouped = [i + 1 for i, p in enumerate(pages) if '/Group' in val(p['object'])]
if grouped: print('%s: %d pages have a /Group (page %d first)' % (name, len(grouped), grouped[0]))
annots = [i + 1 for i, p in enumerate(pages) if '/Annots' in val(p['object'])]
if annots: print('%s: %d pages have /Annots (page %d first)' % (name, len(annots), annots[0]))
if '/Outlines' in root: print(name + ': the catalog has /Outlines')
boxless = [i + 1 for i, p in enumerate(pages)
           if '/TrimBox' not in val(p['object']) or '/BleedBox' not in val(p['object'])]
if boxless: print('%s: %d pages lack a TrimBox or a BleedBox (page %d first)' % (name, len(boxless), boxless[0]))
def keys(v, out):
    if isinstance(v, dict):
        for k, x in v.items():
            out.add(k); keys(x, out)
    elif isinstance(v, list):
        for x in v: keys(x, out)
    return out
every = set()
for o in objs.values():
    keys(o.get('value', o.get('stream', {}).get('dict')), every)
for k in ('/JS', '/JavaScript', '/AA'):
    if k in every: print('%s: an object has %s' % (name, k))
ois = val(root.get('/OutputIntents', [])) or []
if len(ois) != 1:
    print('%s: %d output intents, not 1' % (name, len(ois)))
else:
    oi = val(ois[0])
    if oi.get('/S') != '/GTS_PDFX': print('%s: output intent /S %s' % (name, oi.get('/S')))
    if not text(oi.get('/OutputConditionIdentifier')): print(name + ': no OutputConditionIdentifier')
    ref = oi.get('/DestOutputProfile')
    st = stream(ref) if isinstance(ref, str) else None
    if not st:
        print(name + ': no DestOutputProfile stream')
    else:
        if st['dict'].get('/N') not in (1, 3, 4): print('%s: profile /N %s' % (name, st['dict'].get('/N')))
        data = open(st['datafile'], 'rb').read()
        if len(data) < 128 or int.from_bytes(data[:4], 'big') != len(data) or data[36:40] != b'acsp':
            print('%s: the DestOutputProfile is no ICC profile (%d bytes)' % (name, len(data)))
        else:
            # an output device's profile (class prtr), of /N components
            if data[12:16] != b'prtr': print('%s: the DestOutputProfile is of class %r, not prtr' % (name, data[12:16]))
            space = {b'GRAY': 1, b'RGB ': 3, b'CMYK': 4}.get(data[16:20])
            if space != st['dict'].get('/N'): print('%s: the DestOutputProfile is %r, its /N %s' % (name, data[16:20], st['dict'].get('/N')))
if text(info.get('/GTS_PDFXVersion')) != 'PDF/X-4': print('%s: Info /GTS_PDFXVersion %s' % (name, info.get('/GTS_PDFXVersion')))
if info.get('/Trapped') != '/False': print('%s: Info /Trapped %s' % (name, info.get('/Trapped')))
meta = stream(root.get('/Metadata'))
xmp = open(meta['datafile'], 'rb').read().decode('utf-8', 'replace') if meta else ''
if '<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>' not in xmp: print(name + ': no pdfxid:GTS_PDFXVersion PDF/X-4 in the XMP')
if 'xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"' not in xmp: print(name + ': the XMP lacks the pdfxid namespace')
if '<pdf:Trapped>False</pdf:Trapped>' not in xmp: print(name + ': no pdf:Trapped False in the XMP')
import re
# xmpMM:DocumentID and InstanceID (PDF/X-4 wants both), as uuids
for k in ('DocumentID', 'InstanceID'):
    m = re.search(r'<xmpMM:%s>([^<]*)</xmpMM:%s>' % (k, k), xmp)
    if not m: print('%s: no xmpMM:%s in the XMP' % (name, k))
    elif not re.fullmatch(r'uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', m.group(1)):
        print('%s: xmpMM:%s %r is no uuid' % (name, k, m.group(1)))
if 'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"' not in xmp: print(name + ': the XMP lacks the xmpMM namespace')
# the XMP's dates are the Info dictionary's
def pdfdate(v):
    m = re.fullmatch(r'D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z', text(v) or '')
    return '%s-%s-%sT%s:%s:%sZ' % m.groups() if m else None
want = {'CreateDate': pdfdate(info.get('/CreationDate')), 'ModifyDate': pdfdate(info.get('/ModDate')),
        'MetadataDate': pdfdate(info.get('/ModDate'))}
for k, v in want.items():
    m = re.search(r'<xmp:%s>([^<]*)</xmp:%s>' % (k, k), xmp)
    got = m.group(1) if m else None
    if v is None or got != v: print('%s: xmp:%s %s, the Info dictionary says %s' % (name, k, got, v))
# a title: the Info dictionary's /Title and the XMP's dc:title, the same
import html
m = re.search(r'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">([^<]*)</rdf:li>', xmp)
title = text(info.get('/Title'))
if not title: print(name + ': no /Title in the Info dictionary')
if not m or html.unescape(m.group(1)) != title: print('%s: the XMP dc:title %r is not the Info /Title %r' % (name, m and m.group(1), title))
