/*
 * picture.h - the pictures of the print edition: read, cleaned of their
 * metadata (gb_image_read()), decoded and drawn with Cairo.
 *
 * PNG is decoded by Cairo; JPEG by libjpeg, its own bytes (cleaned) set
 * as the surface's JPEG data so that a PDF carries them as they are (DCT),
 * not encoded again; GIF (its first frame) by GdkPixbuf; SVG is drawn as
 * vectors by librsvg.  A JPEG's EXIF orientation is applied when drawn.
 */
#ifndef GB_PICTURE_H
#define GB_PICTURE_H

#include <cairo.h>
#include <stdbool.h>

typedef struct gb_picture gb_picture;

/*
 * The picture in the file at path.  NULL with *why set (the end of a
 * sentence, "is damaged: ..."; the caller frees it).  The caller frees
 * the picture with gb_picture_free().
 */
gb_picture *gb_picture_load(const char *path, char **why);

/* Its natural size, upright: in pixels (an SVG: in CSS pixels, 96 an inch). */
void gb_picture_size(const gb_picture *p, double *w, double *h);

/*
 * Draws p into the box (x, y, w, h) of cr, in gray when gray, clipped to
 * the box.  False with *why set if Cairo or librsvg fails.
 */
bool gb_picture_draw(cairo_t *cr, const gb_picture *p,
		     double x, double y, double w, double h, bool gray, char **why);

void gb_picture_free(gb_picture *p);

/*
 * The natural size of the picture at path, as gb_picture_size() gives it,
 * read from a PNG's or JPEG's header without decoding its pixels.  False
 * with *why set (the caller frees it).
 */
bool gb_picture_measure(const char *path, double *w, double *h, char **why);

#endif
