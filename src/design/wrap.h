/*
 * wrap.h - the full-wrap paperback cover's geometry (gsi-book cover): one
 * page, bleed + back + spine + front + bleed wide, from the interior's
 * trim and real page count and the printer's paper (styles/profiles.yaml,
 * the cover-PRINTER blocks).
 *
 * Ownership: gb_wrap is a plain value; nothing to free.
 */
#ifndef GB_WRAP_H
#define GB_WRAP_H

#include <stdbool.h>

#include "base/diag.h"
#include "design/style.h"

/* The cover's page, in points, from its top left corner. */
typedef struct gb_wrap {
	double trim_w, trim_h;  /* a panel: the interior's trim */
	double bleed;           /* on all four sides */
	double spine;           /* the spine's width */
	double width, height;   /* the whole page, bleed included */
	double back_x, spine_x, front_x;  /* where each panel's trim starts */
	double trim_y;          /* where the panels' trim starts, downwards */
	bool spine_text;        /* the printer allows text on this spine */
	double spine_margin;    /* no spine text nearer a fold */
	double safety;          /* no text nearer the trim */
	double barcode_w, barcode_h;  /* at the back's bottom right, inside
					 the safety margin: left empty, or */
	bool isbn_barcode;      /* the printer wants the print ISBN's EAN-13
				   barcode drawn there (IngramSpark) */
	int pages;
} gb_wrap;

/*
 * The cover of a book of pages pages, trim_w x trim_h points, printed by
 * printer (kdp, lulu...) on paper (white, cream or color), from profiles
 * (styles/profiles.yaml).  False after reporting why: a printer without a
 * cover block, an unknown paper, a bad value.
 */
bool gb_wrap_size(const gb_style *profiles, const char *printer,
		  const char *paper, int pages, double trim_w, double trim_h,
		  gb_wrap *w, gb_diag *d);

#endif
