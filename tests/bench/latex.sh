#!/bin/sh
# tests/bench/latex.sh - gsi-book beside XeLaTeX and LuaLaTeX + microtype:
# the typographic figures of issue 21 (tests/measure.py) of the same books
# set by each, as the Markdown tables of README's "gsi-book and LaTeX".
# Run by 'make bench-latex' (which installs the TeX tools, .ci/deps bench)
# and by 'make bench' when xelatex and lualatex are installed; not by
# 'make check' or CI.
#
# Usage: tests/bench/latex.sh [[NAME=]BOOKDIR...]
#   default: the real book (book/) and the synthetic 50-page book of
#   build/genbook DIR 50 1 (the issue's), made in build/bench/latex/.
# The work (each book's .tex, PDFs and logs) is in build/bench/latex/NAME/.
# Environment: GSI_BOOK (./gsi-book), LATEX_ENGINES ("xelatex lualatex"),
# LATEX_WORK (build/bench/latex), MEASURE (tests/measure.py).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
work=${LATEX_WORK:-$top/build/bench/latex}
export LATEX_WORK="$work" GSI_BOOK_DATA="$top" SOURCE_DATE_EPOCH=1700000000 LC_ALL=C.UTF-8
for t in pandoc xelatex lualatex pdftotext python3; do
	command -v "$t" > /dev/null 2>&1 || {
		echo "latex.sh: error: $t is not installed (make bench-latex installs it: .ci/deps bench)" >&2
		exit 1
	}
done
measure=${MEASURE:-$top/tests/measure.py}
[ -f "$measure" ] || { echo "latex.sh: error: $measure is missing (the figures are its)" >&2; exit 1; }
mkdir -p "$work"
if [ $# = 0 ]; then
	gen=$top/build/genbook
	[ -x "$gen" ] || { echo "latex.sh: error: $gen is not built (make build/genbook)" >&2; exit 1; }
	[ -f "$work/synthetic-50/book.yaml" ] && [ "$work/synthetic-50/book.yaml" -nt "$gen" ] ||
		{ rm -rf "$work/synthetic-50"; "$gen" "$work/synthetic-50" 50 1; }
	set -- "the book=$top/book" "synthetic 50 pages=$work/synthetic-50"
fi
commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$top" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ", with changes" || true)
tl=$(xelatex --version | sed -n '1s/.*(\(TeX Live [0-9]*\).*/\1/p')
echo "gsi-book $commit$dirty against XeLaTeX and LuaLaTeX + microtype ($tl, $(pandoc --version | head -1)); $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
echo
exec python3 "$top/tests/bench/latex.py" "$@"
