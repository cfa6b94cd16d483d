/*
 * measure.h - the typographic figures of issue 21 (section 3), computed
 * from the layout: the same figures, by the same definitions, as
 * tests/measure.py computes from the PDF's word boxes (pdftotext
 * -bbox-layout); its header comment defines them.  Here a word is a run of
 * glyphs between space characters of a text box, its box the glyphs'
 * advances; a line's size and face are its runs' fonts' (a word box's
 * height in the script); the text block's right edge is the page's left
 * edge plus the measure (the script finds it as the most common end).
 *
 * gb_measure_layout() measures a typeset book; a gb_measure_lines
 * collects lines broken without pages (first-fit's, which --stats
 * compares), whose figures are those of lines only.
 *
 * Ownership: gb_figures is plain data; a gb_measure_lines is the caller's,
 * freed with gb_measure_lines_free().
 */
#ifndef GB_MEASURE_H
#define GB_MEASURE_H

#include <glib.h>
#include <stdbool.h>

#include "typeset/layout.h"

typedef struct gb_figures {
	bool pages_known;           /* false: lines without pages (first-fit) */
	int pages;
	double body_size, leading;
	int body_lines, justified_lines;
	double widest_space;
	int loose_lines;
	double loose_percent, space_p95, lowest_mean_space;
	int hyphenated_lines;
	double hyphenated_percent;
	int hyphen_run;
	double hyphen_hang_median;
	int past_edge, overfull, ragged_lines;
	double ragged_percent;
	int mid_chapter_pages, short_pages;
	double most_short, grid_percent;
	int heads_cut, capitalised_hyphenated;
	int widows, orphans;
} gb_figures;

/* The figures of lay (every field set). */
void gb_measure_layout(const gb_layout *lay, gb_figures *f);

typedef struct gb_measure_lines gb_measure_lines;

gb_measure_lines *gb_measure_lines_new(void);
void gb_measure_lines_free(gb_measure_lines *m);
/* Forgets the lines added (a pass of the typesetter begins again). */
void gb_measure_lines_clear(gb_measure_lines *m);
/*
 * Adds a paragraph's lines (gb_line, linebreak.h: each at its x, the
 * first line's indent in it), set in a measure of width points.
 */
void gb_measure_lines_add(gb_measure_lines *m, const GArray *lines, double width);
/* The figures of the lines added (pages_known false; the page figures 0). */
void gb_measure_lines_figures(const gb_measure_lines *m, gb_figures *f);

/* f as "  name value" lines (the script's names), appended to out; the
   page figures only when f->pages_known. */
void gb_figures_print(const gb_figures *f, GString *out);

#endif
