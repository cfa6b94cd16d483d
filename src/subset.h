/*
 * subset.h - font subsetting with HarfBuzz's hb-subset.
 */
#ifndef GB_SUBSET_H
#define GB_SUBSET_H

#include <glib.h>

/*
 * The face of family in the font file at path (a collection, .ttc, holds
 * several: the one whose typographic or legacy family name is family;
 * NULL: the first face) cut down to the code points in chars (a set of
 * gunichar, as GUINT_TO_POINTER keys), keeping every layout feature (small
 * caps, old-style figures, ligatures, kerning) for the glyphs kept.
 * Returns the font's bytes (the caller unrefs them), or NULL and sets
 * *error (the caller frees it).  The result is one face: an OpenType
 * font ('OTTO', CFF outlines) or a TrueType one, never a collection.
 * gb_subset_cached (cached.h) caches it.
 */
GBytes *gb_font_subset(const char *path, const char *family, GHashTable *chars,
		       char **error);

#endif
