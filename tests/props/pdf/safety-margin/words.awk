# tests/props/pdf/safety-margin/words.awk - every word of pdftotext -bbox's
# page list inside the safety margin: -v p=PROFILE safety= top= bottom=
# outside= inside= (points; the bleed on each side, the trim being the
# MediaBox less it; page 1 a recto, its outside on the right).  Prints
# the first word of each page that lies nearer a trim.
function attr(s, k,   r) {
	if (!match(s, k "=\"[-0-9.]+\"")) return -1
	r = substr(s, RSTART + length(k) + 2, RLENGTH - length(k) - 3)
	return r + 0
}
/<page / { n++; w = attr($0, "width"); h = attr($0, "height") }
/<word / {
	x0 = attr($0, "xMin"); x1 = attr($0, "xMax")
	y0 = attr($0, "yMin"); y1 = attr($0, "yMax")
	left = (n % 2) ? inside : outside; right = (n % 2) ? outside : inside
	word = $0; sub(/.*">/, "", word); sub(/<.*/, "", word)
	d = x0 - left; e = "left"
	if (w - right - x1 < d) { d = w - right - x1; e = "right" }
	if (y0 - top < d) { d = y0 - top; e = "top" }
	if (h - bottom - y1 < d) { d = h - bottom - y1; e = "bottom" }
	if (d < safety - 0.1 && !seen[n]++)
		printf "%s page %d: \"%s\" lies %.1f pt from the %s trim, inside the %.1f pt safety margin\n", p, n, word, d, e, safety
}
