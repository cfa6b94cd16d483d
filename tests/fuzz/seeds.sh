#!/bin/sh
# tests/fuzz/seeds.sh DIR - writes the seed corpus of the fuzz targets into
# DIR: every test book (tests/cases/*/book, tests/books/*, book/) as one
# input in the targets' format (fuzzbook.h): book.yaml with its parts
# renamed p1.md, p2.md, ..., then each part after a line "%%%%".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
mkdir -p "$out"
n=0
for dir in "$top"/tests/cases/*/book "$top"/tests/books/* "$top/book"; do
	[ -f "$dir/book.yaml" ] || continue
	n=$((n + 1))
	name=$(echo "$dir" | sed "s|^$top/||; s|/|-|g")
	parts=$(awk '/^ *- *file: */ { sub(/^ *- *file: */, ""); gsub(/["'\'']/, ""); print }' "$dir/book.yaml")
	{
		i=0
		script=""
		for p in $parts; do
			i=$((i + 1))
			[ $i -gt 16 ] && break
			script="$script; s|file: *[\"']\{0,1\}$p[\"']\{0,1\} *\$|file: p$i.md|"
		done
		sed "${script#; }" "$dir/book.yaml"
		i=0
		for p in $parts; do
			i=$((i + 1))
			[ $i -gt 16 ] && break
			printf '\n%%%%%%%%\n'
			[ -f "$dir/$p" ] && cat "$dir/$p"
		done
	} > "$out/$name"
done
echo "$n seeds in $out"
