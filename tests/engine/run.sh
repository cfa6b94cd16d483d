#!/bin/sh
# tests/engine/run.sh - the reading-engine test: EPUBs as a real reading
# system shows them (issue 23, section 3).
#
#   sh tests/engine/run.sh [--sizes phone,tablet] [--themes light,sepia,dark]
#                          [--pages all|first] [--shots yes|no] OUTDIR FILE.epub...
#
# Opens each FILE in foliate-js (npm foliate-js 1.0.1, the engine of the
# Foliate reader) in Debian's headless chromium, driven by playwright-core
# (both pinned by tests/engine/package-lock.json and installed into
# build/engine on first use; ENGINE_DIR overrides), at a phone's size
# (390x844) and a tablet's (820x1180), in a light, a sepia (#fbf0d9) and a
# dark theme (light text on black, forced on the root as night modes do,
# with prefers-color-scheme: dark and the marks of Apple Books' and
# Readium's night modes on the root; see page.mjs).  It turns every page of
# the book (--pages first: shows the first page of each section only) and
# checks each section as laid out:
#  - nothing is wider than the page: every element's box inside its column,
#    no content wider than a box that holds it (a scrolling table too);
#  - every image loaded (naturalWidth > 0);
#  - no date (<time>) broken across lines;
#  - no blank page, turning every page (--pages all): no text but white
#    space and no picture in the page's range;
#  - every link inside the book (notes, cross-references) and every
#    contents and page-list entry resolves to an element (foliate's
#    book.resolveHref), a note reference to an element marked as a note
#    (which reading systems pop up); the page-list is there when the nav
#    has one;
#  - every visible text has contrast >= 4.5:1 against what is behind it,
#    in every theme;
#  - no synthesised bold or italic: the face CSS matching picks for each
#    text's weight and style exists among the @font-face rules;
#  - every character is drawn from an embedded face: its cmap (fc-query on
#    the fonts in the EPUB) has it, in the first family of the text's
#    font-family list that has it, before any generic or system family;
#  - each embedded face the text is set in loaded (document.fonts).
# Screenshots of every page shown: OUTDIR/shots/NAME/SIZE-THEME-SECTION-
# PAGE.png.  Prints, per FILE, "ok engine NAME" or "FAILED engine NAME: N
# problems" with the problems indented below, and a "    time:" line;
# tests/run.sh counts them.  A book whose engine does not answer within
# ENGINE_TIMEOUT seconds (default 120) at any step fails, with that said;
# two books are shown at a time (ENGINE_JOBS).  Exit status 0 when every book passed, 1 when
# one did not (or the engine could not run), 2 on bad usage.
set -u
me=tests/engine/run.sh
top=$(cd "$(dirname "$0")/../.." && pwd)

[ $# -ge 2 ] || { echo "usage: sh $me [--sizes S] [--themes T] [--pages all|first] [--shots yes|no] OUTDIR FILE.epub..." >&2; exit 2; }
# fail_all WHY ARG...: the engine cannot run: every file of the command
# line ARG... (the options come first, then OUTDIR) fails with WHY.
fail_all() {
	why=$1
	shift
	opt=0 out=
	for a; do
		if [ "$opt" = 1 ]; then opt=0; continue; fi
		if [ -z "$out" ]; then
			case $a in --*) opt=1; continue ;; esac
			out=$a
			continue
		fi
		a=${a##*/}
		echo "FAILED engine ${a%.epub}: $why"
	done
	exit 1
}

for tool in node unzip fc-query; do
	command -v "$tool" > /dev/null 2>&1 ||
		fail_all "$tool is not installed (run 'bash .ci/deps test')" "$@"
done
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
[ "${major:-0}" -ge 20 ] 2>/dev/null ||
	fail_all "playwright-core needs Node.js 20 or later, node is $(node --version 2>&1)" "$@"
browser=${ENGINE_CHROMIUM:-$(command -v chromium)}
[ -x "${browser:-/nonexistent}" ] ||
	fail_all "chromium is not installed (run 'bash .ci/deps test')" "$@"

dir=${ENGINE_DIR:-$top/build/engine}
lock=$top/tests/engine/package-lock.json
# Installed when the lockfile it came from is the current one.
if [ ! -f "$dir/node_modules/foliate-js/view.js" ] || ! cmp -s "$lock" "$dir/.installed"; then
	command -v npm > /dev/null 2>&1 ||
		fail_all "npm is not installed (run 'bash .ci/deps test')" "$@"
	echo "installing foliate-js and playwright-core from tests/engine into ${dir#"$top"/} (npm ci)"
	log=$(mktemp "${TMPDIR:-/tmp}/gsi-book-engine-npm.XXXXXX")
	# No install scripts: playwright-core has none to run; Debian's
	# chromium is the browser.
	if ! { rm -rf "$dir" && mkdir -p "$dir" &&
	       cp "$top/tests/engine/package.json" "$lock" "$dir/" &&
	       (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund) < /dev/null > "$log" 2>&1; }; then
		sed 's/^/    /' "$log" | tail -n 20
		rm -f "$log"
		fail_all "npm ci failed in $dir" "$@"
	fi
	rm -f "$log"
	cp "$lock" "$dir/.installed"
fi

# The browser's profile, crash database and caches go to a directory of
# our own, not to the user's home or /tmp.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gsi-book-engine.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/tmp"
ENGINE_MODULES=$dir/node_modules ENGINE_CHROMIUM=$browser TMPDIR=$tmp/tmp \
XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache XDG_DATA_HOME=$tmp/data \
	node "$top/tests/engine/run.mjs" "$@" < /dev/null
