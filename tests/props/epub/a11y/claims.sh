# claims EPUB BOOKDIR: what the OPF's accessibility metadata claims is
# true of the EPUB (sourced by the checks here; prints what is false).
# Images besides the cover: "alternativeText" and accessMode "visual";
# a page list: "pageNavigation" and "printPageNumbers"; the summary says
# tables have captions only when every table has one; "captions" and
# "describedMath" never (no video, no MathML); a11y:certifiedBy only
# when book.yaml names a certifier.
claims() {
	inspect cat "$1" EPUB/package.opf > "$OUT/opf"
	inspect list "$1" | awk '{print $2}' | grep '^EPUB/.*\.xhtml$' | grep -v '/cover\.xhtml$' > "$OUT/docs"
	: > "$OUT/text"
	while read -r d; do inspect cat "$1" "$d" >> "$OUT/text"; done < "$OUT/docs"
	has() { grep -q "<meta property=\"$1\">$2</meta>" "$OUT/opf"; }
	claim() {  # claim PROPERTY VALUE TRUE?
		if has "$1" "$2"; then
			[ "$3" = yes ] || echo "claims $1 $2, which is false"
		else
			[ "$3" = no ] || echo "does not claim $1 $2, which is true"
		fi
	}
	imgs=no
	grep -q '<img ' "$OUT/text" && imgs=yes
	pages=no
	grep -q 'epub:type="page-list"' "$OUT/text" && pages=yes
	claim schema:accessibilityFeature alternativeText $imgs
	claim schema:accessMode visual $imgs
	claim schema:accessMode textual yes
	claim schema:accessibilityFeature pageNavigation $pages
	claim schema:accessibilityFeature printPageNumbers $pages
	claim schema:accessibilityFeature tableOfContents yes
	claim schema:accessibilityFeature captions no
	claim schema:accessibilityFeature describedMath no
	tables=$(grep -o '<table' "$OUT/text" | wc -l)
	captions=$(grep -o '<caption' "$OUT/text" | wc -l)
	if grep -q 'tables have captions' "$OUT/opf" && [ "$tables" != "$captions" ]; then
		echo "the summary says tables have captions: $captions of $tables have"
	fi
	if [ "$tables" -gt 0 ] && [ "$tables" = "$captions" ] && ! grep -q 'tables have captions' "$OUT/opf"; then
		echo "every table has a caption, the summary does not say so"
	fi
	if grep -q '<img ' "$OUT/text" && grep -q 'holds no other image' "$OUT/opf"; then
		echo "the summary says the book holds no image but the cover"
	fi
	if grep -q 'certified-by:' "$2/book.yaml"; then
		has a11y:certifiedBy "$(sed -n 's/^ *certified-by: *//p' "$2/book.yaml")" ||
			echo "book.yaml names a certifier, the OPF does not"
	else
		! grep -q 'a11y:certifiedBy' "$OUT/opf" || echo "a11y:certifiedBy without a certifier in book.yaml: $(grep certifiedBy "$OUT/opf")"
	fi
}

# notes_claim: the summary speaks of footnotes only when there are some
notes_claim() {
	if grep -q 'footnotes link' "$OUT/opf" && ! grep -q 'epub:type="footnote"\|role="doc-footnote"\|role="doc-endnote"' "$OUT/text"; then
		echo "the summary speaks of footnotes, the book has none"
	fi
}
