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

typedef struct gb_words {
	const char *lang;
	const char *contents, *landmarks, *cover, *title_page, *colophon,
		*start, *licences, *notes, *back, *identifier, *source,
		*fonts, *date, *rights, *published_by;
} gb_words;

/* the words for a BCP 47 tag (its primary subtag is what counts): "ru",
 * "ru-RU" -> Russian; NULL or an unknown language -> English */
const gb_words *gb_words_for(const char *lang);

#endif
