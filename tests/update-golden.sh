#!/bin/sh
# tests/update-golden.sh CASE... - rewrites the expected stdout, stderr and
# status of golden cases (tests/cases/CASE) or of bad-input cases
# (tests/bad/CASE) from the current ./gsi-book, run as tests/run.sh runs
# them.  Read the diff before committing: a golden file is a claim of
# what is right.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
export LC_ALL=C TZ=UTC GSI_BOOK_DATA="$top"
for c in "$@"; do
	c=${c%/}
	case $c in
	tests/bad/*|bad/*) kind=bad; c=${c#tests/}; c=${c#bad/} ;;
	*) kind=cases; c=${c#tests/}; c=${c#cases/} ;;
	esac
	dir=$top/tests/$kind/$c
	[ -d "$dir" ] || { echo "no case tests/$kind/$c" >&2; exit 2; }
	run=$(mktemp -d "${TMPDIR:-/tmp}/gsi-book-golden.XXXXXX")
	cp -R "$dir/." "$run"
	(cd "$run" && { [ ! -f setup ] || sh ./setup; })
	if [ $kind = bad ]; then
		# every command line of 'args' (default: tests/bad/default-args),
		# their stderr one after the other; the status of the last
		mkdir -p "$run/out"
		args_file=$dir/args
		[ -f "$args_file" ] || args_file=$top/tests/bad/default-args
		cp "$args_file" "$run/.commands"
		[ -d "$run/data" ] && GSI_BOOK_DATA=$run/data
		: > "$dir/stderr"
		status=0
		while IFS= read -r args; do
			# shellcheck disable=SC2086 # args are words by design
			(cd "$run" && SOURCE_DATE_EPOCH=1700000000 "$top/gsi-book" $args \
				2>> "$dir/stderr" > /dev/null < /dev/null) &&
				status=0 || status=$?
		done < "$run/.commands"
		GSI_BOOK_DATA=$top
	else
		args="check book"
		[ -f "$dir/args" ] && args=$(cat "$dir/args")
		# in place, as run.sh runs it (its book in git: the last
		# commit dates the editions), unless a setup script needs a copy
		[ -f "$dir/setup" ] || { rm -rf "$run"; run=$dir; }
		# shellcheck disable=SC2086 # args are words by design
		(cd "$run" && "$top/gsi-book" $args > "$dir/stdout" 2> "$dir/stderr" < /dev/null) &&
			status=0 || status=$?
		[ -s "$dir/stdout" ] || rm -f "$dir/stdout"
	fi
	[ "$run" = "$dir" ] || rm -rf "$run"
	[ -s "$dir/stderr" ] || rm -f "$dir/stderr"
	if [ "$status" = 0 ]; then rm -f "$dir/status"; else echo "$status" > "$dir/status"; fi
	echo "updated tests/$kind/$c (exit $status)"
done
