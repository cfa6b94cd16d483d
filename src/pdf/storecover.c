/*
 * storecover.c - the store's marketing cover (gsi-book cover --ebook): the
 * front of the full-wrap cover rasterised at 1600 x 2560 pixels, as a JPEG.
 */
#include "pdf/pdf.h"

#include <jpeglib.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>

#include "design/cover.h"
#include "pdf/pd.h"

typedef struct jpeg_fail_ctx {
	struct jpeg_error_mgr mgr;
	jmp_buf jump;
	char msg[JMSG_LENGTH_MAX];
} jpeg_fail_ctx;

static void on_jpeg_error(j_common_ptr c)
{
	jpeg_fail_ctx *e = (jpeg_fail_ctx *)(void *)c->err;
	c->err->format_message(c, e->msg);
	longjmp(e->jump, 1);
}

/*
 * surface (RGB24) as a baseline JPEG of quality 92, 4:2:0, JFIF at 72
 * pixels an inch (libjpeg: the same pixels give the same bytes).  NULL
 * after reporting why.
 */
static GBytes *encode_jpeg(cairo_surface_t *surface, gb_diag *d)
{
	int w = cairo_image_surface_get_width(surface);
	int h = cairo_image_surface_get_height(surface);
	int stride = cairo_image_surface_get_stride(surface);
	const unsigned char *px = cairo_image_surface_get_data(surface);
	unsigned char *row = g_malloc((size_t)w * 3);
	unsigned char *out = NULL;
	unsigned long len = 0;
	struct jpeg_compress_struct c;
	jpeg_fail_ctx e;
	c.err = jpeg_std_error(&e.mgr);
	e.mgr.error_exit = on_jpeg_error;
	if (setjmp(e.jump)) {
		gb_error(d, gb_noloc(), "cannot encode the store's cover as JPEG: %s",
			 e.msg);
		jpeg_destroy_compress(&c);
		free(out);
		g_free(row);
		return NULL;
	}
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &out, &len);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 92, TRUE);
	c.density_unit = 1;
	c.X_density = c.Y_density = 72;
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		/* cairo's RGB24: a native-endian 32-bit xRGB a pixel */
		const uint32_t *src = (const uint32_t *)(const void *)
			(px + (size_t)c.next_scanline * (size_t)stride);
		for (int x = 0; x < w; x++) {
			row[3 * x] = (unsigned char)(src[x] >> 16);
			row[3 * x + 1] = (unsigned char)(src[x] >> 8);
			row[3 * x + 2] = (unsigned char)src[x];
		}
		JSAMPROW rows[1] = { row };
		jpeg_write_scanlines(&c, rows, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	g_free(row);
	GBytes *ret = g_bytes_new(out, len);
	free(out);
	return ret;
}

/*
 * Draws the picture at path over the whole w x h surface, scaled as one to
 * fill it and centred (what overflows is cut off); a raster picture
 * enlarged is a warning at loc.  False after reporting why at loc.
 */
static bool fill_with(cairo_t *cr, int w, int h, const char *path,
		      const char *name, gb_loc loc, gb_diag *d)
{
	gb_pd_fill f;
	if (!gb_pd_fill_picture(cr, path, name, 0, 0, w, h, loc, &f, d))
		return false;
	if (f.raster && f.scale > 1)
		gb_warning(d, loc, "cover image '%s' has %.0f x %.0f pixels, fewer "
			   "than the store's cover of %d x %d: it is enlarged %.1f "
			   "times", name, f.pw, f.ph, w, h, ceil(f.scale * 10) / 10);
	return true;
}

GBytes *gb_cover_store_jpeg(const gb_meta *meta, const gb_style *style,
			    gb_fontset *fonts, const char *image,
			    gb_loc image_loc, gb_diag *d)
{
	const int w = GB_STORE_COVER_W, h = GB_STORE_COVER_H;
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(surface);
	bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
	if (!ok)
		gb_error(d, gb_noloc(), "cannot draw the store's cover: %s",
			 cairo_status_to_string(cairo_status(cr)));
	if (ok) {
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		ok = image ? fill_with(cr, w, h, image, meta->cover_image, image_loc, d)
			   : gb_cover_draw_front(cr, w, h, meta, style, fonts, d);
	}
	GBytes *ret = NULL;
	if (ok) {
		cairo_surface_flush(surface);
		ret = encode_jpeg(surface, d);
	}
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	return ret;
}
