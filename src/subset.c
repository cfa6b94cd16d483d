/* subset.c - cutting a font down to the characters a book uses (hb-subset). */
#include "subset.h"

#include <hb-subset.h>
#include <hb.h>
#include <hb-ot.h>
#include <stdbool.h>
#include <string.h>

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
		       char **error)
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
