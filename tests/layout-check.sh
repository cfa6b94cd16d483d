#!/bin/sh
# tests/layout-check.sh LAYOUT - checks a layout dump (gsi-book pdf
# --dump-layout):
#  - no heading is the last thing set on a page (the title page aside):
#    the last block opened on a page, footnotes apart, is not H1-H6;
#  - every contents entry gives the page on which its heading lands;
#  - no line reaches more than 0.1 pt past the measure, but for what its
#    first and last characters hang into the margins (hang=LEFT,RIGHT:
#    margin kerning), and none hangs further than 0.25 em of the body
#    (a note's number stands in the margin, left of the note's text);
#  - no paragraph leaves a single line at the foot of a page (an orphan)
#    or carries a single line over to the next (a widow);
#  - no more than two hyphenated lines in a row.
# Prints one line per problem; exits 1 if there is any.
set -u
awk '
function quoted(s,   a, b) { a = index(s, "\""); b = length(s); return substr(s, a + 1, b - a - 1) }
function close_para() {
	if (pfirst != "" && pfirst != plast) {
		if (pon_first == 1) { print "an orphan: a paragraph leaves one line at the foot of page " pfirst; bad = 1 }
		if (pon_last == 1) { print "a widow: a paragraph carries one line to page " plast; bad = 1 }
	}
	pfirst = ""
}
# pass 1: the folio of every destination
FNR == NR {
	if ($1 == "page") label = $3
	else if ($1 == "dest") folio[$4] = label
	next
}
FNR == 1 {
	for (i = 1; i <= NF; i++) {
		if ($i == "measure") measure = $(i + 1) + 0
		if ($i == "block") block = $(i + 3) - $(i + 1)
	}
	next
}
# a page turned a quarter: its first boxes lie in the turned frame, whose
# measure is the text block'"'"'s height, from 0
$1 == "turned" { turned = $2 + 0; next }
$1 != "page" { nbox++ }
$1 == "page" {
	nbox = 0; turned = 0
	if (page > 1 && last ~ /^H[1-6]$/) { print "page " page " (" plabel ") ends with a heading"; bad = 1 }
	page = $2; plabel = $3; last = ""; innote = 0; at = $6 + 0; hrun = 0
	next
}
$1 == "tag" {
	depth++; stack[depth] = $2
	if ($2 == "Note") innote = 1
	if (!innote && $2 ~ /^(H[1-6]|P|LBody|TH|TD|Caption|Figure|TOCI)$/) last = $2
	if ($2 == "TOCI") { intoc = 1; target = ""; num = "" }
	if ($2 == "P") { close_para(); pfirst = page; plast = page; pon_first = 0; pon_last = 0; hrun = 0 }
	next
}
$1 == "end" {
	if (depth > 0 && stack[depth] == "P") close_para()
	if (depth > 0) depth--
	if (intoc) {
		intoc = 0
		if (target == "") { print "a contents entry without a link"; bad = 1 }
		else if (!(target in folio)) { print "contents entry for " target ": no such destination"; bad = 1 }
		else if (folio[target] != num) { print "contents entry for " target " says page \"" num "\", the heading is on page " folio[target]; bad = 1 }
		entries++
	}
	next
}
intoc && $1 == "link" && target == "" { target = substr($6, 2) }
$1 == "text" {
	if (intoc) num = quoted($0)
	inner = depth ? stack[depth] : ""
	if (inner != "Artifact" && measure > 0) {
		w = substr($4, 3) + 0
		left = nbox <= turned ? 0 : at
		meas = nbox <= turned ? block : measure
		hl = 0; hr = 0
		if (match($0, / hang=[0-9.]+,[0-9.]+ /)) { split(substr($0, RSTART + 6, RLENGTH - 7), hh, ","); hl = hh[1] + 0; hr = hh[2] + 0 }
		if ($2 + w - hr > left + meas + 0.1) { printf "page %s: a line reaches %.2f pt past the measure: %s\n", plabel, $2 + w - hr - left - meas, quoted($0); bad = 1 }
		# (the number of a note hangs in the margin, left of its text)
		hangs = innote && quoted($0) ~ /^[0-9]+$/ && $2 + w <= left + 0.1
		if ($2 + hl < left - 0.1 && nbox > turned && !hangs) { printf "page %s: a line starts %.2f pt before the measure: %s\n", plabel, left - $2 - hl, quoted($0); bad = 1 }
		if (hl > 3 || hr > 3) { printf "page %s: a line hangs %.2f and %.2f pt into the margins: %s\n", plabel, hl, hr, quoted($0); bad = 1 }
	}
	if (inner == "P") {
		if (page != plast) { plast = page; pon_last = 0 }
		if (page == pfirst) pon_first++
		pon_last++
		if ($0 ~ /\302\255"$/) { if (++hrun > 2) { print "page " plabel ": more than two hyphenated lines in a row"; bad = 1 } }
		else hrun = 0
	}
}
END {
	close_para()
	if (page > 1 && last ~ /^H[1-6]$/) { print "page " page " (" plabel ") ends with a heading"; bad = 1 }
	if (!entries) { print "no contents entries"; bad = 1 }
	exit bad
}
' "$1" "$1"
