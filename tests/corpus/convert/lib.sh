# tests/corpus/convert/lib.sh - helpers shared by the corpus converters
# (tests/corpus/convert/NAME.sh), sourced with '. "$(dirname "$0")/lib.sh"'.
#
#   corpus_src GITDIR COMMIT DEST   extract COMMIT's tree of the bare git
#                                   directory GITDIR (a snapshot of the
#                                   fetch tool) into DEST
#   corpus_out NAME                 the book's directory, tests/corpus/books/NAME,
#                                   emptied (created if missing); prints it
#   corpus_pandoc ARGS...           pandoc with the options every converter
#                                   uses: GitHub Markdown without raw HTML
#                                   (gsi-book refuses raw HTML), no wrapping
#                                   (one paragraph a line: stable diffs)
#
# Converters must be deterministic and never use the network.
set -eu
corpus_top=$(cd "$(dirname "$0")/../../.." && pwd)

corpus_src() {
	mkdir -p "$3"
	git --git-dir="$1" archive "$2" | tar -x -C "$3"
}

corpus_out() {
	d=$corpus_top/tests/corpus/books/$1
	rm -rf "$d"
	mkdir -p "$d"
	echo "$d"
}

corpus_pandoc() {
	pandoc --wrap=none -t gfm-raw_html "$@"
}
