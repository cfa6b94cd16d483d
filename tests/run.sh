#!/bin/sh
# tests/run.sh - the runner of every test of gsi-book, run by 'make check'.
#
#   sh tests/run.sh "NAME GSI UNIT" ...
#
# Runs the whole suite once per build variant (NAME, the gsi-book binary
# GSI and the unit-test binary UNIT), prints a line per test ("ok     [NAME]
# TEST", or "FAILED [NAME] TEST" and why) and ends with the line "N passed,
# N failed"; exits 0 when none failed.  The tests are files, each beside
# its inputs; this file only runs them:
# - the unit tests (tests/unit.c and tests/unit/*.c: the binary UNIT);
# - golden cases, tests/cases/NAME/: the command line in 'args' (default:
#   check book), the expected 'stdout', 'stderr' and exit 'status'
#   (missing files mean empty output and status 0), and a 'setup' script
#   for what git cannot hold (run in a copy of the case).  A case must
#   leave its directory as it found it: no output file on any error;
# - the bad-input corpus, tests/bad/NAME/ (see bad() below);
# - property tests, a directory each, tests/props/NAME/ and
#   tests/lines/NAME/: a 'check' script with the library of checks
#   tests/lib/checks.sh (tests/props/README.md: how to add one);
# then, once: the variants wrote the same bytes, the validators (EPUBCheck,
# DAISY Ace: tests/validate.sh) on the first variant's EPUBs, the reading-
# engine test (tests/engine/run.sh) on the test books' EPUBs, the corpus of
# real books (plain build only, their EPUBs in the reading engine too) and
# 'make install'.
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
		(cd "$dir" && GSI_BOOK_DATA="$data" SOURCE_DATE_EPOCH=1700000000 timeout -k 5 120 \
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

# the library of checks (tests/lib/checks.sh): words, without_notes,
# unhyphenate, in_order, and the tools that fail when missing
. "$top/tests/lib/checks.sh"

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
}



# prop_tests: the property tests, a directory each: tests/props/NAME/ (NAME
# may hold slashes: tests/props/pdf/kazakh/no-mixed-faces is the test
# pdf/kazakh/no-mixed-faces) and tests/lines/NAME/ (lines/NAME: issue 18's
# cases of hyphenation in every language, lines that never run over the
# margin, hard line breaks, inline code and addresses), and the 'check' of
# a golden case, tests/cases/NAME/check (cases/NAME/property: the property
# the golden output was added for, asserted beside it).  Each holds a
# 'check' script and what it reads (a book, or a reference to a shared
# one), and an optional 'variants' file naming the variants it runs in
# (default: all).  A directory named @book (tests/props/pdf/@book/fonts)
# is run once for each book of every_book, with BOOK_NAME and BOOK set, and
# named after it (pdf/long/fonts).  tests/lib/case.sh runs a check, after the library of
# checks tests/lib/checks.sh; tests/props/README.md says how to add one.
# prop DIR NAME: the case DIR, reported as the test NAME
prop() {
	if sh "$top/tests/lib/case.sh" "$1" "$tmp/prop" > "$tmp/why" 2>&1; then
		pass "$2"
	else
		fail "$2" "$tmp/why"
	fi
}

prop_tests() {
	export GSI="$gsi" UNIT="$unit" TOP="$top" VARIANT="$variant"
	export EPUBS="$tmp/epub/$variant" PDFS="$tmp/pdf/$variant" ALL="$tmp/all-$variant"
	{
		for dir in "$top"/tests/lines/*/ "$top"/tests/cases/*/; do [ -f "$dir/check" ] && echo "${dir%/}"; done
		find "$top/tests/props" -name check -type f | sed 's,/check$,,' | LC_ALL=C sort
	} > "$tmp/props"
	while IFS= read -r dir; do
		case $dir in
		"$top"/tests/lines/*) name=lines/${dir#"$top"/tests/lines/} ;;
		"$top"/tests/cases/*) name=cases/${dir#"$top"/tests/cases/}/property ;;
		*) name=${dir#"$top"/tests/props/} ;;
		esac
		if [ -f "$dir/variants" ] && ! grep -qw -- "$variant" "$dir/variants"; then
			continue
		fi
		case $name in
		*@book*)  # once for each book of every_book, named after it
			TOP=$top every_book > "$tmp/every-book"
			while read -r BOOK_NAME BOOK; do
				export BOOK_NAME BOOK
				prop "$dir" "$(echo "$name" | sed "s|@book|$BOOK_NAME|")"
			done < "$tmp/every-book"
			unset BOOK_NAME BOOK ;;
		*) prop "$dir" "$name" ;;
		esac
	done < "$tmp/props"
	rm -rf "$tmp/prop"
}


for spec in "$@"; do
	# shellcheck disable=SC2086 # "NAME GSI UNIT"
	run_variant $spec
	prop_tests    # the property tests, a directory each (tests/props/, tests/lines/)
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
	# Standard Ebooks' lint rules that apply to a born-digital book
	# (tests/selint.py; README, "Standard Ebooks' lint"), on every EPUB
	for f in "$first"*.epub; do
		name=selint/$(basename "$f" .epub)
		if ! command -v python3 > /dev/null; then
			echo "python3 missing" > "$tmp/why"
			fail "$name" "$tmp/why"
		elif python3 "$top/tests/selint.py" "$f" > "$tmp/why" 2>&1; then
			pass "$name"
		else
			fail "$name" "$tmp/why"
		fi
	done
	sh "$top/tests/validate.sh" epubcheck "$tmp/reports" "$tmp/invalid.epub" > "$tmp/why" 2>&1 &&
		echo "epubcheck passed an invalid EPUB" >> "$tmp/why"
	if grep -q '^FAILED epubcheck invalid: .*1 errors' "$tmp/why"; then
		pass "epubcheck finds errors"
	else
		fail "epubcheck finds errors" "$tmp/why"
	fi
	sh "$top/tests/validate.sh" ace "$tmp/reports" "${first}book.epub" "${first}escape.epub" \
		"${first}structure.epub" "${first}book-paged.epub" "${first}pagestarts-paged.epub" \
		"${first}markdown.epub" "${first}kobo-book.kepub.epub" \
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

# the reading-engine test (tests/engine/run.sh: foliate-js in chromium,
# issue 23), once, on the first variant's EPUBs of every_book (the
# validators' $first): the real book as 'gsi-book all' writes it (with its
# page-list, book-paged.epub) turned page by page at both sizes in every
# theme, the others at the first page of each section; the screenshots
# stay in build/engine/shots/
if [ -n "$first" ]; then
	variant=engine
	rm -rf "$tmp/engine"
	mkdir -p "$tmp/engine"
	TOP=$top every_book | while read -r name dir; do
		[ "$name" = book ] || [ ! -f "$first$name.epub" ] || cp "$first$name.epub" "$tmp/engine/"
	done
	{ sh "$top/tests/engine/run.sh" "$top/build/engine" "${first}book-paged.epub"
	  sh "$top/tests/engine/run.sh" --pages first "$top/build/engine" "$tmp/engine/"*.epub
	} > "$tmp/engine.out" 2>&1
	count_report "$tmp/engine.out"
fi

# the corpus of real books (issue 19, tests/corpus/): built and checked
# once, with the plain build only (make asan skips it; make corpus runs it
# alone); their EPUBs then in the reading engine, at a phone's size in the
# dark theme, the first page of each section (CI's time)
corpus_tests() {
	variant=corpus
	rm -rf "$tmp/corpus-epubs"
	mkdir -p "$tmp/corpus-epubs"
	CORPUS_EPUBS=$tmp/corpus-epubs sh "$top/tests/corpus/run.sh" "$1" 2>&1 |
		grep -v '^[0-9]* passed, [0-9]* failed$' > "$tmp/corpus"
	count_report "$tmp/corpus"
	variant=engine
	sh "$top/tests/engine/run.sh" --sizes phone --themes dark --pages first \
		"$top/build/engine" "$tmp/corpus-epubs/"*.epub > "$tmp/engine.out" 2>&1
	count_report "$tmp/engine.out"
}
for spec in "$@"; do
	# shellcheck disable=SC2086 # "NAME GSI UNIT"
	set -- $spec
	[ "$1" = plain ] && corpus_tests "$2"
	variant=$1; sh "$top/tests/same-bytes.sh" "$2" $([ "$1" = plain ] || echo "$top/tests/same-bytes/small-caps $top/tests/same-bytes/control-whitespace 100") > "$tmp/same" 2>&1; count_report "$tmp/same"  # issue 20: the caches cannot lie (the 300-page book in the plain build only)
done

# make install honours PREFIX and DESTDIR, and installs the man page; the
# installed program finds its fonts and styles
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
