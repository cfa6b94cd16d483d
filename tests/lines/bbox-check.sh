#!/bin/sh
# tests/lines/bbox-check.sh PDF MARKER SOURCE... - what pdftotext
# -bbox-layout reads from PDF (A5, the default style's margins: inner 20
# mm, outer 15 mm; odd pages are rectos):
#  - every word lies within the text block's left and right margins (but
#    for a last or first character that hangs into them: punctuation, a
#    dash, a quote, by 0.25 em at most; and a footnote's number, which
#    hangs in the left margin), no
#    word overlaps another on its line (drawn over a bullet, over the
#    previous word), and no space between two words of a line is narrower
#    than the style's limit allows (a space of Linux Libertine at 10.5 pt,
#    2.6 pt, less a third: 1.7 pt; a gap under 0.3 pt is no space, where
#    pdftotext splits a word at a change of font);
#  - on the pages from the first that holds the word MARKER on, every word
#    is part of one word of the SOURCE files (Markdown: `, <, >, [, ], (
#    and ) apart), the bullet and folios aside: no two words run together.
# Prints one line per problem; exits 1 if there is any.
#
# The corpus check (tests/corpus/check.sh) uses it for any book, through
# the environment:
#   BBOX_INNER, BBOX_OUTER  the margins in mm (default 20 and 15)
#   BBOX_SPACE_EM           the narrowest space as a share of the font size,
#                           the size read from each word's height (pdftotext
#                           gives a box of 1.14 times the size for Linux
#                           Libertine); default: 1.7 pt, the body's limit
#   BBOX_HYPHEN_RUN         the longest run of lines in a row that end in a
#                           hyphenation (U+00AD); default: not checked
#   BBOX_PICTURE_WORDS      a file of the words the book's pictures draw
#                           themselves (an SVG's text), a word a line: such
#                           a word, and the space before it, is the
#                           picture's, not measured against the text block
# An empty MARKER checks no word against the source (and SOURCE may be
# left out).  Landscape pages (wider than high: turned tables) are not
# measured against the margins.
set -u
pdf=$1
marker=$2
shift 2
# pdftotext reads the PDF; a missing pdftotext, or a PDF it cannot read,
# is a problem too (with no text, nothing would be found wrong)
command -v pdftotext > /dev/null || { echo "pdftotext missing"; exit 1; }
text=$(mktemp "${TMPDIR:-/tmp}/gsi-book-text.XXXXXX") || exit 1
trap 'rm -f "$text"' EXIT
pdftotext -bbox-layout "$pdf" - > "$text" || { echo "pdftotext cannot read $pdf"; exit 1; }
. "$(dirname "$0")/../lib/hang.sh"
LC_ALL=C awk -v marker="$marker" \
	-v inner_mm="${BBOX_INNER:-20}" -v outer_mm="${BBOX_OUTER:-15}" \
	-v space_em="${BBOX_SPACE_EM:-0}" -v hyphen_run="${BBOX_HYPHEN_RUN:--1}" \
	-v picture_words="${BBOX_PICTURE_WORDS:-}" "$HANG_AWK"'
function clean(s) { gsub(/[`<>\[\]()]/, "", s); return s }
function unescape(s) { gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s); return s }
BEGIN { if (picture_words != "") while ((getline pw < picture_words) > 0) pic[pw] = 1 }
FILENAME != "-" {
	n = split($0, ws, /[ \t]+/)
	for (i = 1; i <= n; i++) if ((w = clean(ws[i])) != "") src = src " " w
	next
}
/<page / {
	page++
	match($0, /width="[0-9.]+"/); width = substr($0, RSTART + 7, RLENGTH - 8) + 0
	match($0, /height="[0-9.]+"/); height = substr($0, RSTART + 8, RLENGTH - 9) + 0
	inner = inner_mm / 25.4 * 72; outer = outer_mm / 25.4 * 72
	if (page % 2) { left = inner; right = width - outer } else { left = outer; right = width - inner }
	next
}
/<line/ { inline = 0 }
/<\/line>/ && hyphen_run >= 0 {
	if (last_w ~ /\302\255$/) {
		if (++run > hyphen_run) { printf "page %d: %d lines in a row end in a hyphenation, the last in \"%s\"\n", page, run, last_w; bad = 1 }
	} else run = 0
}
/<word / {
	match($0, /xMin="[0-9.]+"/); x0 = substr($0, RSTART + 6, RLENGTH - 7) + 0
	match($0, /xMax="[0-9.]+"/); x1 = substr($0, RSTART + 6, RLENGTH - 7) + 0
	match($0, /yMin="[0-9.]+"/); y0 = substr($0, RSTART + 6, RLENGTH - 7) + 0
	match($0, /yMax="[0-9.]+"/); y1 = substr($0, RSTART + 6, RLENGTH - 7) + 0
	w = $0; sub(/^.*">/, "", w); sub(/<\/word>.*$/, "", w); w = unescape(w)
	if (w in pic) { inline = 0; next }
	for (k = 1; k <= nseen; k++)
		if (seen_p[k] == page && y0 < seen_y1[k] - 1 && y1 > seen_y0[k] + 1 &&
		    x0 < seen_x1[k] - 0.1 && x1 > seen_x0[k] + 0.1) {
			printf "page %d: \"%s\" is drawn over \"%s\"\n", page, w, seen_w[k]
			bad = 1
		}
	min = 1.7
	if (space_em) min = space_em * (y1 - y0) / 1.14
	if (inline && x0 - last_x1 > 0.3 && x0 - last_x1 < min) {
		printf "page %d: the space before \"%s\" is %.2f pt wide\n", page, w, x0 - last_x1
		bad = 1
	}
	# the number of a footnote hangs in the left margin, before the
	# first line of its note (issue 21)
	hung_number = note_number(!inline, w, x1, left)
	inline = 1; last_x1 = x1; last_w = w
	if (seen_p[nseen] != page) nseen = 0
	nseen++; seen_p[nseen] = page; seen_w[nseen] = w
	seen_x0[nseen] = x0; seen_x1[nseen] = x1; seen_y0[nseen] = y0; seen_y1[nseen] = y1
	# (margin kerning: a word may hang by its last or first character,
	# punctuation, a dash or a quote, up to 0.25 em)
	em = (y1 - y0) / 1.14
	if (width <= height && (x0 < left - 0.1 - hang_left(w, em) || x1 > right + 0.1 + hang_right(w, em)) &&
	    !hung_number) {
		printf "page %d: \"%s\" is drawn from %.2f to %.2f pt, outside the text block (%.2f to %.2f)\n", page, w, x0, x1, left, right
		bad = 1
	}
	if (marker != "" && w == marker) on = 1
	if (!on) next
	sub(/\302\255$/, "", w)
	w = clean(w)
	if (w == "" || w == "\342\200\242" || w ~ /^[0-9ivxlc]+$/) next
	if (!index(src, w)) { printf "page %d: \"%s\" is not a word of the source (words run together?)\n", page, w; bad = 1 }
	words++
}
END {
	if (!words && marker != "") { print "no word checked after \"" marker "\""; bad = 1 }
	exit bad
}' "$@" - < "$text"
