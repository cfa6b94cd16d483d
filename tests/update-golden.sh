#!/bin/sh
# tests/update-golden.sh CASE... - rewrites the expected stdout, stderr and
# status of golden cases (tests/cases/CASE) from the current ./gsi-book.
# Read the diff before committing: a golden file is a claim of what is right.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
export LC_ALL=C TZ=UTC GSI_BOOK_DATA="$top"
for c in "$@"; do
	dir=$top/tests/cases/${c#tests/cases/}
	args="check book"
	[ -f "$dir/args" ] && args=$(cat "$dir/args")
	run=$dir
	if [ -f "$dir/setup" ]; then
		# (as tests/run.sh does: in a copy, after its setup)
		run=$(mktemp -d "${TMPDIR:-/tmp}/gsi-book-golden.XXXXXX")
		cp -R "$dir/." "$run"
		(cd "$run" && sh ./setup)
	fi
	# shellcheck disable=SC2086 # args are words by design
	(cd "$run" && "$top/gsi-book" $args > "$dir/stdout" 2> "$dir/stderr" < /dev/null) && status=0 || status=$?
	[ "$run" = "$dir" ] || rm -rf "$run"
	[ -s "$dir/stdout" ] || rm -f "$dir/stdout"
	[ -s "$dir/stderr" ] || rm -f "$dir/stderr"
	if [ "$status" = 0 ]; then rm -f "$dir/status"; else echo "$status" > "$dir/status"; fi
	echo "updated $c (exit $status)"
done
