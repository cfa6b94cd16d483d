#!/bin/sh
# tests/bench/bench.sh - the benchmark run by 'make bench' (not by 'make
# check': these machines are noisy, timings are not tests).
#
# Times gsi-book epub, pdf and all on the real book and on synthetic books
# of about 10, 100, 300 and 1000 printed pages (tests/bench/genbook.c,
# deterministic from a seed), RUNS times each (default 5): the median wall
# time, the spread (fastest-slowest) and the peak RSS (with /usr/bin/time).
# When pandoc, WeasyPrint or XeLaTeX are installed, the same content goes
# through them too, in the same run, and the table shows the ratios.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gsi=$top/gsi-book
gen=$top/build/genbook
work=$top/build/bench
runs=${RUNS:-5}
sizes=${SIZES:-10 100 300 1000}
export GSI_BOOK_DATA="$top" SOURCE_DATE_EPOCH=1700000000 LC_ALL=C
mkdir -p "$work"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# measure NAME CMD...: prints "median spread rss" over $runs runs
measure() {
	: > "$work/times"
	rss=-
	for i in $(seq "$runs"); do
		t0=$(now_ms)
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f %M -o "$work/rss" "$@" > /dev/null 2>&1 || { echo "failed failed failed"; return; }
			rss=$(tail -n 1 "$work/rss")
		else
			"$@" > /dev/null 2>&1 || { echo "failed failed failed"; return; }
		fi
		t1=$(now_ms)
		echo $((t1 - t0)) >> "$work/times"
	done
	sort -n "$work/times" | awk -v rss="$rss" '{ t[NR] = $1 } END {
		m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
		printf "%d %d-%d %s\n", m, t[1], t[NR], rss == "-" ? "-" : int(rss / 1024) "MB" }'
}

pages_of() { "$gsi" pdf --dump-layout "$1" | sed -n '1s/.*, \([0-9]*\) pages/\1/p'; }

row() {  # NAME DIR
	name=$1 dir=$2
	p=$(pages_of "$dir")
	set -- $(measure "$gsi" epub -q -o "$work/out.epub" "$dir"); epub="$1 ms ($2)"; erss=$3
	set -- $(measure "$gsi" pdf -q -o "$work/out.pdf" "$dir"); pdf="$1 ms ($2)"; prss=$3; pdf_ms=$1
	set -- $(measure "$gsi" all -q -o "$work/all" "$dir"); all="$1 ms ($2)"; arss=$3
	epub_ms=${epub%% *}
	extra=""
	if command -v pandoc > /dev/null; then
		files=$(awk '/^  - file: /{print $3}' "$dir/book.yaml" | sed "s|^|$dir/|")
		# shellcheck disable=SC2086
		set -- $(measure pandoc --metadata title=Bench -o "$work/pandoc.epub" $files)
		extra="$extra | pandoc epub $1 ms (x$(awk -v a="$1" -v b="$epub_ms" 'BEGIN { printf "%.1f", a / b }'))"
		if command -v weasyprint > /dev/null; then
			# shellcheck disable=SC2086
			set -- $(measure sh -c "pandoc -s --metadata title=Bench -o '$work/w.html' $files && weasyprint '$work/w.html' '$work/w.pdf'")
			extra="$extra | pandoc+weasyprint $1 ms (x$(awk -v a="$1" -v b="$pdf_ms" 'BEGIN { printf "%.1f", a / b }'))"
		fi
		if command -v xelatex > /dev/null; then
			# shellcheck disable=SC2086
			set -- $(measure pandoc --pdf-engine=xelatex --metadata title=Bench -o "$work/x.pdf" $files)
			extra="$extra | pandoc+xelatex $1 ms (x$(awk -v a="$1" -v b="$pdf_ms" 'BEGIN { printf "%.1f", a / b }'))"
		fi
	fi
	printf '| %s | %s | %s %s | %s %s | %s %s%s |\n' "$name" "$p" "$epub" "$erss" "$pdf" "$prss" "$all" "$arss" "$extra"
}

echo "gsi-book $("$gsi" --version | cut -d' ' -f2), $runs runs each: median wall time (fastest-slowest), peak RSS"
echo
echo "| book | pages | epub | pdf | all | others (ratio to gsi-book) |"
echo "|---|---|---|---|---|---|"
row "the book" "$top/book"
for n in $sizes; do
	[ -d "$work/book-$n" ] || "$gen" "$work/book-$n" "$n" 42
	row "synthetic $n" "$work/book-$n"
done
