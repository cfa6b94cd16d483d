/*
 * resolve.h - what is computed once, for every edition: ids, numbers,
 * labels and the contents.
 *
 *  - PART ids come from their file names, HEADING ids from their text
 *    (slugs); all ids are unique in the book and stable while the text is.
 *    A heading's id is GitHub's slug of it (gb_slugify; "-1", "-2", ...
 *    after a slug its file has already), unless another file of the book
 *    has taken it: then a further "-N" makes it unique in the book.
 *    Every id is ASCII (gb_ascii_id, source/translit.h): a slug or a
 *    given id in another script is transliterated ("қала-туралы" is
 *    "qala-turaly"), and a link written with the slug still finds it.
 *  - A part whose file has several level-1 headings becomes a part per
 *    level-1 heading (same file, kind and language), each note with the
 *    part of its first reference: both editions see chapters.
 *  - Chapters and appendices are numbered in order; appendices get labels
 *    "Appendix A", "Appendix B", ... in the part's language.
 *  - Footnotes are numbered through the book in the order of their first
 *    reference ("1", "2", ...), ids "fn-N"; references get "fnref-N"
 *    ("fnref-N-2" for a second reference to the same note).  A book holds
 *    at most GB_MAX_NOTES notes: each costs the PDF a few objects (links
 *    both ways, structure elements, destinations), and a hundred
 *    thousand of them took gigabytes.  The one past it is an error.
 *  - A figure with a caption is numbered through the book, its label
 *    "Figure 3" in its part's language; the id written after its image
 *    ('{#fig:map}') is the figure's.
 *  - book->toc lists each part's title (level 1) and its level-2 headings.
 *  - A link to "#id" goes, first, to the heading of its own file whose
 *    GitHub slug is id (as on GitHub, where each file is a page); then to
 *    the heading of another file with that slug (the first of them, with
 *    a warning naming the files when several have it); then to the node
 *    whose id in the book it is.  Its url becomes "#" and that node's id,
 *    and its target that node.  A link that matches none is an error that
 *    suggests the nearest id.  Any other link's url is percent-encoded
 *    (gb_href_escape).
 */
#ifndef GB_RESOLVE_H
#define GB_RESOLVE_H

#include "base/diag.h"
#include "source/tree.h"

#define GB_MAX_NOTES 10000

void gb_resolve(gb_book *book, gb_diag *d);

/*
 * GitHub's slug of a heading's text (github-slugger, which follows
 * GitHub's anchors): lowercased; letters, marks, decimal and letter
 * numbers of every script, '_' (connector punctuation) and '-' kept;
 * each space becomes '-'; every other character removed.  "x_y" gives
 * "x_y", "Hello, World!" "hello-world", "a - b" "a---b".  May be empty.
 * The caller frees it.
 */
char *gb_slugify(const char *text);

/*
 * url percent-encoded as cmark-gfm's HTML renderer encodes a link's
 * address (its houdini_escape_href): every byte but ASCII letters, digits
 * and -_.+!*'(),%#@?=;:/&$~ (a '%' is kept: the address may be encoded
 * already) becomes %XX, so a space, '|', '{', '}', '\\', '`', '[', ']',
 * '"', '<', '>' and non-ASCII bytes are encoded; but the host of an http
 * or https address is its ASCII name (IDNA: "пример.рф" is
 * "xn--e1afmkfd.xn--p1ai"), and an IPv6 address keeps its brackets, as
 * reading systems cannot parse an encoded host.  Resolve sets every
 * link's address to it: both editions write it as it is.  The caller
 * frees it.
 */
char *gb_href_escape(const char *url);

/*
 * The label of the n-th appendix (1-based) in language lang: its word,
 * a space and its ordinal, "Appendix A", "Қосымша Ә" (caller frees);
 * the word alone ("Appendix", static) and the ordinal alone ("A", "AB";
 * caller frees), which the EPUB marks as the label's parts.
 */
char *gb_appendix_label(int n, const char *lang);
const char *gb_appendix_word(const char *lang);
char *gb_appendix_ordinal(int n, const char *lang);
/* The label of the n-th numbered figure in language lang ("Figure 3"). */
char *gb_figure_label(int n, const char *lang);

#endif
