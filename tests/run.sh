#!/bin/sh
# tests/run.sh - every test of gsi-book, run by 'make check'.
#
#   sh tests/run.sh "NAME GSI UNIT" ...
#
# Runs the whole suite once per build variant (NAME, the gsi-book binary
# GSI and the unit-test binary UNIT), prints a line per test and ends with
# the line "N passed, N failed".
#
# Golden cases live in tests/cases/NAME/: the command line in 'args'
# (default: check book), the expected 'stdout', 'stderr' and exit 'status'
# (missing files mean empty output and status 0), and a 'setup' script for
# what git cannot hold (run in a copy of the case).  A case must leave its
# directory as it found it: no output file on any error.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gsi-book-tests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export LC_ALL=C TZ=UTC GSI_BOOK_DATA="$top"
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok     [$variant] $1"; }
fail() {
	failed=$((failed + 1))
	echo "FAILED [$variant] $1"
	[ $# -gt 1 ] && [ -s "$2" ] && sed -n '1,40s/^/    /p' "$2"
	return 0
}

# golden CASE: run gsi-book in tests/cases/CASE and compare.  A case
# with a 'setup' script (what git cannot hold: a FIFO, a file too large)
# runs in a copy of its directory, after the script has run there.
golden() {
	dir=$1
	name=cases/$(basename "$dir")
	if [ -f "$dir/setup" ]; then
		rm -rf "$tmp/case"
		cp -R "$dir" "$tmp/case"
		dir=$tmp/case
		(cd "$dir" && sh ./setup) || { fail "$name (setup)"; return; }
	fi
	args="check book"
	[ -f "$dir/args" ] && args=$(cat "$dir/args")
	want_status=0
	[ -f "$dir/status" ] && want_status=$(cat "$dir/status")
	(cd "$dir" && find . -print | LC_ALL=C sort) > "$tmp/before"
	# shellcheck disable=SC2086 # args are words by design
	(cd "$dir" && "$gsi" $args > "$tmp/stdout" 2> "$tmp/stderr" < /dev/null)
	status=$?
	(cd "$dir" && find . -print | LC_ALL=C sort) > "$tmp/after"
	: > "$tmp/diff"
	[ "$status" = "$want_status" ] ||
		echo "exit status $status, expected $want_status" >> "$tmp/diff"
	for stream in stdout stderr; do
		want=$dir/$stream
		[ -f "$want" ] || want=/dev/null
		diff -u "$want" "$tmp/$stream" >> "$tmp/diff" 2>&1 ||
			echo "($stream differs)" >> "$tmp/diff"
	done
	diff -u "$tmp/before" "$tmp/after" >> "$tmp/diff" 2>&1 ||
		echo "(files were created or removed)" >> "$tmp/diff"
	if [ -s "$tmp/diff" ]; then fail "$name" "$tmp/diff"; else pass "$name"; fi
}

# finished PDF NAME: what the finish (src/pdf.c, src/pdfcopy.c) gives
# cairo's PDF, read back through qpdf; prints what is missing, fails then.
finished() {
	missing=0
	head -c 9 "$1" | grep -q '^%PDF-1.7$' || { echo "not a PDF 1.7 header"; missing=1; }
	[ "$(grep -ac '^startxref' "$1")" = 1 ] || { echo "not one revision"; missing=1; }
	qpdf --show-object=trailer "$1" > "$tmp/trailer" 2>&1
	grep -Eq '/ID \[ <([0-9a-f]{32})> <\1> \]' "$tmp/trailer" || { echo "no /ID:"; cat "$tmp/trailer"; missing=1; }
	qpdf --qdf --object-streams=disable "$1" "$tmp/finished.qdf" || missing=1
	pages=$(qpdf --show-npages "$1")
	count() { grep -ac -e "$1" "$tmp/finished.qdf"; }
	for key in '/TrimBox' '/BleedBox'; do
		[ "$(count "$key")" = "$pages" ] || { echo "$(count "$key") $key for $pages pages"; missing=1; }
	done
	[ "$(count '/CreationDate (D:')" = 1 ] && [ "$(count '/ModDate (D:')" = 1 ] || { echo "dates without D:"; missing=1; }
	[ "$(count '/Type /Metadata')" = 1 ] && [ "$(count '<dc:title>')" = 1 ] || { echo "no XMP metadata"; missing=1; }
	[ "$(count '/Type /OBJR')" = "$(count '/Subtype /Link')" ] ||
		{ echo "$(count '/Type /OBJR') OBJR for $(count '/Subtype /Link') links"; missing=1; }
	[ "$(count '/Tabs /S')" = "$(count '/Annots')" ] ||
		{ echo "$(count '/Tabs /S') /Tabs for $(count '/Annots') pages with links"; missing=1; }
	# the outline root (an object of its own in QDF) counts its entries
	awk '/^[0-9]+ 0 obj/ { outlines = 0; n = "" } /^  \/Type \/Outlines$/ { outlines = 1 }
		/^  \/Count / { n = $2 } /^endobj/ && outlines { print n; exit }' "$tmp/finished.qdf" > "$tmp/count"
	entries=$(qpdf --json --json-key=outlines "$1" | grep -c '"title":')
	[ "$entries" = 0 ] || [ "$(cat "$tmp/count")" -gt 0 ] || { echo "outline root /Count $(cat "$tmp/count")"; missing=1; }
	if [ "$2" = structure ]; then
		[ "$(count '/Alt')" -ge 1 ] && [ "$(count '/ActualText')" -ge 1 ] || { echo "no /Alt or /ActualText"; missing=1; }
	fi
	return $missing
}

# snapshot DIR: every name under DIR with its type, and the checksum of
# every regular file: what a failed build must leave as it found it.
snapshot() {
	(cd "$1" && find . -printf '%y %p %l\n' | LC_ALL=C sort &&
		find . -type f -exec cksum {} + | LC_ALL=C sort -k 3)
}

# bad CASE: a case of the bad-input corpus, tests/bad/CASE/.  It runs in
# a copy of its directory, after its 'setup' script if it has one, with
# out/book.epub and out/book.pdf holding editions built before.  Each
# line of 'args' is a command line (default: tests/bad/default-args, the
# EPUB and then the PDF into out/); each must end with the exit 'status' (never 0) within a
# time limit (no hang), print nothing on stdout, and leave every file as
# it was: no partial file, the old editions untouched.  What they print
# on stderr, one after the other, is the case's 'stderr'.  A 'data'
# directory stands for gsi-book's fonts and styles (GSI_BOOK_DATA).  In
# the plain build, memory is bounded too: 1 GiB of address space.
bad() {
	name=bad/$(basename "$1")
	rm -rf "$tmp/bad"
	cp -R "$1" "$tmp/bad"
	dir=$tmp/bad
	(cd "$dir" && { [ ! -f setup ] || sh ./setup; }) > "$tmp/why" 2>&1 ||
		{ fail "$name (setup)" "$tmp/why"; return; }
	mkdir -p "$dir/out"
	echo "an EPUB built before" > "$dir/out/book.epub"
	echo "a PDF built before" > "$dir/out/book.pdf"
	args_file=$dir/args
	[ -f "$args_file" ] || args_file=$top/tests/bad/default-args
	cp "$args_file" "$tmp/commands"
	data=$top
	[ -d "$dir/data" ] && data=$dir/data
	want_status=$(cat "$dir/status" 2> /dev/null || echo missing)
	limit=
	[ "$variant" = plain ] && limit="ulimit -v 1048576;"
	snapshot "$dir" > "$tmp/before"
	: > "$tmp/diff"
	: > "$tmp/stderr-all"
	case $want_status in 0|missing) echo "the case has no non-zero 'status'" >> "$tmp/diff" ;; esac
	while IFS= read -r args; do
		# shellcheck disable=SC2016 # expanded by the inner shell
		(cd "$dir" && GSI_BOOK_DATA="$data" timeout -k 5 120 \
			sh -c "$limit"' exec "$0" "$@"' "$gsi" $args \
			> "$tmp/stdout" 2> "$tmp/stderr" < /dev/null)
		status=$?
		[ "$status" = 124 ] && echo "'$args' did not end within 120 s" >> "$tmp/diff"
		[ "$status" = "$want_status" ] ||
			echo "'$args': exit status $status, expected $want_status" >> "$tmp/diff"
		cat "$tmp/stderr" >> "$tmp/stderr-all"
		[ -s "$tmp/stdout" ] && { echo "'$args' printed on stdout:"; head -n 5 "$tmp/stdout"; } >> "$tmp/diff"
		snapshot "$dir" > "$tmp/after"
		diff -u "$tmp/before" "$tmp/after" >> "$tmp/diff" 2>&1 ||
			echo "('$args' created, removed or changed files)" >> "$tmp/diff"
	done < "$tmp/commands"
	diff -u "$dir/stderr" "$tmp/stderr-all" >> "$tmp/diff" 2>&1 || echo "(stderr differs)" >> "$tmp/diff"
	if [ -s "$tmp/diff" ]; then fail "$name" "$tmp/diff"; else pass "$name"; fi
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

# unhyphenate: joins the halves of words hyphenated at a line's end (the
# PDF's text has a soft hyphen, U+00AD, there).
unhyphenate() {
	sed -e ':a' -e '/\xc2\xad$/{N;s/\xc2\xad\n//;ba' -e '}'
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

run_variant() {
	variant=$1
	gsi=$2
	unit=$3
	case $gsi in /*) ;; *) gsi=$top/$gsi ;; esac
	case $unit in /*) ;; *) unit=$top/$unit ;; esac

	# unit tests: the binary prints "ok - NAME" or "not ok - NAME: WHY"
	"$unit" > "$tmp/unit" 2>&1
	unit_status=$?
	while IFS= read -r line; do
		case $line in
		"ok - "*) pass "unit/${line#ok - }" ;;
		"not ok - "*) echo "$line" > "$tmp/why"; fail "unit/${line#not ok - }" "$tmp/why" ;;
		esac
	done < "$tmp/unit"
	if [ "$unit_status" != 0 ] || ! grep -q '^ok - ' "$tmp/unit"; then
		fail "unit (exit status $unit_status)" "$tmp/unit"
	fi

	for dir in "$top"/tests/cases/*/; do
		golden "${dir%/}"
	done
	for dir in "$top"/tests/bad/*/; do
		bad "${dir%/}"
	done

	# the real book checks clean, also with --strict
	(cd "$top" && "$gsi" check --strict book > "$tmp/out" 2> "$tmp/err")
	status=$?
	if [ "$status" = 0 ] && [ ! -s "$tmp/err" ] &&
	   [ "$(tail -n 1 "$tmp/out")" = "0 errors, 0 warnings" ]; then
		pass "book/check"
	else
		cat "$tmp/err" "$tmp/out" > "$tmp/why"; fail "book/check" "$tmp/why"
	fi

	# every word of the original article is in the book, in order
	(cd "$top" && "$gsi" dump --text book > "$tmp/text" 2> "$tmp/err")
	if words "$top/tests/data/article.txt" "$tmp/text" > "$tmp/why" 2>&1; then
		pass "book/words"
	else
		fail "book/words" "$tmp/why"
	fi
	# ... and the check can fail: a changed, dropped, moved or extra word
	sed 's/lasting peace/lasting quiet/' "$tmp/text" > "$tmp/changed"
	sed 's/ Boao / /' "$tmp/text" > "$tmp/dropped"
	sed 's/^First, the GSI/the GSI First,/' "$tmp/text" > "$tmp/moved"
	sed 's/ Boao / Boao big /' "$tmp/text" > "$tmp/added"
	bad=0
	for t in changed dropped moved added; do
		words "$top/tests/data/article.txt" "$tmp/$t" > /dev/null 2>&1 && bad=1
	done
	if [ $bad = 0 ]; then pass "book/words-detects-changes"; else
		echo "a changed, dropped, moved or extra word went unnoticed" > "$tmp/why"
		fail "book/words-detects-changes" "$tmp/why"
	fi

	# the caches change nothing: a build with an empty cache, again with
	# the cache it filled, without the cache, and with the entries that
	# are checked (shaped words, hyphenation, deflated fonts) damaged, all
	# give the same bytes
	c=$tmp/cache-$variant
	rm -rf "$c"
	: > "$tmp/why"
	for how in cold warm none damaged; do
		if [ $how = damaged ]; then
			for f in "$c"/gsi-book/words/* "$c"/gsi-book/hyphen/* "$c"/gsi-book/deflated/* \
				 "$c"/gsi-book/pages/*; do
				[ -f "$f" ] || continue
				printf '\377\000\377' | dd of="$f" bs=1 seek=$(($(wc -c < "$f") / 2)) \
					conv=notrunc 2> /dev/null
			done
		fi
		off=
		[ $how = none ] && off=1
		(cd "$top" && XDG_CACHE_HOME="$c" GSI_BOOK_NO_CACHE=$off SOURCE_DATE_EPOCH=1700000000 \
			"$gsi" all -q -o "$tmp/cached-$how" book) >> "$tmp/why" 2>&1 ||
			echo "the $how build failed" >> "$tmp/why"
		if [ $how = cold ]; then
			for kind in words hyphen deflated subsets covers; do
				[ -n "$(ls "$c/gsi-book/$kind" 2> /dev/null)" ] ||
					echo "the cold build left nothing in $kind/" >> "$tmp/why"
			done
		fi
	done
	for how in warm none damaged; do
		for f in "$tmp"/cached-cold/*; do
			cmp "$f" "$tmp/cached-$how/$(basename "$f")" >> "$tmp/why" 2>&1 ||
				echo "the $how build differs" >> "$tmp/why"
		done
	done
	if [ ! -s "$tmp/why" ] && [ "$(ls "$tmp/cached-cold" | wc -l)" = 2 ]; then
		pass "book/caches-change-nothing"
	else
		fail "book/caches-change-nothing" "$tmp/why"
	fi

	# the font set's fontconfig reads fontconfig's cache of the fonts
	# directory; when the directory holds a font the set does not name,
	# it takes the set's files one by one instead: the same PDF
	rm -rf "$tmp/extra" "$tmp/extra-cache"
	mkdir -p "$tmp/extra"
	: > "$tmp/why"
	cp -r "$top/fonts" "$top/styles" "$tmp/extra/"
	cp "$top/fonts/LinBiolinum_R.otf" "$tmp/extra/fonts/Unlisted.otf"
	for d in "$top" "$tmp/extra"; do
		for run in 1 2; do
			XDG_CACHE_HOME="$tmp/extra-cache" SOURCE_DATE_EPOCH=1700000000 GSI_BOOK_DATA="$d" \
				"$gsi" pdf -q -o "$tmp/extra-$run-$(basename "$d").pdf" "$top/book" \
				>> "$tmp/why" 2>&1 || echo "the build with fonts from $d failed" >> "$tmp/why"
		done
	done
	for f in "$tmp"/extra-*.pdf; do
		cmp "$tmp/extra-1-$(basename "$top").pdf" "$f" >> "$tmp/why" 2>&1 ||
			echo "$(basename "$f") differs" >> "$tmp/why"
	done
	[ "$(ls "$tmp"/extra-*.pdf | wc -l)" = 4 ] || echo "not every build wrote its PDF" >> "$tmp/why"
	if [ ! -s "$tmp/why" ]; then
		pass "fonts/fontconfig-cache"
	else
		fail "fonts/fontconfig-cache" "$tmp/why"
	fi

	# -o writes through a temporary file; a failed run keeps the old file
	out=$tmp/out.txt
	rm -f "$out"
	(cd "$top" && "$gsi" dump book > "$tmp/tree" 2>/dev/null)
	(cd "$top" && "$gsi" dump -o "$out" book 2>/dev/null)
	if cmp -s "$out" "$tmp/tree" &&
	   ! "$gsi" dump -o "$out" "$top/tests/cases/footnote-undefined/book" 2>/dev/null &&
	   cmp -s "$out" "$tmp/tree" &&
	   [ "$(find "$tmp" -name 'out.txt?*' | wc -l)" = 0 ]; then
		pass "dump/output-file"
	else
		echo "dump -o did not write the tree, or a failed run changed the file" > "$tmp/why"
		fail "dump/output-file" "$tmp/why"
	fi

	# -o naming a device writes to it: /dev/null stays a device, and
	# /dev/full says it is full
	(cd "$top" && "$gsi" dump -o /dev/null book) > "$tmp/out" 2>&1
	s_null=$?
	(cd "$top" && "$gsi" dump -o /dev/full book) > "$tmp/full" 2>&1
	s_full=$?
	if [ "$s_null" = 0 ] && [ -c /dev/null ] && [ "$s_full" = 1 ] &&
	   grep -q "^gsi-book: error: cannot write '/dev/full': No space left on device" "$tmp/full"; then
		pass "dump/output-device"
	else
		{ echo "/dev/null: exit $s_null; /dev/full: exit $s_full"; ls -l /dev/null; cat "$tmp/out" "$tmp/full"; } > "$tmp/why"
		fail "dump/output-device" "$tmp/why"
	fi

	# a program whose render module is missing says so, and writes nothing
	if [ "$variant" = plain ]; then
		mkdir -p "$tmp/lone"
		cp "$gsi" "$tmp/lone/gsi-book"
		(cd "$top" && GSI_BOOK_DATA="$top" GSI_BOOK_NO_CACHE=1 "$tmp/lone/gsi-book" pdf -o "$tmp/lone/x.pdf" book) \
			> "$tmp/out" 2> "$tmp/err"
		status=$?
		if [ "$status" = 1 ] && [ ! -e "$tmp/lone/x.pdf" ] &&
		   grep -q '^gsi-book: error: cannot load the render module: .*gsi-book-render.so' "$tmp/err"; then
			pass "module/missing"
		else
			{ echo "exit status $status"; cat "$tmp/err"; } > "$tmp/why"
			fail "module/missing" "$tmp/why"
		fi
	fi

	# both editions of the real book under valgrind: no error, no byte
	# definitely lost (GSI_BOOK_FREE_AT_EXIT frees everything at exit)
	if [ "$variant" = plain ]; then
		if ! command -v valgrind > /dev/null; then
			echo "valgrind is not installed ('bash .ci/deps test' installs it)" > "$tmp/why"
			fail "valgrind/book-all" "$tmp/why"
		else
			rm -rf "$tmp/vg"
			(cd "$top" && GSI_BOOK_FREE_AT_EXIT=1 SOURCE_DATE_EPOCH=1700000000 \
				valgrind --leak-check=full --errors-for-leak-kinds=definite \
				--suppressions="$top/tests/valgrind.supp" \
				--error-exitcode=99 "$gsi" all -q -o "$tmp/vg" book) > "$tmp/vg.log" 2>&1
			status=$?
			if [ "$status" = 0 ] && [ "$(ls "$tmp/vg" | wc -l)" = 2 ] &&
			   grep -q 'ERROR SUMMARY: 0 errors' "$tmp/vg.log" &&
			   { grep -q 'definitely lost: 0 bytes' "$tmp/vg.log" ||
			     grep -q 'All heap blocks were freed' "$tmp/vg.log"; }; then
				pass "valgrind/book-all"
			else
				{ echo "exit status $status"; grep -A3 'definitely lost\|Invalid\|uninitialised\|ERROR SUMMARY' "$tmp/vg.log"; } > "$tmp/why"
				fail "valgrind/book-all" "$tmp/why"
			fi
		fi
	fi
}

# epub_tests: the EPUB edition of the real book and of the test books.
# EPUBs of every variant land in $tmp/epub/VARIANT/ and must be identical.
epub_books() {
	echo "book $top/book"
	for b in "$top"/tests/books/*/; do echo "$(basename "$b") ${b%/}"; done
	for c in dump-small kazakh; do echo "$c $top/tests/cases/$c/book"; done
}

epub_tests() {
	out=$tmp/epub/$variant
	mkdir -p "$out"
	inspect=$top/build/epub-inspect
	epub_books > "$tmp/books"
	while read -r name dir; do
		if ! (cd "$tmp" && SOURCE_DATE_EPOCH=1700000000 "$gsi" epub -q -o "$out/$name.epub" "$dir") > "$tmp/why" 2>&1; then
			fail "epub/$name/build" "$tmp/why"
			continue
		fi
		pass "epub/$name/build"
		if "$inspect" check "$out/$name.epub" > "$tmp/why" 2>&1; then
			pass "epub/$name/package"
		else
			fail "epub/$name/package" "$tmp/why"
		fi
		# reproducible: another time zone, directory and time of day
		mkdir -p "$tmp/elsewhere"
		(cd "$tmp/elsewhere" && TZ=America/New_York SOURCE_DATE_EPOCH=1700000000 \
			"$gsi" epub -q -o "$out/$name.again.epub" "$dir") > /dev/null 2>&1
		if cmp "$out/$name.epub" "$out/$name.again.epub" > "$tmp/why" 2>&1; then
			pass "epub/$name/reproducible"
		else
			fail "epub/$name/reproducible" "$tmp/why"
		fi
		rm -f "$out/$name.again.epub"
	done < "$tmp/books"

	# ... and the inspector does find problems (no NCX, an image without alt)
	if "$inspect" check "$top/tests/data/invalid.epub" > "$tmp/why" 2>&1; then
		fail "epub/inspector-finds-problems" "$tmp/why"
	elif grep -q 'no NCX' "$tmp/why" && grep -q 'image without alt' "$tmp/why"; then
		pass "epub/inspector-finds-problems"
	else
		fail "epub/inspector-finds-problems" "$tmp/why"
	fi

	# every word of the article, in order, in the EPUB's documents
	"$inspect" text "$out/book.epub" > "$tmp/epubtext" 2>&1
	if words "$top/tests/data/article.txt" "$tmp/epubtext" > "$tmp/why" 2>&1; then
		pass "epub/book/words"
	else
		fail "epub/book/words" "$tmp/why"
	fi
	# markup in text and metadata shows as text
	"$inspect" text "$out/escape.epub" > "$tmp/esctext" 2>&1
	n=$(grep -c -F '</p><script>alert(1)</script>&' "$tmp/esctext")
	if [ "$n" -ge 8 ] && grep -q -F 'Title </p><script>alert(1)</script>& “quoted” ‘single’' "$tmp/esctext"; then
		pass "epub/escape/literal"
	else
		{ echo "markup shown literally $n times:"; cat "$tmp/esctext"; } > "$tmp/why"
		fail "epub/escape/literal" "$tmp/why"
	fi
	# embedded fonts are subsets, smaller than their sources
	"$inspect" list "$out/book.epub" | grep ' EPUB/fonts/' > "$tmp/fonts"
	bad=0
	while read -r size name; do
		src=$top/fonts/$(basename "$name")
		[ "$size" -lt "$(wc -c < "$src")" ] || { echo "$name: $size bytes, source $(wc -c < "$src")"; bad=1; }
	done < "$tmp/fonts" > "$tmp/why"
	if [ -s "$tmp/fonts" ] && [ $bad = 0 ]; then
		pass "epub/book/fonts-subset"
	else
		fail "epub/book/fonts-subset" "$tmp/why"
	fi
	# without SOURCE_DATE_EPOCH the book's date stamps it, never the clock
	# (tests/books/structure has date: 2024-02-29)
	(cd "$top" && env -u SOURCE_DATE_EPOCH "$gsi" epub -q -o "$tmp/dated.epub" tests/books/structure) > "$tmp/why" 2>&1
	"$inspect" cat "$tmp/dated.epub" EPUB/package.opf > "$tmp/opf" 2>> "$tmp/why"
	if grep -q '<meta property="dcterms:modified">2024-02-29T00:00:00Z</meta>' "$tmp/opf"; then
		pass "epub/structure/modified-from-date"
	else
		grep modified "$tmp/opf" >> "$tmp/why"
		fail "epub/structure/modified-from-date" "$tmp/why"
	fi
	rm -f "$tmp/dated.epub"

	# a failed build leaves an existing EPUB as it was, and no temporary file
	cp "$out/book.epub" "$tmp/keep.epub"
	"$gsi" epub -q -o "$tmp/keep.epub" "$top/tests/cases/footnote-undefined/book" > /dev/null 2>&1
	if cmp -s "$out/book.epub" "$tmp/keep.epub" &&
	   [ "$(find "$tmp" -maxdepth 1 -name 'keep.epub?*' | wc -l)" = 0 ]; then
		pass "epub/failed-build-keeps-file"
	else
		echo "a failed build changed the previous EPUB or left a temporary file" > "$tmp/why"
		fail "epub/failed-build-keeps-file" "$tmp/why"
	fi
	rm -f "$tmp/keep.epub"
}

# pdf_tests: the print edition of the real book and of the test books.
pdf_tests() {
	out=$tmp/pdf/$variant
	mkdir -p "$out"
	epub_books > "$tmp/books"
	while read -r name dir; do
		if ! (cd "$tmp" && SOURCE_DATE_EPOCH=1700000000 "$gsi" pdf -q -o "$out/$name.pdf" "$dir") > "$tmp/why" 2>&1; then
			fail "pdf/$name/build" "$tmp/why"
			continue
		fi
		pass "pdf/$name/build"
		# qpdf finds no error and no warning
		if qpdf --check "$out/$name.pdf" > "$tmp/why" 2>&1 && ! grep -qi 'warning' "$tmp/why"; then
			pass "pdf/$name/qpdf-check"
		else
			fail "pdf/$name/qpdf-check" "$tmp/why"
		fi
		# finished: one revision of PDF 1.7 with an /ID, dates with D:,
		# XMP metadata, each page a TrimBox and a BleedBox, each link
		# annotation an OBJR from its element, each page with links
		# /Tabs /S, the outline root a count of the entries shown, and
		# (structure) the alt text and actual text set on the elements
		finished "$out/$name.pdf" "$name" > "$tmp/why" 2>&1
		if [ $? = 0 ]; then
			pass "pdf/$name/finished"
		else
			fail "pdf/$name/finished" "$tmp/why"
		fi
		# fonts: embedded subsets with ToUnicode maps, no Type 3, only ours
		pdffonts "$out/$name.pdf" > "$tmp/fonts" 2>&1
		awk 'NR > 2 {
			if ($0 ~ /Type 3/) { print "a Type 3 font: " $0; bad = 1 }
			n = NF
			if ($(n-4) != "yes" || $(n-2) != "yes") { print "not embedded or no ToUnicode: " $0; bad = 1 }
			name = $1; sub(/^[A-Z]+\+/, "", name)
			if (name !~ /^(LinLibertine|LinBiolinum|DejaVuSansMono|NotoSerifCJKsc|Symbola)/) { print "a font not from fonts/: " $0; bad = 1 }
		} END { exit bad }' "$tmp/fonts" > "$tmp/why" 2>&1
		if [ $? = 0 ] && [ "$(wc -l < "$tmp/fonts")" -gt 2 ]; then
			pass "pdf/$name/fonts"
		else
			cat "$tmp/fonts" >> "$tmp/why"
			fail "pdf/$name/fonts" "$tmp/why"
		fi
		# reproducible: another time zone, directory and time of day
		mkdir -p "$tmp/elsewhere"
		(cd "$tmp/elsewhere" && TZ=America/New_York SOURCE_DATE_EPOCH=1700000000 \
			"$gsi" pdf -q -o "$out/$name.again.pdf" "$dir") > /dev/null 2>&1
		if cmp "$out/$name.pdf" "$out/$name.again.pdf" > "$tmp/why" 2>&1; then
			pass "pdf/$name/reproducible"
		else
			fail "pdf/$name/reproducible" "$tmp/why"
		fi
		rm -f "$out/$name.again.pdf"
		# the layout: headings never end a page; contents give the right pages
		(cd "$tmp" && "$gsi" pdf --dump-layout "$dir") > "$out/$name.layout" 2> "$tmp/why"
		if sh "$top/tests/layout-check.sh" "$out/$name.layout" > "$tmp/why" 2>&1; then
			pass "pdf/$name/layout"
		else
			fail "pdf/$name/layout" "$tmp/why"
		fi
	done < "$tmp/books"

	# Kazakh headings are set in a face that has their letters, not in
	# another weight or slant that fontconfig picks for the language (the
	# book has no emphasis: no italic face may appear)
	if pdffonts "$out/kazakh.pdf" 2>&1 | grep -q 'OI '; then
		pdffonts "$out/kazakh.pdf" > "$tmp/why" 2>&1
		fail "pdf/kazakh/no-mixed-faces" "$tmp/why"
	else
		pass "pdf/kazakh/no-mixed-faces"
	fi

	# a table crossing pages repeats its header row on each; a note too
	# long for its page goes on at the foot of the next
	lay=$out/long.layout
	header_pages=$(awk '/^page /{p=$2} /"Number"$/{print p}' "$lay" | sort -u | wc -l)
	row_pages=$(awk '/^page /{p=$2} / "70"$/{print p}' "$lay")
	last_words=$("$gsi" dump --text "$top/tests/books/long" | sed -n 's/^\[1\] .* \([^ ]* [^ ]*\)$/\1/p')
	note_start=$(awk '/^page /{p=$2} /dest .* fn-1$/{print p}' "$lay")
	note_end=$(awk -v w="$last_words\"" '/^page /{p=$2} index($0, w){print p}' "$lay" | tail -n 1)
	if [ "$header_pages" -ge 2 ] && [ -n "$row_pages" ] && [ -n "$note_start" ] &&
	   [ -n "$note_end" ] && [ "$note_end" -gt "$note_start" ]; then
		pass "pdf/long/header-repeats-note-continues"
	else
		echo "header on $header_pages pages (rows to page $row_pages); note from page $note_start to page $note_end" > "$tmp/why"
		fail "pdf/long/header-repeats-note-continues" "$tmp/why"
	fi

	# total-fit breaking beats first-fit, on the book and on a test text
	# of fifty pages and more: a lower mean adjustment ratio, no overfull
	# line, no widow or orphan, at most two hyphenated lines in a row
	for name in book fifty; do
		case $name in book) dir=$top/book ;; *) dir=$top/tests/books/$name ;; esac
		"$gsi" pdf --stats --dump-layout "$dir" > "$tmp/stats" 2> "$tmp/why"
		awk '
		/^total-fit:/ { s = "kp" } /^first-fit/ { s = "ff" }
		/mean \|r\|/ { for (i = 1; i <= NF; i++) if ($i == "|r|") { mean[s] = $(i + 1) + 0; break } }
		/longest hyphen run/ { run[s] = $NF + 0 }
		/overfull lines/ { over[s] = $3 + 0 }
		/^  widows/ { w = $2 + 0; o = $4 + 0 }
		/^page / { pages++ }
		END {
			printf "total-fit mean |r| %.3f, first-fit %.3f; overfull %d; widows %d, orphans %d; hyphen run %d; %d pages\n", mean["kp"], mean["ff"], over["kp"], w, o, run["kp"], pages
			exit !(mean["kp"] < mean["ff"] && over["kp"] == 0 && w == 0 && o == 0 && run["kp"] <= 2 && (name != "fifty" || pages >= 50))
		}' name="$name" "$tmp/stats" > "$tmp/why" 2>&1
		if [ $? = 0 ]; then pass "pdf/$name/total-fit"; else fail "pdf/$name/total-fit" "$tmp/why"; fi
	done

	# ... and the layout check finds a wrong contents page and a heading
	# left at the foot of a page
	sed '0,/w=[0-9.]* "3"$/s//w=5.00 "4"/' "$out/book.layout" > "$tmp/bad.layout"
	{
		printf 'page 98 y recto at 50.00\n  tag P\n  text 50 10 w=9999 "overfull"\n'
		printf '  text 50 20 w=10 "a\302\255"\n  text 50 30 w=10 "b\302\255"\n  text 50 40 w=10 "c\302\255"\n'
		printf '  text 50 50 w=10 "d"\n  tag P\n  text 50 60 w=10 "orphan"\n'
		printf 'page 99 x recto at 50.00\n  text 50 10 w=10 "rest"\n  end\n  tag H2\n  text 1 1 w=1 "x"\n  end\n'
	} >> "$tmp/bad.layout"
	sh "$top/tests/layout-check.sh" "$tmp/bad.layout" > "$tmp/why" 2>&1
	if grep -q 'says page "4"' "$tmp/why" && grep -q 'page 99 .* ends with a heading' "$tmp/why" &&
	   grep -q 'past the measure' "$tmp/why" && grep -q 'more than two hyphenated' "$tmp/why" &&
	   grep -q 'an orphan' "$tmp/why"; then
		pass "pdf/layout-check-finds-problems"
	else
		fail "pdf/layout-check-finds-problems" "$tmp/why"
	fi

	# every word of the article, in order, in the PDF's text: the text
	# block only (running heads and folios lie outside it), without the
	# footnotes that interrupt it at the foot of a page, and without note
	# marks (superscript digits, not words)
	set -- $(sed -n '1s/.* x \([0-9.]*\), text block \([0-9.]*\) to \([0-9.]*\),.*/\1 \2 \3/p' "$out/book.layout")
	pdftotext -enc UTF-8 -x 0 -y "${2%.*}" -W "${1%.*}" -H "$(( ${3%.*} - ${2%.*} + 1 ))" \
		"$out/book.pdf" - 2> "$tmp/why" |
		sed 's/⁰//g; s/¹//g; s/²//g; s/³//g; s/⁴//g; s/⁵//g; s/⁶//g; s/⁷//g; s/⁸//g; s/⁹//g' |
		unhyphenate > "$tmp/pdftext"
	"$gsi" dump --text "$top/book" | sed -n 's/^\[\([0-9]*\)\] /\1 /p' > "$tmp/notes"
	without_notes "$tmp/notes" "$tmp/pdftext" > "$tmp/pdfwords"
	if words "$top/tests/data/article.txt" "$tmp/pdfwords" > "$tmp/why" 2>&1; then
		pass "pdf/book/words"
	else
		fail "pdf/book/words" "$tmp/why"
	fi
	# page labels: roman, then arabic from the first chapter
	qpdf --json --json-key=pagelabels "$out/book.pdf" > "$tmp/labels" 2>&1
	# (roman as a style, /S /r, or as cairo writes them, labels "i", "ii")
	if { grep -q '"/S": "/r"' "$tmp/labels" || grep -q '"/P": "u:i"' "$tmp/labels"; } &&
	   grep -q '"/S": "/D"' "$tmp/labels"; then
		pass "pdf/book/page-labels"
	else
		fail "pdf/book/page-labels" "$tmp/labels"
	fi
	# the outline has one entry per heading
	headings=$("$gsi" dump "$top/book" | grep -c '^ *heading ')
	entries=$(qpdf --json --json-key=outlines "$out/book.pdf" | grep -c '"title":')
	if [ "$headings" = "$entries" ] && [ "$headings" -gt 0 ]; then
		pass "pdf/book/outline"
	else
		echo "$headings headings, $entries outline entries" > "$tmp/why"
		fail "pdf/book/outline" "$tmp/why"
	fi
	# printer profiles: the MediaBox is the trim plus the profile's bleed,
	# the TrimBox the trim; qpdf finds nothing; kdp has no annotations and
	# no bookmarks; ingram ends on a blank page of an even count
	for spec in "screen 0 0" "kdp 9 18" "ingram 0 0" "lulu 18 18" "office 0 0"; do
		set -- $spec
		profile=$1
		"$gsi" pdf -q --profile "$profile" -o "$tmp/$profile.pdf" "$top/book" > "$tmp/why" 2>&1
		pdfinfo -box "$tmp/$profile.pdf" > "$tmp/boxes" 2>> "$tmp/why"
		qpdf --check "$tmp/$profile.pdf" >> "$tmp/why" 2>&1; qstatus=$?
		awk -v bw="$2" -v bh="$3" '
			/^Pages:/ { pages = $2 }
			/^MediaBox:/ { mw = $4 - $2; mh = $5 - $3 }
			/^TrimBox:/ { tw = $4 - $2; th = $5 - $3 }
			END {
				d = mw - tw - bw; e = mh - th - bh
				if (d < -0.01 || d > 0.01 || e < -0.01 || e > 0.01) { print "MediaBox " mw "x" mh ", TrimBox " tw "x" th; exit 1 }
			}' "$tmp/boxes" >> "$tmp/why" 2>&1; bstatus=$?
		extra=0
		if [ "$profile" = kdp ]; then
			qpdf --qdf --object-streams=disable "$tmp/kdp.pdf" "$tmp/kdp.qdf" 2>> "$tmp/why"
			grep -a -q -e '/Annots' -e '/Outlines' "$tmp/kdp.qdf" && { echo "kdp has /Annots or /Outlines" >> "$tmp/why"; extra=1; }
		fi
		if [ "$profile" = ingram ]; then
			pages=$(sed -n 's/^Pages: *//p' "$tmp/boxes")
			[ $((pages % 2)) = 0 ] || { echo "ingram: $pages pages" >> "$tmp/why"; extra=1; }
			last=$(pdftotext -f "$pages" -l "$pages" "$tmp/ingram.pdf" - | tr -d ' \n\f')
			[ -z "$last" ] || { echo "ingram: the last page is not blank" >> "$tmp/why"; extra=1; }
		fi
		if [ $qstatus = 0 ] && [ $bstatus = 0 ] && [ $extra = 0 ] && ! grep -qi warning "$tmp/why"; then
			pass "pdf/profile/$profile"
		else
			fail "pdf/profile/$profile" "$tmp/why"
		fi
	done
	# crop marks and gray: a valid PDF, larger than the bleed
	if "$gsi" pdf -q --profile lulu --marks --gray -o "$tmp/marks.pdf" "$top/tests/books/structure" > "$tmp/why" 2>&1 &&
	   qpdf --check "$tmp/marks.pdf" >> "$tmp/why" 2>&1 &&
	   pdfinfo -box "$tmp/marks.pdf" | awk '/^MediaBox:/ { mw = $4 } /^BleedBox:/ { bw = $4 - $2 } END { exit !(mw > bw + 1) }'; then
		pass "pdf/marks-and-gray"
	else
		fail "pdf/marks-and-gray" "$tmp/why"
	fi
	# kdp allows no crop marks
	if "$gsi" pdf -q --profile kdp --marks -o "$tmp/nomarks.pdf" "$top/book" > /dev/null 2>&1; then
		echo "kdp took --marks" > "$tmp/why"; fail "pdf/kdp-refuses-marks" "$tmp/why"
	else
		pass "pdf/kdp-refuses-marks"
	fi
	# a booklet of a ten-page book: padded to twelve, six sides; the first
	# sheet is 12|1 then 2|11 (12 and 11 are blanks)
	"$gsi" pdf -q --booklet -o "$tmp/ten.pdf" "$top/tests/books/ten" > "$tmp/why" 2>&1
	half() { pdftotext -f "$1" -l "$1" -x "$2" -y 0 -W 421 -H 596 "$tmp/ten.pdf" - 2>/dev/null | tr -s ' \n\f' ' ' | sed 's/^ //; s/ $//'; }
	s1l=$(half 1 0); s1r=$(half 1 421); s2l=$(half 2 0); s2r=$(half 2 421)
	sides=$(pdfinfo "$tmp/ten.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
	if [ "$sides" = 6 ] && [ -z "$s1l" ] && [ -z "$s2r" ] &&
	   echo "$s1r" | grep -q '^Ten Pages' && echo "$s2l" | grep -q 'Fonts: '; then
		pass "pdf/booklet-ten-pages"
	else
		printf 'sides %s\n1 left: %s\n1 right: %s\n2 left: %s\n2 right: %s\n' "$sides" "$s1l" "$s1r" "$s2l" "$s2r" >> "$tmp/why"
		fail "pdf/booklet-ten-pages" "$tmp/why"
	fi

	# a booklet: landscape sheets, two pages a side, padded to 4
	pages=$(pdfinfo "$out/structure.pdf" | sed -n 's/^Pages: *//p')
	"$gsi" pdf -q --booklet -o "$tmp/booklet.pdf" "$top/tests/books/structure" > "$tmp/why" 2>&1
	pdfinfo "$tmp/booklet.pdf" > "$tmp/binfo" 2>> "$tmp/why"
	sides=$(sed -n 's/^Pages: *//p' "$tmp/binfo")
	if [ "$sides" = $(( (pages + 3) / 4 * 2 )) ] && grep -q 'Page size: *841.89 x 595.27' "$tmp/binfo" &&
	   qpdf --check "$tmp/booklet.pdf" >> "$tmp/why" 2>&1; then
		pass "pdf/booklet"
	else
		cat "$tmp/binfo" >> "$tmp/why"
		fail "pdf/booklet" "$tmp/why"
	fi

	# gsi-book all: the EPUB carries the PDF's pages: a page-list with
	# the same labels, and each marker where that page's text begins
	rm -rf "$tmp/all"
	(cd "$tmp" && SOURCE_DATE_EPOCH=1700000000 "$gsi" all -q -o "$tmp/all" "$top/book") > "$tmp/why" 2>&1
	paged=$(ls "$tmp"/all/*.epub 2>/dev/null)
	allpdf=$(ls "$tmp"/all/*.pdf 2>/dev/null)
	bad=0
	if [ -n "$paged" ] && [ -n "$allpdf" ]; then
		cp "$paged" "$tmp/epub/$variant/book-paged.epub"
		"$top/build/epub-inspect" pages "$paged" > "$tmp/marks" 2>> "$tmp/why"
		cut -f1 "$tmp/marks" > "$tmp/epub-labels"
		awk '/^page /{print $3}' "$out/book.layout" > "$tmp/pdf-labels"
		cmp -s "$tmp/epub-labels" "$tmp/pdf-labels" || { echo "page-list labels differ from the PDF's" >> "$tmp/why"; diff "$tmp/epub-labels" "$tmp/pdf-labels" >> "$tmp/why"; bad=1; }
		set -- $(sed -n '1s/.* x \([0-9.]*\), text block \([0-9.]*\) to \([0-9.]*\),.*/\1 \2 \3/p' "$out/book.layout")
		n=0
		while IFS="$(printf '\t')" read -r label words; do
			n=$((n + 1))
			first=$(echo "$words" | awk '{print $1}')
			page=$(pdftotext -enc UTF-8 -f $n -l $n -x 0 -y "${2%.*}" -W "${1%.*}" -H "$(( ${3%.*} - ${2%.*} + 1 ))" "$allpdf" - 2>/dev/null |
				sed 's/⁰//g; s/¹//g; s/²//g; s/³//g; s/⁴//g; s/⁵//g; s/⁶//g; s/⁷//g; s/⁸//g; s/⁹//g' |
				tr -s ' \n\f' '  ' | awk 'NF {print $1, $2, $3, $4}')
			[ -z "$page" ] && continue    # a blank page
			case $label in *[!0-9]*) continue ;; esac   # the front matter
			case " $page " in *" $first "*) ;; *) echo "page $label: the EPUB's marker is before \"$first\", the PDF's page begins \"$page\"" >> "$tmp/why"; bad=1 ;; esac
		done < "$tmp/marks"
	else
		bad=1
	fi
	if [ $bad = 0 ]; then pass "all/page-numbers"; else fail "all/page-numbers" "$tmp/why"; fi

	# previews: pictures of the right size for their resolution, with ink
	rm -rf "$tmp/preview"
	"$gsi" preview -q --pages 5-6 --dpi 72 -o "$tmp/preview" "$top/book" > "$tmp/why" 2>&1
	set -- $(sed -n '1s/^layout \([0-9.]*\) x \([0-9.]*\),.*/\1 \2/p' "$out/book.layout")
	want="$(awk -v w="$1" -v h="$2" 'BEGIN { printf "%d %d", int(w + 0.5), int(h + 0.5) }')"
	bad=0
	for f in page-005 page-006 contact; do
		"$top/build/png-inspect" "$tmp/preview/$f.png" > "$tmp/png" 2>> "$tmp/why" || bad=1
		read -r pw ph inked < "$tmp/png" || bad=1
		[ "${inked:-0}" -gt 1000 ] || { echo "$f.png is blank" >> "$tmp/why"; bad=1; }
		if [ "$f" != contact ] && [ "$pw $ph" != "$want" ]; then
			echo "$f.png is $pw x $ph, not $want" >> "$tmp/why"; bad=1
		fi
	done
	[ -f "$tmp/preview/spread-006.png" ] || { echo "no spread" >> "$tmp/why"; bad=1; }
	if [ $bad = 0 ]; then pass "preview/book"; else fail "preview/book" "$tmp/why"; fi

	# a failed build leaves an existing PDF as it was
	cp "$out/book.pdf" "$tmp/keep.pdf"
	"$gsi" pdf -q -o "$tmp/keep.pdf" "$top/tests/cases/footnote-undefined/book" > /dev/null 2>&1
	if cmp -s "$out/book.pdf" "$tmp/keep.pdf" &&
	   [ "$(find "$tmp" -maxdepth 1 -name 'keep.pdf?*' | wc -l)" = 0 ]; then
		pass "pdf/failed-build-keeps-file"
	else
		echo "a failed build changed the previous PDF or left a temporary file" > "$tmp/why"
		fail "pdf/failed-build-keeps-file" "$tmp/why"
	fi
	rm -f "$tmp/keep.pdf"
	print_books_tests
}

# ---- issue 18, print edition (notes, tables, title page, code) ----
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

# print_books_tests: run at the end of pdf_tests, on the PDFs it built
# from tests/books/ ($out/NAME.pdf).
print_books_tests() {
	# notes hold lists, quotations, code and several paragraphs: every
	# word of every note is in the PDF, in order (a note that runs on to
	# the next page included)
	"$gsi" dump --text "$top/tests/books/notes" |
		sed -n '/^\[1\] /,$p' | sed 's/^\[[0-9]*\] //' > "$tmp/note-words"
	pdftotext -enc UTF-8 "$out/notes.pdf" - 2> "$tmp/why" | unhyphenate > "$tmp/note-pdf"
	if in_order "$tmp/note-words" "$tmp/note-pdf" >> "$tmp/why" 2>&1 &&
	   [ "$(wc -w < "$tmp/note-words")" -gt 300 ]; then
		pass "pdf/notes/every-block"
	else
		fail "pdf/notes/every-block" "$tmp/why"
	fi

	# tables wider than the measure (twelve columns of dates and numbers;
	# 400 rows with a description of 5 to 40 words): every word and
	# number of every cell is one word of the PDF (never broken inside),
	# every word lies inside the page's margins, and the book takes a
	# reasonable number of pages
	pdftotext -bbox-layout "$out/tables.pdf" - 2> "$tmp/why" |
		sed -n 's/.*<word xMin="\([0-9.]*\)" yMin="[0-9.]*" xMax="\([0-9.]*\)" yMax="[0-9.]*">\(.*\)<\/word>.*/\1 \2 \3/p' \
		> "$tmp/table-words"
	cat "$top"/tests/books/tables/*.md | grep '^|' | grep -v '^|[-:|]*$' |
		tr '|' '\n' | tr ' ' '\n' | grep -v '^$' > "$tmp/cell-words"
	pages=$(pdfinfo "$out/tables.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
	width=$(pdfinfo "$out/tables.pdf" 2>/dev/null | sed -n 's/^Page size: *\([0-9.]*\) .*/\1/p')
	awk -v width="$width" -v margin=42.5 '
	FNR == 1 { file++ }
	file == 1 { want[$0]++; n++; next }
	{
		w = $3; for (i = 4; i <= NF; i++) w = w " " $i
		got[w]++
		if ($1 < margin - 1 || $2 > width - margin + 1) { printf "\"%s\" lies outside the margins (x %s to %s)\n", w, $1, $2; bad = 1 }
	}
	END {
		for (w in want) if (got[w] < want[w]) { printf "\"%s\": %d in the cells, %d whole in the PDF\n", w, want[w], got[w]; bad = 1 }
		exit bad || n < 1000
	}' "$tmp/cell-words" "$tmp/table-words" > "$tmp/why" 2>&1
	status=$?
	[ "${pages:-999}" -le 80 ] || { echo "$pages pages" >> "$tmp/why"; status=1; }
	if [ $status = 0 ]; then
		pass "pdf/tables/whole-words-in-page"
	else
		head -n 20 "$tmp/why" > "$tmp/why2"; fail "pdf/tables/whole-words-in-page" "$tmp/why2"
	fi

	# a title of 200 characters, a subtitle and five contributors: the
	# title page is one page (every word of the title, the contributors
	# and the publisher on page 1), the copyright page its verso
	: > "$tmp/why"
	pdftotext -enc UTF-8 -f 1 -l 1 "$out/long-title.pdf" "$tmp/p1" 2>> "$tmp/why"
	pdftotext -enc UTF-8 -f 2 -l 2 "$out/long-title.pdf" "$tmp/p2" 2>> "$tmp/why"
	sed -n 's/^title: "\(.*\)"$/\1/p; s/^subtitle: "\(.*\)"$/\1/p; s/^ *- name: //p; s/^ *affiliation: //p; s/^publisher: //p' \
		"$top/tests/books/long-title/book.yaml" > "$tmp/title-words"
	tr -d ',' < "$tmp/p1" > "$tmp/p1-words"   # (a name, then its role: "Name, editor")
	tr -d ',' < "$tmp/title-words" > "$tmp/title-words2"
	in_order "$tmp/title-words2" "$tmp/p1-words" >> "$tmp/why" 2>&1 || echo "(page 1)" >> "$tmp/why"
	grep -q '^Fonts: ' "$tmp/p2" || echo "page 2 is not the copyright page" >> "$tmp/why"
	if [ ! -s "$tmp/why" ] && [ "$(wc -w < "$tmp/title-words")" -gt 60 ]; then
		pass "pdf/long-title/one-page"
	else
		fail "pdf/long-title/one-page" "$tmp/why"
	fi

	# code: a line too long for the measure goes on after a continuation
	# mark, with every word of it in order
	pdftotext -enc UTF-8 "$out/code.pdf" "$tmp/code-text" 2> "$tmp/why"
	grep '^call_long(' "$top/tests/books/code/code.md" > "$tmp/code-long"
	sed -n '/^call_long(/,/^call_short/p' "$tmp/code-text" > "$tmp/code-set"
	if [ "$(grep -c '^↪ ' "$tmp/code-set")" -ge 1 ] &&
	   [ "$(grep -vc '^↪ ' "$tmp/code-set")" = 2 ] &&
	   sed 's/^↪ //' "$tmp/code-set" > "$tmp/code-words" &&
	   in_order "$tmp/code-long" "$tmp/code-words" >> "$tmp/why" 2>&1; then
		pass "pdf/code/continuation-mark"
	else
		cat "$tmp/code-set" >> "$tmp/why"; fail "pdf/code/continuation-mark" "$tmp/why"
	fi
	# ... Latin, Cyrillic and Greek in code are in one monospaced face:
	# ten letters of each take the same width on the page
	pdftotext -bbox-layout "$out/code.pdf" - 2> "$tmp/why" |
		sed -n 's/.*<word xMin="\([0-9.]*\)" yMin="[0-9.]*" xMax="\([0-9.]*\)" yMax="[0-9.]*">\(abcdefghij\|абвгдежзий\|αβγδεζηθικ\)<\/word>.*/\3 \1 \2/p' \
		> "$tmp/mono"
	if awk '{ w = $3 - $2; if (NR == 1) first = w; else if (w - first > 0.05 || first - w > 0.05) bad = 1; print $1, w }
		END { exit bad || NR != 3 }' "$tmp/mono" >> "$tmp/why" 2>&1; then
		pass "pdf/code/mono-scripts"
	else
		fail "pdf/code/mono-scripts" "$tmp/why"
	fi
	# ... and a block crossing pages leaves at least two of its lines at
	# the foot and takes at least two to the head (its lines begin with
	# "call_step_"; every block has four or more), and --stats finds no
	# widow and no orphan
	: > "$tmp/why"
	"$gsi" pdf --stats --dump-layout "$top/tests/books/code" > "$tmp/code-stats" 2>> "$tmp/why"
	grep -q '^  widows 0, orphans 0$' "$tmp/code-stats" ||
		grep '^  widows' "$tmp/code-stats" >> "$tmp/why"
	set -- $(sed -n 's/^layout .* x \([0-9.]*\), text block \([0-9.]*\) to \([0-9.]*\),.*/\1 \2 \3/p' "$tmp/code-stats")
	pages=$(pdfinfo "$out/code.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
	crossing=0
	for p in $(seq 1 "${pages:-0}"); do
		pdftotext -enc UTF-8 -f "$p" -l "$p" -x 0 -y "${2%.*}" -W "${1%.*}" -H "$(( ${3%.*} - ${2%.*} + 1 ))" \
			"$out/code.pdf" - 2> /dev/null | grep -v '^[[:space:]]*$' > "$tmp/page"
		awk -v p="$p" '
		{ code[NR] = ($0 ~ /^call_step_/) }
		END {
			if (!NR) exit
			for (h = 0; h < NR && code[h + 1]; h++) ;
			for (f = 0; f < NR && code[NR - f]; f++) ;
			if (h == 1 && h < NR) print "page " p ": one line of code alone at the head"
			if (f == 1 && f < NR) print "page " p ": one line of code alone at the foot"
			if (h > 1 && h < NR) print "crossing"
		}' "$tmp/page" >> "$tmp/why"
	done
	crossing=$(grep -c '^crossing$' "$tmp/why")
	sed -i '/^crossing$/d' "$tmp/why"
	if [ ! -s "$tmp/why" ] && [ "$crossing" -ge 3 ]; then
		pass "pdf/code/no-lone-lines"
	else
		echo "($crossing blocks cross a page)" >> "$tmp/why"; fail "pdf/code/no-lone-lines" "$tmp/why"
	fi
}

# empty_link_epub_tests: an empty link ([x]() or [x](<>)) is its text in the
# EPUB as in print: no <a href="">, which points back at the chapter.  The
# EPUB goes with the variant's others, so EPUBCheck checks it too.
empty_link_epub_tests() {
	out=$tmp/epub/$variant
	mkdir -p "$out"
	: > "$tmp/why"
	(cd "$tmp" && SOURCE_DATE_EPOCH=1700000000 "$gsi" epub -q -o "$out/link-empty.epub" \
		"$top/tests/data/link-empty") >> "$tmp/why" 2>&1 || echo "the EPUB failed" >> "$tmp/why"
	unzip -p "$out/link-empty.epub" 'EPUB/text/*.xhtml' > "$tmp/link.xhtml" 2>> "$tmp/why"
	grep -n 'href=""' "$tmp/link.xhtml" >> "$tmp/why"
	grep -q 'Some text with an empty link here' "$tmp/link.xhtml" ||
		echo "the first empty link is not plain text" >> "$tmp/why"
	grep -q 'and another there' "$tmp/link.xhtml" ||
		echo "the second empty link is not plain text" >> "$tmp/why"
	if [ -s "$tmp/why" ]; then fail "epub/link-empty-is-text" "$tmp/why"; else
		pass "epub/link-empty-is-text"; fi
}

# landscape_table_tests: tests/books/landscape holds a table of eleven
# columns too wide for the measure even at print.table-min-scale; print
# sets it turned a quarter on pages of its own (the page upright, its
# running head and folio too), and check, by the same decision, passes it.
# Read from the PDF pdf_tests built ($tmp/pdf/VARIANT/landscape.pdf).
landscape_table_tests() {
	pdf=$tmp/pdf/$variant/landscape.pdf
	book=$top/tests/books/landscape
	: > "$tmp/why"
	"$gsi" check -q "$book" >> "$tmp/why" 2>&1 || echo "check refuses the book" >> "$tmp/why"
	"$gsi" pdf --dump-layout "$book" > "$tmp/land.layout" 2>> "$tmp/why"
	turned=$(awk '/^page / { p = $2 } /^turned / { printf "%s ", p }' "$tmp/land.layout")
	[ -n "$turned" ] || echo "no page is turned" >> "$tmp/why"
	# the cells' words, in order, and the PDF's words with their boxes
	grep '^|' "$book/ledger.md" | grep -v '^|[-:|]*$' | sed 's/\[^[a-z]*\]//g' |
		tr '|' '\n' | tr ' ' '\n' | grep -v '^$' > "$tmp/land-cells"
	pdftotext -bbox-layout "$pdf" - 2>> "$tmp/why" | sed 's/\xc2\xb9//g' | awk '
	/<page / { p++ }
	/<word / {
		match($0, /xMin="[0-9.]*"/); x0 = substr($0, RSTART + 6, RLENGTH - 7)
		match($0, /yMin="[0-9.]*"/); y0 = substr($0, RSTART + 6, RLENGTH - 7)
		match($0, /xMax="[0-9.]*"/); x1 = substr($0, RSTART + 6, RLENGTH - 7)
		match($0, /yMax="[0-9.]*"/); y1 = substr($0, RSTART + 6, RLENGTH - 7)
		w = $0; sub(/.*">/, "", w); sub(/<\/word>.*/, "", w)
		print p, x0, y0, x1, y1, w
	}' > "$tmp/land-words"
	top_y=$(sed -n 's/.*text block \([0-9.]*\) to .*/\1/p' "$tmp/land.layout")
	bottom_y=$(sed -n 's/.*text block [0-9.]* to \([0-9.]*\),.*/\1/p' "$tmp/land.layout")
	width=$(sed -n 's/^layout \([0-9.]*\) x .*/\1/p' "$tmp/land.layout")
	# every cell word whole; on a turned page, every word of the text
	# block turned (taller than wide) and inside it, and the words above
	# it (running head, folio) upright
	awk -v turned=" $turned" -v top="$top_y" -v bottom="$bottom_y" -v width="$width" '
	FNR == 1 { file++ }
	file == 1 { want[$0]++; n++; next }
	{
		w = $6; for (i = 7; i <= NF; i++) w = w " " $i
		got[w]++
		if (index(turned, " " $1 " ") == 0) next
		# (a word of one or two letters is about as tall as wide)
		tall = ($5 - $3) > ($4 - $2)
		if (length(w) < 3) tall = -1
		if ($5 <= top + 1) {
			if (tall == 1) { printf "page %d: \"%s\" above the text block is turned\n", $1, w; bad = 1 }
			heads[$1]++
			next
		}
		if (tall == 0) { printf "page %d: \"%s\" is not turned\n", $1, w; bad = 1 }
		if ($3 < top - 1 || $5 > bottom + 1 || $2 < 42.5 - 1 || $4 > width - 42.5 + 1) {
			printf "page %d: \"%s\" lies outside the text block\n", $1, w; bad = 1
		}
	}
	END {
		for (w in want) if (got[w] < want[w]) { printf "\"%s\": %d in the cells, %d whole in the PDF\n", w, want[w], got[w]; bad = 1 }
		np = split(turned, ps, " ")
		for (i = 1; i <= np; i++) if (!heads[ps[i]]) { printf "page %s has no running head\n", ps[i]; bad = 1 }
		exit bad || n < 500
	}' "$tmp/land-cells" "$tmp/land-words" >> "$tmp/why" 2>&1 || echo "(the words above)" >> "$tmp/why"
	# the page is upright: no /Rotate
	pdfinfo -f 1 -l 99 "$pdf" 2>> "$tmp/why" | grep ' rot: ' | grep -v ' rot: *0$' >> "$tmp/why"
	# the text reads in order: the cells row by row, then the text after
	# the table, then the note (in the content's order and as laid out)
	cp "$tmp/land-cells" "$tmp/land-order"
	printf 'The text goes on upright after the\nThis amount was audited twice.\n' >> "$tmp/land-order"
	for mode in -raw -layout; do
		pdftotext $mode -enc UTF-8 "$pdf" - 2>> "$tmp/why" | sed 's/\xc2\xb9//g' > "$tmp/land-text"
		in_order "$tmp/land-order" "$tmp/land-text" > "$tmp/why-order" 2>&1 ||
			{ echo "pdftotext $mode:"; cat "$tmp/why-order"; } >> "$tmp/why"
	done
	if [ -s "$tmp/why" ]; then
		head -n 20 "$tmp/why" > "$tmp/why2"; fail "pdf/landscape/turned-table" "$tmp/why2"
	else
		pass "pdf/landscape/turned-table"
	fi
}

# the picture tests (image_tests), in a file of their own
. "$top/tests/images.sh"
# ---- dates (issue 18, defect 1) ----
# dates_tests: a book dated any day of the years 0001 to 9999 builds both
# editions, and every field that takes a date says that day, read from the
# output: the OPF's dc:date and dcterms:modified, the PDF's Info dates (raw,
# and as Poppler reads them) and XMP, the zip entries' times (clamped into
# 1980..2107, what zip can hold) and the copyright page; SOURCE_DATE_EPOCH
# may be negative (before 1970), and one outside those years is refused
# with its reason.
dates_tests() {
	for spec in "1818 1818-01-01 19800101.000000" "0001 0001-01-01 19800101.000000" \
		    "9999-12-31 9999-12-31 21071231.235958" "1980-01-01 1980-01-01 19800101.000000" \
		    "2107-12-31 2107-12-31 21071231.000000" "2108-05 2108-05-01 21071231.235958" \
		    "1929-12-31 1929-12-31 19800101.000000" "1930 1930-01-01 19800101.000000"; do
		set -- $spec
		date=$1 day=$2 ztime=$3
		name=dates/$date
		rm -rf "$tmp/dated" "$tmp/dated-out" "$tmp/dated.qdf"
		cp -R "$top/tests/books/ten" "$tmp/dated"
		sed -i "s/^date:.*/date: $date/" "$tmp/dated/book.yaml"
		: > "$tmp/why"
		(cd "$tmp" && env -u SOURCE_DATE_EPOCH "$gsi" all -q -o "$tmp/dated-out" "$tmp/dated") \
			> "$tmp/why" 2>&1 || echo "gsi-book all failed (exit $?)" >> "$tmp/why"
		epub=$tmp/dated-out/ten-pages.epub pdf=$tmp/dated-out/ten-pages.pdf
		"$top/build/epub-inspect" cat "$epub" EPUB/package.opf > "$tmp/opf" 2>> "$tmp/why"
		grep -q "<dc:date>$date</dc:date>" "$tmp/opf" || echo "no dc:date $date" >> "$tmp/why"
		grep -q "<meta property=\"dcterms:modified\">${day}T00:00:00Z</meta>" "$tmp/opf" ||
			{ echo "dcterms:modified is not ${day}T00:00:00Z:"; grep modified "$tmp/opf"; } >> "$tmp/why"
		# the PDF's dates: D:YYYYMMDDhhmmss, with Z from 1930 (Poppler
		# reads a longer date of an earlier year as another year)
		d8=$(echo "$day" | tr -d -)
		raw="D:${d8}000000"
		[ "${day%%-*}" -ge 1930 ] && raw="${raw}Z"
		pdfinfo -rawdates "$pdf" > "$tmp/info" 2>> "$tmp/why"
		pdfinfo -isodates "$pdf" > "$tmp/isoinfo" 2>> "$tmp/why"
		for key in CreationDate ModDate; do
			grep -q "^$key: *$raw\$" "$tmp/info" || { echo "$key is not $raw:"; grep "$key" "$tmp/info"; } >> "$tmp/why"
			grep -q "^$key: *${day}T00:00:00" "$tmp/isoinfo" ||
				{ echo "pdfinfo reads $key as another day than $day:"; grep "$key" "$tmp/isoinfo"; } >> "$tmp/why"
		done
		qpdf --qdf --object-streams=disable "$pdf" "$tmp/dated.qdf" 2>> "$tmp/why"
		for key in CreateDate ModifyDate MetadataDate; do
			grep -aq "<xmp:$key>${day}T00:00:00Z</xmp:$key>" "$tmp/dated.qdf" 2>> "$tmp/why" ||
				echo "XMP $key is not ${day}T00:00:00Z" >> "$tmp/why"
		done
		# zip entry times: clamped into what zip holds
		zipinfo -T "$epub" 2>> "$tmp/why" | awk '/^-/ { print $7 }' | sort -u > "$tmp/ztimes"
		[ "$(cat "$tmp/ztimes")" = "$ztime" ] ||
			{ echo "zip entry times, expected $ztime:"; cat "$tmp/ztimes"; } >> "$tmp/why"
		# the copyright page (page 2) names the date
		pdftotext -f 2 -l 2 "$pdf" - 2>> "$tmp/why" | grep -q "^Date: $date\$" ||
			echo "the copyright page does not say 'Date: $date'" >> "$tmp/why"
		if [ -s "$tmp/why" ]; then fail "$name" "$tmp/why"; else pass "$name"; fi
	done
	# preview and pdf of a book dated 1818 (the last one built above is
	# 1930: date it again)
	: > "$tmp/why"
	sed -i "s/^date:.*/date: 1818/" "$tmp/dated/book.yaml"
	rm -rf "$tmp/dated-pv"
	(cd "$tmp" && env -u SOURCE_DATE_EPOCH "$gsi" preview -q --pages 1-1 --dpi 20 -o "$tmp/dated-pv" "$tmp/dated" &&
	 env -u SOURCE_DATE_EPOCH "$gsi" pdf -q -o "$tmp/dated-pv/book.pdf" "$tmp/dated") >> "$tmp/why" 2>&1 ||
		echo "preview or pdf of a book dated 1818 failed" >> "$tmp/why"
	[ -f "$tmp/dated-pv/page-001.png" ] && [ -f "$tmp/dated-pv/book.pdf" ] || echo "no page-001.png or book.pdf" >> "$tmp/why"
	rm -rf "$tmp/dated-pv"
	if [ -s "$tmp/why" ]; then fail "dates/preview-and-pdf-1818" "$tmp/why"; else pass "dates/preview-and-pdf-1818"; fi
	# SOURCE_DATE_EPOCH before 1970, and outside the years 0001 to 9999
	: > "$tmp/why"
	(cd "$tmp" && SOURCE_DATE_EPOCH=-4796668800 "$gsi" epub -q -o "$tmp/sde.epub" "$top/tests/books/ten") >> "$tmp/why" 2>&1 ||
		echo "a negative SOURCE_DATE_EPOCH failed" >> "$tmp/why"
	"$top/build/epub-inspect" cat "$tmp/sde.epub" EPUB/package.opf 2>> "$tmp/why" |
		grep -q '<meta property="dcterms:modified">1818-01-01T00:00:00Z</meta>' ||
		echo "SOURCE_DATE_EPOCH=-4796668800 is not 1818-01-01" >> "$tmp/why"
	(cd "$tmp" && SOURCE_DATE_EPOCH=253402300800 "$gsi" pdf -q -o "$tmp/sde.pdf" "$top/tests/books/ten") > "$tmp/sde.err" 2>&1
	status=$?
	{ [ "$status" = 1 ] && [ ! -e "$tmp/sde.pdf" ] &&
	  grep -q "^gsi-book: error: SOURCE_DATE_EPOCH '253402300800' lies outside the years 0001 to 9999" "$tmp/sde.err"; } ||
		{ echo "SOURCE_DATE_EPOCH past 9999: exit $status"; cat "$tmp/sde.err"; } >> "$tmp/why"
	rm -f "$tmp/sde.epub" "$tmp/sde.pdf"
	if [ -s "$tmp/why" ]; then fail "dates/source-date-epoch" "$tmp/why"; else pass "dates/source-date-epoch"; fi
}

# ---- the command line's -o (issue 18, defect 22) ----
# output_tests: -o naming a folder (one that exists, or a name ending in
# '/') writes the edition into it under its default name; -o naming a file
# writes that file; 'all -o x.pdf' is refused (exit 2) and makes nothing.
output_tests() {
	d=$tmp/output
	rm -rf "$d"
	mkdir -p "$d/existing"
	: > "$tmp/why"
	book=$top/tests/books/ten
	(cd "$d" && "$gsi" epub -q -o existing/ "$book" && "$gsi" pdf -q -o existing "$book" &&
	 "$gsi" epub -q -o made/ "$book" && "$gsi" pdf -q -o one.pdf "$book" &&
	 "$gsi" all -q -o both "$book") >> "$tmp/why" 2>&1 || echo "a build failed" >> "$tmp/why"
	(cd "$d" && "$gsi" all -q -o x.pdf "$book") > "$tmp/refused" 2>&1
	[ $? = 2 ] || echo "all -o x.pdf did not end with exit status 2" >> "$tmp/why"
	(cd "$d" && find . | LC_ALL=C sort) > "$tmp/made"
	printf '%s\n' . ./both ./both/ten-pages.epub ./both/ten-pages.pdf ./existing \
		./existing/ten-pages.epub ./existing/ten-pages.pdf ./made ./made/ten-pages.epub \
		./one.pdf > "$tmp/want"
	diff -u "$tmp/want" "$tmp/made" >> "$tmp/why" 2>&1 || echo "(not the files expected)" >> "$tmp/why"
	for f in existing/ten-pages.pdf one.pdf both/ten-pages.pdf; do
		qpdf --check "$d/$f" > /dev/null 2>&1 || echo "$f is not a valid PDF" >> "$tmp/why"
	done
	for f in existing/ten-pages.epub made/ten-pages.epub both/ten-pages.epub; do
		"$top/build/epub-inspect" check "$d/$f" > /dev/null 2>&1 || echo "$f is not a valid EPUB" >> "$tmp/why"
	done
	if [ -s "$tmp/why" ]; then fail "cli/output-folder" "$tmp/why"; else pass "cli/output-folder"; fi
	rm -rf "$d"
}

# ---- preview of a long book (issue 18, defect 11) ----
# preview_long_tests: a book of about 1,000 pages (tests/bench/genbook),
# whose one contact sheet was taller than a picture can be (cairo: 32767
# pixels), previews a page and writes its contact sheets, split: sheets of
# 10 rows of 6 pages, contact-001.png on, none over 32767 pixels, every
# page on one.  (The plain build only: the ASan build runs the same code on
# the short book's one sheet.)
preview_long_tests() {
	[ "$variant" = plain ] || return 0
	rm -rf "$tmp/longbook" "$tmp/longpv"
	: > "$tmp/why"
	"$top/build/genbook" "$tmp/longbook" 1000 7 >> "$tmp/why" 2>&1 || echo "genbook failed" >> "$tmp/why"
	pages=$("$gsi" pdf --dump-layout "$tmp/longbook" 2>> "$tmp/why" | grep -c '^page ')
	"$gsi" preview -q --pages 1-1 -o "$tmp/longpv" "$tmp/longbook" > "$tmp/out" 2> "$tmp/err"
	status=$?
	[ "$status" = 0 ] && [ ! -s "$tmp/err" ] || { echo "preview: exit $status"; cat "$tmp/err"; } >> "$tmp/why"
	[ -f "$tmp/longpv/page-001.png" ] || echo "no page-001.png" >> "$tmp/why"
	[ ! -e "$tmp/longpv/contact.png" ] || echo "contact.png written for a book of several sheets" >> "$tmp/why"
	sheets=$(ls "$tmp/longpv" | grep -c '^contact-[0-9][0-9][0-9]\.png$')
	want=$(( (pages + 59) / 60 ))
	[ "$pages" -gt 960 ] || echo "the book has $pages pages, too few to overflow one sheet" >> "$tmp/why"
	[ "$sheets" = "$want" ] || echo "$sheets contact sheets for $pages pages, not $want" >> "$tmp/why"
	rows=0
	for k in $(seq 1 "$sheets"); do
		f=$tmp/longpv/contact-$(printf %03d "$k").png
		"$top/build/png-inspect" "$f" > "$tmp/png" 2>> "$tmp/why" || { echo "$f unreadable" >> "$tmp/why"; continue; }
		read -r pw ph inked < "$tmp/png"
		[ "$k" = 1 ] && { w1=$pw; h1=$ph; }
		[ "$pw" -le 32767 ] && [ "$ph" -le 32767 ] && [ "${inked:-0}" -gt 1000 ] ||
			echo "contact-$k: $pw x $ph, $inked inked" >> "$tmp/why"
		[ "$pw" = "$w1" ] || echo "contact-$k is $pw wide, the first $w1" >> "$tmp/why"
		[ "$k" = "$sheets" ] || [ "$ph" = "$h1" ] || echo "contact-$k is $ph tall, the first $h1" >> "$tmp/why"
		# the rows on it, from its height: a tenth of a full sheet's each
		rows=$(( rows + (ph * 10 + h1 / 2) / h1 ))
	done
	[ "$rows" = $(( (pages - 60 * (sheets - 1) + 5) / 6 + 10 * (sheets - 1) )) ] ||
		echo "$rows rows of pages on the sheets for $pages pages" >> "$tmp/why"
	if [ -s "$tmp/why" ]; then fail "preview/long-book" "$tmp/why"; else pass "preview/long-book"; fi
	rm -rf "$tmp/longbook" "$tmp/longpv"
}

# ---- metadata over several lines (issue 18, defect 20) ----
# metadata_lines_tests: tests/books/multiline has its title, publisher,
# rights and source over two lines each.  In the PDF (pdftotext) each line
# feed is a line break on the title and copyright pages, with no return
# symbol drawn, and the running head and the Info title have the title on
# one line; in the EPUB the title page and the colophon have <br/>.
# (EPUBCheck and Ace check the EPUB with the other test books.)
metadata_lines_tests() {
	pdf=$tmp/pdf/$variant/multiline.pdf epub=$tmp/epub/$variant/multiline.epub
	: > "$tmp/why"
	pdftotext -f 1 -l 2 "$pdf" "$tmp/front.txt" 2>> "$tmp/why"
	for line in "Lines" "of Metadata" "The Line Press" "London" "Copyright 1818 The Line Press." \
		    "All rights reserved." "Source: First printed in a magazine," "then as a pamphlet."; do
		grep -qx "$line" "$tmp/front.txt" || echo "no line '$line' on the title or copyright page" >> "$tmp/why"
	done
	# no return symbol (U+23CE, U+21B5) nor any control character drawn
	grep -q "$(printf '\342\217\216')\|$(printf '\342\206\265')" "$tmp/front.txt" && echo "a return symbol is drawn" >> "$tmp/why"
	pdftotext -layout "$pdf" - 2>> "$tmp/why" | grep -q '[0-9]  *Lines of Metadata *$' ||
		echo "no running head 'Lines of Metadata' on one line" >> "$tmp/why"
	pdfinfo "$pdf" 2>> "$tmp/why" | grep -q '^Title: *Lines of Metadata$' || echo "the Info title is not on one line" >> "$tmp/why"
	"$top/build/epub-inspect" cat "$epub" EPUB/text/titlepage.xhtml > "$tmp/tp" 2>> "$tmp/why"
	"$top/build/epub-inspect" cat "$epub" EPUB/text/colophon.xhtml > "$tmp/col" 2>> "$tmp/why"
	grep -q '<h1 id="book-title" class="title">Lines<br/>$' "$tmp/tp" && grep -q '^of Metadata</h1>' "$tmp/tp" ||
		echo "the EPUB's title page has no <br/> in the title" >> "$tmp/why"
	grep -q '<p class="publisher">The Line Press<br/>$' "$tmp/tp" || echo "the EPUB's title page has no <br/> in the publisher" >> "$tmp/why"
	grep -q '<p class="rights">Copyright 1818 The Line Press.<br/>$' "$tmp/col" && grep -q '^All rights reserved.</p>' "$tmp/col" ||
		echo "the EPUB's colophon has no <br/> in the rights" >> "$tmp/why"
	grep -q 'First printed in a magazine,<br/>$' "$tmp/col" || echo "the EPUB's colophon has no <br/> in the source" >> "$tmp/why"
	if [ -s "$tmp/why" ]; then fail "metadata/line-feeds" "$tmp/why"; else pass "metadata/line-feeds"; fi
}

# labels_tests: the words gsi-book sets on a book's own pages are in the
# book's language, the same in both editions: a Russian book's print
# contents (two pages: 80 sections) is titled "Содержание" (its title and
# the running head of its second page), as the
# EPUB's nav, and its copyright page says "Источник:" and "Дата:", as the
# EPUB's colophon; nothing says "Contents", "Source:" or "Date:".
labels_tests() {
	: > "$tmp/why"
	all_of "$top/tests/labels/ru" labels-ru
	pdftotext -enc UTF-8 "$pdf" - 2>> "$tmp/why" | tr -d '\f' > "$tmp/labels.txt"
	grep -qx "Содержание" "$tmp/labels.txt" || echo "the print contents is not titled 'Содержание'" >> "$tmp/why"
	pdftotext -enc UTF-8 -layout "$pdf" - 2>> "$tmp/why" | tr -d '\f' |
		grep -q '^ *[ivx]* *\(Содержание\|СОДЕРЖАНИЕ\) *[ivx]* *$' ||
		echo "no running head 'Содержание' on a contents page" >> "$tmp/why"
	grep -qx "Источник: Рукопись из архива" "$tmp/labels.txt" || echo "the copyright page does not say 'Источник:'" >> "$tmp/why"
	grep -qx "Дата: 1836" "$tmp/labels.txt" || echo "the copyright page does not say 'Дата:'" >> "$tmp/why"
	grep -i "contents\|^source:\|^date:" "$tmp/labels.txt" | sed 's/^/the PDF says: /' >> "$tmp/why"
	"$top/build/epub-inspect" cat "$epub" EPUB/nav.xhtml 2>> "$tmp/why" | grep -q '>Содержание<' ||
		echo "the EPUB's nav is not titled 'Содержание'" >> "$tmp/why"
	"$top/build/epub-inspect" cat "$epub" EPUB/text/colophon.xhtml 2>> "$tmp/why" | grep -q 'Источник:' ||
		echo "the EPUB's colophon does not say 'Источник:'" >> "$tmp/why"
	if [ -s "$tmp/why" ]; then fail "labels/ru" "$tmp/why"; else pass "labels/ru"; fi
}

# all_of BOOKDIR NAME: sets $epub and $pdf to what 'gsi-book all' wrote
# of BOOKDIR (empty when it wrote nothing; its messages go to $tmp/why).
# Built once a variant, into $tmp/all-$variant/NAME: several checks read
# the same editions.
all_of() {
	o=$tmp/all-$variant/$2
	if [ ! -e "$o.log" ]; then
		mkdir -p "$tmp/all-$variant"
		(cd "$tmp" && SOURCE_DATE_EPOCH=1700000000 "$gsi" all -q -o "$o" "$1") > "$o.log" 2>&1
	fi
	cat "$o.log" >> "$tmp/why"
	epub=$(ls "$o"/*.epub 2> /dev/null)
	pdf=$(ls "$o"/*.pdf 2> /dev/null)
}

# ---- fallback fonts (issue 19, section 1) ----
# fallback_fonts_tests: tests/books/scripts (Chinese, an emoji, a tree
# listing, Greek, a math sign, two- and three-em dashes, a Kazakh and a
# Chinese heading) builds both editions with the default style; each of
# those characters is in the PDF's text; the PDF embeds the fallback faces
# (Noto Serif CJK SC, Symbola), the EPUB embeds their subsets (each face of
# the .ttc as a plain OpenType font) and its stylesheet names them after
# each family; each heading is set in one face (mutool's text, font by
# font); a book that needs no fallback embeds none in either edition; a
# fallback family not in the manifest is an error at its place in the style.
fallback_fonts_tests() {
	ff=$tmp/fallbacks-$variant
	rm -rf "$ff"
	mkdir -p "$ff"
	: > "$tmp/why"
	all_of "$top/tests/books/scripts" scripts
	if [ -z "$pdf" ] || [ -z "$epub" ]; then
		fail "fallbacks/build" "$tmp/why"
		return
	fi
	pass "fallbacks/build"
	pdftotext "$pdf" "$ff/text" 2>> "$tmp/why"
	for c in 习近平 全球安全倡议 👍 ├── └── ειρήνη ≤ ⸺ ⸻; do
		grep -q "$c" "$ff/text" || echo "'$c' is not in the PDF's text" >> "$tmp/why"
	done
	pdffonts "$pdf" > "$ff/fonts" 2>> "$tmp/why"
	for f in NotoSerifCJKsc-Regular NotoSerifCJKsc-Bold Symbola; do
		grep -q "+$f " "$ff/fonts" || echo "the PDF does not embed $f" >> "$tmp/why"
	done
	if [ -s "$tmp/why" ]; then fail "fallbacks/pdf" "$tmp/why"; else pass "fallbacks/pdf"; fi
	: > "$tmp/why"
	"$top/build/epub-inspect" list "$epub" > "$ff/list" 2>> "$tmp/why"
	for f in NotoSerifCJKSC-Regular.otf NotoSerifCJKSC-Bold.otf Symbola_hint.ttf; do
		size=$(awk -v f="EPUB/fonts/$f" '$2 == f { print $1 }' "$ff/list")
		# a subset: a few glyphs, not the 26 MB collection
		if [ -z "$size" ] || [ "$size" -gt 200000 ]; then
			echo "the EPUB does not embed a subset of $f (size '$size')" >> "$tmp/why"
		fi
	done
	grep -q '\.ttc' "$ff/list" && echo "the EPUB holds a font collection" >> "$tmp/why"
	"$top/build/epub-inspect" cat "$epub" EPUB/css/book.css > "$ff/css" 2>> "$tmp/why"
	for fam in '"Linux Libertine O"' '"Linux Biolinum O"' '"DejaVu Sans Mono"'; do
		grep -q "font-family: $fam.*\"Noto Serif CJK SC\", \"Symbola\"" "$ff/css" ||
			echo "the stylesheet does not name the fallbacks after $fam" >> "$tmp/why"
	done
	grep -q 'src: url("../fonts/NotoSerifCJKSC-Bold.otf")' "$ff/css" ||
		echo "no @font-face for the bold CJK subset" >> "$tmp/why"
	"$top/build/epub-inspect" cat "$epub" EPUB/package.opf > "$ff/opf" 2>> "$tmp/why"
	grep -q 'href="fonts/NotoSerifCJKSC-Regular.otf" media-type="font/otf"' "$ff/opf" ||
		echo "the CJK subset is not an OpenType font item of the package" >> "$tmp/why"
	"$top/build/epub-inspect" cat "$epub" EPUB/text/colophon.xhtml > "$ff/colophon" 2>> "$tmp/why"
	grep -q 'Noto Serif CJK SC (OFL-1.1), Symbola' "$ff/colophon" ||
		echo "the colophon does not name the fallbacks" >> "$tmp/why"
	grep -q 'Linux Libertine Mono O' "$ff/colophon" &&
		echo "the colophon names a face the e-book does not use" >> "$tmp/why"
	if [ -s "$tmp/why" ]; then fail "fallbacks/epub" "$tmp/why"; else pass "fallbacks/epub"; fi
	# each heading in one face: the fonts of the PDF's lines, as mutool
	# reads them; the Kazakh heading (Biolinum lacks Қ, Ғ) and the Chinese
	# one (only Noto Serif CJK draws all of it, Latin letters too)
	: > "$tmp/why"
	mutool draw -q -F stext -o "$ff/stext" "$pdf" 2> "$ff/mutool.err" ||
		cat "$ff/mutool.err" >> "$tmp/why"
	awk '/<line/ { text = ""; delete fonts }
	     /<font / { match($0, /name="[^"]*"/); f = substr($0, RSTART + 6, RLENGTH - 7) }
	     /<char / { match($0, / c="[^"]*"/); c = substr($0, RSTART + 4, RLENGTH - 5)
	                text = text c; if (c != " ") fonts[f] = 1 }
	     /<\/line>/ { n = 0; s = ""; for (k in fonts) s = s (n++ ? "," : "") k; print s "\t" text }' \
		"$ff/stext" > "$ff/lines"
	kk='&#x49a;&#x430;&#x437;&#x430;&#x49b;&#x441;&#x442;&#x430;&#x43d; &#x436;&#x4d9;&#x43d;&#x435; &#x492;&#x430;&#x43b;&#x430;&#x43c;'
	zh='&#x5168;&#x7403;&#x5b89;&#x5168;&#x5021;&#x8bae; GSI'
	for h in "$kk" "$zh"; do
		got=$(awk -F '\t' -v h="$h" '$2 == h { print $1 }' "$ff/lines")
		case $got in
		'') echo "no line of the PDF is the heading $h" >> "$tmp/why" ;;
		*,*) echo "the heading $h is set in several faces: $got" >> "$tmp/why" ;;
		esac
	done
	[ "$(awk -F '\t' -v h="$zh" '$2 == h { print $1 }' "$ff/lines")" = NotoSerifCJKsc-Bold ] ||
		echo "the Chinese heading is not in Noto Serif CJK SC Bold" >> "$tmp/why"
	[ "$(awk -F '\t' -v h="$kk" '$2 == h { print $1 }' "$ff/lines")" = LinLibertineOB ] ||
		echo "the Kazakh heading is not in Linux Libertine O Bold" >> "$tmp/why"
	if [ -s "$tmp/why" ]; then fail "fallbacks/headings-one-face" "$tmp/why"; else pass "fallbacks/headings-one-face"; fi
	# a book that needs no fallback (Greek and Cyrillic in code) embeds none
	: > "$tmp/why"
	all_of "$top/tests/books/code" code
	if [ -n "$pdf" ] && [ -n "$epub" ]; then
		pdffonts "$pdf" 2>> "$tmp/why" | grep -i 'noto\|symbola' >> "$tmp/why"
		"$top/build/epub-inspect" list "$epub" 2>> "$tmp/why" | grep -i 'noto\|symbola' >> "$tmp/why"
		"$top/build/epub-inspect" cat "$epub" EPUB/css/book.css 2>> "$tmp/why" |
			grep -i 'noto\|symbola' >> "$tmp/why"
	else
		echo "tests/books/code did not build" >> "$tmp/why"
	fi
	if [ -s "$tmp/why" ]; then fail "fallbacks/none-needed" "$tmp/why"; else pass "fallbacks/none-needed"; fi
	# a fallback family that no font of the manifest has: an error at its
	# line and column in the style file
	mkdir -p "$ff/data/styles"
	ln -s "$top/fonts" "$ff/data/fonts"
	cp "$top"/styles/* "$ff/data/styles/"
	sed 's/^    - Symbola .*/    - Nope Sans/' "$top/styles/style.yaml" > "$ff/data/styles/style.yaml"
	line=$(grep -n '^    - Nope Sans' "$ff/data/styles/style.yaml" | cut -d: -f1)
	(cd "$top" && GSI_BOOK_DATA="$ff/data" "$gsi" check tests/books/code) > /dev/null 2> "$ff/err"
	status=$?
	if [ "$status" = 1 ] && [ -n "$line" ] &&
	   grep -q "styles/style.yaml:$line:7: error: style 'fonts.fallbacks': no font of family 'Nope Sans' is in" "$ff/err"; then
		pass "fallbacks/unknown-family"
	else
		{ echo "status $status, line $line"; cat "$ff/err"; } > "$tmp/why"
		fail "fallbacks/unknown-family" "$tmp/why"
	fi
	# an item of the list that is a list: an error at its place, printed
	# (it was printed after the style file was freed, and crashed)
	sed 's/^    - Symbola .*/    - [Symbola, DejaVu Sans Mono]/' "$top/styles/style.yaml" \
		> "$ff/data/styles/style.yaml"
	: > "$tmp/why"
	for cmd in check epub pdf; do
		o=
		[ $cmd = check ] || o="-o $ff/out.$cmd"
		# shellcheck disable=SC2086 # o is an option and its value
		(cd "$top" && GSI_BOOK_DATA="$ff/data" "$gsi" $cmd $o tests/books/code) > /dev/null 2> "$ff/err"
		status=$?
		if [ "$status" != 1 ] ||
		   ! grep -q "styles/style.yaml:$line:7: error: each item of style key 'fonts.fallbacks' must be a value on one line" "$ff/err"; then
			{ echo "$cmd: status $status"; cat "$ff/err"; } >> "$tmp/why"
		fi
	done
	if [ -s "$tmp/why" ]; then fail "fallbacks/bad-list" "$tmp/why"; else pass "fallbacks/bad-list"; fi
}

# ---- links, chapters, names and pages, read from both editions (issue 18) ----
# both_editions_tests: checks on the test books of tests/books/ that read
# both editions: a link to a heading of its own file reaches that heading
# (guide).  The EPUBs they write land in $tmp/epub/$variant/, where
# EPUBCheck checks them with the others.
both_editions_tests() {
	ed=$tmp/editions-$variant
	rm -rf "$ed"
	mkdir -p "$ed"
	# guide: mac.md, windows.md and linux.md each have a "Troubleshooting"
	# heading and a link to "#troubleshooting": each link goes to its own
	# file's heading, in the EPUB (a link within its document, to the id
	# of an h2 of that document) and in the PDF (to the page that heading
	# is on)
	: > "$tmp/why"
	all_of "$top/tests/books/guide" guide
	if [ -n "$epub" ] && [ -n "$pdf" ]; then
		# (each page's text as one line without spaces: pdftohtml cuts a
		# line where the font changes, even within a word)
		pdftohtml -xml -i -stdout -q "$pdf" 2>> "$tmp/why" | awk '
			/<page / { if (buf != "") print buf; buf = ""; print; next }
			/<text / { t = $0; sub(/^<text[^>]*>/, "", t); sub(/<\/text>$/, "", t); gsub(/ /, "", t); buf = buf t; next }
			END { if (buf != "") print buf }' > "$ed/guide.xml"
		for sys in Mac Windows Linux; do
			doc=
			for d in $("$top/build/epub-inspect" list "$epub" | awk '$2 ~ /\.xhtml$/ {print $2}'); do
				"$top/build/epub-inspect" cat "$epub" "$d" > "$ed/doc" 2>> "$tmp/why"
				grep -q "Installing on $sys takes" "$ed/doc" && { doc=$d; cp "$ed/doc" "$ed/$sys.xhtml"; }
			done
			[ -n "$doc" ] || { echo "no EPUB document holds the $sys part" >> "$tmp/why"; continue; }
			href=$(sed -n 's/.*Installing on '"$sys"' .*<a href="\([^"]*\)">troubleshooting<\/a>.*/\1/p' "$ed/$sys.xhtml")
			case $href in
			"#"*) grep -q "<h2 id=\"${href#\#}\">Troubleshooting</h2>" "$ed/$sys.xhtml" ||
				echo "EPUB: the $sys link goes to '$href', no Troubleshooting heading of $doc" >> "$tmp/why" ;;
			*) echo "EPUB: the $sys link goes to '$href', out of its document $doc" >> "$tmp/why" ;;
			esac
			awk -v sys="$sys" '
				/<page number=/ { match($0, /number="[0-9]+"/); page = substr($0, RSTART + 8, RLENGTH - 9) }
				index($0, "Installingon" sys "takes") && match($0, /#[0-9]+">e?troubleshooting/) {
					link = substr($0, RSTART + 1, RLENGTH - 1); sub(/".*/, "", link) }
				index($0, "Whentheinstalleron" sys "fails") { heading = page }
				END { if (link == "" || link != heading) { printf "PDF: the %s link goes to page %s, its heading is on page %s\n", sys, link, heading; exit 1 } }
			' "$ed/guide.xml" >> "$tmp/why"
		done
	else
		echo "gsi-book all wrote no EPUB or no PDF" >> "$tmp/why"
	fi
	if [ -s "$tmp/why" ]; then fail "editions/guide/links-to-own-file" "$tmp/why"; else pass "editions/guide/links-to-own-file"; fi

	# manuscript: one file with a level-1 heading per chapter (pandoc's
	# conversion of a word processor's file), its notes at its end: each
	# chapter is an entry of the EPUB's contents with an XHTML document
	# of its own holding one h1, an entry of the PDF's outline, and
	# starts a recto (an odd page) in print, the page starting with its
	# title (the first chapter: after the standfirst); the notes are in
	# both editions (EPUBCheck checks the EPUB, tests/books/manuscript)
	: > "$tmp/why"
	all_of "$top/tests/books/manuscript" manuscript
	if [ -n "$epub" ] && [ -n "$pdf" ]; then
		"$top/build/epub-inspect" cat "$epub" EPUB/nav.xhtml > "$ed/nav" 2>> "$tmp/why"
		sed -n 's/.*<a href="\([^"#]*\)#[^"]*">\(Chapter [0-9]*\):.*/\2 \1/p' "$ed/nav" > "$ed/chapters"
		[ "$(wc -l < "$ed/chapters")" = 7 ] || { echo "EPUB: $(wc -l < "$ed/chapters") chapters in the contents, not 7:"; cat "$ed/chapters"; } >> "$tmp/why"
		[ "$(awk '{print $3}' "$ed/chapters" | sort -u | wc -l)" = 7 ] || echo "EPUB: the chapters do not have a document each" >> "$tmp/why"
		: > "$ed/docs"
		while read -r _ n doc; do
			"$top/build/epub-inspect" cat "$epub" "EPUB/$doc" > "$ed/doc" 2>> "$tmp/why"
			cat "$ed/doc" >> "$ed/docs"
			h1=$(grep -c '<h1' "$ed/doc")
			[ "$h1" = 1 ] || echo "EPUB: $doc (chapter $n) holds $h1 h1 elements" >> "$tmp/why"
		done < "$ed/chapters"
		for note in 1 2 3 4 5; do
			grep -q "Note $note of the manuscript" "$ed/docs" ||
				echo "EPUB: note $note is missing" >> "$tmp/why"
			pdftotext "$pdf" - | grep -q "Note $note of the manuscript" ||
				echo "PDF: note $note is missing" >> "$tmp/why"
		done
		qpdf --json --json-key=outlines "$pdf" | awk '
			/^      "destpageposfrom1"/ { page = $2 + 0 }
			/^      "title"/ { sub(/^      "title": "/, ""); sub(/"$/, ""); print page "\t" $0 }
		' > "$ed/outline"
		[ "$(grep -c '	Chapter [1-7]:' "$ed/outline")" = 7 ] || { echo "PDF: the outline is not the 7 chapters:"; cat "$ed/outline"; } >> "$tmp/why"
		n=0
		while IFS="$(printf '\t')" read -r page title; do
			n=$((n + 1))
			case $title in "Chapter $n:"*) ;; *) echo "PDF: outline entry $n is '$title'" >> "$tmp/why" ;; esac
			[ $((page % 2)) = 1 ] || echo "PDF: '$title' starts on page $page, a verso" >> "$tmp/why"
			text=$(pdftotext -f "$page" -l "$page" "$pdf" - 2>> "$tmp/why" | tr -s ' \n' '  ' | sed 's/^ //')
			if [ $n = 1 ]; then
				case $text in *"$title"*) ;; *) echo "PDF: page $page does not hold '$title'" >> "$tmp/why" ;; esac
			else
				case $text in "$title"*) ;; *) echo "PDF: page $page starts '$(echo "$text" | cut -c1-40)', not '$title'" >> "$tmp/why" ;; esac
			fi
		done < "$ed/outline"
	else
		echo "gsi-book all wrote no EPUB or no PDF" >> "$tmp/why"
	fi
	if [ -s "$tmp/why" ]; then fail "editions/manuscript/chapters" "$tmp/why"; else pass "editions/manuscript/chapters"; fi

	# appendix labels take the letters of the part's language: Kazakh's
	# first is the Cyrillic А (U+0410), not the Latin A, in both editions
	: > "$tmp/why"
	all_of "$top/tests/cases/kazakh/book" kazakh
	if [ -n "$epub" ] && [ -n "$pdf" ]; then
		"$top/build/epub-inspect" cat "$epub" EPUB/nav.xhtml | grep -q 'Қосымша А:' ||
			echo "EPUB: the contents do not say 'Қосымша А' with a Cyrillic А" >> "$tmp/why"
		[ "$(pdftotext "$pdf" - | grep -c 'Қосымша А')" -ge 2 ] ||
			echo "PDF: the contents and the opener do not say 'Қосымша А' with a Cyrillic А" >> "$tmp/why"
		pdftotext "$pdf" - | grep -q 'Қосымша A' && echo "PDF: a Latin A in 'Қосымша A'" >> "$tmp/why"
	else
		echo "gsi-book all wrote no EPUB or no PDF" >> "$tmp/why"
	fi
	if [ -s "$tmp/why" ]; then fail "editions/kazakh/appendix-letters" "$tmp/why"; else pass "editions/kazakh/appendix-letters"; fi

	# addresses: link addresses are percent-encoded as cmark-gfm's HTML
	# renderer encodes them, the same in the EPUB's href and the PDF's
	# URI (EPUBCheck, which reports RSC-020 otherwise, checks the EPUB)
	: > "$tmp/why"
	all_of "$top/tests/books/addresses" addresses
	if [ -n "$epub" ] && [ -n "$pdf" ]; then
		"$top/build/epub-inspect" list "$epub" | awk '$2 ~ /^EPUB\/text\/.*\.xhtml$/ {print $2}' > "$ed/docs"
		: > "$ed/hrefs"
		while read -r d; do "$top/build/epub-inspect" cat "$epub" "$d" >> "$ed/hrefs"; done < "$ed/docs"
		qpdf --qdf --object-streams=disable "$pdf" "$ed/addresses.qdf" >> "$tmp/why" 2>&1
		for want in 'https://example.org/a%7Cb' 'https://example.org/%7Bid%7D' \
			'https://example.org/c%5Cd' 'https://example.org/e%60f' 'https://example.org/g%20h' \
			'https://example.org/?q=%5B1%5D' 'https://example.org/%22i%22' \
			'https://example.org/%D0%BF%D1%83%D1%82%D1%8C' 'https://example.org/j%20k?l=1&m=2#n' \
			'mailto:someone@example.org?subject=a%20b'; do
			html=$(printf '%s' "$want" | sed 's/&/\&amp;/g')
			grep -qF "href=\"$html\"" "$ed/hrefs" || echo "EPUB: no href=\"$html\"" >> "$tmp/why"
			grep -aqF "/URI ($want)" "$ed/addresses.qdf" || echo "PDF: no /URI ($want)" >> "$tmp/why"
		done
	else
		echo "gsi-book all wrote no EPUB or no PDF" >> "$tmp/why"
	fi
	if [ -s "$tmp/why" ]; then fail "editions/addresses/percent-encoded" "$tmp/why"; else pass "editions/addresses/percent-encoded"; fi

	# names: parts named in Cyrillic and with spaces and brackets,
	# pictures named "Pasted image 5.png", "рисунок.PNG" and with a '#':
	# every name inside the EPUB is safe ASCII and unique (also without
	# regard to case), and the same in a second build; EPUBCheck checks
	# it with no warning (tests/books/names)
	: > "$tmp/why"
	for run in 1 2; do
		(cd "$tmp" && SOURCE_DATE_EPOCH=1700000000 "$gsi" epub -q -o "$ed/names-$run.epub" "$top/tests/books/names") >> "$tmp/why" 2>&1
		"$top/build/epub-inspect" list "$ed/names-$run.epub" 2>> "$tmp/why" | sed 's/^[0-9]* //' > "$ed/names-$run"
	done
	[ "$(wc -l < "$ed/names-1")" -gt 10 ] || echo "no EPUB, or too few entries" >> "$tmp/why"
	grep -v '^[A-Za-z0-9._/-]*$' "$ed/names-1" | sed 's/^/not safe ASCII: /' >> "$tmp/why"
	[ "$(tr A-Z a-z < "$ed/names-1" | sort | uniq -d)" = "" ] || echo "names not unique" >> "$tmp/why"
	[ "$(grep -c '^EPUB/images/[0-9]*-' "$ed/names-1")" = 3 ] || echo "not 3 pictures" >> "$tmp/why"
	cmp -s "$ed/names-1" "$ed/names-2" || echo "the names change from one build to the next" >> "$tmp/why"
	if [ -s "$tmp/why" ]; then fail "editions/names/safe-ascii" "$tmp/why"; else pass "editions/names/safe-ascii"; fi

	# page markers: 'gsi-book all' on books whose printed pages start in
	# inline code, table cells, list items, captions, code blocks,
	# notes and pictures (pagestarts), and on the manuscript and the
	# guide: every page of the PDF has its marker in the EPUB, the
	# page-list's targets are exactly the markers, in reading order (the
	# spine's order, then each document's), and some markers are inside
	# inline code, a table cell and a list item.  The paged EPUBs go to
	# EPUBCheck with the others.
	: > "$tmp/why"
	for b in pagestarts manuscript guide; do
		all_of "$top/tests/books/$b" "$b"
		[ -n "$epub" ] && [ -n "$pdf" ] || { echo "$b: gsi-book all wrote no EPUB or no PDF" >> "$tmp/why"; continue; }
		cp "$epub" "$tmp/epub/$variant/$b-paged.epub"
		"$top/build/epub-inspect" cat "$epub" EPUB/package.opf > "$ed/opf" 2>> "$tmp/why"
		"$top/build/epub-inspect" cat "$epub" EPUB/nav.xhtml > "$ed/nav" 2>> "$tmp/why"
		sed -n '/epub:type="page-list"/,/<\/nav>/ s/.*<a href="\([^"]*\)".*/\1/p' "$ed/nav" > "$ed/page-list"
		: > "$ed/markers"
		: > "$ed/all-docs"
		for idref in $(sed -n 's/.*<itemref idref="\([^"]*\)".*/\1/p' "$ed/opf"); do
			doc=$(sed -n 's/.*<item id="'"$idref"'" href="\([^"]*\)".*/\1/p' "$ed/opf")
			"$top/build/epub-inspect" cat "$epub" "EPUB/$doc" > "$ed/doc" 2>> "$tmp/why"
			cat "$ed/doc" >> "$ed/all-docs"
			grep -o 'epub:type="pagebreak" role="doc-pagebreak" id="[^"]*"' "$ed/doc" |
				sed 's/.*id="\([^"]*\)"/'"$(echo "$doc" | sed 's/[\/&]/\\&/g')"'#\1/' >> "$ed/markers"
		done
		pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
		[ "$(wc -l < "$ed/page-list")" = "$pages" ] ||
			echo "$b: $(wc -l < "$ed/page-list") entries in the page-list for $pages pages" >> "$tmp/why"
		cmp -s "$ed/page-list" "$ed/markers" ||
			{ echo "$b: the page-list is not the markers in reading order:"; diff "$ed/page-list" "$ed/markers" | head -n 10; } >> "$tmp/why"
		if [ $b = pagestarts ]; then
			for where in '<code>[^<]*<span epub:type="pagebreak"' '<td>[^<]*<span epub:type="pagebreak"' \
				'<li>[^<]*<span epub:type="pagebreak"'; do
				grep -q "$where" "$ed/all-docs" || echo "$b: no marker matches '$where'" >> "$tmp/why"
			done
		fi
	done
	if [ -s "$tmp/why" ]; then fail "editions/all/page-markers" "$tmp/why"; else pass "editions/all/page-markers"; fi
}

# code_page_marker_tests (issue 18, defect 5): a page of the print edition
# that starts inside a code block has its marker in the EPUB of 'gsi-book
# all' inside that block's <pre><code>, just before the text of the first
# line of code printed on the page (tests/books/pagestarts: code blocks
# that run across pages, one long enough to run over several, with tabs,
# escaped characters, Cyrillic and lines continued after a ↪).  A page
# starts in code when the first line pdftotext reads on it is in one of
# the book's code blocks; the PDF's pages and the page-list's entries go
# one for one (editions/all/page-markers checks that, the page-list's order
# and EPUBCheck).
code_page_marker_tests() {
	cpm=$tmp/cpm-$variant
	rm -rf "$cpm"
	mkdir -p "$cpm"
	: > "$tmp/why"
	book=$top/tests/books/pagestarts
	all_of "$book" pagestarts
	if [ -z "$epub" ] || [ -z "$pdf" ]; then
		echo "gsi-book all wrote no EPUB or no PDF" >> "$tmp/why"
		fail "pagestarts/all/marker-in-code" "$tmp/why"
		return
	fi
	# the code blocks' lines, their white space squeezed
	awk '/^```/ { code = !code; next } code' "$book"/*.md | tr -s ' \t' '  ' |
		sed 's/^ //; s/ $//' | grep -v '^$' > "$cpm/code-lines"
	"$top/build/epub-inspect" cat "$epub" EPUB/nav.xhtml > "$cpm/nav" 2>> "$tmp/why"
	sed -n '/epub:type="page-list"/,/<\/nav>/ s/.*<a href="\([^"]*\)".*/\1/p' "$cpm/nav" > "$cpm/page-list"
	pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
	in_code=0
	i=0
	while [ "$i" -lt "$pages" ]; do
		i=$((i + 1))
		first=$(pdftotext -raw -f $i -l $i "$pdf" - | head -n 1 | sed 's/^↪//' |
			tr -s ' \t' '  ' | sed 's/^ //; s/ $//')
		[ ${#first} -ge 8 ] && grep -qF -- "$first" "$cpm/code-lines" || continue
		in_code=$((in_code + 1))
		target=$(sed -n "${i}p" "$cpm/page-list")
		doc=${target%%#*}
		id=${target#*#}
		"$top/build/epub-inspect" cat "$epub" "EPUB/$doc" > "$cpm/doc" 2>> "$tmp/why"
		# where the marker is: inside a <pre><code>, and the text after
		# it to the end of its line of code (tags out, entities read)
		after=$(awk -v id="id=\"$id\"" 'BEGIN { RS = "\001" } {
			at = index($0, id)
			if (!at) { print "NO-MARKER"; exit }
			before = substr($0, 1, at)
			pre = 0; end = 0
			for (k = 1; (j = index(substr(before, k), "<pre><code")); k += j) pre = k + j - 1
			for (k = 1; (j = index(substr(before, k), "</code></pre>")); k += j) end = k + j - 1
			if (!pre || end > pre) { print "NOT-IN-CODE"; exit }
			rest = substr($0, at)
			rest = substr(rest, index(rest, "/>") + 2)
			nl = index(rest, "\n")
			if (nl) rest = substr(rest, 1, nl - 1)
			gsub(/<[^>]*>/, "", rest)
			gsub(/&lt;/, "<", rest); gsub(/&gt;/, ">", rest)
			gsub(/&quot;/, "\"", rest); gsub(/&amp;/, "\\&", rest)
			print rest
		}' "$cpm/doc" | tr -s ' \t' '  ' | sed 's/^ //; s/ $//')
		case $after in
		"$first"*) ;;
		NO-MARKER) echo "PDF page $i (starts with '$first'): no marker $id in $doc" >> "$tmp/why" ;;
		NOT-IN-CODE) echo "PDF page $i (starts with '$first'): its marker $id is not inside a <pre><code>" >> "$tmp/why" ;;
		*) echo "PDF page $i starts with '$first', its marker $id is before '$after'" >> "$tmp/why" ;;
		esac
	done
	[ "$in_code" -ge 3 ] || echo "only $in_code pages start in a code block: the book no longer tests this" >> "$tmp/why"
	if [ -s "$tmp/why" ]; then fail "pagestarts/all/marker-in-code" "$tmp/why"; else pass "pagestarts/all/marker-in-code"; fi
}

# lines_tests: the cases of tests/lines/NAME/ (issue 18: hyphenation in
# every language, lines that never run over the margin, hard line breaks,
# inline code and addresses).  Each holds a book and a 'check' script, run
# in the case's directory with GSI (the gsi-book binary), TOP and OUT (an
# empty directory for its output) set; it prints what is wrong and exits
# non-zero then.
lines_tests() {
	for dir in "$top"/tests/lines/*/; do
		name=lines/$(basename "$dir")
		rm -rf "$tmp/lines"
		mkdir -p "$tmp/lines"
		if (cd "$dir" && GSI="$gsi" TOP="$top" OUT="$tmp/lines" SOURCE_DATE_EPOCH=1700000000 \
			sh ./check) > "$tmp/why" 2>&1; then
			pass "$name"
		else
			fail "$name" "$tmp/why"
		fi
	done
}

# commonmark_tests: the CommonMark spec's examples (issue 19): each one
# gsi-book refuses breaks a rule of README's "Writing a book" and is
# refused with the diagnostics tests/corpus/commonmark-refused.txt lists,
# and every other is in a book of tests/corpus/books/commonmark-*/ that
# checks clean (tests/corpus/commonmark-refused.sh).  The plain build only.
commonmark_tests() {
	[ "$variant" = plain ] || return 0
	if sh "$top/tests/corpus/commonmark-refused.sh" "$gsi" > "$tmp/why" 2>&1; then
		pass "corpus/commonmark-examples"
	else
		fail "corpus/commonmark-examples" "$tmp/why"
	fi
}

# facts_tests: the print edition's copyright page lists the facts of the
# EPUB's colophon, in its order and words (issue 20: one function,
# gb_colophon_facts): each "Label: value" line of the colophon (publisher,
# date, source, identifier, fonts with their licences), read from the
# EPUB's XHTML, is on page 2 of the PDF, read by pdftotext, in that order.
facts_tests() {
	: > "$tmp/why"
	all_of "$top/tests/labels/ru" labels-ru
	"$top/build/epub-inspect" cat "$epub" EPUB/text/colophon.xhtml > "$tmp/colophon.xhtml" 2>> "$tmp/why"
	pdftotext -enc UTF-8 -f 2 -l 2 "$pdf" "$tmp/copyright.txt" 2>> "$tmp/why"
	python3 - "$tmp/colophon.xhtml" "$tmp/copyright.txt" >> "$tmp/why" 2>&1 <<'EOF'
import html, re, sys
xhtml = open(sys.argv[1], encoding='utf-8').read()
page = ' '.join(open(sys.argv[2], encoding='utf-8').read().split())
facts = []
for p in re.findall(r'<p><span class="key">(.*?)</p>', xhtml, re.S):
    p = re.sub(r'\. <a [^>]*>.*?</a>$', '.', p)     # the fonts' link to their licences
    facts.append(' '.join(html.unescape(re.sub(r'<[^>]+>', '', p)).split()))
if len(facts) < 5:
    print('the colophon lists %d facts, not 5: %s' % (len(facts), facts))
at = 0
for f in facts:
    i = page.find(f, at)
    if i < 0:
        print('the copyright page lacks the colophon\'s "%s" (after character %d of "%s")' % (f, at, page))
    else:
        at = i + len(f)
EOF
	if [ -s "$tmp/why" ]; then fail "editions/same-facts" "$tmp/why"; else pass "editions/same-facts"; fi
}

# authors_tests: the PDF's /Author and its XMP dc:creator name the authors
# the EPUB's dc:creator names, and only them (issue 20: one function,
# gb_meta_author_names): long-title has one author and four contributors
# (editor, translator, illustrator, contributor), who are dc:contributor
# in the EPUB and not in the PDF's authors.
authors_tests() {
	: > "$tmp/why"
	all_of "$top/tests/books/long-title" long-title-authors
	creators=$("$top/build/epub-inspect" cat "$epub" EPUB/package.opf 2>> "$tmp/why" |
		sed -n 's/.*<dc:creator[^>]*>\([^<]*\)<.*/\1/p' | paste -sd, - | sed 's/,/, /g')
	author=$(pdfinfo "$pdf" 2>> "$tmp/why" | sed -n 's/^Author: *//p')
	xmp=$(pdfinfo -meta "$pdf" 2>> "$tmp/why" | tr -d '\n' |
		sed -n 's/.*<dc:creator>[^<]*<rdf:Seq>\(.*\)<\/rdf:Seq>[^<]*<\/dc:creator>.*/\1/p' |
		sed 's/ *<rdf:li>//g; s/<\/rdf:li> */, /g; s/, $//')
	[ -n "$creators" ] || echo "the EPUB names no dc:creator" >> "$tmp/why"
	[ "$author" = "$creators" ] || echo "the PDF's /Author is '$author', the EPUB's creators '$creators'" >> "$tmp/why"
	[ "$xmp" = "$creators" ] || echo "the PDF's XMP dc:creator is '$xmp', the EPUB's creators '$creators'" >> "$tmp/why"
	if [ -s "$tmp/why" ]; then fail "editions/same-authors" "$tmp/why"; else pass "editions/same-authors"; fi
}

for spec in "$@"; do
	# shellcheck disable=SC2086 # "NAME GSI UNIT"
	run_variant $spec
	epub_tests
	pdf_tests
	image_tests
	link_tests
	dates_tests     # issue 18: dates from 0001 to 9999
	output_tests    # issue 18: -o naming a folder
	preview_long_tests  # issue 18: contact sheets of a long book
	metadata_lines_tests  # issue 18: line feeds in metadata
	both_editions_tests
	fallback_fonts_tests  # issue 19: fallback fonts in both editions
	code_page_marker_tests  # issue 18: page markers inside code blocks
	empty_link_epub_tests
	landscape_table_tests
	lines_tests
	labels_tests  # issue 19: the book's own words in its language
	facts_tests   # issue 20: the copyright page lists the colophon's facts
	authors_tests # issue 20: the same authors in both editions
	commonmark_tests  # issue 19: the CommonMark spec's examples
done

# same_bytes KIND EXT: every build variant wrote the same bytes; sets
# $first to the first variant's directory of KIND.
same_bytes() {
	variant=all
	first=
	for d in "$tmp"/"$1"/*/; do
		if [ -z "$first" ]; then first=$d; continue; fi
		for f in "$first"*."$2"; do
			name="$1/$(basename "$f" ."$2")/same-in-$(basename "$d")"
			if cmp "$f" "$d$(basename "$f")" > "$tmp/why" 2>&1; then
				pass "$name"
			else
				fail "$name" "$tmp/why"
			fi
		done
	done
}
same_bytes pdf pdf
same_bytes epub epub

# count_report FILE: count the "ok NAME" and "FAILED NAME: WHY" lines of a
# validator's report; other lines are shown as they are.
count_report() {
	while IFS= read -r line; do
		case $line in
		"ok "*) pass "${line#ok }" ;;
		"FAILED "*) echo "$line" > "$tmp/why"; fail "${line#FAILED }" "$tmp/why" ;;
		"    "*) echo "$line" ;;
		*) echo "  $line" ;;
		esac
	done < "$1"
}

# the validators, once, on the first variant's EPUBs
if [ -n "$first" ]; then
	variant=validators
	mkdir -p "$tmp/reports"
	sh "$top/tests/validate.sh" epubcheck "$tmp/reports" "$first"*.epub > "$tmp/validate" 2>&1
	count_report "$tmp/validate"
	# ... and they do find problems: tests/data/invalid.epub has no
	# dcterms:modified and an image without alt text
	cp "$top/tests/data/invalid.epub" "$tmp/invalid.epub"
	sh "$top/tests/validate.sh" epubcheck "$tmp/reports" "$tmp/invalid.epub" > "$tmp/why" 2>&1 &&
		echo "epubcheck passed an invalid EPUB" >> "$tmp/why"
	if grep -q '^FAILED epubcheck invalid: .*1 errors' "$tmp/why"; then
		pass "epubcheck finds errors"
	else
		fail "epubcheck finds errors" "$tmp/why"
	fi
	sh "$top/tests/validate.sh" ace "$tmp/reports" "${first}book.epub" "${first}escape.epub" \
		"${first}structure.epub" "${first}book-paged.epub" "${first}pagestarts-paged.epub" \
		"$tmp/invalid.epub" > "$tmp/validate" 2>&1
	if grep -q '^FAILED ace invalid: .*violation' "$tmp/validate"; then
		pass "ace finds violations"
	else
		cp "$tmp/validate" "$tmp/why"
		fail "ace finds violations" "$tmp/why"
	fi
	awk '/^FAILED ace invalid/ { skip = 1; next } /^(ok|FAILED) / { skip = 0 } !skip' \
		"$tmp/validate" > "$tmp/validate.keep"
	mv "$tmp/validate.keep" "$tmp/validate"
	count_report "$tmp/validate"
fi

# the corpus of real books (issue 19, tests/corpus/): built and checked
# once, with the plain build only (make asan skips it; make corpus runs it
# alone)
corpus_tests() {
	variant=corpus
	sh "$top/tests/corpus/run.sh" "$1" 2>&1 | grep -v '^[0-9]* passed, [0-9]* failed$' > "$tmp/corpus"
	count_report "$tmp/corpus"
}
for spec in "$@"; do
	# shellcheck disable=SC2086 # "NAME GSI UNIT"
	set -- $spec
	[ "$1" = plain ] && corpus_tests "$2"
	variant=$1; sh "$top/tests/same-bytes.sh" "$2" $([ "$1" = plain ] || echo "$top/tests/same-bytes/small-caps 100") > "$tmp/same" 2>&1; count_report "$tmp/same"  # issue 20: the caches cannot lie (the 300-page book in the plain build only)
done

# make install honours PREFIX and DESTDIR, and installs the man page; the
# installed program finds its render module, fonts and styles
variant=make
if make -s -C "$top" install DESTDIR="$tmp/root" PREFIX=/opt/gb > "$tmp/why" 2>&1 &&
   [ -x "$tmp/root/opt/gb/bin/gsi-book" ] &&
   grep -q '^\.TH GSI-BOOK 1 .*gsi-book [0-9]' "$tmp/root/opt/gb/share/man/man1/gsi-book.1" &&
   "$tmp/root/opt/gb/bin/gsi-book" --version > /dev/null &&
   GSI_BOOK_DATA="$tmp/root/opt/gb/share/gsi-book" GSI_BOOK_NO_CACHE=1 \
	"$tmp/root/opt/gb/bin/gsi-book" all -q -o "$tmp/installed" "$top/book" >> "$tmp/why" 2>&1 &&
   [ "$(ls "$tmp/installed" | grep -c '\.\(pdf\|epub\)$')" = 2 ]; then
	pass "install"
else
	fail "install" "$tmp/why"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
