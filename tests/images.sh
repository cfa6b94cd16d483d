# tests/images.sh - sourced by tests/run.sh: the tests of the pictures a
# book holds (issue 18: defects 7, 12, 13, 14).  Uses run.sh's pass, fail,
# $tmp, $top, $gsi and $variant.

# ---- pictures (issue 18: defects 7, 12, 13, 14) ----
# image_tests: tests/books/illustrated, built by epub_tests and pdf_tests
# into $tmp/epub/$variant and $tmp/pdf/$variant (and checked there by
# qpdf and, for the first variant, EPUBCheck): pages whose first content
# is a picture are drawn, and every figure is in the PDF with its Figure
# element and alt text.
image_tests() {
	pdf=$tmp/pdf/$variant/illustrated.pdf
	lay=$tmp/pdf/$variant/illustrated.layout
	# pages whose first drawn box is an image (the frontispiece, and
	# figures that fall at a page's top in the chapter)
	tops=$(awk '/^page / { first = 1; next }
		first && $1 == "image" { n++; first = 0 }
		first && ($1 == "text" || $1 == "rule") { first = 0 }
		END { print n + 0 }' "$lay" 2> /dev/null)
	figures=$(grep -c '^  image ' "$lay" 2> /dev/null)
	pdfimages -list "$pdf" > "$tmp/images" 2>&1
	drawn=$(awk 'NR > 2 && $3 == "image"' "$tmp/images" | wc -l)
	qpdf --qdf --object-streams=disable "$pdf" "$tmp/ill.qdf" > /dev/null 2>&1
	tagged=$(awk '/^[0-9]+ 0 obj/ { fig = 0; alt = 0 } /^  \/S \/Figure$/ { fig = 1 }
		/^  \/Alt \(.*gradient of red and green\)$/ { alt = 1 }
		/^endobj/ && fig && alt { n++ } END { print n + 0 }' "$tmp/ill.qdf")
	if [ -f "$pdf" ] && [ "$tops" -ge 2 ] && [ "$figures" -ge 9 ] &&
	   [ "$drawn" = "$figures" ] && [ "$tagged" = "$figures" ]; then
		pass "pdf/illustrated/figures-at-page-tops"
	else
		{ echo "$tops pages start with a picture; $figures figures laid out, $drawn drawn, $tagged tagged Figure with alt"; cat "$tmp/images"; } > "$tmp/why"
		fail "pdf/illustrated/figures-at-page-tops" "$tmp/why"
	fi
}
