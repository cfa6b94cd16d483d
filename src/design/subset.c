/* subset.c - cutting a font down to the characters a book uses (hb-subset). */
#include "design/subset.h"

#include <hb-subset.h>
#include <hb.h>
#include <hb-ot.h>
#include <stdbool.h>
#include <string.h>

#include "base/cache.h"
#include "base/diag.h"

/* Whether face's family name (typographic, else legacy) is family. */
static bool named(hb_face_t *face, const char *family)
{
	static const hb_ot_name_id_t ids[] = { HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY,
					       HB_OT_NAME_ID_FONT_FAMILY };
	for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
		char name[256];
		unsigned int len = sizeof name;
		if (hb_ot_name_get_utf8(face, ids[i], hb_language_from_string("en", -1),
					&len, name) && !strcmp(name, family))
			return true;
	}
	return false;
}

/* The index of family's face in blob (0 when family is NULL), or -1. */
static int face_index(hb_blob_t *blob, const char *family)
{
	if (!family)
		return 0;
	unsigned int n = hb_face_count(blob);
	for (unsigned int i = 0; i < n; i++) {
		hb_face_t *face = hb_face_create(blob, i);
		bool ok = named(face, family);
		hb_face_destroy(face);
		if (ok)
			return (int)i;
	}
	return -1;
}

GBytes *gb_font_subset(const char *path, const char *family, GHashTable *chars,
		       const char *const *features, char **error)
{
	GBytes *ret = NULL;
	hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
	hb_face_t *face = NULL, *sub = NULL;
	hb_subset_input_t *input = NULL;
	if (!blob) {
		*error = g_strdup_printf("cannot read font '%s'", path);
		goto out;
	}
	int index = face_index(blob, family);
	if (index < 0) {
		*error = g_strdup_printf("font '%s' has no face of family '%s'", path, family);
		goto out;
	}
	face = hb_face_create(blob, (unsigned int)index);
	input = hb_subset_input_create_or_fail();
	if (!input) {
		*error = g_strdup("out of memory");
		goto out;
	}
	hb_set_t *unicodes = hb_subset_input_unicode_set(input);
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, chars);
	while (g_hash_table_iter_next(&it, &key, NULL))
		hb_set_add(unicodes, GPOINTER_TO_UINT(key));
	/* HarfBuzz's defaults and what the text asks for (small caps,
	   old-style figures, ...), or every feature */
	hb_set_t *tags = hb_subset_input_set(input, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
	if (!features) {
		hb_set_clear(tags);
		hb_set_invert(tags);
	}
	for (const char *const *f = features; f && *f; f++)
		hb_set_add(tags, hb_tag_from_string(*f, -1));
	hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
	/* keep the names, so readers show the real family */
	hb_set_t *names = hb_subset_input_set(input, HB_SUBSET_SETS_NAME_ID);
	hb_set_clear(names);
	hb_set_invert(names);
	sub = hb_subset_or_fail(face, input);
	if (!sub) {
		*error = g_strdup_printf("cannot subset font '%s'", path);
		goto out;
	}
	hb_blob_t *out_blob = hb_face_reference_blob(sub);
	unsigned int len = 0;
	const char *data = hb_blob_get_data(out_blob, &len);
	if (len)
		ret = g_bytes_new(data, len);
	else
		*error = g_strdup_printf("subsetting font '%s' gave nothing", path);
	hb_blob_destroy(out_blob);
out:
	if (sub)
		hb_face_destroy(sub);
	if (input)
		hb_subset_input_destroy(input);
	if (face)
		hb_face_destroy(face);
	if (blob)
		hb_blob_destroy(blob);
	return ret;
}

/* ---- subsets, cached ---- */

static gint compare_uint(gconstpointer a, gconstpointer b)
{
	guint x = *(const guint *)a, y = *(const guint *)b;
	return x < y ? -1 : x > y;
}

/*
 * The cache key of a subset: the font (its sum, from the manifest, or its
 * path), the characters kept, and the HarfBuzz gsi-book was built
 * with.  The caller frees it.
 */
static char *subset_key(const char *font_id, GHashTable *chars,
			const char *const *features)
{
	GArray *cps = g_array_new(FALSE, FALSE, sizeof(guint));
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, chars);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		guint u = GPOINTER_TO_UINT(key);
		g_array_append_val(cps, u);
	}
	g_array_sort(cps, compare_uint);
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)font_id, (gssize)strlen(font_id));
	/* the HarfBuzz the program runs with, not the one it was built with:
	   an upgraded libharfbuzz may subset otherwise */
	g_checksum_update(sum, (const guchar *)hb_version_string(), -1);
	g_checksum_update(sum, (const guchar *)"no hinting, all names, features:", -1);
	if (!features)
		g_checksum_update(sum, (const guchar *)"all", -1);
	for (const char *const *f = features; f && *f; f++)
		g_checksum_update(sum, (const guchar *)*f, 5);  /* with its NUL */
	g_checksum_update(sum, (const guchar *)cps->data, (gssize)(cps->len * sizeof(guint)));
	g_array_free(cps, TRUE);
	char *k = g_strdup(g_checksum_get_string(sum));
	g_checksum_free(sum);
	return k;
}

GBytes *gb_subset_cached(const char *path, const char *font_id, const char *family,
			 GHashTable *chars, const char *const *features, char **name,
			 gb_diag *d)
{
	/* the same font, face and characters give the same bytes: keep them
	   in the user's cache (GSI_BOOK_NO_CACHE turns it off) */
	char *id = family ? g_strconcat(font_id ? font_id : path, "\x1f", family, NULL)
			  : g_strdup(font_id ? font_id : path);
	char *key = gb_cache_on() ? subset_key(id, chars, features) : NULL;
	g_free(id);
	if (name)
		*name = key && font_id ? g_strdup(key) : NULL;
	char *cached = key ? gb_cache_path("subsets", key) : NULL;
	GBytes *ret = gb_cache_get(cached, 1);
	if (!ret) {
		char *error = NULL;
		ret = gb_font_subset(path, family, chars, features, &error);
		if (error)
			gb_error(d, gb_noloc(), "%s", error);
		g_free(error);
		gb_cache_keep(cached, ret);
	}
	g_free(cached);
	g_free(key);
	return ret;
}

/* ---- the features a stylesheet asks for ---- */

/* Each CSS keyword of the font-variant properties and the features it
   turns on (beyond HarfBuzz's defaults). */
static const struct {
	const char *keyword, *tags;
} variants[] = {
	{ "all-small-caps", "smcp c2sc" }, { "small-caps", "smcp" },
	{ "all-petite-caps", "pcap c2pc" }, { "petite-caps", "pcap" },
	{ "unicase", "unic" }, { "titling-caps", "titl" },
	{ "oldstyle-nums", "onum" }, { "lining-nums", "lnum" },
	{ "proportional-nums", "pnum" }, { "tabular-nums", "tnum" },
	{ "diagonal-fractions", "frac" }, { "stacked-fractions", "afrc" },
	{ "ordinal", "ordn" }, { "slashed-zero", "zero" },
	{ "discretionary-ligatures", "dlig" }, { "historical-ligatures", "hlig" },
	{ "contextual", "calt" },
};

static gint by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_tag(GPtrArray *out, const char *tag)
{
	for (guint i = 0; i < out->len; i++)
		if (!strcmp(out->pdata[i], tag))
			return;
	g_ptr_array_add(out, g_strdup(tag));
}

char **gb_css_features(const char *css)
{
	GPtrArray *out = g_ptr_array_new();
	const char *p = css;
	while ((p = strstr(p, "font-")) != NULL) {
		p += 5;
		bool settings = g_str_has_prefix(p, "feature-settings");
		if (!settings && !g_str_has_prefix(p, "variant"))
			continue;
		const char *colon = strchr(p, ':');
		if (!colon)
			break;
		const char *end = colon + strcspn(colon, ";}");
		char *value = g_strndup(colon + 1, end - colon - 1);
		if (settings) {
			/* "smcp" 1, 'onum' */
			for (char *q = value; (q = strpbrk(q, "\"'")) != NULL;) {
				char *close = strchr(q + 1, *q);
				if (!close)
					break;
				if (close - q == 5) {
					char tag[5];
					memcpy(tag, q + 1, 4);
					tag[4] = 0;
					add_tag(out, tag);
				}
				q = close + 1;
			}
		} else {
			char **words = g_strsplit_set(value, " \t\n,", -1);
			for (char **w = words; *w; w++)
				for (size_t i = 0; i < G_N_ELEMENTS(variants); i++) {
					if (strcmp(*w, variants[i].keyword))
						continue;
					char **tags = g_strsplit(variants[i].tags, " ", -1);
					for (char **t = tags; *t; t++)
						add_tag(out, *t);
					g_strfreev(tags);
				}
			g_strfreev(words);
		}
		g_free(value);
		p = end;
	}
	g_ptr_array_sort(out, by_name);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}
