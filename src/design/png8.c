/* png8.c - an 8-bit palette PNG of a flat-coloured picture (libpng). */
#include "design/png8.h"

#include <png.h>
#include <setjmp.h>
#include <string.h>

/*
 * The cover is flat colours and type: a few hundred colours, nearly all
 * of its pixels in a handful.  An 8-bit palette PNG keeps its type sharp
 * at under half the size of cairo's 24-bit PNG; a JPEG of it is as
 * large as that PNG at quality 85 and still larger than the palette PNG
 * at 60 (its type's edges are what costs, and JPEG blurs them).
 */

/* A palette entry: a colour (0xRRGGBB) and how many pixels have it. */
typedef struct swatch {
	guint32 rgb;
	guint n;
} swatch;

/* Most pixels first; the same counts by colour, for the same bytes. */
static gint by_pixels(gconstpointer a, gconstpointer b)
{
	const swatch *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return x->rgb < y->rgb ? -1 : x->rgb > y->rgb;
}

static guint distance(guint32 a, guint32 b)
{
	int dr = (int)(a >> 16 & 0xff) - (int)(b >> 16 & 0xff);
	int dg = (int)(a >> 8 & 0xff) - (int)(b >> 8 & 0xff);
	int db = (int)(a & 0xff) - (int)(b & 0xff);
	return (guint)(dr * dr + dg * dg + db * db);
}

/* An encoding's state, on the heap: what libpng changes between the
   setjmp and a longjmp back to it stays known. */
typedef struct png_job {
	png_structp png;
	png_infop info;
	GByteArray *out;
	png_bytep row;
	char why[256];
} png_job;

static void png_fail(png_structp png, png_const_charp msg)
{
	png_job *j = png_get_error_ptr(png);
	g_strlcpy(j->why, msg, sizeof j->why);
	png_longjmp(png, 1);
}

static void png_quiet(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void png_append(png_structp png, png_bytep data, size_t len)
{
	png_job *j = png_get_io_ptr(png);
	g_byte_array_append(j->out, data, (guint)len);
}

static void png_no_flush(png_structp png)
{
	(void)png;
}

/*
 * surface (CAIRO_FORMAT_RGB24) as an 8-bit palette PNG: the 256 colours
 * most pixels have, each other colour (an edge's shade, if there are
 * more than 256) drawn in the nearest of them; no time or other chunk
 * that would change its bytes.  NULL after reporting why; the caller
 * unrefs the bytes.
 */
GBytes *gb_encode_png8(cairo_surface_t *surface, gb_diag *d)
{
	int w = cairo_image_surface_get_width(surface);
	int h = cairo_image_surface_get_height(surface);
	int stride = cairo_image_surface_get_stride(surface);
	const unsigned char *pixels = cairo_image_surface_get_data(surface);
	/* colour + 1 (never 0, NULL) -> its count, then its index + 1 */
	GHashTable *count = g_hash_table_new(NULL, NULL);
	for (int y = 0; y < h; y++) {
		const guint32 *p = (const guint32 *)(const void *)(pixels + (gsize)y * (gsize)stride);
		for (int x = 0; x < w; x++) {
			gpointer k = GUINT_TO_POINTER((p[x] & 0xffffff) + 1);
			g_hash_table_insert(count, k, GUINT_TO_POINTER(
				GPOINTER_TO_UINT(g_hash_table_lookup(count, k)) + 1));
		}
	}
	GArray *sw = g_array_new(FALSE, FALSE, sizeof(swatch));
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, count);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		swatch s = { GPOINTER_TO_UINT(k) - 1, GPOINTER_TO_UINT(v) };
		g_array_append_val(sw, s);
	}
	g_array_sort(sw, by_pixels);
	guint colours = MIN(sw->len, 256);
	png_color palette[256];
	GHashTable *index = g_hash_table_new(NULL, NULL);
	for (guint i = 0; i < sw->len; i++) {
		guint32 rgb = g_array_index(sw, swatch, i).rgb;
		guint best = i;
		if (i >= colours) {
			best = 0;
			for (guint c = 1; c < colours; c++)
				if (distance(rgb, g_array_index(sw, swatch, c).rgb) <
				    distance(rgb, g_array_index(sw, swatch, best).rgb))
					best = c;
		} else {
			palette[i].red = (png_byte)(rgb >> 16);
			palette[i].green = (png_byte)(rgb >> 8);
			palette[i].blue = (png_byte)rgb;
		}
		g_hash_table_insert(index, GUINT_TO_POINTER(rgb + 1), GUINT_TO_POINTER(best + 1));
	}
	g_array_free(sw, TRUE);
	g_hash_table_destroy(count);

	png_job *j = g_new0(png_job, 1);
	GBytes *ret = NULL;
	j->out = g_byte_array_new();
	j->row = g_malloc((gsize)w);
	j->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, j, png_fail, png_quiet);
	j->info = j->png ? png_create_info_struct(j->png) : NULL;
	if (!j->info) {
		gb_error(d, gb_noloc(), "cannot encode the cover as PNG: out of memory");
		goto out;
	}
	if (setjmp(png_jmpbuf(j->png))) {
		gb_error(d, gb_noloc(), "cannot encode the cover as PNG: %s", j->why);
		goto out;
	}
	png_set_write_fn(j->png, j, png_append, png_no_flush);
	png_set_compression_level(j->png, 9);
	/* a palette's rows compress best unfiltered */
	png_set_filter(j->png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_IHDR(j->png, j->info, (png_uint_32)w, (png_uint_32)h, 8,
		     PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
	png_set_PLTE(j->png, j->info, palette, (int)colours);
	png_write_info(j->png, j->info);
	for (int y = 0; y < h; y++) {
		const guint32 *p = (const guint32 *)(const void *)(pixels + (gsize)y * (gsize)stride);
		for (int x = 0; x < w; x++)
			j->row[x] = (png_byte)(GPOINTER_TO_UINT(g_hash_table_lookup(
				index, GUINT_TO_POINTER((p[x] & 0xffffff) + 1))) - 1);
		png_write_row(j->png, j->row);
	}
	png_write_end(j->png, j->info);
	ret = g_byte_array_free_to_bytes(j->out);
	j->out = NULL;
out:
	png_destroy_write_struct(&j->png, &j->info);
	if (j->out)
		g_byte_array_unref(j->out);
	g_free(j->row);
	g_free(j);
	g_hash_table_destroy(index);
	return ret;
}

