/*
 * preview.h - pages as PNG pictures, through the same drawing as the PDF:
 * one picture per page, a spread per pair of facing pages, and a contact
 * sheet of the whole book.
 */
#ifndef GB_PREVIEW_H
#define GB_PREVIEW_H

#include <stdbool.h>

#include "base/diag.h"
#include "typeset/layout.h"

typedef struct gb_preview_options {
	const char *dir;        /* where the pictures go (created) */
	int first, last;        /* pages, from 1; 0: all */
	double dpi;             /* pages and spreads */
	double sheet_dpi;       /* the contact sheet */
	int columns;            /* the contact sheet's columns */
	bool quiet;
} gb_preview_options;

/*
 * Writes DIR/page-NNN.png for each page asked for, DIR/spread-NNN.png for
 * each pair of facing pages among them, and DIR/contact.png with every
 * page (a book of more than one sheet's pages: DIR/contact-001.png, ...).
 * Returns false after reporting why.
 */
bool gb_preview(const gb_layout *lay, const gb_preview_options *opt,
		gb_diag *d);

/* Page index i (from 0) as a PNG at dpi, as gb_preview draws it; NULL
   after reporting why (the caller unrefs it). */
GBytes *gb_preview_page(const gb_layout *lay, guint i, double dpi, gb_diag *d);

#endif
