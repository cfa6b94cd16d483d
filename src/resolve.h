/*
 * resolve.h - what is computed once, for every edition: ids, numbers,
 * labels and the contents.
 *
 *  - PART ids come from their file names, HEADING ids from their text
 *    (slugs); all ids are unique in the book and stable while the text is.
 *  - Chapters and appendices are numbered in order; appendices get labels
 *    "Appendix A", "Appendix B", ... in the part's language.
 *  - Footnotes are numbered through the book in the order of their first
 *    reference ("1", "2", ...), ids "fn-N"; references get "fnref-N"
 *    ("fnref-N-2" for a second reference to the same note).  A book holds
 *    at most GB_MAX_NOTES notes: each costs the PDF a few objects (links
 *    both ways, structure elements, destinations), and a hundred
 *    thousand of them took gigabytes.  The one past it is an error.
 *  - book->toc lists each part's title (level 1) and its level-2 headings.
 *  - Links to "#id" must name an id of the book.
 */
#ifndef GB_RESOLVE_H
#define GB_RESOLVE_H

#include "diag.h"
#include "tree.h"

#define GB_MAX_NOTES 10000

void gb_resolve(gb_book *book, gb_diag *d);

/*
 * The slug of text: lowercase letters and digits, words joined by '-',
 * other punctuation dropped, at most 64 bytes.  May be empty.  The caller
 * frees it.
 */
char *gb_slugify(const char *text);

/* The label of the n-th appendix (1-based) in language lang. */
char *gb_appendix_label(int n, const char *lang);

#endif
