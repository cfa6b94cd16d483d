/* picture.c - decoding and drawing the print edition's pictures. */
#include "typeset/picture.h"
#include "source/book.h"
#include "source/paths.h"
#include "source/image.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib.h>
#include <librsvg/rsvg.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <jpeglib.h>

struct gb_picture {
	cairo_surface_t *surface;   /* a raster picture, as stored */
	RsvgHandle *svg;            /* or an SVG */
	double w, h;                /* the natural size, upright */
	int orientation;            /* EXIF's 1 to 8 */
	GBytes *data;               /* the cleaned file */
};

/* ---- JPEG ---- */

typedef struct jpeg_err {
	struct jpeg_error_mgr mgr;
	jmp_buf jump;
	char msg[JMSG_LENGTH_MAX];
} jpeg_err;

static void jpeg_fail(j_common_ptr c)
{
	jpeg_err *e = (jpeg_err *)(void *)c->err;
	c->err->format_message(c, e->msg);
	longjmp(e->jump, 1);
}

static void jpeg_quiet(j_common_ptr c, int level)
{
	(void)c;
	(void)level;
}

/* Decodes JPEG data into an RGB24 surface carrying data as its JPEG. */
static cairo_surface_t *decode_jpeg(GBytes *data, char **why)
{
	gsize len;
	const unsigned char *d = g_bytes_get_data(data, &len);
	struct jpeg_decompress_struct c;
	jpeg_err e;
	cairo_surface_t *volatile s = NULL;
	unsigned char *volatile row = NULL;
	c.err = jpeg_std_error(&e.mgr);
	e.mgr.error_exit = jpeg_fail;
	e.mgr.emit_message = jpeg_quiet;
	if (setjmp(e.jump)) {
		*why = g_strdup_printf("cannot be decoded: %s", e.msg);
		jpeg_destroy_decompress(&c);
		if (s)
			cairo_surface_destroy(s);
		g_free(row);
		return NULL;
	}
	jpeg_create_decompress(&c);
	jpeg_mem_src(&c, d, (unsigned long)len);
	jpeg_read_header(&c, TRUE);
	bool cmyk = c.jpeg_color_space == JCS_CMYK || c.jpeg_color_space == JCS_YCCK;
	c.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
	jpeg_start_decompress(&c);
	int w = (int)c.output_width, h = (int)c.output_height;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		*why = g_strdup_printf("cannot be decoded: %s",
				       cairo_status_to_string(cairo_surface_status(s)));
		jpeg_destroy_decompress(&c);
		cairo_surface_destroy(s);
		return NULL;
	}
	unsigned char *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	row = g_malloc((size_t)w * (size_t)c.output_components);
	while (c.output_scanline < c.output_height) {
		JSAMPROW rows[1] = { row };
		int y = (int)c.output_scanline;
		jpeg_read_scanlines(&c, rows, 1);
		guint32 *out = (guint32 *)(void *)(px + (size_t)y * (size_t)stride);
		for (int x = 0; x < w; x++) {
			const unsigned char *p = row + (size_t)x * (size_t)c.output_components;
			guint32 r, g, b;
			if (cmyk) {
				/* Adobe writes CMYK inverted */
				guint32 cc = p[0], m = p[1], yy = p[2], k = p[3];
				if (!c.saw_Adobe_marker) {
					cc = 255 - cc; m = 255 - m; yy = 255 - yy; k = 255 - k;
				}
				r = cc * k / 255;
				g = m * k / 255;
				b = yy * k / 255;
			} else {
				r = p[0]; g = p[1]; b = p[2];
			}
			out[x] = 0xff000000u | r << 16 | g << 8 | b;
		}
	}
	jpeg_finish_decompress(&c);
	jpeg_destroy_decompress(&c);
	g_free(row);
	cairo_surface_mark_dirty(s);
	/* the PDF takes the JPEG's own bytes (but CMYK, which cairo 1.16
	   would show inverted) */
	if (!cmyk) {
		g_bytes_ref(data);
		cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, d, len,
					    (cairo_destroy_func_t)g_bytes_unref, data);
	}
	return s;
}

/* ---- PNG ---- */

typedef struct reader {
	const unsigned char *d;
	size_t len, at;
} reader;

static cairo_status_t read_bytes(void *closure, unsigned char *data, unsigned int n)
{
	reader *r = closure;
	if (r->len - r->at < n)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->d + r->at, n);
	r->at += n;
	return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *decode_png(GBytes *data, char **why)
{
	reader r = { 0 };
	r.d = g_bytes_get_data(data, &r.len);
	cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_bytes, &r);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		*why = g_strdup_printf("cannot be decoded: %s",
				       cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return NULL;
	}
	return s;
}

/* ---- GIF: its first frame ---- */

static cairo_surface_t *decode_gif(GBytes *data, char **why)
{
	GError *err = NULL;
	gsize len;
	const guchar *d = g_bytes_get_data(data, &len);
	GdkPixbufLoader *l = gdk_pixbuf_loader_new_with_type("gif", &err);
	if (!l || !gdk_pixbuf_loader_write(l, d, len, &err) || !gdk_pixbuf_loader_close(l, &err)) {
		*why = g_strdup_printf("cannot be decoded: %s", err ? err->message : "no GIF loader");
		if (err)
			g_error_free(err);
		if (l) {
			gdk_pixbuf_loader_close(l, NULL);
			g_object_unref(l);
		}
		return NULL;
	}
	GdkPixbuf *pb = gdk_pixbuf_loader_get_pixbuf(l);
	if (!pb) {
		*why = g_strdup("cannot be decoded: it has no frame");
		g_object_unref(l);
		return NULL;
	}
	int w = gdk_pixbuf_get_width(pb), h = gdk_pixbuf_get_height(pb);
	int n = gdk_pixbuf_get_n_channels(pb), in_stride = gdk_pixbuf_get_rowstride(pb);
	bool alpha = gdk_pixbuf_get_has_alpha(pb);
	const guchar *in = gdk_pixbuf_read_pixels(pb);
	cairo_surface_t *s = cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32
						       : CAIRO_FORMAT_RGB24, w, h);
	unsigned char *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (int y = 0; px && y < h; y++) {
		guint32 *out = (guint32 *)(void *)(px + (size_t)y * (size_t)stride);
		for (int x = 0; x < w; x++) {
			const guchar *p = in + (size_t)y * (size_t)in_stride + (size_t)x * (size_t)n;
			guint32 a = alpha ? p[3] : 255;
			/* premultiplied */
			out[x] = a << 24 | (p[0] * a / 255) << 16 | (p[1] * a / 255) << 8 |
				 p[2] * a / 255;
		}
	}
	cairo_surface_mark_dirty(s);
	g_object_unref(l);
	return s;
}

/* ---- any ---- */

gb_picture *gb_picture_load(const char *path, char **why)
{
	const char *type = gb_image_media_type(path);
	*why = NULL;
	if (!type) {
		*why = g_strdup("is not PNG, JPEG, GIF or SVG");
		return NULL;
	}
	gb_picture *p = g_new0(gb_picture, 1);
	p->orientation = 1;
	p->data = gb_image_read(path, type, &p->orientation, why);
	if (!p->data)
		goto bad;
	if (!strcmp(type, "image/svg+xml")) {
		GError *err = NULL;
		gsize len;
		const guint8 *d = g_bytes_get_data(p->data, &len);
		p->svg = rsvg_handle_new_from_data(d, len, &err);
		if (!p->svg) {
			*why = g_strdup_printf("cannot be drawn: %s", err ? err->message : "librsvg fails");
			if (err)
				g_error_free(err);
			goto bad;
		}
		rsvg_handle_set_dpi(p->svg, 96);
		gdouble w = 0, h = 0;
		if (!rsvg_handle_get_intrinsic_size_in_pixels(p->svg, &w, &h)) {
			/* no absolute size: its viewBox, in pixels */
			gboolean has_w, has_h, has_vb;
			RsvgLength lw, lh;
			RsvgRectangle vb;
			rsvg_handle_get_intrinsic_dimensions(p->svg, &has_w, &lw, &has_h, &lh,
							     &has_vb, &vb);
			w = has_vb ? vb.width : 0;
			h = has_vb ? vb.height : 0;
		}
		if (!(w > 0 && h > 0)) {
			*why = g_strdup("has no size: give its <svg> a width and a height, or a viewBox");
			goto bad;
		}
		p->w = w;
		p->h = h;
		return p;
	}
	p->surface = !strcmp(type, "image/jpeg") ? decode_jpeg(p->data, why) :
		     !strcmp(type, "image/png") ? decode_png(p->data, why) :
		     decode_gif(p->data, why);
	if (!p->surface)
		goto bad;
	double w = cairo_image_surface_get_width(p->surface);
	double h = cairo_image_surface_get_height(p->surface);
	if (w <= 0 || h <= 0) {
		*why = g_strdup("is empty");
		goto bad;
	}
	/* orientations 5 to 8 turn the picture a quarter */
	bool turned = p->orientation >= 5;
	p->w = turned ? h : w;
	p->h = turned ? w : h;
	return p;
bad:
	gb_picture_free(p);
	return NULL;
}

/* The size a JPEG's header gives, without decoding it; false after *why. */
static bool jpeg_size(GBytes *data, double *w, double *h, char **why)
{
	gsize len;
	const unsigned char *d = g_bytes_get_data(data, &len);
	struct jpeg_decompress_struct c;
	jpeg_err e;
	c.err = jpeg_std_error(&e.mgr);
	e.mgr.error_exit = jpeg_fail;
	e.mgr.emit_message = jpeg_quiet;
	if (setjmp(e.jump)) {
		*why = g_strdup_printf("cannot be decoded: %s", e.msg);
		jpeg_destroy_decompress(&c);
		return false;
	}
	jpeg_create_decompress(&c);
	jpeg_mem_src(&c, d, (unsigned long)len);
	jpeg_read_header(&c, TRUE);
	*w = c.image_width;
	*h = c.image_height;
	jpeg_destroy_decompress(&c);
	return true;
}

bool gb_picture_measure(const char *path, double *w, double *h, char **why)
{
	const char *type = gb_image_media_type(path);
	*why = NULL;
	if (type && (!strcmp(type, "image/png") || !strcmp(type, "image/jpeg"))) {
		int o = 1;
		GBytes *data = gb_image_read(path, type, &o, why);
		if (!data)
			return false;
		gsize len;
		const unsigned char *d = g_bytes_get_data(data, &len);
		bool ok = true;
		double iw = 0, ih = 0;
		if (!strcmp(type, "image/png") && len >= 24) {
			/* IHDR, first (gb_image_check()) */
			iw = (double)((guint32)d[16] << 24 | (guint32)d[17] << 16 | (guint32)d[18] << 8 | d[19]);
			ih = (double)((guint32)d[20] << 24 | (guint32)d[21] << 16 | (guint32)d[22] << 8 | d[23]);
		} else if (!strcmp(type, "image/jpeg")) {
			ok = jpeg_size(data, &iw, &ih, why);
		}
		g_bytes_unref(data);
		if (ok && !(iw > 0 && ih > 0)) {
			*why = g_strdup("is empty");
			ok = false;
		}
		*w = o >= 5 ? ih : iw;
		*h = o >= 5 ? iw : ih;
		return ok;
	}
	gb_picture *p = gb_picture_load(path, why);
	if (!p)
		return false;
	gb_picture_size(p, w, h);
	gb_picture_free(p);
	return true;
}

void gb_picture_size(const gb_picture *p, double *w, double *h)
{
	*w = p->w;
	*h = p->h;
}

void gb_picture_free(gb_picture *p)
{
	if (!p)
		return;
	if (p->surface)
		cairo_surface_destroy(p->surface);
	if (p->svg)
		g_object_unref(p->svg);
	if (p->data)
		g_bytes_unref(p->data);
	g_free(p);
}

/* Every pixel of s (ARGB32 or RGB24) to its luminance (Rec. 709), alpha kept. */
static cairo_surface_t *grayed(cairo_surface_t *img)
{
	int iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
	cairo_surface_t *g = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, iw, ih);
	cairo_t *gc = cairo_create(g);
	cairo_set_source_surface(gc, img, 0, 0);
	cairo_paint(gc);
	cairo_destroy(gc);
	cairo_surface_flush(g);
	unsigned char *px = cairo_image_surface_get_data(g);
	int stride = cairo_image_surface_get_stride(g);
	for (int y = 0; px && y < ih; y++) {
		guint32 *row = (guint32 *)(void *)(px + (size_t)y * (size_t)stride);
		for (int x = 0; x < iw; x++) {
			guint32 v = row[x];
			guint32 a = v >> 24, rr = (v >> 16) & 0xff, gg = (v >> 8) & 0xff, bb = v & 0xff;
			guint32 l = (2126 * rr + 7152 * gg + 722 * bb) / 10000;
			row[x] = (a << 24) | (l << 16) | (l << 8) | l;
		}
	}
	cairo_surface_mark_dirty(g);
	return g;
}

/*
 * Sets cr's matrix so that the stored picture (sw x sh) drawn at (0, 0)
 * lands upright in the box (x, y, w, h): EXIF orientation o.
 */
static void orient(cairo_t *cr, int o, double x, double y, double w, double h,
		   double sw, double sh)
{
	cairo_translate(cr, x, y);
	/* the upright picture is w x h; map the stored one into it */
	cairo_matrix_t m;
	switch (o) {
	case 2: cairo_matrix_init(&m, -1, 0, 0, 1, w, 0); break;
	case 3: cairo_matrix_init(&m, -1, 0, 0, -1, w, h); break;
	case 4: cairo_matrix_init(&m, 1, 0, 0, -1, 0, h); break;
	case 5: cairo_matrix_init(&m, 0, 1, 1, 0, 0, 0); break;
	case 6: cairo_matrix_init(&m, 0, 1, -1, 0, w, 0); break;
	case 7: cairo_matrix_init(&m, 0, -1, -1, 0, w, h); break;
	case 8: cairo_matrix_init(&m, 0, -1, 1, 0, 0, h); break;
	default: cairo_matrix_init_identity(&m); break;
	}
	cairo_transform(cr, &m);
	bool turned = o >= 5;
	cairo_scale(cr, (turned ? h : w) / sw, (turned ? w : h) / sh);
}

bool gb_picture_draw(cairo_t *cr, const gb_picture *p,
		     double x, double y, double w, double h, bool gray, char **why)
{
	*why = NULL;
	if (!(w > 0 && h > 0)) {
		*why = g_strdup("has no size on the page");
		return false;
	}
	cairo_save(cr);
	/* clipped to its box: cairo 1.16's recording surface takes an
	   unclipped paint on a page where nothing is drawn yet for one that
	   covers the page, and forgets what the page recorded before it:
	   the structure and destination tags opened there, so that the page
	   ends with a tag that was never opened (a tag error) */
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
	bool ok = true;
	if (p->svg && !gray) {
		RsvgRectangle box = { x, y, w, h };
		GError *err = NULL;
		if (!rsvg_handle_render_document(p->svg, cr, &box, &err)) {
			*why = g_strdup_printf("cannot be drawn: %s", err ? err->message : "librsvg fails");
			if (err)
				g_error_free(err);
			ok = false;
		}
	} else {
		cairo_surface_t *img = NULL;
		if (p->svg) {
			/* in gray: drawn at 300 dpi, then each pixel grayed */
			int pw = (int)(w / 72 * 300) + 1, ph = (int)(h / 72 * 300) + 1;
			cairo_surface_t *c = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph);
			cairo_t *cc = cairo_create(c);
			RsvgRectangle box = { 0, 0, pw, ph };
			ok = rsvg_handle_render_document(p->svg, cc, &box, NULL);
			cairo_destroy(cc);
			img = grayed(c);
			cairo_surface_destroy(c);
			if (!ok)
				*why = g_strdup("cannot be drawn");
		} else {
			img = gray ? grayed(p->surface) : cairo_surface_reference(p->surface);
		}
		if (ok) {
			double sw = cairo_image_surface_get_width(img);
			double sh = cairo_image_surface_get_height(img);
			orient(cr, p->svg ? 1 : p->orientation, x, y, w, h, sw, sh);
			cairo_set_source_surface(cr, img, 0, 0);
			cairo_paint(cr);
		}
		cairo_surface_destroy(img);
	}
	cairo_restore(cr);
	if (ok && cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		*why = g_strdup_printf("cannot be drawn: %s", cairo_status_to_string(cairo_status(cr)));
		ok = false;
	}
	return ok;
}
