#!/bin/sh
# tests/bench/caches.sh - what each of gsi-book's caches saves (not run by
# 'make check': timings are not tests).
#
# For each bench book (book/ and genbook's books of SIZES pages, seed 42,
# as bench.sh makes them) and each cache directory under
# $XDG_CACHE_HOME/gsi-book, times the command that reads that cache with
# every cache warm (A) and with that one cache's directory removed just
# before the run (B), A and B in turn for RUNS rounds (a shared machine's
# slow spells fall on both alike), and prints the least of each and the
# saving, (B - A) / B, in CPU time (user and system, of every thread: what
# the cache spares, and not inflated by the other programs of a busy
# machine as wall time is) and in wall time.  The cache B empties is filled
# again by B's run, so the next A is warm.
#
# Environment: RUNS (7), SIZES ("10 100 300"), CACHES (all of them),
# GSI_BOOK (./gsi-book).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
gsi=${GSI_BOOK:-$top/gsi-book}
gen=$top/build/genbook
timeit=$top/build/timeit
work=$top/build/bench-caches
runs=${RUNS:-7}
sizes=${SIZES:-10 100 300}
caches=${CACHES:-verified coverage hyphen words covers subsets deflated tables}
export GSI_BOOK_DATA="$top" SOURCE_DATE_EPOCH=1700000000 LC_ALL=C
unset GSI_BOOK_NO_CACHE
mkdir -p "$work"

# the command that reads each cache (the one it is the largest share of)
command_of() {
	case $1 in
	covers | subsets | deflated | coverage | verified) echo epub ;;
	tables) echo check ;;
	*) echo pdf ;;
	esac
}

# run CMD DIR CACHEHOME: prints "CPU-ms WALL-ms"
run() {
	case $1 in
	check) set -- "$3" check -q "$2" ;;
	*) set -- "$3" "$1" -q -o "$work/out.$1" "$2" ;;
	esac
	ch=$1
	shift
	# (bash's time: milliseconds, where /usr/bin/time gives hundredths)
	XDG_CACHE_HOME=$ch TIMEFORMAT='%3U %3S %3R' bash -c 'time "$@" > /dev/null 2>&1' sh "$gsi" "$@" 2> "$work/time"
	awk '{ printf "%.0f %.0f\n", 1000 * ($1 + $2), 1000 * $3 }' "$work/time"
}

# min COLUMN < FILE
min() { cut -d' ' -f"$1" | sort -n | head -1; }
saving() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f %%", (b > 0 ? 100 * (b - a) / b : 0) }'; }

books="$top/book"
for n in $sizes; do
	[ -d "$work/book-$n" ] || "$gen" "$work/book-$n" "$n" 42
	books="$books $work/book-$n"
done

echo "| book | cache | command | CPU ms warm | CPU ms without | CPU saving | wall ms warm | wall ms without | wall saving |"
echo "|---|---|---|--:|--:|--:|--:|--:|--:|"
for b in $books; do
	for c in $caches; do
		cmd=$(command_of "$c")
		home=$work/home
		rm -rf "$home"
		mkdir -p "$home"
		# warm every cache (pdf and epub and check fill them all)
		for w in check epub pdf pdf; do run $w "$b" "$home" > /dev/null; done
		: > "$work/a"
		: > "$work/b"
		for _ in $(seq "$runs"); do
			rm -rf "$home/gsi-book/$c"
			run "$cmd" "$b" "$home" >> "$work/b"
			run "$cmd" "$b" "$home" >> "$work/a"
		done
		a=$(min 1 < "$work/a")
		bb=$(min 1 < "$work/b")
		wa=$(min 2 < "$work/a")
		wb=$(min 2 < "$work/b")
		echo "| $(basename "$b") | $c | $cmd | $a | $bb | $(saving "$a" "$bb") | $wa | $wb | $(saving "$wa" "$wb") |"
	done
done
