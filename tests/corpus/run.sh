#!/bin/sh
# tests/corpus/run.sh GSI [BOOKDIR...] - the corpus of real books: runs
# tests/corpus/check.sh with gsi-book GSI on every tests/corpus/books/*/
# (or the BOOKDIRs given), then tests/corpus/selftest.sh (the checks fail
# on wrong editions).  Prints "ok NAME" or "FAILED NAME: N problems" a
# book, its problems indented below, and the times of each book on
# "    time:" lines; tests/run.sh counts these lines with its other tests
# (count_report), and `make corpus` runs this script alone, ending with
# "N passed, N failed".  Exits 1 if any book fails.  With CORPUS_EPUBS set
# to a directory, each book's EPUB is copied there as NAME.epub.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gsi=$1
shift
case $gsi in /*) ;; *) gsi=$(pwd)/$gsi ;; esac
[ $# -gt 0 ] || set -- "$top"/tests/corpus/books/*/
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gsi-book-corpus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export GSI_BOOK_DATA=${GSI_BOOK_DATA:-$top} TZ=UTC SOURCE_DATE_EPOCH=1700000000
passed=0
failed=0
for dir in "$@"; do
	[ -f "$dir/book.yaml" ] || continue
	name=$(basename "$dir")
	out=$tmp/$name
	start=$(date +%s)
	sh "$top/tests/corpus/check.sh" "$gsi" "$dir" "$out" > "$tmp/problems" 2>&1
	status=$?
	if [ "$status" = 0 ]; then
		passed=$((passed + 1))
		echo "ok $name"
	else
		failed=$((failed + 1))
		echo "FAILED $name: $(wc -l < "$tmp/problems") problems"
		sed -n '1,60s/^/    /p' "$tmp/problems"
	fi
	# CORPUS_EPUBS: a directory for the EPUB of each book (the epub
	# command's), for the reading-engine test (tests/run.sh)
	[ -n "${CORPUS_EPUBS:-}" ] && [ -f "$out/epub/$name.epub" ] &&
		cp "$out/epub/$name.epub" "$CORPUS_EPUBS/$name.epub"
	[ -f "$out/times" ] && sed 's/^/    /' "$out/times"
	echo "    time: $name $(($(date +%s) - start)) s in all"
done
sh "$top/tests/corpus/selftest.sh" "$gsi" "$tmp/selftest" > "$tmp/self" 2>&1
cat "$tmp/self"
passed=$((passed + $(grep -c '^ok ' "$tmp/self")))
failed=$((failed + $(grep -c '^FAILED ' "$tmp/self")))
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
