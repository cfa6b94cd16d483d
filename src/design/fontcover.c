/* fontcover.c - the union of the book's fonts' character sets. */
#include "design/fontcover.h"
#include "base/cache.h"

#include <fontconfig/fontconfig.h>
#include <string.h>

/* Whether pattern p is a face of family (by any of its family names). */
static bool of_family(FcPattern *p, const char *family)
{
	FcChar8 *name;
	for (int k = 0; FcPatternGetString(p, FC_FAMILY, k, &name) == FcResultMatch; k++)
		if (!strcmp((const char *)name, family))
			return true;
	return false;
}

/* Appends the ranges of all to o, after their count. */
static void append_ranges(GByteArray *o, FcCharSet *all)
{
	guint at = o->len;
	gb_le32_append(o, 0);
	guint32 count = 0;
	FcChar32 map[FC_CHARSET_MAP_SIZE], next;
	bool open = false;
	guint32 first = 0, last = 0;
	for (FcChar32 base = FcCharSetFirstPage(all, map, &next); base != FC_CHARSET_DONE;
	     base = FcCharSetNextPage(all, map, &next)) {
		for (int w = 0; w < FC_CHARSET_MAP_SIZE; w++) {
			for (int b = 0; b < 32; b++) {
				if (!(map[w] & (1u << b)))
					continue;
				guint32 u = base + (guint32)w * 32 + (guint32)b;
				if (open && u == last + 1) {
					last = u;
					continue;
				}
				if (open) {
					gb_le32_append(o, first);
					gb_le32_append(o, last);
					count++;
				}
				first = last = u;
				open = true;
			}
		}
	}
	if (open) {
		gb_le32_append(o, first);
		gb_le32_append(o, last);
		count++;
	}
	gb_le32_write(o->data + at, count);
}

GBytes *gb_font_coverage(gb_fontset *fonts, const char *const *families,
			 gb_diag *d)
{
	FcConfig *fc = gb_fontset_fc(fonts, d);
	if (!fc)
		return NULL;
	FcFontSet *fs = FcConfigGetFonts(fc, FcSetApplication);
	GByteArray *o = g_byte_array_new();
	for (size_t f = 0; families[f]; f++) {
		/* GB_EVERY_FACE "family": what all its faces have */
		bool every = families[f][0] == GB_EVERY_FACE[0];
		const char *family = families[f] + (every ? 1 : 0);
		FcCharSet *all = every ? NULL : FcCharSetCreate();
		for (int i = 0; fs && i < fs->nfont; i++) {
			FcCharSet *cs;
			if (!of_family(fs->fonts[i], family) ||
			    FcPatternGetCharSet(fs->fonts[i], FC_CHARSET, 0, &cs) != FcResultMatch)
				continue;
			if (!every) {
				FcCharSetMerge(all, cs, NULL);
			} else if (!all) {
				all = FcCharSetCopy(cs);
			} else {
				FcCharSet *both = FcCharSetIntersect(all, cs);
				FcCharSetDestroy(all);
				all = both;
			}
		}
		if (!all)
			all = FcCharSetCreate();
		append_ranges(o, all);
		FcCharSetDestroy(all);
	}
	return g_byte_array_free_to_bytes(o);
}
