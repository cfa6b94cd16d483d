# tests/props/pdf/profile/profile.sh - sourced by the checks of
# tests/props/pdf/profile/NAME/, the printer profile NAME (the directory's
# name) on the real book: the MediaBox is the trim plus the profile's bleed
# (./bleed: "bleed WIDTH HEIGHT", in points, both sides together), the
# TrimBox the trim; qpdf finds nothing; kdp has no annotations and no
# bookmarks; ingram ends on a blank page of an even count.  --pad: the
# real book is shorter than KDP's and IngramSpark's least page count.
profile=$(basename "$PWD")
set -- $(sed -n 's/^bleed //p' bleed)
"$GSI" pdf -q --pad --profile "$profile" -o "$OUT/$profile.pdf" "$(the_book)" 2>&1
pdfinfo -box "$OUT/$profile.pdf" > "$OUT/boxes"
qpdf --check "$OUT/$profile.pdf" > "$OUT/qpdf" 2>&1 || { echo "qpdf --check:"; cat "$OUT/qpdf"; }
grep -i warning "$OUT/qpdf"
awk -v bw="$1" -v bh="$2" '
	/^MediaBox:/ { mw = $4 - $2; mh = $5 - $3 }
	/^TrimBox:/ { tw = $4 - $2; th = $5 - $3 }
	END {
		d = mw - tw - bw; e = mh - th - bh
		if (d < -0.01 || d > 0.01 || e < -0.01 || e > 0.01) print "MediaBox " mw "x" mh ", TrimBox " tw "x" th
	}' "$OUT/boxes"
if [ "$profile" = kdp ]; then
	qpdf --qdf --object-streams=disable "$OUT/kdp.pdf" "$OUT/kdp.qdf"
	! grep -a -q -e '/Annots' -e '/Outlines' "$OUT/kdp.qdf" || echo "kdp has /Annots or /Outlines"
fi
if [ "$profile" = ingram ]; then
	pages=$(sed -n 's/^Pages: *//p' "$OUT/boxes")
	[ $((pages % 2)) = 0 ] || echo "ingram: $pages pages"
	last=$(pdftotext -f "$pages" -l "$pages" "$OUT/ingram.pdf" - | tr -d ' \n\f')
	[ -z "$last" ] || echo "ingram: the last page is not blank"
fi
