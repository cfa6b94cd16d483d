#!/bin/sh
# tests/layout-check.sh LAYOUT - checks a layout dump (gsi-book pdf
# --dump-layout):
#  - no heading is the last thing set on a page (the title page aside):
#    the last block opened on a page, footnotes apart, is not H1-H6;
#  - every contents entry gives the page on which its heading lands.
# Prints one line per problem; exits 1 if there is any.
set -u
awk '
function quoted(s,   a, b) { a = index(s, "\""); b = length(s); return substr(s, a + 1, b - a - 1) }
# pass 1: the folio of every destination
FNR == NR {
	if ($1 == "page") label = $3
	else if ($1 == "dest") folio[$4] = label
	next
}
$1 == "page" {
	if (page > 1 && last ~ /^H[1-6]$/) { print "page " page " (" plabel ") ends with a heading"; bad = 1 }
	page = $2; plabel = $3; last = ""; innote = 0
	next
}
$1 == "tag" {
	if ($2 == "Note") innote = 1
	if (!innote && $2 ~ /^(H[1-6]|P|LBody|TH|TD|Caption|Figure|TOCI)$/) last = $2
	if ($2 == "TOCI") { intoc = 1; target = ""; num = "" }
	next
}
intoc && $1 == "link" && target == "" { target = substr($6, 2); next }
intoc && $1 == "text" { num = quoted($0); next }
intoc && $1 == "end" {
	intoc = 0
	if (target == "") { print "a contents entry without a link"; bad = 1 }
	else if (!(target in folio)) { print "contents entry for " target ": no such destination"; bad = 1 }
	else if (folio[target] != num) { print "contents entry for " target " says page \"" num "\", the heading is on page " folio[target]; bad = 1 }
	entries++
	next
}
END {
	if (page > 1 && last ~ /^H[1-6]$/) { print "page " page " (" plabel ") ends with a heading"; bad = 1 }
	if (!entries) { print "no contents entries"; bad = 1 }
	exit bad
}
' "$1" "$1"
