/*
 * words.h - the words gsi-book itself puts on a book's pages (the
 * contents' title, the labels of the colophon and the copyright page,
 * the EPUB's landmarks...), by language: one table, read by both
 * editions, so that they say the same words.
 *
 * gb_words_for() returns a pointer into a static table: nothing to free.
 * A language without an entry gets English.
 */
#ifndef GB_WORDS_H
#define GB_WORDS_H

#include <glib.h>

#include "design/fonts.h"
#include "source/tree.h"

typedef struct gb_words {
	const char *lang;
	const char *contents, *landmarks, *cover, *title_page, *colophon,
		*start, *licences, *notes, *back, *identifier, *source,
		*fonts, *date, *rights, *published_by;
} gb_words;

/* the words for a BCP 47 tag (its primary subtag is what counts): "ru",
 * "ru-RU" -> Russian; NULL or an unknown language -> English */
const gb_words *gb_words_for(const char *lang);

/* One line of the EPUB's colophon and the print edition's copyright page:
   a label in the book's words and its value. */
typedef struct gb_fact {
	const char *key;        /* from gb_words_for(): static */
	char *value;            /* owned by the array */
} gb_fact;

/*
 * The facts both editions list after the book's title and rights, in one
 * order and in the book's words: the publisher, the date, the source, the
 * identifier (each when the book has it) and the fonts: each family of
 * fonts that families (NULL-ended: the families the edition draws with)
 * names, once, in the manifest's order, with its licence.  The caller
 * frees the array with gb_facts_free().
 */
GArray *gb_colophon_facts(const gb_meta *m, const gb_fontset *fonts,
			  const char *const *families);
void gb_facts_free(GArray *facts);

#endif
