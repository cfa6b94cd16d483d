/*
 * index.h - the book's index: the entries its text marks
 * ('[term]{.index}', '{.index entry="Security!collective"}'), sorted by
 * the book's language, and their locators; what both editions set after
 * the last part when book.yaml's parts end with '- kind: index'.
 *
 * An entry is a mark's text, or its entry= value; '!' in it separates
 * the entry from a subentry ("Security!collective": "collective" under
 * "Security"), as makeindex has it.  A mark with range=start opens a
 * range of pages that the next mark of the same entry with range=end
 * closes.  Entries sort by the alphabet of the book's language, never the
 * machine's locale (gb_collate_key): letters without case or diacritics
 * for English (and any Latin-alphabet language), the Russian alphabet
 * with Ё after Е, the Kazakh one (А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң
 * О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я); digits first, then the
 * alphabet, then letters of other scripts by code point; spaces separate
 * words (word-by-word order), other punctuation is ignored.
 *
 * Ownership: book->index (set by gb_index_build) owns its entries and
 * their strings; the marks are the book's nodes.  gb_index_locators()
 * returns an array the caller frees (g_ptr_array_unref).
 */
#ifndef GB_INDEX_H
#define GB_INDEX_H

#include "base/diag.h"
#include "source/tree.h"

typedef struct gb_index_entry {
	char *term;               /* the entry ("Security") */
	char *sub;                /* its subentry ("collective"), or NULL */
	char *group;              /* the letter heading it is under ("S") */
	GPtrArray *marks;         /* SPAN nodes, in document order (a
				     range's start; its end in ends) */
	GPtrArray *ends;          /* for each mark its range's end, or NULL */
} gb_index_entry;

/* One locator: a page or a range of pages, linked to its first mark. */
typedef struct gb_index_locator {
	char *text;               /* "12", "4–6"; NULL: no page known */
	const gb_node *mark;
} gb_index_locator;

/*
 * Reads the marks of the book's text into book->index (entries sorted,
 * each subentry after its entry; an entry with subentries only is there
 * without marks), gives each mark without an id one ("ix", "ix-1", ...:
 * ids, a function of resolve's, names them: assign), and reports what is
 * wrong: an empty entry, a range that is never closed or closes nothing,
 * marks with no index part, an index part with no marks.
 */
typedef void (*gb_index_assign_fn)(gb_node *mark, void *ctx);
void gb_index_build(gb_book *book, gb_diag *d, gb_index_assign_fn assign, void *ctx);

/*
 * The sort key of s in language lang (see above): strings compare as
 * their keys do (strcmp), then as s does.  The caller frees it.
 */
char *gb_collate_key(const char *s, const char *lang);

/* The letter heading of an entry s in lang ("S", "Ё", "0–9"); the caller
   frees it. */
char *gb_collate_group(const char *s, const char *lang);

/*
 * The locators of e: page(id, ctx) gives the page label of a mark's id
 * (NULL when unknown); marks on one page are one locator, pages in a row
 * ("4", "5", "6") and ranges one range "4–6".  gb_index_locator *, owned.
 */
typedef const char *(*gb_index_page_fn)(const char *id, void *ctx);
GPtrArray *gb_index_locators(const gb_index_entry *e, gb_index_page_fn page, void *ctx);

#endif
