#!/bin/sh
# tests/layers.sh SRCDIR - the shape of src/ (issue 20, section 1): prints
# each breach and exits 1 when there is one.
#  - no .c file over 1000 lines;
#  - every include of ours names its folder ("base/diag.h"), and folders
#    depend downwards only: base/ on nothing of ours; source/ on base/;
#    design/ on source/ and base/; epub/ and typeset/ on those three (never
#    on each other, nor on pdf/); pdf/ on typeset/ too; main.c and build.c
#    at the top on anything;
#  - no two files of a folder include each other's headers (a circle).
src=${1:-src}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
bad=0
breach() { echo "layers: $*"; bad=1; }

for f in $(find "$src" -name '*.c' | LC_ALL=C sort); do
	n=$(wc -l < "$f")
	[ "$n" -gt 1000 ] && breach "${f#$src/} has $n lines (at most 1000)"
done

allowed() { # folder: the folders it may include
	case $1 in
	base) echo "base" ;;
	source) echo "base source" ;;
	design) echo "base source design" ;;
	epub) echo "base source design epub" ;;
	typeset) echo "base source design typeset" ;;
	pdf) echo "base source design typeset pdf" ;;
	.) echo "base source design epub typeset pdf ." ;;
	*) echo "" ;;
	esac
}

for f in $(find "$src" -name '*.[ch]' | LC_ALL=C sort); do
	rel=${f#$src/}
	case $rel in */*) dir=${rel%%/*} ;; *) dir=. ;; esac
	ok=$(allowed "$dir")
	[ -z "$ok" ] && breach "$rel is in a folder of no stage ($dir/)"
	grep -o '^#include "[^"]*"' "$f" | sed 's/^#include "//; s/"$//' |
	while read -r inc; do
		case $inc in
		*/*) to=${inc%%/*} ;;
		*)
			if [ -e "$src/$inc" ] && [ "$dir" = . ]; then
				to=.
			else
				echo "layers: $rel includes \"$inc\" without its folder"
				echo x >> "$tmp"
				continue
			fi
			;;
		esac
		case " $ok " in
		*" $to "*) ;;
		*) echo "layers: $rel ($dir/) includes $inc ($to/)"; echo x >> "$tmp" ;;
		esac
	done
done
[ -s "$tmp" ] && bad=1

# circles: a.c includes b.h and b.c includes a.h, in one folder
for f in $(find "$src" -name '*.c' | LC_ALL=C sort); do
	rel=${f#$src/}
	mod=${rel%.c}
	for inc in $(grep -o '^#include "[^"]*\.h"' "$f" | sed 's/^#include "//; s/\.h"$//'); do
		[ "$inc" = "$mod" ] && continue
		[ -f "$src/$inc.c" ] || continue
		if grep -q "^#include \"$mod\.h\"" "$src/$inc.c"; then
			case $mod in
			"$inc") ;;
			*) [ "$mod" \< "$inc" ] && breach "$mod.c and $inc.c include each other's headers" ;;
			esac
		fi
	done
done
exit $bad
