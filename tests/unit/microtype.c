/*
 * microtype.c - unit tests of margin kerning and font expansion in the
 * line breaker (src/typeset/microtype.c, knuthplass.c): the expansion a
 * ratio asks for, in steps; the room expansion gives a line's boxes; the
 * room a hanging character gives a line.  Paragraphs of boxes, glue and
 * penalties of chosen widths, worked out by hand as in knuthplass.c.
 */
#include "unit.h"

#include "typeset/lb.h"

/* unit_item(), ending a line before byte end, the next starting at next */
static item make(int type, double w, double y, double z, double p, guint end, guint next)
{
	item it = unit_item(type, w, y, z, p);
	it.end = end;
	it.next = next;
	return it;
}

/* Limit 2 %, steps of 0.5 %: a stretching line takes the nearest step,
   a shrinking one at least as much as it asks; none past the limit. */
void test_mt_expand_of(test_state *t)
{
	gb_break_params bp = { 0 };
	bp.expansion = 0.02;
	bp.expansion_step = 0.005;
	CHECK_NEAR(t, gb_lb_expand_of(&bp, 0.3), 0.01);     /* 0.6 % */
	CHECK_NEAR(t, gb_lb_expand_of(&bp, 0.4), 0.01);     /* 0.8 % */
	CHECK_NEAR(t, gb_lb_expand_of(&bp, 0.2), 0.005);    /* 0.4 % */
	CHECK_NEAR(t, gb_lb_expand_of(&bp, 0.25), 0.005);   /* 0.5 % */
	CHECK_NEAR(t, gb_lb_expand_of(&bp, -0.3), -0.01);   /* -0.6 % */
	CHECK_NEAR(t, gb_lb_expand_of(&bp, -0.25), -0.005); /* -0.5 % */
	CHECK_NEAR(t, gb_lb_expand_of(&bp, 3), 0.02);
	CHECK_NEAR(t, gb_lb_expand_of(&bp, -1), -0.02);
	CHECK_NEAR(t, gb_lb_expand_of(&bp, 0), 0);
	bp.expansion = 0;
	CHECK_NEAR(t, gb_lb_expand_of(&bp, 0.7), 0);
}

/*
 * Expansion's room.  Measure 20; words 4 4 4 10, spaces 2 wide (stretch
 * 2, shrink 1), tolerance 2.5.  The first line can only be words 1-3
 * (natural 16; 1-2 would stretch r = 8/2 = 4, 1-4 shrink past -1): its
 * stretch is its spaces' 4, r = 1; with expansion 0.02 its boxes (12)
 * stretch by 0.24 as well, r = 4/4.24.
 */
void test_mt_kp_expansion(test_state *t)
{
	for (int pass = 0; pass < 2; pass++) {
		GArray *items = g_array_new(FALSE, TRUE, sizeof(item));
		double ws[] = { 4, 4, 4, 10 };
		for (size_t i = 0; i < G_N_ELEMENTS(ws); i++) {
			item b = make(BOX, ws[i], 0, 0, 0, 0, 0), g = make(GLUE, 2, 2, 1, 0, 0, 0);
			if (i)
				g_array_append_val(items, g);
			g_array_append_val(items, b);
		}
		item end = make(GLUE, 0, 1e6, 0, 0, 0, 0), pen = make(PENALTY, 0, 0, 0, -INF_PENALTY, 0, 0);
		g_array_append_val(items, end);
		g_array_append_val(items, pen);
		gb_break_params bp = { 0 };
		bp.line_penalty = 10;
		bp.max_hyphen_run = 2;
		bp.expansion = pass ? 0.02 : 0;
		gb_para_spec spec = { 0 };
		spec.measure = 20;
		spec.params = &bp;
		para pa = { 0 };
		pa.s = &spec;
		pa.items = items;
		GPtrArray *nodes = g_ptr_array_new_with_free_func(g_free);
		node *last = gb_lb_knuth_plass(&pa, 2.5, nodes, false);
		CHECK(t, last && last->prev && last->prev->prev && !last->prev->prev->prev);
		if (last && last->prev) {
			CHECK(t, last->prev->pos == 5);   /* the space after word 3 */
			CHECK_NEAR(t, last->prev->ratio, pass ? 4 / 4.24 : 1.0);
		}
		g_ptr_array_free(nodes, TRUE);
		g_array_free(items, TRUE);
	}
}

/*
 * A hanging character's room.  "a b. cd", every byte 1 wide; measure
 * 3.4; spaces 1 wide (stretch 1, shrink 0.5).  "a b." is 4 wide: it
 * shrinks r = -0.6/0.5 = -1.2, past the limit, and nothing else fits
 * (no line at all without an overfull one); with '.' hanging 0.5 of its
 * width at the right, its room is 3.9 and r = -0.1/0.5 = -0.2.
 */
void test_mt_kp_hang(test_state *t)
{
	const char *text = "a b. cd";
	double x[8];
	for (int i = 0; i < 8; i++)
		x[i] = i;
	for (int pass = 0; pass < 2; pass++) {
		GArray *items = g_array_new(FALSE, TRUE, sizeof(item));
		item its[] = {
			make(BOX, 1, 0, 0, 0, 0, 0),
			make(GLUE, 1, 1, 0.5, 0, 1, 2),
			make(BOX, 2, 0, 0, 0, 0, 0),
			make(GLUE, 1, 1, 0.5, 0, 4, 5),
			make(BOX, 2, 0, 0, 0, 0, 0),
			make(GLUE, 0, 1e6, 0, 0, 7, 7),
			make(PENALTY, 0, 0, 0, -INF_PENALTY, 7, 7),
		};
		g_array_append_vals(items, its, G_N_ELEMENTS(its));
		gb_break_params bp = { 0 };
		bp.line_penalty = 10;
		bp.max_hyphen_run = 2;
		if (pass) {
			bp.hangs = 1;
			bp.hang[0].c = '.';
			bp.hang[0].right = 0.5;
		}
		gb_para_spec spec = { 0 };
		spec.measure = 3.4;
		spec.params = &bp;
		para pa = { 0 };
		pa.s = &spec;
		pa.items = items;
		pa.text = text;
		pa.len = 7;
		pa.x = x;
		CHECK_NEAR(t, gb_lb_hang_right(&pa, &its[3]), pass ? 0.5 : 0);
		GPtrArray *nodes = g_ptr_array_new_with_free_func(g_free);
		node *last = gb_lb_knuth_plass(&pa, 2.5, nodes, false);
		if (!pass) {
			CHECK(t, !last);
		} else {
			CHECK(t, last && last->prev && last->prev->pos == 3);
			if (last && last->prev)
				CHECK_NEAR(t, last->prev->ratio, -0.2);
		}
		g_ptr_array_free(nodes, TRUE);
		g_array_free(items, TRUE);
	}
}
