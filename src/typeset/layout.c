/* layout.c - pages of positioned boxes, and their text dump. */
#include "typeset/layout.h"

#include <malloc.h>
#include <string.h>

/* Runs are allocated here, never by Pango: their memory is ours. */
static void run_free(PangoGlyphItem *gi)
{
	pango_item_free(gi->item);
	pango_glyph_string_free(gi->glyphs);
	g_free(gi);
}

gb_glyphs *gb_glyphs_new(char *text)
{
	gb_glyphs *g = g_new0(gb_glyphs, 1);
	g->refs = 1;
	g->text = text;
	g->runs = g_ptr_array_new_with_free_func((GDestroyNotify)run_free);
	return g;
}

/* Gives back the room Pango keeps for glyphs to come: a book holds many. */
static void fit(PangoGlyphString *gs)
{
	if (gs->space <= gs->num_glyphs || gs->num_glyphs == 0)
		return;
	gs->glyphs = g_renew(PangoGlyphInfo, gs->glyphs, gs->num_glyphs);
	gs->log_clusters = g_renew(gint, gs->log_clusters, gs->num_glyphs);
	gs->space = gs->num_glyphs;
}

void gb_glyphs_add_run(gb_glyphs *g, PangoItem *item, PangoGlyphString *glyphs)
{
	fit(glyphs);
	PangoGlyphItem *gi = g_new0(PangoGlyphItem, 1);
	gi->item = item;
	gi->glyphs = glyphs;
	g_ptr_array_add(g->runs, gi);
}

void gb_glyphs_add_slice(gb_glyphs *g, const PangoGlyphItem *run, const char *text,
			 int a, int b, int base)
{
	const PangoGlyphString *src = run->glyphs;
	int ro = run->item->offset;
	int g0 = gb_glyphs_first_at(src, a - ro), g1 = gb_glyphs_first_at(src, b - ro);
	PangoItem *item = pango_item_copy(run->item);
	item->offset = a - base;
	item->length = b - a;
	item->num_chars = (int)g_utf8_strlen(text + a, b - a);
	PangoGlyphString *gs = pango_glyph_string_new();
	pango_glyph_string_set_size(gs, g1 - g0);
	memcpy(gs->glyphs, src->glyphs + g0, (size_t)(g1 - g0) * sizeof *gs->glyphs);
	for (int k = g0; k < g1; k++)
		gs->log_clusters[k - g0] = src->log_clusters[k] - (a - ro);
	gb_glyphs_add_run(g, item, gs);
}

int gb_glyphs_first_at(const PangoGlyphString *gs, int i)
{
	int lo = 0, hi = gs->num_glyphs;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (gs->log_clusters[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether two items shape alike: same font, direction, script, features. */
static bool same_analysis(const PangoAnalysis *a, const PangoAnalysis *b)
{
	if (a->font != b->font || a->level != b->level || a->script != b->script ||
	    a->language != b->language || a->gravity != b->gravity)
		return false;
	const GSList *x = a->extra_attrs, *y = b->extra_attrs;
	for (; x && y; x = x->next, y = y->next)
		if (!pango_attribute_equal(x->data, y->data))
			return false;
	return !x && !y;
}

void gb_glyphs_merge_runs(gb_glyphs *g)
{
	guint out = 0;
	for (guint i = 0; i < g->runs->len; i++) {
		PangoGlyphItem *r = g->runs->pdata[i];
		PangoGlyphItem *last = out ? g->runs->pdata[out - 1] : NULL;
		if (last && !(r->item->analysis.level % 2) &&
		    last->item->offset + last->item->length == r->item->offset &&
		    same_analysis(&last->item->analysis, &r->item->analysis)) {
			PangoGlyphString *a = last->glyphs, *b = r->glyphs;
			int n = a->num_glyphs, shift = r->item->offset - last->item->offset;
			pango_glyph_string_set_size(a, n + b->num_glyphs);
			memcpy(a->glyphs + n, b->glyphs, (size_t)b->num_glyphs * sizeof *b->glyphs);
			for (int k = 0; k < b->num_glyphs; k++)
				a->log_clusters[n + k] = b->log_clusters[k] + shift;
			last->item->length += r->item->length;
			last->item->num_chars += r->item->num_chars;
			last->item->analysis.flags |= r->item->analysis.flags;
			pango_item_free(r->item);
			pango_glyph_string_free(r->glyphs);
			g_free(r);
			continue;
		}
		g->runs->pdata[out++] = r;
	}
	/* the merged runs are freed already: shrink without the free func */
	g->runs->len = out;
	for (guint i = 0; i < out; i++)
		fit(((PangoGlyphItem *)g->runs->pdata[i])->glyphs);
}

gb_glyphs *gb_glyphs_from_line(PangoLayoutLine *line)
{
	const char *text = pango_layout_get_text(line->layout);
	gb_glyphs *g = gb_glyphs_new(g_strndup(text + line->start_index, (gsize)line->length));
	for (GSList *r = line->runs; r; r = r->next) {
		const PangoGlyphItem *run = r->data;
		PangoItem *item = pango_item_copy(run->item);
		item->offset -= line->start_index;
		gb_glyphs_add_run(g, item, pango_glyph_string_copy(run->glyphs));
	}
	return g;
}

gb_glyphs *gb_glyphs_ref(gb_glyphs *g)
{
	g_atomic_int_inc(&g->refs);
	return g;
}

/* A packed line's items, and its glyphs' bytes after them. */
static PangoItem **packed_items(const gb_glyphs *g)
{
	return (PangoItem **)g->packed;
}

static const guint8 *packed_bytes(const gb_glyphs *g)
{
	return g->packed + g->n_items * sizeof(PangoItem *);
}

void gb_glyphs_unref(gb_glyphs *g)
{
	/* atomic: a line shared by pages (a running head) is let go by
	   the threads that draw them (pdf.c) */
	if (!g || !g_atomic_int_dec_and_test(&g->refs))
		return;
	if (g->runs)
		g_ptr_array_free(g->runs, TRUE);
	for (guint i = 0; g->packed && i < g->n_items; i++)
		pango_item_free(packed_items(g)[i]);
	g_free(g->packed);
	g_free(g->text);
	g_free(g);
}

/*
 * The packed form: for each run, its number of glyphs, then for each
 * glyph a head (bit 0: a cluster's start, bit 1: a colour glyph, bits 2
 * and 3: an x and a y offset follow; above: the step from the glyph
 * before's cluster, zigzagged), the glyph, its width zigzagged and its
 * offsets, each as a varint (7 bits a byte, the low first).
 */
static void put_varint(GByteArray *out, guint32 v)
{
	guint8 b[5];
	guint n = 0;
	do {
		b[n] = (guint8)(v & 0x7f);
		v >>= 7;
		b[n++] |= v ? 0x80 : 0;
	} while (v);
	g_byte_array_append(out, b, n);
}

static guint32 get_varint(const guint8 **p)
{
	guint32 v = 0;
	for (int shift = 0;; shift += 7) {
		guint8 b = *(*p)++;
		v |= (guint32)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
}

static guint32 zig(gint32 v)
{
	return ((guint32)v << 1) ^ (guint32)(v >> 31);
}

static gint32 unzig(guint32 v)
{
	return (gint32)(v >> 1) ^ -(gint32)(v & 1);
}

/* The next glyph of a packed run, after the one at cluster *cluster. */
static const guint8 *glyph_get(const guint8 *p, int *cluster, PangoGlyphInfo *gi)
{
	guint32 head = get_varint(&p);
	*cluster += unzig(head >> 4);
	gi->glyph = get_varint(&p);
	gi->geometry.width = unzig(get_varint(&p));
	gi->geometry.x_offset = head & 4 ? unzig(get_varint(&p)) : 0;
	gi->geometry.y_offset = head & 8 ? unzig(get_varint(&p)) : 0;
	memset(&gi->attr, 0, sizeof gi->attr);
	gi->attr.is_cluster_start = head & 1;
	gi->attr.is_color = (head >> 1) & 1;
	return p;
}

void gb_glyphs_pack(gb_glyphs *g)
{
	if (!g->runs)
		return;
	for (guint i = 0; i < g->runs->len; i++) {
		const PangoGlyphItem *gi = g->runs->pdata[i];
		const PangoGlyphString *gs = gi->glyphs;
		if (gi->y_offset || gi->start_x_offset || gi->end_x_offset)
			return;
		for (int k = 0, c = 0; k < gs->num_glyphs; c = gs->log_clusters[k++]) {
			gint64 step = (gint64)gs->log_clusters[k] - c;
			if (step < -(1 << 26) || step >= (1 << 26))
				return;
		}
	}
	GByteArray *out = g_byte_array_new();
	/* (room for the items first) */
	g->n_items = g->runs->len;
	g_byte_array_set_size(out, g->n_items * (guint)sizeof(PangoItem *));
	for (guint i = 0; i < g->runs->len; i++) {
		PangoGlyphItem *gi = g->runs->pdata[i];
		const PangoGlyphString *gs = gi->glyphs;
		put_varint(out, (guint32)gs->num_glyphs);
		for (int k = 0, c = 0; k < gs->num_glyphs; c = gs->log_clusters[k++]) {
			const PangoGlyphInfo *x = &gs->glyphs[k];
			guint32 head = x->attr.is_cluster_start | x->attr.is_color << 1 |
				       (x->geometry.x_offset ? 4 : 0) |
				       (x->geometry.y_offset ? 8 : 0) |
				       zig(gs->log_clusters[k] - c) << 4;
			put_varint(out, head);
			put_varint(out, x->glyph);
			put_varint(out, zig(x->geometry.width));
			if (x->geometry.x_offset)
				put_varint(out, zig(x->geometry.x_offset));
			if (x->geometry.y_offset)
				put_varint(out, zig(x->geometry.y_offset));
		}
		memcpy(out->data + i * sizeof(PangoItem *), &gi->item, sizeof gi->item);
		gi->item = NULL;
	}
	g->packed = g_memdup2(out->data, out->len);
	g_byte_array_free(out, TRUE);
	/* (the runs' items are the packed line's now) */
	for (guint i = 0; i < g->runs->len; i++) {
		PangoGlyphItem *gi = g->runs->pdata[i];
		pango_glyph_string_free(gi->glyphs);
		g_free(gi);
	}
	g_ptr_array_set_free_func(g->runs, NULL);
	g_ptr_array_free(g->runs, TRUE);
	g->runs = NULL;
}

/* A run made from the packed form: its item is the line's. */
static void unpacked_free(PangoGlyphItem *gi)
{
	pango_glyph_string_free(gi->glyphs);
	g_free(gi);
}

GPtrArray *gb_glyphs_runs(const gb_glyphs *g)
{
	if (g->runs)
		return g_ptr_array_ref(g->runs);
	GPtrArray *runs = g_ptr_array_new_full(g->n_items, (GDestroyNotify)unpacked_free);
	const guint8 *p = packed_bytes(g);
	for (guint i = 0; i < g->n_items; i++) {
		PangoGlyphItem *gi = g_new0(PangoGlyphItem, 1);
		gi->item = packed_items(g)[i];
		gi->glyphs = pango_glyph_string_new();
		int n = (int)get_varint(&p), c = 0;
		pango_glyph_string_set_size(gi->glyphs, n);
		for (int k = 0; k < n; k++) {
			p = glyph_get(p, &c, &gi->glyphs->glyphs[k]);
			gi->glyphs->log_clusters[k] = c;
		}
		g_ptr_array_add(runs, gi);
	}
	return runs;
}

guint gb_glyphs_n_runs(const gb_glyphs *g)
{
	return g->runs ? g->runs->len : g->n_items;
}

const PangoItem *gb_glyphs_item(const gb_glyphs *g, guint i)
{
	return g->runs ? ((const PangoGlyphItem *)g->runs->pdata[i])->item : packed_items(g)[i];
}

int gb_run_width(const PangoGlyphItem *gi)
{
	int w = 0;
	for (int i = 0; i < gi->glyphs->num_glyphs; i++)
		w += gi->glyphs->glyphs[i].geometry.width;
	return w;
}

double gb_glyphs_width(const gb_glyphs *g)
{
	int w = 0;
	if (g->runs) {
		for (guint i = 0; i < g->runs->len; i++)
			w += gb_run_width(g->runs->pdata[i]);
	} else {
		const guint8 *p = packed_bytes(g);
		for (guint i = 0; i < g->n_items; i++) {
			int n = (int)get_varint(&p), c = 0;
			for (int k = 0; k < n; k++) {
				PangoGlyphInfo x;
				p = glyph_get(p, &c, &x);
				w += x.geometry.width;
			}
		}
	}
	return w / (double)PANGO_SCALE * (1 + g->expand);
}

/* Whether font is a face of one of the families of list (or NULL). */
static bool in_families(PangoFont *font, char *const *list)
{
	if (!list || !*list || !font)
		return false;
	PangoFontDescription *fd = pango_font_describe(font);
	const char *family = pango_font_description_get_family(fd);
	bool ret = false;
	for (char *const *f = list; family && *f && !ret; f++)
		ret = !g_ascii_strcasecmp(family, *f);
	pango_font_description_free(fd);
	return ret;
}

void gb_glyphs_extents(const gb_glyphs *g, char *const *fallbacks,
		       double *ascent, double *height)
{
	/* a run's logical height is its font's, whatever the glyphs: ask
	   for the empty glyph's, which loads no outline */
	int top = 0, bottom = 0;
	bool any = false;
	for (int pass = 0; pass < 2 && !any; pass++) {
		guint n = g->runs ? g->runs->len : g->n_items;
		for (guint i = 0; i < n; i++) {
			const PangoItem *it = g->runs ? ((const PangoGlyphItem *)
							 g->runs->pdata[i])->item
						      : packed_items(g)[i];
			PangoFont *font = it->analysis.font;
			if (pass == 0 && in_families(font, fallbacks))
				continue;
			PangoRectangle logical;
			pango_font_get_glyph_extents(font, PANGO_GLYPH_EMPTY, NULL, &logical);
			if (!any || logical.y < top)
				top = logical.y;
			if (!any || logical.y + logical.height > bottom)
				bottom = logical.y + logical.height;
			any = true;
		}
	}
	*ascent = -top / (double)PANGO_SCALE;
	*height = (bottom - top) / (double)PANGO_SCALE;
}

bool gb_glyphs_x_range(const gb_glyphs *g, guint start, guint end,
		       double *x0, double *x1)
{
	int x = 0, lo = 0, hi = 0;
	bool any = false;
	GPtrArray *runs = gb_glyphs_runs(g);
	for (guint i = 0; i < runs->len; i++) {
		const PangoGlyphItem *gi = runs->pdata[i];
		for (int k = 0; k < gi->glyphs->num_glyphs; k++) {
			guint at = (guint)(gi->item->offset + gi->glyphs->log_clusters[k]);
			int w = gi->glyphs->glyphs[k].geometry.width;
			if (at >= start && at < end) {
				lo = any ? MIN(lo, x) : x;
				hi = any ? MAX(hi, x + w) : x + w;
				any = true;
			}
			x += w;
		}
	}
	g_ptr_array_unref(runs);
	*x0 = lo / (double)PANGO_SCALE * (1 + g->expand);
	*x1 = hi / (double)PANGO_SCALE * (1 + g->expand);
	return any;
}

void gb_box_free(gb_box *b)
{
	gb_glyphs_unref(b->glyphs);
	g_free(b->text);
	g_free(b->attrs);
	g_free(b);
}

static void page_free(gb_page *p)
{
	g_ptr_array_free(p->boxes, TRUE);
	g_free(p->label);
	g_free(p);
}

static void outline_free(gb_outline *o)
{
	g_free(o->title);
	g_free(o->dest);
	g_free(o);
}

gb_layout *gb_layout_new(double width, double height)
{
	gb_layout *lay = g_new0(gb_layout, 1);
	lay->width = width;
	lay->height = height;
	lay->pages = g_ptr_array_new_with_free_func((GDestroyNotify)page_free);
	lay->outline = g_ptr_array_new_with_free_func((GDestroyNotify)outline_free);
	return lay;
}

void gb_layout_free(gb_layout *lay)
{
	if (!lay)
		return;
	g_ptr_array_free(lay->pages, TRUE);
	g_ptr_array_free(lay->outline, TRUE);
	g_free(lay->title);
	g_free(lay->author);
	g_strfreev(lay->authors);
	g_free(lay->subject);
	g_free(lay->keywords);
	g_free(lay->lang);
	if (lay->fontmap)
		g_object_unref(lay->fontmap);
	g_free(lay);
}

void gb_page_point(const gb_page *p, guint i, double x, double y, double *px,
		   double *py)
{
	if (i < p->turned) {
		*px = p->turn_x + y;
		*py = p->turn_y - x;
	} else {
		*px = x;
		*py = y;
	}
}

gb_page *gb_layout_add_page(gb_layout *lay, bool recto)
{
	gb_page *p = g_new0(gb_page, 1);
	p->number = (int)lay->pages->len + 1;
	p->recto = recto;
	p->boxes = g_ptr_array_new_with_free_func((GDestroyNotify)gb_box_free);
	g_ptr_array_add(lay->pages, p);
	return p;
}

void gb_page_free_boxes(gb_page *p)
{
	g_ptr_array_unref(p->boxes);
	/* the boxes of parts set on other threads (typeset/parts.c) were
	   allocated in those threads' malloc arenas, which the drawing
	   thread does not allocate from: give the freed memory back every
	   256 pages, or the peak holds both (1,600 pages: 235 MB on two
	   threads, 200 MB so; 198 and 177 on one; no CPU time measured) */
	if (p->number % 256 == 0)
		malloc_trim(0);
	p->boxes = g_ptr_array_new_with_free_func((GDestroyNotify)gb_box_free);
	p->turned = 0;
}

gb_box *gb_box_new(gb_box_kind kind, double x, double y, double w,
		   double h, const char *text)
{
	gb_box *b = g_new0(gb_box, 1);
	b->kind = kind;
	b->x = x;
	b->y = y;
	b->w = w;
	b->h = h;
	b->text = g_strdup(text);
	return b;
}

static gb_box *add(gb_page *page, gb_box_kind kind, double x, double y,
		   double w, double h, const char *text)
{
	gb_box *b = gb_box_new(kind, x, y, w, h, text);
	g_ptr_array_add(page->boxes, b);
	return b;
}

gb_box *gb_page_add_text(gb_page *page, double x, double y,
			 gb_glyphs *glyphs, const char *text)
{
	gb_box *b = add(page, GB_BOX_TEXT, x, y, gb_glyphs_width(glyphs), 0, text);
	b->glyphs = gb_glyphs_ref(glyphs);
	return b;
}

gb_box *gb_page_add_rule(gb_page *page, double x, double y, double w, double h)
{
	return add(page, GB_BOX_RULE, x, y, w, h, NULL);
}

gb_box *gb_page_add_link(gb_page *page, double x, double y, double w,
			 double h, const char *target)
{
	return add(page, GB_BOX_LINK, x, y, w, h, target);
}

gb_box *gb_page_add_dest(gb_page *page, double x, double y, const char *name)
{
	return add(page, GB_BOX_DEST, x, y, 0, 0, name);
}

gb_box *gb_page_add_tag(gb_page *page, const char *tag, const char *attrs)
{
	gb_box *b = add(page, GB_BOX_TAG_BEGIN, 0, 0, 0, 0, tag);
	b->attrs = g_strdup(attrs);
	return b;
}

gb_box *gb_page_end_tag(gb_page *page)
{
	return add(page, GB_BOX_TAG_END, 0, 0, 0, 0, NULL);
}

gb_box *gb_page_add_image(gb_page *page, double x, double y, double w,
			  double h, const char *path)
{
	return add(page, GB_BOX_IMAGE, x, y, w, h, path);
}

void gb_layout_add_outline(gb_layout *lay, int level, const char *title,
			   const char *dest)
{
	gb_outline *o = g_new0(gb_outline, 1);
	o->level = level;
	o->title = g_strdup(title);
	o->dest = g_strdup(dest);
	g_ptr_array_add(lay->outline, o);
}

typedef struct para_count {
	int first_page, last_page;
	int on_first, on_last;   /* lines on its first and on its last page */
} para_count;

void gb_layout_widows(const gb_layout *lay, int *widows, int *orphans)
{
	*widows = *orphans = 0;
	GPtrArray *stack = g_ptr_array_new();     /* open tags' names */
	GArray *paras = g_array_new(FALSE, FALSE, sizeof(para_count));
	GArray *open = g_array_new(FALSE, FALSE, sizeof(gint)); /* index in paras, or -1 */
	for (guint i = 0; i < lay->pages->len; i++) {
		const gb_page *p = g_ptr_array_index(lay->pages, i);
		for (guint j = 0; j < p->boxes->len; j++) {
			const gb_box *b = g_ptr_array_index(p->boxes, j);
			if (b->kind == GB_BOX_TAG_BEGIN) {
				g_ptr_array_add(stack, b->text);
				gint ix = -1;
				if (!g_strcmp0(b->text, "P") || !g_strcmp0(b->text, "LBody")) {
					para_count pc = { (int)i, (int)i, 0, 0 };
					g_array_append_val(paras, pc);
					ix = (gint)paras->len - 1;
				}
				g_array_append_val(open, ix);
			} else if (b->kind == GB_BOX_TAG_END && stack->len) {
				g_ptr_array_remove_index(stack, stack->len - 1);
				g_array_set_size(open, open->len - 1);
			} else if (b->kind == GB_BOX_TEXT && open->len) {
				gint ix = g_array_index(open, gint, open->len - 1);
				if (ix < 0)
					continue;
				para_count *pc = &g_array_index(paras, para_count, ix);
				if (!pc->on_first)
					pc->first_page = (int)i;
				if ((int)i == pc->first_page)
					pc->on_first++;
				if ((int)i != pc->last_page) {
					pc->last_page = (int)i;
					pc->on_last = 0;
				}
				pc->on_last++;
			}
		}
	}
	for (guint k = 0; k < paras->len; k++) {
		const para_count *pc = &g_array_index(paras, para_count, k);
		if (pc->last_page == pc->first_page)
			continue;
		if (pc->on_first == 1)
			(*orphans)++;
		if (pc->on_last == 1)
			(*widows)++;
	}
	g_ptr_array_free(stack, TRUE);
	g_array_free(paras, TRUE);
	g_array_free(open, TRUE);
}

static const char *const kind_names[] = {
	[GB_BOX_TEXT] = "text", [GB_BOX_RULE] = "rule", [GB_BOX_LINK] = "link",
	[GB_BOX_DEST] = "dest", [GB_BOX_TAG_BEGIN] = "tag",
	[GB_BOX_TAG_END] = "end", [GB_BOX_IMAGE] = "image",
};

void gb_layout_dump(const gb_layout *lay, GString *out)
{
	g_string_append_printf(out, "layout %.2f x %.2f, text block %.2f to %.2f, measure %.2f, %u pages\n",
			       lay->width, lay->height, lay->block_top,
			       lay->block_bottom, lay->measure, lay->pages->len);
	for (guint i = 0; i < lay->pages->len; i++) {
		const gb_page *p = g_ptr_array_index(lay->pages, i);
		g_string_append_printf(out, "page %d %s %s at %.2f\n", p->number,
				       p->label ? p->label : "-",
				       p->recto ? "recto" : "verso", p->left);
		if (p->turned)
			g_string_append_printf(out, "turned %u boxes from %.2f %.2f\n",
					       p->turned, p->turn_x, p->turn_y);
		for (guint j = 0; j < p->boxes->len; j++) {
			const gb_box *b = g_ptr_array_index(p->boxes, j);
			g_string_append_printf(out, "  %s", kind_names[b->kind]);
			switch (b->kind) {
			case GB_BOX_TEXT:
				g_string_append_printf(out, " %.2f %.2f w=%.2f", b->x, b->y, b->w);
				if (b->glyphs && b->glyphs->expand != 0)
					g_string_append_printf(out, " expand=%+.1f%%",
							       100 * b->glyphs->expand);
				if (b->glyphs && (b->glyphs->hang_left > 0 ||
						  b->glyphs->hang_right > 0))
					g_string_append_printf(out, " hang=%.2f,%.2f",
							       b->glyphs->hang_left,
							       b->glyphs->hang_right);
				g_string_append_printf(out, " \"%s\"\n", b->text);
				break;
			case GB_BOX_RULE:
			case GB_BOX_LINK:
			case GB_BOX_IMAGE:
				g_string_append_printf(out, " %.2f %.2f %.2f %.2f%s%s\n",
						       b->x, b->y, b->w, b->h,
						       b->text ? " " : "",
						       b->text ? b->text : "");
				break;
			case GB_BOX_DEST:
				g_string_append_printf(out, " %.2f %.2f %s\n", b->x, b->y, b->text);
				break;
			case GB_BOX_TAG_BEGIN:
				g_string_append_printf(out, " %s%s%s\n", b->text,
						       b->attrs ? " " : "",
						       b->attrs ? b->attrs : "");
				break;
			case GB_BOX_TAG_END:
				g_string_append_c(out, '\n');
				break;
			}
		}
	}
	for (guint i = 0; i < lay->outline->len; i++) {
		const gb_outline *o = g_ptr_array_index(lay->outline, i);
		g_string_append_printf(out, "outline %d \"%s\" -> %s\n", o->level,
				       o->title, o->dest);
	}
}

GArray *gb_layout_page_starts(const gb_layout *lay)
{
	GArray *a = g_array_sized_new(FALSE, FALSE, sizeof(gb_page_start), lay->pages->len);
	for (guint i = 0; i < lay->pages->len; i++) {
		const gb_page *p = g_ptr_array_index(lay->pages, i);
		gb_page_start s = { p->label, p->source, p->source_off };
		g_array_append_val(a, s);
	}
	return a;
}

GHashTable *gb_layout_dest_pages(const gb_layout *lay)
{
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < lay->pages->len; i++) {
		const gb_page *p = g_ptr_array_index(lay->pages, i);
		for (guint k = 0; k < p->boxes->len; k++) {
			const gb_box *b = g_ptr_array_index(p->boxes, k);
			if (b->kind == GB_BOX_DEST && b->text && p->label)
				g_hash_table_replace(h, g_strdup(b->text), p->label);
		}
	}
	return h;
}
