/*
 * png-inspect.c - prints "WIDTH HEIGHT INKED" for a PNG: its size in
 * pixels and how many of its pixels are not white (read with cairo).
 */
#include <cairo.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: png-inspect FILE.png\n");
		return 2;
	}
	cairo_surface_t *s = cairo_image_surface_create_from_png(argv[1]);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "png-inspect: cannot read %s\n", argv[1]);
		return 1;
	}
	cairo_surface_t *rgb = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
		cairo_image_surface_get_width(s), cairo_image_surface_get_height(s));
	cairo_t *cr = cairo_create(rgb);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_surface(cr, s, 0, 0);
	cairo_paint(cr);
	cairo_destroy(cr);
	cairo_surface_flush(rgb);
	int w = cairo_image_surface_get_width(rgb), h = cairo_image_surface_get_height(rgb);
	int stride = cairo_image_surface_get_stride(rgb);
	const unsigned char *px = cairo_image_surface_get_data(rgb);
	long inked = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			const unsigned char *p = px + (size_t)y * (size_t)stride + 4 * (size_t)x;
			if (p[0] < 250 || p[1] < 250 || p[2] < 250)
				inked++;
		}
	printf("%d %d %ld\n", w, h, inked);
	cairo_surface_destroy(rgb);
	cairo_surface_destroy(s);
	return 0;
}
