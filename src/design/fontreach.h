/*
 * fontreach.h - the font families a build may draw with, so that a build
 * reads (gb_fontset_verify(): the SHA-256 of each file) only the fonts it
 * may use: a Latin or Cyrillic book never reads Noto Serif CJK's 53 MB.
 *
 * The rule, made to hold whatever the typesetter, the cover or the EPUB
 * choose: the style's body, heading and mono families always; a fallback
 * (fonts.fallbacks) when it has a character that the book may put on a
 * page and that a face of one of those three families lacks (Pango asks
 * the fallbacks only for such a character; a heading set whole in a
 * fallback, gb_ts_family_for(), is so for such a character too).  The characters a
 * book may put on a page: those of its files as written, of its tree and
 * metadata as read (entities, escapes), of its index, of the style's
 * values, of the words (words.h) of its languages and English's, and
 * the marks the typesetter adds (bullets, note marks, the code's
 * continuation mark, dashes).  A face of fonts/ no family of the style names is
 * never drawn: the typesetter refuses a character only such a face has.
 *
 * Ownership: gb_families_reached() returns a NULL-ended array the caller
 * frees with g_strfreev().
 */
#ifndef GB_FONTREACH_H
#define GB_FONTREACH_H

#include "base/diag.h"
#include "design/fonts.h"
#include "design/style.h"
#include "source/book.h"

/*
 * The families book reaches: fonts.body, .heading, .mono, then each of
 * .fallbacks it reaches, in the style's order; NULL after reporting why
 * the fonts' characters cannot be read.
 */
char **gb_families_reached(const gb_book *book, gb_fontset *fonts,
			   const gb_style *style, gb_diag *d);

#endif
