/*
 * book.h - loading a book directory into a resolved gb_book.
 *
 *   book/ -> book.yaml (meta.h) -> parts (parse.h) -> resolve (resolve.h)
 *
 * Ownership: gb_book_load() always returns a book, even when the directory
 * is unusable; the caller checks gb_diag_errors() and frees the book with
 * gb_book_free() after the last gb_diag_flush().
 */
#ifndef GB_BOOK_H
#define GB_BOOK_H

#include "base/diag.h"
#include "source/tree.h"

gb_book *gb_book_load(const char *dir, gb_diag *d);

/*
 * The most Markdown a part may hold, and the book's parts in all: memory
 * grows with the text (a thousand pages of prose, 1.9 MiB, take 180 MB),
 * and libcmark-gfm builds a part's whole tree before gsi-book sees it.
 */
#define GB_MAX_PART (4 << 20)
#define GB_MAX_TEXT (16 << 20)

/*
 * Reports every byte of f that is not UTF-8 (and every NUL byte), then
 * replaces each with '?', so that later stages see text and offsets stay
 * right.  Then reports the characters no book's text holds: controls but
 * tab, line feed and carriage return (XML cannot carry them), the
 * bidirectional embeddings and overrides U+202A to U+202E (they reorder
 * what readers see), and a byte order mark past the file's start.
 * Returns how many it reported.
 */
size_t gb_file_check_utf8(gb_file *f, gb_diag *d);

#endif
