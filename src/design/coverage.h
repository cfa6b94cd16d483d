/*
 * coverage.h - which of the style's font families draws each character of
 * a book: the characters no family draws (found when the book is checked,
 * as the typesetter finds them when it sets it), and the fallback families
 * (fonts.fallbacks) the book needs, and for which characters.
 *
 * Ownership: gb_coverage_load() returns a coverage that the caller frees
 * with gb_coverage_free(); gb_coverage_needs() returns an array the caller
 * unrefs (it frees its tables).
 */
#ifndef GB_COVERAGE_H
#define GB_COVERAGE_H

#include <stdbool.h>

#include "source/book.h"
#include "base/diag.h"
#include "design/fonts.h"
#include "design/style.h"

/* The families of a coverage, in order: then fonts.fallbacks'. */
enum { GB_FACE_BODY, GB_FACE_HEADING, GB_FACE_MONO, GB_FACE_FALLBACK };

typedef struct gb_coverage {
	char **families;        /* body, heading, mono, then the fallbacks */
	guint n;                /* families */
	GBytes *data;           /* gb_font_coverage()'s blocks */
	const guint8 **ranges;  /* per family: its (first, last) pairs */
	gsize *count;           /* per family: how many pairs */
	guint8 **bmp;           /* per family: its characters below U+10000,
				   a bit each, for a quick look */
} gb_coverage;

/*
 * The characters of the style's families (fonts.body, .heading, .mono and
 * .fallbacks) in fonts.  They come from fontconfig
 * (gb_font_coverage()), kept in the user's cache under the fonts' sums
 * and the families, so that a check loads no print library.  NULL after
 * reporting why.
 */
gb_coverage *gb_coverage_load(gb_fontset *fonts, const gb_style *style,
			      gb_diag *d);
/*
 * The same for families (NULL-ended, taken: the coverage frees them; a
 * family after GB_EVERY_FACE counts what every face of it has), indexed
 * as families are.
 */
gb_coverage *gb_coverage_of(gb_fontset *fonts, char **families, gb_diag *d);
void gb_coverage_free(gb_coverage *c);

/* Whether the family of index family (GB_FACE_...) has u. */
bool gb_coverage_has(const gb_coverage *c, guint family, gunichar u);

/* Whether u is drawn as no glyph at all (spaces, breaks, controls,
   formats: a word joiner, a soft hyphen), so that no face is needed for
   it, in either edition. */
bool gb_coverage_invisible(gunichar u);

/*
 * The characters of book each fallback is needed for: text set in the
 * body's face (or the heading's, which gives way to the body's as a
 * whole), code in the mono face, and the book's metadata, whose character
 * that face lacks goes to the first fallback that has it.  Element i is
 * the set (code points as GUINT_TO_POINTER) of fallback i (the family
 * GB_FACE_FALLBACK + i), NULL when the book needs none of it.
 */
GPtrArray *gb_coverage_needs(const gb_coverage *c, const gb_book *book);

/*
 * The families of fonts.fallbacks the book needs (gb_coverage_needs()),
 * in order, NULL-ended (the caller frees it with g_strfreev()), or NULL
 * after reporting why.  Both editions name these beside the body, heading
 * and mono families.
 */
char **gb_fallbacks_used(const gb_book *book, gb_fontset *fonts,
			 const gb_style *style, gb_diag *d);

/* The same from a coverage and what gb_coverage_needs() found with it. */
char **gb_fallbacks_of(const gb_coverage *c, const GPtrArray *sets);

/*
 * Reports, as errors at their positions, every character of the text the
 * print edition sets (text, inline code, code blocks, an inline image's
 * alt text) that no family of the style draws, with the typesetter's words
 * and positions (typeset.c, check_glyphs()).  Returns false if there is
 * one, or after reporting why the fonts cannot be read.
 */
bool gb_check_glyphs(const gb_book *book, gb_fontset *fonts,
		     const gb_style *style, gb_diag *d);

#endif
