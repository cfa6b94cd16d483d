/* wrap.c - the full-wrap paperback cover's PDF (gsi-book cover). */
#include "pdf/pdf.h"

#include <cairo-pdf.h>

#include "design/cover.h"
#include "pdf/pd.h"

GBytes *gb_pdf_cover(const gb_layout *lay, const gb_meta *meta,
		     const gb_style *style, gb_fontset *fonts,
		     const gb_wrap *w, gb_diag *d)
{
	char iso[32], pdf_date[32];
	if (!gb_pd_format_dates(lay->created, iso, pdf_date)) {
		gb_error(d, gb_noloc(), "cannot write a PDF dated %" G_GINT64_FORMAT
			 " seconds after 1970 (years 0001 to 9999)", lay->created);
		return NULL;
	}
	GByteArray *raw = g_byte_array_new();
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
		gb_pd_write_bytes, raw, w->width, w->height);
	cairo_t *cr = cairo_create(surface);
	gb_pd_set_metadata(surface, lay, iso);
	bool ok = gb_cover_draw_wrap(cr, meta, style, fonts, w, d);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (ok && cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		gb_error(d, gb_noloc(), "cannot draw the cover: %s",
			 cairo_status_to_string(cairo_surface_status(surface)));
		ok = false;
	}
	cairo_surface_destroy(surface);
	/* the finishing pass of the interior: catalog, metadata, /ID, and
	   the page's TrimBox and BleedBox from w */
	gb_pdf_options opt = { .wrap = w };
	GPtrArray *none = g_ptr_array_new();
	GBytes *ret = ok ? gb_pd_finish_pdf(lay, &opt, raw, none, iso, pdf_date,
					    d, NULL) : NULL;
	g_ptr_array_free(none, TRUE);
	g_byte_array_free(raw, TRUE);
	return ret;
}
