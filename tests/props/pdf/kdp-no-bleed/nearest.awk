# nearest.awk - the least distance, points, of any word of pdftotext
# -bbox's page list from its page's edges (a page without bleed: the
# trim), and the word and page: "DIST WORD PAGE".
function attr(s, k) {
	if (!match(s, k "=\"[-0-9.]+\"")) return -1
	return substr(s, RSTART + length(k) + 2, RLENGTH - length(k) - 3) + 0
}
/<page / { n++; w = attr($0, "width"); h = attr($0, "height") }
/<word / {
	x0 = attr($0, "xMin"); x1 = attr($0, "xMax"); y0 = attr($0, "yMin"); y1 = attr($0, "yMax")
	d = x0; if (w - x1 < d) d = w - x1; if (y0 < d) d = y0; if (h - y1 < d) d = h - y1
	if (!seen++ || d < best) { best = d; word = $0; sub(/.*">/, "", word); sub(/<.*/, "", word); page = n }
}
END { if (seen) printf "%.2f %s %d\n", best, word, page }
