# tests/props/pdf/total-fit.sh - sourced by tests/props/pdf/*/total-fit:
# total-fit breaking beats first-fit, on the book and on a test text of
# fifty pages and more (./least: "pages N", the fewest pages the book must
# take): a lower mean adjustment ratio, no overfull line, no widow or
# orphan, at most two hyphenated lines in a row (gsi-book pdf --stats).
least=$(sed -n 's/^pages //p' least)
"$GSI" pdf --stats --dump-layout "$(the_book)" > "$OUT/stats"
awk '
/^total-fit:/ { s = "kp" } /^first-fit/ { s = "ff" }
/mean \|r\|/ { for (i = 1; i <= NF; i++) if ($i == "|r|") { mean[s] = $(i + 1) + 0; break } }
/longest hyphen run/ { run[s] = $NF + 0 }
/overfull lines/ { over[s] = $3 + 0 }
/^  widows/ { w = $2 + 0; o = $4 + 0 }
/^page / { pages++ }
END {
	if (!(mean["kp"] < mean["ff"] && over["kp"] == 0 && w == 0 && o == 0 && run["kp"] <= 2 && pages >= least))
		printf "total-fit mean |r| %.3f, first-fit %.3f; overfull %d; widows %d, orphans %d; hyphen run %d; %d pages\n", mean["kp"], mean["ff"], over["kp"], w, o, run["kp"], pages
}' least="$least" "$OUT/stats"
