/*
 * fontcover.h - the characters the book's fonts have.
 */
#ifndef GB_FONTCOVER_H
#define GB_FONTCOVER_H

#include <glib.h>

#include "base/diag.h"
#include "design/fonts.h"

/*
 * The code points each of families (NULL-ended; every face of the family
 * counts: regular, bold, italic) has, one block a family in order: a
 * little-endian 32-bit count of ranges, then the ranges as pairs of
 * little-endian 32-bit numbers (first, last), in order.  A family no face
 * of fonts has gets an empty block.  A family written after GB_EVERY_FACE
 * gets the code points that every face of it has.  NULL after reporting why (fontconfig
 * cannot read the fonts).  The caller unrefs it.
 */
#define GB_EVERY_FACE "\x01"

GBytes *gb_font_coverage(gb_fontset *fonts, const char *const *families,
			 gb_diag *d);

#endif
