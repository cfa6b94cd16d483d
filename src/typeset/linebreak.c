/* linebreak.c - the lines of a paragraph: set from the breaks (cut, spread, reshaped), first-fit for --stats, ragged setting, gb_break_paragraph (lb.h) */
#include "typeset/lb.h"

/* ---- lines ---- */

void gb_lines_free(GArray *lines)
{
	if (!lines)
		return;
	for (guint i = 0; i < lines->len; i++)
		gb_glyphs_unref(g_array_index(lines, gb_line, i).glyphs);
	g_array_free(lines, TRUE);
}

/* The attributes of text[a, b), moved to start at 0 (and on past b). */
static PangoAttrList *slice_attrs(PangoAttrList *attrs, guint a, guint b)
{
	PangoAttrList *out = pango_attr_list_new();
	if (!attrs)
		return out;
	GSList *list = pango_attr_list_get_attributes(attrs);
	for (GSList *l = list; l; l = l->next) {
		PangoAttribute *at = l->data;
		if (at->end_index <= a || at->start_index >= b) {
			pango_attribute_destroy(at);
			continue;
		}
		at->start_index = at->start_index > a ? at->start_index - a : 0;
		at->end_index = at->end_index >= b ? G_MAXUINT : at->end_index - a;
		pango_attr_list_insert(out, at);
	}
	g_slist_free(list);
	return out;
}

/*
 * Appends to g the paragraph's glyphs for text[a, b), their items moved
 * to index g's text, which starts at byte base.  False when a or b would
 * cut a cluster (a ligature, a letter and its marks).
 */
static bool cut_runs(const para *pa, guint a, guint b, guint base, gb_glyphs *g)
{
	for (guint i = gb_lb_run_after(pa, a); i < pa->runs->len; i++) {
		PangoGlyphItem *run = pa->runs->pdata[i];
		guint ro = (guint)run->item->offset, re = ro + (guint)run->item->length;
		if (ro >= b)
			break;
		if ((a > ro && !gb_lb_starts_cluster(run, (int)(a - ro))) ||
		    (b < re && !gb_lb_starts_cluster(run, (int)(b - ro))))
			return false;
		gb_glyphs_add_slice(g, run, pa->text, (int)MAX(a, ro), (int)MIN(b, re), (int)base);
	}
	return true;
}

/*
 * Shapes text[x, y) again, on its own, with the items (fonts, script,
 * features) the paragraph's shaping gave it, and appends its runs to g,
 * whose text starts at byte base.  With a hyphen at the end when hyphen (g's
 * text then goes on with a soft hyphen, which the last run takes in).
 * With the character after y when next (a space: the last letter keeps
 * its kern with it), then cut before it.  No itemizing: the items are
 * known.
 */
void gb_lb_reshape_runs(PangoContext *pc, const para *pa, gb_glyphs *g, guint base,
			 guint x, guint y, bool hyphen, bool next)
{
	int glen = (int)strlen(g->text);
	guint end = next && y < pa->len ? (guint)(g_utf8_next_char(pa->text + y) - pa->text) : y;
	for (guint i = gb_lb_run_after(pa, x); i < pa->runs->len; i++) {
		const PangoGlyphItem *run = pa->runs->pdata[i];
		guint ro = (guint)run->item->offset, re = ro + (guint)run->item->length;
		if (ro >= end)
			break;
		guint from = MAX(x, ro), to = MIN(end, re);
		bool last = to >= y;
		PangoItem *pi = pango_item_copy(run->item);
		pi->offset = (int)(from - base);
		pi->length = (int)(to - from);
		if (last && hyphen && to == y) {
			pi->length += 2;    /* the soft hyphen */
			pi->analysis.flags |= PANGO_ANALYSIS_FLAG_NEED_HYPHEN;
		}
		pi->num_chars = (int)g_utf8_strlen(g->text + pi->offset, pi->length);
		PangoGlyphString *gs = pango_glyph_string_new();
		gb_lb_shape_whole(pc, g->text + pi->offset, pi->length, g->text, glen, &pi->analysis, gs);
		PangoGlyphItem made = { .item = pi, .glyphs = gs };
		if (to > y && gb_lb_starts_cluster(&made, (int)(y - from))) {
			/* without the next character */
			if (y > from)
				gb_glyphs_add_slice(g, &made, g->text, pi->offset,
						    pi->offset + (int)(y - from), 0);
			pango_glyph_string_free(gs);
			pango_item_free(pi);
		} else {
			gb_glyphs_add_run(g, pi, gs);
		}
		if (last)
			break;
	}
}

static bool spreads(const gb_glyphs *g, const PangoGlyphItem *gi, int k, guint limit)
{
	guint at = (guint)(gi->item->offset + gi->glyphs->log_clusters[k]);
	return at < limit && g->text[at] == ' ';
}

/*
 * Widens (or narrows) the spaces of g (those before byte limit of its
 * text), natural points wide, so that it is width wide; a space never
 * gives more than shrink of its width.  Returns the width g has then.
 */
static double spread(gb_glyphs *g, double natural, double width, double shrink, guint limit)
{
	int spaces = 0, least = G_MAXINT;
	double room = 0;   /* the most the spaces may give */
	for (guint r = 0; r < g->runs->len; r++) {
		PangoGlyphItem *gi = g->runs->pdata[r];
		for (int k = 0; k < gi->glyphs->num_glyphs; k++)
			if (spreads(g, gi, k, limit)) {
				int w = MAX(gi->glyphs->glyphs[k].geometry.width, 0);
				spaces++;
				room += floor(w * shrink);
				least = MIN(least, (int)floor(w * shrink));
			}
	}
	if (!spaces)
		return natural;
	int total = (int)lround((width - natural) * PANGO_SCALE);
	/* never past the limit: what is left runs past the measure */
	if (total < 0 && -total > (int)room)
		total = -(int)room;
	int each = total / spaces, extra = total - each * spaces;
	if (total < 0 && -each + (extra ? 1 : 0) > least) {
		/* spaces of several widths (code among words), narrowed
		   evenly, would take a narrow one past its limit: each gives
		   by its share of the room */
		double given = 0, so_far = 0;
		for (guint r = 0; r < g->runs->len; r++) {
			PangoGlyphItem *gi = g->runs->pdata[r];
			for (int k = 0; k < gi->glyphs->num_glyphs; k++) {
				if (!spreads(g, gi, k, limit))
					continue;
				int *w = &gi->glyphs->glyphs[k].geometry.width;
				so_far += floor(MAX(*w, 0) * shrink);
				double to = lround(-total * so_far / room);
				*w -= (int)(to - given);
				given = to;
			}
		}
		return natural + total / (double)PANGO_SCALE;
	}
	for (guint r = 0; r < g->runs->len; r++) {
		PangoGlyphItem *gi = g->runs->pdata[r];
		for (int k = 0; k < gi->glyphs->num_glyphs; k++) {
			if (!spreads(g, gi, k, limit))
				continue;
			int d = each + (extra > 0 ? 1 : extra < 0 ? -1 : 0);
			extra -= extra > 0 ? 1 : extra < 0 ? -1 : 0;
			gi->glyphs->glyphs[k].geometry.width += d;
		}
	}
	return natural + total / (double)PANGO_SCALE;
}

/*
 * The line g, text[a, b) of the paragraph, made width wide as spread()
 * does, over its spaces and its breaks between two characters of Chinese
 * or Japanese (the glue gb_lb_build_items() gave them): each takes its share of
 * the adjustment by its stretch (or shrink), a break on the advance of
 * the last glyph before it.  NAN when the line has no such break.
 */
static double spread_cjk(const para *pa, gb_glyphs *g, guint a, guint b, double natural,
			 double width)
{
	const gb_break_params *bp = pa->s->params;
	double stretch = bp ? bp->stretch : 0, shrink = bp ? bp->shrink : 0;
	int total = (int)lround((width - natural) * PANGO_SCALE);
	GArray *at = g_array_new(FALSE, FALSE, sizeof(int *));
	GArray *weight = g_array_new(FALSE, FALSE, sizeof(double));
	double sum = 0;
	bool any = false;
	for (guint r = 0; r < g->runs->len; r++) {
		PangoGlyphItem *gi = g->runs->pdata[r];
		const PangoGlyphString *gs = gi->glyphs;
		if (gi->item->analysis.level % 2)
			continue;
		for (int k = 0; k < gs->num_glyphs; k++) {
			guint c = (guint)(gi->item->offset + gs->log_clusters[k]);
			int *w = &gs->glyphs[k].geometry.width;
			double v;
			if (g->text[c] == ' ') {
				v = total > 0 ? MAX(*w, 0) * stretch : floor(MAX(*w, 0) * shrink);
			} else {
				/* the last glyph of a cluster before a break */
				bool last = k + 1 == gs->num_glyphs ||
					    gs->log_clusters[k + 1] != gs->log_clusters[k];
				guint e = k + 1 < gs->num_glyphs ?
					  (guint)(gi->item->offset + gs->log_clusters[k + 1]) :
					  (guint)(gi->item->offset + gi->item->length);
				if (!last || e == 0 || a + e >= b || !pa->cjk[a + e])
					continue;
				double y, z;
				gb_lb_cjk_glue(pa, a + e, &y, &z);
				v = total > 0 ? y * PANGO_SCALE : floor(z * PANGO_SCALE);
				any = true;
			}
			g_array_append_val(at, w);
			g_array_append_val(weight, v);
			sum += v;
		}
	}
	double set = NAN;
	if (any) {
		/* never past the limit: what is left runs past the measure */
		if (total < 0 && -total > sum)
			total = -(int)sum;
		double given = 0, so_far = 0;
		for (guint i = 0; i < at->len && sum > 0; i++) {
			so_far += g_array_index(weight, double, i);
			double to = lround(total * so_far / sum);
			*g_array_index(at, int *, i) += (int)(to - given);
			given = to;
		}
		set = natural + given / PANGO_SCALE;
	}
	g_array_free(at, TRUE);
	g_array_free(weight, TRUE);
	return set;
}

/*
 * The expansion of the line g, natural points wide, set width wide: expand
 * (what its ratio asks), or more condensed, in whole steps up to the limit,
 * when its spaces, scaled with it, would shrink past their limit.
 */
static double fit_expand(const para *pa, const gb_glyphs *g, double natural, double width,
			 double expand)
{
	const gb_break_params *bp = pa->s->params;
	double spaces = 0;
	for (guint r = 0; r < g->runs->len; r++) {
		const PangoGlyphItem *gi = g->runs->pdata[r];
		for (int k = 0; k < gi->glyphs->num_glyphs; k++)
			if (spreads(g, gi, k, G_MAXUINT))
				spaces += MAX(gi->glyphs->glyphs[k].geometry.width, 0);
	}
	spaces /= PANGO_SCALE;
	double boxes = natural - spaces;
	if (boxes <= 0)
		return expand;
	/* scale * boxes + (1 - shrink) * spaces <= width */
	double most = (width - (1 - bp->shrink) * spaces) / boxes - 1;
	double step = gb_lb_expansion_step(bp);
	while (expand > most + 1e-9 && expand - step >= -bp->expansion - 1e-9)
		expand -= step;
	return expand;
}

/*
 * Sets text[a, b) as a line, with a hyphen when hyphenated, and spreads
 * its spaces so that it is width wide when justify.  The glyphs come from
 * the paragraph's one shaping; a word broken at either end (at a hyphen
 * or after a dash) is shaped again, its part on this line on its own.
 */
static gb_line set_line(PangoContext *pc, const para *pa, guint a, guint b,
			bool hyphenated, bool justify, double width, double x, double expand)
{
	const gb_para_spec *s = pa->s;
	const char *t = pa->text;
	gb_line ln = { 0 };
	ln.start = a;
	ln.end = b;
	ln.x = x;
	ln.hyphenated = hyphenated;
	/* (its own size: a GString's room for more would stay as long as
	   the line, which a book holds until it is drawn) */
	int tlen = (int)(b - a) + (hyphenated ? 2 : 0);
	char *text = g_malloc((gsize)tlen + 1);
	memcpy(text, t + a, b - a);
	if (hyphenated)
		memcpy(text + (b - a), "\u00AD", 2);
	text[tlen] = '\0';
	gb_glyphs *g = gb_glyphs_new(text);
	/* a word broken at the start: [a, head) is shaped again; at the
	   end: [tail, b) is; [head, tail) is cut from the paragraph's (a
	   word ends at a space, or at a break between two characters of
	   Chinese or Japanese, where a line is cut as at a space) */
	const guint8 *cjk = pa->cjk;
	bool mid_start = a > 0 && t[a - 1] != ' ' && !(a >= 3 && gb_lb_is_separator(t + a - 3)) &&
			 !(cjk && cjk[a]);
	bool mid_end = b < pa->len && t[b] != ' ' && !gb_lb_is_separator(t + b) && !(cjk && cjk[b]);
	guint head = a, tail = b;
	if (mid_start)
		while (head < b && t[head] != ' ' && !(cjk && head > a && cjk[head]))
			head++;
	/* the last word too when a space follows (or a break in Chinese or
	   Japanese): its last glyph's advance would hold a kern with that
	   space (that next character), which is not on the line */
	if (mid_end || (b < pa->len && (t[b] == ' ' || (cjk && cjk[b]))))
		while (tail > head && t[tail - 1] != ' ' && !(cjk && tail < b && cjk[tail]))
			tail--;
	bool cut = head < tail;
	if (cut) {
		/* (with the space after it, as post_gain() measures it; not
		   with the character after a break in Chinese or Japanese) */
		gb_lb_reshape_runs(pc, pa, g, a, a, head, false, head == a || t[head] == ' ');
		cut = cut_runs(pa, head, tail, a, g);
	}
	if (cut) {
		gb_lb_reshape_runs(pc, pa, g, a, tail, b, hyphenated, false);
	} else {
		/* (only here: slicing walks all of the paragraph's attributes) */
		PangoAttrList *al = slice_attrs(s->attrs, a, b);
		g_ptr_array_set_size(g->runs, 0);
		gb_lb_shape_part(pc, s->font, al, g, 0, tlen, hyphenated);
		pango_attr_list_unref(al);
	}
	gb_glyphs_merge_runs(g);
	double natural = gb_glyphs_width(g);
	ln.width = natural;
	/* a line the breaker could only overfill has its spaces narrowed
	   to fit, the last line too, but never below the limit
	   (breaking.shrink): what still runs past the measure is told */
	if (justify || (width > 0 && natural > width + 1e-3)) {
		/* (expanded: the spaces fill what the scaled glyphs leave,
		   scaled with them, and shrink no further than their limit
		   once scaled) */
		double shrink = s->params ? s->params->shrink : 0;
		double scale = justify && expand != 0 ? 1 + fit_expand(pa, g, natural, width, expand) : 1;
		ln.width = pa->cjk ? spread_cjk(pa, g, a, b, natural, width / scale) : NAN;
		if (isnan(ln.width))
			ln.width = spread(g, natural, width / scale, 1 - (1 - shrink) / scale,
					  G_MAXUINT);
		ln.width *= scale;
		g->expand = scale - 1;
		if (width > 0 && ln.width > width + 0.1)
			ln.over = ln.width - width;
	}
	ln.glyphs = g;
	return ln;
}

static void count(gb_break_stats *st, GArray *lines, const double *ratios)
{
	if (!st)
		return;
	st->paragraphs++;
	int run = 0;
	for (guint i = 0; i < lines->len; i++) {
		gb_line *l = &g_array_index(lines, gb_line, i);
		st->lines++;
		if (l->hyphenated) {
			st->hyphenated++;
			run++;
			st->max_hyphen_run = MAX(st->max_hyphen_run, run);
		} else {
			run = 0;
		}
		if (l->emergency)
			st->emergency++;
		if (l->ragged)
			st->ragged++;
		if (i + 1 < lines->len && ratios) {
			double r = fabs(ratios[i]);
			st->ratio_lines++;
			st->sum_abs_ratio += r;
			st->max_abs_ratio = MAX(st->max_abs_ratio, r);
			if (ratios[i] < -1)
				st->overfull++;
		}
	}
}

/* Pango's wrapping: the lines of one layout. */
static GArray *first_fit(PangoContext *pc, const gb_para_spec *s,
			 gb_break_stats *stats, para *pa)
{
	PangoLayout *layout = pango_layout_new(pc);
	pango_layout_set_font_description(layout, s->font);
	pango_layout_set_text(layout, s->text, -1);
	if (s->attrs)
		pango_layout_set_attributes(layout, s->attrs);
	pango_layout_set_width(layout, (int)(s->measure * PANGO_SCALE));
	pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_indent(layout, (int)(s->indent * PANGO_SCALE));
	/* (justified here, on the spaces: Pango 1.50 also spreads a line
	   that ends at a forced break, over its letters when it has no
	   space) */
	pango_layout_set_alignment(layout, s->align);
	GArray *lines = g_array_new(FALSE, TRUE, sizeof(gb_line));
	double *ratios = g_new0(double, pango_layout_get_line_count(layout) + 1);
	guint text_len = (guint)strlen(s->text);
	PangoLayoutIter *it = pango_layout_get_iter(layout);
	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		gb_line ln = { 0 };
		ln.glyphs = gb_glyphs_from_line(line);
		ln.start = (guint)line->start_index;
		ln.end = (guint)(line->start_index + line->length);
		ln.x = logical.x / (double)PANGO_SCALE;
		ln.width = logical.width / (double)PANGO_SCALE;
		/* justified: a line that ends at a forced break or the
		   paragraph's end is set at its natural width */
		guint e = ln.end;
		while (e > ln.start && s->text[e - 1] == ' ')
			e--;
		bool forced = e >= ln.start + 3 && gb_lb_is_separator(s->text + e - 3);
		if (s->justify && !forced && ln.end < text_len &&
		    s->align == PANGO_ALIGN_LEFT) {
			gb_glyphs *g = ln.glyphs;
			for (guint r = 0; r < g->runs->len; r++) {
				PangoGlyphItem *gi = g->runs->pdata[r];
				for (int k = 0; k < gi->glyphs->num_glyphs; k++)
					if ((guint)(gi->item->offset + gi->glyphs->log_clusters[k]) >=
					    e - ln.start)
						gi->glyphs->glyphs[k].geometry.width = 0;
			}
			double x = lines->len ? 0 : MAX(s->indent, 0);
			ln.width = spread(g, gb_glyphs_width(g), s->measure - x,
					  s->params ? s->params->shrink : 0, e - ln.start);
		}
		if (pa && s->justify) {
			/* the adjustment the justified line needed */
			double natural = pa->x[e] - pa->x[ln.start] + (lines->len ? 0 : s->indent);
			int spaces = 0;
			for (guint k = ln.start; k < e; k++)
				spaces += s->text[k] == ' ';
			double sp = spaces * pa->space;
			double avail = s->measure;
			ratios[lines->len] = natural <= avail ?
				(sp > 0 ? (avail - natural) / (sp * s->params->stretch) : 0) :
				(sp > 0 ? (avail - natural) / (sp * s->params->shrink) : -INFINITY);
		}
		g_array_append_val(lines, ln);
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(layout);
	count(stats, lines, pa && s->justify ? ratios : NULL);
	g_free(ratios);
	return lines;
}

/*
 * The line that ends at node n's break, set as set_line() does, its first
 * and last characters hanging into the margins (margin kerning,
 * microtype.c): the breaker gave it that much more room; justified, its
 * glyphs expanded as its ratio asks.
 */
static gb_line set_hung_line(PangoContext *pc, const para *pa, const node *n, guint start,
			     bool hyphenated, bool justify, double x)
{
	const gb_para_spec *s = pa->s;
	const item *it = &g_array_index(pa->items, item, n->pos);
	double left = n->prev ? n->prev->hang : 0, right = gb_lb_hang_right(pa, it);
	double width = s->measure - x + left + right;
	bool expands = justify && gb_lb_expands(pa, start, it->end);
	gb_line ln = set_line(pc, pa, start, it->end, hyphenated, justify, width, x - left,
			      expands ? gb_lb_expand_of(s->params, n->ratio) : 0);
	/* (a line set at its natural width hangs as far as it reaches) */
	ln.hang_left = left;
	ln.hang_right = justify ? right : CLAMP(ln.width - (width - right), 0, right);
	ln.glyphs->hang_left = ln.hang_left;
	ln.glyphs->hang_right = ln.hang_right;
	return ln;
}

/* A ragged-right line at the left margin: its first character hangs. */
static void hang_ragged(const para *pa, gb_line *ln)
{
	double h = ln->start == 0 && pa->s->indent != 0 ? 0 : gb_lb_hang_at(pa, ln->start);
	ln->x -= h;
	ln->hang_left = h;
	ln->glyphs->hang_left = h;
}

/* The item a line starts with after a break at item b. */
static guint after_break(const para *pa, guint b)
{
	GArray *items = pa->items;
	guint j = b + 1;
	while (j < items->len && g_array_index(items, item, j).type != BOX &&
	       !(g_array_index(items, item, j).type == PENALTY &&
		 g_array_index(items, item, j).p <= -INF_PENALTY))
		j++;
	return j;
}

/*
 * Ragged (left, right or centred) text: as many words on each line as fit,
 * as Pango wraps, over the paragraph's one shaping; the first line is
 * shorter by the indent.  NULL when a word is wider than its line: Pango
 * then breaks inside it.
 */
GArray *gb_lb_ragged(PangoContext *pc, para *pa)
{
	const gb_para_spec *s = pa->s;
	gb_lb_build_items(pa, NULL, false);
	GArray *items = pa->items;
	GArray *ends = g_array_new(FALSE, FALSE, sizeof(guint));
	double width = 0, avail = s->measure - MAX(s->indent, 0);
	int fit = -1;       /* the last break that fits */
	bool overfull = false;
	for (guint b = 0; b < items->len;) {
		const item *it = &g_array_index(items, item, b);
		bool legal = (it->type == PENALTY && it->p < INF_PENALTY) ||
			     (it->type == GLUE && b > 0 &&
			      g_array_index(items, item, b - 1).type == BOX);
		if (legal) {
			bool forced = it->type == PENALTY && it->p <= -INF_PENALTY;
			double L = width + (it->type == PENALTY ? it->w : 0) + it->pre;
			bool over = L > avail + 1e-3;
			if (over && fit < 0) {
				overfull = true;
				break;
			}
			if (!over)
				fit = (int)b;
			if (over || forced) {
				/* the line ends at the last break that fits (this
				   one when forced); the next goes on from there */
				guint at = (guint)fit;
				g_array_append_val(ends, at);
				b = after_break(pa, at);
				width = gb_lb_post_of(pa, &g_array_index(items, item, at));
				fit = -1;
				avail = s->measure;
				continue;
			}
		}
		if (it->type == BOX || it->type == GLUE)
			width += it->w;
		b++;
	}
	if (overfull) {
		g_array_free(ends, TRUE);
		g_array_free(pa->items, TRUE);
		pa->items = NULL;
		return NULL;
	}
	GArray *lines = g_array_new(FALSE, TRUE, sizeof(gb_line));
	guint start = 0;
	for (guint i = 0; i < ends->len; i++) {
		const item *it = &g_array_index(items, item, g_array_index(ends, guint, i));
		gb_line ln = set_line(pc, pa, start, it->end, false, false, 0, 0, 0);
		ln.broken = it->type == PENALTY && it->letter;
		/* where Pango puts it, to its unit */
		int room = (int)(s->measure * PANGO_SCALE);
		int w = (int)lround(ln.width * PANGO_SCALE);
		int indent = i == 0 ? (int)(MAX(s->indent, 0) * PANGO_SCALE) : 0;
		int x = s->align == PANGO_ALIGN_CENTER ? (room - w) / 2 :
			s->align == PANGO_ALIGN_RIGHT ? room - w - indent : indent;
		ln.x = x / (double)PANGO_SCALE;
		if (s->align == PANGO_ALIGN_LEFT && x == 0)
			hang_ragged(pa, &ln);
		g_array_append_val(lines, ln);
		start = it->next;
	}
	g_array_free(ends, TRUE);
	g_array_free(pa->items, TRUE);
	pa->items = NULL;
	return lines;
}

GArray *gb_break_paragraph(PangoContext *pc, const gb_para_spec *s,
			   gb_break_stats *stats)
{
	if (s->lang) {
		pango_context_set_language(pc, pango_language_from_string(s->lang));
	}
	para pa = { .pc = pc, .s = s, .text = s->text, .len = (guint)strlen(s->text) };
	if (!s->justify) {
		gb_lb_measure_text(&pa, pc);
		GArray *lines = pa.runs ? gb_lb_ragged(pc, &pa) : NULL;
		if (!lines)
			lines = first_fit(pc, s, stats, NULL);
		gb_lb_para_free(&pa);
		return lines;
	}
	if (!s->params)
		return first_fit(pc, s, stats, NULL);
	gb_lb_measure_text(&pa, pc);
	gb_lb_microtype_prepare(&pa);
	if (s->first_fit || !pa.runs) {
		/* the comparison, or text the lines cannot be cut from */
		GArray *lines = first_fit(pc, s, stats, &pa);
		gb_lb_microtype_free(&pa);
		gb_lb_para_free(&pa);
		return lines;
	}
	const gb_break_params *bp = s->params;
	/* hyphenation points (the last word's at a cost) */
	guint8 *hyph = NULL;
	hdict *dict = gb_lb_dict_for(s->hyph, s->lang);
	GPtrArray *nodes = g_ptr_array_new_with_free_func(g_free);
	node *best = NULL;
	bool emergency = false;
	gb_lb_build_items(&pa, NULL, false);
	best = gb_lb_knuth_plass(&pa, bp->pretolerance, nodes, false);
	if (!best) {
		if (dict || gb_lb_has_lang_runs(s)) {
			hyph = g_new0(guint8, pa.len + 1);
			gb_lb_mark_hyphens(s->hyph, dict, &pa, hyph);
		}
		g_array_free(pa.items, TRUE);
		gb_lb_build_items(&pa, hyph, false);
		best = gb_lb_knuth_plass(&pa, bp->tolerance, nodes, false);
		if (!best && bp->ragged_above > 0) {
			/* a line would be looser than ragged_above: the
			   fewest, fullest lines go ragged instead */
			double size = pango_font_description_get_size(s->font) / (double)PANGO_SCALE;
			bool rather_ragged = !dict || s->measure < bp->short_measure * size;
			double loosest = gb_lb_ratio_of_spaces(bp, bp->loosest);
			pa.fallback = true;
			pa.ragged_demerits = rather_ragged ? 0 : bp->ragged_demerits;
			pa.hyphen_penalty = rather_ragged ? 0 : bp->fallback_hyphen_penalty;
			best = gb_lb_knuth_plass(&pa, rather_ragged ? bp->tolerance : MAX(loosest, bp->tolerance),
						 nodes, false);
			pa.fallback = false;
			pa.hyphen_penalty = 0;
		}
		if (!best) {
			emergency = true;
			best = gb_lb_knuth_plass(&pa, bp->emergency, nodes, false);
		}
		if (!best) {
			/* a line nothing else sets within the rules (words run
			   together, a long address after a short word): any
			   word may break between two letters, a warning */
			g_array_free(pa.items, TRUE);
			gb_lb_build_items(&pa, hyph, true);
			best = gb_lb_knuth_plass(&pa, bp->emergency, nodes, false);
			/* the least overfull lines, reported */
			if (!best)
				best = gb_lb_knuth_plass(&pa, bp->emergency, nodes, true);
		}
	}
	GArray *lines = g_array_new(FALSE, TRUE, sizeof(gb_line));
	if (!best) {
		/* not even an emergency break: leave it to Pango */
		g_array_free(lines, TRUE);
		lines = first_fit(pc, s, stats, &pa);
	} else {
		GPtrArray *path = g_ptr_array_new();
		for (node *n = best; n && n->prev; n = n->prev)
			g_ptr_array_add(path, n);
		for (guint i = 0; i < path->len / 2; i++) {
			gpointer tmp = path->pdata[i];
			path->pdata[i] = path->pdata[path->len - 1 - i];
			path->pdata[path->len - 1 - i] = tmp;
		}
		double *ratios = g_new0(double, path->len + 1);
		guint start = 0;
		for (guint i = 0; i < path->len; i++) {
			node *n = g_ptr_array_index(path, i);
			item *it = &g_array_index(pa.items, item, n->pos);
			bool last = i + 1 == path->len;
			bool hyphenated = it->type == PENALTY && it->flagged && !last && it->w > 0;
			double x = i == 0 ? s->indent : 0;
			bool forced = it->type == PENALTY && it->p <= -INF_PENALTY;
			gb_line ln = set_hung_line(pc, &pa, n, start, hyphenated,
						   !last && !forced && !n->ragged, x);
			ln.ratio = n->ratio;
			ln.broken = it->type == PENALTY && it->letter;
			ln.squeezed = it->type == PENALTY && it->narrow;
			ln.emergency = emergency && fabs(n->ratio) > bp->tolerance;
			ln.ragged = n->ragged && !last && !forced && !it->ragged;
			ratios[i] = n->ratio;
			g_array_append_val(lines, ln);
			start = it->next;
		}
		count(stats, lines, ratios);
		g_free(ratios);
		g_ptr_array_free(path, TRUE);
	}
	g_ptr_array_free(nodes, TRUE);
	g_array_free(pa.items, TRUE);
	gb_lb_microtype_free(&pa);
	gb_lb_para_free(&pa);
	g_free(hyph);
	return lines;
}
