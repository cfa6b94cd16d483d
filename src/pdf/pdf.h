/*
 * pdf.h - the Cairo PDF device: draws a gb_layout into a PDF.
 *
 * Tags become the PDF's logical structure (under a Document root), links
 * and destinations become annotations, the outline becomes bookmarks,
 * folios become page labels, and the metadata the Info dictionary.  The
 * result is then rewritten with libqpdf to add what cairo 1.16 cannot: a
 * trailer /ID derived from the content.
 */
#ifndef GB_PDF_H
#define GB_PDF_H

#include <cairo.h>
#include <glib.h>

#include "base/diag.h"
#include "design/fonts.h"
#include "design/profile.h"
#include "design/style.h"
#include "design/wrap.h"
#include "source/tree.h"
#include "typeset/layout.h"
#include "typeset/typeset.h"

/* How the pages go onto paper. */
typedef struct gb_pdf_options {
	double bleed_top, bleed_bottom, bleed_inside, bleed_outside;
	double marks;           /* crop marks: their length, 0 for none */
	double mark_offset, mark_weight;
	bool links;             /* annotations: links and destinations */
	bool outline;           /* bookmarks */
	bool gray;              /* every colour to gray */
	bool booklet;           /* imposed two up for saddle stitching */
	double sheet_w, sheet_h;  /* the booklet's sheet, landscape */
	GBytes *icc;            /* PDF/X-4 with this ICC profile as its
				   output intent, or NULL (borrowed) */
	int icc_components;     /* its colour components: 1, 3 or 4 */
	const char *icc_name;   /* its name ("sRGB") */
	bool pdfua;             /* PDF/UA-1: artifacts marked, pdfuaid in XMP */
	const gb_wrap *wrap;    /* the full-wrap cover (gb_pdf_cover): its
				   one page's TrimBox and BleedBox; NULL for
				   the interior */
	GBytes *rgb_icc;        /* with icc gray or CMYK: the ICC profile of
				   RGB content, its pages' DefaultRGB
				   (borrowed), or NULL */
	int split_pages;        /* a book of this many pages or more is drawn
				   in two parts on two threads (pd.h); 0: the
				   default, GB_PD_SPLIT_PAGES; < 0: never */
} gb_pdf_options;

/*
 * Switches o's PDF/X-4 on as printer profile p asks (its output-intent:
 * icc, icc_components, icc_name, rgb_icc), or off when p is NULL or has
 * none: one switch for the interior and the cover.  o borrows p's bytes.
 */
void gb_pdf_options_pdfx(gb_pdf_options *o, const gb_profile *p);

/*
 * The PDF of lay.  Each page is the trim plus the bleed (plus room for
 * crop marks), with a TrimBox and a BleedBox.  Returns its bytes (the
 * caller unrefs them), or NULL after reporting why.  The same layout and
 * options always give the same bytes.
 */
GBytes *gb_pdf_render(const gb_layout *lay, const gb_pdf_options *opt,
		      gb_diag *d);

/*
 * As gb_pdf_render(), the same bytes, but the boxes of each page are freed
 * (gb_page_free_boxes) as soon as the page is drawn, so that the drawn
 * lines of a long book are not kept while cairo and libqpdf finish the
 * PDF: the peak memory of `gsi-book pdf` and `all`.  Afterwards lay keeps
 * its pages without their boxes (numbers, labels, sides, starts: what the
 * finish, gb_layout_page_starts() and the EPUB read), its outline and its
 * metadata; the caller still frees it.  A booklet's pages are drawn in the
 * sheets' order, and freed only once the booklet is done.
 */
GBytes *gb_pdf_render_freeing(gb_layout *lay, const gb_pdf_options *opt,
			      gb_diag *d);

/*
 * Draws the ink of page p (text, rules, images; no structure, links or
 * marks) on cr, in the trim's coordinates: the device the booklet and the
 * previews share with the PDF.  False after reporting why.
 */
bool gb_draw_page(cairo_t *cr, const gb_page *p, bool gray, gb_diag *d);

/*
 * The order of pages for a booklet of pages pages: padded with blanks to a
 * multiple of 4, two page numbers (from 1; above pages: a blank) for each
 * sheet side, left then right, sides in printing order.  Returns the count
 * of sides; order holds 2 * sides numbers (the caller frees it).
 */
int gb_booklet_order(int pages, int **order);

/*
 * The full-wrap paperback cover w of the book lay was typeset from (its
 * metadata and date), one page drawn by gb_cover_draw_wrap, finished as
 * the interior is with base (the interior's options: PDF/X-4 with its
 * output intent, gray; links, bookmarks, PDF/UA, marks and booklet are
 * not for a cover); with image
 * (the path of the book's cover-image), the front is that picture, scaled
 * to fill the front and its bleed, a warning at image_loc when it prints
 * below dpi (0: any).  Returns its bytes (the caller unrefs them), or NULL after
 * reporting why.
 */
/* The store's marketing cover, in pixels (KDP's and most stores' size). */
#define GB_STORE_COVER_W 1600
#define GB_STORE_COVER_H 2560

/*
 * The store's marketing cover (gsi-book cover --ebook): the front of the
 * full-wrap cover, GB_STORE_COVER_W x GB_STORE_COVER_H pixels, as a JPEG:
 * the typographic cover drawn by gb_cover_draw_front, or, with image (the
 * path of the book's cover-image, named at image_loc), that picture
 * scaled to fill it, centred.  Returns its bytes (the caller unrefs them),
 * or NULL after reporting why.  The same inputs give the same bytes.
 */
GBytes *gb_cover_store_jpeg(const gb_meta *meta, const gb_style *style,
			    gb_fontset *fonts, const char *image,
			    gb_loc image_loc, gb_diag *d);

GBytes *gb_pdf_cover(const gb_layout *lay, const gb_pdf_options *base,
		     const gb_meta *meta, const gb_style *style,
		     gb_fontset *fonts, const gb_wrap *w, const char *image,
		     double dpi, gb_loc image_loc, gb_diag *d);

#endif
