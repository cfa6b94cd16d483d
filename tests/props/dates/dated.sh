# tests/props/dates/dated.sh - sourced by the checks of tests/props/dates/*/
# (issue 18, defect 1): a book dated any day of the years 0001 to 9999
# builds both editions, and every field that takes a date says that day,
# read from the output: the OPF's dc:date and dcterms:modified, the PDF's
# Info dates (raw, and as Poppler reads them) and XMP, the zip entries'
# times (clamped into 1980..2107, what zip can hold) and the copyright
# page.  The case's file 'dated' holds the book's date, the day it means
# and the zip entries' time expected.
date=$(sed -n 's/^date //p' dated)
day=$(sed -n 's/^day //p' dated)
ztime=$(sed -n 's/^zip-time //p' dated)
cp -R "$TOP/tests/books/ten" "$OUT/dated"
sed -i "s/^date:.*/date: $date/" "$OUT/dated/book.yaml"
(cd "$OUT" && env -u SOURCE_DATE_EPOCH "$GSI" all -q -o "$OUT/dated-out" "$OUT/dated") \
	2>&1 || echo "gsi-book all failed (exit $?)"
epub=$OUT/dated-out/ten-pages.epub pdf=$OUT/dated-out/ten-pages.pdf
inspect cat "$epub" EPUB/package.opf > "$OUT/opf"
grep -q "<dc:date>$date</dc:date>" "$OUT/opf" || echo "no dc:date $date"
grep -q "<meta property=\"dcterms:modified\">${day}T00:00:00Z</meta>" "$OUT/opf" ||
	{ echo "dcterms:modified is not ${day}T00:00:00Z:"; grep modified "$OUT/opf"; }
# the PDF's dates: D:YYYYMMDDhhmmss, with Z from 1930 (Poppler
# reads a longer date of an earlier year as another year)
d8=$(echo "$day" | tr -d -)
raw="D:${d8}000000"
[ "${day%%-*}" -ge 1930 ] && raw="${raw}Z"
pdfinfo -rawdates "$pdf" > "$OUT/info"
pdfinfo -isodates "$pdf" > "$OUT/isoinfo"
for key in CreationDate ModDate; do
	grep -q "^$key: *$raw\$" "$OUT/info" || { echo "$key is not $raw:"; grep "$key" "$OUT/info"; }
	grep -q "^$key: *${day}T00:00:00" "$OUT/isoinfo" ||
		{ echo "pdfinfo reads $key as another day than $day:"; grep "$key" "$OUT/isoinfo"; }
done
qpdf --qdf --object-streams=disable "$pdf" "$OUT/dated.qdf"
for key in CreateDate ModifyDate MetadataDate; do
	grep -aq "<xmp:$key>${day}T00:00:00Z</xmp:$key>" "$OUT/dated.qdf" ||
		echo "XMP $key is not ${day}T00:00:00Z"
done
# zip entry times: clamped into what zip holds
zipinfo -T "$epub" | awk '/^-/ { print $7 }' | sort -u > "$OUT/ztimes"
[ "$(cat "$OUT/ztimes")" = "$ztime" ] ||
	{ echo "zip entry times, expected $ztime:"; cat "$OUT/ztimes"; }
# the copyright page (page 2) names the date
pdftotext -f 2 -l 2 "$pdf" - | grep -q "^Date: $date\$" ||
	echo "the copyright page does not say 'Date: $date'"
