/* subset.c - cutting a font down to the characters a book uses (hb-subset). */
#include "subset.h"

#include <hb-subset.h>
#include <hb.h>
#include <string.h>

#include "load.h"

static GBytes *subset(const char *path, GHashTable *chars, char **error)
{
	GBytes *ret = NULL;
	hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
	hb_face_t *face = NULL, *sub = NULL;
	hb_subset_input_t *input = NULL;
	if (!blob) {
		*error = g_strdup_printf("cannot read font '%s'", path);
		goto out;
	}
	face = hb_face_create(blob, 0);
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
	/* keep every layout feature: small caps, old-style figures, ... */
	hb_set_t *features = hb_subset_input_set(input,
		HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
	hb_set_clear(features);
	hb_set_invert(features);
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

static gint compare_uint(gconstpointer a, gconstpointer b)
{
	guint x = *(const guint *)a, y = *(const guint *)b;
	return x < y ? -1 : x > y;
}

/*
 * The cache key of a subset: the font (its sum, from the manifest, or its
 * path), the characters kept, and HarfBuzz's version.  The caller frees it.
 */
static char *subset_key(const char *font_id, GHashTable *chars)
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
	g_checksum_update(sum, (const guchar *)hb_version_string(), -1);
	g_checksum_update(sum, (const guchar *)"all layout features, all names", -1);
	g_checksum_update(sum, (const guchar *)cps->data, (gssize)(cps->len * sizeof(guint)));
	g_array_free(cps, TRUE);
	char *k = g_strdup(g_checksum_get_string(sum));
	g_checksum_free(sum);
	return k;
}

GBytes *gb_font_subset(const char *path, const char *font_id, GHashTable *chars,
		       char **name, char **error)
{
	/* the same font and characters give the same bytes: keep them in
	   the user's cache (GSI_BOOK_NO_CACHE turns it off) */
	char *key = gb_cache_on() ? subset_key(font_id ? font_id : path, chars) : NULL;
	if (name)
		*name = key && font_id ? g_strdup(key) : NULL;
	char *cached = key ? gb_cache_path("subsets", key) : NULL;
	GBytes *ret = gb_cache_get(cached, 1);
	if (!ret) {
		ret = subset(path, chars, error);
		if (ret && cached) {
			gsize n = 0;
			const void *p = g_bytes_get_data(ret, &n);
			gb_cache_put(cached, p, n);
		}
	}
	g_free(cached);
	g_free(key);
	return ret;
}
