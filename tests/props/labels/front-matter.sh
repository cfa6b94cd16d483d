# tests/props/labels/front-matter.sh - sourced by the checks of
# tests/props/labels/*-front-matter/: a book's front matter says the book's
# words and the same facts in both editions (issue 20, section 4).  The
# case's 'words' file holds the words expected, "KEY WORD" a line: the
# contents' title (contents) and the labels of the copyright page and the
# colophon (publisher, date, source, identifier, fonts).  Read from the
# editions of 'gsi-book all' (pdftotext, pdfinfo; the EPUB's XHTML):
# - the print contents and the EPUB's nav are titled with the contents word;
# - the copyright page and the colophon give each fact of the book (its
#   book.yaml: publisher, date, source) as "LABEL: value", the same line in
#   both, and the identifier and the fonts under their labels;
# - the title pages name the publisher, and the same people, each line the
#   same in both editions (a contributor named with the same role); the
#   EPUB marks an author up as one (class author) and a contributor as a
#   contributor (class contributor);
# - the PDF's /Author, the XMP's dc:creator (one rdf:li each, in order) and
#   the EPUB's dc:creator are the authors (the people without a role), and
#   only them;
# - the EPUB's cover is described in the book's words: its alt text
#   begins with the cover word ('cover' in ./words), and names the
#   authors joined as /Author joins them;
# - neither edition's front matter says an English word of gsi-book's own
#   (Contents, Publisher:, Date:, Fonts:, translator, " and "...).
book=$(the_book)
editions_of "$book" "$(basename "$CASE")"
[ -n "$pdf" ] && [ -n "$epub" ] || exit 1
word() { awk -v k="$1" '$1 == k { print $2 }' words; }
yaml() { sed -n "s/^$1: *//p" "$book/book.yaml" | sed 's/^"\(.*\)"$/\1/'; }
# the people of book.yaml: "NAME<TAB>ROLE" (an empty role: an author)
awk '
	/^author: *[^ ]/ { sub(/^author: */, ""); print $0 "\t"; next }
	/^author:/ { on = 1; next }
	on && /^[^ ]/ { on = 0 }
	on && /^ *- name: / { if (name != "") print name "\t" role; name = $0; sub(/^ *- name: */, "", name); role = ""; next }
	on && /^ *role: / { role = $0; sub(/^ *role: */, "", role) }
	END { if (name != "") print name "\t" role }' "$book/book.yaml" > "$OUT/people"
awk -F '\t' '$2 == ""' "$OUT/people" | cut -f1 > "$OUT/authors"

pdftotext -enc UTF-8 -f 1 -l 1 "$pdf" "$OUT/title.txt"
pdftotext -enc UTF-8 -f 2 -l 2 "$pdf" "$OUT/copyright.txt"
pdftotext -enc UTF-8 "$pdf" "$OUT/all.txt"
pdfinfo "$pdf" > "$OUT/info"
pdfinfo -meta "$pdf" > "$OUT/xmp"
inspect cat "$epub" EPUB/nav.xhtml > "$OUT/nav.xhtml"
inspect cat "$epub" EPUB/text/titlepage.xhtml > "$OUT/titlepage.xhtml"
inspect cat "$epub" EPUB/text/colophon.xhtml > "$OUT/colophon.xhtml"
inspect cat "$epub" EPUB/package.opf > "$OUT/package.opf"
inspect cat "$epub" EPUB/text/cover.xhtml > "$OUT/cover.xhtml"

# the contents' title
contents=$(word contents)
tr -d '\f' < "$OUT/all.txt" | grep -qx "$contents" || echo "PDF: the contents is not titled '$contents'"
grep -q "<h1 id=\"toc-title\">.*>$contents</h1>\|<h1 id=\"toc-title\">$contents</h1>" "$OUT/nav.xhtml" ||
	echo "EPUB: the nav is not titled '$contents'"

# the facts, "LABEL: value", the same line in both editions
# (the colophon's lines, tags out; the copyright page's lines joined)
sed -n 's/.*<p><span class="key">\(.*\)<\/p>.*/\1/p' "$OUT/colophon.xhtml" |
	sed 's/<a [^>]*>.*<\/a>//; s/<[^>]*>//g; s/ *$//' > "$OUT/epub-facts"
tr '\n' ' ' < "$OUT/copyright.txt" | tr -s ' ' > "$OUT/copyright-line"
for key in publisher date source; do
	value=$(yaml "$key")
	[ -n "$value" ] || continue
	line="$(word "$key"): $value"
	grep -qxF "$line" "$OUT/copyright.txt" || echo "PDF: the copyright page has no line '$line'"
	grep -qxF "$line" "$OUT/epub-facts" || echo "EPUB: the colophon has no line '$line'"
done
for key in identifier fonts; do
	label="$(word "$key"):"
	grep -q "^$label " "$OUT/copyright.txt" || echo "PDF: the copyright page has no '$label'"
	grep -q "^$label " "$OUT/epub-facts" || echo "EPUB: the colophon has no '$label'"
done
while IFS= read -r fact; do
	grep -qF "$fact" "$OUT/copyright-line" || echo "PDF: the copyright page lacks the colophon's '$fact'"
done < "$OUT/epub-facts"
rights=$(yaml rights)
if [ -n "$rights" ]; then
	grep -qxF "$rights" "$OUT/copyright.txt" || echo "PDF: the copyright page does not say '$rights'"
	grep -qF "<p class=\"rights\">$rights</p>" "$OUT/colophon.xhtml" || echo "EPUB: the colophon does not say '$rights'"
fi

# the title pages: the publisher, and the people, line for line
publisher=$(yaml publisher)
if [ -n "$publisher" ]; then
	grep -qxF "$publisher" "$OUT/title.txt" || echo "PDF: the title page does not name the publisher '$publisher'"
	grep -qF "<p class=\"publisher\">$publisher</p>" "$OUT/titlepage.xhtml" ||
		echo "EPUB: the title page does not name the publisher '$publisher'"
fi
sed -n 's/.*<p class="\(author\|contributor\)">\(.*\)<\/p>.*/\2/p' "$OUT/titlepage.xhtml" > "$OUT/epub-people"
cut -f1 "$OUT/people" | while IFS= read -r name; do
	grep -F "$name" "$OUT/title.txt" | head -n 1
done > "$OUT/pdf-people"
[ "$(wc -l < "$OUT/pdf-people")" = "$(wc -l < "$OUT/people")" ] ||
	{ echo "PDF: the title page does not name everyone of book.yaml:"; cat "$OUT/pdf-people"; }
diff "$OUT/pdf-people" "$OUT/epub-people" > "$OUT/people.diff" ||
	{ echo "the title pages name the people differently (< PDF, > EPUB):"; grep '^[<>]' "$OUT/people.diff"; }

sed -n 's/.*<p class="author">\(.*\)<\/p>.*/\1/p' "$OUT/titlepage.xhtml" > "$OUT/epub-authors"
cmp -s "$OUT/epub-authors" "$OUT/authors" ||
	{ echo "EPUB: the title page's class=author lines are not the authors of book.yaml:"; paste -sd, "$OUT/epub-authors"; }
awk -F '\t' '$2 != "" { print $1 }' "$OUT/people" | while IFS= read -r name; do
	grep -qF "<p class=\"contributor\">$name, " "$OUT/titlepage.xhtml" ||
		echo "EPUB: the title page does not name the contributor '$name' as one, with a role"
done

# the authors: /Author, the XMP's dc:creator and the EPUB's dc:creator
sed -n 's/.*<dc:creator[^>]*>\([^<]*\)<.*/\1/p' "$OUT/package.opf" > "$OUT/creators"
cmp -s "$OUT/creators" "$OUT/authors" ||
	{ echo "EPUB: dc:creator is not the authors of book.yaml:"; paste -sd, "$OUT/creators"; }
python3 -c '
import sys, xml.etree.ElementTree as ET
rdf = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
dc = "{http://purl.org/dc/elements/1.1/}"
xmp = sys.stdin.read()
root = ET.fromstring(xmp[xmp.index("<x:xmpmeta"):xmp.index("</x:xmpmeta>") + 12])
for c in root.iter(dc + "creator"):
	for li in c.iter(rdf + "li"):
		print(li.text or "")
' < "$OUT/xmp" > "$OUT/xmp-creators" || echo "PDF: the XMP could not be read"
cmp -s "$OUT/xmp-creators" "$OUT/authors" ||
	{ echo "PDF: the XMP's dc:creator is not the authors of book.yaml, one rdf:li each:"; paste -sd, "$OUT/xmp-creators"; }
author=$(sed -n 's/^Author: *//p' "$OUT/info")
while IFS= read -r name; do
	case $author in *"$name"*) ;; *) echo "PDF: /Author '$author' lacks '$name'" ;; esac
done < "$OUT/authors"
awk -F '\t' '$2 != "" { print $1 }' "$OUT/people" | while IFS= read -r name; do
	case $author in *"$name"*) echo "PDF: /Author '$author' names the contributor '$name'" ;; esac
done

# the cover's alt text: a sentence (SE's t-026), its full stop after the
# authors
alt=$(sed -n 's/.*<img role="doc-cover"[^>]* alt="\([^"]*\)".*/\1/p' "$OUT/cover.xhtml")
case $alt in "$(word cover): $(yaml title)"*) ;; *) echo "EPUB: the cover's alt text '$alt' does not begin '$(word cover): $(yaml title)'" ;; esac
if [ -n "$author" ]; then
	case $alt in *"$author.") ;; *) echo "EPUB: the cover's alt text '$alt' does not end with the authors '$author' and a full stop" ;; esac
fi

# no English words of gsi-book's own in the front matter
pages=$(awk -v c="$contents" '{ p += gsub(/\f/, "") } $0 == c { print p + 1; exit }' "$OUT/all.txt")
pdftotext -enc UTF-8 -f 1 -l "${pages:-3}" "$pdf" - > "$OUT/front.txt"
{ cat "$OUT/front.txt"; echo "$author"; } > "$OUT/pdf-front"
{ sed 's/<[^>]*>/ /g' "$OUT/titlepage.xhtml" "$OUT/colophon.xhtml" "$OUT/nav.xhtml"; echo "$alt"; } > "$OUT/epub-front"
for ed in pdf epub; do
	grep -o -E 'Contents|Cover:|, by |Publisher:|Date:|Source:|Identifier:|Fonts:|Rights:|Set in|Appendix|translator|editor|illustrator|contributor| and ' \
		"$OUT/$ed-front" | sort -u | sed "s/^/$(echo "$ed" | tr a-z A-Z): an English word of gsi-book's own in the front matter: '/; s/\$/'/"
done
