#!/bin/sh
# tests/stress/stress.sh - builds one large book many times under the
# program's threads and compares every output's bytes with a reference
# build (make stress; not part of make check or CI).
#
#   sh tests/stress/stress.sh [PROGRAM]      (default: ./gsi-book)
#
# The book: tests/bench/genbook's book of STRESS_PAGES pages (1000) with a
# footnote on every third paragraph of text (a note or more on every page),
# each note beginning "Note N.".  It is built once with no cache for
# reference (gsi-book all, epub and pdf), then again and again with the
# commands of STRESS_COMMANDS ("all epub pdf", in turn) - the commands
# that start threads: the EPUB worker and deflate threads, the PDF's
# streaming thread, glyph warming, hyphenation loading, the loaders of
# libzip, libqpdf and the render module.  Builds use the warm cache and
# GSI_BOOK_NO_CACHE=1 (two warm builds at once contend for the cache),
# one build alone and then two at once, under a private XDG_CACHE_HOME.
#
# It stops after STRESS_RUNS builds or STRESS_SECONDS seconds, whichever
# comes first (0: no limit; default STRESS_RUNS=0 STRESS_SECONDS=600).
# A build differs when it fails, says something on stderr the reference
# did not, or writes an output whose sha256 is not the reference's; its
# outputs are kept under STRESS_DIR/odd/ (default build/stress) with
# why.txt: the exit status, stderr, the EPUB entries that differ and the
# diff of their text, the diff of pdftotext's text, and whether the first
# footnote ("Note 1.") is in each edition.  STRESS_DIR/log has a line a
# build (its number, command, cache, x1 alone or x2 in a pair, same or
# DIFFERS, seconds since the start).  The last line says "N builds, N
# differed"; the exit status is 1 when a build differed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
prog=${1:-$top/gsi-book}
case $prog in /*) ;; *) prog=$(pwd)/$prog ;; esac
gen=${GENBOOK:-$top/build/genbook}
runs=${STRESS_RUNS:-0}
seconds=${STRESS_SECONDS:-600}
pages=${STRESS_PAGES:-1000}
commands=${STRESS_COMMANDS:-all epub pdf}
work=${STRESS_DIR:-$top/build/stress}
case $work in /*) ;; *) work=$(pwd)/$work ;; esac

for tool in "$prog" "$gen"; do
	[ -x "$tool" ] || { echo "stress: $tool is missing (make all build/genbook)" >&2; exit 2; }
done
for tool in sha256sum unzip pdftotext diff; do
	command -v $tool > /dev/null || { echo "stress: $tool is missing" >&2; exit 2; }
done
if [ "$runs" -eq 0 ] && [ "$seconds" -eq 0 ]; then
	echo "stress: STRESS_RUNS or STRESS_SECONDS must be set" >&2
	exit 2
fi
set -- $commands
ncommands=$#

rm -rf "$work"
mkdir -p "$work/cache" "$work/odd" "$work/runs"
XDG_CACHE_HOME=$work/cache
export XDG_CACHE_HOME
unset GSI_BOOK_NO_CACHE
"$gen" "$work/book" "$pages" 1 3 || { echo "stress: genbook failed" >&2; exit 2; }
log=$work/log
: > "$log"

# the Nth word of $commands
command_of() {
	i=$(($1 % ncommands))
	set -- $commands
	shift $i
	echo "$1"
}

# build DIR COMMAND MODE: one build into DIR (out/: the outputs, stderr,
# status); MODE is warm or nocache
build() {
	mkdir -p "$1/out"
	case $2 in
	all) o=$1/out ;;
	epub) o=$1/out/book.epub ;;
	pdf) o=$1/out/book.pdf ;;
	esac
	if [ "$3" = nocache ]; then
		GSI_BOOK_NO_CACHE=1 nice "$prog" "$2" -q -o "$o" "$work/book" > "$1/stdout" 2> "$1/stderr"
	else
		nice "$prog" "$2" -q -o "$o" "$work/book" > "$1/stdout" 2> "$1/stderr"
	fi
	echo $? > "$1/status"
	(cd "$1/out" && sha256sum *) > "$1/sums" 2> /dev/null
}

# the reference: each command once, with no cache
for c in $commands; do
	[ -d "$work/ref/$c" ] && continue
	build "$work/ref/$c" "$c" nocache
	if [ "$(cat "$work/ref/$c/status")" != 0 ]; then
		echo "stress: the reference build of '$c' failed:" >&2
		cat "$work/ref/$c/stderr" >&2
		exit 1
	fi
done

# has_note FILE: the first footnote is in the edition FILE
has_note() {
	case $1 in
	*.pdf) pdftotext "$1" - 2> /dev/null | grep -q 'Note 1\.' ;;
	*.epub) unzip -p "$1" '*.xhtml' 2> /dev/null | grep -q 'Note 1\.' ;;
	esac
}
for f in "$work"/ref/*/out/*; do
	has_note "$f" || { echo "stress: the reference $f lacks the first footnote" >&2; exit 1; }
done

# explain DIR COMMAND: why DIR's build differs from the reference
explain() {
	ref=$work/ref/$2
	echo "exit status $(cat "$1/status") (reference $(cat "$ref/status"))"
	if ! cmp -s "$1/stderr" "$ref/stderr"; then
		echo "stderr:"
		sed 's/^/  /' "$1/stderr"
	fi
	for r in "$ref"/out/*; do
		f=$1/out/${r##*/}
		if [ ! -f "$f" ]; then
			echo "${r##*/}: missing"
			continue
		fi
		cmp -s "$f" "$r" && { echo "${r##*/}: same bytes"; continue; }
		echo "${r##*/}: differs ($(wc -c < "$f") bytes, reference $(wc -c < "$r"))"
		if has_note "$f"; then
			echo "  the first footnote (Note 1.) is there"
		else
			echo "  the first footnote (Note 1.) is MISSING"
		fi
		case $f in
		*.epub)
			rm -rf "$1/unzip" "$1/unzip-ref"
			unzip -q -o "$f" -d "$1/unzip" 2> /dev/null
			unzip -q -o "$r" -d "$1/unzip-ref" 2> /dev/null
			diff -r -q "$1/unzip-ref" "$1/unzip" | sed 's/^/  /'
			diff -r "$1/unzip-ref" "$1/unzip" | head -60 | sed 's/^/  /'
			;;
		*.pdf)
			pdftotext "$r" "$1/ref.txt" 2> /dev/null
			pdftotext "$f" "$1/odd.txt" 2> /dev/null
			if cmp -s "$1/ref.txt" "$1/odd.txt"; then
				echo "  pdftotext: the same text"
			else
				diff "$1/ref.txt" "$1/odd.txt" | head -60 | sed 's/^/  /'
			fi
			;;
		esac
	done
}

# check N DIR COMMAND MODE: compares build N (run alone or in a pair:
# $together) with the reference, logs it, keeps an odd build's files
check() {
	ref=$work/ref/$3
	elapsed=$(($(date +%s) - start))
	if [ "$(cat "$2/status")" = "$(cat "$ref/status")" ] && cmp -s "$2/sums" "$ref/sums" &&
	   cmp -s "$2/stderr" "$ref/stderr"; then
		echo "$1 $3 $4 x$together same ${elapsed}s" >> "$log"
		rm -rf "$2"
	else
		odd=$work/odd/$1-$3-$4
		mv "$2" "$odd"
		explain "$odd" "$3" > "$odd/why.txt" 2>&1
		echo "$1 $3 $4 x$together DIFFERS ${elapsed}s" >> "$log"
		echo "stress: build $1 ($3, $4) differs: $odd/why.txt" >&2
		sed 's/^/  /' "$odd/why.txt" | head -20 >&2
	fi
}

# builds 0, 1, 2, 3, ... are nocache, warm, warm, nocache, ...: alone and
# in pairs (rounds of one build, then two, then two), every pairing of the
# modes and of the commands comes round
mode_of() {
	case $(($1 % 4)) in 1|2) echo warm ;; *) echo nocache ;; esac
}

start=$(date +%s)
n=0
round=0
while :; do
	[ "$runs" -gt 0 ] && [ "$n" -ge "$runs" ] && break
	[ "$seconds" -gt 0 ] && [ $(($(date +%s) - start)) -ge "$seconds" ] && break
	# one build, then two at once, then two at once
	together=2
	[ $((round % 3)) = 0 ] && together=1
	[ "$runs" -gt 0 ] && [ $((n + together)) -gt "$runs" ] && together=1
	k=0
	while [ $k -lt $together ]; do
		i=$((n + k))
		build "$work/runs/$i" "$(command_of $i)" "$(mode_of $i)" &
		k=$((k + 1))
	done
	wait
	k=0
	while [ $k -lt $together ]; do
		i=$((n + k))
		check $i "$work/runs/$i" "$(command_of $i)" "$(mode_of $i)"
		k=$((k + 1))
	done
	n=$((n + together))
	round=$((round + 1))
done

differed=$(grep -c DIFFERS "$log")
echo "stress: $(($(date +%s) - start)) s, commands: $commands; log: $log"
echo "$n builds, $differed differed"
[ "$differed" = 0 ]
