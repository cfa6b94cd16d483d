/*
 * cached.h - what the print libraries make for an EPUB or for check, kept
 * in the user's cache (load.h) under everything it is made from: the
 * generated cover, font subsets, and check's verdict on the tables.
 *
 * Ownership: each function returns what the caller owns (see each).
 */
#ifndef GB_CACHED_H
#define GB_CACHED_H

#include <glib.h>

#include "cover.h"
#include "diag.h"
#include "fonts.h"
#include "subset.h"
#include "typeset.h"

/*
 * The cover of the book as a PNG (gb_cover_png), from the user's cache
 * when it holds one made from the same inputs by the same program.  The
 * caller unrefs it; NULL after reporting why.
 */
GBytes *gb_cover_cached(const gb_meta *meta, const gb_style *style,
			gb_fontset *fonts, gb_diag *d);

/*
 * The face of family (NULL: the first) in the font file at path cut down
 * to the code points in chars (gb_font_subset), from the user's cache when it holds the same cut.
 * font_id names the font's exact bytes (its SHA-256; NULL: the path): the
 * result is cached under it, the characters and HarfBuzz's version.
 * Returns the font's bytes (the caller unrefs them), or NULL after
 * reporting why.  When name is not NULL, *name is set to a string naming
 * the result's exact bytes (for caching what is made of them; the caller
 * frees it), or NULL when there is none (no font_id, or the cache is off).
 */
GBytes *gb_subset_cached(const char *path, const char *font_id, const char *family,
			 GHashTable *chars, char **name, gb_diag *d);

/*
 * Reports the tables of book that the print edition would refuse
 * (gb_typeset_check_tables(), the typesetter's own decision), for check.
 * When every table fits, that is kept in the user's cache under
 * everything the decision reads (the program, the style, the fonts'
 * sums, the paper and margins, each table's text and where it stands),
 * so that checking the book again sets no table.  False when one is
 * refused, or after reporting why it cannot be told.
 */
bool gb_check_tables_cached(const gb_book *book, const gb_typeset_options *opt,
			    gb_diag *d);

#endif
