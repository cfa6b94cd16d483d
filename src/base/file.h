/*
 * file.h - source files and their line maps; atomic writes.
 *
 * A gb_file holds the bytes of one source file (book.yaml or a part) and the
 * byte offset at which each of its lines starts.  Positions everywhere else
 * are kept as byte offsets (gb_loc) and turned into line:column only when
 * they are printed (gb_file_linecol), as jq's locfile does.
 *
 * Ownership: gb_file_read() returns a file the caller frees with
 * gb_file_free().  Usually the caller hands it to a gb_book, which owns all
 * its files and frees them with the book.
 */
#ifndef GB_FILE_H
#define GB_FILE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#define GB_NOPOS ((size_t)-1)

typedef struct gb_file {
	char *path;      /* path as shown in messages, e.g. "book/article.md" */
	char *data;      /* contents, NUL-terminated; may hold invalid UTF-8 */
	size_t len;      /* bytes in data, without the terminating NUL */
	size_t *lines;   /* byte offset of the start of each line */
	size_t nlines;
	int index;       /* order of the file in its book, for sorting messages */
} gb_file;

/* A position: a file and a byte offset in it (GB_NOPOS: the whole file). */
typedef struct gb_loc {
	const gb_file *file;
	size_t off;
} gb_loc;

/* The largest file a book may hold (a part, book.yaml, a style). */
#define GB_MAX_FILE (64 << 20)

/*
 * Reads path into a new gb_file whose messages show it as shown_path.
 * Returns NULL and sets *err_errno on failure: EISDIR for a directory,
 * ENODEV for anything else but a regular file (a FIFO or a device, which
 * would block or never end), EFBIG for a file over GB_MAX_FILE bytes.
 */
gb_file *gb_file_read(const char *path, const char *shown_path, int *err_errno);

/*
 * Writes len bytes of data to path through a temporary file in the same
 * directory, renamed over path when complete: on failure path is left as it
 * was and no temporary file remains.  A path naming a device or a pipe
 * (/dev/null, /dev/full, a FIFO) is written to directly instead.  Returns
 * false and sets *err_errno on failure.
 */
bool gb_file_write_atomic(const char *path, const void *data, size_t len,
			  int *err_errno);

/* Makes a gb_file from a copy of len bytes of data (for tests). */
gb_file *gb_file_new(const char *shown_path, const char *data, size_t len);

void gb_file_free(gb_file *f);

/* The location of byte offset off in f. */
gb_loc gb_loc_at(const gb_file *f, size_t off);

/* The byte offset of a 1-based line and 1-based byte column (clamped). */
size_t gb_file_offset(const gb_file *f, int line, int bytecol);

/*
 * The 1-based line and character column of loc.  Columns count Unicode
 * characters (an invalid byte counts as one).  Returns false for GB_NOPOS.
 */
bool gb_file_linecol(gb_loc loc, int *line, int *col);

#endif
