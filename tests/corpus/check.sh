#!/bin/sh
# tests/corpus/check.sh GSI BOOKDIR OUTDIR - builds the corpus book BOOKDIR
# with gsi-book GSI in `epub`, `pdf` and `all` (SOURCE_DATE_EPOCH fixed)
# into OUTDIR and asserts what issue 19 asks of every corpus book:
#  a. `pdf` and `all` write the same PDF bytes (the EPUBs differ by design:
#     only `all` knows the PDF's page numbers for the EPUB's page list);
#     EPUBCheck finds 0 errors and 0 warnings in the `epub` EPUB and the
#     `all` EPUB (the two run side by side);
#  b. every word of the source reaches both editions in order
#     (tests/corpus/words.py: cmark-gfm's HTML against the EPUB's XHTML and
#     pdftotext);
#  c. from pdftotext -bbox-layout (tests/lines/bbox-check.sh): no word
#     beyond the text block's margins, no space narrower than the style
#     lets a space shrink, no run of more hyphenated lines than the style's
#     max-hyphen-run;
#  d. every line-end hyphenation (U+00AD) is a break the language's
#     libhyphen dictionary allows (build/hyphen-allowed, with the style's
#     left-min and right-min);
#  e. no picture's script, remote reference or metadata, no unsafe name
#     in the EPUB, nothing active in the PDF (tests/corpus/safety.py);
#  f. the print edition builds for each printer (`pdf --profile kdp`,
#     `ingram`, `lulu`, with --pad), which checks that every mark keeps
#     the printer's safety margin, and qpdf --check passes each.
# The margins, shrink and hyphenation limits are read from the style gsi-book
# uses (styles/style.yaml under $GSI_BOOK_DATA, else the source tree).
# Prints one line per problem (and the build times on "time:" lines to
# OUTDIR/times); exits 1 if there is any problem.
set -u
gsi=$1
book=${2%/}
out=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/corpus
style=${GSI_BOOK_DATA:-$top}/styles/style.yaml
name=$(basename "$book")
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
mkdir -p "$out/epub" "$out/pdf" "$out/all"
: > "$out/problems"
: > "$out/times"
problem() { echo "$*" >> "$out/problems"; }

now() { date +%s.%N; }
# build KIND OUTPUT: gsi-book KIND, timed; its messages are a problem
build() {
	t0=$(now)
	if ! "$gsi" "$1" -q -o "$2" "$book" > "$out/$1.log" 2>&1; then
		problem "gsi-book $1 failed:"
		sed 's/^/    /' "$out/$1.log" >> "$out/problems"
	fi
	echo "time: $1 $(echo "$t0 $(now)" | awk '{ printf "%.2f", $2 - $1 }') s" >> "$out/times"
}
build epub "$out/epub/$name.epub"
build pdf "$out/pdf/$name.pdf"
build all "$out/all"
epub=$(ls "$out"/all/*.epub 2> /dev/null | head -1)
pdf=$(ls "$out"/all/*.pdf 2> /dev/null | head -1)
if [ -z "$epub" ] || [ -z "$pdf" ]; then
	problem "gsi-book all wrote no EPUB or no PDF"
	# what can be checked still is: the epub command's EPUB
	if [ -f "$out/epub/$name.epub" ]; then
		java -jar /usr/share/java/epubcheck.jar "$out/epub/$name.epub" > "$out/epubcheck-epub.log" 2>&1
		grep -q '^Messages: 0 fatals / 0 errors / 0 warnings' "$out/epubcheck-epub.log" ||
			grep -E '^(FATAL|ERROR|WARNING)|^Messages' "$out/epubcheck-epub.log" | head -20 |
			sed 's/^/EPUBCheck (epub): /' >> "$out/problems"
		python3 "$here/words.py" --epub-only "$book" "$out/epub/$name.epub" |
			sed 's/^epub:/epub (the epub command):/' >> "$out/problems"
	fi
	cat "$out/problems"
	exit 1
fi

# a. the same bytes, EPUBCheck
cmp -s "$out/pdf/$name.pdf" "$pdf" || problem "pdf and all write different PDFs"
t0=$(now)
java -jar /usr/share/java/epubcheck.jar "$epub" > "$out/epubcheck-all.log" 2>&1 &
java -jar /usr/share/java/epubcheck.jar "$out/epub/$name.epub" > "$out/epubcheck-epub.log" 2>&1
wait
for kind in epub all; do
	if ! grep -q '^Messages: 0 fatals / 0 errors / 0 warnings' "$out/epubcheck-$kind.log"; then
		problem "EPUBCheck ($kind):"
		grep -E '^(FATAL|ERROR|WARNING)|^Messages' "$out/epubcheck-$kind.log" | head -20 |
			sed 's/^/    /' >> "$out/problems"
	fi
done
t1=$(now)

# b. the words
python3 "$here/words.py" "$book" "$epub" "$pdf" >> "$out/problems"
[ -f "$out/epub/$name.epub" ] && [ -f "$out/pdf/$name.pdf" ] &&
	python3 "$here/words.py" --epub-only "$book" "$out/epub/$name.epub" |
	sed 's/^epub:/epub (the epub command):/' >> "$out/problems"

# the style's values: print.margins.inner/outer (mm), breaking.shrink,
# max-hyphen-run, left-min, right-min
val() {
	awk -v want="$1" '
	/^[a-z]/ { sect = $1; sub(/:.*/, "", sect) }
	{
		key = $1; sub(/:.*/, "", key); v = $2
		if (sect "." key == want || sect ".margins." key == want && $0 ~ /^    /) {
			# lengths in mm
			if (v ~ /mm$/) v = v + 0
			else if (v ~ /cm$/) v = v * 10
			else if (v ~ /in$/) v = v * 25.4
			else if (v ~ /pt$/) v = v * 25.4 / 72
			print v
			exit
		}
	}' "$style"
}
inner=$(val print.margins.inner)
outer=$(val print.margins.outer)
shrink=$(val breaking.shrink)
run=$(val breaking.max-hyphen-run)
lmin=$(val breaking.left-min)
rmin=$(val breaking.right-min)

# c. positions: Linux Libertine's space is 0.2476 em (2.6 pt at 10.5 pt);
# it may shrink by the style's share, less 1% for rounding
space=$(echo "$shrink" | awk '{ printf "%.4f", 0.2476 * (1 - $1) * 0.99 }')
# the words the book's SVG pictures draw themselves (their text elements)
python3 - "$book" > "$out/picture-words" <<'EOF'
import os, sys, xml.etree.ElementTree as ET
for root, dirs, files in sorted(os.walk(sys.argv[1])):
    for f in sorted(files):
        if f.lower().endswith('.svg'):
            try:
                svg = ET.parse(os.path.join(root, f))
            except ET.ParseError:
                continue
            for el in svg.iter():
                if isinstance(el.tag, str) and el.tag.split('}')[-1] in ('text', 'tspan', 'textPath'):
                    for w in (el.text or '').split():
                        print(w)
EOF
BBOX_PICTURE_WORDS=$out/picture-words \
BBOX_INNER=$inner BBOX_OUTER=$outer BBOX_SPACE_EM=$space BBOX_HYPHEN_RUN=$run \
	sh "$top/tests/lines/bbox-check.sh" "$pdf" "" > "$out/bbox" 2>&1 ||
	sed 's/^/pdf: /' "$out/bbox" >> "$out/problems"

# d. hyphenation breaks against the dictionaries gsi-book would choose for
# the book's language and its parts' (src/linebreak.c: ll_RR, ll, ll_LL,
# then the first hyph_ll_*.dic): a break must be allowed by one of them
# (which part a line of the PDF is in is not known here)
dicts=$(awk '/^[ \t-]*lang:/ { v = $0; sub(/^[^:]*:[ \t]*/, "", v); gsub(/["\047 \t]/, "", v); print v }' "$book/book.yaml" |
	python3 -c '
import os, sys, glob
seen = []
for line in sys.stdin:
    tag = line.strip().split("-")
    p = tag[0].lower()
    c = []
    for s in tag[1:]:
        if len(s) == 2 and s.isalpha():
            c.append("%s_%s" % (p, s.upper()))
            break
    c += [p, "%s_%s" % (p, p.upper())]
    found = [f for f in ("/usr/share/hyphen/hyph_%s.dic" % n for n in c) if os.path.exists(f)]
    found += sorted(glob.glob("/usr/share/hyphen/hyph_%s_*.dic" % p))
    if found and found[0] not in seen:
        seen.append(found[0])
print(" ".join(seen))
')
# the halves of each word hyphenated at a line's end: the line's last word
# and the first of the next line of the same size (pdftotext -bbox-layout:
# a word's box height is its size; a line's, most of its words'), so that a page that ends on a hyphen
# finds its word's end on the next page past the running head and folio
# (set smaller), and a note's line its note's next line
pdftotext -bbox-layout -enc UTF-8 "$pdf" - | python3 -c '
import sys, re
import xml.etree.ElementTree as ET
root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", sys.stdin.read()))
lines = []
for line in root.iter("{http://www.w3.org/1999/xhtml}line"):
    ws = list(line.iter("{http://www.w3.org/1999/xhtml}word"))
    if ws:
        hs = [round(float(w.get("yMax")) - float(w.get("yMin")), 1) for w in ws]
        lines.append((max(set(hs), key=hs.count), [w.text or "" for w in ws]))
for i, (h, ws) in enumerate(lines):
    if ws[-1].endswith("\u00ad"):
        head = re.search(r"(\w*)\u00ad$", ws[-1]).group(1)
        nxt = next((n for hh, n in lines[i + 1:] if abs(hh - h) < 0.3), None)
        if nxt is not None:
            print("%s\t%s" % (head, re.match(r"\s*(\w*)", nxt[0]).group(1)))
' > "$out/breaks"
if [ -s "$out/breaks" ]; then
	if [ -z "$dicts" ]; then
		problem "pdf: $(wc -l < "$out/breaks") words hyphenated, but no dictionary for the book's languages"
	else
		cp "$out/breaks" "$out/left"
		for dict in $dicts; do
			"$top/build/hyphen-allowed" "$dict" "$lmin" "$rmin" < "$out/left" |
				sed 's/^not allowed: //; s/-/\t/' > "$out/left.next"
			mv "$out/left.next" "$out/left"
		done
		sed "s/\t/-/; s|^|pdf: a break no dictionary allows ($(echo $dicts | sed 's|/usr/share/hyphen/||g')): |" \
			"$out/left" >> "$out/problems"
	fi
fi

# e. pictures, names, active content
python3 "$here/safety.py" "$epub" "$pdf" >> "$out/problems"
t2=$(now)

# f. the printers' editions, side by side (each gsi-book runs on one core)
mkdir -p "$out/print"
for p in kdp ingram lulu; do
	"$gsi" pdf -q --profile "$p" --pad -o "$out/print/$name.$p.pdf" "$book" > "$out/print/$p.log" 2>&1 &
done
wait
for p in kdp ingram lulu; do
	if [ ! -s "$out/print/$name.$p.pdf" ] || [ -s "$out/print/$p.log" ]; then
		problem "gsi-book pdf --profile $p --pad:"
		sed 's/^/    /' "$out/print/$p.log" >> "$out/problems"
	elif ! qpdf --check "$out/print/$name.$p.pdf" > "$out/print/$p.qpdf" 2>&1; then
		problem "qpdf --check (pdf --profile $p):"
		grep -v '^checking\|^PDF Version\|^File is\|^No syntax' "$out/print/$p.qpdf" | head -10 |
			sed 's/^/    /' >> "$out/problems"
	fi
done
t3=$(now)
echo "time: print $(echo "$t2 $t3" | awk '{ printf "%.2f", $2 - $1 }') s" >> "$out/times"
echo "time: epubcheck $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }') s" >> "$out/times"
echo "time: checks $(echo "$t1 $t2" | awk '{ printf "%.2f", $2 - $1 }') s" >> "$out/times"
echo "size: $(cat "$book"/*.md | wc -w) words, $(cat "$book"/*.md | wc -c) bytes of Markdown, $(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }') pages" >> "$out/times"

cat "$out/problems"
[ ! -s "$out/problems" ]
