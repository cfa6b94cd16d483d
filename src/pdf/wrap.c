/* wrap.c - the full-wrap paperback cover's PDF (gsi-book cover). */
#include "pdf/pdf.h"

#include <cairo-pdf.h>
#include <math.h>

#include "design/cover.h"
#include "pdf/pd.h"
#include "typeset/picture.h"

bool gb_pd_fill_picture(cairo_t *cr, const char *path, const char *name,
			double x, double y, double w, double h, gb_loc loc,
			gb_pd_fill *fill, gb_diag *d)
{
	char *why = NULL;
	gb_picture *pic = gb_picture_load(path, &why);
	if (!pic) {
		gb_error(d, loc, "cover image '%s' %s", name, why);
		g_free(why);
		return false;
	}
	gb_picture_size(pic, &fill->pw, &fill->ph);
	fill->scale = MAX(w / fill->pw, h / fill->ph);
	fill->raster = !g_str_has_suffix(path, ".svg") && !g_str_has_suffix(path, ".SVG");
	double bw = fill->pw * fill->scale, bh = fill->ph * fill->scale;
	cairo_save(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
	bool ok = gb_picture_draw(cr, pic, x + (w - bw) / 2, y + (h - bh) / 2,
				  bw, bh, false, &why);
	cairo_restore(cr);
	if (!ok) {
		gb_error(d, loc, "cannot draw cover image '%s': %s", name,
			 why ? why : "");
		g_free(why);
	}
	gb_picture_free(pic);
	return ok;
}

/*
 * Draws the picture at path (named name in messages) over the front of w,
 * bleed included, scaled as one to fill it and centred (what overflows is
 * cut off); a raster picture printing below dpi is a warning at loc.  False
 * after reporting why.
 */
static bool draw_front_image(cairo_t *cr, const gb_wrap *w, const char *path,
			     const char *name, double dpi, gb_loc loc,
			     gb_diag *d)
{
	/* the front and its bleed: top, bottom and the outside edge */
	gb_pd_fill f;
	if (!gb_pd_fill_picture(cr, path, name, w->front_x, 0, w->width - w->front_x,
				w->height, loc, &f, d))
		return false;
	double eff = 72.0 / f.scale;   /* pixels an inch, printed */
	if (dpi > 0 && f.raster && eff < dpi)
		gb_warning(d, loc, "cover image '%s' prints at %.0f dpi on "
			   "the front (%.0f x %.0f pixels over %.2f x %.2f in): a "
			   "printer needs %.0f; give it %.1f times the pixels",
			   name, floor(eff), f.pw, f.ph, f.pw * f.scale / 72,
			   f.ph * f.scale / 72, dpi, ceil(dpi / eff * 10.0) / 10.0);
	return true;
}

GBytes *gb_pdf_cover(const gb_layout *lay, const gb_pdf_options *base,
		     const gb_meta *meta, const gb_style *style,
		     gb_fontset *fonts, const gb_wrap *w, const char *image,
		     double dpi, gb_loc image_loc, gb_diag *d)
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
	bool ok = gb_cover_draw_wrap(cr, meta, style, fonts, w, !image, d);
	if (ok && image)
		ok = draw_front_image(cr, w, image, meta->cover_image, dpi,
				      image_loc, d);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (ok && cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		gb_error(d, gb_noloc(), "cannot draw the cover: %s",
			 cairo_status_to_string(cairo_surface_status(surface)));
		ok = false;
	}
	cairo_surface_destroy(surface);
	/* the finishing pass of the interior, with the interior's options
	   (PDF/X-4 where the printer's profile asks for it): catalog,
	   metadata, /ID, and the page's TrimBox and BleedBox from w; no
	   links, bookmarks or PDF/UA on a cover */
	gb_pdf_options opt = *base;
	opt.wrap = w;
	opt.links = opt.outline = opt.pdfua = opt.booklet = false;
	opt.marks = 0;
	GPtrArray *none = g_ptr_array_new();
	GBytes *ret = ok ? gb_pd_finish_pdf(lay, &opt, raw, none, iso, pdf_date,
					    d, NULL) : NULL;
	g_ptr_array_free(none, TRUE);
	g_byte_array_free(raw, TRUE);
	return ret;
}
