/*
 * barcode.h - the ISBN's EAN-13 barcode, drawn as vectors with libzint
 * (the cover's back, where the printer wants it: IngramSpark).
 *
 * Ownership: nothing is kept; the caller owns cr.
 */
#ifndef GB_BARCODE_H
#define GB_BARCODE_H

#include <cairo.h>
#include <pango/pango.h>
#include <stdbool.h>

#include "base/diag.h"

/*
 * Draws the EAN-13 barcode of isbn (13 digits, as gb_isbn_digits gives
 * it) on cr (text laid out in pc, whose fonts are the book's), its human-readable digits below the bars in family and
 * "ISBN isbn_text" above them, on a white ground, inside the box x, y, w, h
 * (points, cr's units): at EAN-13's nominal size (a module 0.33 mm) or
 * smaller down to its least magnification (80 %) when the box is smaller,
 * centred in the box.  rgb is the bars' and digits' colour.  False after
 * reporting why (libzint refused the digits; the box too small even at
 * 80 %).
 */
bool gb_barcode_draw_isbn(cairo_t *cr, PangoContext *pc, const char *isbn,
			  const char *isbn_text, const char *family, double x, double y, double w,
			  double h, gb_diag *d);

#endif
