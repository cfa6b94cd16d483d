/*
 * coverage.h - the characters of a book that no font can draw, found
 * when the book is checked, as the typesetter finds them when it sets it.
 */
#ifndef GB_COVERAGE_H
#define GB_COVERAGE_H

#include <stdbool.h>

#include "book.h"
#include "diag.h"
#include "fonts.h"

/*
 * Reports, as errors at their positions, every character of the text the
 * print edition sets (text, inline code, an inline image's alt text) that
 * no font of fonts has, with the typesetter's words and positions
 * (typeset.c, check_glyphs()).  The fonts' characters come from the
 * render module (gb_font_coverage()), kept in the user's cache under the
 * fonts' sums, so that a check loads no print library.  Returns false if
 * there is one, or after reporting why the fonts cannot be read.
 */
bool gb_check_glyphs(const gb_book *book, gb_fontset *fonts, gb_diag *d);

#endif
