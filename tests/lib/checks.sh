# tests/lib/checks.sh - the library every case's 'check' script has, sourced
# before it by tests/lib/case.sh (and by tests/run.sh for the groups still
# written inline there).
#
# A check prints what is wrong, one problem a line, and passes only when it
# prints nothing and exits 0.  It runs in its case's directory with:
#   GSI      the gsi-book binary of the variant (an absolute path)
#   UNIT     the unit-test binary of the variant
#   TOP      the top of the source tree
#   OUT      an empty directory of its own, for what it writes
#   CASE     the case's directory (where the check starts)
#   VARIANT  plain, asan, ...
#   EPUBS    the variant's EPUBs: every EPUB put here goes to EPUBCheck (and
#            is compared with the other variants' by same_bytes)
#   PDFS     the variant's PDFs of the test books ('gsi-book pdf', built by
#            pdf_of or by run.sh's editions of every book)
#   ALL      what 'gsi-book all' wrote of each book, shared by the checks
#            that read both editions of one book (editions_of)
#   SOURCE_DATE_EPOCH=1700000000, LC_ALL=C, TZ=UTC
#
# A tool a check needs that is not installed is a failure, never a pass:
# the tools below are functions that say "TOOL missing" (on stderr, and in
# the file $MISSING, which tests/lib/case.sh reads: a check that hides the
# message, 2> /dev/null or in a pipe, fails as well).  tests/props/lib/
# tool-missing proves it for each of them.

CHECK_TOOLS='pdftotext pdffonts pdfinfo pdftoppm pdftohtml pdfimages qpdf mutool unzip zipinfo python3 valgrind java gs'

# on_path TOOL: whether TOOL is a program on PATH (not this library's
# function of the same name)
on_path() {
	(
		IFS=:
		for d in $PATH; do
			[ -n "$d" ] || d=.
			[ -f "$d/$1" ] && [ -x "$d/$1" ] && exit 0
		done
		exit 1
	)
}

# missing TOOL: report TOOL missing; returns 127, as the shell does
missing() {
	echo "$1 missing" >&2
	[ -n "${MISSING:-}" ] && echo "$1 missing" >> "$MISSING"
	return 127
}

# need TOOL...: stop the check at once when a tool is not installed
need() {
	for t in "$@"; do
		on_path "$t" || { missing "$t"; exit 1; }
	done
}

# the tools, each through run_tool
run_tool() {
	t=$1
	shift
	if on_path "$t"; then command "$t" "$@"; else missing "$t"; fi
}
pdftotext() { run_tool pdftotext "$@"; }
pdffonts() { run_tool pdffonts "$@"; }
pdfinfo() { run_tool pdfinfo "$@"; }
pdftoppm() { run_tool pdftoppm "$@"; }
pdftohtml() { run_tool pdftohtml "$@"; }
pdfimages() { run_tool pdfimages "$@"; }
qpdf() { run_tool qpdf "$@"; }
mutool() { run_tool mutool "$@"; }
unzip() { run_tool unzip "$@"; }
zipinfo() { run_tool zipinfo "$@"; }
python3() { run_tool python3 "$@"; }
valgrind() { run_tool valgrind "$@"; }
java() { run_tool java "$@"; }
gs() { run_tool gs "$@"; }

# inspect ARGS: build/epub-inspect (list, cat, text, check, pages)
inspect() {
	if [ -x "$TOP/build/epub-inspect" ]; then
		"$TOP/build/epub-inspect" "$@"
	else
		missing "build/epub-inspect ('make build/epub-inspect')"
	fi
}

# edition_of CMD DIR FILE: 'gsi-book CMD' of the book in DIR into FILE,
# built once a variant; prints FILE, or nothing when the build failed
edition_of() {
	if [ ! -f "$3" ]; then
		mkdir -p "$(dirname "$3")"
		(cd "$OUT" && SOURCE_DATE_EPOCH=1700000000 "$GSI" "$1" -q -o "$3" "$2" >&2) ||
			{ echo "gsi-book $1 $2 failed" >&2; return; }
	fi
	echo "$3"
}

# pdf_of DIR NAME: sets $pdf to the variant's 'gsi-book pdf' of the book in
# DIR, $PDFS/NAME.pdf, built once (as run.sh's editions of every book are)
pdf_of() { pdf=$(edition_of pdf "$1" "$PDFS/$2.pdf"); }

# epub_of DIR NAME: the same for the EPUB, $EPUBS/NAME.epub
epub_of() { epub=$(edition_of epub "$1" "$EPUBS/$2.epub"); }

# editions_of DIR NAME: sets $epub and $pdf to what 'gsi-book all' wrote of
# the book in DIR, into $ALL/NAME, once a variant (several checks read the
# same editions); says so when it wrote nothing
editions_of() {
	o=$ALL/$2
	if [ ! -e "$o.log" ]; then
		mkdir -p "$ALL"
		(cd "$OUT" && SOURCE_DATE_EPOCH=1700000000 "$GSI" all -q -o "$o" "$1") > "$o.log" 2>&1
	fi
	cat "$o.log"
	epub=$(ls "$o"/*.epub 2> /dev/null)
	pdf=$(ls "$o"/*.pdf 2> /dev/null)
	[ -n "$epub" ] && [ -n "$pdf" ] || echo "gsi-book all $1 wrote no EPUB or no PDF"
}

# in_order WANTED TEXT: every word of WANTED (one or more a line) appears
# in TEXT in the same order (other words may come between: running heads,
# the text a note interrupts); prints the first word missing.
in_order() {
	awk '
	FNR == 1 { file++ }
	file == 1 { n = split($0, ws, /[ \t\f\r]+/); for (i = 1; i <= n; i++) if (ws[i] != "") a[++na] = ws[i]; next }
	{ n = split($0, ws, /[ \t\f\r]+/); for (i = 1; i <= n; i++) if (ws[i] != "") b[++nb] = ws[i] }
	END {
		if (!na) { print "nothing to look for"; exit 1 }
		k = 1
		for (i = 1; i <= nb && k <= na; i++) if (b[i] == a[k]) k++
		if (k <= na) { printf "word %d of %d, \"%s\", is missing (after \"%s %s\")\n", k, na, a[k], a[k - 2], a[k - 1]; exit 1 }
	}' "$1" "$2"
}

# unhyphenate: joins the halves of words hyphenated at a line's end (the
# PDF's text has a soft hyphen, U+00AD, there).
unhyphenate() {
	sed -e ':a' -e '/\xc2\xad$/{N;s/\xc2\xad\n//;ba' -e '}'
}

# the_book: the case's book: its own directory 'book/', or the shared book
# a file 'book' names (a path from the top: tests/books/long-title)
the_book() {
	if [ -d "${CASE:-.}/book" ]; then (cd "${CASE:-.}/book" && pwd)
	elif [ -f "${CASE:-.}/book" ]; then echo "$TOP/$(sed -n 1p "${CASE:-.}/book")"
	else echo "the case has no book" >&2; echo /nonexistent
	fi
}

# data_with_style DIR SED: makes DIR a data directory (GSI_BOOK_DATA: fonts/
# and styles/ linked from $GSI_BOOK_DATA) whose styles/style.yaml is the
# default edited by the sed expression SED, for a check that needs a style
# setting of its own; says so when SED changes nothing
data_with_style() {
	mkdir -p "$1/styles"
	for f in "$GSI_BOOK_DATA"/*; do
		[ "${f##*/}" = styles ] || ln -sf "$f" "$1/"
	done
	for f in "$GSI_BOOK_DATA"/styles/*; do
		[ "${f##*/}" = style.yaml ] || ln -sf "$f" "$1/styles/"
	done
	sed "$2" "$GSI_BOOK_DATA/styles/style.yaml" > "$1/styles/style.yaml"
	cmp -s "$GSI_BOOK_DATA/styles/style.yaml" "$1/styles/style.yaml" &&
		echo "data_with_style: '$2' changes nothing in the style"
}

# layout_of DIR NAME: sets $layout to the variant's 'gsi-book pdf
# --dump-layout' of the book in DIR, $PDFS/NAME.layout, made once
layout_of() {
	layout=$PDFS/$2.layout
	if [ ! -f "$layout" ]; then
		mkdir -p "$PDFS"
		(cd "$OUT" && "$GSI" pdf -q --dump-layout "$1") > "$layout" ||
			{ echo "gsi-book pdf --dump-layout $1 failed"; rm -f "$layout"; layout=; }
	fi
}

# words ORIGINAL TEXT: the words of ORIGINAL appear in TEXT as one unbroken
# run, in order: a missing, extra, changed or moved word fails.  Tokens made
# only of "-" or "*" (the original's list bullets) are not words; the
# footnote lines of TEXT ("[1] ...") are notes, not the text they mark.
words() {
	awk '
	FNR == 1 { file++ }
	file == 1 {
		n = split($0, ws, /[ \t\f\r]+/)
		for (i = 1; i <= n; i++)
			if (ws[i] != "" && ws[i] !~ /^[-*]$/) { a[++na] = ws[i]; line[na] = FNR }
		next
	}
	/^\[[0-9]+\] / { next }
	{
		n = split($0, ws, /[ \t\f\r]+/)
		for (i = 1; i <= n; i++) if (ws[i] != "" && ws[i] != "•") b[++nb] = ws[i]
	}
	END {
		if (!na) { print "no words in the original"; exit 1 }
		best = 0; at = 0
		for (i = 1; i <= nb; i++) {
			if (b[i] != a[1]) continue
			for (k = 0; k < na && i + k <= nb && b[i + k] == a[k + 1]; k++) ;
			if (k > best) { best = k; at = i }
			if (k == na) exit 0
		}
		w = best + 1
		printf "word %d of the original (line %d), \"%s\", ", w, line[w], a[w]
		if (at && at + best <= nb) printf "is \"%s\" in the book", b[at + best]
		else printf "is missing from the book"
		printf " (after \"%s %s %s\")\n", a[w - 3], a[w - 2], a[w - 1]
		exit 1
	}
	' "$1" "$2"
}

# without_notes NOTES TEXT: the words of TEXT, one a line, less each
# footnote of NOTES (a note a line, "N text"), found as a run of words.
without_notes() {
	awk '
	FNR == 1 { file++ }
	file == 1 { nn++; nw[nn] = split($0, tmp, /[ \t\f\r]+/); for (k = 1; k <= nw[nn]; k++) note[nn, k] = tmp[k]; next }
	{ n = split($0, ws, /[ \t\f\r]+/); for (i = 1; i <= n; i++) if (ws[i] != "") w[++nwords] = ws[i] }
	END {
		for (i = 1; i <= nwords; i++) {
			skip = 0
			for (m = 1; m <= nn && !skip; m++) {
				for (k = 1; k <= nw[m] && i + k - 1 <= nwords && w[i + k - 1] == note[m, k]; k++) ;
				if (k > nw[m]) skip = nw[m]
			}
			if (skip) { i += skip - 1; continue }
			print w[i]
		}
	}' "$1" "$2"
}

# every_book: the books whose editions every check of tests/props/epub/@book/
# and tests/props/pdf/@book/ reads, "NAME DIR" a line: the real book, each
# book of tests/books/, and two golden cases' books
every_book() {
	echo "book $TOP/book"
	for b in "$TOP"/tests/books/*/; do echo "$(basename "$b") ${b%/}"; done
	for c in dump-small kazakh; do echo "$c $TOP/tests/cases/$c/book"; done
}
