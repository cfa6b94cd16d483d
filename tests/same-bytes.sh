#!/bin/sh
# tests/same-bytes.sh GSI [BOOK...] - the caches cannot lie (issue 20,
# section 3).  Each BOOK, a number of pages (genbook's bench book of that
# many pages, seed 42, as `make bench` makes it, its section headings given
# words in capitals, which are set in small capitals) or a book's
# directory (copied), is built by gsi-book GSI
#   cold    with an empty cache (XDG_CACHE_HOME of its own),
#   warm    again with the cache the cold build filled,
#   third   once more (a build that uses what the warm build kept),
#   none    with GSI_BOOK_NO_CACHE=1,
#   edited  after an edit (a paragraph and a heading added in the middle
#           of the book, which moves the page numbers), then
#   revert  after the edit is undone, and
#   again   once more,
# each with `gsi-book all` (the PDF and the EPUB with its page numbers),
# and with `gsi-book pdf` and `gsi-book epub` cold, warm and third; every
# build but the edited one must give the cold build's bytes, and the
# edited one others.  Default: tests/same-bytes/small-caps and
# control-whitespace, 100 and 300.
# Then a font changed in place must not pass the check of its sum from
# the cache (same-bytes/font-changed-in-place).
# Prints "ok NAME" or "FAILED NAME" with why, indented (tests/run.sh
# counts the lines); exits 1 on a failure.
#
# tests/same-bytes/small-caps is a book on which the build after the first
# set a contents entry otherwise (before 5714e88): "SCO" at the end of the
# entry's first line, in small capitals, where the first build and one
# without the cache had measured it in full capitals and carried it over.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
gsi=$1
shift
case $gsi in /*) ;; *) gsi=$(pwd)/$gsi ;; esac
[ $# -gt 0 ] || set -- "$top/tests/same-bytes/small-caps" "$top/tests/same-bytes/control-whitespace" 100 300
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gsi-book-same.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export GSI_BOOK_DATA=${GSI_BOOK_DATA:-$top} TZ=UTC LC_ALL=C SOURCE_DATE_EPOCH=1700000000
unset GSI_BOOK_NO_CACHE
status=0

# build HOW CMD: gsi-book CMD of the book into $tmp/out-HOW-CMD, with the
# book's own cache ($tmp/cache), or none for HOW none
build() {
	off=
	[ "$1" = none ] && off=1
	case $2 in
	all) out=$tmp/out-$1-all ;;
	pdf) out=$tmp/out-$1-pdf/book.pdf ;;
	epub) out=$tmp/out-$1-epub/book.epub ;;
	esac
	rm -rf "$tmp/out-$1-$2"
	mkdir -p "$tmp/out-$1-$2"
	XDG_CACHE_HOME=$tmp/cache GSI_BOOK_NO_CACHE=$off "$gsi" "$2" -q -o "$out" "$book" \
		>> "$tmp/why" 2>&1 || echo "the $1 build ($2) failed" >> "$tmp/why"
}

# same HOW CMD: the files of build HOW are those of the cold one
same() {
	n=0
	for f in "$tmp/out-cold-$2"/*; do
		n=$((n + 1))
		g=$tmp/out-$1-$2/$(basename "$f")
		cmp -s "$f" "$g" && continue
		echo "the $1 build ($2) differs from the cold one: $(basename "$f")" >> "$tmp/why"
		case $f in
		*.pdf)
			# what differs, in words, where pdftotext sees it
			pdftotext -layout "$f" "$tmp/a.txt" 2> /dev/null
			pdftotext -layout "$g" "$tmp/b.txt" 2> /dev/null
			diff "$tmp/a.txt" "$tmp/b.txt" | sed -n '1,6s/^/  /p' >> "$tmp/why" ;;
		esac
	done
	[ "$n" -gt 0 ] || echo "the cold build ($2) wrote nothing" >> "$tmp/why"
}

for what; do
	rm -rf "$tmp/book" "$tmp/cache" "$tmp"/out-*
	book=$tmp/book
	: > "$tmp/why"
	case $what in
	*[!0-9]*)
		name=same-bytes/$(basename "$what")
		cp -R "$what" "$book" ;;
	*)
		name=same-bytes/book-$what
		"$top/build/genbook" "$book" "$what" 42 > /dev/null || echo "genbook failed" >> "$tmp/why"
		# words in capitals in every section heading (small capitals)
		for f in "$book"/chapter-*.md; do
			sed 's/^## Section \(.*\)$/## Section \1: principles of the UN Charter and NATO/' "$f" > "$tmp/md" &&
				mv "$tmp/md" "$f"
		done ;;
	esac
	for how in cold warm third none; do
		build $how all
	done
	mid=$(ls "$book"/*.md | sed -n "$(($(ls "$book"/*.md | wc -l) / 2 + 1))p")
	cp "$mid" "$tmp/saved.md"
	{
		printf '\n## An Added Section on the UN\n\n'
		for _ in $(seq 40); do printf 'A sentence added, then taken away again. '; done
		printf '\n'
	} >> "$mid"
	build edited all
	cp "$tmp/saved.md" "$mid"
	build revert all
	build again all
	for how in warm third none revert again; do
		same $how all
	done
	cmp -s "$tmp/out-cold-all"/*.pdf "$tmp/out-edited-all"/*.pdf &&
		echo "the edit changed nothing in the PDF: the test does not test" >> "$tmp/why"
	rm -rf "$tmp/cache"
	for cmd in pdf epub; do
		for how in cold warm third; do
			build $how $cmd
		done
		same warm $cmd
		same third $cmd
	done
	if [ -s "$tmp/why" ]; then
		echo "FAILED $name"
		sed -n '1,40s/^/    /p' "$tmp/why"
		status=1
	else
		echo "ok $name"
	fi
done
# A font rewritten in place, its size and modification time kept (cp -p,
# rsync -t, touch -r): the check that it still has the manifest's sum,
# which the cache remembers (verified/), must be made again, as it is
# without the cache.
name=same-bytes/font-changed-in-place
rm -rf "$tmp/data" "$tmp/cache"
: > "$tmp/why"
mkdir -p "$tmp/data/fonts"
cp -R "$GSI_BOOK_DATA/styles" "$tmp/data/"
for f in "$GSI_BOOK_DATA"/fonts/*; do
	ln -s "$f" "$tmp/data/fonts/"
done
font=$tmp/data/fonts/LinLibertine_R.otf
rm -f "$font"
cp -p "$GSI_BOOK_DATA/fonts/LinLibertine_R.otf" "$font"
GSI_BOOK_DATA=$tmp/data XDG_CACHE_HOME=$tmp/cache "$gsi" check -q "$top/book" >> "$tmp/why" 2>&1 ||
	echo "the check before the change failed" >> "$tmp/why"
cp -p "$font" "$tmp/time-ref"
printf '\377' | dd of="$font" bs=1 seek=$(($(wc -c < "$font") / 2)) conv=notrunc 2> /dev/null
touch -r "$tmp/time-ref" "$font"
cmp -s "$font" "$tmp/time-ref" && echo "the font did not change" >> "$tmp/why"
GSI_BOOK_DATA=$tmp/data XDG_CACHE_HOME=$tmp/cache "$gsi" check -q "$top/book" > "$tmp/out" 2>&1 &&
	echo "a font that does not match its sum passed the check (from the cache)" >> "$tmp/why"
grep -q 'does not match its sha256' "$tmp/out" ||
	{ echo "no word of the font's sum:"; cat "$tmp/out"; } >> "$tmp/why"
if [ -s "$tmp/why" ]; then
	echo "FAILED $name"
	sed -n '1,20s/^/    /p' "$tmp/why"
	status=1
else
	echo "ok $name"
fi
exit $status
