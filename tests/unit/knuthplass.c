/*
 * knuthplass.c - unit tests of total-fit line breaking (src/typeset/
 * knuthplass.c): paragraphs of boxes, glue and penalties of chosen
 * widths, whose breaks are worked out by hand below, as TeX's algorithm
 * chooses them.
 *
 * The rules the hand computations follow (those of knuthplass.c, TeX's):
 * a line's adjustment ratio r is (measure - natural width) / its glue's
 * stretch, or / its shrink when it is too wide; a line is feasible when
 * -1 <= r <= tolerance; its badness is 100 |r|^3 and its demerits
 * (line_penalty + badness)^2, plus the square of a positive penalty
 * broken at, plus double_hyphen_demerits when it and the line before both
 * end at a hyphen, plus fitness_demerits when its fitness class (tight
 * r < -0.5, decent r <= 0.5, loose r <= 1, very loose above) is more than
 * one away from the line before's (the paragraph starts decent), plus
 * last_line_demerits when it is the last line, not the first, and its
 * natural width is under min_last_line of the measure.  The paragraph
 * ends with glue of stretch 1e6 and a forced break, so its last line has
 * r about 0 (decent) and demerits line_penalty^2 = 100.  The chosen breaks
 * are those of the least total.
 *
 * Every paragraph here: measure 20, spaces of width 2, stretch 2, shrink
 * 1; line_penalty 10.  A word of width w is a box; "break 3" below means
 * the break after the third word (at the space after it).
 */
#include "unit.h"

#include "typeset/lb.h"

#define SQ(x) ((x) * (x))
#define CUBE(x) ((x) * (x) * (x))

typedef struct kp {
	GArray *items;
	int words;              /* boxes added so far */
	guint after[32];        /* after[k]: the item after word k (1-based) */
} kp;

static void kp_init(kp *k)
{
	memset(k, 0, sizeof *k);
	k->items = g_array_new(FALSE, TRUE, sizeof(item));
}

item unit_item(int type, double w, double y, double z, double p)
{
	item it = { 0 };
	it.type = type;
	it.w = w;
	it.y = y;
	it.z = z;
	it.p = p;
	return it;
}

static void add(kp *k, int type, double w, double y, double z, double p, bool flagged)
{
	item it = unit_item(type, w, y, z, p);
	it.flagged = flagged;
	g_array_append_val(k->items, it);
}

/* A word of width w, after a space when it is not the first. */
static void word(kp *k, double w)
{
	if (k->words)
		add(k, GLUE, 2, 2, 1, 0, false);
	add(k, BOX, w, 0, 0, 0, false);
	k->words++;
	k->after[k->words] = k->items->len;
}

/* A word of width a + b with a hyphenation point after a: a hyphen of
   width 1, penalty 50 (the index of that penalty in *at). */
static void hyphenated(kp *k, double a, double b, guint *at)
{
	if (k->words)
		add(k, GLUE, 2, 2, 1, 0, false);
	add(k, BOX, a, 0, 0, 0, false);
	*at = k->items->len;
	add(k, PENALTY, 1, 0, 0, 50, true);
	add(k, BOX, b, 0, 0, 0, false);
	k->words++;
	k->after[k->words] = k->items->len;
}

/* The paragraph's end, as items.c makes it. */
static void finish(kp *k)
{
	add(k, GLUE, 0, 1e6, 0, 0, false);
	add(k, PENALTY, 0, 0, 0, -INF_PENALTY, true);
}

static gb_break_params params(void)
{
	gb_break_params bp = { 0 };
	bp.line_penalty = 10;
	bp.hyphen_penalty = 50;
	bp.max_hyphen_run = 2;
	return bp;
}

/*
 * Runs total-fit on k's items; fills breaks (item indices, the last the
 * paragraph's end), ratios (one a line) and the paragraph's total
 * demerits.  Returns the lines, 0 when
 * no node was returned.
 */
static int run(kp *k, const gb_break_params *bp, double tolerance, bool overfull,
	       guint *breaks, double *ratios, int max, double *demerits)
{
	gb_para_spec spec = { 0 };
	spec.measure = 20;
	spec.params = bp;
	para pa = { 0 };
	pa.s = &spec;
	pa.items = k->items;
	GPtrArray *nodes = g_ptr_array_new_with_free_func(g_free);
	node *last = gb_lb_knuth_plass(&pa, tolerance, nodes, overfull);
	*demerits = last ? last->demerits : NAN;
	int n = 0;
	for (node *x = last; x && x->prev; x = x->prev)
		n++;
	int i = n;
	for (node *x = last; x && x->prev; x = x->prev) {
		i--;
		if (i < max) {
			breaks[i] = x->pos;
			ratios[i] = x->ratio;
		}
	}
	g_ptr_array_free(nodes, TRUE);
	return n;
}

/*
 * Total-fit against first-fit.  Words 6 4 2 2 3 3 2 10, tolerance 2.5.
 * Feasible lines (words: natural width, spaces, r):
 *   from the start: 1-3: 16, 2, r=(20-16)/4=1 (loose); 1-4: 20, 3, r=0
 *     (decent); 1-2: 12, 1, r=4 > 2.5; 1-5: 25, 4, r=-5/4 < -1.
 *   after 3: 4-6: 12, 2, r=2 (very loose); 4-7: 16, 3, r=4/6=0.667
 *     (loose); 4-8 as the last line: 28, r=-2.
 *   after 4: 5-7: 12, 2, r=2 (very loose); 5-8 last: 24, r=-4/3.
 *   after 6 or 7: the last line, r ~ 0 (decent), 100.
 * Paths:
 *   A: 3, 7: (10+100)^2 = 12100; (10+100*(2/3)^3=29.63)^2 = 1570.5,
 *      loose after loose; 100.  Total 13770.5.
 *   B: 4, 7 (first-fit: the first line full, r=0): 100; (10+800)^2 =
 *      656100, and very loose after decent, two classes: +10000
 *      (fitness_demerits); 100, and decent after very loose: +10000.
 *      Total 676300.
 *   C: 3, 6: 12100 + 656100 + 100 + 10000 (very loose to decent) = 678300.
 * Total-fit takes A, and no line stretches past r=1; first-fit's
 * second line would stretch to r=2.
 */
void test_kp_total_fit(test_state *t)
{
	kp k;
	kp_init(&k);
	double ws[] = { 6, 4, 2, 2, 3, 3, 2, 10 };
	for (size_t i = 0; i < G_N_ELEMENTS(ws); i++)
		word(&k, ws[i]);
	finish(&k);
	gb_break_params bp = params();
	bp.fitness_demerits = 10000;
	guint br[8];
	double r[8], d;
	int n = run(&k, &bp, 2.5, false, br, r, 8, &d);
	CHECK(t, n == 3);
	if (n == 3) {
		CHECK(t, br[0] == k.after[3]);
		CHECK(t, br[1] == k.after[7]);
		CHECK(t, br[2] == k.items->len - 1);
		CHECK_NEAR(t, r[0], 1.0);
		CHECK_NEAR(t, r[1], 4.0 / 6);
		CHECK_NEAR(t, r[2], 0.0);
		/* A: 110^2 + (10 + 100 (2/3)^3)^2 + 10^2 */
		CHECK_NEAR(t, d, 110 * 110 + SQ(10 + 100 * CUBE(2.0 / 3)) + 100);
	}
	g_array_free(k.items, TRUE);
}

/*
 * Fitness classes.  Words 2 2 6 6 2 5 6 4 6, tolerance 3, no other
 * demerits.  The best two paths:
 *   A: 4, 7: line 1 (words 1-4) 22 wide, 3 spaces: r=-2/3, tight,
 *      (10+29.63)^2 = 1570.5; line 2 (5-7) 17 wide, 2 spaces: r=0.75,
 *      loose, (10+42.19)^2 = 2723.5; the last (8-9) 100.  4394.0.
 *   B: 4, 8: line 1 the same, 1570.5; line 2 (5-8) 23 wide, 3 spaces:
 *      r=-1, tight, (10+100)^2 = 12100; the last (9) 100.  13770.5.
 * A goes from tight to loose, two classes: with fitness_demerits 10000
 * it costs 14394.0 and B (13770.5) wins; with none, A wins.
 */
void test_kp_fitness(test_state *t)
{
	gb_break_params bp = params();
	for (int pass = 0; pass < 2; pass++) {
		kp k;
		kp_init(&k);
		double ws[] = { 2, 2, 6, 6, 2, 5, 6, 4, 6 };
		for (size_t i = 0; i < G_N_ELEMENTS(ws); i++)
			word(&k, ws[i]);
		finish(&k);
		bp.fitness_demerits = pass ? 10000 : 0;
		guint br[8];
		double r[8], d;
		int n = run(&k, &bp, 3, false, br, r, 8, &d);
		CHECK(t, n == 3);
		if (n == 3) {
			CHECK(t, br[0] == k.after[4]);
			CHECK_NEAR(t, r[0], -2.0 / 3);
			if (pass) {
				CHECK(t, br[1] == k.after[8]);
				CHECK_NEAR(t, r[1], -1.0);
				/* B */
				CHECK_NEAR(t, d, SQ(10 + 100 * CUBE(2.0 / 3)) + 110 * 110 + 100);
			} else {
				CHECK(t, br[1] == k.after[7]);
				CHECK_NEAR(t, r[1], 0.75);
				/* A, without fitness demerits */
				CHECK_NEAR(t, d, SQ(10 + 100 * CUBE(2.0 / 3)) +
						 SQ(10 + 100 * CUBE(0.75)) + 100);
			}
		}
		g_array_free(k.items, TRUE);
	}
}

/*
 * Hyphens in a row.  Words 7 6 7 5 3 6 3, the first, third and sixth
 * hyphenable after 3, 3 and 3 (a hyphen of width 1, penalty 50: +2500),
 * tolerance 3, no fitness demerits.  The best two paths:
 *   A: after "7-" of word 3, after "6-" of word 6: line 1 (3+4, 6, 3 and
 *      the hyphen) 21 wide, 2 spaces: r=-0.5, (10+12.5)^2 + 2500 =
 *      3006.25; line 2 (4, 5, 3, 3 and the hyphen) 22 wide, 3 spaces:
 *      r=-2/3, (10+29.63)^2 + 2500 = 4070.5; the last 100.  7176.8.
 *   B: after "7-" of word 3, then after word 5: 3006.25; line 2 (4, 5,
 *      3) 16 wide, 2 spaces: r=1, (10+100)^2 = 12100; the last 100.
 *      15206.25.
 * A's two lines both end at a hyphen: with double_hyphen_demerits 10000
 * it costs 17176.8 and B wins; with none, A wins; and with no more than
 * one hyphenated line in a row (max_hyphen_run 1), A is not allowed.
 */
void test_kp_hyphens(test_state *t)
{
	for (int pass = 0; pass < 3; pass++) {
		kp k;
		kp_init(&k);
		guint h1, h3, h6;
		hyphenated(&k, 3, 4, &h1);
		word(&k, 6);
		hyphenated(&k, 3, 4, &h3);
		word(&k, 5);
		word(&k, 3);
		hyphenated(&k, 3, 3, &h6);
		word(&k, 3);
		finish(&k);
		gb_break_params bp = params();
		bp.double_hyphen_demerits = pass == 1 ? 10000 : 0;
		bp.max_hyphen_run = pass == 2 ? 1 : 2;
		guint br[8];
		double r[8], d;
		int n = run(&k, &bp, 3, false, br, r, 8, &d);
		CHECK(t, n == 3);
		if (n == 3) {
			CHECK(t, br[0] == h3);
			CHECK_NEAR(t, r[0], -0.5);
			/* line 1, at a hyphen: (10 + 100 0.5^3)^2 + 50^2 */
			double first = SQ(10 + 100 * CUBE(0.5)) + 2500;
			if (pass == 0) {
				CHECK(t, br[1] == h6);
				CHECK_NEAR(t, r[1], -2.0 / 3);
				CHECK_NEAR(t, d, first + SQ(10 + 100 * CUBE(2.0 / 3)) + 2500 + 100);
			} else {
				CHECK(t, br[1] == k.after[5]);
				CHECK_NEAR(t, r[1], 1.0);
				CHECK_NEAR(t, d, first + 110 * 110 + 100);
			}
		}
		(void)h1;
		g_array_free(k.items, TRUE);
	}
}

/*
 * A short last line.  Words 5 6 5 2 2 4 5 2, tolerance 3, min_last_line
 * 0.3 (6 of the measure 20).
 *   A: 3, 7: line 1 (1-3) 20 wide: r=0, 100; line 2 (4-7) 19 wide, 3
 *      spaces: r=1/6, (10+0.46)^2 = 109.5; the last, word 8 alone, 2
 *      wide: 100.  309.5.
 *   B: 3: line 1 100; the last (4-8) 23 wide, 4 spaces: r=-0.75,
 *      (10+42.19)^2 = 2723.5.  2823.5.
 * A's last line is shorter than 6: with last_line_demerits 10000 it
 * costs 10309.5 and B wins, its last line shrunk; with none, A wins.
 */
void test_kp_last_line(test_state *t)
{
	for (int pass = 0; pass < 2; pass++) {
		kp k;
		kp_init(&k);
		double ws[] = { 5, 6, 5, 2, 2, 4, 5, 2 };
		for (size_t i = 0; i < G_N_ELEMENTS(ws); i++)
			word(&k, ws[i]);
		finish(&k);
		gb_break_params bp = params();
		bp.min_last_line = 0.3;
		bp.last_line_demerits = pass ? 10000 : 0;
		guint br[8];
		double r[8], d;
		int n = run(&k, &bp, 3, false, br, r, 8, &d);
		CHECK(t, n == (pass ? 2 : 3));
		CHECK(t, n >= 2 && br[0] == k.after[3]);
		if (pass && n == 2) {
			CHECK_NEAR(t, r[1], -0.75);
			CHECK_NEAR(t, d, 100 + SQ(10 + 100 * CUBE(0.75)));
		} else if (!pass && n == 3) {
			CHECK(t, br[1] == k.after[7]);
			CHECK_NEAR(t, r[1], 1.0 / 6);
			CHECK_NEAR(t, d, 100 + SQ(10 + 100 * CUBE(1.0 / 6)) + 100);
		}
		g_array_free(k.items, TRUE);
	}
}

/*
 * A forced break (a line separator, U+2028: glue of stretch 1e6 and a
 * penalty of -10000, as items.c makes it) inside the paragraph.  Words 6
 * 6 | 2 2: all four would fit one line (6+2+6+0+2+2+2 = 20 wide, r
 * 0), at demerits 100, less than two lines' 200; but the line must end
 * at the separator, its r about 0 (6 short over a stretch of 1e6+2), and
 * 2 2 is the last line.
 */
void test_kp_forced(test_state *t)
{
	kp k;
	kp_init(&k);
	word(&k, 6);
	word(&k, 6);
	add(&k, GLUE, 0, 1e6, 0, 0, false);
	guint sep = k.items->len;
	add(&k, PENALTY, 0, 0, 0, -INF_PENALTY, false);
	add(&k, BOX, 2, 0, 0, 0, false);
	add(&k, GLUE, 2, 2, 1, 0, false);
	add(&k, BOX, 2, 0, 0, 0, false);
	finish(&k);
	gb_break_params bp = params();
	guint br[8];
	double r[8], d;
	int n = run(&k, &bp, 3, false, br, r, 8, &d);
	CHECK(t, n == 2);
	if (n == 2) {
		CHECK(t, br[0] == sep);
		CHECK(t, br[1] == k.items->len - 1);
		CHECK(t, fabs(r[0]) < 1e-4 && r[0] >= 0);
		/* two lines of badness about 0; a forced break's penalty
		   adds nothing */
		CHECK_NEAR(t, d, 200);
	}
	g_array_free(k.items, TRUE);
}

/*
 * Nothing fits.  Words 14 6 14, tolerance 1: the first line can end after
 * 14 (no space to stretch: r infinite, not feasible) or after 6 (22 wide,
 * one space to shrink by 1: r=-2, overfull); 14 6 14 on one line is 36.
 * Without allow_overfull there is no answer; with it, the least overfull
 * line is taken (14 6 at r=-2), then 14 as the last line.
 */
void test_kp_overfull(test_state *t)
{
	for (int pass = 0; pass < 2; pass++) {
		kp k;
		kp_init(&k);
		word(&k, 14);
		word(&k, 6);
		word(&k, 14);
		finish(&k);
		gb_break_params bp = params();
		guint br[8];
		double r[8], d;
		int n = run(&k, &bp, 1, pass == 1, br, r, 8, &d);
		if (!pass) {
			CHECK(t, n == 0);
		} else {
			CHECK(t, n == 2);
			if (n == 2) {
				CHECK(t, br[0] == k.after[2]);
				CHECK_NEAR(t, r[0], -2.0);
				CHECK(t, br[1] == k.items->len - 1);
				/* an overfull line costs 1e9, the last 100 */
				CHECK_NEAR(t, d, 1e9 + 100);
			}
		}
		g_array_free(k.items, TRUE);
	}
}

/* Runs the fallback pass (para.fallback) over k's items: the last node,
   or NULL; *ragged_first: whether the first line is set ragged. */
static node *run_fallback(kp *k, const gb_break_params *bp, double tolerance,
			  GPtrArray *nodes, bool *ragged_first)
{
	static gb_para_spec spec;
	memset(&spec, 0, sizeof spec);
	spec.measure = 20;
	spec.params = bp;
	para pa = { 0 };
	pa.s = &spec;
	pa.items = k->items;
	pa.fallback = true;
	node *last = gb_lb_knuth_plass(&pa, tolerance, nodes, false);
	node *first = last;
	while (first && first->prev && first->prev->prev)
		first = first->prev;
	*ragged_first = first && first->ragged;
	return last;
}

/*
 * The fallback pass: a line that would be looser than ragged_above spaces
 * may be set ragged, as bad as a line of ratio limit + 4 x its empty share
 * of the measure (limit = (ragged_above - 1) / stretch), leaving at most
 * a quarter of it.  Here a space's stretch is its width (stretch 1), so
 * ragged_above 1.5 is r = 0.5.
 *   words 8 7 12: line 1-2: 17, one space, r = 3/2 = 1.5 > tolerance 1:
 *     justified, no setting; ragged, room 3/20: as r = 0.5 + 0.6 = 1.1,
 *     (10 + 133.1)^2 = 20477.61; then 12 alone, 100: total 20577.61.
 *   words 4 7 12: line 1-2: 13, room 7/20 > 1/4: not even ragged.
 *   words 8 7 12 at tolerance 2 (a part with a dictionary, loosest):
 *     justified r = 1.5, (10 + 337.5)^2 = 120756.25, loses to ragged.
 */
void test_kp_ragged_fallback(test_state *t)
{
	gb_break_params bp = params();
	bp.stretch = 1;
	bp.ragged_above = 1.5;
	double cases[][3] = { { 8, 7, 12 }, { 4, 7, 12 } };
	for (int c = 0; c < 2; c++) {
		kp k;
		kp_init(&k);
		for (int i = 0; i < 3; i++)
			word(&k, cases[c][i]);
		finish(&k);
		GPtrArray *nodes = g_ptr_array_new_with_free_func(g_free);
		bool ragged = false;
		node *last = run_fallback(&k, &bp, 1, nodes, &ragged);
		if (c == 0) {
			CHECK(t, last && ragged && fabs(last->demerits - 20577.61) < 0.01);
			CHECK(t, last && last->prev && last->prev->ratio == 0);
		} else {
			CHECK(t, last == NULL);
		}
		g_ptr_array_free(nodes, TRUE);
		if (c == 0) {
			nodes = g_ptr_array_new_with_free_func(g_free);
			last = run_fallback(&k, &bp, 2, nodes, &ragged);
			CHECK(t, last && ragged && fabs(last->demerits - 20577.61) < 0.01);
			g_ptr_array_free(nodes, TRUE);
		}
		g_array_free(k.items, TRUE);
	}
}

/*
 * The fallback pass's hyphen penalty (pa.hyphen_penalty, the style's
 * breaking.fallback-hyphen-penalty) weighs a hyphen against a ragged line
 * (ragged_demerits more) before the spacing.  Words 8 7 1-10 (a
 * hyphenation point after the third word's first 1, hyphen 1 wide, penalty
 * 50), ragged_above 1.5 (stretch 1: r = 0.5), tolerance 1:
 *   line "8 7" justified: r = 3/2 > 1, no; ragged: room 3/20, as r = 0.5 +
 *     0.6 = 1.1: (10 + 133.1)^2 = 20477.61, then "11" last, 100.
 *   line "8 7 1-": 21 wide, shrink 2: r = -1/2, (10 + 12.5)^2 = 506.25,
 *     plus the hyphen's penalty squared; then "10" last, 100.
 *   With the items' penalty (pa.hyphen_penalty 0) and no ragged demerits:
 *     the hyphen, 506.25 + 2500 + 100 = 3106.25 < 20577.61.
 *   With a hyphen penalty of 1000 and ragged_demerits 500000: ragged,
 *     20477.61 + 500000 + 100 = 520577.61 < 506.25 + 1e6 + 100.
 *   The other passes keep the items' penalty: not in the fallback, the
 *     hyphen at 3106.25 even with pa.hyphen_penalty 1000.
 */
void test_kp_fallback_hyphen(test_state *t)
{
	gb_break_params bp = params();
	bp.stretch = 1;
	bp.ragged_above = 1.5;
	kp k;
	kp_init(&k);
	word(&k, 8);
	word(&k, 7);
	guint at;
	hyphenated(&k, 1, 10, &at);
	finish(&k);
	for (int c = 0; c < 3; c++) {
		gb_para_spec spec = { 0 };
		spec.measure = 20;
		spec.params = &bp;
		para pa = { 0 };
		pa.s = &spec;
		pa.items = k.items;
		pa.fallback = c < 2;
		pa.ragged_demerits = c == 0 ? 0 : 500000;
		pa.hyphen_penalty = c == 0 ? 0 : 1000;
		GPtrArray *nodes = g_ptr_array_new_with_free_func(g_free);
		node *last = gb_lb_knuth_plass(&pa, 1, nodes, false);
		node *first = last && last->prev ? last->prev : NULL;
		CHECK(t, first && !first->prev->prev);
		if (c == 1) {
			CHECK(t, first && first->ragged && first->pos == k.after[2]);
			CHECK(t, last && fabs(last->demerits - 520577.61) < 0.01);
		} else {
			CHECK(t, first && !first->ragged && first->pos == at);
			CHECK(t, last && fabs(last->demerits - 3106.25) < 0.01);
		}
		g_ptr_array_free(nodes, TRUE);
	}
	g_array_free(k.items, TRUE);
}

/*
 * Two ragged lines in a row cost ragged_demerits twice for the second
 * (they show a paragraph broken off).  Words 8 7 8 7 12, ragged_above
 * 1.5 (stretch 1), tolerance 1, ragged_demerits 1000: "8 7" can only be
 * ragged (r = 3/2 justified; "8 7 8" is 27 wide, r = -7/2; "8" alone
 * leaves 12/20 empty), so the only setting is "8 7" ragged, "8 7"
 * ragged, "12": 20477.61 + 1000, then 20477.61 + 2 x 1000, then 100:
 * 44055.22 (43055.22 if the second cost as the first).
 */
void test_kp_ragged_run(test_state *t)
{
	gb_break_params bp = params();
	bp.stretch = 1;
	bp.ragged_above = 1.5;
	kp k;
	kp_init(&k);
	double w[] = { 8, 7, 8, 7, 12 };
	for (int i = 0; i < 5; i++)
		word(&k, w[i]);
	finish(&k);
	gb_para_spec spec = { 0 };
	spec.measure = 20;
	spec.params = &bp;
	para pa = { 0 };
	pa.s = &spec;
	pa.items = k.items;
	pa.fallback = true;
	pa.ragged_demerits = 1000;
	GPtrArray *nodes = g_ptr_array_new_with_free_func(g_free);
	node *last = gb_lb_knuth_plass(&pa, 1, nodes, false);
	CHECK(t, last && last->prev && last->prev->ragged && last->prev->pos == k.after[4]);
	CHECK(t, last && last->prev && last->prev->prev && last->prev->prev->ragged &&
		 last->prev->prev->pos == k.after[2]);
	CHECK(t, last && fabs(last->demerits - 44055.22) < 0.01);
	g_ptr_array_free(nodes, TRUE);
	g_array_free(k.items, TRUE);
}
