/*
 * unit.h - what the unit tests share: a test's state, its checks, and the
 * tests kept in files of their own (the files of tests/unit/), which tests/unit.c
 * runs with the others.
 *
 * A check that fails appends its line and condition to t->why; a test
 * fails when why is not empty.  Nothing here outlives one test.
 */
#ifndef GB_UNIT_H
#define GB_UNIT_H

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct test_state {
	GString *why;
} test_state;

#define CHECK(t, cond)                                                       \
	do {                                                                 \
		if (!(cond))                                                 \
			g_string_append_printf((t)->why, "%sline %d: %s",    \
					       (t)->why->len ? "; " : "",    \
					       __LINE__, #cond);             \
	} while (0)

#define CHECK_STR(t, got, want)                                              \
	do {                                                                 \
		const char *g_ = (got), *w_ = (want);                        \
		if (!g_ || strcmp(g_, w_))                                   \
			g_string_append_printf((t)->why,                     \
				"%sline %d: got \"%s\", want \"%s\"",        \
				(t)->why->len ? "; " : "", __LINE__,         \
				g_ ? g_ : "(null)", w_);                     \
	} while (0)

/* a number within 1e-3 of what it should be */
#define CHECK_NEAR(t, got, want)                                             \
	do {                                                                 \
		double g_ = (got), w_ = (want);                              \
		if (!(fabs(g_ - w_) < 1e-3))                                 \
			g_string_append_printf((t)->why,                     \
				"%sline %d: %s is %g, want %g",              \
				(t)->why->len ? "; " : "", __LINE__,         \
				#got, g_, w_);                               \
	} while (0)

/* knuthplass.c: hand-checked paragraphs through total-fit */
void test_kp_total_fit(test_state *t);
void test_kp_fitness(test_state *t);
void test_kp_hyphens(test_state *t);
void test_kp_last_line(test_state *t);
void test_kp_forced(test_state *t);
void test_kp_overfull(test_state *t);
void test_kp_ragged_fallback(test_state *t);
void test_kp_fallback_hyphen(test_state *t);
void test_kp_ragged_run(test_state *t);
/* An item of the line breaker (typeset/lb.h) of this type, width,
   stretch, shrink and penalty, its other fields 0: the paragraphs the
   tests build by hand (knuthplass.c, microtype.c). */
struct item unit_item(int type, double w, double y, double z, double p);

/* microtype.c: margin kerning and font expansion in the line breaker */
void test_mt_expand_of(test_state *t);
void test_mt_kp_expansion(test_state *t);
void test_mt_kp_hang(test_state *t);

/* arena.c: the bump allocator */
void test_arena(test_state *t);
void test_parse_keep(test_state *t);

/* itemize.c: items made without Pango's itemising, as Pango makes them */
void test_itemize_plain(test_state *t);

/* early.c: pages' contents rewritten while cairo draws the next */
void test_pdf_early(test_state *t);
void test_pdf_raw_elements(test_state *t);
void test_pdf_early_finish(test_state *t);
/* split.c: a book drawn in two parts on two threads, joined */
void test_pdf_split(test_state *t);

/* parts.c: parts set on all cores, the same pages as on one */
void test_parts_on_cores(test_state *t);
/* packing.c: a set line's glyphs packed and read back the same */
void test_glyphs_pack(test_state *t);
/* freeing.c: a page's boxes freed once drawn, the same PDF */
void test_pdf_freeing(test_state *t);

/* safety.c: every mark inside a printer's safety margin */
void test_safety_edges(test_state *t);

/* pages.c: the page builder over galleys made by hand */
void test_pages_keeps(test_state *t);
void test_pages_widows(test_state *t);
void test_pages_heading(test_state *t);
void test_pages_note(test_state *t);
void test_pages_long_note(test_state *t);
void test_pages_broken_penalty(test_state *t);
void test_pages_flush(test_state *t);
void test_pages_grid(test_state *t);
void test_pages_heading_grid(test_state *t);
void test_pages_float(test_state *t);

/* attrs.c: pandoc's attribute blocks */
void test_attrs_read(test_state *t);
void test_attrs_text(test_state *t);

/* imagesize.c: image sizes and figure labels */
void test_image_size(test_state *t);
void test_figure_label(test_state *t);
/* index.c: the index's order and locators; small capitals in the subset */
void test_index_collate(test_state *t);
void test_index_locators(test_state *t);
void test_subset_small_caps(test_state *t);
/* artifacts.c: content streams given their artifacts */
void test_mark_artifacts(test_state *t);
/* colour.c: neutral colours in DeviceGray */
void test_gray_colours(test_state *t);
/* artifacts.c: the kinds of artifacts */
void test_artifact_kinds(test_state *t);

#endif
