/* cached.c - the cover, font subsets and check's verdict on the tables, cached (cached.h). */
#include "cached.h"

#include <glib/gstdio.h>
#include <hb.h>
#include <string.h>

#include "load.h"

/* ---- what the print libraries make, cached ---- */

/* Keeps b (NULL: nothing) in the cache entry path (NULL: none). */
static void keep(const char *path, GBytes *b)
{
	if (!b || !path)
		return;
	gsize n = 0;
	const void *p = g_bytes_get_data(b, &n);
	gb_cache_put(path, p, n);
}

/* A file by its path, size and modification time, or NULL. */
static char *file_identity(const char *path)
{
	GStatBuf st;
	if (!path || g_stat(path, &st) != 0)
		return NULL;
	return g_strdup_printf("%s|%lld|%lld.%09ld", path, (long long)st.st_size,
			       (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}

/* Adds s and a separator to the checksum (NULL as an empty field). */
static void key_add(GChecksum *sum, const char *s)
{
	if (s)
		g_checksum_update(sum, (const guchar *)s, (gssize)strlen(s));
	g_checksum_update(sum, (const guchar *)"\x1f", 1);
}

/*
 * Adds the program (by its path, size and modification time) to sum;
 * false when it cannot be looked at.
 */
static bool code_add(GChecksum *sum)
{
	char *exe = g_file_read_link("/proc/self/exe", NULL);
	char *prog = file_identity(exe);
	g_free(exe);
	if (!prog)
		return false;
	key_add(sum, prog);
	g_free(prog);
	return true;
}

/*
 * The cover's cache key: everything it is drawn from - the program (by
 * its path, size and modification time), the metadata it
 * shows, the style and the fonts.  NULL when the program cannot be looked
 * at.
 */
static char *cover_key(const gb_meta *meta, const gb_style *style,
		       const gb_fontset *fonts)
{
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	if (!code_add(sum)) {
		g_checksum_free(sum);
		return NULL;
	}
	key_add(sum, meta->title);
	key_add(sum, meta->subtitle);
	key_add(sum, meta->publisher);
	key_add(sum, meta->lang);
	for (guint i = 0; i < meta->authors->len; i++) {
		const gb_creator *a = g_ptr_array_index(meta->authors, i);
		key_add(sum, a->name);
		key_add(sum, a->role);
	}
	key_add(sum, gb_style_text(style));
	for (guint i = 0; i < fonts->fonts->len; i++)
		key_add(sum, ((const gb_font *)g_ptr_array_index(fonts->fonts, i))->sha256);
	char *key = g_strdup(g_checksum_get_string(sum));
	g_checksum_free(sum);
	return key;
}

GBytes *gb_cover_cached(const gb_meta *meta, const gb_style *style,
			gb_fontset *fonts, gb_diag *d)
{
	/*
	 * Drawing and compressing a 1600 x 2560 picture is most of an EPUB
	 * build, and the same inputs always give the same bytes: keep them
	 * in the user's cache, keyed by everything they come from.
	 * GSI_BOOK_NO_CACHE turns this off.
	 */
	char *key = gb_cache_on() ? cover_key(meta, style, fonts) : NULL;
	char *path = key ? gb_cache_path("covers", key) : NULL;
	GBytes *png = gb_cache_get(path, 9);
	if (!png) {
		png = gb_cover_png(meta, style, fonts, d);
		keep(path, png);
	}
	g_free(path);
	g_free(key);
	return png;
}

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
	g_checksum_update(sum, (const guchar *)HB_VERSION_STRING, -1);
	g_checksum_update(sum, (const guchar *)"all layout features, all names", -1);
	g_checksum_update(sum, (const guchar *)cps->data, (gssize)(cps->len * sizeof(guint)));
	g_array_free(cps, TRUE);
	char *k = g_strdup(g_checksum_get_string(sum));
	g_checksum_free(sum);
	return k;
}

GBytes *gb_subset_cached(const char *path, const char *font_id, const char *family,
			 GHashTable *chars, char **name, gb_diag *d)
{
	/* the same font, face and characters give the same bytes: keep them
	   in the user's cache (GSI_BOOK_NO_CACHE turns it off) */
	char *id = family ? g_strconcat(font_id ? font_id : path, "\x1f", family, NULL)
			  : g_strdup(font_id ? font_id : path);
	char *key = gb_cache_on() ? subset_key(id, chars) : NULL;
	g_free(id);
	if (name)
		*name = key && font_id ? g_strdup(key) : NULL;
	char *cached = key ? gb_cache_path("subsets", key) : NULL;
	GBytes *ret = gb_cache_get(cached, 1);
	if (!ret) {
		char *error = NULL;
		ret = gb_font_subset(path, family, chars, &error);
		if (error)
			gb_error(d, gb_noloc(), "%s", error);
		g_free(error);
		keep(cached, ret);
	}
	g_free(cached);
	g_free(key);
	return ret;
}

/* ---- tables, for check ---- */

/* Adds node and what it holds (everything that is measured) to sum. */
static void table_key_add(GChecksum *sum, const gb_node *n)
{
	char head[64];
	g_snprintf(head, sizeof head, "(%d %d %d %d", (int)n->kind, (int)n->align,
		   (int)n->header, n->number);
	key_add(sum, head);
	key_add(sum, n->text);
	key_add(sum, n->label);
	for (const gb_node *c = n->first; c; c = c->next)
		table_key_add(sum, c);
	key_add(sum, ")");
}

typedef struct tables_key {
	GChecksum *sum;
	int tables;
} tables_key;

static bool tables_key_fn(const gb_node *n, bool entering, void *ctx)
{
	tables_key *k = ctx;
	if (!entering || n->kind != GB_NODE_TABLE)
		return entering && !gb_node_is_inline(n);
	/* where it stands: its part's language, the blocks it is in */
	for (const gb_node *a = n->parent; a; a = a->parent) {
		char kind[16];
		g_snprintf(kind, sizeof kind, "<%d", (int)a->kind);
		key_add(k->sum, kind);
		if (a->kind == GB_NODE_PART)
			key_add(k->sum, a->lang);
	}
	table_key_add(k->sum, n);
	k->tables++;
	return false;
}

bool gb_check_tables_cached(const gb_book *book, const gb_typeset_options *opt,
			    gb_diag *d)
{
	tables_key k = { g_checksum_new(G_CHECKSUM_SHA256), 0 };
	gb_node_walk(book->root, tables_key_fn, &k);
	if (!k.tables) {
		g_checksum_free(k.sum);
		return true;
	}
	char *path = NULL;
	if (gb_cache_on() && code_add(k.sum)) {
		key_add(k.sum, "tables 1");
		key_add(k.sum, gb_style_text(opt->style));
		for (guint i = 0; i < opt->fonts->fonts->len; i++) {
			const gb_font *f = g_ptr_array_index(opt->fonts->fonts, i);
			key_add(k.sum, f->sha256 ? f->sha256 : f->path);
		}
		char margins[96];
		g_snprintf(margins, sizeof margins, "%.17g %.17g", opt->min_margin, opt->gutter);
		key_add(k.sum, opt->paper);
		key_add(k.sum, margins);
		path = gb_cache_path("tables", g_checksum_get_string(k.sum));
	}
	g_checksum_free(k.sum);
	GBytes *fits = gb_cache_get(path, 4);
	bool ok = fits != NULL;
	if (fits) {
		g_bytes_unref(fits);
	} else {
		ok = gb_typeset_check_tables(book, opt, d);
		/* only what fits is kept: a refusal is told again */
		if (ok && path)
			gb_cache_put(path, "fits", 4);
	}
	g_free(path);
	return ok;
}
