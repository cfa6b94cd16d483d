#!/bin/sh
# tests/bench/bench.sh - the benchmark run by 'make bench' (not by 'make
# check': these machines are noisy, timings are not tests).
#
# Times gsi-book epub, pdf and all on the real book and on synthetic books
# of about 10, 100, 300 and 1000 printed pages (tests/bench/genbook.c,
# deterministic from a seed), at least RUNS times each (default 5; with
# hyperfine, quick commands run for about 3 s), after a warm-up run: the
# median wall time, the spread (fastest-slowest) and the peak RSS.
# With hyperfine installed it measures (no shell in between); otherwise
# date(1) around each run does.  When pandoc, WeasyPrint or XeLaTeX are
# installed, the same content goes through them too, in the same run, and
# the table shows how many times longer they take than gsi-book:
#   pandoc to EPUB                  against gsi-book epub
#   pandoc to HTML, then WeasyPrint against gsi-book pdf
#   pandoc with XeLaTeX             against gsi-book pdf
#
# Environment: RUNS (5), SIZES ("10 100 300 1000"), OTHERS=0 to leave the
# other tools out, GSI_BOOK (the gsi-book to time, ./gsi-book).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gsi=${GSI_BOOK:-$top/gsi-book}
gen=$top/build/genbook
work=$top/build/bench
runs=${RUNS:-5}
sizes=${SIZES:-10 100 300 1000}
others=${OTHERS:-1}
export GSI_BOOK_DATA="$top" SOURCE_DATE_EPOCH=1700000000 LC_ALL=C
mkdir -p "$work"

have() { command -v "$1" > /dev/null 2>&1; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# quote ARG...: the arguments as one shell-quoted command line
quote() {
	for a; do
		printf "'%s' " "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")"
	done
}

# measure CMD...: prints "median fastest slowest rss_mb", or "- - - -"
measure() {
	"$@" > /dev/null 2>&1 || { echo "- - - -"; return; }   # warm-up
	rss=-
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o "$work/rss" "$@" > /dev/null 2>&1 &&
			rss=$(($(tail -n 1 "$work/rss") / 1024))
	fi
	if have hyperfine; then
		# at least $runs runs; quick commands run more often (hyperfine
		# keeps going for about 3 s), so that their medians hold still
		hyperfine -N --min-runs "$runs" --export-json "$work/h.json" -- \
			"$(quote "$@")" > /dev/null 2>&1 || { echo "- - - -"; return; }
		tr -d ' \n' < "$work/h.json" | sed 's/.*"times":\[\([^]]*\)\].*/\1/' |
			tr ',' '\n' | awk '{ printf "%d\n", $1 * 1000 + 0.5 }' > "$work/times"
	else
		: > "$work/times"
		for _ in $(seq "$runs"); do
			t0=$(now_ms)
			"$@" > /dev/null 2>&1
			echo $(($(now_ms) - t0)) >> "$work/times"
		done
	fi
	sort -n "$work/times" | awk -v rss="$rss" '{ t[NR] = $1 } END {
		m = NR % 2 ? t[(NR + 1) / 2] : int((t[NR / 2] + t[NR / 2 + 1]) / 2)
		printf "%d %d %d %s\n", m, t[1], t[NR], rss }'
}

# cell MEDIAN FASTEST SLOWEST RSS: "57 ms (55-60), 28 MB"
cell() {
	[ "$1" = - ] && { printf 'failed'; return; }
	printf '%s ms (%s-%s)' "$1" "$2" "$3"
	[ "$4" != - ] && printf ', %s MB' "$4"
}

# ratio OTHER MINE: "x12.3"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "-") printf "x%.1f", a / b; else printf "-" }'; }

pages_of() { "$gsi" pdf --dump-layout "$1" | sed -n '1s/.*, \([0-9]*\) pages/\1/p'; }

row() {  # NAME DIR
	name=$1 dir=$2
	p=$(pages_of "$dir")
	# shellcheck disable=SC2046
	set -- $(measure "$gsi" epub -q -o "$work/out.epub" "$dir"); epub=$(cell "$@"); epub_ms=$1
	# shellcheck disable=SC2046
	set -- $(measure "$gsi" pdf -q -o "$work/out.pdf" "$dir"); pdf=$(cell "$@"); pdf_ms=$1
	# shellcheck disable=SC2046
	set -- $(measure "$gsi" all -q -o "$work/all" "$dir"); all=$(cell "$@")
	line="| $name | $p | $epub | $pdf | $all |"
	if [ "$others" = 1 ] && have pandoc; then
		files=$(awk '/^  - file: /{print $3}' "$dir/book.yaml" | sed "s|^|$dir/|" | tr '\n' ' ')
		# shellcheck disable=SC2046,SC2086
		set -- $(measure pandoc --metadata title=Bench -o "$work/pandoc.epub" $files)
		line="$line $(cell "$@") $(ratio "$1" "$epub_ms") |"
		if have weasyprint; then
			# shellcheck disable=SC2046
			set -- $(measure sh -c "pandoc -s --metadata title=Bench -o '$work/w.html' $files && weasyprint '$work/w.html' '$work/w.pdf'")
			line="$line $(cell "$@") $(ratio "$1" "$pdf_ms") |"
		else
			line="$line not installed |"
		fi
		if have xelatex; then
			# shellcheck disable=SC2046,SC2086
			set -- $(measure pandoc --pdf-engine=xelatex --metadata title=Bench -o "$work/x.pdf" $files)
			line="$line $(cell "$@") $(ratio "$1" "$pdf_ms") |"
		else
			line="$line not installed |"
		fi
	fi
	echo "$line"
}

timer=date
have hyperfine && timer="hyperfine $(hyperfine --version | cut -d' ' -f2)"
echo "gsi-book $("$gsi" --version | cut -d' ' -f2) on $(nproc) cores: median wall time of at least $runs runs after a warm-up (fastest-slowest, by $timer), peak RSS"
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
