/*
 * subset.h - font subsetting with HarfBuzz's hb-subset.
 */
#ifndef GB_SUBSET_H
#define GB_SUBSET_H

#include <glib.h>

#include "base/diag.h"

/*
 * The face of family in the font file at path (a collection, .ttc, holds
 * several: the one whose typographic or legacy family name is family;
 * NULL: the first face) cut down to the code points in chars (a set of
 * gunichar, as GUINT_TO_POINTER keys), keeping for the glyphs kept
 * HarfBuzz's default layout features (kerning, ligatures, marks, the
 * scripts' shaping) and those of features, a NULL-ended array of
 * OpenType tags ("smcp", "onum"), or every feature when features is NULL.
 * Hinting is dropped (reading systems scale and smooth outlines; the
 * hints are a tenth of a face), the names kept (copyright, licence).
 * Returns the font's bytes (the caller unrefs them), or NULL and sets
 * *error (the caller frees it).  The result is one face: an OpenType
 * font ('OTTO', CFF outlines) or a TrueType one, never a collection.
 * gb_subset_cached (cached.h) caches it.
 */
GBytes *gb_font_subset(const char *path, const char *family, GHashTable *chars,
		       const char *const *features, char **error);

/*
 * The OpenType features the stylesheet css asks for beyond HarfBuzz's
 * defaults: font-variant's and font-variant-numeric's,
 * font-variant-caps', font-variant-ligatures' keywords (small-caps: smcp;
 * all-small-caps: smcp, c2sc; oldstyle-nums: onum; ...) and the tags of
 * font-feature-settings.  A NULL-ended array the caller frees with
 * g_strfreev().
 */
char **gb_css_features(const char *css);

/*
 * The face of family (NULL: the first) in the font file at path cut down
 * to the code points in chars with features (gb_font_subset), from the
 * user's cache when it holds the same cut.
 * font_id names the font's exact bytes (its SHA-256; NULL: the path): the
 * result is cached under it, the characters, the features and HarfBuzz's
 * version.
 * Returns the font's bytes (the caller unrefs them), or NULL after
 * reporting why.  When name is not NULL, *name is set to a string naming
 * the result's exact bytes (for caching what is made of them; the caller
 * frees it), or NULL when there is none (no font_id, or the cache is off).
 */
GBytes *gb_subset_cached(const char *path, const char *font_id, const char *family,
			 GHashTable *chars, const char *const *features, char **name,
			 gb_diag *d);

#endif
