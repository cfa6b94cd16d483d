#!/bin/sh
# tests/output-sums.sh [GSI] - the SHA-256 of every output of the test books,
# for checking that a change to the code (a move, a split) leaves every
# byte as it was: run it before and after, and compare the two lists.
#
# For book/, every tests/books/* and tests/labels/* book and a few of
# tests/corpus/books/*: both editions (`all -o DIR`), the PDF alone, the
# page layout (`pdf --dump-layout`), the tree (`dump`, `dump --text`), and
# for book/ the print variants (--gray, --marks, --profile kdp, --booklet) and a preview;
# each with its stderr and exit status.  Everything runs twice, in a
# private cache: with GSI_BOOK_NO_CACHE=1, then warm (after a run of
# `all` on each book filled the cache); when the warm sums differ from
# the first's, the difference is printed, so the list also shows that the
# caches do not change the bytes.  Not part of make check (it takes
# minutes).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
gsi=$(cd "$(dirname "${1:-./gsi-book}")" && pwd)/$(basename "${1:-./gsi-book}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache" GSI_BOOK_DATA="$top" TZ=UTC
unset SOURCE_DATE_EPOCH

books="book"
for d in "$top"/tests/books/* "$top"/tests/labels/*; do
	[ -f "$d/book.yaml" ] && books="$books ${d#$top/}"
done
for c in udhr-kk revizor jekyll-and-hyde commonmark-gfm-tables pandoc-manual; do
	books="$books tests/corpus/books/$c"
done

# one run of one command: its outputs' sums, stdout, stderr and status
run() { # mode name args...
	mode=$1 name=$2
	shift 2
	o="$tmp/o/$name"
	rm -rf "$o" && mkdir -p "$o"
	(cd "$top" && "$gsi" "$@" > "$o/.out" 2> "$o/.err"; echo $? > "$o/.status")
	# the outputs' names hold this run's temporary folder
	sed "s|$tmp|TMP|g" "$o/.out" > "$o/.stdout" && rm "$o/.out"
	sed "s|$tmp|TMP|g" "$o/.err" > "$o/.stderr" && rm "$o/.err"
	(cd "$o" && find . -type f | LC_ALL=C sort | while read -r f; do
		printf '%s  %s %s\n' "$(sha256sum < "$f" | cut -c1-64)" "$name" "$f"
	done)
}

pass() { # mode
	for b in $books; do
		n=$(echo "$b" | tr / _)
		dir=$b   # relative, as messages show it: the same in any checkout
		run "$1" "$n.all" all -o "$tmp/o/$n.all/out" "$dir"
		run "$1" "$n.pdf" pdf -o "$tmp/o/$n.pdf/out.pdf" "$dir"
		run "$1" "$n.layout" pdf --dump-layout "$dir"
		run "$1" "$n.dump" dump "$dir"
		run "$1" "$n.text" dump --text "$dir"
		run "$1" "$n.check" check "$dir"
	done
	dir=book
	run "$1" book.gray pdf --gray -o "$tmp/o/book.gray/out.pdf" "$dir"
	run "$1" book.marks pdf --marks -o "$tmp/o/book.marks/out.pdf" "$dir"
	run "$1" book.kdp pdf --profile kdp -o "$tmp/o/book.kdp/out.pdf" "$dir"
	run "$1" book.booklet pdf --booklet -o "$tmp/o/book.booklet/out.pdf" "$dir"
	run "$1" book.epub epub -o "$tmp/o/book.epub/out.epub" "$dir"
	run "$1" book.preview preview --pages 1-4 --dpi 40 -o "$tmp/o/book.preview/out" "$dir"
}

# fills the cache (not compared: a cold run writes what a warm one reads)
fill() {
	for b in $books; do
		(cd "$top" && "$gsi" all -q -o "$tmp/fill" "$b" > /dev/null 2>&1)
	done
}

GSI_BOOK_NO_CACHE=1 pass nocache > "$tmp/nocache"
fill
pass warm > "$tmp/warm"
cat "$tmp/nocache"
for m in warm; do
	diff "$tmp/nocache" "$tmp/$m" > "$tmp/d" || { echo "== $m run differs from the uncached one:"; cat "$tmp/d"; }
done
