#!/bin/sh
# tests/lines/bbox-check.sh PDF MARKER SOURCE... - what pdftotext
# -bbox-layout reads from PDF (A5, the default style's margins: inner 20
# mm, outer 15 mm; odd pages are rectos):
#  - every word lies within the text block's left and right margins, no
#    word overlaps another on its line (drawn over a bullet, over the
#    previous word), and no space between two words of a line is narrower
#    than the style's limit allows (a space of Linux Libertine at 10.5 pt,
#    2.6 pt, less a third: 1.7 pt; a gap under 0.3 pt is no space, where
#    pdftotext splits a word at a change of font);
#  - on the pages from the first that holds the word MARKER on, every word
#    is part of one word of the SOURCE files (Markdown: `, <, >, [, ], (
#    and ) apart), the bullet and folios aside: no two words run together.
# Prints one line per problem; exits 1 if there is any.
set -u
pdf=$1
marker=$2
shift 2
pdftotext -bbox-layout "$pdf" - | LC_ALL=C awk -v marker="$marker" '
function clean(s) { gsub(/[`<>\[\]()]/, "", s); return s }
function unescape(s) { gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s); return s }
FILENAME != "-" {
	n = split($0, ws, /[ \t]+/)
	for (i = 1; i <= n; i++) if ((w = clean(ws[i])) != "") src = src " " w
	next
}
/<page / {
	page++
	match($0, /width="[0-9.]+"/); width = substr($0, RSTART + 7, RLENGTH - 8) + 0
	inner = 20 / 25.4 * 72; outer = 15 / 25.4 * 72
	if (page % 2) { left = inner; right = width - outer } else { left = outer; right = width - inner }
	next
}
/<line/ { inline = 0 }
/<word / {
	match($0, /xMin="[0-9.]+"/); x0 = substr($0, RSTART + 6, RLENGTH - 7) + 0
	match($0, /xMax="[0-9.]+"/); x1 = substr($0, RSTART + 6, RLENGTH - 7) + 0
	match($0, /yMin="[0-9.]+"/); y0 = substr($0, RSTART + 6, RLENGTH - 7) + 0
	match($0, /yMax="[0-9.]+"/); y1 = substr($0, RSTART + 6, RLENGTH - 7) + 0
	w = $0; sub(/^.*">/, "", w); sub(/<\/word>.*$/, "", w); w = unescape(w)
	for (k = 1; k <= nseen; k++)
		if (seen_p[k] == page && y0 < seen_y1[k] - 1 && y1 > seen_y0[k] + 1 &&
		    x0 < seen_x1[k] - 0.1 && x1 > seen_x0[k] + 0.1) {
			printf "page %d: \"%s\" is drawn over \"%s\"\n", page, w, seen_w[k]
			bad = 1
		}
	if (inline && x0 - last_x1 > 0.3 && x0 - last_x1 < 1.7) {
		printf "page %d: the space before \"%s\" is %.2f pt wide\n", page, w, x0 - last_x1
		bad = 1
	}
	inline = 1; last_x1 = x1
	if (seen_p[nseen] != page) nseen = 0
	nseen++; seen_p[nseen] = page; seen_w[nseen] = w
	seen_x0[nseen] = x0; seen_x1[nseen] = x1; seen_y0[nseen] = y0; seen_y1[nseen] = y1
	if (x0 < left - 0.1 || x1 > right + 0.1) {
		printf "page %d: \"%s\" is drawn from %.2f to %.2f pt, outside the text block (%.2f to %.2f)\n", page, w, x0, x1, left, right
		bad = 1
	}
	if (w == marker) on = 1
	if (!on) next
	sub(/\302\255$/, "", w)
	w = clean(w)
	if (w == "" || w == "\342\200\242" || w ~ /^[0-9ivxlc]+$/) next
	if (!index(src, w)) { printf "page %d: \"%s\" is not a word of the source (words run together?)\n", page, w; bad = 1 }
	words++
}
END {
	if (!words) { print "no word checked after \"" marker "\""; bad = 1 }
	exit bad
}' "$@" -
