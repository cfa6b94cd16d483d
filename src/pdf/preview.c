/* preview.c - pages, spreads and a contact sheet as PNG pictures. */
#include "pdf/preview.h"

#include <cairo.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>

#include "base/file.h"
#include "pdf/pdf.h"

/* The tallest or widest picture cairo draws (and many viewers show). */
#define GB_SHEET_MAX_PX 32767
/* The rows of pages on one contact sheet, at most. */
#define GB_SHEET_ROWS 10

static cairo_status_t to_bytes(void *closure, const unsigned char *data,
			       unsigned int len)
{
	g_byte_array_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* Writes surface as a PNG at dir/name, through a temporary file. */
static bool write_png(cairo_surface_t *s, const char *dir, const char *name,
		      bool quiet, gb_diag *d)
{
	GByteArray *png = g_byte_array_new();
	cairo_status_t st = cairo_surface_status(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(s, to_bytes, png);
	bool ok = st == CAIRO_STATUS_SUCCESS;
	char *path = g_build_filename(dir, name, NULL);
	int e = 0;
	if (!ok)
		gb_error(d, gb_noloc(), "cannot encode '%s': %s", path,
			 cairo_status_to_string(st));
	else if (!(ok = gb_file_write_atomic(path, png->data, png->len, &e)))
		gb_error(d, gb_noloc(), "cannot write '%s': %s", path, g_strerror(e));
	else if (!quiet)
		printf("wrote %s\n", path);
	g_free(path);
	g_byte_array_free(png, TRUE);
	return ok;
}

/* A white surface for pages of the layout's size at dpi, count wide. */
static cairo_surface_t *blank(const gb_layout *lay, double dpi, int across,
			      int down, double gap)
{
	int w = (int)lround((lay->width * across + gap * (across - 1)) * dpi / 72.0);
	int h = (int)lround((lay->height * down + gap * (down - 1)) * dpi / 72.0);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_destroy(cr);
	return s;
}

/* Draws page index i of lay at (x, y) points, scaled for dpi. */
static bool draw_at(cairo_surface_t *s, const gb_layout *lay, guint i,
		    double x, double y, double dpi, bool frame, gb_diag *d)
{
	cairo_t *cr = cairo_create(s);
	cairo_scale(cr, dpi / 72.0, dpi / 72.0);
	cairo_translate(cr, x, y);
	if (frame) {
		/* the trim, for pages side by side */
		cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
		cairo_set_line_width(cr, 72.0 / dpi);
		cairo_rectangle(cr, 0, 0, lay->width, lay->height);
		cairo_stroke(cr);
	}
	bool ok = gb_draw_page(cr, g_ptr_array_index(lay->pages, i), false, d);
	cairo_destroy(cr);
	return ok;
}

/*
 * How many pages of size w, gap between, fit in a picture's side at dpi:
 * at most want, at least 1.  Cairo's image surfaces, and PNG viewers, end
 * at 32767 pixels: the one sheet of a 1,600-page book was 55,000 tall.
 */
static int fitting(double w, double gap, double dpi, int want)
{
	double most = (GB_SHEET_MAX_PX * 72.0 / dpi + gap) / (w + gap);
	return most < 1 ? 1 : most > want ? want : (int)most;
}

/*
 * The contact sheets: every page of the book, opt->columns across and at
 * most GB_SHEET_ROWS down (fewer where pages are so large that they would
 * not fit in a picture).  One sheet is DIR/contact.png; a book that needs
 * more gets DIR/contact-001.png, contact-002.png, ...
 */
static bool contact_sheets(const gb_layout *lay, const gb_preview_options *opt,
			   gb_diag *d)
{
	guint n = lay->pages->len;
	double g = lay->width / 20;
	int cols = fitting(lay->width, g, opt->sheet_dpi,
			   opt->columns > 0 ? opt->columns : 6);
	int rows = fitting(lay->height, g, opt->sheet_dpi, GB_SHEET_ROWS);
	guint per = (guint)(cols * rows);
	guint sheets = (n + per - 1) / per;
	bool ok = true;
	for (guint k = 0; ok && k < sheets; k++) {
		guint from = k * per, count = MIN(per, n - from);
		int down = (int)((count + (guint)cols - 1) / (guint)cols);
		cairo_surface_t *s = blank(lay, opt->sheet_dpi, cols, down, g);
		for (guint i = 0; ok && i < count; i++)
			ok = draw_at(s, lay, from + i, (i % (guint)cols) * (lay->width + g),
				     (i / (guint)cols) * (lay->height + g), opt->sheet_dpi,
				     true, d);
		char name[32];
		if (sheets == 1)
			snprintf(name, sizeof name, "contact.png");
		else
			snprintf(name, sizeof name, "contact-%03u.png", k + 1);
		ok = ok && write_png(s, opt->dir, name, opt->quiet, d);
		cairo_surface_destroy(s);
	}
	return ok;
}

GBytes *gb_preview_page(const gb_layout *lay, guint i, double dpi, gb_diag *d)
{
	if (i >= lay->pages->len)
		return NULL;
	cairo_surface_t *s = blank(lay, dpi, 1, 1, 0);
	GByteArray *png = g_byte_array_new();
	bool ok = draw_at(s, lay, i, 0, 0, dpi, false, d);
	cairo_status_t st = cairo_surface_status(s);
	if (ok && st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(s, to_bytes, png);
	cairo_surface_destroy(s);
	if (!ok || st != CAIRO_STATUS_SUCCESS) {
		if (ok)
			gb_error(d, gb_noloc(), "cannot encode page %u: %s", i + 1,
				 cairo_status_to_string(st));
		g_byte_array_free(png, TRUE);
		return NULL;
	}
	return g_byte_array_free_to_bytes(png);
}

bool gb_preview(const gb_layout *lay, const gb_preview_options *opt,
		gb_diag *d)
{
	guint n = lay->pages->len;
	guint first = opt->first > 0 ? (guint)opt->first : 1;
	guint last = opt->last > 0 ? MIN((guint)opt->last, n) : n;
	if (first > last || first > n) {
		gb_error(d, gb_noloc(), "no pages %u-%u: the book has %u", first, last, n);
		return false;
	}
	if (g_mkdir_with_parents(opt->dir, 0777) != 0) {
		gb_error(d, gb_noloc(), "cannot make '%s': %s", opt->dir, g_strerror(errno));
		return false;
	}
	bool ok = true;
	for (guint i = first - 1; ok && i < last; i++) {
		cairo_surface_t *s = blank(lay, opt->dpi, 1, 1, 0);
		ok = draw_at(s, lay, i, 0, 0, opt->dpi, false, d);
		char name[32];
		snprintf(name, sizeof name, "page-%03u.png", i + 1);
		ok = ok && write_png(s, opt->dir, name, opt->quiet, d);
		cairo_surface_destroy(s);
	}
	/* spreads: a verso and the recto facing it */
	double gap = 0;
	for (guint i = first - 1; ok && i < last; i++) {
		const gb_page *p = g_ptr_array_index(lay->pages, i);
		if (p->recto || i + 1 >= n)
			continue;
		cairo_surface_t *s = blank(lay, opt->dpi, 2, 1, gap);
		ok = draw_at(s, lay, i, 0, 0, opt->dpi, true, d) &&
		     draw_at(s, lay, i + 1, lay->width + gap, 0, opt->dpi, true, d);
		char name[32];
		snprintf(name, sizeof name, "spread-%03u.png", i + 1);
		ok = ok && write_png(s, opt->dir, name, opt->quiet, d);
		cairo_surface_destroy(s);
	}
	/* the contact sheets: every page, in a grid */
	if (ok)
		ok = contact_sheets(lay, opt, d);
	return ok;
}
