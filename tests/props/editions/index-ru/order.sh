# order.sh EPUB PDF OUT TITLE 'WORDS': the index of both editions, its
# title and then its letters and terms in order (page numbers left out),
# is TITLE then WORDS; prints what differs.  (Shared by index-ru and
# index-kk: not a test of its own.)
epub=$1 pdf=$2 out=$3 title=$4 want=$5
unzip -p "$epub" EPUB/text/index.xhtml > "$out/ix.xhtml" 2> /dev/null
got=$(sed -n 's/.*<h[12][^>]*>\([^<]*\)<\/h[12]>.*/\1/p; s/.*<li>\([^<,]*\),.*/\1/p' "$out/ix.xhtml" | tr '\n' ' ' | sed 's/ $//')
[ "$got" = "$title $want" ] || printf 'EPUB: the index reads\n  %s\nnot\n  %s\n' "$got" "$title $want"
pdftotext -bbox "$pdf" "$out/p.html" 2> /dev/null
python3 - "$out/p.html" "$title" "$want" <<'PY'
import html, re, sys
bbox, title, want = open(sys.argv[1], encoding='utf-8').read(), sys.argv[2], sys.argv[3]
pages = bbox.split('<page ')[1:]
words = []
for i, p in enumerate(pages):
    for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', p):
        words.append((i, float(m.group(1)), float(m.group(2)), float(m.group(3)), html.unescape(m.group(4))))
# the index: from its title, the last of the book's lines that read it
lines = {}
def line_key(w, col):
    for k in lines:
        if k[0] == w[0] and k[1] == col and abs(k[2] - w[2]) < 2:
            return k
    return (w[0], col, w[2])
# the columns of a page: split at the widest band no word crosses
bound, tops = {}, {}
for pg in set(w[0] for w in words):
    # (below the title, which may cross the band, and the running head:
    # they span the page)
    top = tops[pg] = max((w[2] for w in words if w[0] == pg and w[4] in title.split()), default=-1)
    iv = sorted((w[1], w[3]) for w in words if w[0] == pg and w[2] > top + 2)
    if not iv:
        bound[pg] = None
        continue
    best, reach = (0, None), iv[0][1]
    for a, b in iv[1:]:
        if a - reach > best[0]:
            best = (a - reach, (a + reach) / 2)
        reach = max(reach, b)
    bound[pg] = best[1] if best[0] > 8 else None
for w in words:
    col = 1 if bound[w[0]] is not None and w[1] > bound[w[0]] and w[2] > tops[w[0]] + 2 else 0
    lines.setdefault(line_key(w, col), []).append(w)
text = [' '.join(x[4] for x in sorted(lines[k], key=lambda x: x[1])) for k in sorted(lines)]
at = max((i for i, l in enumerate(text) if l == title), default=None)
if at is None:
    print('PDF: no index titled %s' % title); sys.exit(0)
got = []
for l in text[at + 1:]:
    # folios and the running head (capitals: the title, or its end) are no entries
    if not l or re.fullmatch(r'[0-9ivxlc]+', l) or (l == l.upper() and len(l) > 3 and ',' not in l):
        continue
    got.append(l.split(',')[0])
if ' '.join(got) != want:
    print('PDF: the index reads\n  %s\nnot\n  %s' % (' '.join(got), want))
PY
