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

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#include "base/diag.h"
#include "design/fonts.h"
#include "design/style.h"
#include "source/tree.h"

/* A role's word: the MARC relator code and what a language calls it. */
typedef struct gb_role_word {
	const char *code, *word;
} gb_role_word;

typedef struct gb_words {
	const char *lang;
	const char *contents, *landmarks, *cover, *title_page, *colophon,
		*start, *licences, *notes, *back, *identifier, *source,
		*fonts, *date, *rights, *published_by;
	const char *and_;   /* between the last two names: " and " */
	const char *by;     /* between a title and its authors: ", by " */
	const gb_role_word *roles;  /* ended by { NULL, NULL } */
	const char *index;  /* the index's title (index.h) */
	const char *page;   /* before a page number in print: "p." (p. 7) */
	const char *pages;  /* the EPUB's page-list, by name ("Pages") */
	/* the months, January first, each as '|'-separated forms (the
	   nominative, the genitive, abbreviations), and the words that may
	   stand beside a date ("г.", "жылғы"), NULL-ended: gb_date_iso() */
	const char *const *months, *const *date_words;
} gb_words;

/* the words for a BCP 47 tag (its primary subtag is what counts): "ru",
 * "ru-RU" -> Russian; NULL or an unknown language -> English */
const gb_words *gb_words_for(const char *lang);

/* The i-th language's words (0: English), NULL past the last: for tests
   that check every language. */
const gb_words *gb_words_for_index(size_t i);

/* What w calls the role code ("trl" -> "аудармашы" in Kazakh); English's
   word when w has none, the code itself when no one has. Static. */
const char *gb_role_word_of(const gb_words *w, const char *code);

/* One line of the EPUB's colophon and the print edition's copyright page:
   a label in the book's words and its value. */
typedef struct gb_fact {
	const char *key;        /* from gb_words_for(): static */
	char *value;            /* owned by the array */
} gb_fact;

/*
 * The facts both editions list after the book's title and rights, in one
 * order and in the book's words: the publisher, the date, the source, the
 * ISBNs ("ISBN 978-0-306-40615-7 (EPUB)", "... (PDF)"), the identifier
 * unless it is the ISBN (each when the book has it) and the fonts: each family of
 * fonts that families (NULL-ended: the families the edition draws with)
 * names, once, in the manifest's order, with its licence.  The caller
 * frees the array with gb_facts_free().
 */
GArray *gb_colophon_facts(const gb_meta *m, const gb_fontset *fonts,
			  const char *const *families);
void gb_facts_free(GArray *facts);

/*
 * One list of people, read by both editions (issue 20): the creators of
 * book.yaml, in its order.  The authors (role "aut", the default) are the
 * PDF's /Author and XMP dc:creator, the EPUB's dc:creator, the cover's
 * names and its alt text; the others (translator, editor...) are named
 * with their role in the book's language, "NAME, ROLE", wherever an
 * edition lists the contributors (the title pages).
 */
typedef struct gb_person {
	const gb_creator *who;  /* the book's: not owned */
	bool author;            /* role "aut" */
	char *label;            /* the name, or "NAME, ROLE": owned by the array */
} gb_person;

/* The book's people (gb_person).  Free with gb_people_free(). */
GArray *gb_people(const gb_meta *m);
void gb_people_free(GArray *people);

/* The authors' names, NULL-ended (empty when the book has none).  The
   caller frees it with g_strfreev(). */
char **gb_author_list(const gb_meta *m);

/* The authors joined in the book's words, "A, B and C" ("A, B и C"), or
   NULL when there are none.  The caller frees it. */
char *gb_author_names(const gb_meta *m);

/* The cover's alt text in the book's words, a sentence: "Cover: TITLE:
   SUBTITLE, by AUTHORS." ("Мұқаба: TITLE — AUTHORS."; no second full stop
   after a title ending in one, or in ! ? …), plain text (not escaped for
   any markup).  The caller frees it. */
char *gb_cover_alt(const gb_meta *m);

/*
 * Words in capitals (issue 21): a run of two letters or more, every one a
 * capital (NATO, BRICS, НАТО, ҚР), is set in small capitals, letterspaced,
 * but for a roman numeral of I, V, X, L, C (II, XIV: "Chapter II" as "Chapter
 * I", "World War II") unless a word in capitals stands beside it ("CHAPTER
 * II"); a plural's s after capitals stays a small letter (PDFs: the
 * word is PDF), in both editions and in every block of
 * text but code (text, tables, headings, the contents).  One rule, read
 * by the typesetter (typeset/inline.c) and by the EPUB's XHTML (its
 * <span class="caps">); hyphenation reads gb_caps_word() (a name is not
 * hyphenated: typeset/hyphenate.c).
 *
 * gb_caps_word(): whether the letters w[0, len) are all capitals, two or
 * more (a titlecase letter, as the Greek ᾼ, counts as a capital).
 * gb_caps_word_next(): finds the next word set so in text[*at, len):
 * true with its bytes [*start, *end), *at moved past it; false when there
 * is none.
 */
bool gb_caps_word(const char *w, size_t len);
bool gb_caps_word_next(const char *text, size_t len, size_t *at,
		       size_t *start, size_t *end);

/*
 * Whether a table cell's text is a number, for both editions' numeric
 * columns (issue 21): at least one digit, and besides digits only signs,
 * separators and units of a figure: + - − – . , : / % ‰ ( ) currency
 * signs and spaces (1949, 12.5%, −3,75, 2024-01-15, 10:30, $1,200,
 * (3.5)).  Words are not numbers ("April 2022").
 */
bool gb_is_number(const char *text);

/*
 * The numeric columns of table (cols columns), as a new array of cols
 * bools the caller frees: a column is numeric when it has a body cell
 * that is not empty and every such cell is a number (gb_is_number); a
 * cell holding only a dash (—, –, -) counts as empty.  Such a column is
 * set in lining tabular figures and, unless the table aligns it, to the
 * right, in both editions.
 */
bool *gb_numeric_columns(const gb_node *table, int cols);

/*
 * Dates in tables (issue 23): the date a cell's whole text is
 * (gb_date_iso() with the months and date words of every language of the
 * words table: "April 2022", "12 марта 1818 г.", "2022-04-12"), as ISO
 * 8601, or NULL.  A bare year ("2025") is a date only in a column of
 * dates: gb_date_columns() gives, as a new array of cols bools the caller
 * frees, the columns of table whose body cells that are not empty (nor a
 * dash) are all dates, one with a month at least, or whose header is
 * "Date" in a language of the words table.  The caller frees the date.
 */
char *gb_cell_date(const char *text, bool date_column);
bool *gb_date_columns(const gb_node *table, int cols);

/*
 * How a cell aligned align (its column's, from the source) is set when
 * numeric is whether its column is: a numeric column to the right unless
 * the table aligns it, any other as the table says.  Both editions.
 */
gb_align gb_cell_align(gb_align align, bool numeric);

/*
 * Where a number aligns in a numeric column (decimal alignment): the byte
 * of text at its decimal mark - the language's ('.' in English, Chinese,
 * Japanese, Korean; ',' in Russian, Kazakh and most others), followed by
 * a digit - or, for a number without one, just after its last digit, so
 * that 12% and 12.5% align their units.  -1 when text has no digit.
 */
long gb_decimal_anchor(const char *text, const char *lang);

/*
 * What both editions set before a figure's caption: its label (resolve's
 * "Figure 3", in its part's language) and ": ", when the style's
 * figure.numbered is true (true or false; another value is an error at
 * the style, and gives NULL); NULL for a figure without a label.  The
 * caller frees it.
 */
char *gb_figure_caption_label(const gb_style *s, const gb_node *fig, gb_diag *d);

#endif
