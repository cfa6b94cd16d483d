/* packing.c - gb_glyphs_pack(): a set line's glyphs kept in a few bytes
   each, read back glyph for glyph the same (layout.h) */
#include "unit.h"
#include "typeset/layout.h"

/* A run of n glyphs over bytes [offset, offset + len) of the line, its
   fields drawn from seed: every kind of value a run can hold. */
static void add_run(gb_glyphs *g, int offset, int len, int n, int seed, bool rtl)
{
	PangoItem *it = pango_item_new();
	it->offset = offset;
	it->length = len;
	it->num_chars = len;
	it->analysis.level = rtl;
	PangoGlyphString *gs = pango_glyph_string_new();
	pango_glyph_string_set_size(gs, n);
	for (int k = 0; k < n; k++) {
		PangoGlyphInfo *x = &gs->glyphs[k];
		int v = seed * 31 + k * 7;
		x->glyph = k % 5 == 0 ? PANGO_GLYPH_EMPTY :
			   k % 7 == 0 ? (PANGO_GLYPH_UNKNOWN_FLAG | 0x10FFFF) :
			   (PangoGlyph)(v * 977 % 70000);
		x->geometry.width = k % 9 == 0 ? -(v * 13) : v * 1531;
		x->geometry.x_offset = k % 4 == 1 ? -v * 101 : k % 4 == 2 ? v * 3 : 0;
		x->geometry.y_offset = k % 3 == 1 ? v * 1024 * 1024 : k % 6 == 2 ? -5 : 0;
		x->attr.is_cluster_start = k % 2 == 0;
		x->attr.is_color = k % 8 == 3;
		/* clusters forward, or backward for a right-to-left run, two
		   glyphs in some */
		int c = k - k / 3;
		gs->log_clusters[k] = rtl ? len - 1 - c : c;
	}
	gb_glyphs_add_run(g, it, gs);
}

static gb_glyphs *line(void)
{
	gb_glyphs *g = gb_glyphs_new(g_strnfill(400, 'x'));
	add_run(g, 0, 100, 80, 1, false);
	add_run(g, 100, 200, 150, 2, true);
	add_run(g, 300, 1, 0, 3, false);
	add_run(g, 301, 99, 1, 4, false);
	g->expand = 0.01;
	return g;
}

void test_glyphs_pack(test_state *t)
{
	gb_glyphs *a = line(), *b = line();
	gb_glyphs_pack(b);
	CHECK(t, b->runs == NULL && b->packed != NULL);
	GPtrArray *ra = gb_glyphs_runs(a), *rb = gb_glyphs_runs(b);
	CHECK(t, ra->len == rb->len);
	for (guint i = 0; i < ra->len && i < rb->len; i++) {
		const PangoGlyphItem *x = ra->pdata[i], *y = rb->pdata[i];
		CHECK(t, x->item->offset == y->item->offset &&
			 x->item->length == y->item->length &&
			 x->item->analysis.level == y->item->analysis.level);
		CHECK(t, x->glyphs->num_glyphs == y->glyphs->num_glyphs);
		for (int k = 0; k < x->glyphs->num_glyphs && k < y->glyphs->num_glyphs; k++) {
			const PangoGlyphInfo *p = &x->glyphs->glyphs[k], *q = &y->glyphs->glyphs[k];
			CHECK(t, p->glyph == q->glyph &&
				 p->geometry.width == q->geometry.width &&
				 p->geometry.x_offset == q->geometry.x_offset &&
				 p->geometry.y_offset == q->geometry.y_offset &&
				 p->attr.is_cluster_start == q->attr.is_cluster_start &&
				 p->attr.is_color == q->attr.is_color &&
				 x->glyphs->log_clusters[k] == y->glyphs->log_clusters[k]);
		}
	}
	g_ptr_array_unref(ra);
	g_ptr_array_unref(rb);
	CHECK(t, gb_glyphs_width(a) == gb_glyphs_width(b));
	double a0, a1, b0, b1;
	bool ia = gb_glyphs_x_range(a, 200, 260, &a0, &a1);
	bool ib = gb_glyphs_x_range(b, 200, 260, &b0, &b1);
	CHECK(t, ia && ib && a0 == b0 && a1 == b1);
	/* packing twice, or a packed line read twice, changes nothing */
	gb_glyphs_pack(b);
	rb = gb_glyphs_runs(b);
	CHECK(t, rb->len == 4);
	g_ptr_array_unref(rb);
	gb_glyphs_unref(a);
	gb_glyphs_unref(b);
}
