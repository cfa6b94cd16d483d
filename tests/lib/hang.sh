# tests/lib/hang.sh - what a check of pdftotext's word boxes lets a word
# reach into the margins, sourced by the checks that measure words against
# the text block (tests/lines/bbox-check.sh, tests/lines/cjk/check): one
# definition of margin kerning's allowance (styles/style.yaml's
# microtype.protrusion) and of a footnote's hung number.
#
# HANG_AWK holds awk functions, for a check to put before its own awk
# program ('"$HANG_AWK"' in it), run with LC_ALL=C (the patterns are
# UTF-8 bytes):
#   hang_right(w, em)  how far word w may end past the right edge: 0.25 em
#                      when its last character may hang (punctuation,
#                      ) / *, a hyphen or soft hyphen, a dash, a closing
#                      quote), else 0; em is its font size (pdftotext's box
#                      is 1.14 em high for Linux Libertine)
#   hang_left(w, em)   the same at the left edge, for a first character that
#                      may hang there: ( / * -, a dash, an opening quote
#   note_number(first, w, x1, left)
#                      whether w is a footnote's number hung in the left
#                      margin: the first word of its line (first), of
#                      digits only, or the mark of a note of an address
#                      (* † ‡ § ‖ ¶, doubled: links.print-urls), that
#                      ends (x1) 1 pt or more before the text block's
#                      left edge
HANG_AWK='
function hang_right(w, em) {
	return w ~ /([.,:;!?)\/*-]|\302\255|\342\200[\223\224\231\235\272]|\302\273)$/ ? 0.25 * em : 0
}
function hang_left(w, em) {
	return w ~ /^([(\/*-]|\342\200[\223\224\230\234\232\236\271]|\302\253)/ ? 0.25 * em : 0
}
function note_number(first, w, x1, left) {
	return first && (w ~ /^[0-9]+$/ ||
			 w ~ /^(\*|\342\200\240|\342\200\241|\302\247|\342\200\226|\302\266)+$/) &&
	       x1 <= left - 1
}
'
