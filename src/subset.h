/*
 * subset.h - font subsetting with HarfBuzz's hb-subset.
 */
#ifndef GB_SUBSET_H
#define GB_SUBSET_H

#include <glib.h>

/*
 * The font file at path cut down to the code points in chars (a set of
 * gunichar, as GUINT_TO_POINTER keys), keeping every layout feature (small
 * caps, old-style figures, ligatures, kerning) for the glyphs kept.
 * font_id names the font's exact bytes (its SHA-256; NULL: the path): the
 * result is cached under it, the characters and HarfBuzz's version.
 * Returns the font's bytes (the caller unrefs them), or NULL and sets
 * *error (the caller frees it).  When name is not NULL, *name is set to a
 * string naming the result's exact bytes (for caching what is made of
 * them; the caller frees it), or NULL when there is none (no font_id, or
 * the cache is off).
 */
GBytes *gb_font_subset(const char *path, const char *font_id,
		       GHashTable *chars, char **name, char **error);

#endif
