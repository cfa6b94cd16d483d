/*
 * paths.h - the files a book names (parts, images, the cover): their paths
 * inside the book directory, how they are shown in messages, and the
 * image files' media types and checks.  Used by the book's loader
 * (book.c) and by the Markdown parser (parse.c), which need not know each
 * other.
 *
 * Ownership: the strings returned are the caller's to free, but
 * gb_image_media_type()'s, which are static.
 */
#ifndef GB_PATHS_H
#define GB_PATHS_H

#include "base/diag.h"
#include "source/tree.h"

/* How a path inside the book is shown: "book/x.md", or "x.md" for ".". */
char *gb_book_shown_path(const char *dir, const char *rel);

/* Why gb_file_read() failed with errno e, for a message. */
char *gb_read_error(int e);

/*
 * The path of rel, a file named in the book (a part, an image, the cover),
 * taken relative to the directory base (inside the book directory).  Reports
 * an error at loc and returns NULL when rel is absolute, leads outside the
 * book directory (through '..' or a symbolic link) or does not exist.  what
 * names the file in messages ("part", "image").  The caller frees the
 * result.
 */
char *gb_book_path(const gb_book *book, const char *base, const char *rel,
		   const char *what, gb_loc loc, gb_diag *d);

/*
 * The media type of an image file, from its name: PNG, JPEG, GIF or SVG,
 * the images every EPUB reader shows.  NULL for any other.
 */
const char *gb_image_media_type(const char *name);

/*
 * Checks the image file at path (found by gb_book_path) with
 * gb_image_check(), as the media type its name rel says, and reports at
 * loc what is wrong: "what 'rel' is cut short: ...".  Returns whether it
 * is a whole image of a size the editions can take.
 */
bool gb_book_check_image(const char *path, const char *rel, const char *what,
			 gb_loc loc, gb_diag *d);

#endif
