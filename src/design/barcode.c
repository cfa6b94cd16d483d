/* barcode.c - the ISBN's EAN-13 barcode as vectors (libzint). */
#include "design/barcode.h"

#include <glib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <zint.h>

/* EAN-13's module at 100 %, in points (0.33 mm), and its least magnification */
#define MODULE_PT (0.33 * 72 / 25.4)
#define MIN_MAGNIFICATION 0.8

/*
 * Draws text at x (its centre; with halign 1 its left, 2 its right end,
 * as libzint's strings say), its baseline at y, size points high.
 */
static void show_at(cairo_t *cr, PangoContext *pc, const char *family, const char *text,
		    double x, double baseline, double size, int halign)
{
	PangoLayout *l = pango_layout_new(pc);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_text(l, text, -1);
	PangoRectangle ink, logical;
	pango_layout_get_extents(l, &ink, &logical);
	double base = pango_layout_get_baseline(l) / (double)PANGO_SCALE;
	double tw = logical.width / (double)PANGO_SCALE;
	double left = halign == 1 ? x : halign == 2 ? x - tw : x - tw / 2;
	cairo_move_to(cr, left, baseline - base);
	pango_cairo_show_layout(cr, l);
	pango_font_description_free(fd);
	g_object_unref(l);
}

bool gb_barcode_draw_isbn(cairo_t *cr, PangoContext *pc, const char *isbn,
			  const char *isbn_text, const char *family, double x, double y, double w,
			  double h, gb_diag *d)
{
	struct zint_symbol *s = ZBarcode_Create();
	if (!s) {
		gb_error(d, gb_noloc(), "cannot draw the ISBN's barcode: libzint "
			 "has no memory");
		return false;
	}
	s->symbology = BARCODE_EANX;
	s->show_hrt = 1;
	/* the 13th digit is the check digit, which zint computes and checks */
	int err = ZBarcode_Encode_and_Buffer_Vector(s, (const unsigned char *)isbn,
						    (int)strlen(isbn), 0);
	bool ok = err < ZINT_ERROR && s->vector && s->vector->rectangles;
	if (!ok) {
		gb_error(d, gb_noloc(), "cannot draw the barcode of ISBN %s: %s",
			 isbn_text ? isbn_text : isbn,
			 s->errtxt[0] ? s->errtxt : "libzint drew nothing");
		ZBarcode_Delete(s);
		return false;
	}
	struct zint_vector *v = s->vector;
	/* the narrowest bar is one module (the guard bars are) */
	double unit = INFINITY;
	for (struct zint_vector_rect *r = v->rectangles; r; r = r->next)
		unit = MIN(unit, r->width);
	/* "ISBN 978-..." above the bars: a line of 9 points at 100 % */
	const double head = 9 * 1.3;
	double k = MODULE_PT / unit;
	double fit = MIN(w / (v->width * k), h / (v->height * k + head));
	double mag = MIN(1.0, fit);
	if (mag < MIN_MAGNIFICATION) {
		gb_error(d, gb_noloc(), "the barcode area (%.2f x %.2f in) is too "
			 "small for the ISBN's barcode even at %.0f %% (%.2f x %.2f in)",
			 w / 72, h / 72, MIN_MAGNIFICATION * 100,
			 v->width * k * MIN_MAGNIFICATION / 72,
			 (v->height * k + head) * MIN_MAGNIFICATION / 72);
		ZBarcode_Delete(s);
		return false;
	}
	k *= mag;
	double bw = v->width * k, bh = v->height * k + head * mag;
	double ox = x + (w - bw) / 2, oy = y + (h - bh) / 2;
	cairo_save(cr);
	/* a white ground under the whole symbol, its quiet zones included */
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, ox, oy, bw, bh);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	if (isbn_text) {
		char *top = g_strconcat("ISBN ", isbn_text, NULL);
		show_at(cr, pc, family, top, ox + bw / 2, oy + 9 * mag, 9 * mag, 0);
		g_free(top);
	}
	double by = oy + head * mag;
	/* each bar a rectangle of its own: one filled path a bar */
	for (struct zint_vector_rect *r = v->rectangles; r; r = r->next) {
		cairo_rectangle(cr, ox + r->x * k, by + r->y * k, r->width * k,
				r->height * k);
		cairo_fill(cr);
	}
	for (struct zint_vector_string *t = v->strings; t; t = t->next) {
		/* zint's y is the string's baseline */
		show_at(cr, pc, family, (const char *)t->text, ox + t->x * k,
			by + t->y * k, t->fsize * k, t->halign);
	}
	cairo_restore(cr);
	ZBarcode_Delete(s);
	return true;
}
