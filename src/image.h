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

#endif
