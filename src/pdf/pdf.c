/* pdf.c - the print edition's PDF: a layout drawn at once, or while the book is set (the drawing thread), then finished (pd.h) */
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
	};
	gb_pd_scan_init(&x->sc);
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
	gb_pd_set_metadata(x->r.surface, lay, x->iso);
	cairo_set_source_rgb(x->r.cr, 0, 0, 0);
	/* cairo 1.16 writes a tagged PDF (/MarkInfo) under a Document only */
	cairo_tag_begin(x->r.cr, "Document", "");
	open_tag root = { "Document", "Document", true, gb_pd_add_elem(&x->r, NULL), false };
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
	x->drawn = gb_pd_draw_page(&x->r, p);
	cairo_status_t st = cairo_status(x->r.cr);
	if (x->drawn && st != CAIRO_STATUS_SUCCESS) {
		gb_error(x->r.d, gb_noloc(), "page %d: cannot draw the PDF: %s",
			 p->number, cairo_status_to_string(st));
		x->drawn = false;
	}
	x->stopped = !x->drawn;
	return !x->stopped;
}

/* Ends cairo's PDF after its last page, with its outline.  False after reporting why. */
static bool doc_close(doc *x, gb_diag *d)
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
	if ((r->opt->outline && r->opt->links && !gb_pd_add_outline(r)) ||
	    (r->opt->links && !gb_pd_check_targets(r)))
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
	return gb_pd_finish_pdf(r->lay, r->opt, x->raw, r->elems, x->iso, x->pdf_date, d, &x->q);
}

static void doc_free(doc *x)
{
	if (x->r.cr)
		cairo_destroy(x->r.cr);
	if (x->r.surface)
		cairo_surface_destroy(x->r.surface);
	gb_pd_scan_free(&x->sc);
	g_array_free(x->r.stack, TRUE);
	g_hash_table_destroy(x->r.dests);
	g_hash_table_destroy(x->r.targets);
	g_ptr_array_free(x->r.elems, TRUE);
	g_byte_array_free(x->raw, TRUE);
	if (x->q)   /* libqpdf is loaded, since it made q */
		qpdf_cleanup(&x->q);
}

GBytes *gb_pdf_render(const gb_layout *lay, const gb_pdf_options *opt,
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
	if (!doc_begin(&x, lay, opt, d))
		goto out;
	/* the tags first: cairo must know which elements have children
	   before it draws them */
	for (guint i = 0; i < lay->pages->len; i++)
		gb_pd_scan_page(&x.sc, g_ptr_array_index(lay->pages, i), d);
	if (!gb_pd_scan_end(&x.sc, d))
		goto out;
	for (guint i = 0; i < lay->pages->len; i++)
		if (!doc_page(&x, g_ptr_array_index(lay->pages, i)))
			break;
	if (doc_close(&x, d))
		ret = doc_finish(&x, d);
out:
	doc_free(&x);
	return ret;
}

/*
 * The drawing thread: walks each page's tags as it comes, draws the pages
 * whose elements are known, and closes cairo's PDF at the end mark.  As
 * gb_pdf_render(), it draws nothing once the walk finds an error.
 */
static gpointer stream_thread(gpointer p)
{
	gb_pdf_stream *s = p;
	doc *x = &s->x;
	bool begun = s->begun = doc_begin(x, s->lay, s->opt, s->draw_d);
	GPtrArray *waiting = g_ptr_array_new();
	guint drawn = 0;        /* pages drawn (or skipped, after an error) */
	for (;;) {
		gpointer item = g_async_queue_pop(s->queue);
		if (item == &s->stop)
			break;
		if (item == &s->end) {
			s->scanned = gb_pd_scan_end(&x->sc, s->scan_d);
			if (begun && s->scanned) {
				for (; drawn < waiting->len; drawn++)
					if (!doc_page(x, waiting->pdata[drawn]))
						break;
				s->closed = doc_close(x, s->draw_d);
			}
			break;
		}
		g_ptr_array_add(waiting, item);
		gb_pd_scan_page(&x->sc, item, s->scan_d);
		if (!begun || x->sc.bad)
			continue;
		for (guint ready = gb_pd_scan_ready(&x->sc); drawn < ready; drawn++)
			if (!doc_page(x, waiting->pdata[drawn]))
				break;
	}
	g_ptr_array_free(waiting, TRUE);
	return NULL;
}

/*
 * The drawing thread is the stream's: started with the first page handed
 * out, joined by gb_pdf_stream_finish() or on abort and free.  Measured on
 * a shared 2-core machine (`pdf` of a 300-page book, 9 runs of each, in
 * turn), it did not clearly pay: 870 ms at best with it, 858 ms without
 * (medians 1248 and 1386 ms); it stays until a quiet machine decides.
 */
static void stream_page(void *ctx, const gb_layout *lay, const gb_page *p)
{
	gb_pdf_stream *s = ctx;
	if (!s->thread) {
		s->lay = lay;
		s->thread = g_thread_new("pdf", stream_thread, s);
	}
	g_async_queue_push(s->queue, (gpointer)p);
}

/* Ends the thread after its last item (mark), keeping no message. */
static void stream_stop(gb_pdf_stream *s, gpointer mark)
{
	if (!s->thread)
		return;
	g_async_queue_push(s->queue, mark);
	g_thread_join(s->thread);
	s->thread = NULL;
	if (mark == &s->stop) {
		gb_diag_move(NULL, s->scan_d);
		gb_diag_move(NULL, s->draw_d);
	}
}

/* Forgets the PDF drawn so far, if any. */
static void stream_forget(gb_pdf_stream *s)
{
	if (s->lay)
		doc_free(&s->x);
	s->lay = NULL;
	s->closed = false;
}

static void stream_abort(void *ctx)
{
	gb_pdf_stream *s = ctx;
	stream_stop(s, &s->stop);
	stream_forget(s);
}

gb_pdf_stream *gb_pdf_stream_new(const gb_pdf_options *opt)
{
	gb_pdf_stream *s = g_new0(gb_pdf_stream, 1);
	s->pages = (gb_page_stream){ stream_page, stream_abort, s, false };
	s->opt = opt;
	s->queue = g_async_queue_new();
	s->scan_d = gb_diag_new("gsi-book", stderr);
	s->draw_d = gb_diag_new("gsi-book", stderr);
	return s;
}

gb_page_stream *gb_pdf_stream_pages(gb_pdf_stream *s)
{
	return &s->pages;
}

GBytes *gb_pdf_stream_finish(gb_pdf_stream *s, gb_diag *d)
{
	if (!s->pages.done || !s->thread) {
		gb_error(d, gb_noloc(), "cannot finish the PDF: no page was drawn while the book was set");
		return NULL;
	}
	stream_stop(s, &s->end);
	/* as gb_pdf_render(): a bad date, else what the walk found, else
	   what drawing did */
	bool walk = s->begun && !s->scanned;
	gb_diag_move(d, walk ? s->scan_d : s->draw_d);
	gb_diag_move(NULL, walk ? s->draw_d : s->scan_d);
	/* libqpdf works here, in the heap the typesetter has just given
	   back, not in the drawing thread's; what was drawn is freed with s
	   (gb_pdf_stream_free), which may be in another thread */
	return s->closed ? doc_finish(&s->x, d) : NULL;
}

void gb_pdf_stream_free(gb_pdf_stream *s)
{
	if (!s)
		return;
	stream_abort(s);
	g_async_queue_unref(s->queue);
	gb_diag_free(s->scan_d);
	gb_diag_free(s->draw_d);
	g_free(s);
}
