# tests/images.sh - sourced by tests/run.sh: the tests of the pictures a
# book holds (issue 18: defects 7, 12, 13, 14).  Uses run.sh's pass, fail,
# $tmp, $top, $gsi and $variant.
#
# tests/books/illustrated is built by epub_tests and pdf_tests into
# $tmp/epub/$variant and $tmp/pdf/$variant (and checked there by qpdf
# and, for the first variant, by EPUBCheck).  It holds a frontispiece part
# that is only a picture, a chapter whose figures fall at page tops, and a
# picture of each kind: a JPEG (EXIF with a GPS position, orientation 6,
# XMP, a comment), a PNG (tEXt, iTXt, tIME), a GIF (a comment, an XMP
# application extension) and a hostile SVG (script, event attributes,
# foreignObject, a remote image, a javascript: link, an @import, an
# xml-stylesheet, RDF metadata naming its author).  The JPEG is the cover image too.

# the strings the pictures' metadata and the SVG's active parts hold
IMAGE_SECRETS='secret|SpyCam|tracker\.example|alert\(|onload|onclick|<script|foreignObject|javascript:|@import|xml-stylesheet'

image_tests() {
	pdf=$tmp/pdf/$variant/illustrated.pdf
	epub=$tmp/epub/$variant/illustrated.epub
	lay=$tmp/pdf/$variant/illustrated.layout

	# 14: pages whose first content is a picture are drawn; every figure
	# is in the PDF with its Figure element and alt text
	tops=$(awk '/^page / { first = 1; next }
		first && $1 == "image" { n++; first = 0 }
		first && ($1 == "text" || $1 == "rule") { first = 0 }
		END { print n + 0 }' "$lay" 2> /dev/null)
	figures=$(grep -c '^  image ' "$lay" 2> /dev/null)
	rasters=$(grep '^  image ' "$lay" 2> /dev/null | grep -vc '\.svg$')
	pdfimages -list "$pdf" > "$tmp/images" 2>&1
	drawn=$(awk 'NR > 2 && $3 == "image"' "$tmp/images" | wc -l)
	qpdf --qdf --object-streams=disable "$pdf" "$tmp/ill.qdf" > /dev/null 2>&1
	tagged=$(awk '/^[0-9]+ 0 obj/ { fig = 0; alt = 0 } /^  \/S \/Figure$/ { fig = 1 }
		/^  \/Alt \(/ { alt = 1 }
		/^endobj/ && fig && alt { n++ } END { print n + 0 }' "$tmp/ill.qdf")
	if [ -f "$pdf" ] && [ "$tops" -ge 2 ] && [ "$figures" -ge 13 ] &&
	   [ "$drawn" = "$rasters" ] && [ "$tagged" = "$figures" ]; then
		pass "pdf/illustrated/figures-at-page-tops"
	else
		{ echo "$tops pages start with a picture; $figures figures laid out ($rasters raster), $drawn drawn, $tagged tagged Figure with alt"; cat "$tmp/images"; } > "$tmp/why"
		fail "pdf/illustrated/figures-at-page-tops" "$tmp/why"
	fi

	# 7: every kind is drawn in print: the JPEG as its own DCT data, the
	# GIF decoded, the SVG as vectors (its text is the PDF's text); the
	# JPEG's EXIF orientation (6: turned a quarter) is applied
	jpegs=$(awk 'NR > 2 && $3 == "image" && $9 == "jpeg"' "$tmp/images" | wc -l)
	svgtext=$(pdftotext "$pdf" - 2> /dev/null | grep -c '^Diagram$')
	upright=$(awk '$1 == "image" && $NF ~ /photo\.jpg$/ { print ($4 < $5) ? "yes" : "no" }' "$lay")
	gif=$(awk 'NR > 2 && $3 == "image" && $4 == 4 && $5 == 4' "$tmp/images" | wc -l)
	if [ "$jpegs" = 1 ] && [ "$svgtext" = 1 ] && [ "$upright" = yes ] && [ "$gif" = 1 ]; then
		pass "pdf/illustrated/jpeg-gif-svg-drawn"
	else
		{ echo "$jpegs JPEG streams, SVG text found $svgtext times, photo upright: $upright, $gif GIF"; cat "$tmp/images"; } > "$tmp/why"
		fail "pdf/illustrated/jpeg-gif-svg-drawn" "$tmp/why"
	fi

	# 12 and 13: the EPUB's pictures carry no metadata and the SVG
	# nothing that runs or fetches; what draws stays
	rm -rf "$tmp/epubimg"
	mkdir -p "$tmp/epubimg"
	unzip -q -o "$epub" 'EPUB/images/*' -d "$tmp/epubimg" > /dev/null 2>&1
	cat "$tmp/epubimg"/EPUB/images/* > "$tmp/epubimages" 2> /dev/null
	cat "$tmp/epubimg"/EPUB/images/*.svg > "$tmp/epub.svg" 2> /dev/null
	found=$(grep -a -c -i -E "$IMAGE_SECRETS" "$tmp/epubimages")
	if [ -s "$tmp/epubimages" ] && [ "$found" = 0 ] && grep -q 'Exif' "$tmp/epubimages" &&
	   [ -s "$tmp/epubimg/EPUB/images/cover.jpg" ] &&
	   grep -q 'class="box"' "$tmp/epub.svg" && grep -q 'fill="url(#g)"' "$tmp/epub.svg" &&
	   grep -q '\.box { fill: #2a6; }' "$tmp/epub.svg"; then
		pass "epub/illustrated/pictures-inert-without-metadata"
	else
		{ echo "$found lines with metadata or active content:"; grep -a -i -o -E "$IMAGE_SECRETS" "$tmp/epubimages"; cat "$tmp/epub.svg"; } > "$tmp/why" 2>&1
		fail "epub/illustrated/pictures-inert-without-metadata" "$tmp/why"
	fi
	# ... nor the PDF: its streams uncompressed, and the JPEG it carries
	rm -rf "$tmp/pdfimages"
	mkdir -p "$tmp/pdfimages"
	pdfimages -j "$pdf" "$tmp/pdfimages/i" > /dev/null 2>&1
	found=$(cat "$tmp/ill.qdf" "$tmp/pdfimages"/* 2> /dev/null | grep -a -c -i -E "$IMAGE_SECRETS")
	if [ -s "$tmp/ill.qdf" ] && [ "$found" = 0 ] && ls "$tmp/pdfimages"/*.jpg > /dev/null 2>&1; then
		pass "pdf/illustrated/pictures-without-metadata"
	else
		{ echo "$found lines with metadata or active content"; grep -a -i -o -E "$IMAGE_SECRETS" "$tmp/ill.qdf" "$tmp/pdfimages"/*; } > "$tmp/why" 2>&1
		fail "pdf/illustrated/pictures-without-metadata" "$tmp/why"
	fi
}

# 7: a link without a target is a warning at its position in check and in
# both editions, and each edition sets it as its text: the PDF is never
# refused for it with a page number
link_tests() {
	book=$top/tests/data/link-empty
	ok=1
	: > "$tmp/why"
	for cmd in check epub pdf; do
		case $cmd in check) out= ;; epub) out="-o $tmp/link-empty.epub" ;; pdf) out="-o $tmp/link-empty.pdf" ;; esac
		# shellcheck disable=SC2086 # out is words
		(cd "$top/tests/data" && "$gsi" $cmd $out link-empty) > /dev/null 2> "$tmp/link.err" ||
			{ echo "$cmd failed"; ok=0; } >> "$tmp/why"
		{ echo "gsi-book: link-empty/a.md:3:16: warning: link has no target"
		  echo "gsi-book: link-empty/a.md:4:5: warning: link has no target"; } > "$tmp/link.want"
		diff -u "$tmp/link.want" "$tmp/link.err" >> "$tmp/why" 2>&1 || ok=0
	done
	pdftotext "$tmp/link-empty.pdf" - 2> /dev/null | grep -q 'an empty link' || { echo "no text in the PDF"; ok=0; } >> "$tmp/why"
	rm -f "$tmp/link-empty.epub" "$tmp/link-empty.pdf"
	if [ $ok = 1 ]; then pass "pdf/link-empty-is-text"; else fail "pdf/link-empty-is-text" "$tmp/why"; fi
}
