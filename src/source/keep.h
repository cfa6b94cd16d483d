/*
 * keep.h - the parts' parse kept across loads of the same book (gsi-book
 * serve loads it again after every save): a part file whose bytes, entry
 * in book.yaml (file, kind, language, short title) and book language are
 * those of the last load is not parsed again; its PART is a clone of the
 * tree the last parse made, before resolve (which the book's load runs on
 * every part as a fresh load does), so the book equals a fresh load's.
 *
 * Kept only: parts whose parse said nothing (no error, no warning: their
 * diagnostics would have to be replayed), read no image (an image's file
 * is checked as it is parsed: it may have changed), and stayed under the
 * book's elements (GB_MAX_ELEMENTS, counted across parts).
 *
 * Ownership: gb_parse_keep_new() returns a keep the caller frees with
 * gb_parse_keep_free(), at any time (it holds no pointer into a book: its
 * trees' positions point to its own entries, and a clone's to the new
 * book's file).
 */
#ifndef GB_SOURCE_KEEP_H
#define GB_SOURCE_KEEP_H

#include <glib.h>

#include "base/diag.h"
#include "source/tree.h"

typedef struct gb_parse_keep gb_parse_keep;

gb_parse_keep *gb_parse_keep_new(void);
void gb_parse_keep_free(gb_parse_keep *k);

/* Loads the book in dir as gb_book_load() does, with k's parts kept from
   the last load (k NULL: gb_book_load()). */
gb_book *gb_book_load_kept(const char *dir, gb_parse_keep *k, gb_diag *d);

/* The PART of src parsed from f, as gb_parse_part() makes it (book.c). */
gb_node *gb_parse_part_kept(gb_parse_keep *k, const gb_book *book,
			    const gb_part_src *src, const gb_file *f,
			    size_t *elements, gb_diag *d);

/* Starts a load (the parts not met again by its end are forgotten at the
   next start); the parts the last load took from k and parsed. */
void gb_parse_keep_start(gb_parse_keep *k);
guint gb_parse_keep_reused(const gb_parse_keep *k);
guint gb_parse_keep_parsed(const gb_parse_keep *k);

#endif
