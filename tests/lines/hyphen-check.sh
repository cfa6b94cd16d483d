#!/bin/sh
# tests/lines/hyphen-check.sh PDF ALLOWED MIN - every word the PDF breaks at
# a line's end (its text has a soft hyphen, U+00AD, there) is a word of
# ALLOWED broken at one of the points ALLOWED gives it ("пе-ре-нос": a
# word a line, a hyphen at each point where it may be broken, checked by
# hand), and MIN words at least are broken.  Prints one line per problem;
# exits 1 if there is any.
set -u
# pdftotext reads the PDF; a missing pdftotext, or a PDF it cannot read,
# is a problem too (with no text, nothing would be found wrong)
command -v pdftotext > /dev/null || { echo "pdftotext missing"; exit 1; }
text=$(mktemp "${TMPDIR:-/tmp}/gsi-book-text.XXXXXX") || exit 1
trap 'rm -f "$text"' EXIT
pdftotext -enc UTF-8 "$1" - > "$text" || { echo "pdftotext cannot read $1"; exit 1; }
LC_ALL=C awk -v min="$3" '
FNR == NR {
	if ($0 ~ /^#/ || $0 == "") next
	w = $0; gsub(/-/, "", w); known[w] = 1
	n = split($0, parts, "-"); p = ""
	for (i = 1; i < n; i++) { p = p parts[i]; ok[w SUBSEP p] = 1 }
	next
}
{ line[++nl] = $0 }
END {
	for (i = 1; i <= nl; i++) {
		l = line[i]
		if (substr(l, length(l) - 1) != "\302\255") continue
		head = substr(l, 1, length(l) - 2); sub(/.*[ \t]/, "", head); sub(/^[(\253]+/, "", head)
		sub(/^\302\253/, "", head)
		j = i + 1
		while (j <= nl && line[j] ~ /^[ \t\f]*$/) j++
		tail = line[j]; sub(/^[ \t\f]+/, "", tail); sub(/[ \t].*/, "", tail)
		sub(/[,.;:!?)]+$/, "", tail); sub(/\302\273$/, "", tail)
		word = head tail; count++
		if (!(word in known)) { print "a word not checked by hand is broken: " head "-" tail; bad = 1 }
		else if (!((word SUBSEP head) in ok)) { print "a word broken where it may not be: " head "-" tail; bad = 1 }
	}
	if (count < min) { print "only " count " words broken at a line end, expected " min " or more"; bad = 1 }
	exit bad
}' "$2" - < "$text"
