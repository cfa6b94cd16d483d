# order.sh EPUB PDF OUT TITLE 'WORDS': the index of both editions, its
# title and then its letters and terms in order (page numbers left out),
# is TITLE then WORDS; prints what differs.  (Shared by index-ru and
# index-kk: not a test of its own.)
epub=$1 pdf=$2 out=$3 title=$4 want=$5
unzip -p "$epub" EPUB/text/index.xhtml > "$out/ix.xhtml" 2> /dev/null
got=$(sed -n 's/.*<h[12][^>]*>\([^<]*\)<\/h[12]>.*/\1/p; s/.*<li>\([^<,]*\),.*/\1/p' "$out/ix.xhtml" | tr '\n' ' ' | sed 's/ $//')
[ "$got" = "$title $want" ] || printf 'EPUB: the index reads\n  %s\nnot\n  %s\n' "$got" "$title $want"
pdftotext "$pdf" "$out/p.txt"
python3 - "$out/p.txt" "$title" "$want" <<'PY'
import re, sys
text, title, want = open(sys.argv[1], encoding='utf-8').read().replace('\f', '\n'), sys.argv[2], sys.argv[3]
lines = [l.strip() for l in text.split('\n')]
at = max(i for i, l in enumerate(lines) if l == title) if title in lines else None
if at is None:
    print('PDF: no index titled %s' % title); sys.exit(0)
got = []
for l in lines[at + 1:]:
    # folios and the running head (capitals: the title, or its end) are no entries
    if not l or re.fullmatch(r'[0-9ivxlc]+', l) or (l == l.upper() and len(l) > 3 and ',' not in l):
        continue
    got.append(l.split(',')[0])
if ' '.join(got) != want:
    print('PDF: the index reads\n  %s\nnot\n  %s' % (' '.join(got), want))
PY
