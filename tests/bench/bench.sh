#!/bin/sh
# tests/bench/bench.sh - the benchmark run by 'make bench' (not by 'make
# check': these machines are noisy, timings are not tests).
#
# Times gsi-book epub, pdf and all on the real book and on synthetic books
# of about 10, 100, 300 and 1000 printed pages (tests/bench/genbook.c,
# deterministic from a seed): the median wall time, the spread
# (fastest-slowest) and the peak RSS.  When pandoc, WeasyPrint or XeLaTeX
# are installed, the same content goes through them too, and the table
# shows how many times longer they take than gsi-book:
#   pandoc to EPUB                  against gsi-book epub
#   pandoc to HTML, then WeasyPrint against gsi-book pdf
#   pandoc with XeLaTeX             against gsi-book pdf
#
# How: each command runs once to warm up, then RUNS rounds (default 5)
# run every command in turn, so that all of them are timed over the same
# minutes and a slow or fast spell of a shared machine falls on each
# alike.  In a round, a quick command runs several times (about 300 ms of
# it, at most 20 runs), so that its median holds still.  build/timeit
# (timeit.c) times each run: no shell in between, the output to /dev/null,
# the peak RSS from wait4.
#
# Environment: RUNS (5), SIZES ("10 100 300 1000"), OTHERS=0 to leave the
# other tools out, GSI_BOOK (the gsi-book to time, ./gsi-book).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gsi=${GSI_BOOK:-$top/gsi-book}
gen=$top/build/genbook
timeit=$top/build/timeit
work=$top/build/bench
runs=${RUNS:-5}
sizes=${SIZES:-10 100 300 1000}
others=${OTHERS:-1}
export GSI_BOOK_DATA="$top" SOURCE_DATE_EPOCH=1700000000 LC_ALL=C
mkdir -p "$work"

have() { command -v "$1" > /dev/null 2>&1; }

# run ID: runs command ID of the row once, adding "ms kb" to $work/t.ID
run() {
	case $1 in
	epub) "$timeit" "$gsi" epub -q -o "$work/out.epub" "$dir" ;;
	pdf) "$timeit" "$gsi" pdf -q -o "$work/out.pdf" "$dir" ;;
	all) "$timeit" "$gsi" all -q -o "$work/all" "$dir" ;;
	# shellcheck disable=SC2086
	pandoc) "$timeit" pandoc --metadata title=Bench -o "$work/pandoc.epub" $files ;;
	weasyprint) "$timeit" sh -c "pandoc -s --metadata title=Bench -o '$work/w.html' $files && weasyprint '$work/w.html' '$work/w.pdf'" ;;
	# shellcheck disable=SC2086
	xelatex) "$timeit" pandoc --pdf-engine=xelatex --metadata title=Bench -o "$work/x.pdf" $files ;;
	esac >> "$work/t.$1"
}

# measure ID...: times the commands, round after round; leaves in
# $work/s.ID "median fastest slowest rss_mb", or "-" for a command that failed
measure() {
	for id; do
		rm -f "$work/t.$id" "$work/s.$id"
		if run "$id"; then                      # the warm-up
			ms=$(cut -d' ' -f1 "$work/t.$id")
			echo "$ms" | awk '{ n = int(300 / ($1 + 1)) + 1; print (n > 20 ? 20 : n) }' > "$work/n.$id"
		else
			echo - > "$work/s.$id"
		fi
		: > "$work/t.$id"
	done
	for _ in $(seq "$runs"); do
		for id; do
			[ -e "$work/s.$id" ] && continue
			for _ in $(seq "$(cat "$work/n.$id")"); do
				run "$id" || { echo - > "$work/s.$id"; break; }
			done
		done
	done
	for id; do
		[ -e "$work/s.$id" ] && continue
		sort -n "$work/t.$id" | awk '{ t[NR] = $1; if ($2 > rss) rss = $2 } END {
			m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
			printf "%d %d %d %d\n", m + 0.5, t[1] + 0.5, t[NR] + 0.5, rss / 1024 + 0.5 }' > "$work/s.$id"
	done
}

# cell ID: "57 ms (55-60), 28 MB", or "failed"
cell() {
	# shellcheck disable=SC2046
	set -- $(cat "$work/s.$1")
	[ "$1" = - ] && { printf 'failed'; return; }
	printf '%s ms (%s-%s), %s MB' "$1" "$2" "$3" "$4"
}

# ratio OTHER MINE: "x12.3", how many times longer OTHER's median took
ratio() {
	awk -v a="$(cut -d' ' -f1 "$work/s.$1")" -v b="$(cut -d' ' -f1 "$work/s.$2")" \
		'BEGIN { if (a != "-" && b != "-" && b > 0) printf "x%.1f", a / b; else printf "-" }'
}

pages_of() { "$gsi" pdf --dump-layout "$1" | sed -n '1s/.*, \([0-9]*\) pages/\1/p'; }

row() {  # NAME DIR
	name=$1 dir=$2
	p=$(pages_of "$dir")
	files=$(awk '/^  - file: /{print $3}' "$dir/book.yaml" | sed "s|^|$dir/|" | tr '\n' ' ')
	ids="epub pdf all"
	rm -f "$work"/s.*
	if [ "$others" = 1 ]; then
		have pandoc && ids="$ids pandoc"
		have pandoc && have weasyprint && ids="$ids weasyprint"
		have pandoc && have xelatex && ids="$ids xelatex"
	fi
	# shellcheck disable=SC2086
	measure $ids
	line="| $name | $p | $(cell epub) | $(cell pdf) | $(cell all) |"
	if [ "$others" = 1 ] && have pandoc; then
		line="$line $(cell pandoc) $(ratio pandoc epub) |"
		for id in weasyprint xelatex; do
			if [ -e "$work/s.$id" ]; then
				line="$line $(cell $id) $(ratio $id pdf) |"
			else
				line="$line not installed |"
			fi
		done
	fi
	echo "$line"
}

echo "gsi-book $("$gsi" --version | cut -d' ' -f2) on $(nproc) cores: median wall time over $runs rounds that run each command in turn, after a warm-up (fastest-slowest), peak RSS"
echo
if [ "$others" = 1 ] && have pandoc; then
	echo "| book | pages | gsi-book epub | gsi-book pdf | gsi-book all | pandoc epub | pandoc + WeasyPrint pdf | pandoc + XeLaTeX pdf |"
	echo "|---|--:|---|---|---|---|---|---|"
else
	echo "| book | pages | gsi-book epub | gsi-book pdf | gsi-book all |"
	echo "|---|--:|---|---|---|"
fi
row "the book" "$top/book"
for n in $sizes; do
	[ -d "$work/book-$n" ] && [ "$work/book-$n/book.yaml" -nt "$gen" ] ||
		{ rm -rf "$work/book-$n"; "$gen" "$work/book-$n" "$n" 42; }
	row "synthetic $n" "$work/book-$n"
done
echo
echo "Others: 'xN' is how many times longer they took than gsi-book (epub against"
echo "pandoc's EPUB, pdf against WeasyPrint's and XeLaTeX's PDF)."
