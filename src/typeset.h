/*
 * typeset.h - the print edition's typesetter: document tree -> pages.
 *
 * Reads the resolved tree (never changes it) and the design in
 * styles/style.yaml (print.* and the shared keys), shapes text with Pango
 * through the book's private fontconfig, breaks paragraphs (linebreak.h),
 * and paginates: front matter (title page, copyright page, contents with
 * page numbers, computed again when the contents move the pagination),
 * parts opening on rectos, footnotes at the foot of their page, running
 * heads and folios.  The result is a gb_layout that a device draws.
 */
#ifndef GB_TYPESET_H
#define GB_TYPESET_H

#include <glib.h>

#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "linebreak.h"
#include "style.h"
#include "tree.h"

typedef struct gb_typeset_options {
	const gb_style *style;
	gb_fontset *fonts;
	const char *paper;      /* NULL: the style's print.paper */
	gint64 timestamp;       /* the PDF's creation date */
	gb_break_stats *stats;  /* when not NULL: line breaking, added up */
	gb_break_stats *first_fit;  /* ... and Pango's first-fit on the same
				       paragraphs, for comparison */
	double min_margin;      /* a printer's safety margin, or 0 */
	double gutter;          /* the inside margin a printer asks for, or 0 */
	bool even_pages;        /* pad to an even count ending with a blank */
} gb_typeset_options;

/*
 * Typesets book.  Returns the layout (the caller frees it with
 * gb_layout_free), or NULL after reporting why: a character no font can
 * draw (at its source position), a bad style, a bad paper.
 */
gb_layout *gb_typeset(const gb_book *book, const gb_typeset_options *opt,
		      gb_diag *d);

#endif
