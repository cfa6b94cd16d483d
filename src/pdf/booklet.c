/* booklet.c - a page drawn alone (previews), booklet imposition, the document's metadata (pd.h) */
#include "pdf/pd.h"

bool gb_draw_page(cairo_t *cr, const gb_page *p, bool gray, gb_diag *d)
{
	gb_pdf_options o = { 0 };
	o.gray = gray;
	render r = { .opt = &o, .d = d, .cr = cr };
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (guint j = 0; j < p->boxes->len; j++) {
		const gb_box *b = g_ptr_array_index(p->boxes, j);
		bool ok = true;
		cairo_save(cr);
		if (j < p->turned)
			gb_pd_turn(cr, p);
		if (b->kind == GB_BOX_TEXT && b->glyphs) {
			gb_pd_show_glyphs(cr, b->glyphs, b->x, b->y);
		} else if (b->kind == GB_BOX_RULE) {
			cairo_rectangle(cr, b->x, b->y, b->w, b->h);
			cairo_fill(cr);
		} else if (b->kind == GB_BOX_IMAGE) {
			ok = gb_pd_draw_image(&r, b);
		}
		cairo_restore(cr);
		if (!ok)
			return false;
	}
	return true;
}

int gb_booklet_order(int pages, int **order)
{
	int n = (pages + 3) / 4 * 4;
	if (n == 0)
		n = 4;
	int sides = n / 2;
	int *o = g_new(int, 2 * sides);
	for (int sheet = 0; sheet < n / 4; sheet++) {
		/* the front: the last and the first; the back: the second and
		   the last but one, counting in from both ends */
		o[4 * sheet + 0] = n - 2 * sheet;
		o[4 * sheet + 1] = 2 * sheet + 1;
		o[4 * sheet + 2] = 2 * sheet + 2;
		o[4 * sheet + 3] = n - 2 * sheet - 1;
	}
	*order = o;
	return sides;
}

/*
 * The book imposed two up on landscape sheets, folded in the middle and
 * stitched: pages scaled to half a sheet, in booklet order, blanks at the
 * end.  No structure, links or bookmarks: it is a printing form.
 */
GBytes *gb_pd_render_booklet(const gb_layout *lay, const gb_pdf_options *opt,
			      gb_diag *d)
{
	GBytes *ret = NULL;
	GByteArray *raw = g_byte_array_new();
	char iso[32], pdf_date[32];
	int *order = NULL;
	if (!gb_pd_format_dates(lay->created, iso, pdf_date)) {
		gb_error(d, gb_noloc(), "cannot write a PDF dated %" G_GINT64_FORMAT
			 " seconds after 1970 (years 0001 to 9999)", lay->created);
		g_byte_array_free(raw, TRUE);
		return NULL;
	}
	int sides = gb_booklet_order((int)lay->pages->len, &order);
	/* with marks, room for them around the sheet (the trim) */
	double room = gb_pd_mark_room(opt);
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
		gb_pd_write_bytes, raw, opt->sheet_w + 2 * room, opt->sheet_h + 2 * room);
	cairo_t *cr = cairo_create(surface);
	gb_pd_set_metadata(surface, lay, iso);
	double half = opt->sheet_w / 2;
	double scale, x0, y0;
	gb_pd_booklet_place(opt, lay, &scale, &x0, &y0);
	for (int s = 0; s < sides; s++) {
		for (int slot = 0; slot < 2; slot++) {
			int n = order[2 * s + slot];
			if (n < 1 || n > (int)lay->pages->len)
				continue;   /* a blank */
			const gb_page *p = g_ptr_array_index(lay->pages, n - 1);
			cairo_save(cr);
			cairo_translate(cr, slot * half + x0, y0);
			cairo_scale(cr, scale, scale);
			bool ok = gb_draw_page(cr, p, opt->gray, d);
			cairo_restore(cr);
			if (!ok)
				goto out;
		}
		cairo_show_page(cr);
	}
	cairo_surface_finish(surface);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		gb_error(d, gb_noloc(), "cannot draw the booklet: %s",
			 cairo_status_to_string(cairo_surface_status(surface)));
		goto out;
	}
	GPtrArray *none = g_ptr_array_new();
	ret = gb_pd_finish_pdf(lay, opt, raw, none, iso, pdf_date, d, NULL);
	g_ptr_array_free(none, TRUE);
out:
	g_free(order);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	g_byte_array_free(raw, TRUE);
	return ret;
}

/* Sets Info metadata key of s to utf8, if it is set and valid UTF-8. */
static void set_meta(cairo_surface_t *s, cairo_pdf_metadata_t key,
		     const char *utf8)
{
	if (utf8 && g_utf8_validate(utf8, -1, NULL))
		cairo_pdf_surface_set_metadata(s, key, utf8);
}

/* Sets the Info metadata cairo writes (its dates are mended later). */
void gb_pd_set_metadata(cairo_surface_t *s, const gb_layout *lay,
			 const char *iso)
{
	set_meta(s, CAIRO_PDF_METADATA_TITLE, lay->title);
	set_meta(s, CAIRO_PDF_METADATA_AUTHOR, lay->author);
	set_meta(s, CAIRO_PDF_METADATA_SUBJECT, lay->subject);
	set_meta(s, CAIRO_PDF_METADATA_KEYWORDS, lay->keywords);
	set_meta(s, CAIRO_PDF_METADATA_CREATOR, "gsi-book " GB_VERSION);
	set_meta(s, CAIRO_PDF_METADATA_CREATE_DATE, iso);
	set_meta(s, CAIRO_PDF_METADATA_MOD_DATE, iso);
}
