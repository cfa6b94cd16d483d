# tests/props/measure/measure.sh - sourced by tests/props/measure/*/check:
# measures the case's book with tests/measure.py (issue 21, section 3:
# word spaces, hyphens, the edge, short pages, the grid, running heads)
# and checks the figures against ./limits.  The book is the case's ('book':
# a path from the top), or a synthetic book of build/genbook when the case
# has a file 'genbook' ("PAGES SEED").  A limit the book does not meet yet
# is its figure as measured, with the issue's target in a comment: a
# ratchet, tightened as the work lands.
need python3 pdftotext pdftoppm
case_dir=${CASE:-.}
if [ -f "$case_dir/genbook" ]; then
	[ -x "$TOP/build/genbook" ] || { missing "build/genbook ('make build/genbook')"; exit 1; }
	read -r pages seed < "$case_dir/genbook"
	"$TOP/build/genbook" "$OUT/book" "$pages" "$seed" > /dev/null || echo "genbook failed"
	pdf_of "$OUT/book" "measure-genbook-$pages-$seed"
else
	pdf_of "$(the_book)" "measure-$(basename "$(the_book)")"
fi
[ -n "$pdf" ] || exit 1
python3 "$TOP/tests/measure.py" --limits "$case_dir/limits" "$pdf"
