/* index.c - the index's order by language (gb_collate_key, never the
   locale), its letter headings, its locators (source/index.h); and the
   embedded font subset keeping the small capitals '[x]{.smallcaps}' asks
   for (design/subset.h). */
#include "unit.h"

#include <hb.h>
#include <stdlib.h>

#include "design/subset.h"
#include "source/index.h"

/* Whether the words of want (separated by '|') are in order in lang. */
static bool in_order(const char *want, const char *lang, GString *why)
{
	char **w = g_strsplit(want, "|", -1);
	bool ok = true;
	for (int i = 0; w[i] && w[i + 1]; i++) {
		char *a = gb_collate_key(w[i], lang), *b = gb_collate_key(w[i + 1], lang);
		int c = strcmp(a, b);
		if (c > 0 || (c == 0 && strcmp(w[i], w[i + 1]) > 0)) {
			g_string_append_printf(why, "%s'%s' after '%s' in %s", why->len ? "; " : "",
					       w[i], w[i + 1], lang);
			ok = false;
		}
		g_free(a);
		g_free(b);
	}
	g_strfreev(w);
	return ok;
}

void test_index_collate(test_state *t)
{
	/* English: no case, no diacritics, word by word, digits first,
	   other scripts after */
	in_order("42nd|aardvark|Apple|apple|Bear|Émile|Emu|New York|Newark|"
		 "zebra|Zulu|Zürich|Москва", "en", t->why);
	in_order("éclair|ecole", "en-GB", t->why);
	/* Russian: Ё as Е, Й after И, Latin after */
	in_order("Абрикос|еда|Ёж|ёлка|Ель|жук|иней|Йод|эхо|Яблоко|Eagle", "ru", t->why);
	/* Kazakh's alphabet */
	in_order("Адам|Әже|бала|Гүл|ғалым|кітап|Қала|нан|Ңң|Орын|Өзен|Ұлт|үй|хат|һауа|ыдыс|Іні|Almaty",
		 "kk", t->why);
	char *g;
	CHECK_STR(t, (g = gb_collate_group("Émile", "en")), "E");
	g_free(g);
	CHECK_STR(t, (g = gb_collate_group("ёж", "ru")), "Е");
	g_free(g);
	CHECK_STR(t, (g = gb_collate_group("42nd", "en")), "0\u20139");
	g_free(g);
	CHECK_STR(t, (g = gb_collate_group("әже", "kk")), "Ә");
	g_free(g);
}

static const char *fake_page(const char *id, void *ctx)
{
	(void)ctx;
	return id;  /* the mark's id is its page, for the test */
}

void test_index_locators(test_state *t)
{
	const char *pages[] = { "3", "4", "4", "5", "9", "ii", "12" };
	gb_node nodes[G_N_ELEMENTS(pages) + 1];
	gb_index_entry e = { .marks = g_ptr_array_new(), .ends = g_ptr_array_new() };
	for (size_t i = 0; i < G_N_ELEMENTS(pages); i++) {
		memset(&nodes[i], 0, sizeof nodes[i]);
		nodes[i].id = (char *)pages[i];
		g_ptr_array_add(e.marks, &nodes[i]);
		g_ptr_array_add(e.ends, NULL);
	}
	/* the mark on 9 opens a range to 11 */
	gb_node end = { .id = (char *)"11" };
	e.ends->pdata[4] = &end;
	GPtrArray *l = gb_index_locators(&e, fake_page, NULL);
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < l->len; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "",
				       ((gb_index_locator *)l->pdata[i])->text);
	CHECK_STR(t, s->str, "3\u20135, 9\u201311, ii, 12");
	g_string_free(s, TRUE);
	g_ptr_array_unref(l);
	g_ptr_array_free(e.marks, TRUE);
	g_ptr_array_free(e.ends, TRUE);
}

/* The glyph the font data draws "n" with, with smcp or not. */
static unsigned glyph_of(GBytes *data, bool smcp)
{
	gsize n;
	const char *p = g_bytes_get_data(data, &n);
	hb_blob_t *blob = hb_blob_create(p, (unsigned)n, HB_MEMORY_MODE_READONLY, NULL, NULL);
	hb_face_t *face = hb_face_create(blob, 0);
	hb_font_t *font = hb_font_create(face);
	hb_buffer_t *b = hb_buffer_create();
	hb_buffer_add_utf8(b, "n", -1, 0, -1);
	hb_buffer_guess_segment_properties(b);
	hb_feature_t f;
	hb_feature_from_string("smcp", -1, &f);
	hb_shape(font, b, smcp ? &f : NULL, smcp ? 1 : 0);
	unsigned len;
	hb_glyph_info_t *info = hb_buffer_get_glyph_infos(b, &len);
	unsigned g = len ? info[0].codepoint : 0;
	hb_buffer_destroy(b);
	hb_font_destroy(font);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	return g;
}

void test_subset_small_caps(test_state *t)
{
	const char *top = getenv("GSI_BOOK_DATA");
	char *path = g_build_filename(top ? top : ".", "fonts", "LinLibertine_R.otf", NULL);
	GHashTable *chars = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_hash_table_add(chars, GUINT_TO_POINTER('n'));
	char *error = NULL;
	/* small caps, as a stylesheet asks for them */
	char **features = gb_css_features("p { font-variant: small-caps; }");
	GBytes *cut = gb_font_subset(path, NULL, chars, (const char *const *)features, &error);
	g_strfreev(features);
	CHECK(t, cut != NULL);
	if (cut) {
		/* the embedded face draws a small capital n, not its n */
		unsigned plain = glyph_of(cut, false), sc = glyph_of(cut, true);
		CHECK(t, plain != 0 && sc != 0 && plain != sc);
		g_bytes_unref(cut);
	}
	g_free(error);
	error = NULL;
	/* a stylesheet with no small caps: the face keeps none (a third of
	   Linux Libertine's glyphs for a book's characters are its
	   features' alternates) */
	features = gb_css_features("p { font-variant-numeric: oldstyle-nums; }");
	CHECK(t, features[0] && !strcmp(features[0], "onum") && !features[1]);
	cut = gb_font_subset(path, NULL, chars, (const char *const *)features, &error);
	g_strfreev(features);
	CHECK(t, cut != NULL);
	if (cut) {
		CHECK(t, glyph_of(cut, false) != 0 && glyph_of(cut, false) == glyph_of(cut, true));
		g_bytes_unref(cut);
	}
	g_free(error);
	/* every keyword and font-feature-settings' tags, each once, sorted */
	features = gb_css_features(".a { font-variant-caps: all-small-caps; }\n"
				   ".b { font-variant: small-caps; font-feature-settings: \"ss01\" 1, 'smcp'; }");
	char *joined = g_strjoinv(" ", features);
	CHECK_STR(t, joined, "c2sc smcp ss01");
	g_free(joined);
	g_strfreev(features);
	g_hash_table_destroy(chars);
	g_free(path);
}
