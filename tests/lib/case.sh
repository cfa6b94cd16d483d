#!/bin/sh
# tests/lib/case.sh CASEDIR OUT - run one property test: the 'check' script
# of CASEDIR, in CASEDIR, after tests/lib/checks.sh (its library), with OUT
# (made empty) for what it writes.  GSI, UNIT, TOP, VARIANT, EPUBS, PDFS and
# ALL come from the environment (tests/run.sh sets them).
#
# Prints what is wrong and exits 1, or prints nothing and exits 0: the case
# passes when its check exits 0, prints nothing, and no tool it called was
# missing (tests/lib/checks.sh).
case_dir=$(cd "$1" && pwd) || exit 1
out=$2
rm -rf "$out"
mkdir -p "$out"
MISSING=$out.missing
: > "$MISSING"
export OUT="$out" MISSING CASE="$case_dir"
export SOURCE_DATE_EPOCH=1700000000
(cd "$case_dir" && sh -c '. "$1"; . ./check' check "$TOP/tests/lib/checks.sh") > "$out.log" 2>&1 < /dev/null
status=$?
bad=0
if [ -s "$MISSING" ]; then
	sort -u "$MISSING" | sed 's/$/ (the check cannot run without it)/'
	bad=1
fi
[ "$status" = 0 ] || { echo "exit status $status"; bad=1; }
[ -s "$out.log" ] && { cat "$out.log"; bad=1; }
rm -f "$MISSING" "$out.log"
exit $bad
