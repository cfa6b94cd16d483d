#!/bin/sh
# tests/fuzz/run.sh - runs each libFuzzer target for FUZZ_SECONDS (default
# 60), run by 'make fuzz'.
#
# Each target keeps its corpus in build/fuzz/corpus/TARGET (seeded from
# the test books by seeds.sh) and writes what crashes, hangs or leaks to
# build/fuzz/crashes/.  Prints each target's executions, coverage and
# corpus, and ends with the line "N targets clean, N failed".
#
# Environment: FUZZ_SECONDS (60), FUZZ_TARGETS ("source epub typeset"),
# FUZZ_JOBS (1: how many targets run at once).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-source epub typeset}
jobs=${FUZZ_JOBS:-1}
work=$top/build/fuzz
export GSI_BOOK_DATA="$top" LC_ALL=C TZ=UTC
# the targets' own cache, apart from the user's
export XDG_CACHE_HOME="$work/cache"
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0
mkdir -p "$work/crashes" "$work/seeds" "$work/cache"
sh "$top/tests/fuzz/seeds.sh" "$work/seeds" > /dev/null

run_one() {
	t=$1
	mkdir -p "$work/corpus/$t"
	"$work/fuzz_$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$work/crashes/$t-" \
		"$work/corpus/$t" "$work/seeds" > "$work/$t.log" 2>&1
	echo $? > "$work/$t.status"
}

i=0
for t in $targets; do
	run_one "$t" &
	i=$((i + 1))
	[ $((i % jobs)) = 0 ] && wait
done
wait

clean=0
failed=0
for t in $targets; do
	st=$(cat "$work/$t.status")
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$work/$t.log" | tail -n 1)
	ft=$(grep -o 'ft: [0-9]*' "$work/$t.log" | tail -n 1)
	corp=$(ls "$work/corpus/$t" | wc -l)
	if [ "$st" = 0 ]; then
		clean=$((clean + 1))
		echo "ok     fuzz/$t: ${runs:-?} runs in ${secs} s, ${cov:-cov: ?} edges, ${ft:-ft: ?} features, $corp inputs in the corpus"
	else
		failed=$((failed + 1))
		echo "FAILED fuzz/$t (status $st): see $work/$t.log"
		grep -E '^==[0-9]+==ERROR|^SUMMARY|artifact_prefix|Test unit written' "$work/$t.log" | sed 's/^/    /' | head -n 10
	fi
done
echo "$clean targets clean, $failed failed"
[ "$failed" = 0 ]
