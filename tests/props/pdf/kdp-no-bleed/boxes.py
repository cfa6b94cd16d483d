# boxes.py NAME JSON W H - every page of qpdf --json's output JSON is the
# trim, W x H points: MediaBox, BleedBox and TrimBox all [0 0 W H] (a file
# without bleed).  Prints what is not, the first page of each kind.
import json, sys
name, js, w, h = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
doc = json.load(open(js))
objs = doc['qpdf'][1]
def val(ref):
    o = objs.get('obj:' + ref) if isinstance(ref, str) else None
    o = o if o is not None else {'value': ref}
    return o.get('value', o.get('stream', {}).get('dict'))
def box(page, key):
    v = val(page).get(key)
    return [float(x) for x in val(v)] if v is not None else None
said = set()
for n, p in enumerate(doc['pages'], 1):
    for key in ('/MediaBox', '/BleedBox', '/TrimBox'):
        b = box(p['object'], key)
        if key not in said and (b is None or any(abs(x - y) > 0.01 for x, y in zip(b, [0, 0, w, h]))):
            said.add(key)
            print('%s: page %d %s %s, not the trim [0 0 %g %g]' % (name, n, key, b, w, h))
