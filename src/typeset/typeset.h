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

#include "base/diag.h"
#include "design/fonts.h"
#include "typeset/layout.h"
#include "typeset/linebreak.h"
#include "typeset/measure.h"
#include "design/style.h"
#include "source/tree.h"

typedef struct gb_typeset_options {
	const gb_style *style;
	gb_fontset *fonts;
	const char *paper;      /* NULL: the style's print.paper */
	gint64 timestamp;       /* the PDF's creation date */
	gb_break_stats *stats;  /* when not NULL: line breaking, added up */
	gb_break_stats *first_fit;  /* ... and Pango's first-fit on the same
				       paragraphs, for comparison */
	double min_margin;      /* a printer's safety margin, or 0 */
	double gutter;          /* the least inside margin a printer asks for, or 0 */
	bool even_pages;        /* pad to an even count ending with a blank */
	gb_measure_lines *first_fit_lines;  /* when not NULL: first-fit's
					       lines, for their figures */
	double image_dpi;       /* a printer's least image resolution (a
				   raster image below it is a warning), or 0 */
	int min_pages;          /* pad with blank pages up to this count, or 0 */
	double safety;          /* a printer's safety margin: every mark, running
				   heads and folios too, this far inside the
				   trim (the margins grow to keep them), or 0 */
	double bleed_inside, bleed_outside;  /* the printer's bleed at the
				   spine and the fore-edge: a picture meant to
				   bleed ({.bleed}) runs out into it */
	struct gb_typeset_keep *keep;  /* NULL, or what to keep for the next
				   build of the same book (below) */
	struct gb_typeset_passes *passes;  /* NULL, or filled: the passes run */
} gb_typeset_options;

/* The passes gb_typeset() ran over the whole book, and how many of them
   set the parts after the front matter on several threads (parts.c). */
typedef struct gb_typeset_passes {
	guint passes;
	guint on_cores;
} gb_typeset_passes;

/*
 * What gb_typeset() keeps, when opt->keep is set, for the next build of
 * the same book with the same fonts (gsi-book serve rebuilds after each
 * edit): the Pango font map and context, whose words shaped stay in
 * memory (written to the user's cache only when it is cleared), and the
 * hyphenation dictionaries.  Used again only when the fonts' FcConfig and
 * the book's cache identity are the same as last time; else replaced.
 * The caller zeroes it and frees what it holds with
 * gb_typeset_keep_clear() after every layout made with it is freed.
 */
typedef struct gb_typeset_keep {
	void *map, *pc;                 /* PangoFontMap *, PangoContext * */
	struct gb_hyphenator *hyph;
	void *fc;                       /* the FcConfig they were made on */
	char *cache_id;                 /* gb_ts_cache_id() then, or NULL */
	/* the keys of the parts the last build set on all cores (parts.c:
	   all that a part's pages are made of), a GHashTable of key ->
	   digest of what the part set (strings, owned); and of the last
	   build's parts, those keyed, those whose key the build before had
	   too (their pages could be kept), and of those, the ones that set
	   something else all the same (a key that misses something: none) */
	void *part_keys;
	guint parts_keyed, parts_same, parts_same_differ;
	/* the workers that set parts on all cores (parts.c: each a font map,
	   Pango context with its shaped words, hyphenator), n_slots */
	void *slots;
	guint n_slots;
} gb_typeset_keep;
void gb_typeset_keep_clear(gb_typeset_keep *k);

/*
 * Typesets book.  Returns the layout (the caller frees it with
 * gb_layout_free), or NULL after reporting why: a character no font can
 * draw (at its source position), a bad style, a bad paper.
 */
gb_layout *gb_typeset(const gb_book *book, const gb_typeset_options *opt,
		      gb_diag *d);

/*
 * Reports, at their positions and with the typesetter's words, the tables
 * of book that gb_typeset() would refuse (too wide for the page even at
 * print.table-min-scale, and even turned), by the same decision the
 * typesetter makes, without setting the book: for `gsi-book check`.  Only
 * opt's style, fonts, paper, min_margin and gutter are read.  False when
 * one is refused, or after reporting why the style or fonts cannot be
 * used.
 */
bool gb_typeset_check_tables(const gb_book *book, const gb_typeset_options *opt,
			     gb_diag *d);

/*
 * Reports the tables of book that the print edition would refuse
 * (gb_typeset_check_tables(), the typesetter's own decision), for check.
 * When every table fits, that is kept in the user's cache under
 * everything the decision reads (the program, the style, the fonts'
 * sums, the paper and margins, each table's text and where it stands),
 * so that checking the book again sets no table.  False when one is
 * refused, or after reporting why it cannot be told.
 */
bool gb_check_tables_cached(const gb_book *book, const gb_typeset_options *opt,
			    gb_diag *d);

/*
 * Whether every mark of lay (text, rules, pictures) lies at least safety
 * points inside the trim; each page where one does not is an error naming
 * the mark, how far from which edge it lies, and printer's rule (rule:
 * its key in styles/profiles.yaml, "kdp.safety-bleed").  True when
 * safety is 0.
 */
bool gb_layout_check_safety(const gb_layout *lay, double safety, const char *printer,
			    const char *rule, gb_diag *d);

#endif
