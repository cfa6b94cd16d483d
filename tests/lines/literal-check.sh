#!/bin/sh
# tests/lines/literal-check.sh PDF LITERAL - no word the PDF hyphenates
# at a line's end (its text has a soft hyphen, U+00AD, there) is part of
# inline code or an address: LITERAL lists them, one a line.  Prints one
# line per problem; exits 1 if there is any.
set -u
# pdftotext reads the PDF; a missing pdftotext, or a PDF it cannot read,
# is a problem too (with no text, nothing would be found wrong)
command -v pdftotext > /dev/null || { echo "pdftotext missing"; exit 1; }
text=$(mktemp "${TMPDIR:-/tmp}/gsi-book-text.XXXXXX") || exit 1
trap 'rm -f "$text"' EXIT
pdftotext -enc UTF-8 "$1" - > "$text" || { echo "pdftotext cannot read $1"; exit 1; }
LC_ALL=C awk '
FNR == NR { lit[++nlit] = $0; next }
{ line[++nl] = $0 }
END {
	for (i = 1; i <= nl; i++) {
		l = line[i]
		if (substr(l, length(l) - 1) != "\302\255") continue
		head = substr(l, 1, length(l) - 2); sub(/.*[ \t]/, "", head)
		j = i + 1
		while (j <= nl && line[j] ~ /^[ \t\f]*$/) j++
		tail = line[j]; sub(/^[ \t\f]+/, "", tail); sub(/[ \t].*/, "", tail)
		sub(/[,.;:!?)]+$/, "", tail)
		for (k = 1; k <= nlit; k++)
			if (index(lit[k], head tail) || index(head tail, lit[k])) {
				print "code or an address is hyphenated: " head "-" tail
				bad = 1
				break
			}
	}
	exit bad
}' "$2" - < "$text"
