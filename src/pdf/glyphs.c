/* glyphs.c - a shaped line drawn with cairo: its runs, their rise, underlines and strike-throughs (pd.h) */
#include "pdf/pd.h"
#include <hb-ot.h>

enum { RUN_STACK = 256 };

/*
 * Draws run gi at the current point as pango_cairo_show_glyph_item() does,
 * making the very same cairo calls, without Pango's renderer around them
 * (its set-up, colours and cluster iterator were 5% of drawing a
 * page).  Only a left-to-right run of known glyphs whose clusters go
 * forward, on a surface that keeps text (PDF); false for any other, which
 * the caller leaves to Pango.
 */
static bool show_run(cairo_t *cr, const char *text, const PangoGlyphItem *gi)
{
	const PangoItem *it = gi->item;
	const PangoGlyphString *gs = gi->glyphs;
	int n = gs->num_glyphs;
	if (it->analysis.level % 2 || n == 0 || gs->log_clusters[0] != 0 ||
	    !cairo_surface_has_show_text_glyphs(cairo_get_target(cr)))
		return false;
	for (int i = 0; i < n; i++)
		if ((gs->glyphs[i].glyph != PANGO_GLYPH_EMPTY &&
		     (gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG)) ||
		    (i > 0 && gs->log_clusters[i] < gs->log_clusters[i - 1]) ||
		    gs->log_clusters[i] >= it->length)
			return false;
	cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(
		PANGO_CAIRO_FONT(it->analysis.font));
	if (!sf || cairo_scaled_font_status(sf) != CAIRO_STATUS_SUCCESS)
		return false;
	cairo_glyph_t stack_glyphs[RUN_STACK];
	cairo_text_cluster_t stack_clusters[RUN_STACK];
	cairo_glyph_t *glyphs = n > RUN_STACK ? g_new(cairo_glyph_t, n) : stack_glyphs;
	cairo_text_cluster_t *clusters = n > RUN_STACK ? g_new(cairo_text_cluster_t, n)
						      : stack_clusters;
	double bx, by;
	cairo_get_current_point(cr, &bx, &by);
	int count = 0, x = 0;
	for (int i = 0; i < n; i++) {
		const PangoGlyphInfo *g = &gs->glyphs[i];
		if (g->glyph != PANGO_GLYPH_EMPTY) {
			glyphs[count].index = g->glyph;
			glyphs[count].x = bx + (double)(x + g->geometry.x_offset) / PANGO_SCALE;
			glyphs[count].y = g->geometry.y_offset == 0 ? by :
				by + (double)g->geometry.y_offset / PANGO_SCALE;
			count++;
		}
		x += g->geometry.width;
	}
	/* the clusters: glyphs of one log cluster, less the empty ones */
	int nc = 0;
	for (int a = 0; a < n;) {
		int b = a + 1;
		while (b < n && gs->log_clusters[b] == gs->log_clusters[a])
			b++;
		int end = b < n ? gs->log_clusters[b] : it->length;
		int shown = 0;
		for (int i = a; i < b; i++)
			shown += gs->glyphs[i].glyph != PANGO_GLYPH_EMPTY;
		clusters[nc].num_bytes = end - gs->log_clusters[a];
		clusters[nc].num_glyphs = shown;
		nc++;
		a = b;
	}
	cairo_save(cr);
	cairo_set_scaled_font(cr, sf);
	cairo_show_text_glyphs(cr, text + it->offset, it->length, glyphs, count,
			       clusters, nc, 0);
	cairo_restore(cr);
	if (glyphs != stack_glyphs)
		g_free(glyphs);
	if (clusters != stack_clusters)
		g_free(clusters);
	return true;
}

/*
 * How far run gi is raised (superscript) or lowered (subscript, below 0),
 * in points: its rise attribute, which pango_cairo_show_glyph_item()
 * leaves to Pango's renderer.
 */
static double run_rise(const PangoGlyphItem *gi)
{
	int rise = 0;
	for (GSList *l = gi->item->analysis.extra_attrs; l; l = l->next) {
		const PangoAttribute *a = l->data;
		if (a->klass->type == PANGO_ATTR_RISE)
			rise = ((const PangoAttrInt *)a)->value;
	}
	return rise / (double)PANGO_SCALE;
}

/*
 * The line through a run of struck-out text (~~x~~: a strikethrough
 * attribute among the run's extra attributes) or under a run of
 * underlined text ('[x]{.underline}': an underline attribute), w points
 * long from x, at the position and thickness its font gives (its OS/2
 * strikeout, its post table's underline, which harfbuzz reads: pango
 * 1.50's metrics give 0 for the strikeout).  Pango's renderer draws them,
 * not pango_cairo_show_glyph_item(): so they are drawn here.
 */
static void line_run(cairo_t *cr, const PangoGlyphItem *gi, double x, double y, double w,
		     bool strike)
{
	PangoAttrType type = strike ? PANGO_ATTR_STRIKETHROUGH : PANGO_ATTR_UNDERLINE;
	bool on = false;
	for (GSList *l = gi->item->analysis.extra_attrs; l; l = l->next) {
		const PangoAttribute *a = l->data;
		if (a->klass->type == type)  /* PANGO_UNDERLINE_NONE is 0 */
			on = ((const PangoAttrInt *)a)->value != 0;
	}
	if (!on || w <= 0 || !gi->item->analysis.font)
		return;
	hb_font_t *hb = pango_font_get_hb_font(gi->item->analysis.font);
	hb_position_t hpos = 0, hthick = 0;
	int xs = 0, ys = 0;
	if (hb) {
		hb_font_get_scale(hb, &xs, &ys);
		hb_ot_metrics_get_position(hb, strike ? HB_OT_METRICS_TAG_STRIKEOUT_OFFSET :
						       HB_OT_METRICS_TAG_UNDERLINE_OFFSET, &hpos);
		hb_ot_metrics_get_position(hb, strike ? HB_OT_METRICS_TAG_STRIKEOUT_SIZE :
						       HB_OT_METRICS_TAG_UNDERLINE_SIZE, &hthick);
	}
	/* the top of the line, above the baseline (below it: negative) */
	double top = hpos / (double)PANGO_SCALE, thick = hthick / (double)PANGO_SCALE;
	if (strike ? top <= 0 : top >= 0)
		/* about half the x-height above; a tenth of the size below */
		top = ys / (double)PANGO_SCALE * (strike ? 0.25 : -0.1);
	if (thick <= 0)
		thick = 0.5;
	cairo_save(cr);
	cairo_new_path(cr);
	cairo_rectangle(cr, x, y - top, w, thick);
	cairo_fill(cr);
	cairo_restore(cr);
}

/* Draws the runs of a line, its baseline starting at (x, y). */
void gb_pd_show_glyphs(cairo_t *cr, const gb_glyphs *g, double x, double y)
{
	if (g->expand != 0) {
		/* a line set with font expansion: the font's glyphs, scaled
		   horizontally from the line's left end (the text stays the
		   same, and so does each glyph's place in it) */
		cairo_save(cr);
		cairo_translate(cr, x, y);
		cairo_scale(cr, 1 + g->expand, 1);
		gb_glyphs plain = *g;
		plain.expand = 0;
		gb_pd_show_glyphs(cr, &plain, 0, 0);
		cairo_restore(cr);
		return;
	}
	GPtrArray *runs = gb_glyphs_runs(g);
	for (guint i = 0; i < runs->len; i++) {
		PangoGlyphItem *gi = runs->pdata[i];
		cairo_move_to(cr, x, y - run_rise(gi));
		if (!show_run(cr, g->text, gi))
			pango_cairo_show_glyph_item(cr, g->text, gi);
		double w = gb_run_width(gi) / (double)PANGO_SCALE;
		line_run(cr, gi, x, y, w, true);
		line_run(cr, gi, x, y, w, false);
		x += w;
	}
	g_ptr_array_unref(runs);
	cairo_new_path(cr);
}

