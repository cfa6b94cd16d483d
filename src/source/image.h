/*
 * image.h - checking a book's image files before either edition takes
 * them: an EPUB carries its images as they are, and the print edition
 * decodes them whole, so a file that is not the image its name says, is
 * cut short, or would take gigabytes once decoded is refused up front.
 *
 * Only the file's structure is read: PNG chunks and their checksums, the
 * JPEG markers and their end, the GIF header and trailer, the start of an
 * SVG.  No pixel is decoded.
 */
#ifndef GB_IMAGE_H
#define GB_IMAGE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

/* The largest image: pixels a side, and pixels in all (at 4 bytes each,
   the print edition decodes it into 100 MB). */
#define GB_MAX_IMAGE_SIDE 10000
#define GB_MAX_IMAGE_PIXELS 25000000L

/*
 * Whether data (len bytes, a file named name) is a whole image of
 * media_type ("image/png", "image/jpeg", "image/gif", "image/svg+xml")
 * within the limits above.  When not, *why says what is wrong, as the end
 * of a sentence ("is cut short: ..."); the caller frees it.
 */
bool gb_image_check(const unsigned char *data, size_t len, const char *media_type,
		    char **why);

/*
 * What the editions take of an image: data (len bytes) of media_type,
 * checked as gb_image_check() does, without its metadata (see README,
 * "Pictures"): a JPEG keeps its image data, JFIF header, ICC profile,
 * Adobe segment and an EXIF segment holding only its orientation, when
 * that is not 1 (*orientation, if not NULL, gets it: 1 to 8, as EXIF
 * numbers them); a PNG its critical chunks and those display needs; a GIF
 * loses its comments and application extensions (but looping); an SVG is
 * made inert (gb_svg_clean()).  No image data is decoded or encoded again.
 * Returns the bytes (the caller unrefs them), or NULL with *why set as in
 * gb_image_check() (the caller frees it).
 */
GBytes *gb_image_clean(const unsigned char *data, size_t len, const char *media_type,
		       int *orientation, char **why);

/* gb_image_clean() of the file at path; *why also says when it cannot be read. */
GBytes *gb_image_read(const char *path, const char *media_type, int *orientation,
		      char **why);

/* An image's size as pandoc's manual writes it ('{width=60%}'). */
typedef enum gb_size_unit {
	GB_SIZE_PX,       /* CSS pixels, 96 an inch ("200", "200px") */
	GB_SIZE_PERCENT,  /* of the text's width (or height: of the page's) */
	GB_SIZE_PT,       /* points ("3in", "2.5cm", "40mm", "72pt") */
	GB_SIZE_EM,       /* of the text's size ("1.2em") */
} gb_size_unit;

/*
 * Reads s, a number (a decimal point, no sign) and one of the units %,
 * px, cm, mm, in, pt, em, or none (pixels), into *value (cm, mm, in in
 * points) and *unit.  False when s is none of them, or is not above 0,
 * or is a share above 100%.
 */
bool gb_image_size(const char *s, double *value, gb_size_unit *unit);

#endif
