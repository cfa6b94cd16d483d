/*
 * pages.c - unit tests of the page builder (src/typeset/pages.c) over
 * galleys made by hand: lines of a height, with the keeps the typesetter
 * gives them (gb_ts_keeps_with_next(), inline.c's rule against orphans
 * and widows), spaces, and notes hung on the line of their reference.
 *
 * The page: a text block 100 high, lines 10 high (10 lines to a page,
 * the leading and the grid's step 10),
 * notes' lines 8 high, a gap of 2 around the notes' rule (4 between the
 * text and the notes).  No running heads or folios (they need fonts).
 * Each line's one text box holds its name ("p1.3": paragraph 1, line 3;
 * "n1.2": note 1, line 2), so a page is read back as the names on it.
 */
#include "unit.h"

#include "typeset/ts.h"

#define TOP 20.0

typedef struct book_pages {
	ts t;
	pager pg;
	GPtrArray *galley;
} book_pages;

static void pages_init(book_pages *b)
{
	memset(b, 0, sizeof *b);
	b->t.pw = 120;
	b->t.ph = 140;
	b->t.top = TOP;
	b->t.bottom = 20;
	b->t.inner = b->t.outer = 10;
	b->t.measure = 100;
	b->t.body_h = 100;
	b->t.leading = 10;
	b->t.note_gap = 2;
	b->t.note_rule = 0.3;
	b->t.rule = 0.5;
	b->t.lay = gb_layout_new(b->t.pw, b->t.ph);
	b->t.found = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	b->pg.t = &b->t;
	b->galley = g_ptr_array_new();
}

static void pages_free(book_pages *b)
{
	gb_ts_free_galley(b->galley);
	if (b->pg.carried) {
		g_ptr_array_foreach(b->pg.carried, (GFunc)(void (*)(void))gb_ts_vitem_free, NULL);
		g_ptr_array_free(b->pg.carried, TRUE);
	}
	if (b->pg.note_open)
		g_ptr_array_free(b->pg.note_open, TRUE);
	g_hash_table_destroy(b->t.found);
	gb_layout_free(b->t.lay);
}

static vitem *line(const char *name, double h)
{
	vitem *v = gb_ts_vitem_new(V_LINE, h);
	gb_ts_vbox(v, GB_BOX_TEXT, 0, 0, 0, 0, name);
	return v;
}

/* Paragraph p of n lines, kept as set_lines() keeps a paragraph's lines
   (or a heading's: keep_all), and line hyphen (1-based; 0: none) ending in
   a hyphen, as set_lines() weighs it; its lines into out. */
static void paragraph_hyphen(GPtrArray *out, const char *p, int n, bool keep_all, int hyphen)
{
	setting s = { 0 };
	s.keep_all = keep_all;
	for (int i = 0; i < n; i++) {
		/* (a one-line paragraph is named p alone) */
		char *name = n == 1 ? g_strdup(p) : g_strdup_printf("%s.%d", p, i + 1);
		vitem *v = line(name, 10);
		v->keep = gb_ts_keeps_with_next(&s, i, n);
		v->penalty = i + 1 == hyphen ? GB_TS_BROKEN_PENALTY : 0;
		g_ptr_array_add(out, v);
		g_free(name);
	}
}

static void paragraph(GPtrArray *out, const char *p, int n, bool keep_all)
{
	paragraph_hyphen(out, p, n, keep_all, 0);
}

/* Note q of n lines, hung on the last line of out. */
static void note(GPtrArray *out, int q, int n)
{
	vitem *ref = g_ptr_array_index(out, out->len - 1);
	if (!ref->notes)
		ref->notes = g_ptr_array_new();
	for (int i = 0; i < n; i++) {
		char *name = g_strdup_printf("n%d.%d", q, i + 1);
		g_ptr_array_add(ref->notes, line(name, 8));
		g_free(name);
	}
}

/* The names on page i (0-based), in the order placed, space-separated. */
static char *names(const book_pages *b, guint i)
{
	GString *s = g_string_new(NULL);
	if (i < b->t.lay->pages->len) {
		const gb_page *p = g_ptr_array_index(b->t.lay->pages, i);
		for (guint k = 0; k < p->boxes->len; k++) {
			const gb_box *x = g_ptr_array_index(p->boxes, k);
			if (x->kind == GB_BOX_TEXT)
				g_string_append_printf(s, "%s%s", s->len ? " " : "", x->text);
		}
	}
	return g_string_free(s, FALSE);
}

/* The page (0-based) where the box named name is, or -1; its y in *y. */
static int page_of(const book_pages *b, const char *name, double *y)
{
	for (guint i = 0; i < b->t.lay->pages->len; i++) {
		const gb_page *p = g_ptr_array_index(b->t.lay->pages, i);
		for (guint k = 0; k < p->boxes->len; k++) {
			const gb_box *x = g_ptr_array_index(p->boxes, k);
			if (x->kind == GB_BOX_TEXT && !strcmp(x->text, name)) {
				if (y)
					*y = x->y;
				return (int)i;
			}
		}
	}
	return -1;
}

static void check_page(test_state *t, const book_pages *b, guint i, const char *want)
{
	char *got = names(b, i);
	if (strcmp(got, want))
		g_string_append_printf(t->why, "%spage %u: got \"%s\", want \"%s\"",
				       t->why->len ? "; " : "", i + 1, got, want);
	g_free(got);
}

/* f one-line paragraphs, "f1" ... (no keeps: one line is no orphan). */
static void fillers(GPtrArray *out, int f)
{
	for (int i = 0; i < f; i++) {
		char *p = g_strdup_printf("f%d", i + 1);
		paragraph(out, p, 1, false);
		g_free(p);
	}
}

/*
 * Keeps: the page ends at the last line that does not keep with the
 * next.  Three lines kept together (as a heading's) where a page would
 * end after the second of them go whole to the next page.
 */
void test_pages_keeps(test_state *t)
{
	book_pages b;
	pages_init(&b);
	fillers(b.galley, 8);
	paragraph(b.galley, "h", 3, true);  /* every line keeps */
	paragraph(b.galley, "p", 1, false);
	gb_ts_paginate(&b.pg, b.galley, false, NULL, false);
	CHECK(t, b.t.lay->pages->len == 2);
	check_page(t, &b, 0, "f1 f2 f3 f4 f5 f6 f7 f8");
	check_page(t, &b, 1, "h.1 h.2 h.3 p");
	pages_free(&b);
}

/*
 * Orphans and widows: a paragraph of 4 lines after f one-line ones.
 * A page holds 10 lines, so without keeps the page would end after line
 * 10 - f of the paragraph.  By hand:
 *   f=9: line 1 alone at the foot (an orphan): it moves, page 1 is f1-f9;
 *   f=7: line 4 alone at the head (a widow): line 3 goes with it, page 1
 *        ends with line 2;
 *   f=8: two and two: the page ends after line 2.
 * And for every f from 0 to 12, no page ends with a paragraph's first
 * line or starts with its last.
 */
void test_pages_widows(test_state *t)
{
	static const struct { int f; const char *p1, *p2; } hand[] = {
		{ 9, "f1 f2 f3 f4 f5 f6 f7 f8 f9", "p.1 p.2 p.3 p.4" },
		{ 7, "f1 f2 f3 f4 f5 f6 f7 p.1 p.2", "p.3 p.4" },
		{ 8, "f1 f2 f3 f4 f5 f6 f7 f8 p.1 p.2", "p.3 p.4" },
	};
	for (size_t h = 0; h < G_N_ELEMENTS(hand); h++) {
		book_pages b;
		pages_init(&b);
		fillers(b.galley, hand[h].f);
		paragraph(b.galley, "p", 4, false);
		gb_ts_paginate(&b.pg, b.galley, false, NULL, false);
		check_page(t, &b, 0, hand[h].p1);
		check_page(t, &b, 1, hand[h].p2);
		pages_free(&b);
	}
	for (int f = 0; f <= 12; f++) {
		for (int n = 2; n <= 5; n++) {
			book_pages b;
			pages_init(&b);
			fillers(b.galley, f);
			paragraph(b.galley, "p", n, false);
			fillers(b.galley, 3);
			gb_ts_paginate(&b.pg, b.galley, false, NULL, false);
			char last[16];
			g_snprintf(last, sizeof last, "p.%d", n);
			int first_page = page_of(&b, "p.1", NULL);
			int second_page = page_of(&b, "p.2", NULL);
			int last_page = page_of(&b, last, NULL);
			char penult[16];
			g_snprintf(penult, sizeof penult, "p.%d", n - 1);
			int penult_page = page_of(&b, penult, NULL);
			if (first_page < 0 || first_page != second_page || penult_page != last_page)
				g_string_append_printf(t->why,
						       "%s%d lines after %d fillers: line 1 on page %d, "
						       "2 on %d, %d on %d, %d on %d",
						       t->why->len ? "; " : "", n, f, first_page + 1,
						       second_page + 1, n - 1, penult_page + 1, n,
						       last_page + 1);
			pages_free(&b);
		}
	}
}

/*
 * A heading kept with what follows (gb_ts_paginate_some with headings):
 * f fillers, a heading of one line, its space (after_heading), a rule
 * drawn as a line without text, then a paragraph of 4 lines.  The heading
 * keeps with the space, the space with the rule (no text: kept by the
 * page builder), the rule with the paragraph's first line, and that with
 * its second.  So the heading is never the last on a page, and the two
 * first lines of the paragraph are on its page.  By hand:
 *   f=6: f1-f6 60, the heading 70, its space 75, the rule 80, p.1 90,
 *        p.2 100: page 1 ends after p.2 (p.3 keeps with p.4, a widow);
 *   f=7: up to p.1 it makes 100, but p.1 keeps with p.2 (an orphan), and
 *        all before it back to f7 keep: page 1 is f1-f7, the heading opens
 *        page 2.
 */
void test_pages_heading(test_state *t)
{
	for (int f = 0; f <= 12; f++) {
		book_pages b;
		pages_init(&b);
		fillers(b.galley, f);
		paragraph(b.galley, "h.1", 1, true);
		vitem *sp = gb_ts_vitem_new(V_SPACE, 5);
		sp->keep = true;
		sp->after_heading = true;
		g_ptr_array_add(b.galley, sp);
		vitem *rule = gb_ts_vitem_new(V_LINE, 5);
		gb_ts_vbox(rule, GB_BOX_RULE, 0, 0, 100, 0.5, NULL);
		g_ptr_array_add(b.galley, rule);
		paragraph(b.galley, "p", 4, false);
		pagination z;
		gb_ts_paginate_start(&z, &b.pg, b.galley, false, NULL, false, true);
		gb_ts_paginate_some(&z, true);
		int hp = page_of(&b, "h.1", NULL);
		CHECK(t, hp >= 0 && hp == page_of(&b, "p.1", NULL) &&
			 hp == page_of(&b, "p.2", NULL));
		if (f == 6) {
			check_page(t, &b, 0, "f1 f2 f3 f4 f5 f6 h.1 p.1 p.2");
			check_page(t, &b, 1, "p.3 p.4");
		} else if (f == 7) {
			check_page(t, &b, 0, "f1 f2 f3 f4 f5 f6 f7");
			check_page(t, &b, 1, "h.1 p.1 p.2 p.3 p.4");
		}
		pages_free(&b);
	}
}

/*
 * A note on the page of its reference.  Ten lines, a note of three lines
 * (24, and 4 between the text and the notes: 28) hung on line 7: lines
 * 1-7 take 70, with the note 98; line 8 would make 108.  So page 1 holds
 * lines 1-7 and the note, at its foot (below line 7), and page 2 lines
 * 8-10.  With the reference on line 9 instead: lines 1-9 and the note
 * would be 118: line 9 goes to page 2 with its note.
 */
void test_pages_note(test_state *t)
{
	for (int at = 7; at <= 9; at += 2) {
		book_pages b;
		pages_init(&b);
		for (int i = 1; i <= 10; i++) {
			char *name = g_strdup_printf("l%d", i);
			g_ptr_array_add(b.galley, line(name, 10));
			g_free(name);
			if (i == at)
				note(b.galley, 1, 3);
		}
		gb_ts_paginate(&b.pg, b.galley, false, NULL, false);
		if (at == 7) {
			check_page(t, &b, 0, "l1 l2 l3 l4 l5 l6 l7 n1.1 n1.2 n1.3");
			check_page(t, &b, 1, "l8 l9 l10");
		} else {
			check_page(t, &b, 0, "l1 l2 l3 l4 l5 l6 l7 l8");
			check_page(t, &b, 1, "l9 l10 n1.1 n1.2 n1.3");
		}
		char ref[8];
		g_snprintf(ref, sizeof ref, "l%d", at);
		double ry = 0, ny = 0, ly = 0;
		int rp = page_of(&b, ref, &ry);
		CHECK(t, rp >= 0 && page_of(&b, "n1.1", &ny) == rp);
		CHECK(t, page_of(&b, "n1.3", NULL) == rp);
		/* at the foot: its last line ends at the text block's bottom */
		page_of(&b, "n1.3", &ly);
		CHECK_NEAR(t, ly, TOP + 100 - 8);
		CHECK(t, ny > ry);
		pages_free(&b);
	}
}

/*
 * A note too long for its page goes on at the foot of the next.  Twenty
 * lines; a note of 12 lines (96) on line 3.  Line 3 with all of the note
 * would need 30 + 4 + 96 = 130: it goes on with its first note line
 * (30 + 4 + 8 <= 100), and the page ends there.  The foot then takes as
 * many of the note's lines as fit under the text and its gap: 100 - 34 =
 * 66, 8 lines (64).  Page 2 starts with the rest, n1.9-n1.12 (32, and 4):
 * 64 left for text, lines 4-9; page 3 lines 10-19, page 4 line 20.
 */
void test_pages_long_note(test_state *t)
{
	book_pages b;
	pages_init(&b);
	for (int i = 1; i <= 20; i++) {
		char *name = g_strdup_printf("l%d", i);
		g_ptr_array_add(b.galley, line(name, 10));
		g_free(name);
		if (i == 3)
			note(b.galley, 1, 12);
	}
	gb_ts_paginate(&b.pg, b.galley, false, NULL, false);
	CHECK(t, b.t.lay->pages->len == 4);
	check_page(t, &b, 0, "l1 l2 l3 n1.1 n1.2 n1.3 n1.4 n1.5 n1.6 n1.7 n1.8");
	check_page(t, &b, 1, "l4 l5 l6 l7 l8 l9 n1.9 n1.10 n1.11 n1.12");
	check_page(t, &b, 2, "l10 l11 l12 l13 l14 l15 l16 l17 l18 l19");
	check_page(t, &b, 3, "l20");
	/* the rest of the note at the foot of page 2, below its text */
	double ly = 0, ny = 0, ey = 0;
	page_of(&b, "l9", &ly);
	page_of(&b, "n1.9", &ny);
	page_of(&b, "n1.12", &ey);
	CHECK(t, ny > ly + 10);
	CHECK_NEAR(t, ey, TOP + 100 - 8);
	pages_free(&b);
}

/*
 * A page may end on a hyphenated line, at a cost (TeX's \brokenpenalty,
 * 100): a paragraph of 14 lines whose 10th ends in a hyphen.  Ending the
 * page there costs the penalty; ending it a line before leaves a line
 * empty, which costs as much (100 x 1 line, cubed): of equal costs the
 * fuller page is taken, so page 1 ends with p.10.  (It ended with p.9
 * while a hyphen was a ban.)  With the hyphen on line 9, the page still
 * ends with p.10, a line after it: a full page costs nothing.
 */
void test_pages_broken_penalty(test_state *t)
{
	for (int hyphen = 9; hyphen <= 10; hyphen++) {
		book_pages b;
		pages_init(&b);
		paragraph_hyphen(b.galley, "p", 14, false, hyphen);
		gb_ts_paginate(&b.pg, b.galley, false, NULL, false);
		check_page(t, &b, 0, "p.1 p.2 p.3 p.4 p.5 p.6 p.7 p.8 p.9 p.10");
		check_page(t, &b, 1, "p.11 p.12 p.13 p.14");
		pages_free(&b);
	}
}

/*
 * A flush foot: three one-line paragraphs, a space around a block (0
 * high, stretchable by whole lines), then a paragraph of 8 lines.  Its
 * 7th line would be the page's 10th, but it keeps with the 8th (a
 * widow): the page ends after p.6, a line short, and the space grows by
 * that line, so p.1 starts at 40 (not 30) and p.6 ends at the foot, 100.
 * With the 6th line hyphenated, the page still ends there (the broken
 * penalty against the widow's ban).  A space right after a heading does
 * not grow: with a heading (h, keep_all) and its space (after_heading)
 * before the stretchable one, p.1 stays under the heading and the page
 * ends short.
 */
void test_pages_flush(test_state *t)
{
	for (int c = 0; c < 3; c++) {
		book_pages b;
		pages_init(&b);
		fillers(b.galley, c == 2 ? 2 : 3);
		if (c == 2) {
			paragraph(b.galley, "h", 1, true);
			vitem *after = gb_ts_vitem_new(V_SPACE, 0);
			after->keep = true;
			after->after_heading = true;
			g_ptr_array_add(b.galley, after);
		}
		vitem *sp = gb_ts_vitem_new(V_SPACE, 0);
		sp->stretch = 1;
		g_ptr_array_add(b.galley, sp);
		paragraph_hyphen(b.galley, "p", 8, false, c == 1 ? 6 : 0);
		gb_ts_paginate(&b.pg, b.galley, false, NULL, false);
		check_page(t, &b, 0, c == 2 ? "f1 f2 h p.1 p.2 p.3 p.4 p.5 p.6"
					 : "f1 f2 f3 p.1 p.2 p.3 p.4 p.5 p.6");
		check_page(t, &b, 1, "p.7 p.8");
		double y1 = 0, y6 = 0;
		page_of(&b, "p.1", &y1);
		page_of(&b, "p.6", &y6);
		CHECK_NEAR(t, y1, TOP + (c == 2 ? 30 : 40));
		CHECK_NEAR(t, y6 + 10, TOP + (c == 2 ? 90 : 100));
		pages_free(&b);
	}
}

/*
 * The baseline grid: body lines (grid) sit at whole leadings from the
 * text block's top.  A line, a space of 5 (half a line), a mark, then two
 * lines of body text: the first of them goes to the next grid line, 20
 * (not 15), with the mark before it; the next follows at 30.  A line off
 * the grid (a caption's, 7 high) after it is centred in the line it
 * takes (what the grid adds, 3, half above it: 41.5), and the body line
 * after that returns to the grid: 41.5 + 7 + 1.5 = 50.
 */
void test_pages_grid(test_state *t)
{
	book_pages b;
	pages_init(&b);
	vitem *a = line("a", 10);
	a->grid = true;
	g_ptr_array_add(b.galley, a);
	vitem *sp = gb_ts_vitem_new(V_SPACE, 5);
	g_ptr_array_add(b.galley, sp);
	gb_ts_add_mark(b.galley, true, "P", true);
	gb_ts_vbox(g_ptr_array_index(b.galley, b.galley->len - 1), GB_BOX_TEXT, 0, 0, 0, 0, "mark");
	const char *names_[] = { "b", "c" };
	for (int i = 0; i < 2; i++) {
		vitem *v = line(names_[i], 10);
		v->grid = true;
		g_ptr_array_add(b.galley, v);
	}
	g_ptr_array_add(b.galley, line("caption", 7));
	vitem *d = line("d", 10);
	d->grid = true;
	g_ptr_array_add(b.galley, d);
	/* (a chapter's galley: headings kept, the grid on) */
	pagination z;
	gb_ts_paginate_start(&z, &b.pg, b.galley, false, NULL, false, true);
	gb_ts_paginate_some(&z, true);
	double y;
	CHECK(t, page_of(&b, "b", &y) == 0);
	CHECK_NEAR(t, y, TOP + 20);
	page_of(&b, "mark", &y);
	CHECK_NEAR(t, y, TOP + 20);
	page_of(&b, "c", &y);
	CHECK_NEAR(t, y, TOP + 30);
	page_of(&b, "caption", &y);
	CHECK_NEAR(t, y, TOP + 41.5);
	page_of(&b, "d", &y);
	CHECK_NEAR(t, y, TOP + 50);
	pages_free(&b);
}

/*
 * Headings and the grid: a body line f1, a space around a block (0 high,
 * stretchable), f2, the space before a heading (stretchable), the
 * heading h (off the grid, 10 high) and the space after it, then a
 * paragraph of 8 body lines.  The page ends after p.6 (p.7 keeps with
 * p.8), a line short: the line goes to the gap before the heading, not
 * the first gap (f2 stays at 10, h goes down to 30, p.1 at 40).  Then,
 * with nothing to fill (p of 2 lines, the chapter's end) and a space of
 * 12 before the heading: the heading and its text go to the nearer line
 * of the grid, the space giving up a third of itself (4): h at 30, p.1
 * at 40, where rounding the space up put p.1 at 50; and the heading is
 * as far above its text either way (the rounding goes above it).
 */
void test_pages_heading_grid(test_state *t)
{
	for (int c = 0; c < 2; c++) {
		book_pages b;
		pages_init(&b);
		const char *fs[] = { "f1", "f2" };
		for (int i = 0; i < 2; i++) {
			if (i) {
				vitem *sp = gb_ts_vitem_new(V_SPACE, 0);
				sp->stretch = 1;
				g_ptr_array_add(b.galley, sp);
			}
			vitem *v = line(fs[i], 10);
			v->grid = true;
			g_ptr_array_add(b.galley, v);
		}
		vitem *before = gb_ts_vitem_new(V_SPACE, c ? 12 : 0);
		before->stretch = 1;
		g_ptr_array_add(b.galley, before);
		paragraph(b.galley, "h", 1, true);
		vitem *after = gb_ts_vitem_new(V_SPACE, 0);
		after->keep = true;
		after->after_heading = true;
		g_ptr_array_add(b.galley, after);
		guint first = b.galley->len;
		paragraph(b.galley, "p", c ? 2 : 8, false);
		for (guint k = first; k < b.galley->len; k++)
			((vitem *)g_ptr_array_index(b.galley, k))->grid = true;
		pagination z;
		gb_ts_paginate_start(&z, &b.pg, b.galley, false, NULL, false, true);
		gb_ts_paginate_some(&z, true);
		double y;
		CHECK(t, page_of(&b, "f2", &y) == 0);
		CHECK_NEAR(t, y, TOP + 10);
		CHECK(t, page_of(&b, "h", &y) == 0);
		CHECK_NEAR(t, y, TOP + 30);
		CHECK(t, page_of(&b, "p.1", &y) == 0);
		CHECK_NEAR(t, y, TOP + 40);
		if (!c)
			check_page(t, &b, 0, "f1 f2 h p.1 p.2 p.3 p.4 p.5 p.6");
		pages_free(&b);
	}
}

/*
 * A float: seven one-line paragraphs, then a figure 50 high (a mark that
 * opens it, the picture, a mark that closes it: float_len 3) and the space
 * after it, then twelve one-liners.  The figure does not fit under f7
 * (70 + 50 > 100): it goes to the top of page 2, and f8-f10 move up to
 * fill page 1.  Page 2 is the figure, its space (3) and f11-f14 (93).
 */
void test_pages_float(test_state *t)
{
	book_pages b;
	pages_init(&b);
	fillers(b.galley, 7);
	guint first = b.galley->len;
	gb_ts_add_mark(b.galley, true, "Figure", true);
	vitem *pic = line("fig", 50);
	pic->keep = true;
	g_ptr_array_add(b.galley, pic);
	gb_ts_add_mark(b.galley, false, NULL, false);
	((vitem *)g_ptr_array_index(b.galley, first))->float_len = b.galley->len - first;
	g_ptr_array_add(b.galley, gb_ts_vitem_new(V_SPACE, 3));
	for (int i = 8; i <= 19; i++) {
		char *p = g_strdup_printf("f%d", i);
		paragraph(b.galley, p, 1, false);
		g_free(p);
	}
	gb_ts_paginate(&b.pg, b.galley, false, NULL, false);
	check_page(t, &b, 0, "f1 f2 f3 f4 f5 f6 f7 f8 f9 f10");
	check_page(t, &b, 1, "fig f11 f12 f13 f14");
	double y;
	CHECK(t, page_of(&b, "fig", &y) == 1);
	CHECK_NEAR(t, y, TOP);
	pages_free(&b);
}
