# languages EPUB: every language the book's documents use (lang on any
# element; the licences, English in any book, aside) is one of the OPF's
# dc:language, the book's first; every lang has its xml:lang, in the nav
# too; the NCX's labels of a part in another language have its xml:lang.
languages() {
	inspect cat "$1" EPUB/package.opf > "$OUT/opf"
	inspect list "$1" | awk '{print $2}' | grep '\.xhtml$' | grep -v '/licences\.xhtml$' > "$OUT/docs"
	: > "$OUT/text"
	while read -r d; do inspect cat "$1" "$d" >> "$OUT/text"; done < "$OUT/docs"
	sed -n 's|.*<dc:language>\(.*\)</dc:language>.*|\1|p' "$OUT/opf" > "$OUT/declared"
	first=$(sed -n 's/.* xml:lang="\([^"]*\)".*/\1/p' "$OUT/opf" | head -n 1)
	[ "$(head -n 1 "$OUT/declared")" = "$first" ] || echo "the first dc:language is not the book's ($first)"
	grep -o ' lang="[^"]*"' "$OUT/text" | sed 's/ lang="//; s/"$//' | sort -u |
	while read -r l; do
		grep -qix "$l" "$OUT/declared" || echo "language $l is used, not in dc:language"
	done
	[ "$(grep -o ' lang="' "$OUT/text" | wc -l)" = "$(grep -o ' xml:lang="' "$OUT/text" | wc -l)" ] ||
		echo "an element has lang without xml:lang, or the other way"
	inspect cat "$1" EPUB/toc.ncx > "$OUT/ncx"
}
