# tests/props/cover/cover.sh - sourced by tests/props/cover/*/check: a
# book of build/genbook ("PAGES SEED" in the case's file 'genbook') with a
# description, its
# print edition and its cover for one printer and paper (the case's file
# 'cover': PROFILE PAPER, then the printer's published figures, in inches,
# for wrap.py: PER_PAGE SPINE_ADD BLEED SPINE_TEXT_MIN SPINE_MARGIN BARCODE_W
# BARCODE_H SAFETY), checked by wrap.py; 'interior-pages' (optional): the page count
# the case is about, which the interior must have.  The same inputs give
# the same bytes.  'title' (optional): a title for the book instead of
# genbook's.  'isbn' (optional): "ISBN DRAWN": the book's print-isbn, and
# whether the printer's cover carries its barcode (yes: wrap.py reads it
# from the barcode area; no: the area stays empty).
need python3 pdftotext pdfinfo pdftoppm
case_dir=${CASE:-.}
[ -x "$TOP/build/genbook" ] || { missing "build/genbook ('make build/genbook')"; exit 1; }
read -r gpages seed < "$case_dir/genbook"
read -r profile paper per add bleed textmin smargin bw bh safety < "$case_dir/cover"
"$TOP/build/genbook" "$OUT/book" "$gpages" "$seed" > /dev/null || echo "genbook failed"
# the case's 'title' (optional) for the book's
if [ -f "$case_dir/title" ]; then
	title=$(cat "$case_dir/title")
	sed "s/^title: .*/title: \"$title\"/" "$OUT/book/book.yaml" > "$OUT/book.yaml" &&
		mv "$OUT/book.yaml" "$OUT/book/book.yaml"
fi
# a description for the back
desc="A synthetic book of many chapters, set for the cover's test: its back carries these words above an empty barcode area."
echo "description: \"$desc\"" >> "$OUT/book/book.yaml"
barcode=
if [ -f "$case_dir/isbn" ]; then
	read -r isbn drawn < "$case_dir/isbn"
	echo "print-isbn: \"$isbn\"" >> "$OUT/book/book.yaml"
	[ "$drawn" = yes ] && barcode=$(echo "$isbn" | tr -d -)
fi
"$GSI" pdf -q --profile "$profile" -o "$OUT/interior.pdf" "$OUT/book" ||
	echo "pdf --profile $profile: exit $?"
"$GSI" cover -q --profile "$profile" --paper "$paper" -o "$OUT/cover.pdf" "$OUT/book" ||
	echo "cover --profile $profile --paper $paper: exit $?"
[ -f "$OUT/interior.pdf" ] && [ -f "$OUT/cover.pdf" ] || exit 0
"$GSI" cover -q --profile "$profile" --paper "$paper" -o "$OUT/again.pdf" "$OUT/book"
cmp -s "$OUT/cover.pdf" "$OUT/again.pdf" || echo "two runs wrote different covers"
if [ -f "$case_dir/interior-pages" ]; then
	want=$(cat "$case_dir/interior-pages")
	got=$(pdfinfo "$OUT/interior.pdf" | awk '/^Pages:/ { print $2 }')
	[ "$got" = "$want" ] || echo "the interior has $got pages, not the case's $want (change 'genbook')"
fi
python3 "$TOP/tests/props/cover/wrap.py" "$OUT/cover.pdf" "$OUT/interior.pdf" \
	"$per" "$add" "$bleed" "$textmin" "$smargin" "$bw" "$bh" "$safety" "above an empty barcode area" $barcode
