/* imagesize.c - an image's printed size, from its file and its attributes
   ('{width=60%}'), and the printer's resolution check (ts.h) */
#include "typeset/ts.h"
#include "typeset/picture.h"
#include "source/image.h"

#include <math.h>
#include <string.h>

char *gb_ts_image_path(const ts *t, const gb_node *img)
{
	char *dir = g_path_get_dirname(t->part->text);
	char *rel = g_uri_unescape_string(img->url, NULL);
	char *path = g_build_filename(t->book->dir, dir, rel ? rel : img->url, NULL);
	g_free(dir);
	g_free(rel);
	return path;
}

/* One side as the attributes give it, in points; NAN when not given. */
static double side(const char *v, double whole, double em)
{
	double x;
	gb_size_unit unit;
	if (!v || !gb_image_size(v, &x, &unit))
		return NAN;
	switch (unit) {
	case GB_SIZE_PX:
		return x * 72.0 / 96.0;  /* CSS pixels, as the EPUB has them */
	case GB_SIZE_PERCENT:
		return x / 100.0 * whole;
	case GB_SIZE_EM:
		return x * em;
	case GB_SIZE_PT:
		break;
	}
	return x;
}

static bool is_svg(const char *path)
{
	return g_str_has_suffix(path, ".svg") || g_str_has_suffix(path, ".SVG");
}

bool gb_ts_image_size(ts *t, const gb_node *img, const char *path, double avail,
		      double max_h, double em, double default_h, double *w, double *h)
{
	char *why = NULL;
	double px_w, px_h;
	if (!gb_picture_measure(path, &px_w, &px_h, &why)) {
		gb_error(t->d, img->loc, "image '%s' %s", img->url, why);
		t->failed = true;
		g_free(why);
		return false;
	}
	/* at the style's resolution (an SVG: at its size, 96 pixels an
	   inch), or as its attributes say */
	double dpi = is_svg(path) ? 96.0 : t->image_resolution;
	double nw = px_w * 72.0 / dpi, nh = px_h * 72.0 / dpi;
	/* a picture meant to bleed ({.bleed}): as wide as avail */
	double aw = side(img->bleed && !img->width ? "100%" : img->width, avail, em);
	double ah = side(img->height, t->body_h, em);
	if (!isnan(aw) && !isnan(ah)) {
		*w = aw;
		*h = ah;
	} else if (!isnan(aw)) {
		*w = aw;
		*h = nh * aw / nw;
	} else if (!isnan(ah) || default_h > 0) {
		*h = isnan(ah) ? default_h : ah;
		*w = nw * *h / nh;
	} else {
		*w = nw;
		*h = nh;
	}
	/* at most the measure and max_h high, scaled as one */
	double scale = MIN(1.0, MIN(avail / *w, max_h / *h));
	*w *= scale;
	*h *= scale;
	/* a printer's resolution: of a raster image, the lower of its two */
	double need = t->opt->image_dpi;
	if (need > 0 && !is_svg(path) && *w > 0 && *h > 0) {
		double eff = MIN(px_w / (*w / 72.0), px_h / (*h / 72.0));
		if (eff < need) {
			double times = ceil(need / eff * 10.0) / 10.0;
			gb_warning(t->d, img->loc,
				   "%s prints at %.0f dpi: a printer needs %.0f; give it "
				   "%.1f times the pixels or print it smaller",
				   img->url, floor(eff), need, times);
		}
	}
	return true;
}
