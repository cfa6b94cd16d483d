/* pdf.c - the print edition's PDF: a layout drawn, then finished (pd.h) */
#include "pdf/pd.h"

/*
 * Starts the PDF of lay, whose pages are yet to come: its size, dates and
 * metadata, the Document element.  False after reporting why.
 */
static bool doc_begin(doc *x, const gb_layout *lay, const gb_pdf_options *opt,
		      gb_diag *d)
{
	memset(x, 0, sizeof *x);
	x->raw = g_byte_array_new();
	x->r = (render){
		.lay = lay, .opt = opt, .d = d,
		.stack = g_array_new(FALSE, FALSE, sizeof(open_tag)),
		.dests = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.targets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.elems = g_ptr_array_new_with_free_func(gb_pd_extra_free),
		.arts = opt->pdfua ? g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref) : NULL,
	};
	gb_pd_scan_init(&x->sc);
	x->sc.ua = opt->pdfua;
	x->r.parents = x->sc.parents;
	x->drawn = true;
	if (!gb_pd_format_dates(lay->created, x->iso, x->pdf_date)) {
		gb_error(d, gb_noloc(), "cannot write a PDF dated %" G_GINT64_FORMAT
			 " seconds after 1970 (years 0001 to 9999)", lay->created);
		return false;
	}
	double mw, mh;
	gb_pd_media_size(opt, lay, &mw, &mh);
	x->r.surface = cairo_pdf_surface_create_for_stream(gb_pd_write_bytes, x->raw, mw, mh);
	x->r.cr = cairo_create(x->r.surface);
	/* the pages' contents rewritten while the next are drawn (early.c) */
	gb_pd_rewrite rw;
	if (gb_pd_rewrite_of(opt, lay, &rw))
		x->early = gb_pd_early_new(&rw);
	gb_pd_set_metadata(x->r.surface, lay, x->iso);
	cairo_set_source_rgb(x->r.cr, 0, 0, 0);
	/* cairo 1.16 writes a tagged PDF (/MarkInfo) under a Document only */
	cairo_tag_begin(x->r.cr, "Document", "");
	open_tag root = { "Document", "Document", true, gb_pd_add_elem(&x->r, NULL), false, NULL };
	g_array_append_val(x->r.stack, root);
	return true;
}

/*
 * Draws page p (its tags walked); false once drawing has stopped.  Cairo
 * draws a page when it is shown: an error it meets is reported here, with
 * the page, and nothing after it is drawn or checked (a page left undrawn
 * would only make the later checks report what is missing because of it).
 */
static bool doc_page(doc *x, const gb_page *p)
{
	if (x->stopped)
		return false;
	gsize from = x->raw->len;
	x->drawn = gb_pd_draw_page(&x->r, p);
	cairo_status_t st = cairo_status(x->r.cr);
	if (x->drawn && st != CAIRO_STATUS_SUCCESS) {
		gb_error(x->r.d, gb_noloc(), "page %d: cannot draw the PDF: %s",
			 p->number, cairo_status_to_string(st));
		x->drawn = false;
	}
	x->stopped = !x->drawn;
	if (x->early && !x->stopped)
		gb_pd_early_page(x->early, x->raw, from, x->pages,
				 x->r.arts ? x->r.arts->pdata[x->r.arts->len - 1] : NULL);
	x->pages++;
	return !x->stopped;
}

/* Ends cairo's PDF after its last page, with its outline unless it is a
   second part's (the outline and the links' targets are the first's).
   False after reporting why. */
static bool doc_close(doc *x, bool part, gb_diag *d)
{
	render *r = &x->r;
	r->d = d;
	if (!x->drawn)
		return false;
	cairo_tag_end(r->cr, "Document");
	if (cairo_status(r->cr) != CAIRO_STATUS_SUCCESS) {
		gb_error(d, gb_noloc(), "cannot draw the PDF: %s",
			 cairo_status_to_string(cairo_status(r->cr)));
		return false;
	}
	if (!part && ((r->opt->outline && r->opt->links && !gb_pd_add_outline(r)) ||
		      (r->opt->links && !gb_pd_check_targets(r))))
		return false;
	cairo_status_t st = cairo_status(r->cr);
	cairo_surface_finish(r->surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(r->surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		gb_error(d, gb_noloc(), "cannot draw the PDF: %s",
			 cairo_status_to_string(st));
		return false;
	}
	return true;
}

/* What libqpdf makes of cairo's PDF, once closed: the edition. */
static GBytes *doc_finish(doc *x, gb_diag *d)
{
	render *r = &x->r;
	if (x->early)
		gb_pd_early_join(x->early);
	return gb_pd_finish_tagged(r->lay, r->opt, x->raw, r->elems, r->arts, x->early,
				   x->iso, x->pdf_date, d, &x->q);
}

static void doc_free(doc *x)
{
	gb_pd_early_free(x->early);
	if (x->r.cr)
		cairo_destroy(x->r.cr);
	if (x->r.surface)
		cairo_surface_destroy(x->r.surface);
	gb_pd_scan_free(&x->sc);
	g_array_free(x->r.stack, TRUE);
	g_hash_table_destroy(x->r.dests);
	g_hash_table_destroy(x->r.targets);
	g_ptr_array_free(x->r.elems, TRUE);
	if (x->r.arts)
		g_ptr_array_free(x->r.arts, TRUE);
	g_byte_array_free(x->raw, TRUE);
	if (x->q)   /* libqpdf is loaded, since it made q */
		qpdf_cleanup(&x->q);
}

/*
 * Frees the boxes of page p, drawn (gb_pdf_render_freeing): its elements
 * leave the set of those with children first, so that no freed box stays
 * in it.
 */
static void drop_page(doc *x, gb_page *p)
{
	for (guint j = 0; j < p->boxes->len; j++) {
		const gb_box *b = g_ptr_array_index(p->boxes, j);
		if (b->kind == GB_BOX_TAG_BEGIN)
			g_hash_table_remove(x->sc.parents, b);
	}
	gb_page_free_boxes(p);
}

/* The pages [from, to) of x (begun) drawn, their tags walked first. */
static void doc_pages(doc *x, gb_layout *lay, guint from, guint to, bool freeing)
{
	/* the tags first: cairo must know which elements have children
	   before it draws them */
	for (guint i = from; i < to; i++)
		gb_pd_scan_page(&x->sc, g_ptr_array_index(lay->pages, i), x->r.d);
	if (!gb_pd_scan_end(&x->sc, x->r.d)) {
		x->drawn = false;
		x->stopped = true;
		return;
	}
	for (guint i = from; i < to; i++) {
		gb_page *p = g_ptr_array_index(lay->pages, i);
		if (!doc_page(x, p))
			break;
		if (freeing)
			drop_page(x, p);
	}
}

/*
 * Where lay's pages are cut in two, drawn on two threads: the page
 * nearest the middle that begins with no structure element open (a
 * part's first), or 0 when the book is too short to gain or has none.
 */
static guint split_page(const gb_layout *lay, const gb_pdf_options *opt)
{
	guint n = lay->pages->len, best = 0;
	int least = opt->split_pages ? opt->split_pages : GB_PD_SPLIT_PAGES;
	if (least < 0 || n < (guint)MAX(least, 4))
		return 0;
	long depth = 0;
	for (guint i = 0; i < n; i++) {
		const gb_page *p = g_ptr_array_index(lay->pages, i);
		guint off = i > n / 2 ? i - n / 2 : n / 2 - i;
		guint was = best > n / 2 ? best - n / 2 : n / 2 - best;
		if (depth == 0 && i > 0 && (!best || off < was))
			best = i;
		for (guint j = 0; j < p->boxes->len; j++) {
			const gb_box *b = g_ptr_array_index(p->boxes, j);
			depth += b->kind == GB_BOX_TAG_BEGIN;
			depth -= b->kind == GB_BOX_TAG_END;
			if (depth < 0)
				return 0;
		}
	}
	/* at least a quarter of the pages on each side */
	return depth == 0 && best >= n / 4 && best <= n - n / 4 ? best : 0;
}

/*
 * Pango makes a font's cairo font the first time it is drawn, unlocked:
 * the fonts of lay's pages [from, to) are given theirs here, before a
 * second thread draws those pages while this one draws the others.
 */
static void warm_fonts(const gb_layout *lay, guint from, guint to)
{
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (guint i = from; i < to; i++) {
		const gb_page *p = g_ptr_array_index(lay->pages, i);
		for (guint j = 0; j < p->boxes->len; j++) {
			const gb_box *b = g_ptr_array_index(p->boxes, j);
			for (guint k = 0; b->glyphs && k < gb_glyphs_n_runs(b->glyphs); k++) {
				PangoFont *f = gb_glyphs_item(b->glyphs, k)->analysis.font;
				if (f && PANGO_IS_CAIRO_FONT(f) && g_hash_table_add(seen, f))
					pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(f));
			}
		}
	}
	g_hash_table_destroy(seen);
}

/* The second part of a book drawn on a thread of its own. */
typedef struct part {
	doc x;
	gb_layout *lay;
	guint from;
	bool freeing, begun, closed;
	gb_diag *d;         /* its reports, moved to the book's after */
} part;

static gpointer draw_part(gpointer data)
{
	part *b = data;
	b->begun = doc_begin(&b->x, b->lay, b->x.r.opt, b->d);
	if (b->begun) {
		doc_pages(&b->x, b->lay, b->from, b->lay->pages->len, b->freeing);
		b->closed = !b->x.stopped && doc_close(&b->x, true, b->d);
	}
	return NULL;
}

/*
 * The second part's destinations and link targets are the first's too,
 * and its drawing's elements and artifacts follow the first's (its own
 * Document left out: the first's holds its elements).
 */
static void take_part(doc *x, doc *y)
{
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, y->r.dests);
	while (g_hash_table_iter_next(&it, &key, NULL))
		g_hash_table_add(x->r.dests, g_strdup(key));
	g_hash_table_iter_init(&it, y->r.targets);
	while (g_hash_table_iter_next(&it, &key, NULL))
		g_hash_table_add(x->r.targets, g_strdup(key));
	for (guint i = 1; i < y->r.elems->len; i++)
		g_ptr_array_add(x->r.elems, g_steal_pointer(&y->r.elems->pdata[i]));
	for (guint i = 0; x->r.arts && i < y->r.arts->len; i++)
		g_ptr_array_add(x->r.arts, g_array_ref(y->r.arts->pdata[i]));
	x->pages += y->pages;
}

/* The PDF of lay; with freeing, each page's boxes go once it is drawn. */
static GBytes *render_pdf(gb_layout *lay, bool freeing, const gb_pdf_options *opt,
		      gb_diag *d)
{
	if (opt->booklet)
		return gb_pd_render_booklet(lay, opt, d);
	if (lay->pages->len == 0) {
		gb_error(d, gb_noloc(), "cannot write a PDF of no pages");
		return NULL;
	}
	GBytes *ret = NULL;
	doc x;
	guint cut = split_page(lay, opt);
	part b = { .lay = lay, .from = cut, .freeing = freeing };
	GThread *t = NULL;
	if (!doc_begin(&x, lay, opt, d))
		goto out;
	if (cut) {
		/* the second part on a thread, with its own reports */
		b.d = gb_diag_new("gsi-book", stderr);
		b.x.r.opt = opt;
		warm_fonts(lay, 0, lay->pages->len);
		t = g_thread_new("gsi-book-draw", draw_part, &b);
	}
	doc_pages(&x, lay, 0, cut ? cut : lay->pages->len, freeing);
	if (t) {
		g_thread_join(t);
		t = NULL;
		bool ok = b.begun && b.closed && x.drawn;
		gb_diag_move(d, b.d);
		if (!ok) {
			x.drawn = false;
			goto out;
		}
		take_part(&x, &b.x);
	}
	if (doc_close(&x, false, d)) {
		if (cut) {
			guint pages_a = cut;
			int *map = NULL, count = 0;
			GByteArray *joined = gb_pd_join(x.raw, b.x.raw, pages_a, &map, &count, d);
			if (!joined)
				goto out;
			/* the second part's pages rewritten while drawn */
			if (x.early && b.x.early)
				gb_pd_early_adopt(x.early, b.x.early, pages_a, map, count);
			g_free(map);
			g_byte_array_free(x.raw, TRUE);
			x.raw = joined;
		}
		ret = doc_finish(&x, d);
	}
out:
	if (t)
		g_thread_join(t);
	if (b.d) {
		gb_diag_move(d, b.d);
		gb_diag_free(b.d);
		if (b.begun || b.x.raw)
			doc_free(&b.x);
	}
	doc_free(&x);
	return ret;
}

GBytes *gb_pdf_render(const gb_layout *lay, const gb_pdf_options *opt,
		      gb_diag *d)
{
	/* nothing of lay changes without freeing */
	return render_pdf((gb_layout *)lay, false, opt, d);
}

GBytes *gb_pdf_render_freeing(gb_layout *lay, const gb_pdf_options *opt,
			      gb_diag *d)
{
	GBytes *ret = render_pdf(lay, true, opt, d);
	if (opt->booklet)   /* drawn two pages a side, in the sheets' order */
		for (guint i = 0; i < lay->pages->len; i++)
			gb_page_free_boxes(g_ptr_array_index(lay->pages, i));
	return ret;
}
