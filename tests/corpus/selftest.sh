#!/bin/sh
# tests/corpus/selftest.sh GSI OUT - the corpus checks find what they look
# for: each runs on editions known good (the sample book, book/, built by
# GSI into OUT) and passes, then on a mutilated word list, wrong margins,
# wrong hyphenation breaks and hostile pictures, and must fail.  Prints
# "ok selftest/NAME" or "FAILED selftest/NAME: why" a check.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/corpus
gsi=$1
out=$2
mkdir -p "$out"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
ok() { echo "ok selftest/$1"; }
no() { echo "FAILED selftest/$1: $2"; }

"$gsi" all -q -o "$out/book" "$top/book" > "$out/build.log" 2>&1 || no build "$(head -3 "$out/build.log")"
epub=$(ls "$out"/book/*.epub 2> /dev/null)
pdf=$(ls "$out"/book/*.pdf 2> /dev/null)

# b. the words: the sample book passes; a word dropped, two swapped, one
# changed, a word of a note dropped, a word of a table dropped (the print
# edition checks tables apart: they float): each edition fails
if python3 "$here/words.py" "$top/book" "$epub" "$pdf" > "$out/words" 2>&1; then
	ok words-pass
else
	no words-pass "$(head -3 "$out/words")"
fi
for m in "drop 300" "swap 500" "change 700" "drop 1100" "dropnote 5" "droptable 7"; do
	CORPUS_MUTATE=$m python3 "$here/words.py" "$top/book" "$epub" "$pdf" > "$out/words" 2>&1
	n=$(grep -c '^\(epub\|pdf\): word' "$out/words")
	if [ "$n" = 2 ] && grep -q '^epub: ' "$out/words" && grep -q '^pdf: ' "$out/words"; then
		ok "words-$(echo "$m" | tr ' ' -)"
	else
		no "words-$(echo "$m" | tr ' ' -)" "both editions should fail: $(cat "$out/words")"
	fi
done

# c. positions: the sample book within its margins and spaces; with margins
# 5 mm wider, spaces allowed no narrower than half an em, or no hyphenated
# line at all, it is not
if sh "$top/tests/lines/bbox-check.sh" "$pdf" "" > "$out/bbox" 2>&1; then ok bbox-pass; else no bbox-pass "$(head -3 "$out/bbox")"; fi
BBOX_OUTER=20 sh "$top/tests/lines/bbox-check.sh" "$pdf" "" > "$out/bbox" 2>&1
grep -q 'outside the text block' "$out/bbox" && ok bbox-margin || no bbox-margin "no word found outside"
BBOX_SPACE_EM=0.5 sh "$top/tests/lines/bbox-check.sh" "$pdf" "" > "$out/bbox" 2>&1
grep -q 'the space before' "$out/bbox" && ok bbox-space || no bbox-space "no narrow space found"
BBOX_HYPHEN_RUN=0 sh "$top/tests/lines/bbox-check.sh" "$pdf" "" > "$out/bbox" 2>&1
grep -q 'lines in a row end in a hyphenation' "$out/bbox" && ok bbox-hyphen-run || no bbox-hyphen-run "no hyphenated line found"

# d. the dictionary: breaks it allows pass, others do not, in a UTF-8
# dictionary and in a KOI8-R one
printf 'con\tsequence\ncons\tequence\nc\tonsequence\n' |
	"$top/build/hyphen-allowed" /usr/share/hyphen/hyph_en_GB.dic 2 3 > "$out/hyph"
[ "$(cat "$out/hyph")" = "$(printf 'not allowed: cons-equence\nnot allowed: c-onsequence')" ] &&
	ok hyphen-en || no hyphen-en "$(cat "$out/hyph")"
printf 'пе\tренос\nпер\tенос\nпере\tнос\n' |
	"$top/build/hyphen-allowed" /usr/share/hyphen/hyph_ru_RU.dic 2 3 > "$out/hyph"
[ "$(cat "$out/hyph")" = "not allowed: пер-енос" ] && ok hyphen-ru || no hyphen-ru "$(cat "$out/hyph")"

# e. pictures and names: the sample book's editions are clean; an EPUB
# holding tests/books/illustrated's pictures as they are (EXIF, XMP, a
# comment, tEXt, a GIF comment, a hostile SVG) and a name not ASCII, and a
# PDF with JavaScript, a launch action and a file: link, are not
if python3 "$here/safety.py" "$epub" "$pdf" > "$out/safety" 2>&1; then ok safety-pass; else no safety-pass "$(head -3 "$out/safety")"; fi
python3 - "$top/tests/books/illustrated" "$out" <<'PY'
import sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out + '/hostile.epub', 'w') as z:
    z.writestr('mimetype', 'application/epub+zip')
    for n in ('photo.jpg', 'chart.png', 'icon.gif', 'diagram.svg'):
        z.write(src + '/' + n, 'EPUB/images/' + n)
    z.writestr('EPUB/text/caf\u00e9.xhtml', '')
objs = ['<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Annots [5 0 R 6 0 R] >>',
        '<< /S /JavaScript /JS (app.alert(1)) >>',
        '<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (file:///etc/passwd) >> >>',
        '<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /Launch /F (calc.exe) >> >>']
b = b'%PDF-1.7\n'
offs = []
for i, o in enumerate(objs):
    offs.append(len(b))
    b += ('%d 0 obj\n%s\nendobj\n' % (i + 1, o)).encode()
x = len(b)
b += ('xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)).encode()
for o in offs:
    b += ('%010d 00000 n \n' % o).encode()
b += ('trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, x)).encode()
open(out + '/hostile.pdf', 'wb').write(b)
PY
python3 "$here/safety.py" "$out/hostile.epub" "$out/hostile.pdf" > "$out/safety" 2>&1
missing=
for want in 'unsafe name' 'EXIF metadata' 'a comment (COM)' 'an APP1 segment' 'a tEXt chunk' \
	    'a comment extension' 'an application extension' 'active content "<script' \
	    'reference out of the picture "http' 'pdf: /JavaScript' 'pdf: /Launch' 'pdf: a link to "file:'; do
	grep -qF "$want" "$out/safety" || missing="$missing [$want]"
done
[ -z "$missing" ] && ok safety-hostile || no safety-hostile "not found:$missing"
