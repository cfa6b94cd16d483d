/*
 * quotes.h - real punctuation: curly quotes, apostrophes, dashes and
 * ellipses, with each language's quotation marks.
 *
 * libcmark-gfm's smart punctuation (CMARK_OPT_SMART) turns "--" into an en
 * dash, "---" into an em dash, "..." into an ellipsis and straight quotes
 * into English curly ones, never inside code, link addresses or titles.
 * gb_quotes_apply() then pairs the quotes it made in each paragraph (a
 * single quote between two letters, or one that closes nothing, is an
 * apostrophe ’ in every language) and gives each pair the marks of the
 * part's language from the one table of quotation marks below
 * (gb_quote_style_for): "double" quotes its outer marks, 'single' ones
 * its inner marks, and a pair inside a pair that has the same marks the
 * others ("a "b" c" in Russian is «a „b“ c»).  The tree holds the result: both
 * editions set the same characters and never know about the table.
 *
 * Quotes the author typed as curly characters are kept as typed.
 */
#ifndef GB_QUOTES_H
#define GB_QUOTES_H

#include <cmark-gfm.h>
#include <glib.h>

#include "source/tree.h"

typedef struct gb_quote_style {
	const char *lang;          /* the language tag it is for ("pt-PT") */
	const char *open, *close;  /* outer quotation marks */
	const char *inner_open, *inner_close;  /* the marks inside them */
	const char *space;         /* inside the outer marks: "" or U+202F */
} gb_quote_style;

/*
 * The quotation marks of language tag lang (BCP 47): its own entry, else
 * that of the tag less its last subtag ("de-AT" is "de"), ...; English's
 * for a language the table lacks.  Static, never NULL.
 */
const gb_quote_style *gb_quote_style_for(const char *lang);

/*
 * smart is a document parsed with CMARK_OPT_SMART, plain the same source
 * parsed with the same options but CMARK_OPT_SMART: sets the quotation
 * marks of smart's text nodes as lang's (see above).  When headings is not
 * NULL, each heading of smart whose text changed gets there (key: the
 * heading of smart, value: a string owned by the table) its text as
 * written, TEXT and CODE as the document tree's GitHub slug reads them.
 * Returns false (smart unchanged) if the two trees differ in shape.
 */
bool gb_quotes_apply(cmark_node *smart, cmark_node *plain, const char *lang,
		     GHashTable *headings);

/*
 * s (plain text, not Markdown: a title) with the same punctuation, line by
 * line: quotes pair within a line.  The caller frees.
 */
char *gb_quotes_string(const char *s, const char *lang);

/*
 * The book's words in book.yaml (title, subtitle, authors' names and
 * affiliations, publisher, rights, description, subjects) get the same
 * punctuation, in the book's language: they are set on the title and
 * copyright pages next to the parts' text.
 */
void gb_quotes_meta(gb_meta *meta);

#endif
