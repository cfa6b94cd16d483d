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
			for kind in words hyphen deflated subsets covers pages fontconfig; do
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

	# a book built before has its pages drawn while it is set, with the
	# same bytes as a build from scratch; after an edit that moves the
	# pages, the guess is dropped, again with the bytes of a fresh build
	c=$tmp/stream-$variant
	rm -rf "$c" "$tmp/sbook"
	cp -r "$top/tests/books/ten" "$tmp/sbook"
	: > "$tmp/why"
	streamed() {  # NAME: builds $tmp/sbook into $tmp/NAME.pdf, tells whether it was drawn while set
		XDG_CACHE_HOME="$c" SOURCE_DATE_EPOCH=1700000000 GSI_BOOK_DATA="$top" \
			"$gsi" pdf -v -o "$tmp/$1.pdf" "$tmp/sbook" > /dev/null 2> "$tmp/$1.err" ||
			echo "the $1 build failed" >> "$tmp/why"
		GSI_BOOK_NO_CACHE=1 SOURCE_DATE_EPOCH=1700000000 GSI_BOOK_DATA="$top" \
			"$gsi" pdf -q -o "$tmp/$1-fresh.pdf" "$tmp/sbook" >> "$tmp/why" 2>&1
		cmp "$tmp/$1.pdf" "$tmp/$1-fresh.pdf" >> "$tmp/why" 2>&1 ||
			echo "the $1 build differs from a fresh one" >> "$tmp/why"
		grep -q 'drew the pages while they were set' "$tmp/$1.err"
	}
	streamed first && echo "the first build had no page numbers to start from" >> "$tmp/why"
	streamed again || echo "the second build did not draw the pages while setting them" >> "$tmp/why"
	first=$(ls "$tmp/sbook"/*.md | head -n 1)
	awk 'NR == 1 { print; print ""; for (i = 0; i < 150; i++) printf "Words that push the pages on. "; print ""; next } 1' \
		"$first" > "$tmp/edited.md" && mv "$tmp/edited.md" "$first"
	streamed edited && echo "the edited build drew pages set with numbers that moved" >> "$tmp/why"
	streamed rebuilt || echo "the build after the edit did not draw the pages while setting them" >> "$tmp/why"
	if [ ! -s "$tmp/why" ]; then
		pass "pdf/drawn-while-set"
	else
		fail "pdf/drawn-while-set" "$tmp/why"
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
}


# prop_tests: the property tests, a directory each: tests/props/NAME/ (NAME
# may hold slashes: tests/props/pdf/kazakh/no-mixed-faces is the test
# pdf/kazakh/no-mixed-faces) and tests/lines/NAME/ (lines/NAME: issue 18's
# cases of hyphenation in every language, lines that never run over the
# margin, hard line breaks, inline code and addresses).  Each holds a
# 'check' script and what it reads (a book, or a reference to a shared
# one), and an optional 'variants' file naming the variants it runs in
# (default: all).  tests/lib/case.sh runs a check, after the library of
# checks tests/lib/checks.sh; tests/props/README.md says how to add one.
prop_tests() {
	export GSI="$gsi" UNIT="$unit" TOP="$top" VARIANT="$variant"
	export EPUBS="$tmp/epub/$variant" PDFS="$tmp/pdf/$variant" ALL="$tmp/all-$variant"
	{
		for dir in "$top"/tests/lines/*/; do [ -f "$dir/check" ] && echo "${dir%/}"; done
		find "$top/tests/props" -name check -type f | sed 's,/check$,,' | LC_ALL=C sort
	} > "$tmp/props"
	while IFS= read -r dir; do
		case $dir in
		"$top"/tests/lines/*) name=lines/${dir#"$top"/tests/lines/} ;;
		*) name=${dir#"$top"/tests/props/} ;;
		esac
		if [ -f "$dir/variants" ] && ! grep -qw -- "$variant" "$dir/variants"; then
			continue
		fi
		if sh "$top/tests/lib/case.sh" "$dir" "$tmp/prop" > "$tmp/why" 2>&1; then
			pass "$name"
		else
			fail "$name" "$tmp/why"
		fi
	done < "$tmp/props"
	rm -rf "$tmp/prop"
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

for spec in "$@"; do
	# shellcheck disable=SC2086 # "NAME GSI UNIT"
	run_variant $spec
	epub_tests
	pdf_tests
	prop_tests    # the property tests, a directory each (tests/props/, tests/lines/)
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
