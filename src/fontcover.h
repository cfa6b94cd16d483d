/*
 * fontcover.h - the characters the book's fonts have (render module).
 */
#ifndef GB_FONTCOVER_H
#define GB_FONTCOVER_H

#include <glib.h>

#include "diag.h"
#include "fonts.h"

/*
 * The code points some font of fonts has, as ranges: pairs of
 * little-endian 32-bit numbers (first, last), in order.  NULL after
 * reporting why (fontconfig cannot read the fonts).  The caller unrefs it.
 */
GBytes *gb_font_coverage(gb_fontset *fonts, gb_diag *d);

#endif
